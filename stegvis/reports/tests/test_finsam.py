"""Uppföljning Finsam: the figures equal the selectors' and a hand count, the Excel file
holds them in the register's order, participant counts are suppressed as in the
participant report, an empty förbund gets a file that says so, and the command line."""

from __future__ import annotations

import datetime
import io
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from stegvis.associations.models import Member
from stegvis.associations.tests.factories import MemberFactory
from stegvis.finance import actuals
from stegvis.finance import selectors as finance_selectors
from stegvis.finance import services as finance_services
from stegvis.finance.models import BudgetLine, Plan
from stegvis.interventions import selectors as intervention_selectors
from stegvis.interventions.models import (
    Intervention,
    InterventionLine,
    Kind,
    PlannedParticipants,
)
from stegvis.interventions.tests.factories import InterventionFactory, TargetGroupFactory
from stegvis.participants.models import AnonymousCount, Policy
from stegvis.participants.report import participants_report
from stegvis.participants.suppression import lone_hidden_groups, table_groups
from stegvis.participants.tests.factories import ParticipantFactory
from stegvis.reports.finsam import FinsamExporter, finsam_export, finsam_tables
from stegvis.reports.finsam.selectors import SUM, TOTAL
from stegvis.structural.models import Activity, ActivityAttendance, ActivityKind

YEAR = 2024
TODAY = datetime.date(2025, 3, 1)
GENDERS = ["kvinna", "man", "ej angivet"]


@dataclass
class Finsam:
    plan: Plan
    stegen: Intervention
    grannen: Intervention
    natverket: Intervention
    fk: Member
    region: Member
    kommun: Member


def _line(plan: Plan, name: str, category: str, amount: int, **extra: Any) -> BudgetLine:
    side = BudgetLine.Side.REVENUE if category == "contribution" else BudgetLine.Side.COST
    return finance_services.budget_line_create(
        actor=None,
        plan=plan,
        side=side,
        name=name,
        category=category,
        amounts={YEAR: amount, YEAR + 1: amount},
        **extra,
    )


def _participants(insats: Intervention, counts: dict[str, int]) -> None:
    for gender, number in counts.items():
        for _index in range(number):
            ParticipantFactory(intervention=insats, gender=gender)


def finsam_world(world: Any, *, actuals_until: str | None = "year") -> Finsam:
    """A förbund with a budget for 2024, its actuals, two individual insatser (one
    without budget, målgrupp or planned participants), a structural one whose cost line
    only names it, participants and a structural activity. Hand counts in the tests."""
    with scopes_disabled():
        own = world.own
        fk = MemberFactory(association=own, name="Försäkringskassan", kind="state")
        region = MemberFactory(association=own, name="Region Eget", kind="region")
        kommun = world.member
        plan = finance_services.plan_create(
            actor=None, association=own, first_year=YEAR, last_year=YEAR + 1, opening_equity=500_000
        )
        contributions = [
            _line(plan, "Försäkringskassan", "contribution", 1_000_000, member=fk),
            _line(plan, "Region Eget", "contribution", 500_000, member=region),
            _line(plan, "Egna kommun", "contribution", 500_000, member=kommun),
        ]
        kansli = _line(plan, "Kansli", "administration", 300_000)
        board = _line(plan, "Styrelse", "board", 50_000)
        stegen_line = _line(plan, "Stegen", "individual", 900_000)
        natverket_line = _line(
            plan, "Nätverket", "structural", 200_000, intervention_name="Nätverket"
        )
        unga = TargetGroupFactory(association=own, name="Unga vuxna 16–29 år")
        stegen: Intervention = InterventionFactory(
            association=own,
            name="Stegen",
            owner=kommun,
            status="ongoing",
            target_group=unga,
            focus="Arbetslivsinriktad rehabilitering",
            start=datetime.date(2023, 1, 1),
        )
        grannen: Intervention = InterventionFactory(
            association=own,
            name="Grannen",
            owner=region,
            status="granted",
            start=datetime.date(2024, 1, 1),
        )
        natverket: Intervention = InterventionFactory(
            association=own,
            name="Nätverket",
            owner=kommun,
            kind=Kind.STRUCTURAL,
            status="ongoing",
            target_group=unga,
            focus="Kompetens om psykisk ohälsa hos parternas personal",
            esf_funded=True,
        )
        # Neither of these is reported for 2024.
        InterventionFactory(association=own, name="Ansökt", owner=kommun, status="applied")
        InterventionFactory(
            association=own,
            name="Gammal",
            owner=kommun,
            status="closed",
            start=datetime.date(2020, 1, 1),
            end=datetime.date(2022, 12, 31),
        )
        InterventionLine.objects.create(association=own, intervention=stegen, line=stegen_line)
        PlannedParticipants.objects.create(
            association=own, intervention=stegen, year=YEAR, count=40
        )
        PlannedParticipants.objects.create(
            association=own, intervention=natverket, year=YEAR, count=60
        )
        _participants(stegen, {"kvinna": 7, "man": 6, "ej angivet": 1})
        AnonymousCount.objects.create(
            association=own, intervention=stegen, year=YEAR, gender="ej angivet", count=1
        )
        _participants(grannen, {"kvinna": 12, "man": 8})
        kind = ActivityKind.objects.create(association=own, name="Utbildning", code="utbildning")
        activity = Activity.objects.create(
            association=own,
            kind=kind,
            title="Psykisk ohälsa i arbetslivet",
            date=datetime.date(YEAR, 5, 14),
            organiser="Förbundet",
            intervention=natverket,
            other_participants=3,
        )
        ActivityAttendance.objects.create(
            association=own, activity=activity, member=kommun, participants=12
        )
        if actuals_until is not None:
            periods = {p.code: p for p in actuals.periods_ensure(association=own)}
            amounts = {
                **{line.pk: line.amounts.get(year=YEAR).amount for line in contributions},
                kansli.pk: 320_000,
                board.pk: 45_000,
                stegen_line.pk: 870_000,
                natverket_line.pk: 150_000,
            }
            actuals.actuals_record(
                actor=None, plan=plan, year=YEAR, period=periods[actuals_until], amounts=amounts
            )
        return Finsam(plan, stegen, grannen, natverket, fk, region, kommun)


def export_of(world: Any) -> Any:
    return finsam_export(association=world.own, year=YEAR, today=TODAY)


# ---------------------------------------------------------------------------
# The figures


def test_the_forbund_figures_are_the_hand_count_and_the_selectors(world: Any) -> None:
    data = finsam_world(world)
    export = export_of(world)
    # By hand: contributions 2 000 000; costs 1 450 000 budget, 1 385 000 actual.
    assert [(f.member, f.amount) for f in export.funds] == [
        ("Försäkringskassan", 1_000_000),
        ("Region Eget", 500_000),
        ("Egna kommun", 500_000),
    ]
    assert export.funds_total == 2_000_000
    assert export.opening_equity == 500_000
    assert export.closing_equity_budget == 500_000 + 2_000_000 - 1_450_000
    assert export.actuals_complete and export.period is not None and export.period.code == "year"
    assert export.closing_equity == 500_000 + 2_000_000 - 1_385_000
    assert (export.admin_budget, export.admin_actual) == (350_000, 365_000)

    with scopes_disabled():
        contributions = finance_selectors.contribution_table(data.plan)
        followup = actuals.followup(plan=data.plan, year=YEAR, period=export.period)
    index = contributions.years.index(YEAR)
    assert [f.amount for f in export.funds] == [
        row.cells[index].amount for row in contributions.members
    ]
    assert export.closing_equity == followup.closing_prognosis
    assert export.opening_equity == followup.opening_equity
    assert export.closing_equity_budget == followup.closing_budget
    admin = [g.total for g in followup.cost_groups if g.key in {"board", "administration"}]
    assert export.admin_budget == sum(f.budget for f in admin)
    assert export.admin_actual == sum(f.actual or 0 for f in admin)


def test_each_insats_has_inriktning_target_group_money_and_participants(world: Any) -> None:
    data = finsam_world(world)
    export = export_of(world)
    by_name = {item.name: item for item in export.interventions}
    # Granted insatser of the year, by name; applied and long-closed ones are left out.
    assert list(by_name) == ["Grannen", "Nätverket", "Stegen"]
    stegen, grannen, natverket = by_name["Stegen"], by_name["Grannen"], by_name["Nätverket"]
    assert (stegen.kind_label, stegen.target_group, stegen.planned) == (
        "Individinriktad",
        "Unga vuxna 16–29 år",
        40,
    )
    assert (stegen.budget, stegen.actual) == (900_000, 870_000)
    # Its linked line: the same budget as the insatser page.
    with scope(association=world.own):
        rows = intervention_selectors.intervention_rows(association=world.own, year=YEAR)
    assert {r.name: r.budget for r in rows}["Stegen"] == stegen.budget
    # A line that only names the insats still carries its money.
    assert (natverket.kind_label, natverket.budget, natverket.actual) == (
        "Strukturövergripande",
        200_000,
        150_000,
    )
    assert natverket.esf_funded and natverket.planned == 60
    # Structural: the participants of its activities, no kön.
    assert natverket.participants == {TOTAL: 15} and natverket.activities == 1
    assert (grannen.budget, grannen.actual, grannen.planned, grannen.target_group) == (
        None,
        None,
        None,
        "",
    )
    assert (export.budget_total, export.actual_total, export.planned_total) == (
        1_100_000,
        1_020_000,
        100,
    )
    missing = [(what, text) for what, text in export.missing if what == "Grannen"]
    assert [text.split(":")[0].split(" för")[0] for _what, text in missing] == [
        "Ingen budget",
        "Ingen målgrupp angiven",
        "Ingen preciserad inriktning beskriven på insatsen.",
        "Budgeterat antal deltagare",
    ]
    assert not [what for what, _text in export.missing if what in {"Stegen", "Nätverket"}]
    assert data.stegen.pk == stegen.intervention.pk


def test_participants_by_kon_are_suppressed_as_in_the_participant_report(world: Any) -> None:
    finsam_world(world)
    export = export_of(world)
    by_name = {item.name: item for item in export.interventions}
    # Stegen: 7 kvinnor, 6 män, 2 ej angivet (one anonymous). The 2 is hidden, and the
    # 6 with it so that it cannot be computed from the total 15.
    assert by_name["Stegen"].participants == {
        "kvinna": 7,
        "man": None,
        "ej angivet": None,
        TOTAL: 15,
    }
    assert by_name["Grannen"].participants == {"kvinna": 12, "man": 8, "ej angivet": 0, TOTAL: 20}
    # The sum is the förbund's row in its participant report, hidden where it is hidden.
    report = participants_report(association=world.own, year=YEAR)
    assert export.participants_total == report["counts"]["participants"]
    assert export.participants_total == {"kvinna": 19, "man": None, "ej angivet": None, TOTAL: 35}
    # No group that adds up holds a single hidden cell.
    individual = [i for i in export.interventions if not i.is_structural]
    shown: dict[tuple[Hashable, Hashable], int | None] = {
        (i.intervention.pk, c): i.participants[c] for i in individual for c in [*GENDERS, TOTAL]
    }
    shown.update({(SUM, c): export.participants_total[c] for c in [*GENDERS, TOTAL]})
    groups = table_groups(
        [i.intervention.pk for i in individual], GENDERS, total_column=TOTAL, total_row=SUM
    )
    assert lone_hidden_groups(shown, groups) == []
    assert [(h.where, h.column) for h in export.hidden] == [
        ("Stegen", "Man"),
        ("Stegen", "Ej angivet"),
        ("Summa", "Man"),
        ("Summa", "Ej angivet"),
    ]
    assert export.hidden[1].reason == "färre än 5 deltagare"
    assert export.hidden[0].reason.startswith("dold så att")


def test_the_forbund_minimum_cell_size_is_used(world: Any) -> None:
    finsam_world(world)
    with scopes_disabled():
        Policy.objects.create(association=world.own, min_cell=3)
    export = export_of(world)
    stegen = {item.name: item for item in export.interventions}["Stegen"]
    assert export.min_cell == 3
    assert stegen.participants == {"kvinna": 7, "man": None, "ej angivet": None, TOTAL: 15}
    with scopes_disabled():
        Policy.objects.filter(association=world.own).update(min_cell=2)
    stegen = {item.name: item for item in export_of(world).interventions}["Stegen"]
    assert stegen.participants == {"kvinna": 7, "man": 6, "ej angivet": 2, TOTAL: 15}


def test_an_earlier_period_gives_its_actuals_and_a_prognosis_for_the_equity(world: Any) -> None:
    data = finsam_world(world, actuals_until="t2")
    export = export_of(world)
    assert export.period is not None and export.period.code == "t2"
    assert not export.actuals_complete and not export.whole_year
    with scopes_disabled():
        followup = actuals.followup(plan=data.plan, year=YEAR, period=export.period)
    assert export.closing_equity == followup.closing_prognosis
    assert any("till och med Tertial 2" in text for _what, text in export.missing)
    table = finsam_tables(export)[0]
    labels = [row[1] for row in table.rows]
    assert "Utgående eget kapital 31 december 2024, prognos" in labels
    assert "Utfall 2024 till och med Tertial 2 (jan–aug)" in labels


def test_without_actuals_the_actual_cells_are_empty_and_listed(world: Any) -> None:
    finsam_world(world, actuals_until=None)
    export = export_of(world)
    assert export.period is None
    assert (export.admin_actual, export.closing_equity, export.actual_total) == (None, None, None)
    assert export.missing[0][0] == "Utfall"


# ---------------------------------------------------------------------------
# The workbook


def _sheet(book: Any, name: str) -> list[tuple[Any, ...]]:
    return list(book[name].iter_rows(values_only=True))


def test_the_excel_file_holds_the_figures_in_the_registers_order(world: Any) -> None:
    finsam_world(world)
    export = export_of(world)
    book = load_workbook(io.BytesIO(FinsamExporter(export).xlsx()))
    assert book.sheetnames == ["Förbundet", "Insatser", "Läs mig"]

    forbund = _sheet(book, "Förbundet")
    assert forbund[0] == ("Uppgift", "Post", "Belopp (kr)")
    assert [row[1:] for row in forbund[1:10]] == [
        ("Försäkringskassan (staten)", 1_000_000),
        ("Region Eget (region)", 500_000),
        ("Egna kommun (kommun)", 500_000),
        ("Summa tilldelade medel", 2_000_000),
        ("Ingående eget kapital 1 januari 2024", 500_000),
        ("Utgående eget kapital 31 december 2024, utfall", 1_115_000),
        ("Utgående eget kapital 31 december 2024 enligt budget", 1_050_000),
        ("Budget 2024", 350_000),
        ("Utfall 2024", 365_000),
    ]
    assert [row[0] for row in forbund[1:10]] == ["Tilldelade medel"] * 4 + ["Eget kapital"] * 3 + [
        "Administrativa kostnader"
    ] * 2
    assert book["Förbundet"]["C2"].number_format == "#,##0"

    insatser = _sheet(book, "Insatser")
    header = insatser[0]
    assert header[:2] == ("Insats", "Inriktning")
    assert header[9:] == (
        "Budget 2024 (kr)",
        "Utfall 2024 (kr)",
        "Budgeterat antal deltagare",
        "Deltagare kvinnor",
        "Deltagare män",
        "Deltagare, kön ej angivet",
        "Deltagare totalt",
    )
    rows = {row[0]: row for row in insatser[1:] if row[0]}
    stegen = rows["Stegen"]
    assert stegen[1:5] == (
        "Individinriktad",
        "Arbetslivsinriktad rehabilitering",
        "Unga vuxna 16–29 år",
        "Nej",
    )
    assert stegen[5] is None  # uppföljningsmetod: not in Stegvis
    assert stegen[7] == datetime.datetime(2023, 1, 1)  # a date, not text
    assert stegen[9:] == (900_000, 870_000, 40, 7, None, None, 15)
    assert rows["Nätverket"][4] == "Ja"
    assert rows["Nätverket"][9:] == (200_000, 150_000, 60, None, None, None, 15)
    assert rows["Grannen"][9:] == (None, None, None, 12, 8, 0, 20)
    assert rows["Summa"][9:] == (1_100_000, 1_020_000, 100, 19, None, None, 35)
    # Numbers are numbers.
    assert all(isinstance(v, int) for v in stegen[9:12])

    readme = _sheet(book, "Läs mig")
    sections = {row[0] for row in readme[1:] if row[0]}
    assert {"Om filen", "Förbundet", "Insatser", "Att fylla i", "Dolda antal"} <= sections
    hidden = [row[1] for row in readme if row[0] == "Dolda antal"]
    assert hidden == ["Stegen: Man", "Stegen: Ej angivet", "Summa: Man", "Summa: Ej angivet"]
    fill_in = [row[1] for row in readme if row[0] == "Att fylla i"]
    assert fill_in.count("Grannen") == 4 and "Uppföljningsmetod" in fill_in
    columns = [row[1] for row in readme if row[0] == "Insatser"]
    assert "Deltagare totalt" in columns and "Budgeterat antal deltagare" in columns


def test_the_excel_file_never_holds_a_hidden_count(world: Any) -> None:
    finsam_world(world)
    book = load_workbook(io.BytesIO(FinsamExporter(export_of(world)).xlsx()))
    stegen = next(row for row in _sheet(book, "Insatser") if row[0] == "Stegen")
    assert 6 not in stegen[12:] and 2 not in stegen[12:]


def test_an_empty_forbund_gets_a_file_that_says_so(world: Any) -> None:
    export = finsam_export(association=world.other, year=YEAR, today=TODAY)
    assert export.is_empty
    book = load_workbook(io.BytesIO(FinsamExporter(export).xlsx()))
    assert book.sheetnames == ["Förbundet", "Insatser", "Läs mig"]
    forbund = _sheet(book, "Förbundet")
    assert forbund[0] == ("Uppgift", "Post", "Belopp (kr)")
    assert any(row[0] and row[0].startswith("Inga uppgifter") for row in forbund[1:])
    insatser = _sheet(book, "Insatser")
    assert any(row[0] and row[0].startswith("Inga uppgifter") for row in insatser[1:])
    readme = _sheet(book, "Läs mig")
    assert any(row[0] == "Att fylla i" and row[1] == "Budget" for row in readme)
    assert any(row[0] and str(row[0]).startswith("Inga uppgifter") for row in readme)


# ---------------------------------------------------------------------------
# The page and the download


def test_the_page_shows_the_same_tables_and_the_download(world: Any, client_as: Any) -> None:
    finsam_world(world)
    response = client_as("reader").get(f"/f/eget/rapporter/uppfoljning-finsam/{YEAR}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Uppföljning Finsam 2024" in text
    assert "2\u00a0000\u00a0000" in text  # Summa tilldelade medel, Swedish grouping
    assert "1\u00a0115\u00a0000" in text
    assert "Grannen:</strong> Ingen budget för 2024" in text
    assert "Stegen, man: dold så att" in text
    assert f'href="/f/eget/rapporter/uppfoljning-finsam/{YEAR}.xlsx"' in text

    download = client_as("intervention_owner").get(
        f"/f/eget/rapporter/uppfoljning-finsam/{YEAR}.xlsx"
    )
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="eget-uppfoljning-finsam-2024.xlsx"' in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(download.content))
    assert _sheet(book, "Förbundet")[4][2] == 2_000_000


def test_an_empty_forbund_page_says_there_is_nothing(world: Any, client_as: Any) -> None:
    response = client_as("chief").get("/f/eget/rapporter/uppfoljning-finsam/2031/")
    assert response.status_code == 200
    assert "Inga uppgifter." in response.content.decode()


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_out_of_range_answers_404(world: Any, client_as: Any, year: int) -> None:
    assert (
        client_as("chief").get(f"/f/eget/rapporter/uppfoljning-finsam/{year}/").status_code == 404
    )


# ---------------------------------------------------------------------------
# The command line


def test_the_command_writes_the_same_workbook(world: Any, tmp_path: Path) -> None:
    finsam_world(world)
    path = tmp_path / "finsam.xlsx"
    out = io.StringIO()
    call_command(
        "report",
        "finsam-export",
        "Samordningsförbundet Eget",
        str(YEAR),
        "--output",
        str(path),
        stdout=out,
    )
    assert out.getvalue().startswith(
        f"{path}: Uppföljning Finsam 2024 för Samordningsförbundet Eget, 3 insatser."
    )
    book = load_workbook(path)
    expected = load_workbook(io.BytesIO(FinsamExporter(export_of(world)).xlsx()))
    for name in ["Förbundet", "Insatser"]:
        assert _sheet(book, name) == _sheet(expected, name)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Okänt förbund", "2024", "--output", "x.xlsx"], "Förbundet ”Okänt förbund” finns inte."),
        (["eget", "2024", "--output", "x.csv"], "Ange en fil som slutar på .xlsx."),
        (["eget", "24", "--output", "x.xlsx"], "Året ska skrivas ÅÅÅÅ, till exempel 2024."),
    ],
)
def test_the_command_refuses_with_exit_2(
    world: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    with pytest.raises(CommandError) as error:
        call_command("report", "finsam-export", *args)
    assert error.value.returncode == 2
    assert str(error.value) == message
