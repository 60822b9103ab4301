"""The due list only reads (issue 13): besides its read entry in the audit log it
writes nothing. It used to make the förbund's participant policy
(`participants.access.policy_for`) the first time the kansli's access was checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.core.tests.writes import writes_during
from stegvis.instruments.tests.factories import participant, setup
from stegvis.participants.models import Policy

pytestmark = pytest.mark.django_db


def due_url(world: World, insats: Any, fmt: str = "") -> str:
    rest = f"att-gora.{fmt}" if fmt else "att-gora/"
    return f"/f/{world.own.slug}/instrument/insats/{insats.pk}/{rest}"


def policies(world: World) -> int:
    with scopes_disabled():
        return Policy.objects.filter(association=world.own).count()


def test_the_kansli_reads_the_due_list_without_writing(world: World, client_as: Any) -> None:
    data = setup(world)
    participant(data.insats, "NY-1", timezone.localdate())
    with scopes_disabled():
        Policy.objects.create(association=world.own, kansli_sees_rows=True)
    client = client_as("chief")
    for fmt in ("", "xlsx"):
        with writes_during() as writes:
            response = client.get(due_url(world, data.insats, fmt))
        assert response.status_code == 200
        assert writes == []
    assert "NY-1" in client.get(due_url(world, data.insats)).content.decode()
    with scopes_disabled():
        reads = AuditEntry.objects.filter(kind=AuditEntry.Kind.READ, actor=world.users["chief"])
        assert {entry.action for entry in reads} == {
            "participants.due_list_viewed",
            "participants.due_list_exported",
        }


def test_without_a_policy_the_kansli_gets_404_and_none_is_made(
    world: World, client_as: Any
) -> None:
    data = setup(world)
    assert policies(world) == 0
    client = client_as("chief")
    with writes_during() as writes:
        response = client.get(due_url(world, data.insats))
    assert response.status_code == 404  # the kansli sees no rows by default
    assert writes == []
    assert policies(world) == 0


def test_the_insats_staff_reads_the_due_list_without_writing(world: World, client_as: Any) -> None:
    data = setup(world)
    client = client_as("participant_registrar")
    with writes_during() as writes:
        response = client.get(due_url(world, data.insats))
    assert response.status_code == 200
    assert writes == []
    assert "INS-1" in response.content.decode()
