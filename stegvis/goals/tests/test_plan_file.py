"""The plan file's goal map has one home, the goals app: `plan import` fills the goal
map of the plan's first year and `plan export` writes it back unchanged."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Association
from stegvis.associations.tests.factories import AssociationFactory
from stegvis.audit.models import AuditEntry
from stegvis.finance.selectors import plan_document
from stegvis.finance.tests.factories import samspelet_document, store
from stegvis.goals import services
from stegvis.goals.models import GoalMap, Indicator, IndicatorTarget, ManualValue
from stegvis.plans import vocabulary
from stegvis.plans.reader import read_plan

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "plans" / "examples"
EXAMPLE_FILES = sorted(path.name for path in EXAMPLES.glob("*.yaml"))


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("plan", *args, stdout=out, stderr=err)
    except SystemExit as exit:  # pragma: no cover - a failure shows stderr
        raise AssertionError(err.getvalue()) from exit
    return out.getvalue()


def association_for(filename: str) -> Association:
    document, _warnings = read_plan((EXAMPLES / filename).read_bytes(), filename=filename)
    with scopes_disabled():
        association = cast(
            Association,
            AssociationFactory(name=document.association, slug=filename.split("-")[0]),
        )
    return association


@pytest.mark.parametrize("filename", EXAMPLE_FILES)
def test_plan_import_then_export_gives_the_same_goals(filename: str, db: Any) -> None:
    association = association_for(filename)
    document, _warnings = read_plan((EXAMPLES / filename).read_bytes(), filename=filename)
    run("import", str(EXAMPLES / filename))
    exported = yaml.safe_load(run("export", association.slug, str(document.years[0])))
    assert exported.get("goals", []) == document.goals
    with scope(association=association):
        goal_map = GoalMap.objects.get(association=association, year=document.years[0])
        assert goal_map.goals.count() == len(document.goals)


def test_import_builds_goals_indicators_and_targets(db: Any) -> None:
    association = association_for("blekinge-2024.yaml")
    run("import", str(EXAMPLES / "blekinge-2024.yaml"))
    with scope(association=association):
        goal_map = GoalMap.objects.get(association=association, year=2024)
        individ, ekonomi = goal_map.goals.all()
        assert (individ.perspective, individ.responsible) == ("Individ", "Förbundschef")
        step, support, _ready = individ.indicators.all()
        assert step.metric == "step_progress_share" and step.params == {}
        assert support.params == {"question": "influence"}
        target = step.targets.get()
        assert (target.year, target.op, target.value) == (2024, ">=", Decimal("0.8"))
        adherence, equity = ekonomi.indicators.all()
        assert adherence.targets.get().year is None
        assert equity.metric == "manual" and equity.source == "Bokslut"
        assert equity.params == {"source": "Bokslut"}
        assert not equity.targets.exists()
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="goal_map.imported").exists()


def test_a_plan_file_with_a_new_perspective_adds_it_to_the_map(db: Any) -> None:
    association = association_for("samspelet-2024.yaml")
    run("import", str(EXAMPLES / "samspelet-2024.yaml"))
    with scope(association=association):
        goal_map = GoalMap.objects.get(association=association, year=2024)
        assert goal_map.perspectives[-1] == "Samverkan"
        assert goal_map.perspectives[:4] == ["Individ", "Utveckling", "Arbetssätt", "Ekonomi"]


def goals_of(*indicators: dict[str, Any], text: str = "God ekonomisk hushållning") -> list[dict]:
    return [{"perspective": "Ekonomi", "text": text, "indicators": list(indicators)}]


def test_importing_again_keeps_the_values_of_indicators_it_keeps(world: Any) -> None:
    own = world.own
    manual = {"text": "Chefer ser samverkan", "metric": "manual", "source": "Chefsmöte"}
    budget = {"text": "Budgeten hålls", "metric": "budget_adherence", "op": "<=", "value": 1}
    dropped = {"text": "Försvinner", "metric": "deviations"}
    with scope(association=own):
        services.goal_map_from_plan(
            actor=None, association=own, year=2025, goals=goals_of(manual, budget, dropped)
        )
        kept = Indicator.objects.get(text="Chefer ser samverkan")
        services.manual_value_set(
            actor=None,
            indicator=kept,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            value="3",
            source="Chefsmöte",
        )
        changed = {**budget, "metric": "admin_share", "value": 0.15}
        services.goal_map_from_plan(
            actor=None, association=own, year=2025, goals=goals_of(manual, changed)
        )
        again = Indicator.objects.get(text="Chefer ser samverkan")
        assert again.pk == kept.pk and again.version == 1
        assert ManualValue.objects.filter(indicator=again).count() == 1
        budget_indicator = Indicator.objects.get(text="Budgeten hålls")
        assert (budget_indicator.metric, budget_indicator.version) == ("admin_share", 2)
        assert budget_indicator.targets.get().value == Decimal("0.15")
        assert not Indicator.objects.filter(text="Försvinner").exists()


def test_a_goal_with_another_text_is_a_new_goal(world: Any) -> None:
    own = world.own
    indicator = {"text": "Budgeten hålls", "metric": "budget_adherence"}
    with scope(association=own):
        services.goal_map_from_plan(
            actor=None, association=own, year=2025, goals=goals_of(indicator)
        )
        first = Indicator.objects.get()
        services.goal_map_from_plan(
            actor=None, association=own, year=2025, goals=goals_of(indicator, text="Nytt mål")
        )
        assert Indicator.objects.get().pk != first.pk


def test_errors_name_the_plan_file_path_and_nothing_is_stored(world: Any) -> None:
    own = world.own
    goals = goals_of(
        {"text": "Andel", "metric": "survey_agree_share", "op": ">=", "value": 0.8},
        {"text": "Mål", "metric": "participants", "op": ">=", "value": 4, "year": 1950},
    )
    with scope(association=own), pytest.raises(ValidationError) as raised:
        services.goal_map_from_plan(actor=None, association=own, year=2025, goals=goals)
    assert set(raised.value.message_dict) == {
        "goals[0].indicators[0].question",
        "goals[0].indicators[1].year",
    }
    with scopes_disabled():
        assert not Indicator.objects.exists()


def test_export_takes_the_target_of_the_maps_year_and_leaves_out_filters(world: Any) -> None:
    own = world.own
    with scope(association=own):
        goal_map = services.goal_map_ensure(actor=None, association=own, year=2025)
        goal = services.goal_create(
            actor=None, goal_map=goal_map, perspective="Individ", text="Steg mot arbete"
        )
        indicator = services.indicator_create(
            actor=None,
            goal=goal,
            text="Kvinnor som deltar",
            metric="participants",
            params={"gender": "kvinna"},
        )
        services.target_set(actor=None, indicator=indicator, year=None, op=">=", value=10)
        services.target_set(actor=None, indicator=indicator, year=2025, op=">=", value="12")
        assert services.goal_map_to_plan(goal_map=goal_map) == [
            {
                "perspective": "Individ",
                "text": "Steg mot arbete",
                "indicators": [
                    {
                        "text": "Kvinnor som deltar",
                        "metric": "participants",
                        "op": ">=",
                        "value": 12,
                        "year": 2025,
                    }
                ],
            }
        ]
        assert IndicatorTarget.objects.count() == 2


def test_a_plan_without_goals_leaves_the_goal_map_alone(world: Any) -> None:
    document = samspelet_document()
    store(world.own, document)
    document.goals = []
    store(world.own, document)
    with scope(association=world.own):
        goal_map = GoalMap.objects.get(association=world.own, year=2024)
        assert [goal.text for goal in goal_map.goals.all()] == ["God ekonomisk hushållning"]
        assert plan_document(association=world.own, first_year=2024).goals == [
            {"perspective": "Ekonomi", "text": "God ekonomisk hushållning"}
        ]


def test_plan_check_knows_the_instrument_question_and_outcome_codes(db: Any) -> None:
    codes = vocabulary.known_codes()
    assert {"support", "influence", "authorities", "readiness"} <= codes["question"]
    assert {"progression", "screening_vnr", "deltagarenkat"} <= codes["instrument"]
    assert "arbete" in codes["outcome"]


def test_a_code_a_forbund_gives_its_own_question_is_known(world: Any) -> None:
    from stegvis.instruments.defaults import install_defaults

    with scope(association=world.own):
        survey = install_defaults(association=world.own)[2]
        question = survey.questions.get(code="respect")
        question.code = "better_collaboration"
        question.save()
    assert "better_collaboration" in vocabulary.known_codes()["question"]
