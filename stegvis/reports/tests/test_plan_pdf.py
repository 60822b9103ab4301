"""The verksamhetsplan as PDF: its figures are the selectors' figures, it builds for the
demo förbund and for a förbund with nothing, and a missing part is named, not faked.

The demo förbund Samspelet has the Värmland seed plan (Budget 2024 with plan för
2025–2026), the goal maps of 2024 and of this year, two insatser with synthetic
participants and the plan file's five insatser with their mätpunkter. Its pages are
saved under test-artifacts/reports/ (verksamhetsplan-N.png) to look at.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from stegvis.associations.models import Association
from stegvis.conftest import World
from stegvis.core.demo import demo_everything
from stegvis.core.templatetags.stegvis import number, percent, tkr
from stegvis.finance import selectors as finance
from stegvis.finance.models import BudgetLine, Plan
from stegvis.finance.services import budget_line_create, plan_create
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import Intervention
from stegvis.reports import services
from stegvis.reports.plan import plan_pdf, plan_report
from stegvis.reports.tests.pdf_support import pdf_pages, pdf_text, save_pages

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2023, 11, 24)
TEXTS = {
    "introduction": (
        "För att möta behoven av samverkan ger lagen om finansiell samordning möjlighet "
        "att bilda samordningsförbund.\n\n"
        "Varje parts ordinarie uppdrag:\n"
        "- Försäkringskassan: samordning för sjukpenning\n"
        "- Region Värmland: medicinsk rehabilitering"
    ),
    "mission": "Förbundet upptäcker organisatoriska mellanrum mellan parterna.",
    "organisation": "Samspelet leds av en styrelse med en förbundschef.",
    "target_group": "Kvinnor och män 16–64 år i en komplex situation.",
    "vision": "Alla får rätt stöd från rätt part i rätt tid.",
}


def plain(text: str) -> str:
    """PDF text with Swedish number spaces and the real minus as typed here."""
    return text.replace("\u00a0", " ").replace("\u2212", "-")


def flat(text: str) -> str:
    """Words in reading order: hyphenation at line ends undone, whitespace collapsed."""
    text = re.sub(r"[\u2010-]\n\s*", "", plain(text))
    return re.sub(r"\s+", " ", text)


def compact(text: str) -> str:
    """Without any space: pdftotext sometimes drops the narrow space after ≥."""
    return re.sub(r"\s", "", text)


def cells(text: str, label: str, after: str = "") -> list[str]:
    """The cells of the first table row that starts with `label` (after the line
    holding `after`, when given); columns are two or more spaces apart in
    pdftotext's layout."""
    lines = plain(text).splitlines()
    if after:
        lines = lines[next(i for i, line in enumerate(lines) if after in line) :]
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(label):
            return re.split(r"\s{2,}", stripped)[1:]
    raise AssertionError(f"no row {label!r}")


def samspelet() -> Association:
    demo_everything()
    with scopes_disabled():
        association = Association.objects.get(slug="samspelet")
        Plan.objects.filter(association=association, first_year=2024).update(decided_on=DECIDED)
    services.plan_texts_save(actor=None, association=association, year=2024, texts=TEXTS)
    return association


def test_the_demo_plan_prints_the_selectors_figures() -> None:
    association = samspelet()
    report = plan_report(association=association, year=2024)
    pdf = plan_pdf(report, printed=datetime.date(2026, 11, 25))
    save_pages(pdf, "verksamhetsplan")
    text = pdf_text(pdf)
    words = flat(text)

    # Title page: the förbund, the year, the budget's years and the board's decision.
    assert "Samordningsförbundet Samspelet" in text
    assert "Verksamhetsplan 2024" in words
    assert "Budget 2024 med plan för 2025–2026" in words
    assert "Fastställd av styrelsen 24 november 2023" in words
    assert "Sida 1 av" not in text  # no margins on the title page
    assert f"Sida 2 av {pdf_pages(pdf)}" in plain(text)

    # The texts, paragraphs and lists as written.
    for paragraph in (
        "För att möta behoven av samverkan ger lagen om finansiell samordning möjlighet "
        "att bilda samordningsförbund.",
        "• Försäkringskassan: samordning för sjukpenning",
        TEXTS["mission"],
        TEXTS["organisation"],
        TEXTS["target_group"],
        TEXTS["vision"],
    ):
        assert paragraph in words

    # Members and contributions: each member's amount per year, the totals.
    with scopes_disabled():
        plan = Plan.objects.get(association=association, first_year=2024)
    data = finance.plan_data(plan)
    contributions = finance.contribution_table(plan, data)
    for row in contributions.members:
        found = cells(text, row.label, after="Medlemsavgift per medlem")
        assert found[-4:-1] == [plain(number(cell.amount)) for cell in row.cells]
        assert found[-1] == plain(percent(row.cells[0].share))
    assert cells(text, "Summa medlemsavgifter")[:3] == [
        plain(number(cell.amount)) for cell in contributions.totals
    ]
    assert plain(number(contributions.totals[0].amount)) == "10 028 000"
    # Arbetsförmedlingen pays nothing itself: Försäkringskassan pays the state's half.
    assert cells(text, "Arbetsförmedlingen", after="Medlemsavgift per medlem")[1:] == [
        "–",
        "–",
        "–",
        "–",
    ]

    # The budget: every figure of the budget table's totals, in tkr.
    table = finance.budget_table(plan, data)
    by_label = {row.label: row for section in table.sections for row in section.rows}
    for label in (
        "Summa intäkter",
        "Medel att disponera",
        "Summa kostnader",
        "Utgående eget kapital",
        "Ej budgeterat",
    ):
        expected = [plain(tkr(cell.amount)) for cell in by_label[label].cells]
        assert cells(text, label)[:3] == expected, label
    assert cells(text, "Medel att disponera")[:3] == ["12 106", "11 127", "12 438"]
    assert cells(text, "Summa kostnader")[:3] == ["11 151", "8 825", "8 450"]
    # Each finding of the rules, with its message.
    assert table.findings
    for finding in table.findings:
        assert flat(finding.message) in words
    # The chart's numbers beside it.
    for figure in table.figures:
        assert cells(text, str(figure.year), after="Diagrammets siffror")[:3] == [
            plain(tkr(figure.revenues)),
            plain(tkr(figure.costs)),
            plain(tkr(figure.closing_equity)),
        ]

    # The goal map: every goal, and every indicator with its target.
    assert report.goal_map is not None
    for section in report.goal_map.sections:
        assert section.name in text
        for goal_row in section.goals:
            assert flat(goal_row.goal.text) in words
            for row in goal_row.indicators:
                assert " ".join(row.indicator.text.split()[:3]) in words
                if row.target:
                    assert compact(row.target) in compact(text)

    # The insatser with their budget and mätpunkter.
    names = [entry.name for group in report.insatser.groups for entry in group.entries]
    assert names == [
        "LärvuxLärling",
        "Stegen Karlstad",
        "Stegen Kristinehamn",
        "Tillitsbyrån Grums",
        "TRIS Karlstad",
    ]
    for group in report.insatser.groups:
        for entry in group.entries:
            assert entry.name in text
            found = cells(text, entry.name, after="Insatserna i korthet")
            assert found[-3:] == [plain(tkr(amount)) for amount in entry.budget]
            for measure in entry.measures:
                assert " ".join(measure.text.split()[:4]) in words
                if measure.target:
                    assert compact(measure.target) in compact(text)
    stegen = next(
        e for g in report.insatser.groups for e in g.entries if e.name == "Stegen Karlstad"
    )
    assert [m.target for m in stegen.measures][:2] == ["≥\u00a0120", "≥\u00a0100,0\u00a0%"]
    assert cells(text, "Summa insatser") == [plain(tkr(total)) for total in report.insatser.totals]

    # Nothing left out but the texts' optional section.
    assert report.notes == []
    assert "Inte med i dokumentet" not in text


def test_a_förbund_with_nothing_gets_a_pdf_that_says_so(world: World) -> None:
    report = plan_report(association=world.own, year=2026)
    assert report.empty
    pdf = plan_pdf(report)
    save_pages(pdf, "vp-tomt")
    words = flat(pdf_text(pdf))
    assert "Inga uppgifter" in words
    assert (
        "Samordningsförbundet Eget har inga uppgifter i Stegvis för verksamhetsplanen 2026" in words
    )
    assert "Ingen målkarta för 2026." in words
    assert "Ingen budget för 2026" in words
    assert "Inte fastställd av styrelsen" in words
    assert pdf_pages(pdf) == 2


def test_a_missing_part_is_left_out_and_named() -> None:
    """2025 is a plan year of Budget 2024 and has no goal map of its own."""
    association = samspelet()
    report = plan_report(association=association, year=2025)
    assert report.plan is not None and report.plan.first_year == 2024
    assert report.goal_map is None
    words = flat(pdf_text(plan_pdf(report)))
    assert "Inte med i dokumentet" in words
    assert "Ingen målkarta för 2025." in words
    assert "Inga texter är skrivna för 2025." in words
    assert "Målkarta 2025" not in words
    assert "2025 är ett planår i budget 2024 med plan för 2025–2026" in words
    # The budget is still the one 2025 is followed up against.
    assert "Medel att disponera 12 106 11 127 12 438" in words


def test_mätpunkter_kept_in_stegvis_replace_those_of_the_plan_file() -> None:
    association = samspelet()
    with scopes_disabled():
        stegen = Intervention.objects.get(association=association, name="Stegen Kristinehamn")
        intervention_services.target_add(
            actor=None,
            intervention=stegen,
            text="Minst 75 deltagare under 2024",
            metric="participants",
            op=">=",
            value=Decimal(75),
            year=2024,
        )
    report = plan_report(association=association, year=2024)
    entry = next(
        e for g in report.insatser.groups for e in g.entries if e.name == "Stegen Kristinehamn"
    )
    assert [(m.text, m.target, m.year) for m in entry.measures] == [
        ("Minst 75 deltagare under 2024", "≥\u00a075", 2024)
    ]
    # The budget stays the plan's cost line for the insats.
    assert entry.budget == [2_350_000, 1_900_000, 1_900_000]


def _long_plan(world: World) -> Plan:
    with scopes_disabled():
        plan = plan_create(
            actor=None,
            association=world.own,
            first_year=2025,
            last_year=2030,
            opening_equity=800_000,
        )
        member = world.member
        budget_line_create(
            actor=None,
            plan=plan,
            side=BudgetLine.Side.REVENUE,
            name="Avgift Egna kommun",
            category="contribution",
            member=member,
            amounts=dict.fromkeys(plan.years, 2_000_000),
        )
        budget_line_create(
            actor=None,
            plan=plan,
            side=BudgetLine.Side.COST,
            name="Kansli",
            category="administration",
            amounts=dict.fromkeys(plan.years, 1_900_000),
        )
    return plan


def _page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    import subprocess

    result = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "99", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    sizes = []
    for line in result.stdout.decode().splitlines():
        found = re.match(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", line)
        if found:
            sizes.append((float(found[1]), float(found[2])))
    return sizes


def test_a_budget_of_many_years_is_printed_on_a_landscape_page(world: World) -> None:
    _long_plan(world)
    report = plan_report(association=world.own, year=2025)
    assert report.landscape_budget
    pdf = plan_pdf(report)
    save_pages(pdf, "vp-liggande")
    sizes = _page_sizes(pdf)
    assert sizes[0][0] < sizes[0][1]  # the title page stands
    assert any(width > height for width, height in sizes)
    text = pdf_text(pdf)
    assert cells(text, "Summa kostnader")[:6] == ["1 900"] * 6
    # A contribution split that is not 50/25/25 is flagged, in the table and the findings.
    assert "avviker" in text
    assert "Medlemsavgifterna fördelas inte 50/25/25" in flat(text)
