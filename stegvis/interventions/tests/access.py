"""Test data for the permission matrix (core/tests/test_permissions.py): an insats of
the own förbund that the insatsansvarig works with, with a mätpunkt, a document, a
styrgrupp seat and a deltagaransvarig; a round with a submitted, a prepared and a
decided application; and the other förbund's insats, application and decision for
the 404 rows. Made on first use, found by name after that. No tests here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django_scopes import scope, scopes_disabled

from stegvis.associations import services as association_services
from stegvis.associations.tests.factories import MemberFactory
from stegvis.interventions import services
from stegvis.interventions.models import (
    Application,
    ApplicationRound,
    Decision,
    DocumentReference,
    Intervention,
    Kind,
    Target,
)
from stegvis.interventions.tests.factories import (
    IN_ROUND,
    InterventionFactory,
    decide,
    plan_of,
    prepared,
    round_of,
    submitted,
)

INSATS = "Matrisinsatsen"


@dataclass
class AccessData:
    insats: Intervention
    target: Target
    document: DocumentReference
    seat: Any
    staff_user: Any
    round: ApplicationRound
    application: Application
    prepared: Application
    decision: Decision
    other_insats: Intervention
    other_application: Application
    other_decision: Decision


def _own(world: Any) -> None:
    with scope(association=world.own):
        insats = InterventionFactory(association=world.own, owner=world.member, name=INSATS)
        services.staff_add(actor=None, intervention=insats, user=world.users["intervention_owner"])
        services.staff_add(
            actor=None, intervention=insats, user=world.users["participant_registrar"]
        )
        services.target_add(
            actor=None, intervention=insats, text="Minst 20 deltar", metric="participants"
        )
        services.document_add(actor=None, intervention=insats, reference="Dnr M", title="Avtal")
        group = services.steering_group_ensure(actor=None, intervention=insats)
        association_services.seat_create(
            actor=None, group=group, person_name="Matris Ledamot", function="participant"
        )
    plan_of(world)
    round = round_of(world, name="Matrisomgång")
    submitted(world, title="Matrisansökan", round=round)
    prepared(world, title="Matrisberedd", round=round)
    decide(world, prepared(world, title="Matrisbeslut", round=round))


def _other(world: Any) -> None:
    with scope(association=world.other):
        InterventionFactory(association=world.other, owner=world.other_member, name="Annans")
        partner: Any = MemberFactory(association=world.other, name="Annan region", kind="region")
        round = ApplicationRound.objects.create(
            association=world.other,
            name="Annans omgång",
            opens=IN_ROUND,
            closes=IN_ROUND,
            amount_available=1_000_000,
        )
        application = services.application_submit(
            actor=None,
            association=world.other,
            round=round,
            title="Annans ansökan",
            kind=Kind.STRUCTURAL,
            applicant=world.other_member,
            sharing_members=[partner],
            need="Behov",
            goals="Mål",
            years={2026: (100_000, 0)},
            on=IN_ROUND,
        )
        services.application_prepare(
            actor=None,
            application=application,
            notes="",
            recommendation="reject",
            recommended={},
        )
        services.decision_record(
            actor=None,
            application=application,
            meeting_date=IN_ROUND,
            paragraph="§ 1",
            outcome="reject",
            granted={},
        )


def access_data(world: Any) -> AccessData:
    with scopes_disabled():
        if not Intervention.objects.filter(association=world.own, name=INSATS).exists():
            _own(world)
            _other(world)
        insats = Intervention.objects.get(association=world.own, name=INSATS)
        applications = {a.title: a for a in Application.objects.all()}
        return AccessData(
            insats=insats,
            target=Target.objects.get(intervention=insats),
            document=DocumentReference.objects.get(intervention=insats),
            seat=insats.steering_group.seats.get(),
            staff_user=world.users["participant_registrar"],
            round=ApplicationRound.objects.get(association=world.own, name="Matrisomgång"),
            application=applications["Matrisansökan"],
            prepared=applications["Matrisberedd"],
            decision=Decision.objects.get(application=applications["Matrisbeslut"]),
            other_insats=Intervention.objects.get(association=world.other),
            other_application=applications["Annans ansökan"],
            other_decision=Decision.objects.get(association=world.other),
        )


def interventions_path(world: Any, rest: str) -> str:
    """/f/<own>/insatser/<rest>, with {insats}, {target}, {document}, {seat},
    {staff_user}, {round}, {application}, {prepared}, {decision} and {other_…}
    filled in from `access_data` (which this makes first)."""
    data = access_data(world)
    rest = rest.format(
        insats=data.insats.pk,
        target=data.target.pk,
        document=data.document.pk,
        seat=data.seat.pk,
        staff_user=data.staff_user.pk,
        round=data.round.pk,
        application=data.application.pk,
        prepared=data.prepared.pk,
        decision=data.decision.pk,
        other_insats=data.other_insats.pk,
        other_application=data.other_application.pk,
        other_decision=data.other_decision.pk,
    )
    return f"/f/{world.own.slug}/insatser/{rest}"
