"""The helper that tests "a GET never writes" must itself see writes: a page test that
asserts `writes == []` proves nothing if the helper misses them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django_scopes import scope

from stegvis.associations.models import Member
from stegvis.audit.services import audit_log, audit_read
from stegvis.conftest import World
from stegvis.core.tests.writes import write_of, writes_during

pytestmark = pytest.mark.django_db


def test_inserts_updates_and_deletes_are_listed(world: World) -> None:
    with scope(association=world.own), writes_during() as writes:
        member = Member.objects.create(association=world.own, name="Ny kommun", kind="municipality")
        Member.objects.filter(pk=member.pk).update(name="Nyare kommun")
        Member.objects.filter(pk=member.pk).delete()
    found = [write_of(sql) for sql in writes]
    # The delete cascades (population, memberships of insatser …): those are writes too.
    assert found[:2] == [("INSERT", "associations_member"), ("UPDATE", "associations_member")]
    assert ("DELETE", "associations_member") in found[2:]


def test_reads_are_not_writes(world: World) -> None:
    with scope(association=world.own), writes_during() as writes:
        assert Member.objects.filter(association=world.own).count() == 1
    assert writes == []


def test_the_session_and_the_logs_read_entries_are_allowed(world: World) -> None:
    request: Any = RequestFactory().get("/")
    request.user = world.users["chief"]
    request.association = world.own
    with writes_during() as writes:
        session = SessionStore()
        session["seen"] = True
        session.save()
        audit_read(request=request, action="participants.viewed", obj=world.own)
    assert writes == []


def test_a_write_entry_in_the_log_is_a_write(world: World) -> None:
    with writes_during() as writes:
        audit_log(action="member.created", association=world.own)
    assert writes == ["INSERT INTO audit_auditentry (kind='write', action='member.created')"]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            'INSERT INTO "goals_indicatorvalue" ("value") VALUES (1)',
            ("INSERT", "goals_indicatorvalue"),
        ),
        ("INSERT OR IGNORE INTO t (a) VALUES (1)", ("INSERT", "t")),
        ('  update "django_session" SET x = 1', ("UPDATE", "django_session")),
        (
            'DELETE FROM "structural_deviationcategory" WHERE 1',
            ("DELETE", "structural_deviationcategory"),
        ),
        ('SELECT "id" FROM "t" WHERE "name" = \'INSERT INTO x\'', None),
        ('SAVEPOINT "s1_x1"', None),
    ],
)
def test_write_of_reads_the_statement_and_table(sql: str, expected: Any) -> None:
    assert write_of(sql) == expected
