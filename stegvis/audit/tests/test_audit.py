"""The audit log records writes, hides secrets, and is readable by the kansli."""

from __future__ import annotations

import io
from typing import Any

from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from stegvis.associations import services
from stegvis.audit.models import AuditEntry
from stegvis.audit.services import REDACTED, audit_log, audit_read
from stegvis.conftest import World


def entries(world: World) -> list[AuditEntry]:
    with scope(association=world.own):
        return list(AuditEntry.objects.all())


def test_member_created_is_logged_with_its_fields(world: World, client_as: Any) -> None:
    client = client_as("chief")
    response = client.post(
        f"/f/{world.own.slug}/installningar/medlemmar/ny/",
        {"name": "Nyby kommun", "kind": "municipality", "organisation_number": ""},
    )
    assert response.status_code == 302
    entry = next(e for e in entries(world) if e.action == "member.created")
    assert entry.actor == world.users["chief"]
    assert entry.association == world.own
    assert entry.changes["name"] == "Nyby kommun"
    assert entry.object_repr == "Nyby kommun"


def test_update_logs_only_changed_fields_as_old_and_new(world: World, client_as: Any) -> None:
    client = client_as("chief")
    client.post(
        f"/f/{world.own.slug}/installningar/medlemmar/{world.member.pk}/",
        {"name": "Egna kommun", "kind": "municipality", "organisation_number": "212000-1827"},
    )
    entry = next(e for e in entries(world) if e.action == "member.updated")
    assert entry.changes == {"organisation_number": ["", "212000-1827"]}


def test_saving_without_change_writes_no_line(world: World) -> None:
    with scope(association=world.own):
        services.member_update(actor=world.users["chief"], member=world.member, name="Egna kommun")
    assert not [e for e in entries(world) if e.action == "member.updated"]


def test_secrets_are_never_written(world: World) -> None:
    entry = audit_log(
        action="test.secret",
        association=world.own,
        changes={"password": "hemligt", "personnummer": "x", "api_key": "y", "name": "ok"},
    )
    assert entry.changes == {
        "password": REDACTED,
        "personnummer": REDACTED,
        "api_key": REDACTED,
        "name": "ok",
    }


def test_read_helper_records_a_read_with_its_detail(world: World, rf: Any) -> None:
    request = rf.get("/")
    request.user = world.users["participant_registrar"]
    request.association = world.own
    entry = audit_read(request=request, action="participant.list_viewed", detail={"rows": 12})
    assert entry.kind == AuditEntry.Kind.READ
    assert entry.actor_name == "participant_registrar"
    assert entry.changes == {"rows": 12}


def test_log_page_filters_and_never_shows_another_associations_lines(
    world: World, client_as: Any
) -> None:
    audit_log(action="member.created", association=world.own, object_repr="Synlig")
    audit_log(action="member.created", association=world.other, object_repr="Hemlig")
    audit_log(action="plan.imported", association=world.own, object_repr="Plan")
    client = client_as("chief")
    html = client.get(f"/f/{world.own.slug}/installningar/logg/?action=member").content.decode()
    assert "Synlig" in html
    assert "Hemlig" not in html
    assert "Plan" not in html


def test_log_page_rejects_reversed_dates_with_a_message(world: World, client_as: Any) -> None:
    html = (
        client_as("chief")
        .get(f"/f/{world.own.slug}/installningar/logg/?since=2024-05-01&until=2024-01-01")
        .content.decode()
    )
    assert "Slutdatum kan inte vara före startdatum." in html


def test_log_exports_to_excel_with_the_filtered_rows(world: World, client_as: Any) -> None:
    audit_log(
        action="member.created",
        association=world.own,
        object_repr="Ett",
        actor=world.users["chief"],
    )
    audit_log(action="seat.deleted", association=world.own, object_repr="Två")
    response = client_as("chief").get(
        f"/f/{world.own.slug}/installningar/logg/export.xlsx?action=member"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Tid", "Användare", "Typ", "Händelse")
    assert [row[4] for row in rows[1:]] == ["Ett"]


def test_log_exports_semicolon_csv_that_excel_opens(world: World, client_as: Any) -> None:
    audit_log(action="member.created", association=world.own, object_repr="Åsele kommun")
    response = client_as("chief").get(f"/f/{world.own.slug}/installningar/logg/export.csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffTid;Användare;Typ;Händelse")
    assert "Åsele kommun" in text


def test_login_is_logged_without_association(world: World, client_as: Any) -> None:
    from django.test import Client

    Client().post("/konto/logga-in/", {"username": "reader", "password": "test-password-123"})
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="user.logged_in")
    assert entry.association is None
    assert entry.kind == AuditEntry.Kind.AUTH


def test_log_page_shows_changes_with_the_forms_field_names(world: World, client_as: Any) -> None:
    client = client_as("chief")
    client.post(
        f"/f/{world.own.slug}/installningar/medlemmar/{world.member.pk}/",
        {"name": "Egna kommun", "kind": "municipality", "organisation_number": "212000-1827"},
    )
    html = client.get(f"/f/{world.own.slug}/installningar/logg/").content.decode()
    assert "Organisationsnummer: – → 212000-1827" in html
