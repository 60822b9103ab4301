"""Goal services: goals, indicators with versioned definitions, targets and values
entered by hand, each write logged; definitions checked as the plan file's metric
table (plan-format.md "Metrics") requires."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.goals import services
from stegvis.goals.models import Goal, GoalMap, Indicator, IndicatorTarget, ManualValue
from stegvis.instruments.defaults import install_defaults
from stegvis.instruments.models import Instrument, InstrumentQuestion

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def goal(world: World) -> Any:
    with scope(association=world.own):
        goal_map = services.goal_map_ensure(
            actor=world.users["chief"], association=world.own, year=2025
        )
        goal = services.goal_create(
            actor=world.users["chief"],
            goal_map=goal_map,
            perspective="Individ",
            text="Deltagarna tar steg mot arbete",
            responsible="Förbundschef",
        )
        yield goal


def actions() -> list[str]:
    with scopes_disabled():
        return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_goal_map_is_made_once_per_year(world: World) -> None:
    with scope(association=world.own):
        first = services.goal_map_ensure(actor=None, association=world.own, year=2025)
        again = services.goal_map_ensure(actor=None, association=world.own, year=2025)
        assert first.pk == again.pk
        assert first.perspectives == ["Individ", "Utveckling", "Arbetssätt", "Ekonomi"]
    assert actions().count("goal_map.created") == 1


def test_goal_map_year_must_be_reasonable(world: World) -> None:
    with scope(association=world.own), pytest.raises(ValidationError) as raised:
        services.goal_map_ensure(actor=None, association=world.own, year=1999)
    assert "year" in raised.value.message_dict


def test_goals_are_created_in_order_updated_and_deleted_with_audit(
    world: World, goal: Goal
) -> None:
    with scope(association=world.own):
        second = services.goal_create(
            actor=None, goal_map=goal.goal_map, perspective="Samverkan", text="Samverkan ökar"
        )
        assert (goal.order, second.order) == (0, 1)
        assert "Samverkan" in GoalMap.objects.get(pk=goal.goal_map_id).perspectives
        services.goal_update(actor=None, goal=second, text="Samverkan ökar tydligt")
        assert Goal.objects.get(pk=second.pk).text == "Samverkan ökar tydligt"
        services.goal_delete(actor=None, goal=second)
        assert not Goal.objects.filter(pk=second.pk).exists()
    assert actions()[-3:] == ["goal.created", "goal.updated", "goal.deleted"]
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="goal.updated")
    assert entry.changes == {"text": ["Samverkan ökar", "Samverkan ökar tydligt"]}


def test_a_goal_needs_text_and_perspective(world: World, goal: Goal) -> None:
    with scope(association=world.own), pytest.raises(ValidationError) as raised:
        services.goal_create(actor=None, goal_map=goal.goal_map, perspective=" ", text="")
    assert set(raised.value.message_dict) == {"text", "perspective"}


def test_indicator_version_rises_when_the_definition_changes(world: World, goal: Goal) -> None:
    with scope(association=world.own):
        indicator = services.indicator_create(
            actor=None, goal=goal, text="Deltagare", metric="participants"
        )
        assert indicator.version == 1
        services.indicator_update(actor=None, indicator=indicator, text="Deltagare i år")
        assert Indicator.objects.get(pk=indicator.pk).version == 1
        services.indicator_update(actor=None, indicator=indicator, params={"gender": "kvinna"})
        assert Indicator.objects.get(pk=indicator.pk).version == 2
        services.indicator_update(actor=None, indicator=indicator, metric="participants_exited")
        stored = Indicator.objects.get(pk=indicator.pk)
        assert (stored.version, stored.metric, stored.params) == (
            3,
            "participants_exited",
            {"gender": "kvinna"},
        )
    with scopes_disabled():
        last = AuditEntry.objects.filter(action="indicator.updated").order_by("pk").last()
    assert last is not None
    assert last.changes["metric"] == ["participants", "participants_exited"]
    assert last.changes["version"] == 3


def test_changing_metric_drops_keys_the_new_metric_does_not_take(world: World, goal: Goal) -> None:
    with scope(association=world.own):
        indicator = services.indicator_create(
            actor=None, goal=goal, text="Enkät", metric="manual", source="Chefsmöte"
        )
        assert indicator.params == {"source": "Chefsmöte"}
        services.indicator_update(actor=None, indicator=indicator, metric="deviations")
        stored = Indicator.objects.get(pk=indicator.pk)
        assert (stored.params, stored.version) == ({}, 2)


@pytest.mark.parametrize(
    ("metric", "params", "field"),
    [
        ("stegförflyttning", {}, "metric"),
        ("exit_outcome_share", {}, "outcome"),
        ("survey_agree_share", {}, "question"),
        ("screening_coverage", {}, "instrument"),
        ("manual", {}, "source"),
        ("participants", {"question": "support"}, "question"),
        ("participants", {"colour": "blue"}, "params"),
        ("participants", {"gender": "okänd"}, "gender"),
    ],
)
def test_indicator_definitions_are_checked_with_the_field_named(
    world: World, goal: Goal, metric: str, params: dict[str, str], field: str
) -> None:
    with scope(association=world.own), pytest.raises(ValidationError) as raised:
        services.indicator_create(actor=None, goal=goal, text="X", metric=metric, params=params)
    assert field in raised.value.message_dict


def test_a_code_the_installation_does_not_know_is_stored(world: World, goal: Goal) -> None:
    with scope(association=world.own):
        indicator = services.indicator_create(
            actor=None,
            goal=goal,
            text="Samverkan",
            metric="survey_agree_share",
            params={"question": "better_collaboration"},
        )
    assert indicator.params == {"question": "better_collaboration"}


def test_manual_source_from_params_or_argument(world: World, goal: Goal) -> None:
    with scope(association=world.own):
        by_param = services.indicator_create(
            actor=None, goal=goal, text="A", metric="manual", params={"source": "Bokslut"}
        )
        by_argument = services.indicator_create(
            actor=None, goal=goal, text="B", metric="manual", source="Bokslut"
        )
    assert (by_param.source, by_param.params) == ("Bokslut", {"source": "Bokslut"})
    assert (by_argument.source, by_argument.params) == ("Bokslut", {"source": "Bokslut"})


def test_targets_are_set_per_year_and_replaced(world: World, goal: Goal) -> None:
    with scope(association=world.own):
        indicator = services.indicator_create(
            actor=None, goal=goal, text="Stegförflyttning", metric="step_progress_share"
        )
        services.target_set(actor=None, indicator=indicator, year=None, op=">=", value="0,7")
        services.target_set(actor=None, indicator=indicator, year=2025, op=">=", value=0.8)
        services.target_set(actor=None, indicator=indicator, year=2025, op=">", value="0.75")
        targets = sorted(
            IndicatorTarget.objects.filter(indicator=indicator), key=lambda t: t.year or 0
        )
        assert [(t.year, t.op, t.value) for t in targets] == [
            (None, ">=", Decimal("0.7")),
            (2025, ">", Decimal("0.75")),
        ]
        services.target_delete(actor=None, target=targets[0])
        assert IndicatorTarget.objects.filter(indicator=indicator).count() == 1
    assert actions().count("indicator_target.set") == 3
    assert "indicator_target.deleted" in actions()


@pytest.mark.parametrize(
    ("year", "op", "value", "field"),
    [
        (2025, ">=", "1.2", "value"),  # a share above 1
        (2025, ">=", "-0.1", "value"),
        (2025, "=>", "0.5", "op"),
        (2101, ">=", "0.5", "year"),
        (2025, ">=", "mycket", "value"),
    ],
)
def test_targets_are_checked(
    world: World, goal: Goal, year: int, op: str, value: str, field: str
) -> None:
    with scope(association=world.own):
        indicator = services.indicator_create(
            actor=None, goal=goal, text="Andel", metric="step_progress_share"
        )
        with pytest.raises(ValidationError) as raised:
            services.target_set(actor=None, indicator=indicator, year=year, op=op, value=value)
    assert field in raised.value.message_dict


def test_a_count_target_may_exceed_one(world: World, goal: Goal) -> None:
    with scope(association=world.own):
        indicator = services.indicator_create(
            actor=None, goal=goal, text="Aktiviteter", metric="activities"
        )
        target = services.target_set(actor=None, indicator=indicator, year=None, op=">=", value=4)
    assert target.value == 4


def test_manual_values_are_entered_per_period_with_source(world: World, goal: Goal) -> None:
    chief = world.users["chief"]
    with scope(association=world.own):
        indicator = services.indicator_create(
            actor=chief, goal=goal, text="Chefer ser samverkan", metric="manual", source="Möte"
        )
        first = services.manual_value_set(
            actor=chief,
            indicator=indicator,
            period_start=D(2025, 1, 1),
            period_end=D(2025, 4, 30),
            value="3,5",
            source="Gruppdialog på chefsmöte",
            comment="Fem chefer",
        )
        again = services.manual_value_set(
            actor=chief,
            indicator=indicator,
            period_start=D(2025, 1, 1),
            period_end=D(2025, 4, 30),
            value=4,
            source="Gruppdialog på chefsmöte",
        )
        assert first.pk == again.pk
        stored = ManualValue.objects.get()
        assert (stored.value, stored.comment, stored.entered_by) == (Decimal(4), "", chief)
        with pytest.raises(ValidationError) as raised:
            services.manual_value_set(
                actor=chief,
                indicator=indicator,
                period_start=D(2025, 5, 1),
                period_end=D(2025, 4, 30),
                value=1,
                source="",
            )
        assert set(raised.value.message_dict) == {"period_end", "source"}
        services.manual_value_delete(actor=chief, manual_value=stored)
        assert not ManualValue.objects.exists()
    assert actions().count("manual_value.set") == 2


def test_deleting_an_indicator_is_logged(world: World, goal: Goal) -> None:
    with scope(association=world.own):
        indicator = services.indicator_create(
            actor=None, goal=goal, text="Avvikelser", metric="deviations"
        )
        services.indicator_delete(actor=None, indicator=indicator)
        assert not Indicator.objects.exists()
    assert actions()[-2:] == ["indicator.created", "indicator.deleted"]


def test_default_instruments_get_codes_also_when_installed_before(world: World) -> None:
    with scope(association=world.own):
        assessment, screening, survey = install_defaults(association=world.own)
        assert (assessment.code, screening.code, survey.code) == (
            "progression",
            "screening_vnr",
            "deltagarenkat",
        )
        assert list(survey.questions.values_list("code", flat=True)) == [
            "support",
            "influence",
            "authorities",
            "respect",
            "readiness",
        ]
        # As if installed before codes existed, and one code the förbund chose itself.
        Instrument.objects.filter(association=world.own).update(code="")
        InstrumentQuestion.objects.filter(association=world.own).update(code="")
        InstrumentQuestion.objects.filter(instrument=survey, short_label="Stöd").update(
            code="eget_stod"
        )
        install_defaults(association=world.own)
        install_defaults(association=world.own)
        assert Instrument.objects.get(pk=survey.pk).code == "deltagarenkat"
        codes = list(survey.questions.values_list("code", flat=True))
        assert codes == ["eget_stod", "influence", "authorities", "respect", "readiness"]
        assert all(assessment.questions.values_list("code", flat=True))
