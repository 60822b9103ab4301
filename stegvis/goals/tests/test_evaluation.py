"""Status, suppression, recorded values and versions of indicators."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from stegvis.goals import evaluation
from stegvis.goals.evaluation import Status, format_number, status_of
from stegvis.goals.metrics import MetricResult
from stegvis.goals.models import IndicatorTarget, IndicatorValue
from stegvis.goals.periods import period_from_code
from stegvis.goals.tests.factories import (
    GoalMapFactory,
    ManualValueFactory,
    TargetFactory,
    indicator,
    participants_2024,
)
from stegvis.participants.tests.factories import ParticipantFactory

D = datetime.date
LATER = D(2030, 1, 1)  # every period of 2024 closed


def share(value: str) -> MetricResult:
    return MetricResult(
        value=Decimal(value),
        numerator=None,
        denominator=None,
        measurable=True,
        reason="",
        unit="share",
    )


@pytest.mark.parametrize(
    ("op", "target", "value", "status"),
    [
        # Blekinge: 80 % stegförflyttning, 90 % stöd, 75 % mer redo
        (">=", "0.80", "0.80", Status.ACHIEVED),
        (">=", "0.80", "0.72", Status.PARTLY),
        (">=", "0.80", "0.7199", Status.NOT_ACHIEVED),
        (">=", "0.90", "0.9", Status.ACHIEVED),
        (">=", "0.75", "0.6154", Status.NOT_ACHIEVED),
        (">", "0.70", "0.70", Status.PARTLY),
        # "eget kapital högst 20 %"
        ("<=", "0.20", "0.20", Status.ACHIEVED),
        ("<=", "0.20", "0.22", Status.PARTLY),
        ("<=", "0.20", "0.8", Status.NOT_ACHIEVED),
        ("<", "0.20", "0.20", Status.PARTLY),
        ("==", "4", "4", Status.ACHIEVED),
        ("==", "4", "3.6", Status.PARTLY),
        ("==", "4", "2", Status.NOT_ACHIEVED),
    ],
)
def test_status_against_the_target(op: str, target: str, value: str, status: Status) -> None:
    assert status_of(share(value), IndicatorTarget(op=op, value=Decimal(target))) == status


def test_no_target_and_no_value() -> None:
    assert status_of(share("0.5"), None) == Status.NO_TARGET
    nothing = MetricResult(None, None, None, False, "Inget värde", "share")
    assert (
        status_of(nothing, IndicatorTarget(op=">=", value=Decimal("0.8"))) == Status.NOT_MEASURABLE
    )


def test_swedish_formats() -> None:
    assert format_number(Decimal("0.72"), "share") == "72,0\u00a0%"
    assert format_number(Decimal("12"), "count") == "12"
    assert format_number(Decimal("12345"), "count") == "12\u00a0345"
    assert format_number(Decimal("0.18"), "ratio") == "0,18"
    assert format_number(Decimal("4.0000"), "ratio") == "4"
    assert format_number(Decimal("1637273"), "amount") == "1\u00a0637\u00a0273\u00a0kr"
    assert format_number(None, "share") == "–"


@pytest.fixture
def data(world: Any) -> Any:
    return participants_2024(world)


@pytest.fixture
def goal_map(world: Any) -> Any:
    with scopes_disabled():
        return GoalMapFactory(association=world.own, year=2024)


def evaluate(made: Any, code: str, min_cell: int = 5, today: datetime.date = LATER) -> Any:
    period = period_from_code(association=made.association, code=code)
    with scopes_disabled():
        made.refresh_from_db()
        return evaluation.indicator_evaluate(
            indicator=made, period=period, min_cell=min_cell, today=today
        )


def test_target_of_the_year_wins_over_the_one_for_every_year(world: Any, goal_map: Any) -> None:
    with scopes_disabled():
        made = indicator(goal_map, "participants", target=(">=", "100"))
        TargetFactory(indicator=made, year=2024, op=">=", value=Decimal("120"))
        assert evaluation.target_for(made, 2024).value == Decimal("120")
        assert evaluation.target_for(made, 2025).value == Decimal("100")


def test_blekinge_step_progress_target_is_achieved_in_stegen(
    world: Any, data: Any, goal_map: Any
) -> None:
    with scopes_disabled():
        stegen = indicator(
            goal_map, "step_progress_share", target=(">=", "0.80"), intervention="Stegen"
        )
        everyone = indicator(goal_map, "step_progress_share", target=(">=", "0.80"))
    result = evaluate(stegen, "2024")
    assert result.status == Status.ACHIEVED
    assert result.result.value == Decimal("0.8") and result.value_text == "80,0\u00a0%"
    assert result.target_text == "≥\u00a080,0\u00a0%"
    assert evaluate(everyone, "2024").status == Status.NOT_ACHIEVED  # 8 of 13


def test_small_counts_are_suppressed(world: Any, data: Any, goal_map: Any) -> None:
    with scopes_disabled():
        men = indicator(goal_map, "step_progress_share", target=(">=", "0.70"), gender="man")
        grannen = indicator(goal_map, "participants", intervention="Grannen")
        women = indicator(goal_map, "step_progress_share", gender="kvinna")
    hidden = evaluate(men, "2024")  # 2 of 7: the 2 is below 5
    assert hidden.result.suppressed and hidden.result.value is None
    assert hidden.status == Status.NOT_MEASURABLE
    assert hidden.result.numerator is None
    assert [n for _label, n in hidden.result.breakdown] == [7, None]
    assert "5" in hidden.result.reason
    count = evaluate(grannen, "2024")  # 3 participants
    assert count.result.value is None and count.result.suppressed
    assert count.result.breakdown[0][1] is None
    # the insats's own staff see everything
    assert evaluate(grannen, "2024", min_cell=1).result.value == Decimal(3)
    assert evaluate(men, "2024", min_cell=1).status == Status.NOT_ACHIEVED
    # 6 of 6 is shown
    assert evaluate(women, "2024").result.value == Decimal(1)


def test_finance_values_are_never_suppressed(world: Any, goal_map: Any) -> None:
    result = MetricResult(Decimal("0.3"), 3, 10, True, "", "share", breakdown=[("x", 3)])
    assert evaluation.suppress_result(result, "equity_ratio", 5) is result


def test_manual_value_for_the_period_and_latest_in_the_year(world: Any, goal_map: Any) -> None:
    with scopes_disabled():
        made = indicator(goal_map, "manual", target=(">=", "4"), source="Gruppdialog")
    before = evaluate(made, "2024-t1")
    assert before.status == Status.NOT_MEASURABLE
    assert before.result.reason == "Inget värde inmatat för perioden."
    with scopes_disabled():
        ManualValueFactory(
            indicator=made, period_start=D(2024, 1, 1), period_end=D(2024, 4, 30), value=Decimal(3)
        )
        ManualValueFactory(
            indicator=made, period_start=D(2024, 1, 1), period_end=D(2024, 8, 31), value=Decimal(5)
        )
    t1 = evaluate(made, "2024-t1")
    assert t1.result.value == Decimal(3) and t1.status == Status.NOT_ACHIEVED
    assert t1.manual is not None and t1.manual.source == "Gruppdialog på chefsmöte"
    year = evaluate(made, "2024")
    assert year.result.value == Decimal(5) and year.status == Status.ACHIEVED
    # a manual value entered for a closed period counts at once (manual values are not recorded)
    with scopes_disabled():
        assert evaluation.values_record(association=world.own, today=LATER) == 0
    assert not year.recorded


def test_not_measurable_yet_metrics(world: Any, goal_map: Any) -> None:
    with scopes_disabled():
        activities = indicator(goal_map, "activities", target=(">=", "4"))
        unknown_kind = indicator(goal_map, "activities", target=(">=", "1"), kind="okänt-slag")
        no_target = indicator(goal_map, "manual")
    # No activity registered: measurable, and not achieved.
    result = evaluate(activities, "2024")
    assert result.status == Status.NOT_ACHIEVED
    assert result.result.value == 0
    unknown = evaluate(unknown_kind, "2024")
    assert unknown.status == Status.NOT_MEASURABLE
    assert "okänt-slag" in unknown.result.reason
    assert evaluate(no_target, "2024").status == Status.NOT_MEASURABLE
    with scopes_disabled():
        ManualValueFactory(
            indicator=no_target, period_start=D(2024, 1, 1), period_end=D(2024, 12, 31), value=1
        )
    assert evaluate(no_target, "2024").status == Status.NO_TARGET


def test_recorded_values_survive_a_change_of_definition(
    world: Any, data: Any, goal_map: Any
) -> None:
    with scopes_disabled():
        made = indicator(
            goal_map, "step_progress_share", target=(">=", "0.80"), intervention="Stegen"
        )
        # In May 2024, tertial 1 is closed; tertial 2 and the year are not.
        assert evaluation.values_record(association=world.own, today=D(2024, 5, 15)) == 1
        assert evaluation.values_record(association=world.own, today=D(2024, 5, 15)) == 0
        record = IndicatorValue.objects.get(indicator=made)
        assert (record.period_start, record.period_end) == (D(2024, 1, 1), D(2024, 4, 30))
        assert (record.numerator, record.denominator, record.definition_version) == (5, 5, 1)
        # The definition changes (the services raise the version) and the data too.
        made.params = {"intervention": "Grannen"}
        made.version = 2
        made.save()
        ParticipantFactory(
            intervention=data.neighbour,
            code="LATE",
            start=D(2024, 1, 2),
            exit=D(2024, 2, 2),
            outcome="avbrott",
        )
    kept = evaluate(made, "2024-t1", today=D(2024, 6, 1))
    assert kept.recorded and kept.definition_version == 1
    assert kept.result.value == Decimal(1) and kept.status == Status.ACHIEVED
    assert kept.result.breakdown[0][1] == 5
    live = evaluate(made, "2024", today=D(2024, 6, 1))  # the year is open: computed now
    assert not live.recorded and live.definition_version == 2
    assert live.result.suppressed  # Grannen: 0 of 4
    with scopes_disabled():
        # After the year, tertial 2 (0 of 1) and helår (0 of 4) are recorded with version 2.
        assert evaluation.values_record(association=world.own, today=D(2025, 1, 2)) == 2
        versions = sorted(
            IndicatorValue.objects.filter(indicator=made).values_list(
                "definition_version", flat=True
            )
        )
    assert versions[0] == 1 and set(versions[1:]) == {2}


def test_goal_map_evaluate_in_a_few_queries(world: Any, data: Any, goal_map: Any) -> None:
    with scopes_disabled():
        for _ in range(4):
            indicator(goal_map, "step_progress_share", target=(">=", "0.80"), intervention="Stegen")
            indicator(goal_map, "participants", target=(">=", "10"))
            indicator(goal_map, "handover_share", gender="kvinna")
            indicator(goal_map, "participants_exited", intervention="Grannen")
            indicator(goal_map, "manual", source="x")
            indicator(goal_map, "activities")
    period = period_from_code(association=world.own, code="2024")
    with scopes_disabled(), CaptureQueriesContext(connection) as queries:
        goals = evaluation.goal_map_evaluate(
            goal_map=goal_map, period=period, min_cell=5, today=LATER
        )
    assert len(goals) == 24
    evaluations = [each for _goal, items in goals for each in items]
    assert len(evaluations) == 24
    assert len(queries) <= 12, [q["sql"] for q in queries.captured_queries]
    counts = evaluation.status_counts(evaluations)
    assert counts[Status.ACHIEVED] == 8  # Stegen 80 % and 20 participants
    # manual without a value and Grannen's 3 exits (below 5)
    assert counts[Status.NOT_MEASURABLE] == 8
    # hand-over of women: 6 of 6, and activities (none registered): no target
    assert counts[Status.NO_TARGET] == 8
    assert sum(counts.values()) == 24


def test_trend_over_the_years(world: Any, data: Any, goal_map: Any) -> None:
    with scopes_disabled():
        made = indicator(goal_map, "participants")
    with scopes_disabled():
        trend = evaluation.indicator_trend(
            indicator=made, years=[2022, 2023, 2024], min_cell=5, today=LATER
        )
    # 2023: 3 enrolled (the old one and two from May) → hidden; 2022: 0 shown
    assert trend == [(2022, Decimal(0)), (2023, None), (2024, Decimal(20))]


def test_command_show_and_record(world: Any, data: Any, goal_map: Any) -> None:
    import io
    import json

    from django.core.management import CommandError, call_command

    with scopes_disabled():
        indicator(goal_map, "step_progress_share", target=(">=", "0.80"), intervention="Stegen")
        indicator(goal_map, "participants", intervention="Grannen")
    out = io.StringIO()
    call_command("goals", "show", "eget", "2024", "--period", "2024-t1", "--json", stdout=out)
    document = json.loads(out.getvalue())
    first, second = (goal["indicators"][0] for goal in document["goals"])
    assert document["period"]["code"] == "2024-t1" and document["min_cell"] == 5
    assert (first["value"], first["status"], first["definition_version"]) == (1.0, "achieved", 1)
    assert second["value"] is None and second["suppressed"]
    text = io.StringIO()
    call_command("goals", "show", "eget", "2024", stdout=text)
    assert "80,0 %" in text.getvalue() and "Uppnått" in text.getvalue()
    recorded = io.StringIO()
    call_command("goals", "record", "eget", stdout=recorded)
    assert "Samordningsförbundet Eget" in recorded.getvalue()
    with pytest.raises(CommandError):
        call_command("goals", "show", "eget", "2019", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("goals", "show", "eget", "2024", "--period", "nej", stdout=io.StringIO())
