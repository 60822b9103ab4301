"""Each metric against values computed by hand on `factories.participants_2024`."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django_scopes import scopes_disabled

from stegvis.finance import services as finance_services
from stegvis.finance.actuals import periods_ensure
from stegvis.finance.models import Actual, BudgetLine, ReportingPeriod
from stegvis.goals import metrics
from stegvis.goals.periods import period_from_code, range_period
from stegvis.goals.tests.factories import participants_2024
from stegvis.instruments.defaults import attach_defaults
from stegvis.instruments.models import Instrument, Response, ResponseAnswer
from stegvis.participants.models import AnonymousCount, Participant, RetainedCount
from stegvis.participants.report import year_counts

D = datetime.date


def compute(world: Any, metric: str, code: str = "2024", **params: Any) -> metrics.MetricResult:
    period = period_from_code(association=world.own, code=code)
    return metrics.metric_compute(
        association=world.own, metric=metric, params=params, period=period
    )


@pytest.fixture
def data(world: Any) -> Any:
    return participants_2024(world)


@pytest.mark.parametrize(
    ("metric", "code", "params", "expected"),
    [
        ("participants", "2024", {}, 20),
        ("participants", "2024", {"intervention": "Stegen"}, 17),
        ("participants", "2024", {"gender": "man"}, 9),
        ("participants", "2024-t1", {}, 15),
        ("participants", "2023", {}, 3),
        ("participants_started", "2024", {}, 18),
        ("participants_started", "2024-t1", {}, 13),
        ("participants_exited", "2024", {}, 13),
        ("participants_exited", "2024-t1", {}, 5),
        ("participants_exited", "2024-t2", {}, 5),
        ("participants_exited", "2024", {"intervention": "Grannen"}, 3),
        ("participants_exited", "2024-03-01_2024-03-31", {}, 5),
    ],
)
def test_participant_counts(
    world: Any, data: Any, metric: str, code: str, params: dict[str, Any], expected: int
) -> None:
    result = compute(world, metric, code, **params)
    assert result.measurable
    assert result.unit == "count"
    assert result.value == Decimal(expected)


@pytest.mark.parametrize(
    ("metric", "code", "params", "numerator", "denominator", "value"),
    [
        # Blekinge's individmål 1: 80 % stegförflyttning, in Stegen exactly 8 of 10.
        ("step_progress_share", "2024", {"intervention": "Stegen"}, 8, 10, "0.8"),
        ("step_progress_share", "2024", {}, 8, 13, "0.6154"),
        ("step_progress_share", "2024", {"gender": "kvinna"}, 6, 6, "1"),
        ("step_progress_share", "2024", {"gender": "man"}, 2, 7, "0.2857"),
        ("step_progress_share", "2024-t1", {}, 5, 5, "1"),
        ("exit_outcome_share", "2024", {"outcome": "arbete"}, 3, 13, "0.2308"),
        ("exit_outcome_share", "2024", {"outcome": "avbrott"}, 5, 13, "0.3846"),
        ("handover_share", "2024", {"intervention": "Stegen"}, 7, 10, "0.7"),
        ("handover_share", "2024", {}, 7, 13, "0.5385"),
    ],
)
def test_participant_shares(
    world: Any,
    data: Any,
    metric: str,
    code: str,
    params: dict[str, Any],
    numerator: int,
    denominator: int,
    value: str,
) -> None:
    result = compute(world, metric, code, **params)
    assert result.measurable and result.unit == "share"
    assert (result.numerator, result.denominator) == (numerator, denominator)
    assert result.value == Decimal(value)
    assert result.breakdown[0][1] == denominator and result.breakdown[1][1] == numerator


def test_a_full_year_counts_as_the_participant_report_does(world: Any, data: Any) -> None:
    with scopes_disabled():
        AnonymousCount.objects.create(
            association=world.own, intervention=data.insats, year=2024, gender="kvinna", count=4
        )
        RetainedCount.objects.create(
            association=world.own,
            intervention=data.insats,
            gender="man",
            start_year=2024,
            exit_year=2024,
            outcome="arbete",
            count=2,
        )
    raw = year_counts(association=world.own, year=2024)
    expected = {row: sum(cells.values()) for row, cells in raw.counts.items()}
    assert expected["participants"] == 20 + 4 + 2
    assert compute(world, "participants").value == expected["participants"]
    assert compute(world, "participants_started").value == expected["started"]
    assert compute(world, "participants_exited").value == expected["exited"]
    step = compute(world, "step_progress_share")
    assert (step.numerator, step.denominator) == (expected["step_progress"], expected["exited"])
    # Tertial 1 counts rows only: the yearly counts cannot be placed within the year.
    assert compute(world, "participants", "2024-t1").value == 15
    # Retained counts do not know the hand-over, so they stay out of its share.
    assert compute(world, "handover_share").denominator == 13


def test_no_exits_means_not_measurable(world: Any, data: Any) -> None:
    result = compute(world, "step_progress_share", "2022")
    assert not result.measurable and result.value is None
    assert "avslutades" in result.reason


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"intervention": "Finns inte"}, "Finns inte"),
        ({"gender": "okänt"}, "okänt"),
        ({"outcome": "månen"}, "månen"),
    ],
)
def test_unknown_filters_are_not_measurable_with_a_reason(
    world: Any, data: Any, params: dict[str, Any], reason: str
) -> None:
    result = compute(world, "exit_outcome_share", **params)
    assert not result.measurable
    assert reason in result.reason


def test_metrics_without_a_source_are_not_measurable_yet(world: Any) -> None:
    for metric in ("full_year_equivalents",):
        result = compute(world, metric)
        assert not result.measurable
        assert result.reason
        assert not metrics.METRICS[metric].measurable_now
    # Activities are registered under Samverkan (structural/tests/test_activities.py).
    activities = compute(world, "activities")
    assert activities.measurable and activities.value == 0
    # So are deviations (structural/tests/test_deviations_metric.py).
    deviations = compute(world, "deviations")
    assert deviations.measurable and deviations.value == 0
    assert not compute(world, "no_such_metric").measurable


# ---------------------------------------------------------------------------
# Surveys and screenings


def _answers(
    instrument: Instrument, label: str, values: list[int], participants: list[Any]
) -> None:
    question = instrument.questions.get(short_label=label)
    for participant, value in zip(participants, values, strict=False):
        response, _ = Response.objects.get_or_create(
            association=participant.association,
            participant=participant,
            instrument=instrument,
            date=participant.exit or D(2024, 12, 1),
            defaults={"occasion": "exit"},
        )
        ResponseAnswer.objects.create(
            association=participant.association, response=response, question=question, value=value
        )


@pytest.fixture
def surveyed(world: Any, data: Any) -> Instrument:
    """Blekinge's individmål 2 and 3 on the default survey (agree from 4): 'support'
    9 of 10 agree (90 %), 'readiness' 3 of 4 (75 %)."""
    with scopes_disabled():
        attach_defaults(intervention=data.insats)
        survey = Instrument.objects.get(association=world.own, kind="survey")
        exited = list(
            Participant.objects.filter(intervention=data.insats, code__startswith="S").order_by(
                "code"
            )
        )
        _answers(survey, "Stöd", [5, 4, 4, 5, 5, 4, 4, 5, 5, 2], exited)
        _answers(survey, "Redo", [4, 5, 3, 4], exited)
    return survey


def test_survey_agree_share_by_question_code(world: Any, surveyed: Instrument) -> None:
    support = compute(world, "survey_agree_share", question="support")
    assert (support.numerator, support.denominator, support.value) == (9, 10, Decimal("0.9"))
    readiness = compute(world, "survey_agree_share", question="readiness")
    assert (readiness.numerator, readiness.denominator, readiness.value) == (3, 4, Decimal("0.75"))
    # the first five answered on 2024-03-20, within tertial 1
    assert compute(world, "survey_agree_share", "2024-t1", question="support").denominator == 5
    women = compute(world, "survey_agree_share", question="support", gender="man")
    assert (women.numerator, women.denominator) == (3, 4)


def test_survey_question_falls_back_to_the_short_label(world: Any, surveyed: Instrument) -> None:
    with scopes_disabled():
        surveyed.questions.update(code="")
    assert compute(world, "survey_agree_share", question="stod").value == Decimal("0.9")


def test_unknown_question_is_not_measurable(world: Any, surveyed: Instrument) -> None:
    result = compute(world, "survey_agree_share", question="person_centred")
    assert not result.measurable
    assert "person_centred" in result.reason


def test_screening_coverage_of_those_started_in_the_period(world: Any, data: Any) -> None:
    """Of the 15 who started in Stegen (the insats that uses the screening) in 2024, 9
    were screened in 2024; one more only in 2025, after the period."""
    with scopes_disabled():
        attach_defaults(intervention=data.insats)
        screening = Instrument.objects.get(association=world.own, kind="screening")
        started = list(
            Participant.objects.filter(intervention=data.insats, start__year=2024).order_by("code")
        )
        assert len(started) == 15
        for participant in started[:9]:
            Response.objects.create(
                association=world.own,
                participant=participant,
                instrument=screening,
                date=participant.start,
                occasion="start",
            )
        Response.objects.create(
            association=world.own,
            participant=started[9],
            instrument=screening,
            date=D(2025, 1, 10),
            occasion="follow_up",
        )
    result = compute(world, "screening_coverage", instrument=screening.code)
    assert (result.numerator, result.denominator, result.value) == (9, 15, Decimal("0.6"))
    by_name = compute(world, "screening_coverage", instrument=screening.name)
    assert by_name.value == Decimal("0.6")
    assert not compute(world, "screening_coverage", instrument="okänd").measurable
    with scopes_disabled():
        rows = metrics.rows_behind(
            association=world.own,
            metric="screening_coverage",
            params={"instrument": screening.code},
            period=period_from_code(association=world.own, code="2024"),
        )
        assert rows is not None and rows.count() == 15


def test_rows_behind_a_share_are_its_denominator(world: Any, data: Any) -> None:
    period = period_from_code(association=world.own, code="2024")
    with scopes_disabled():
        rows = metrics.rows_behind(
            association=world.own,
            metric="step_progress_share",
            params={"intervention": "Stegen"},
            period=period,
        )
        assert rows is not None and rows.count() == 10
        assert (
            metrics.rows_behind(
                association=world.own, metric="equity_ratio", params={}, period=period
            )
            is None
        )


# ---------------------------------------------------------------------------
# Finance


@pytest.fixture
def plan(world: Any) -> Any:
    """Budget 2024: opening equity 500 000, revenues 1 000 000, costs 700 000 of which
    300 000 administration. Closing equity 800 000: equity ratio 0,8, admin share
    0,4286."""
    with scopes_disabled():
        plan = finance_services.plan_create(
            actor=None,
            association=world.own,
            first_year=2024,
            last_year=2025,
            opening_equity=500_000,
        )
        for side, name, category, amount in [
            (BudgetLine.Side.REVENUE, "Bidrag", "grant", 1_000_000),
            (BudgetLine.Side.COST, "Kansli", "administration", 300_000),
            (BudgetLine.Side.COST, "Stegen", "individual", 400_000),
        ]:
            finance_services.budget_line_create(
                actor=None,
                plan=plan,
                side=side,
                name=name,
                category=category,
                amounts={2024: amount, 2025: amount},
            )
    return plan


def test_equity_ratio_and_admin_share_from_the_budget(world: Any, plan: Any) -> None:
    equity = compute(world, "equity_ratio")
    assert (equity.numerator, equity.denominator, equity.value) == (
        800_000,
        1_000_000,
        Decimal("0.8"),
    )
    assert "budget" in equity.reason
    # 2025 opens with 2024's closing equity: 800 000 + 300 000 = 1 100 000
    assert compute(world, "equity_ratio", "2025").value == Decimal("1.1")
    admin = compute(world, "admin_share")
    assert (admin.numerator, admin.denominator, admin.value) == (
        300_000,
        700_000,
        Decimal("0.4286"),
    )
    assert not compute(world, "equity_ratio", "2030").measurable


def test_budget_adherence_needs_actuals(world: Any, plan: Any) -> None:
    assert not compute(world, "budget_adherence", "2024-t1").measurable
    with scopes_disabled():
        periods_ensure(association=world.own)
        t1 = ReportingPeriod.objects.get(association=world.own, code="t1")
        year = ReportingPeriod.objects.get(association=world.own, code="year")
        kansli, stegen = plan.lines.get(name="Kansli"), plan.lines.get(name="Stegen")
        for line, period, amount in [
            (kansli, t1, 110_000),
            (stegen, t1, 100_000),
            (kansli, year, 300_000),
            (stegen, year, 370_000),
        ]:
            Actual.objects.create(
                association=world.own, line=line, year=2024, period=period, amount=amount
            )
    # tertial 1: 210 000 of 700 000 × 4/12 = 233 333
    t1_result = compute(world, "budget_adherence", "2024-t1")
    assert (t1_result.numerator, t1_result.denominator) == (210_000, 233_333)
    assert t1_result.value == Decimal("0.9000")
    full = compute(world, "budget_adherence", "2024")
    assert full.value == Decimal("0.9571")  # 670 000 / 700 000
    assert not compute(world, "budget_adherence", "2024-t2").measurable
    custom = metrics.metric_compute(
        association=world.own,
        metric="budget_adherence",
        params={},
        period=range_period(D(2024, 2, 1), D(2024, 4, 30)),
    )
    assert not custom.measurable
