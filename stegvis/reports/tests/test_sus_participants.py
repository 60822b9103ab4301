"""The participant report, SUS-style (/rapporter/deltagarrapport/): försörjning and
sysselsättning before → after with the change in number and %, computed by hand; the
comparison by insats suppressed as a group; any period; the page, the PDF and the
Excel file show the report's own figures; an empty förbund says so."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django_scopes import scopes_disabled
from openpyxl import load_workbook

from stegvis.conftest import World
from stegvis.goals.metrics import participant_counts
from stegvis.goals.periods import range_period, year_period
from stegvis.interventions.tests.factories import InterventionFactory
from stegvis.participants.report import year_counts
from stegvis.participants.suppression import lone_hidden_groups
from stegvis.participants.tests.factories import FollowUp, ParticipantFactory
from stegvis.reports.sus.participants import (
    KEY_FIELDS,
    participants_report,
    period_year_counts,
)
from stegvis.reports.tests import test_sus_support as support
from stegvis.reports.tests.pdf_support import pdf_text, save_pages
from stegvis.reports.tests.test_sus_support import exited, line, sheet

data = support.data  # the fixture

D = datetime.date
NBSP = "\u00a0"
MINUS = "\u2212"
URL = "/f/eget/rapporter/deltagarrapport/"


def test_before_and_after_with_the_change_in_number_and_percent(
    world: World, data: FollowUp
) -> None:
    report = participants_report(
        association=world.own, period=year_period(2024), intervention=data.insats, min_cell=5
    )
    employment = report.employment.before_after
    # Kvinna, man, ej angivet, totalt at start; the same at exit; change, %.
    assert line(employment, "Ingen sysselsättning") == [7, 5, 0, 12, None, None, 0, 5, -7, -0.5833]
    assert line(employment, "Arbete") == [0, 0, 0, 0, None, None, 0, 7, 7, None]
    support = report.support.before_after
    assert line(support, "Ekonomiskt bistånd")[3] == 9
    assert line(support, "Ekonomiskt bistånd")[7] == 5
    assert line(support, "Ekonomiskt bistånd")[8:] == [-4, -0.4444]
    assert line(support, "Lön")[7:9] == [7, 7]
    assert line(support, "Sjukpenning")[3] is None  # 3 people: not shown, nor its change
    assert line(support, "Sjukpenning")[8:] == [None, None]
    # The flow: all 12 came from no work, 7 went to work.
    assert line(report.employment.flow, "Ingen sysselsättning")[0] == 7  # → Arbete
    assert line(report.employment.flow, "Summa")[-1] == 12


def test_key_figures_per_insats_and_for_the_forbund(world: World, data: FollowUp) -> None:
    report = participants_report(
        association=world.own, period=year_period(2024), intervention=None, min_cell=1
    )
    table = report.by_intervention
    # Deltagare, påbörjade, avslutade, stegförflyttning, arbete/studier start, exit,
    # change, offentlig försörjning start, exit, change.
    assert line(table, "Stegen") == [12, 12, 12, 0.5833, 0.0, 0.5833, 0.5833, 1.0, 0.4167, -0.5833]
    assert line(table, "Grannen") == [8, 8, 8, 0.75, 0.0, 0.75, 0.75, 0.75, 0.0, -0.75]
    assert line(table, "Hela förbundet")[:3] == [20, 20, 20]
    assert line(table, "Hela förbundet")[5] == 0.65  # 13 of 20 in work or studies


def test_comparison_by_insats_is_suppressed_as_a_group(world: World, data: FollowUp) -> None:
    with scopes_disabled():
        small = InterventionFactory(association=world.own, owner=data.kommun, name="Lilla")
    exited(small, "kvinna", 3, outcome="arbete")
    report = participants_report(
        association=world.own, period=year_period(2024), intervention=None, min_cell=5
    )
    table = report.by_intervention
    assert line(table, "Lilla")[2] is None  # 3 exited: hidden
    assert line(table, "Grannen")[2] is None  # the smallest other: hidden with it
    assert line(table, "Stegen")[2] == 12
    assert line(table, "Hela förbundet")[2] == 23
    assert line(table, "Grannen")[3] is None  # its shares go with its count
    # No column holds exactly one hidden count.
    columns = [0, 1, 2]
    shown = {
        (row, column): each.cells[column].value
        for row, each in enumerate(table.lines)
        for column in columns
    }
    groups = [[(row, column) for row in range(len(table.lines))] for column in columns]
    assert lone_hidden_groups(shown, groups) == []
    assert table.has_hidden


def test_a_full_year_counts_as_the_participant_report_and_a_tertial_counts_its_months(
    world: World, data: FollowUp
) -> None:
    with scopes_disabled():
        ParticipantFactory(intervention=data.insats, start=D(2024, 5, 2))  # after tertial 1
        ParticipantFactory(intervention=data.insats, start=D(2023, 3, 1), exit=D(2024, 3, 31))
    counts = participant_counts(association=world.own, period=year_period(2024))
    assert (
        period_year_counts(counts, None).counts
        == year_counts(association=world.own, year=2024).counts
    )
    assert (
        period_year_counts(counts, data.insats.pk).counts
        == year_counts(association=world.own, year=2024, intervention=data.insats).counts
    )

    tertial = range_period(D(2024, 1, 1), D(2024, 4, 30))
    report = participants_report(
        association=world.own, period=tertial, intervention=data.insats, min_cell=1
    )
    assert report.figures.participants == 13  # the 12 and the one who left in March
    assert report.figures.exited == 1
    assert report.counts.lines[0].label == "Deltagare under perioden"


def test_years_compare_the_same_period(world: World, data: FollowUp) -> None:
    with scopes_disabled():
        for _ in range(5):
            ParticipantFactory(
                intervention=data.insats, start=D(2023, 1, 5), exit=D(2023, 6, 1), outcome="flytt"
            )
    report = participants_report(
        association=world.own, period=year_period(2024), intervention=data.insats, min_cell=5
    )
    assert [each.label for each in report.by_year.lines] == ["Helår 2023", "Helår 2024"]
    assert line(report.by_year, "Helår 2023")[2:4] == [5, 0.0]
    assert line(report.by_year, "Helår 2024")[2:4] == [12, 0.5833]


def test_page_pdf_and_excel_show_the_reports_figures(
    world: World, data: FollowUp, client_as: Any
) -> None:
    query = f"?year=2024&period=helar&insats={data.insats.pk}"
    client = client_as("reader")
    page = client.get(URL + query)
    assert page.status_code == 200
    report = page.context["report"]
    assert report.intervention == data.insats
    html = page.content.decode()
    assert "Deltagarrapport: Stegen" in html
    assert f"{MINUS}58,3{NBSP}%" in html  # ingen sysselsättning 12 → 5
    assert f"{MINUS}44,4{NBSP}%" in html  # ekonomiskt bistånd 9 → 5
    assert f"+58,3{NBSP}p.e." in html  # in work or studies 0 % → 58,3 %
    assert "Färre än 5 – visas inte" in html

    pdf = client.get(URL + "rapport.pdf" + query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    save_pages(pdf.content, "sus-deltagare")
    text = " ".join(pdf_text(pdf.content).split())
    assert "Deltagarrapport" in text and "Stegen · Helår 2024" in text
    assert f"Ingen sysselsättning 7 5 0 12 – – 0 5 {MINUS}7 {MINUS}58,3 %" in text.replace(
        NBSP, " "
    )
    assert "Insatserna jämförda" in text

    workbook = load_workbook(io.BytesIO(client.get(URL + "export.xlsx" + query).content))
    employment = sheet(workbook, "Sysselsättning vid start och vid avslut")
    rows = {row[0]: list(row[1:]) for row in employment.iter_rows(min_row=2, values_only=True)}
    assert rows["Ingen sysselsättning"] == [7, 5, 0, 12, None, None, 0, 5, -7, -0.5833]
    comparison = sheet(workbook, "Insatserna jämförda: Helår 2024")
    values = {row[0]: list(row[1:]) for row in comparison.iter_rows(min_row=2, values_only=True)}
    assert values["Stegen"][:4] == [12, 12, 12, 0.5833]

    content = client.get(URL + "export.csv" + query).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert lines[0] == ["Tabell", "Rad", "Kolumn", "Värde"]
    assert [
        "Sysselsättning vid start och vid avslut",
        "Ingen sysselsättning",
        "Förändring, totalt: %",
        "-0,5833",
    ] in lines


def test_a_forbund_without_participants_says_there_is_nothing(world: World, client_as: Any) -> None:
    client = client_as("chief")
    page = client.get(URL)
    assert page.status_code == 200
    assert "Inga uppgifter" in page.content.decode()
    pdf = client.get(URL + "rapport.pdf")
    assert "Inga uppgifter" in pdf_text(pdf.content)
    workbook = load_workbook(io.BytesIO(client.get(URL + "export.xlsx").content))
    assert workbook.sheetnames


def test_another_forbunds_insats_is_not_found(world: World, data: FollowUp, client_as: Any) -> None:
    client = client_as("chief")
    assert client.get(URL + f"?insats={data.other_insats.pk}").status_code == 404
    assert client.get(URL + f"export.xlsx?insats={data.other_insats.pk}").status_code == 404
    assert client.get(URL + "?insats=abc").status_code == 404
    assert client.get(URL + "export.pdf").status_code == 404  # not an export format


def test_own_dates_need_both_ends(world: World, data: FollowUp, client_as: Any) -> None:
    page = client_as("reader").get(URL + "?year=2024&period=egna&fran=2024-03-01")
    html = page.content.decode()
    assert "Ange till-datum för egna datum" in html
    assert page.context["report"].period == year_period(2024)  # the year meanwhile

    chosen = client_as("reader").get(URL + "?year=2024&period=egna&fran=2024-03-01&till=2024-10-31")
    assert chosen.context["report"].period == range_period(D(2024, 3, 1), D(2024, 10, 31))
    assert chosen.context["report"].figures.exited == 20


def test_key_figures_cover_every_count(world: World, data: FollowUp) -> None:
    report = participants_report(
        association=world.own, period=year_period(2024), intervention=data.insats, min_cell=1
    )
    assert set(KEY_FIELDS) == {
        "participants",
        "started",
        "exited",
        "step_progress",
        "described",
        "work_start",
        "work_exit",
        "public_start",
        "public_exit",
    }
    assert report.figures.described == report.figures.exited == 12
