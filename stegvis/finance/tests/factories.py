"""Plans for the Ekonomi tests: the Samspelet seed plan as a document, and a small
plan in the `world` fixture's förbund."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django_scopes import scopes_disabled

from stegvis.associations.models import Association
from stegvis.finance import budget, services
from stegvis.finance.models import BudgetLine, Plan
from stegvis.plans.document import (
    DocContributions,
    DocLine,
    DocMember,
    DocRules,
    PlanDocument,
)

YEARS = [2024, 2025, 2026]


def tkr(*values: int | None) -> dict[int, int]:
    return {
        year: value * 1000 for year, value in zip(YEARS, values, strict=False) if value is not None
    }


def samspelet_document(name: str = "Samordningsförbundet Samspelet") -> PlanDocument:
    """`shared/seeds/003_…`: Budget 2024 with plan 2025–2026, in tkr."""
    return PlanDocument(
        association=name,
        members=[
            DocMember("Försäkringskassan", "state"),
            DocMember("Arbetsförmedlingen", "state"),
            DocMember("Region Värmland", "region"),
            DocMember("Karlstads kommun", "municipality", 95_900),
            DocMember("Hammarö kommun", "municipality", 17_000),
            DocMember("Grums kommun", "municipality", 8_950),
            DocMember("Kristinehamns kommun", "municipality", 24_000),
        ],
        years=list(YEARS),
        unit="tkr",
        # 1 034 + 700 buffer + 200 preliminary surplus 2023.
        opening_equity=1_934_000,
        contributions=DocContributions(total=tkr(10_028, 10_028, 10_028)),
        rules=DocRules(
            tiers=[budget.Tier(rate=Decimal("0.20"))],
            equity_cap_base="contributions",
            equity_min=700_000,
        ),
        revenues=[DocLine("ESF", "grant", tkr(144, 144, 108))],
        costs=[
            DocLine("Administration", "administration", tkr(1_350, 1_350, 1_350)),
            DocLine("Processtöd", "competence", tkr(460, 600, 600)),
            DocLine("Styrelse o revision", "board", tkr(250, 250, 250)),
            DocLine("Kompetensutveckling", "competence", tkr(200, 200, 200)),
            DocLine("Jämställdhet", "structural", tkr(50, 50, 50)),
            DocLine(
                "Stegen Karlstad",
                "individual",
                tkr(4_100, 4_100, 4_100),
                intervention="Stegen Karlstad",
            ),
            DocLine("Stegen Kristinehamn", "individual", tkr(2_350, 1_900, 1_900)),
            DocLine("TRIS Karlstad", "structural", tkr(1_200, 0, 0)),
            DocLine("Tillitsbyrå", "structural", tkr(500, 375, 0)),
            DocLine("Lärlingsutbildning", "individual", tkr(691, 0, 0), unit="kr"),
        ],
        interventions=[{"name": "Stegen Karlstad", "kind": "individual"}],
        goals=[{"perspective": "Ekonomi", "text": "God ekonomisk hushållning"}],
    )


def store(
    association: Association, document: PlanDocument | None = None, actor: Any = None
) -> Plan:
    with scopes_disabled():
        return services.plan_store(
            actor=actor, association=association, document=document or samspelet_document()
        )


def plan_for(world: Any) -> Plan:
    """The own förbund's plan (made on first use): a small budget with one cost line."""
    with scopes_disabled():
        plan = world.own.plans.filter(first_year=2024).first()
        if plan is None:
            plan = services.plan_create(
                actor=None,
                association=world.own,
                first_year=2024,
                last_year=2025,
                opening_equity=500_000,
            )
            services.budget_line_create(
                actor=None,
                plan=plan,
                side=BudgetLine.Side.COST,
                name="Kansli",
                category="administration",
                amounts={2024: 300_000, 2025: 300_000},
            )
        return plan


def line_of(world: Any) -> BudgetLine:
    with scopes_disabled():
        return plan_for(world).lines.get(name="Kansli")


def other_line(world: Any) -> BudgetLine:
    with scopes_disabled():
        return other_plan(world).lines.get()


def other_plan(world: Any) -> Plan:
    """A plan of the other förbund, for the 404 tests."""
    with scopes_disabled():
        plan = world.other.plans.filter(first_year=2024).first()
        if plan is None:
            plan = services.plan_create(
                actor=None, association=world.other, first_year=2024, last_year=2024
            )
            services.budget_line_create(
                actor=None,
                plan=plan,
                side=BudgetLine.Side.COST,
                name="Annat kansli",
                category="administration",
                amounts={2024: 100_000},
            )
        return plan
