"""The tenant guard: a förbund's data is reached only through the förbund."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from stegvis.associations.models import Member
from stegvis.associations.selectors import associations_for_user
from stegvis.conftest import World


def test_a_query_that_forgets_the_association_fails(world: World) -> None:
    with pytest.raises(ScopeError):
        list(Member.objects.all())


def test_inside_a_scope_only_that_associations_rows_exist(world: World) -> None:
    with scope(association=world.own):
        names = set(Member.objects.values_list("name", flat=True))
    assert names == {"Egna kommun"}


def test_user_in_two_associations_can_switch_between_them(world: World, client_as: Any) -> None:
    from stegvis.associations.tests.factories import MembershipFactory

    reader = world.users["reader"]
    with scope(association=world.other):
        MembershipFactory(association=world.other, user=reader, role="reader")
    client = client_as("reader")
    # With two förbund the start page offers a choice...
    picker = client.get("/", follow=True)
    html = picker.content.decode()
    assert world.own.name in html and world.other.name in html
    # ...then remembers the last one visited.
    assert client.get(f"/f/{world.other.slug}/").status_code == 200
    assert client.get("/")["Location"] == f"/f/{world.other.slug}/"
    assert client.get(f"/f/{world.own.slug}/").status_code == 200
    assert client.get("/")["Location"] == f"/f/{world.own.slug}/"
    assert [c.association for c in associations_for_user(reader)] == [world.other, world.own]


def test_header_shows_association_user_and_role(world: World, client_as: Any) -> None:
    html = client_as("reader").get(f"/f/{world.own.slug}/").content.decode()
    assert world.own.name in html
    assert "Styrelse/läsare" in html
    assert 'aria-current="page">Översikt' in html


def test_navigation_shows_only_what_the_role_may_use(world: World, client_as: Any) -> None:
    reader = (
        client_as("reader").get(f"/f/{world.own.slug}/installningar/medlemmar/").content.decode()
    )
    chief = client_as("chief").get(f"/f/{world.own.slug}/installningar/medlemmar/").content.decode()
    assert "Personer och roller" not in reader and ">Logg<" not in reader
    assert "Lägg till medlem" not in reader
    assert "Personer och roller" in chief and ">Logg<" in chief and "Lägg till medlem" in chief


def test_system_admin_reaches_every_association_without_participant_permissions(
    world: World,
) -> None:
    from stegvis.associations.roles import Permission, Role, permissions_for

    choices = associations_for_user(world.users["system_admin"])
    assert {c.association for c in choices} == {world.own, world.other}
    assert Permission.VIEW_PARTICIPANT_ROWS not in permissions_for(Role.SYSTEM_ADMIN)
    assert Permission.REGISTER_PARTICIPANTS not in permissions_for(Role.SYSTEM_ADMIN)


def test_only_row_reading_roles_and_admins_need_two_factors() -> None:
    from stegvis.associations.roles import Role, role_requires_second_factor

    needs = {role for role in Role if role_requires_second_factor(role)}
    assert needs == {Role.CHIEF, Role.PARTICIPANT_REGISTRAR, Role.SYSTEM_ADMIN}
