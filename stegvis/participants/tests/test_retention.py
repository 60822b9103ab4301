"""Gallring: rows of participants who exited long ago go; their counts stay."""

from __future__ import annotations

import datetime
from typing import Any

from django_scopes import scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.participants.models import Participant, Policy, RetainedCount
from stegvis.participants.retention import participants_purge
from stegvis.participants.tests.factories import ParticipantFactory, follow_up

TODAY = datetime.date(2025, 6, 1)


def make(world: Any, code: str, *, exit: datetime.date | None, **kwargs: Any) -> Participant:
    with scopes_disabled():
        participant: Participant = ParticipantFactory(
            intervention=follow_up(world).insats,
            code=code,
            start=datetime.date(2010, 2, 1),
            exit=exit,
            outcome="arbete" if exit else "",
            **kwargs,
        )
        return participant


def test_purge_removes_old_exits_and_keeps_their_counts(world: Any) -> None:
    make(world, "OLD1", exit=datetime.date(2019, 5, 31))
    make(world, "OLD2", exit=datetime.date(2019, 3, 1))
    make(world, "OLD3", exit=datetime.date(2019, 4, 1), gender="man")
    make(world, "EDGE", exit=datetime.date(2020, 6, 1))  # exactly five years: kept
    make(world, "ACTIVE", exit=None)
    removed = participants_purge(association=world.own, older_than_years=5, today=TODAY)
    assert removed == 3
    with scopes_disabled():
        assert set(Participant.objects.values_list("code", flat=True)) == {"EDGE", "ACTIVE"}
        kept = {
            (r.gender, r.start_year, r.exit_year, r.outcome): r.count
            for r in RetainedCount.objects.filter(association=world.own)
        }
        entry = AuditEntry.objects.get(action="participants.purged")
    assert kept == {("kvinna", 2010, 2019, "arbete"): 2, ("man", 2010, 2019, "arbete"): 1}
    assert entry.changes["count"] == 3


def test_purge_adds_to_existing_counts(world: Any) -> None:
    make(world, "A", exit=datetime.date(2015, 1, 1))
    participants_purge(association=world.own, older_than_years=5, today=TODAY)
    make(world, "B", exit=datetime.date(2015, 2, 1))
    participants_purge(association=world.own, older_than_years=5, today=TODAY)
    with scopes_disabled():
        assert RetainedCount.objects.get(association=world.own).count == 2


def test_default_is_the_policy_and_none_removes_nothing(world: Any) -> None:
    make(world, "A", exit=datetime.date(2015, 1, 1))
    assert participants_purge(association=world.own, today=TODAY) == 0
    with scopes_disabled():
        Policy.objects.update_or_create(association=world.own, defaults={"retention_years": 3})
    assert participants_purge(association=world.own, today=TODAY, dry_run=True) == 1
    with scopes_disabled():
        assert Participant.objects.count() == 1
    assert participants_purge(association=world.own, today=TODAY) == 1
    with scopes_disabled():
        assert Participant.objects.count() == 0


def test_other_associations_rows_are_not_touched(world: Any) -> None:
    with scopes_disabled():
        ParticipantFactory(
            intervention=follow_up(world).other_insats,
            start=datetime.date(2009, 1, 1),
            exit=datetime.date(2010, 1, 1),
            outcome="flytt",
        )
    assert participants_purge(association=world.own, older_than_years=1, today=TODAY) == 0
    with scopes_disabled():
        assert Participant.objects.count() == 1
