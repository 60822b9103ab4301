"""Reads of insatser and applications: the list with budget and participants, a
round's sums, what the board has to decide, and who may change an insats."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from stegvis.associations.roles import Role
from stegvis.conftest import World
from stegvis.finance import services as finance_services
from stegvis.interventions import selectors, services
from stegvis.interventions.models import Application, Decision, Intervention, Kind
from stegvis.interventions.tests.factories import (
    InterventionFactory,
    decide,
    parties,
    plan_of,
    prepared,
    round_of,
    submitted,
)

pytestmark = pytest.mark.django_db

Status = Intervention.Status


def granted(world: World, title: str, **values: Any) -> Intervention:
    plan_of(world)
    decision = decide(world, prepared(world, title=title, **values))
    assert decision.intervention is not None
    return decision.intervention


def rows(world: World, **filters: Any) -> list[selectors.InterventionRow]:
    with scope(association=world.own):
        return selectors.intervention_rows(association=world.own, **filters)


def test_rows_show_owner_members_budget_and_participants(world: World) -> None:
    granted(world, "Stegen")
    p = parties(world)
    with scope(association=world.own):
        InterventionFactory(association=world.own, name="Aktivitetshuset", owner=p.region)
    found = rows(world)
    assert [row.name for row in found] == ["Aktivitetshuset", "Stegen"]
    stegen = found[1]
    assert stegen.owner == "Egna kommun"
    assert stegen.members == ["Försäkringskassan", "Region Eget", "Egna kommun"]
    assert stegen.budget_by_year == {2026: 1_200_000, 2027: 1_000_000}
    assert stegen.budget == 2_200_000
    assert stegen.planned_by_year == {2026: 40, 2027: 35}
    assert stegen.planned_participants == 75
    assert (stegen.status, stegen.status_label) == (Status.GRANTED, "Beviljad")
    assert found[0].budget == 0


def test_rows_filter_by_kind_status_member_and_year(world: World) -> None:
    granted(world, "Stegen")
    p = parties(world)
    with scope(association=world.own):
        InterventionFactory(
            association=world.own,
            name="Samverkansforum",
            kind=Kind.STRUCTURAL,
            owner=p.fk,
            start=datetime.date(2024, 1, 1),
            end=datetime.date(2024, 12, 31),
        )
    assert [r.name for r in rows(world, kind=Kind.STRUCTURAL)] == ["Samverkansforum"]
    assert [r.name for r in rows(world, status=Status.GRANTED)] == ["Stegen"]
    assert [r.name for r in rows(world, member=p.region)] == ["Stegen"]
    assert [r.name for r in rows(world, member=p.fk)] == ["Samverkansforum", "Stegen"]
    assert [r.name for r in rows(world, year=2024)] == ["Samverkansforum"]
    (stegen,) = rows(world, year=2027)
    assert (stegen.budget, stegen.planned_participants) == (1_000_000, 35)


def test_totals_add_up_the_rows(world: World) -> None:
    granted(world, "Stegen")
    granted(world, "Vägen", years={2026: (500_000, 10)})
    total = selectors.totals(rows(world))
    assert total.count == 2
    assert total.budget == 2_700_000
    assert total.budget_by_year == {2026: 1_700_000, 2027: 1_000_000}
    assert total.planned_participants == 85
    assert total.planned_by_year == {2026: 50, 2027: 35}


def test_rows_take_a_constant_number_of_queries(world: World) -> None:
    granted(world, "Stegen")
    with CaptureQueriesContext(connection) as few:
        rows(world)
    for n in range(4):
        granted(world, f"Insats {n}")
    with CaptureQueriesContext(connection) as many:
        found = rows(world)
    assert len(found) == 5
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_year_counts_from_the_budget_it_is_followed_up_against(world: World) -> None:
    intervention = granted(world, "Stegen")  # Budget 2026, plan 2027
    with scope(association=world.own):
        later = finance_services.plan_create(
            actor=None, association=world.own, first_year=2027, last_year=2028
        )
    application = prepared(
        world,
        intervention=intervention,
        round=round_of(world, name="Vår"),
        years={2027: (900_000, 30)},
    )
    decide(world, application)
    with scope(association=world.own):
        # Budget 2026 still lists 1 000 000 for 2027 as a plan year; Budget 2027 rules.
        assert selectors.intervention_budget(intervention) == {2026: 1_200_000, 2027: 900_000}
        assert later.lines.filter(name="Stegen").exists()


def test_round_summary_adds_up_applied_recommended_and_granted(world: World) -> None:
    plan_of(world)
    round = round_of(world, amount_available=3_000_000)
    first = prepared(world, title="Stegen", round=round)
    decide(world, first, outcome=Decision.Outcome.PARTIAL, granted={2026: 1_000_000})
    prepared(
        world,
        title="Vägen",
        round=round,
        years={2026: (400_000, 10)},
        recommendation=Application.Recommendation.REJECT,
    )
    submitted(world, title="Bron", round=round, years={2026: (100_000, 5)})
    with scope(association=world.own):
        summary = selectors.round_summary(round)
    assert summary.available == 3_000_000
    assert summary.applied == 2_200_000 + 400_000 + 100_000
    assert summary.recommended == 2_200_000
    assert summary.granted == 1_000_000
    assert summary.remaining == 2_000_000
    assert [row.title for row in summary.rows] == ["Stegen", "Vägen", "Bron"]
    stegen = summary.rows[0]
    assert stegen.granted == {2026: 1_000_000, 2027: 0}
    assert stegen.sharing_members == ["Försäkringskassan", "Region Eget"]
    assert summary.rows[2].recommended == {}


def test_applications_to_decide_are_the_prepared_ones(world: World) -> None:
    round = round_of(world)
    prepared(world, title="Stegen", round=round)
    submitted(world, title="Bron", round=round)
    with scope(association=world.own):
        waiting = selectors.applications_to_decide(association=world.own)
    assert [row.title for row in waiting] == ["Stegen"]
    assert waiting[0].recommended == {2026: 1_200_000, 2027: 1_000_000}
    assert waiting[0].recommendation == Application.Recommendation.APPROVE


def test_open_rounds(world: World) -> None:
    round = round_of(world)
    with scope(association=world.own):
        assert selectors.open_rounds(association=world.own, on=round.opens) == [round]
        assert selectors.open_rounds(association=world.own, on=datetime.date(2030, 1, 1)) == []


def test_interventions_for_user_and_who_may_edit(world: World) -> None:
    p = parties(world)
    owner = world.users["intervention_owner"]
    with scope(association=world.own):
        own = InterventionFactory(association=world.own, name="Stegen", owner=p.kommun)
        other = InterventionFactory(association=world.own, name="Vägen", owner=p.kommun)
        services.staff_add(actor=None, intervention=own, user=owner)
        assert selectors.interventions_for_user(association=world.own, user=owner) == [own]

        def may(person: str, role: str, intervention: Intervention) -> bool:
            return selectors.can_edit_intervention(
                request_or_user=world.users[person], role=role, intervention=intervention
            )

        assert may("chief", Role.CHIEF, other)
        assert may("intervention_owner", Role.INTERVENTION_OWNER, own)
        assert not may("intervention_owner", Role.INTERVENTION_OWNER, other)
        assert not may("reader", Role.READER, own)
        assert not may("participant_registrar", Role.PARTICIPANT_REGISTRAR, own)
        assert not may("system_admin", Role.SYSTEM_ADMIN, own)

        class Request:
            user = owner

        assert selectors.can_edit_intervention(
            request_or_user=Request(), role=Role.INTERVENTION_OWNER, intervention=own
        )


def test_other_associations_insatser_are_not_listed(world: World) -> None:
    granted(world, "Stegen")
    with scope(association=world.other):
        assert selectors.intervention_rows(association=world.other) == []
