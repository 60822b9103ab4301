"""The instrument pages as the kansli and the deltagaransvarig use them: defining an
instrument, the due list with its export, answering a due assessment — and the insats
boundary, with every look at participant rows in the audit log."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.instruments.models import Instrument, InterventionInstrument, Response
from stegvis.instruments.tests.factories import participant, setup

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def url(world: World, rest: str = "") -> str:
    return f"/f/{world.own.slug}/instrument/{rest}"


def text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(NBSP, " ")


@pytest.fixture
def data(world: World) -> Any:
    return setup(world)


def reads(action: str) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=action, kind=AuditEntry.Kind.READ))


# ---------------------------------------------------------------------------
# The insats boundary


def test_registrar_of_one_insats_gets_404_for_another_insats_participant(
    world: World, data: Any, client_as: Any
) -> None:
    client = client_as("participant_registrar")
    other = data.neighbour_participant.pk
    assert client.get(url(world, f"deltagare/{other}/")).status_code == 404
    assert (
        client.get(url(world, f"deltagare/{other}/instrument/{data.assessment.pk}/")).status_code
        == 404
    )
    assert client.get(url(world, f"insats/{data.neighbour.pk}/att-gora/")).status_code == 404
    assert client.get(url(world, f"deltagare/{data.participant.pk}/")).status_code == 200


def test_kansli_sees_no_rows_unless_the_forbund_allows_it(
    world: World, data: Any, client_as: Any
) -> None:
    client = client_as("chief")
    assert client.get(url(world, f"insats/{data.insats.pk}/att-gora/")).status_code == 404
    assert client.get(url(world, f"deltagare/{data.participant.pk}/")).status_code == 404


def test_insatsansvarig_on_the_staff_still_sees_no_rows(
    world: World, data: Any, client_as: Any
) -> None:
    client = client_as("intervention_owner")
    assert client.get(url(world, f"insats/{data.insats.pk}/att-gora/")).status_code == 403
    assert client.get(url(world, f"{data.assessment.pk}/")).status_code == 200


# ---------------------------------------------------------------------------
# The due list


def test_due_list_shows_codes_by_status_and_is_logged_as_a_read(
    world: World, data: Any, client_as: Any
) -> None:
    today = timezone.localdate()
    participant(data.insats, "NY-1", today)
    participant(data.insats, "GAMMAL-1", today - datetime.timedelta(days=20))
    response = client_as("participant_registrar").get(
        url(world, f"insats/{data.insats.pk}/att-gora/")
    )
    assert response.status_code == 200
    page = text(response)
    assert "Försenade" in page and "Denna vecka" in page
    assert "NY-1" in page and "GAMMAL-1" in page
    assert "Screening våld i nära relationer" in page
    assert "Täckning" in page
    # Each due row links to the form with the occasion chosen.
    assert f"/deltagare/{data.participant.pk}/instrument/" in response.content.decode()
    (entry,) = reads("participants.due_list_viewed")
    assert entry.actor == world.users["participant_registrar"]
    assert entry.object_repr == "Stegen"


def test_due_list_export_to_excel(world: World, data: Any, client_as: Any) -> None:
    participant(data.insats, "NY-2", timezone.localdate())
    response = client_as("participant_registrar").get(
        url(world, f"insats/{data.insats.pk}/att-gora.xlsx")
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Status", "Datum", "Kod", "Instrument", "Tillfälle")
    codes = {row[2] for row in rows[1:] if row and row[2]}
    assert {"NY-2", "INS-1"} <= codes
    assert len(reads("participants.due_list_exported")) == 1


# ---------------------------------------------------------------------------
# Recording a response


def test_response_form_has_a_fieldset_with_a_legend_per_question(
    world: World, data: Any, client_as: Any
) -> None:
    response = client_as("participant_registrar").get(
        url(
            world,
            f"deltagare/{data.participant.pk}/instrument/{data.survey.pk}/?tillfalle=follow_up",
        )
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<legend>") == 5 + 1  # the questions and the occasion
    assert "<legend>Jag får det stöd jag behöver för att komma vidare." in html
    assert 'value="follow_up" ' in html and "checked" in html
    assert "5 Stämmer helt" in html


def test_answering_a_due_assessment(world: World, data: Any, client_as: Any) -> None:
    client = client_as("participant_registrar")
    path = url(world, f"deltagare/{data.participant.pk}/instrument/{data.assessment.pk}/")
    with scopes_disabled():
        questions = list(data.assessment.questions.all())
    form = {"date": "2024-03-01", "occasion": "start"}
    form |= {f"question_{q.pk}": "6" for q in questions[1:]}
    form[f"question_{questions[1].pk}"] = "11"
    refused = client.post(path, form)
    assert refused.status_code == 200
    page = text(refused)
    assert "Svara på frågan." in page
    assert "Välj ett giltigt alternativ" in page or "Select a valid choice" in page
    form |= {f"question_{q.pk}": "6" for q in questions}
    saved = client.post(path, form)
    assert saved.status_code == 302
    follow = client.get(saved["Location"])
    assert "Stegvis progressionsbedömning för INS-1 är registrerad." in text(follow)
    with scopes_disabled():
        stored = Response.objects.get(participant=data.participant)
        assert sorted(stored.answers.values_list("value", flat=True)) == [6] * 9
    assert len(reads("participant.follow_up_viewed")) == 1


def test_date_before_start_is_shown_on_the_field(world: World, data: Any, client_as: Any) -> None:
    response = client_as("participant_registrar").post(
        url(world, f"deltagare/{data.participant.pk}/instrument/{data.screening.pk}/"),
        {"date": "2024-01-01", "occasion": "start"},
    )
    assert "Datumet kan inte vara före deltagarens start (2024-03-01)." in text(response)


def test_kansli_with_rows_reads_but_does_not_register(
    world: World, data: Any, client_as: Any
) -> None:
    with scopes_disabled():
        from stegvis.participants.access import policy_for

        policy = policy_for(world.own)
        policy.kansli_sees_rows = True
        policy.save()
    client = client_as("chief")
    page = client.get(url(world, f"deltagare/{data.participant.pk}/"))
    assert page.status_code == 200
    assert "Registrera" not in text(page)
    assert (
        client.get(
            url(world, f"deltagare/{data.participant.pk}/instrument/{data.screening.pk}/")
        ).status_code
        == 403
    )


# ---------------------------------------------------------------------------
# Definitions


def test_kansli_defines_an_instrument_with_questions_and_attaches_it(
    world: World, data: Any, client_as: Any
) -> None:
    client = client_as("chief")
    created = client.post(
        url(world, "ny/"),
        {
            "name": "Hälsoenkät",
            "kind": "survey",
            "records_answers": "on",
            "scale_min": "1",
            "scale_max": "4",
            "agree_from": "3",
            "first_after_months": "6",
        },
    )
    assert created.status_code == 302, text(created)
    with scopes_disabled():
        instrument = Instrument.objects.get(association=world.own, name="Hälsoenkät")
    detail = url(world, f"{instrument.pk}/")
    assert created["Location"] == detail
    assert (
        client.post(url(world, f"{instrument.pk}/fragor/"), {"text": "Hur mår du?"}).status_code
        == 302
    )
    assert (
        client.post(
            url(world, f"{instrument.pk}/insatser/"), {"intervention": data.insats.pk}
        ).status_code
        == 302
    )
    page = text(client.get(detail))
    assert "Hur mår du?" in page
    assert "efter 6 månader" in page
    with scopes_disabled():
        assert InterventionInstrument.objects.filter(
            instrument=instrument, intervention=data.insats
        ).exists()


def test_instrument_form_errors_in_swedish_on_the_fields(world: World, client_as: Any) -> None:
    response = client_as("chief").post(
        url(world, "ny/"),
        {
            "name": "Trasig",
            "kind": "assessment",
            "records_answers": "on",
            "scale_min": "5",
            "scale_max": "3",
        },
    )
    assert response.status_code == 200
    assert "Skalans högsta värde måste vara större än det lägsta." in text(response)


def test_reader_sees_definitions_without_edit_links(
    world: World, data: Any, client_as: Any
) -> None:
    client = client_as("reader")
    listing = client.get(url(world))
    assert listing.status_code == 200
    assert "Stegvis progressionsbedömning" in text(listing)
    assert "Nytt instrument" not in text(listing)
    assert "Att göra i dina insatser" not in text(listing)
    detail = client.get(url(world, f"{data.assessment.pk}/"))
    assert "Ändra instrumentet" not in text(detail)
    assert "Hur ser du på din hälsa just nu?" in text(detail)


def test_registrar_sees_due_counts_of_own_insats_on_the_list(
    world: World, data: Any, client_as: Any
) -> None:
    participant(data.insats, "NY-3", timezone.localdate() - datetime.timedelta(days=40))
    page = text(client_as("participant_registrar").get(url(world)))
    assert "Att göra i dina insatser" in page
    assert "Stegen" in page and "Grannen" not in page


# ---------------------------------------------------------------------------
# The command line


def test_cli_install_defaults_and_due_list(world: World, data: Any) -> None:
    out = io.StringIO()
    call_command("instruments", "install-defaults", "Samordningsförbundet Annat", stdout=out)
    assert out.getvalue().splitlines() == [
        "Stegvis progressionsbedömning: finns redan",
        "Screening våld i nära relationer: finns redan",
        "Deltagarenkät: finns redan",
    ]
    out = io.StringIO()
    call_command("instruments", "due", "eget", "Stegen", "--date", "2024-03-05", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["Status", "Datum", "Kod", "Instrument", "Tillfälle"]
    assert any("INS-1" in line and "försenad" in line for line in lines)
    with pytest.raises(CommandError) as excinfo:
        call_command("instruments", "due", "eget", "Finns inte")
    assert excinfo.value.returncode == 2
