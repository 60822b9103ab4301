"""Data for the SUS report tests, in the `world` fixture's own förbund (no tests here).

`data`: the participant tests' insatser (`participants.tests.factories.follow_up`) with
participants who exited in 2024, computed by hand:

* Stegen: 12 (7 kvinnor, 5 män), all without work at start, on ekonomiskt bistånd (9)
  or sjukpenning (3); at exit 7 in work (4 k, 3 m) with lön and avslutsorsak arbete,
  5 without (3 k, 2 m) still on ekonomiskt bistånd, avbrott;
* Grannen: 6 kvinnor from arbetssökande with arbetslöshetsersättning to studier with
  studiemedel, and 2 män without answers (annat).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.finance import actuals
from stegvis.finance import services as finance_services
from stegvis.finance.models import Actual, BudgetLine, Plan, ReportingPeriod
from stegvis.interventions.models import InterventionLine
from stegvis.participants.tests.factories import FollowUp, ParticipantFactory, follow_up

D = datetime.date


def exited(insats: Any, gender: str, count: int, **values: Any) -> None:
    with scopes_disabled():
        for _ in range(count):
            ParticipantFactory(
                intervention=insats,
                gender=gender,
                start=D(2024, 2, 1),
                exit=D(2024, 10, 1),
                **values,
            )


@pytest.fixture
def data(world: World) -> FollowUp:
    """The participants of the module's docstring."""
    data = follow_up(world)
    common = {"employment_at_start": "ingen sysselsättning"}
    for gender, working, idle in (("kvinna", 4, 3), ("man", 3, 2)):
        exited(
            data.insats,
            gender,
            working,
            outcome="arbete",
            employment_at_exit="arbete",
            support_at_exit=["lön"],
            **common,
        )
        exited(
            data.insats,
            gender,
            idle,
            outcome="avbrott",
            employment_at_exit="ingen sysselsättning",
            support_at_exit=["ekonomiskt bistånd"],
            **common,
        )
    with scopes_disabled():
        # 9 on ekonomiskt bistånd at start, 3 on sjukpenning.
        stegen = list(data.insats.participants.order_by("pk"))
        for index, person in enumerate(stegen):
            person.support_at_start = ["sjukpenning"] if index < 3 else ["ekonomiskt bistånd"]
            person.save()
    exited(
        data.neighbour,
        "kvinna",
        6,
        outcome="studier",
        employment_at_start="arbetssökande",
        employment_at_exit="studier",
        support_at_start=["arbetslöshetsersättning"],
        support_at_exit=["studiemedel"],
    )
    exited(data.neighbour, "man", 2, outcome="annat")
    return data


def sheet(workbook: Any, title: str) -> Any:
    """A sheet by its table's title (Excel keeps 31 characters, without ':')."""
    wanted = title.replace(":", "")[:31]
    return workbook[wanted]


def line(table: Any, label: str) -> list[Any]:
    for each in table.lines:
        if each.label == label:
            return [cell.value for cell in each.cells]
    raise AssertionError(f"no line {label!r} in {table.title}")


@dataclass
class Money:
    plan: Plan
    stegen: BudgetLine
    neighbour: BudgetLine
    periods: dict[str, ReportingPeriod]


def money(world: World, data: FollowUp) -> Money:
    """Budget 2024 (plan 2025): Stegen's line names it (1 200 000 kr a year), Grannen's
    is linked by a decision (600 000 kr in 2024); utfall of Stegen 350 000 kr to the end
    of tertial 1 and 1 100 000 kr for the year; Grannen has none."""
    with scopes_disabled():
        plan = finance_services.plan_create(
            actor=None, association=world.own, first_year=2024, last_year=2025
        )
        stegen = finance_services.budget_line_create(
            actor=None,
            plan=plan,
            side=BudgetLine.Side.COST,
            name="Stegen",
            category="individual",
            amounts={2024: 1_200_000, 2025: 1_200_000},
            intervention_name="Stegen",
        )
        neighbour = finance_services.budget_line_create(
            actor=None,
            plan=plan,
            side=BudgetLine.Side.COST,
            name="Grannens rad",
            category="individual",
            amounts={2024: 600_000},
        )
        InterventionLine.objects.create(
            association=world.own, intervention=data.neighbour, line=neighbour
        )
        periods = {each.code: each for each in actuals.periods_ensure(association=world.own)}
        for code, amount in (("t1", 350_000), ("year", 1_100_000)):
            Actual.objects.create(
                association=world.own, line=stegen, year=2024, period=periods[code], amount=amount
            )
    return Money(plan, stegen, neighbour, periods)
