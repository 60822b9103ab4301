"""The overview (Översikt): each card only for the roles that may see it, small
participant counts hidden, and what changed since the previous visit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from stegvis.associations.views import SESSION_LAST_OVERVIEW_VISIT
from stegvis.audit.services import audit_log
from stegvis.conftest import World
from stegvis.goals import services as goal_services
from stegvis.goals.overview import overview_data
from stegvis.participants.models import Policy
from stegvis.participants.tests.factories import ParticipantFactory, follow_up
from stegvis.participants.vocabulary import Gender

TODAY = timezone.localdate()
YEAR = TODAY.year


def page(client: Any, world: World) -> str:
    response = client.get(f"/f/{world.own.slug}/")
    assert response.status_code == 200
    return str(response.content.decode())


def goal_map_for(world: World) -> None:
    """A goal map of this year: one indicator not achieved, one not measurable yet."""
    chief = world.users["chief"]
    with scope(association=world.own):
        goal_map = goal_services.goal_map_ensure(actor=chief, association=world.own, year=YEAR)
        goal = goal_services.goal_create(
            actor=chief, goal_map=goal_map, perspective="Individ", text="Fler får stöd"
        )
        many = goal_services.indicator_create(
            actor=chief, goal=goal, text="Minst 100 deltagare", metric="participants"
        )
        goal_services.target_set(actor=chief, indicator=many, year=None, op=">=", value=100)
        some = goal_services.indicator_create(
            actor=chief, goal=goal, text="Minst 1 deltagare", metric="participants"
        )
        goal_services.target_set(actor=chief, indicator=some, year=None, op=">=", value=1)
        statistics = goal_services.indicator_create(
            actor=chief,
            goal=goal,
            text="Färre helårsekvivalenter",
            metric="full_year_equivalents",
        )
        goal_services.target_set(actor=chief, indicator=statistics, year=None, op="<=", value=1000)


def participants(world: World, count: int, **fields: Any) -> None:
    insats = follow_up(world).insats
    with scopes_disabled():
        for _ in range(count):
            ParticipantFactory(intervention=insats, start=datetime.date(YEAR, 1, 2), **fields)


@pytest.mark.django_db
def test_chief_sees_every_card_with_links(world: World, client_as: Any) -> None:
    html = page(client_as("chief"), world)
    for heading in (
        f"Målkarta {YEAR}",
        f"Budget {YEAR}",
        f"Deltagare {YEAR}",
        "Uppföljningar",
        "Ändringar senaste veckan",
        "Förbundet",
    ):
        assert heading in html
    assert f'href="/f/{world.own.slug}/mal/{YEAR}/"' in html
    assert f"Det finns ingen budget för {YEAR} ännu." in html
    assert f'href="/f/{world.own.slug}/installningar/logg/"' in html


def test_goal_map_card_counts_statuses_and_names_indicators_needing_attention(
    world: World, client_as: Any
) -> None:
    goal_map_for(world)
    participants(world, 6)
    html = page(client_as("reader"), world)
    assert "1 av 3" in html
    assert "Ej uppnått" in html and "Kan inte mätas än" in html
    data = overview_data(request_or_user=world.users["reader"], association=world.own)
    assert data.goals is not None
    # Not achieved first, then not measurable; the achieved one is not listed.
    assert [item.text for item in data.goals.attention] == [
        "Minst 100 deltagare",
        "Färre helårsekvivalenter",
    ]
    assert {c.status.value: c.count for c in data.goals.counts} == {
        "achieved": 1,
        "not_achieved": 1,
        "not_measurable": 1,
    }


def test_registrar_sees_no_budget_or_goal_map_but_own_insats_follow_ups(
    world: World, client_as: Any
) -> None:
    insats = follow_up(world).insats
    html = page(client_as("participant_registrar"), world)
    assert "/ekonomi/" not in html and "/mal/" not in html
    assert f"Deltagare {YEAR}" in html
    assert f'href="/f/{world.own.slug}/instrument/insats/{insats.pk}/att-gora/"' in html
    assert "Grannen" not in html  # an insats they do not work on


def test_reader_sees_follow_up_totals_but_no_insats_lists(world: World, client_as: Any) -> None:
    follow_up(world)
    html = page(client_as("reader"), world)
    assert "Uppföljningar" in html
    assert "/att-gora/" not in html


def test_system_admin_sees_only_the_association_card(world: World, client_as: Any) -> None:
    html = page(client_as("system_admin"), world)
    assert "Förbundet" in html
    assert f"Målkarta {YEAR}" not in html and f"Deltagare {YEAR}" not in html
    assert "Uppföljningar" not in html


def test_small_participant_counts_are_hidden_from_readers(world: World, client_as: Any) -> None:
    participants(world, 3)
    participants(world, 6, gender=Gender.MAN)
    data = overview_data(request_or_user=world.users["reader"], association=world.own)
    card = data.participants
    assert card is not None and card.min_cell == 5
    by_gender = {item.label: item.count for item in card.by_gender}
    # 3 women are below the min cell; the total would give them away with the men.
    assert by_gender["Kvinna"] is None
    assert card.participants is None or card.participants >= 5
    html = page(client_as("reader"), world)
    assert ">3<" not in html


def test_min_cell_follows_the_association_policy(world: World) -> None:
    with scopes_disabled():
        Policy.objects.update_or_create(association=world.own, defaults={"min_cell": 3})
    participants(world, 3)
    data = overview_data(request_or_user=world.users["reader"], association=world.own)
    assert data.participants is not None
    assert data.participants.min_cell == 3
    assert data.participants.participants == 3


def test_changes_since_the_previous_visit_by_others_grouped_by_area(
    world: World, client_as: Any
) -> None:
    client = client_as("reader")
    page(client, world)  # the first visit stores its time
    stored = client.session[SESSION_LAST_OVERVIEW_VISIT][world.own.slug]
    assert stored
    chief = world.users["chief"]
    with scope(association=world.own):
        audit_log(action="member.updated", actor=chief, association=world.own, obj=world.member)
        audit_log(
            action="budget_line.created",
            actor=chief,
            association=world.own,
            object_repr="Lokalhyra",
        )
        audit_log(
            action="member.updated",
            actor=world.users["reader"],  # the viewer's own change is not news
            association=world.own,
            obj=world.member,
        )
    html = page(client, world)
    assert "Sedan ditt senaste besök" in html
    data = overview_data(
        request_or_user=world.users["reader"],
        association=world.own,
        since=datetime.datetime.fromisoformat(stored),
    )
    assert data.changes is not None
    assert {area.key: area.count for area in data.changes.areas} == {
        "associations": 1,
        "finance": 1,
    }
    assert "Egna kommun" in html
    # The reader may not read the log: no names of who did it.
    assert "(chief)" not in html


def test_changes_never_show_participant_codes_nor_areas_the_role_does_not_cover(
    world: World, client_as: Any
) -> None:
    insats = follow_up(world).insats
    with scopes_disabled():
        participant = ParticipantFactory(intervention=insats, code="HEMLIG-1")
    with scope(association=world.own):
        audit_log(
            action="participant.created",
            actor=world.users["participant_registrar"],
            association=world.own,
            obj=participant,
        )
        audit_log(
            action="budget_line.created",
            actor=world.users["chief"],
            association=world.own,
            object_repr="Lokalhyra",
        )
    chief = page(client_as("chief"), world)
    assert "HEMLIG-1" not in chief
    assert "Deltagare: ny" in chief
    registrar = page(client_as("participant_registrar"), world)
    assert "Lokalhyra" not in registrar  # Ekonomi is not the registrar's
    data = overview_data(request_or_user=world.users["intervention_owner"], association=world.own)
    assert data.changes is not None
    assert {"participants", "finance"} <= {area.key for area in data.changes.areas}
    registrar_data = overview_data(
        request_or_user=world.users["participant_registrar"], association=world.own
    )
    assert registrar_data.changes is not None
    assert "finance" not in {area.key for area in registrar_data.changes.areas}


def test_overview_is_not_shown_to_outsiders(world: World, client_as: Any) -> None:
    assert client_as("outsider").get(f"/f/{world.own.slug}/").status_code == 404
    assert client_as("national_reader").get(f"/f/{world.own.slug}/").status_code == 404


def test_cached_parts_follow_every_change_made_through_the_services(world: World) -> None:
    goal_map_for(world)
    participants(world, 6)
    reader = world.users["reader"]
    first = overview_data(request_or_user=reader, association=world.own)
    assert first.participants is not None and first.participants.participants == 6
    participants(world, 4)
    # A write through a service (here its audit line) makes a new data version.
    with scope(association=world.own):
        audit_log(action="participants.imported", actor=None, association=world.own)
    second = overview_data(request_or_user=reader, association=world.own)
    assert second.participants is not None and second.participants.participants == 10
