"""Every page that shows a participant's row writes a read to the audit log — also the
forms filled with the row (change, exit, remove, follow-up answers) — and every
response holding rows is sent with `Cache-Control: no-store`, so it stays in no
browser cache or proxy."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope, scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.participants import services
from stegvis.participants.models import Participant
from stegvis.participants.tests.factories import FollowUp, ParticipantFactory, follow_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world: World) -> FollowUp:
    follow = follow_up(world)
    with scopes_disabled():
        ParticipantFactory(intervention=follow.insats, code="ST-001", gender="kvinna")
        ParticipantFactory(intervention=follow.neighbour, code="GR-001")
    with scope(association=world.own):
        # The follow-up answer form (svar/) is there only when there is a question to ask.
        services.question_create(
            actor=None,
            association=world.own,
            text="Antal dagar i praktik",
            answer_type="number",
            occasion="follow_up",
        )
    return follow


def participant(code: str) -> Participant:
    with scopes_disabled():
        return Participant.objects.get(code=code)


def url(world: World, rest: str) -> str:
    return f"/f/{world.own.slug}/deltagare/{rest}"


def reads() -> list[tuple[str, str, str]]:
    """(action, who, which participant) of every read in the log, oldest first."""
    with scopes_disabled():
        return [
            (entry.action, entry.actor_name, entry.object_id)
            for entry in AuditEntry.objects.filter(kind=AuditEntry.Kind.READ).order_by("pk")
        ]


def not_stored(response: Any) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


FORM_PAGES = [
    ("andra/", "participant.edit_form_viewed"),
    ("avsluta/", "participant.exit_form_viewed"),
    ("ta-bort/", "participant.delete_form_viewed"),
    ("svar/", "participant.answer_form_viewed"),
]


@pytest.mark.parametrize(("rest", "action"), FORM_PAGES)
def test_opening_a_form_with_a_participants_row_is_logged_as_a_read(
    data: FollowUp, world: World, client_as: Any, rest: str, action: str
) -> None:
    one = participant("ST-001")
    response = client_as("participant_registrar").get(url(world, f"{one.pk}/{rest}"))
    assert response.status_code == 200
    assert "ST-001" in response.content.decode()
    assert reads() == [(action, "participant_registrar", str(one.pk))]
    again = client_as("participant_registrar").get(url(world, f"{one.pk}/{rest}"))
    assert again.status_code == 200
    assert reads() == [(action, "participant_registrar", str(one.pk))] * 2
    with scopes_disabled():
        entry = AuditEntry.objects.filter(action=action).first()
        assert entry is not None
    assert entry.changes == {"code": "ST-001", "insats": "Stegen"}
    assert entry.association == world.own
    assert not_stored(response)


@pytest.mark.parametrize(
    ("rest", "invalid", "action"),
    [
        ("andra/", {"code": "", "gender": "kvinna"}, "participant.edit_form_viewed"),
        ("avsluta/", {"on": "2000-01-01", "outcome": "arbete"}, "participant.exit_form_viewed"),
        ("svar/", {"date": "inte ett datum"}, "participant.answer_form_viewed"),
    ],
)
def test_a_form_that_comes_back_with_errors_shows_the_row_again_and_is_logged(
    data: FollowUp, world: World, client_as: Any, rest: str, invalid: dict[str, str], action: str
) -> None:
    one = participant("ST-001")
    response = client_as("participant_registrar").post(url(world, f"{one.pk}/{rest}"), invalid)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert reads() == [(action, "participant_registrar", str(one.pk))]
    assert not_stored(response)


def test_a_saved_form_is_logged_as_a_write_and_not_as_a_read(
    data: FollowUp, world: World, client_as: Any
) -> None:
    one = participant("ST-001")
    client = client_as("participant_registrar")
    exited = client.post(
        url(world, f"{one.pk}/avsluta/"), {"on": "2025-01-31", "outcome": "arbete"}
    )
    assert exited.status_code == 302
    removed = client.post(url(world, f"{one.pk}/ta-bort/"))
    assert removed.status_code == 302
    assert reads() == []
    with scopes_disabled():
        writes = set(
            AuditEntry.objects.filter(kind=AuditEntry.Kind.WRITE).values_list("action", flat=True)
        )
    assert {"participant.exited", "participant.deleted"} <= writes


@pytest.mark.parametrize(("rest", "action"), FORM_PAGES)
def test_another_insats_participant_answers_404_and_nothing_is_logged(
    data: FollowUp, world: World, client_as: Any, rest: str, action: str
) -> None:
    neighbour = participant("GR-001")
    response = client_as("participant_registrar").get(url(world, f"{neighbour.pk}/{rest}"))
    assert response.status_code == 404
    assert reads() == []


def test_the_participant_list_page_and_export_are_not_stored(
    data: FollowUp, world: World, client_as: Any
) -> None:
    client = client_as("participant_registrar")
    listing = client.get(url(world, f"insats/{data.insats.pk}/"))
    assert listing.status_code == 200 and "ST-001" in listing.content.decode()
    assert not_stored(listing)
    detail = client.get(url(world, f"{participant('ST-001').pk}/"))
    assert detail.status_code == 200
    assert not_stored(detail)
    for fmt in ("xlsx", "csv"):
        export = client.get(url(world, f"insats/{data.insats.pk}/export.{fmt}"))
        assert export.status_code == 200
        assert not_stored(export)


def test_the_due_list_and_its_export_are_not_stored(
    data: FollowUp, world: World, client_as: Any
) -> None:
    client = client_as("participant_registrar")
    due = client.get(f"/f/{world.own.slug}/instrument/insats/{data.insats.pk}/att-gora/")
    assert due.status_code == 200
    assert not_stored(due)
    export = client.get(f"/f/{world.own.slug}/instrument/insats/{data.insats.pk}/att-gora.xlsx")
    assert export.status_code == 200
    assert not_stored(export)


def test_pages_without_rows_may_be_cached_as_before(
    data: FollowUp, world: World, client_as: Any
) -> None:
    start = client_as("participant_registrar").get(url(world, ""))
    assert start.status_code == 200
    assert "no-store" not in start.get("Cache-Control", "")
    report = client_as("reader").get(f"/f/{world.own.slug}/deltagare/rapport/")
    assert report.status_code == 200
    assert "no-store" not in report.get("Cache-Control", "")
