"""Shared fixtures: two förbund, a person in every role, and logged-in clients.

Every access test has an owner, a reader and an outsider from another förbund
(STYLE.md): `world` builds them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled
from hypothesis import settings as hypothesis_settings

from stegvis.associations.models import Association, Member, Membership, Seat, WorkingGroup
from stegvis.associations.roles import Role, role_requires_second_factor
from stegvis.associations.tests.factories import (
    AssociationFactory,
    MemberFactory,
    MembershipFactory,
    PopulationFactory,
    SeatFactory,
    UserFactory,
    WorkingGroupFactory,
)

# CI runs the property tests with a fixed seed, so a submission's result does not
# depend on luck; runs on a developer's machine keep exploring new examples.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

PASSWORD = "test-password-123"

# Everyone the permission matrix tries, by name.
PEOPLE = [
    "chief",
    "intervention_owner",
    "participant_registrar",
    "reader",
    "system_admin",
    "national_reader",
    "outsider",
    "anonymous",
]


@dataclass
class World:
    own: Association
    other: Association
    users: dict[str, Any] = field(default_factory=dict)
    member: Member | None = None
    other_member: Member | None = None
    group: WorkingGroup | None = None
    seat: Seat | None = None
    membership: Membership | None = None
    other_group: WorkingGroup | None = None


def verify_second_factor(client: Client, user: Any) -> None:
    """Mark the client's session as having passed the second factor."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


@pytest.fixture
def world(db: Any) -> World:
    with scopes_disabled():
        own = AssociationFactory(name="Samordningsförbundet Eget", slug="eget")
        other = AssociationFactory(name="Samordningsförbundet Annat", slug="annat")
        member = MemberFactory(association=own, name="Egna kommun")
        PopulationFactory(member=member, year=2024, population=12_345)
        other_member = MemberFactory(association=other, name="Andra kommun")
        group = WorkingGroupFactory(association=own, name="Styrelse")
        seat = SeatFactory(group=group, member=member, person_name="Anna Ledamot")
        other_group = WorkingGroupFactory(association=other, name="Annan styrelse")
        world = World(
            own=own,
            other=other,
            member=member,
            other_member=other_member,
            group=group,
            seat=seat,
            other_group=other_group,
        )
        for role in ["chief", "intervention_owner", "participant_registrar", "reader"]:
            user = UserFactory(username=role)
            membership = MembershipFactory(association=own, user=user, role=role)
            world.users[role] = user
            if role == "reader":
                world.membership = membership
        world.users["system_admin"] = UserFactory(
            username="system_admin", site_role=Role.SYSTEM_ADMIN
        )
        world.users["national_reader"] = UserFactory(
            username="national_reader", site_role=Role.NATIONAL_READER
        )
        outsider = UserFactory(username="outsider")
        MembershipFactory(association=other, user=outsider, role=Role.CHIEF)
        world.users["outsider"] = outsider
    return world


@pytest.fixture
def client_as(world: World) -> Any:
    """client_as("reader") → a client logged in as that person, second factor passed
    where their role needs it."""

    def make(person: str) -> Client:
        client = Client()
        if person == "anonymous":
            return client
        user = world.users[person]
        client.force_login(user)
        role = Role.CHIEF if person == "outsider" else (user.site_role or person)
        if role_requires_second_factor(role):
            verify_second_factor(client, user)
        return client

    return make
