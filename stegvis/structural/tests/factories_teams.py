"""Data for the konsultationsteam tests: teams, representatives, meetings, attendance
and rates in the `world` fixture's förbund. Make them with `scopes_disabled()` or
inside a scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import factory
from django_scopes import scopes_disabled

from stegvis.associations.models import Association, Member
from stegvis.associations.tests.factories import MemberFactory
from stegvis.structural.models import (
    ConsultationTeam,
    FinancingRate,
    MeetingAttendance,
    MeetingCases,
    TeamMeeting,
    TeamRepresentative,
)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationTeam

    association = factory.SubFactory("stegvis.associations.tests.factories.AssociationFactory")
    name = factory.Sequence(lambda n: f"Konsultationsteam {n}")


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamRepresentative

    team = factory.SubFactory(TeamFactory)
    association = factory.SelfAttribute("team.association")
    member = factory.SubFactory(
        "stegvis.associations.tests.factories.MemberFactory",
        association=factory.SelfAttribute("..association"),
    )
    name = factory.Sequence(lambda n: f"Handläggare {n}")
    title = "Handläggare"
    valid_from = datetime.date(2024, 1, 1)
    valid_to = None


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMeeting

    team = factory.SubFactory(TeamFactory)
    association = factory.SelfAttribute("team.association")
    date = datetime.date(2024, 2, 14)
    duration_minutes = 120


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(MeetingFactory)
    association = factory.SelfAttribute("meeting.association")
    representative = factory.SubFactory(
        RepresentativeFactory, team=factory.SelfAttribute("..meeting.team")
    )
    attended = True


class CasesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingCases

    meeting = factory.SubFactory(MeetingFactory)
    association = factory.SelfAttribute("meeting.association")
    member = factory.SubFactory(
        "stegvis.associations.tests.factories.MemberFactory",
        association=factory.SelfAttribute("..association"),
    )
    new_cases = 1
    follow_up_cases = 0


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingRate

    association = factory.SubFactory("stegvis.associations.tests.factories.AssociationFactory")
    team = None
    member = None
    unit = FinancingRate.Unit.MEETING
    amount = 1500
    valid_from = datetime.date(2024, 1, 1)


# ---------------------------------------------------------------------------
# A year counted by hand (the same as test_financing.py's plain values)


D = datetime.date


@dataclass
class TeamYear:
    """2024 in one team of a förbund:

    | meeting    | Anna/Bertil (FK) | Cecilia (AF) | David (region) | Eva (kommun) |
    |------------|------------------|--------------|----------------|--------------|
    | 2024-01-10 | Anna ✓           | ✓            | ✓ 2 h          | ✓            |
    | 2024-02-14 | Anna ✓           | –            | ✓ 1,5 h        | ✓            |
    | 2024-03-13 | Anna ✓           | ✓            | –              | –            |
    | 2024-03-27 | cancelled: everyone recorded present, nobody earns          |
    | 2024-04-10 | Bertil ✓         | ✓            | ✓ 2 h          | ✓            |
    | 2024-05-08 | Bertil ✓         | –            | ✓ 2 h          | –            |

    Anna represents FK until 15 March, Bertil from 16 March. Rates: 1 500 kr per
    meeting for every member, FK 1 800 kr from 1 April, the region 600 kr per hour,
    the kommun 0 kr. Tertial 1: FK 6 300 (4), AF 4 500 (3), region 3 300 (3, 5,5 h),
    kommun 0 (3): 14 100 kr. Helår: 17 100 kr.
    """

    team: ConsultationTeam
    fk: Member
    af: Member
    region: Member
    kommun: Member
    anna: TeamRepresentative
    bertil: TeamRepresentative
    cecilia: TeamRepresentative
    david: TeamRepresentative
    eva: TeamRepresentative
    meetings: list[TeamMeeting]


def team_year(association: Association, *, kommun: Member | None = None) -> TeamYear:
    """Made with scopes disabled."""
    with scopes_disabled():
        fk = MemberFactory(association=association, name="Försäkringskassan", kind="state")
        af = MemberFactory(association=association, name="Arbetsförmedlingen", kind="state")
        region = MemberFactory(association=association, name="Region Test", kind="region")
        kommun = kommun or MemberFactory(association=association, name="Testby kommun")
        team = TeamFactory(association=association, name="Konsultationsteam Mitt")
        anna = RepresentativeFactory(
            team=team, member=fk, name="Anna Andersson", valid_to=D(2024, 3, 15)
        )
        bertil = RepresentativeFactory(
            team=team, member=fk, name="Bertil Berg", valid_from=D(2024, 3, 16), replaces=anna
        )
        cecilia = RepresentativeFactory(team=team, member=af, name="Cecilia Cederlund")
        david = RepresentativeFactory(team=team, member=region, name="David Dahl")
        eva = RepresentativeFactory(team=team, member=kommun, name="Eva Ek")
        dates = [D(2024, 1, 10), D(2024, 2, 14), D(2024, 3, 13), D(2024, 3, 27)]
        dates += [D(2024, 4, 10), D(2024, 5, 8)]
        meetings = [
            MeetingFactory(team=team, date=day, cancelled=(day == D(2024, 3, 27))) for day in dates
        ]
        present: list[tuple[int, Any, bool, Decimal | None]] = [
            (0, anna, True, None),
            (0, cecilia, True, None),
            (0, david, True, None),
            (0, eva, True, None),
            (1, anna, True, None),
            (1, cecilia, False, None),
            (1, david, True, Decimal("1.5")),
            (1, eva, True, None),
            (2, anna, True, None),
            (2, cecilia, True, None),
            (2, david, False, None),
            (2, eva, False, None),
            (3, bertil, True, None),
            (3, cecilia, True, None),
            (3, david, True, None),
            (3, eva, True, None),
            (4, bertil, True, None),
            (4, cecilia, True, None),
            (4, david, True, None),
            (4, eva, True, None),
            (5, bertil, True, None),
            (5, cecilia, False, None),
            (5, david, True, None),
            (5, eva, False, None),
        ]
        for index, person, attended, hours in present:
            AttendanceFactory(
                meeting=meetings[index], representative=person, attended=attended, hours=hours
            )
        CasesFactory(meeting=meetings[0], member=kommun, new_cases=2, follow_up_cases=1)
        CasesFactory(meeting=meetings[1], member=fk, new_cases=1, follow_up_cases=0)
        CasesFactory(meeting=meetings[4], member=kommun, new_cases=1, follow_up_cases=2)
        RateFactory(association=association, amount=1500)
        RateFactory(association=association, member=region, unit="hour", amount=600)
        RateFactory(association=association, member=kommun, amount=0)
        RateFactory(association=association, member=fk, amount=1800, valid_from=D(2024, 4, 1))
    return TeamYear(team, fk, af, region, kommun, anna, bertil, cecilia, david, eva, meetings)


# ---------------------------------------------------------------------------
# The permission matrix's objects


@dataclass
class TeamObjects:
    team: ConsultationTeam
    meeting: TeamMeeting
    representative: TeamRepresentative
    rate: FinancingRate


def _team_objects(association: Association, member: Member) -> TeamObjects:
    team, _ = ConsultationTeam.objects.get_or_create(
        association=association, name="Matrisens konsultationsteam"
    )
    representative, _ = TeamRepresentative.objects.get_or_create(
        association=association,
        team=team,
        member=member,
        name="Matris Representant",
        defaults={"valid_from": D(2024, 1, 1)},
    )
    meeting, _ = TeamMeeting.objects.get_or_create(
        association=association, team=team, date=D(2024, 2, 14)
    )
    rate, _ = FinancingRate.objects.get_or_create(
        association=association,
        team=team,
        member=None,
        defaults={"amount": 1500, "valid_from": D(2024, 1, 1)},
    )
    return TeamObjects(team, meeting, representative, rate)


def teams_path(world: Any, rest: str) -> str:
    """A konsultationsteam path of the own förbund, with `{team}`, `{meeting}`,
    `{representative}`, `{rate}` and the other förbund's `{other_team}` … filled in."""
    with scopes_disabled():
        own = _team_objects(world.own, world.member)
        other = _team_objects(world.other, world.other_member)
    values = {
        "team": own.team.pk,
        "meeting": own.meeting.pk,
        "representative": own.representative.pk,
        "rate": own.rate.pk,
        "other_team": other.team.pk,
        "other_meeting": other.meeting.pk,
        "other_representative": other.representative.pk,
        "other_rate": other.rate.pk,
    }
    return f"/f/{world.own.slug}/samverkan/konsultationsteam/" + rest.format(**values)
