"""Test data for the actuals tests and the permission matrix (no tests here).

Plans and lines are written straight to the models: the actuals do not depend on
how a budget was entered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import factory
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Association
from stegvis.associations.tests.factories import AssociationFactory
from stegvis.audit.models import AuditEntry
from stegvis.finance import actuals
from stegvis.finance.models import BudgetAmount, BudgetLine, Plan, ReportingPeriod


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    association = factory.SubFactory(AssociationFactory)
    first_year = 2024
    last_year = 2026
    unit = "tkr"
    opening_equity = 500_000


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    plan = factory.SubFactory(PlanFactory)
    association = factory.SelfAttribute("plan.association")
    side = BudgetLine.Side.COST
    name = factory.Sequence(lambda n: f"Kostnad {n}")
    category = BudgetLine.Category.ADMINISTRATION
    position = factory.Sequence(lambda n: n)


# (side, category, name, budget 2024 in kronor): a small förbund's year.
LINES: list[tuple[str, str, str, int]] = [
    ("revenue", "contribution", "Medlemsavgifter", 2_400_000),
    ("revenue", "grant", "ESF", 120_000),
    ("cost", "administration", "Administration", 1_200_000),
    ("cost", "board", "Styrelse o revision", 240_000),
    ("cost", "individual", "Stegen Karlstad", 600_000),
    ("cost", "individual", "Lärlingsutbildning", 300_000),
    ("cost", "structural", "Processtöd", 180_000),
]


def make_plan(
    association: Association,
    *,
    lines: Sequence[tuple[str, str, str, int]] = LINES,
    first_year: int = 2024,
    last_year: int = 2026,
    opening_equity: int = 500_000,
) -> Plan:
    """A plan with the lines' budgets in the first year (and the same in later years)."""
    plan: Plan = PlanFactory(
        association=association,
        first_year=first_year,
        last_year=last_year,
        opening_equity=opening_equity,
    )
    for position, (side, category, name, amount) in enumerate(lines):
        line: BudgetLine = BudgetLineFactory(
            plan=plan, side=side, category=category, name=name, position=position
        )
        for year in plan.years:
            BudgetAmount.objects.create(
                association=association, line=line, year=year, amount=amount
            )
    return plan


def line(plan: Plan, name: str) -> BudgetLine:
    with scopes_disabled():
        return plan.lines.get(name=name)


def period(association: Association, code: str) -> ReportingPeriod:
    with scopes_disabled():
        return ReportingPeriod.objects.get(association=association, code=code)


def audit_entries(**filters: Any) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(**filters).order_by("id"))


@dataclass
class ActualsData:
    plan: Plan
    line: BudgetLine
    period: ReportingPeriod
    other_plan: Plan
    other_line: BudgetLine


def actuals_data(world: Any) -> ActualsData:
    """A 2024 plan in both förbund of the shared `world`, and their periods; made
    once per world (the permission matrix asks for it once per URL)."""
    with scopes_disabled():
        if not Plan.objects.filter(association=world.own).exists():
            for association in (world.own, world.other):
                with scope(association=association):
                    make_plan(association)
                    actuals.periods_ensure(association=association)
        plan = Plan.objects.get(association=world.own)
        other_plan = Plan.objects.get(association=world.other)
        return ActualsData(
            plan=plan,
            line=line(plan, "Administration"),
            period=period(world.own, "t1"),
            other_plan=other_plan,
            other_line=line(other_plan, "Administration"),
        )


def actuals_path(world: Any, rest: str) -> str:
    """/f/<own>/ekonomi/utfall/<rest>, with {line} and {period} filled in from
    `actuals_data` (which this makes first)."""
    data = actuals_data(world)
    rest = rest.format(line=data.line.pk, period=data.period.pk, other_line=data.other_line.pk)
    return f"/f/{world.own.slug}/ekonomi/utfall/{rest}"
