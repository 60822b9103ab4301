"""Data for the insats tests: members, a round, an application at each step, a plan
to write granted money in. Everything in the `world` fixture's own förbund."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import factory
from django_scopes import scope

from stegvis.associations.models import Member
from stegvis.associations.tests.factories import MemberFactory
from stegvis.finance import services as finance_services
from stegvis.finance.models import BudgetLine, Plan
from stegvis.interventions import services
from stegvis.interventions.models import (
    Application,
    ApplicationRound,
    Decision,
    Intervention,
    Kind,
    TargetGroup,
)

OPENS = datetime.date(2025, 9, 1)
CLOSES = datetime.date(2025, 10, 31)
IN_ROUND = datetime.date(2025, 9, 15)
MEETING = datetime.date(2025, 11, 20)


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    association = factory.SubFactory("stegvis.associations.tests.factories.AssociationFactory")
    name = factory.Sequence(lambda n: f"Målgrupp {n}")


class ApplicationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationRound

    association = factory.SubFactory("stegvis.associations.tests.factories.AssociationFactory")
    name = factory.Sequence(lambda n: f"Ansökningsomgång {n}")
    opens = OPENS
    closes = CLOSES
    amount_available = 3_000_000


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention
        skip_postgeneration_save = True

    association = factory.SubFactory("stegvis.associations.tests.factories.AssociationFactory")
    name = factory.Sequence(lambda n: f"Insats {n}")
    kind = Kind.INDIVIDUAL
    owner = factory.SubFactory(MemberFactory, association=factory.SelfAttribute("..association"))

    @factory.post_generation
    def members(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.members.set([self.owner, *(extracted or [])])


@dataclass
class Parties:
    """Three members of the own förbund: the state, the region and the municipality
    the `world` fixture made."""

    fk: Member
    region: Member
    kommun: Member


def parties(world: Any) -> Parties:
    with scope(association=world.own):
        fk = Member.objects.filter(association=world.own, name="Försäkringskassan").first()
        if fk is None:
            fk = MemberFactory(association=world.own, name="Försäkringskassan", kind="state")
        region = Member.objects.filter(association=world.own, name="Region Eget").first()
        if region is None:
            region = MemberFactory(association=world.own, name="Region Eget", kind="region")
        return Parties(fk=fk, region=region, kommun=world.member)


def round_of(world: Any, **values: Any) -> ApplicationRound:
    with scope(association=world.own):
        round: ApplicationRound = ApplicationRoundFactory(association=world.own, **values)
        return round


def plan_of(world: Any, first_year: int = 2026, last_year: int = 2027) -> Plan:
    """A budget of the own förbund covering the years, with a kansli line."""
    with scope(association=world.own):
        plan = Plan.objects.filter(association=world.own, first_year=first_year).first()
        if plan is None:
            plan = finance_services.plan_create(
                actor=None,
                association=world.own,
                first_year=first_year,
                last_year=last_year,
                opening_equity=1_000_000,
            )
            finance_services.budget_line_create(
                actor=None,
                plan=plan,
                side=BudgetLine.Side.COST,
                name="Kansli",
                category="administration",
                amounts=dict.fromkeys(plan.years, 400_000),
            )
        return plan


def submitted(
    world: Any,
    *,
    title: str = "Stegen",
    years: dict[int, tuple[int, int]] | None = None,
    round: ApplicationRound | None = None,
    **values: Any,
) -> Application:
    p = parties(world)
    round = round or round_of(world)
    with scope(association=world.own):
        return services.application_submit(
            actor=world.users["chief"],
            association=world.own,
            round=round,
            title=title,
            kind=values.pop("kind", Kind.INDIVIDUAL),
            applicant=values.pop("applicant", p.kommun),
            sharing_members=values.pop("sharing_members", [p.fk, p.region]),
            need=values.pop("need", "Unga vuxna långt från arbetsmarknaden."),
            goals=values.pop(
                "goals", "Hälften av deltagarna går vidare till arbete eller studier."
            ),
            years=years if years is not None else {2026: (1_200_000, 40), 2027: (1_000_000, 35)},
            on=values.pop("on", IN_ROUND),
            **values,
        )


def prepared(
    world: Any,
    application: Application | None = None,
    *,
    recommendation: str = Application.Recommendation.APPROVE,
    recommended: dict[int, int] | None = None,
    **values: Any,
) -> Application:
    application = application or submitted(world, **values)
    with scope(association=world.own):
        return services.application_prepare(
            actor=world.users["chief"],
            application=application,
            notes="Behovet delas av tre parter.",
            recommendation=recommendation,
            recommended=recommended or {},
        )


def decide(
    world: Any,
    application: Application,
    *,
    outcome: str = Decision.Outcome.APPROVE,
    granted: dict[int, int] | None = None,
    **values: Any,
) -> Decision:
    with scope(association=world.own):
        return services.decision_record(
            actor=world.users["chief"],
            application=application,
            meeting_date=values.pop("meeting_date", MEETING),
            paragraph=values.pop("paragraph", "§ 42"),
            outcome=outcome,
            granted=granted or {},
            **values,
        )
