"""The participant report pages: readers see suppressed figures, the insats's own staff
may turn suppression off for their insats, nobody else may; the richer tables
(försörjning and sysselsättning before → after, flows, surveys, assessments) and the
Excel/CSV export."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.instruments.models import Instrument, InstrumentQuestion, Response, ResponseAnswer
from stegvis.participants.selectors_report import report_page
from stegvis.participants.tests.factories import FollowUp, ParticipantFactory, follow_up

D = datetime.date
HIDDEN_NOTE = "Färre än 5 – visas inte"


@pytest.fixture
def data(world: World) -> FollowUp:
    data = follow_up(world)
    with scopes_disabled():
        # Stegen: 7 women and 2 men who exited in 2024; 2 is below 5.
        for index in range(7):
            ParticipantFactory(
                intervention=data.insats,
                gender="kvinna",
                start=D(2024, 1, 10),
                exit=D(2024, 10, 1),
                outcome="arbete" if index < 5 else "avbrott",
                employment_at_start="ingen sysselsättning",
                employment_at_exit="arbete" if index < 5 else "ingen sysselsättning",
                support_at_start=["ekonomiskt bistånd"],
                support_at_exit=["lön"] if index < 5 else ["ekonomiskt bistånd"],
            )
        for _ in range(2):
            ParticipantFactory(
                intervention=data.insats,
                gender="man",
                start=D(2024, 1, 10),
                exit=D(2024, 10, 1),
                outcome="studier",
                employment_at_start="ingen sysselsättning",
                employment_at_exit="studier",
            )
    return data


def page_url(world: World, query: str = "") -> str:
    return f"/f/{world.own.slug}/deltagare/rapport/?year=2024{query}"


def test_reader_sees_suppressed_figures(world: World, data: FollowUp, client_as: Any) -> None:
    response = client_as("reader").get(page_url(world))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.min_cell == 5
    assert page.report.counts["exited"]["man"] is None
    assert page.report.counts["exited"]["kvinna"] is None  # its complement in the row
    assert page.report.counts["exited"]["total"] == 9
    content = response.content.decode()
    assert HIDDEN_NOTE in content
    assert "utan-maskning" not in content  # no way to turn it off


def test_own_staff_may_turn_suppression_off_for_their_insats(
    world: World, data: FollowUp, client_as: Any
) -> None:
    client = client_as("participant_registrar")
    insats = f"&insats={data.insats.pk}"
    masked = client.get(page_url(world, insats))
    assert masked.context["choice"].may_unsuppress
    assert masked.context["page"].report.counts["exited"]["man"] is None
    assert 'name="utan-maskning"' in masked.content.decode()

    response = client.get(page_url(world, insats + "&utan-maskning=1"))

    assert response.context["page"].min_cell == 1
    assert response.context["page"].report.counts["exited"]["man"] == 2
    assert HIDDEN_NOTE not in response.content.decode()
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="participants.report_unsuppressed")
    assert entry.actor == world.users["participant_registrar"]
    assert entry.kind == AuditEntry.Kind.READ


@pytest.mark.parametrize("person", ["reader", "chief", "intervention_owner_elsewhere"])
def test_others_may_not_turn_suppression_off(
    world: World, data: FollowUp, client_as: Any, person: str
) -> None:
    insats = data.insats
    if person == "intervention_owner_elsewhere":
        person, insats = "intervention_owner", data.neighbour  # staff of Stegen, not Grannen
    response = client_as(person).get(page_url(world, f"&insats={insats.pk}&utan-maskning=1"))
    assert response.status_code == 200
    assert not response.context["choice"].may_unsuppress
    assert response.context["page"].min_cell == 5


def test_whole_association_is_always_suppressed_even_for_staff(
    world: World, data: FollowUp, client_as: Any
) -> None:
    response = client_as("participant_registrar").get(page_url(world, "&utan-maskning=1"))
    assert response.context["page"].min_cell == 5


def test_another_associations_insats_is_not_found(
    world: World, data: FollowUp, client_as: Any
) -> None:
    response = client_as("chief").get(page_url(world, f"&insats={data.other_insats.pk}"))
    assert response.status_code == 404
    assert client_as("chief").get(page_url(world, "&insats=abc")).status_code == 404


def test_export_to_excel_has_every_table_suppressed(
    world: World, data: FollowUp, client_as: Any
) -> None:
    response = client_as("reader").get(
        f"/f/{world.own.slug}/deltagare/rapport/export.xlsx?year=2024"
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Deltagare efter kön"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Antal", "Kvinna", "Man", "Ej angivet", "Totalt")
    exited = next(row for row in rows if row[0] == "Avslutade")
    assert exited[1:5] == (None, None, 0, 9)
    assert "Avslutsorsaker" in workbook.sheetnames


def test_export_to_csv_is_one_line_per_figure(world: World, data: FollowUp, client_as: Any) -> None:
    response = client_as("reader").get(
        f"/f/{world.own.slug}/deltagare/rapport/export.csv?year=2024&insats={data.insats.pk}"
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Tabell;Rad;Kolumn;Värde"
    assert "Deltagare efter kön;Avslutade;Totalt;9" in text
    assert "Deltagare efter kön;Avslutade;Man;\r\n" in text


# --- The richer tables ------------------------------------------------------------


def test_employment_before_and_after_with_flow_adds_up(world: World, data: FollowUp) -> None:
    page = report_page(association=world.own, year=2024, intervention=None, min_cell=1)
    table = page.employment.before_after
    lines = {line.label: line for line in table.lines}
    none = lines["Ingen sysselsättning"]
    # before: kvinna 7, man 2, total 9; after: 2, 0, 2; change −7, −77,8 %
    assert [cell.value for cell in none.cells] == [7, 2, 0, 9, 2, 0, 0, 2, -7, -0.7778]
    assert none.cells[-1].text == "\u221277,8\u00a0%"
    flow = {line.label: line for line in page.employment.flow.lines}
    columns = page.employment.flow.columns
    assert flow["Ingen sysselsättning"].cells[columns.index("Arbete")].value == 5
    assert flow["Ingen sysselsättning"].cells[columns.index("Studier")].value == 2
    assert flow["Ingen sysselsättning"].cells[-1].value == 9
    assert flow["Summa"].cells[-1].value == 9


def test_employment_tables_are_suppressed_with_the_main_table(world: World, data: FollowUp) -> None:
    page = report_page(association=world.own, year=2024, intervention=None, min_cell=5)
    lines = {line.label: line for line in page.employment.before_after.lines}
    # The exited row is pinned to the main table's: kvinna and man hidden, total 9.
    assert [cell.value for cell in lines["Avslutade"].cells[:4]] == [None, None, 0, 9]
    # 2 men in studier at exit: hidden.
    assert lines["Studier"].cells[4 + 1].value is None
    for table in page.tables:
        for line in table.lines:
            for cell in line.cells:
                if cell.kind == "count" and cell.value is not None:
                    assert not 0 < cell.value < 5, (table.title, line.label)


def test_support_before_and_after(world: World, data: FollowUp) -> None:
    page = report_page(association=world.own, year=2024, intervention=None, min_cell=1)
    lines = {line.label: line for line in page.support.before_after.lines}
    assert [cell.value for cell in lines["Ekonomiskt bistånd"].cells[:8]] == [
        7,
        0,
        0,
        7,
        2,
        0,
        0,
        2,
    ]
    assert [cell.value for cell in lines["Uppgift saknas"].cells[:8]] == [0, 2, 0, 2, 0, 2, 0, 2]
    flow = {line.label: line for line in page.support.flow.lines}
    columns = page.support.flow.columns
    assert flow["Ekonomiskt bistånd"].cells[columns.index("Lön")].value == 5


def _instrument(world: World, kind: str, **kwargs: Any) -> tuple[Instrument, InstrumentQuestion]:
    instrument = Instrument.objects.create(association=world.own, kind=kind, **kwargs)
    question = InstrumentQuestion.objects.create(
        association=world.own, instrument=instrument, order=1, text="Jag får det stöd jag behöver"
    )
    return instrument, question


def _answer(
    world: World, participant: Any, instrument: Any, question: Any, date: D, value: int
) -> None:
    response = Response.objects.create(
        association=world.own,
        participant=participant,
        instrument=instrument,
        date=date,
        occasion="follow_up",
    )
    ResponseAnswer.objects.create(
        association=world.own, response=response, question=question, value=value
    )


def test_survey_agree_shares_count_each_participants_latest_answer(
    world: World, data: FollowUp
) -> None:
    with scopes_disabled():
        survey, question = _instrument(
            world, Instrument.Kind.SURVEY, name="Enkät", scale_min=1, scale_max=5, agree_from=4
        )
        women = ParticipantFactory.create_batch(6, intervention=data.insats, start=D(2024, 1, 1))
        for index, participant in enumerate(women):
            _answer(world, participant, survey, question, D(2024, 3, 1), 1)
            _answer(world, participant, survey, question, D(2024, 9, 1), 5 if index < 4 else 2)
        _answer(world, women[0], survey, question, D(2023, 9, 1), 1)  # another year

    page = report_page(association=world.own, year=2024, intervention=None, min_cell=1)

    (table,) = page.surveys
    (line,) = table.lines
    values = [cell.value for cell in line.cells]
    assert values[:4] == [0.6667, None, None, 0.6667]  # shares: kvinna, man, ej angivet, total
    assert values[4:8] == [4, 0, 0, 4]  # agree
    assert values[8:] == [6, 0, 0, 6]  # answered

    masked = report_page(association=world.own, year=2024, intervention=None, min_cell=5)
    (line,) = masked.surveys[0].lines
    # 4 who agree and 2 who do not are both hidden; the 6 who answered may be shown.
    assert [cell.value for cell in line.cells[:4]] == [None, None, None, None]
    assert [cell.value for cell in line.cells[4:8]] == [None, 0, 0, None]
    assert [cell.value for cell in line.cells[8:]] == [6, 0, 0, 6]


def test_assessment_progress_first_against_latest(world: World, data: FollowUp) -> None:
    with scopes_disabled():
        assessment, question = _instrument(
            world, Instrument.Kind.ASSESSMENT, name="Bedömning", scale_min=1, scale_max=10
        )
        people = ParticipantFactory.create_batch(3, intervention=data.insats, start=D(2023, 6, 1))
        for participant, (first, last) in zip(people, [(2, 6), (4, 4), (5, 8)], strict=True):
            _answer(world, participant, assessment, question, D(2023, 6, 1), first)
            _answer(world, participant, assessment, question, D(2024, 2, 1), 3)
            _answer(world, participant, assessment, question, D(2024, 6, 1), last)
        lone = ParticipantFactory(intervention=data.insats, start=D(2024, 1, 1))
        _answer(world, lone, assessment, question, D(2024, 2, 1), 9)  # once: no progress

    page = report_page(association=world.own, year=2024, intervention=None, min_cell=1)

    (line,) = page.assessments[0].lines
    values = [cell.value for cell in line.cells]
    assert values[:2] == [3.67, 6.0]  # mean first, mean latest (total)
    assert values[2 + 3] == 2.33  # mean change, total
    assert values[6 + 3] == 0.6667  # share improved, total
    assert values[10 + 3] == 3  # assessed, total
    content = line.cells[0].text
    assert content == "3,7"
