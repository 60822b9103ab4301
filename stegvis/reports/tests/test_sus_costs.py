"""The cost report (/rapporter/kostnadsrapport/): funds by source (staten, region,
kommuner, ESF, övrigt), the insatser's costs against budget with the
ESF-medfinansierade apart, administrative costs against the rule; the page, PDF and
Excel agree with the report; a förbund without a budget says so."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from stegvis.associations.models import Member
from stegvis.associations.tests.factories import MemberFactory
from stegvis.conftest import World
from stegvis.finance import actuals
from stegvis.finance import services as finance_services
from stegvis.finance.models import Actual, BudgetLine, Plan
from stegvis.goals.periods import period_from_code, year_period
from stegvis.interventions.models import Intervention, InterventionLine
from stegvis.interventions.tests.factories import InterventionFactory
from stegvis.reports.sus.costs import CostsReport, costs_report, revenue_source
from stegvis.reports.tests.pdf_support import pdf_text, save_pages
from stegvis.reports.tests.test_sus_support import line, sheet

URL = "/f/eget/rapporter/kostnadsrapport/"
NBSP = "\u00a0"


@dataclass
class Budget:
    plan: Plan


@pytest.fixture
def budget(world: World) -> Budget:
    """Budget 2024 (plan 2025) in kronor, with utfall for the year:

    revenues: medlemsavgift staten 1 000 000 (utfall 1 000 000), region 500 000,
    kommunen 500 000, ESF-bidrag 200 000 (utfall 150 000), another bidrag 50 000,
    ränta 10 000;
    costs: administration 300 000 (utfall 280 000), styrelse 100 000, lokaler 60 000,
    kompetensutveckling 40 000, Stegen 900 000 (names its insats; utfall 950 000),
    ESF-steget 400 000 (linked to an ESF-medfinansierad insats), Samverkansdagar
    100 000 (structural, no insats)."""
    with scopes_disabled():
        state = MemberFactory(association=world.own, name="Försäkringskassan", kind="state")
        region = MemberFactory(association=world.own, name="Region Eget", kind=Member.Kind.REGION)
        owner = world.member
        InterventionFactory(association=world.own, owner=owner, name="Stegen")
        esf: Intervention = InterventionFactory(
            association=world.own, owner=owner, name="ESF-steget", esf_funded=True
        )
        plan = finance_services.plan_create(
            actor=None, association=world.own, first_year=2024, last_year=2025
        )
        lines: dict[str, BudgetLine] = {}

        def add(side: str, name: str, category: str, amount: int, **extra: Any) -> None:
            lines[name] = finance_services.budget_line_create(
                actor=None,
                plan=plan,
                side=side,
                name=name,
                category=category,
                amounts={2024: amount, 2025: amount},
                **extra,
            )

        revenue, cost = BudgetLine.Side.REVENUE, BudgetLine.Side.COST
        add(revenue, "Medlemsavgift staten", "contribution", 1_000_000, member=state)
        add(revenue, "Medlemsavgift region", "contribution", 500_000, member=region)
        add(revenue, "Medlemsavgift kommunen", "contribution", 500_000, member=owner)
        add(revenue, "ESF Lärande och utveckling", "grant", 200_000)
        add(revenue, "Länsstyrelsens bidrag", "grant", 50_000)
        add(revenue, "Ränta", "other", 10_000)
        add(cost, "Administration", "administration", 300_000)
        add(cost, "Styrelse", "board", 100_000)
        add(cost, "Lokaler", "premises", 60_000)
        add(cost, "Kompetens", "competence", 40_000)
        add(cost, "Stegen", "individual", 900_000, intervention_name="Stegen")
        add(cost, "Det ESF-finansierade steget", "individual", 400_000)
        add(cost, "Samverkansdagar", "structural", 100_000)
        InterventionLine.objects.create(
            association=world.own, intervention=esf, line=lines["Det ESF-finansierade steget"]
        )
        periods = {each.code: each for each in actuals.periods_ensure(association=world.own)}
        for name, amount in (
            ("Medlemsavgift staten", 1_000_000),
            ("ESF Lärande och utveckling", 150_000),
            ("Administration", 280_000),
            ("Stegen", 950_000),
        ):
            Actual.objects.create(
                association=world.own,
                line=lines[name],
                year=2024,
                period=periods["year"],
                amount=amount,
            )
    return Budget(plan)


def year_report(world: World) -> CostsReport:
    return costs_report(association=world.own, year=2024, period=year_period(2024), charts=False)


def test_funds_by_source(world: World, budget: Budget) -> None:
    report = year_report(world)
    assert report.sources is not None
    # Budget, utfall, share of budget, prognosis, share of revenues.
    assert line(report.sources, "Staten") == [1_000_000, 1_000_000, 1.0, 1_000_000, 0.4425]
    assert line(report.sources, "Region") == [500_000, None, None, 500_000, 0.2212]
    assert line(report.sources, "Kommuner") == [500_000, None, None, 500_000, 0.2212]
    assert line(report.sources, "ESF") == [200_000, 150_000, 0.75, 150_000, 0.0885]
    assert line(report.sources, "Övrigt") == [60_000, None, None, 60_000, 0.0265]
    assert line(report.sources, "Summa intäkter") == [
        2_260_000,
        1_150_000,
        0.5088,
        2_210_000,
        1.0,
    ]
    assert report.revenue_lines is not None
    assert [each.label for each in report.revenue_lines.lines] == [
        "Staten",
        "Medlemsavgift staten",
        "Region",
        "Medlemsavgift region",
        "Kommuner",
        "Medlemsavgift kommunen",
        "ESF",
        "ESF Lärande och utveckling",
        "Övrigt",
        "Länsstyrelsens bidrag",
        "Ränta",
    ]
    assert report.sources_by_year is not None
    assert report.sources_by_year.columns == ["2024", "2025"]
    assert line(report.sources_by_year, "ESF") == [200_000, 200_000]


def test_insatser_with_esf_apart(world: World, budget: Budget) -> None:
    report = year_report(world)
    table = report.interventions
    assert table is not None
    assert [each.label for each in table.lines] == [
        "Insatser utan ESF-medfinansiering",
        "Stegen",
        "Summa utan ESF",
        "ESF-medfinansierade insatser",
        "ESF-steget",
        "Summa ESF-medfinansierade",
        "Övriga insatskostnader (inte knutna till en insats)",
        "Samverkansdagar",
        "Summa insatser",
    ]
    # Budget, utfall, share of budget, prognosis, deviation.
    assert line(table, "Stegen") == [900_000, 950_000, 1.0556, 950_000, 50_000]
    assert line(table, "ESF-steget") == [400_000, None, None, 400_000, 0]
    assert line(table, "Summa insatser") == [1_400_000, 950_000, 0.6786, 1_450_000, 50_000]
    assert "(200 tkr 2024)" in table.note.replace(NBSP, " ")


def test_administrative_costs_against_the_rule(world: World, budget: Budget) -> None:
    report = year_report(world)
    assert report.admin is not None and report.admin_share is not None
    assert [each.label for each in report.admin.lines] == [
        "Styrelse",
        "Kansli/administration",
        "Lokaler",
        "Summa administration",
        "Kostnader totalt",
    ]
    assert line(report.admin, "Summa administration") == [460_000, 280_000, 0.6087, 440_000]
    assert line(report.admin, "Kostnader totalt")[0] == 1_900_000
    # Budget 460/1 900, utfall 280/1 230, prognosis 440/1 930, the rule 15 %.
    assert line(report.admin_share, "Administration av kostnaderna") == [
        0.2421,
        0.2276,
        0.228,
        0.15,
    ]


def test_a_tertial_without_utfall_shows_the_budget(world: World, budget: Budget) -> None:
    tertial = period_from_code(association=world.own, code="2024-t1")
    report = costs_report(association=world.own, year=2024, period=tertial, charts=False)
    assert not report.has_actuals
    assert report.sources is not None
    assert line(report.sources, "Staten")[:2] == [1_000_000, None]


def test_page_pdf_and_excel_show_the_reports_figures(
    world: World, budget: Budget, client_as: Any
) -> None:
    query = "?year=2024&period=helar"
    client = client_as("reader")
    page = client.get(URL + query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kostnadsrapport: Helår 2024" in html
    assert f"2{NBSP}260" in html  # revenues, tkr
    assert f"44,3{NBSP}%" in html  # the state's share
    assert "ESF-medfinansierade insatser" in html

    pdf = client.get(URL + "rapport.pdf" + query)
    assert pdf.status_code == 200
    save_pages(pdf.content, "sus-kostnader")
    text = " ".join(pdf_text(pdf.content).split())
    assert "Staten 1 000 1 000 100,0 % 1 000 44,3 %" in text
    assert "ESF 200 150 75,0 % 150 8,9 %" in text
    assert "Stegen 900 950 105,6 % 950 50" in text
    assert "Summa administration 460 280 60,9 % 440" in text

    workbook = load_workbook(io.BytesIO(client.get(URL + "export.xlsx" + query).content))
    sources = sheet(workbook, "Medel per källa (kr)")
    rows = {row[0]: list(row[1:]) for row in sources.iter_rows(min_row=2, values_only=True)}
    assert rows["Staten"] == [1_000_000, 1_000_000, 1.0, 1_000_000, 0.4425]
    insatser = sheet(workbook, "Insatsernas kostnader (kr)")
    rows = {row[0]: list(row[1:]) for row in insatser.iter_rows(min_row=2, values_only=True)}
    assert rows["ESF-steget"] == [400_000, None, None, 400_000, 0]


def test_a_forbund_without_a_budget_says_there_is_nothing(world: World, client_as: Any) -> None:
    client = client_as("chief")
    page = client.get(URL)
    assert page.status_code == 200
    assert "Inga uppgifter" in page.content.decode()
    assert "Det finns ingen budget" in pdf_text(client.get(URL + "rapport.pdf").content)
    workbook = load_workbook(io.BytesIO(client.get(URL + "export.xlsx").content))
    assert workbook.sheetnames == ["Kostnadsrapport"]
    csv = client.get(URL + "export.csv").content.decode("utf-8-sig")
    assert "Inga uppgifter" in csv


@pytest.mark.parametrize(
    ("category", "name", "kind", "source"),
    [
        ("contribution", "Medlemsavgift FK", "state", "state"),
        ("contribution", "Medlemsavgift", None, "other"),
        ("grant", "ESF Lärande och utveckling FINSAM", None, "esf"),
        ("grant", "Europeiska socialfonden+", None, "esf"),
        ("grant", "Bidrag från länsstyrelsen", None, "other"),
        ("other", "ESF-ränta", None, "other"),
    ],
)
def test_revenue_source(category: str, name: str, kind: str | None, source: str) -> None:
    assert revenue_source(category=category, name=name, member_kind=kind) == source
