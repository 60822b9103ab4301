"""Data for the delårsrapport and verksamhetsberättelse tests: a förbund like the demo's
(participants computed by hand, a goal map, the Samspelet budget with actuals and a
forecast with a comment, structural activities) in the `world` fixture's own förbund.

The participants are `goals.tests.factories.participants_2024`:
2024: deltagare 20, påbörjade 18, avslutade 13, stegförflyttning 8;
tertial 1 2024: deltagare 15, påbörjade 13, avslutade 5 (all with stegförflyttning).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django_scopes import scopes_disabled

from stegvis.finance import actuals
from stegvis.finance.models import BudgetLine, Plan, ReportingPeriod
from stegvis.finance.tests.factories import store
from stegvis.goals.models import GoalMap
from stegvis.goals.tests.factories import ManualValueFactory, indicator
from stegvis.goals.tests.factories import participants_2024 as make_participants

YEAR = 2024
# After 2024, so every period of the year is closed.
TODAY = datetime.date(2025, 3, 1)

# Actuals to the end of tertial 1 and for the year, kronor.
T1_ACTUALS = {
    "Administration": 450_000,
    "Styrelse o revision": 60_000,
    "Stegen Karlstad": 1_700_000,  # ×3 = 5,1 Mkr: over the 4,1 Mkr budget
    "ESF": 48_000,
}
YEAR_ACTUALS = {
    "Administration": 1_340_000,
    "Styrelse o revision": 230_000,
    "Stegen Karlstad": 4_350_000,
    "Stegen Kristinehamn": 2_200_000,
    "ESF": 144_000,
}
FORECAST = ("Processtöd", 520_000, "Ny processledare anställd från juni")


@dataclass
class Filled:
    plan: Plan
    periods: dict[str, ReportingPeriod]
    goal_map: GoalMap
    lines: dict[str, BudgetLine]


@dataclass(frozen=True)
class FakeKind:
    kind: str
    activities: int
    participants: int


FAKE_ACTIVITIES = [
    FakeKind("Utbildning", 3, 84),
    FakeKind("Frukostmöte", 2, 41),
    FakeKind("Nätverk", 0, 0),
]


def fill(world: Any) -> Filled:
    """The own förbund with participants, a goal map, a budget and its actuals."""
    make_participants(world)
    plan = store(world.own)
    with scopes_disabled():
        periods = {p.code: p for p in actuals.periods_ensure(association=world.own)}
        lines = {line.name: line for line in plan.lines.all()}
        budget = actuals.budget_for_year(plan=plan, year=YEAR)
        # The members pay a third of their contribution by the end of April, all by
        # the end of the year.
        contributions = [line for line in lines.values() if line.category == "contribution"]
        for code, given, part in (("t1", T1_ACTUALS, 3), ("year", YEAR_ACTUALS, 1)):
            amounts = {lines[name].pk: amount for name, amount in given.items()}
            amounts |= {line.pk: budget[line.pk] // part for line in contributions}
            actuals.actuals_record(
                actor=None, plan=plan, year=YEAR, period=periods[code], amounts=amounts
            )
        name, amount, comment = FORECAST
        actuals.forecast_set(
            actor=None, line=lines[name], year=YEAR, amount=amount, comment=comment
        )
        # The plan file made the year's map with its goal "God ekonomisk hushållning".
        goal_map = GoalMap.objects.get(association=world.own, year=YEAR)
        indicator(goal_map, "participants", target=(">=", "10"))
        indicator(goal_map, "step_progress_share", target=(">=", "0.7"))
        indicator(goal_map, "participants_exited", target=(">=", "20"))
        manual = indicator(goal_map, "manual", target=(">=", "4"), source="Chefsmöte")
        ManualValueFactory(
            indicator=manual,
            period_start=datetime.date(YEAR, 1, 1),
            period_end=datetime.date(YEAR, 12, 31),
            value="4.2",
        )
    return Filled(plan=plan, periods=periods, goal_map=goal_map, lines=lines)


@pytest.fixture
def fake_structural(monkeypatch: Any) -> list[tuple[datetime.date, datetime.date]]:
    """The structural app's `activities_by_kind` (its contract) with fixed figures;
    returns the periods it was asked for."""
    asked: list[tuple[datetime.date, datetime.date]] = []

    def activities_by_kind(*, association: Any, start: Any, end: Any) -> list[FakeKind]:
        asked.append((start, end))
        return list(FAKE_ACTIVITIES)

    monkeypatch.setattr("stegvis.reports.periodic.parts.activities_by_kind", activities_by_kind)
    return asked


@pytest.fixture
def no_structural(monkeypatch: Any) -> None:
    """No activities held (the structural app's own selector finds none)."""
    monkeypatch.setattr("stegvis.reports.periodic.parts.activities_by_kind", lambda **_: [])
