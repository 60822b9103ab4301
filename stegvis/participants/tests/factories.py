"""Data for the participant tests, in the `world` fixture's own förbund.

`follow_up(world)` gives an insats the deltagaransvarig works on ("Stegen"), an insats
they do not ("Grannen"), the other förbund's insats, a kommun and a region member.
Participants are made with `ParticipantFactory(intervention=…)` inside a scope or
`scopes_disabled()`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import factory
from django_scopes import scopes_disabled

from stegvis.associations.models import Member
from stegvis.associations.tests.factories import MemberFactory
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import Intervention
from stegvis.interventions.tests.factories import InterventionFactory
from stegvis.participants.models import Participant
from stegvis.participants.vocabulary import Gender


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    intervention = factory.SubFactory(InterventionFactory)
    association = factory.SelfAttribute("intervention.association")
    code = factory.Sequence(lambda n: f"D{n:04d}")
    gender = Gender.WOMAN
    birth_year = 1990
    start = datetime.date(2024, 3, 1)


@dataclass
class FollowUp:
    insats: Intervention  # the deltagaransvarig's own insats
    neighbour: Intervention  # an insats of the same förbund they do not work on
    other_insats: Intervention  # the other förbund's
    kommun: Member
    region: Member


def follow_up(world: Any) -> FollowUp:
    """The insatser of the participant tests (made once per test database)."""
    with scopes_disabled():
        existing = Intervention.objects.filter(association=world.own, name="Stegen").first()
        if existing is None:
            kommun = world.member  # "Egna kommun", a municipality
            region = MemberFactory(
                association=world.own, name="Region Egen", kind=Member.Kind.REGION
            )
            insats = InterventionFactory(association=world.own, owner=kommun, name="Stegen")
            insats.members.add(kommun, region)
            intervention_services.staff_add(
                actor=None, intervention=insats, user=world.users["participant_registrar"]
            )
            intervention_services.staff_add(
                actor=None, intervention=insats, user=world.users["intervention_owner"]
            )
            InterventionFactory(association=world.own, owner=region, name="Grannen")
            InterventionFactory(
                association=world.other, owner=world.other_member, name="Annans steg"
            )
        return FollowUp(
            insats=Intervention.objects.get(association=world.own, name="Stegen"),
            neighbour=Intervention.objects.get(association=world.own, name="Grannen"),
            other_insats=Intervention.objects.get(association=world.other, name="Annans steg"),
            kommun=Member.objects.get(association=world.own, name="Egna kommun"),
            region=Member.objects.get(association=world.own, name="Region Egen"),
        )
