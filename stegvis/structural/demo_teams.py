"""A demo konsultationsteam at Samspelet with attendance-based financing (seeds/000_…
B2: "Parternas handläggare ger varandra konsultation i förbundets konsultationsteam
… en närvarobaserad modell för finansiering av Region Blekinges, Arbetsförmedlingens
och Försäkringskassans personal").

One team in Karlstad with representatives of Försäkringskassan, Arbetsförmedlingen,
Region Värmland and Karlstads kommun; meetings on the second and fourth Wednesday of
each month for the past year (not in July), one of them cancelled, and a few ahead;
the Försäkringskassan representative replaced half-way; rates per meeting for the
state's and the region's staff (the region per hour), none for the kommun, raised
from the first of January. Attendance and case counts are drawn with a fixed seed.
Made through the services, once: a förbund that has the team is left alone.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from stegvis.associations import services as association_services
from stegvis.associations.models import Association, Member, WorkingGroup
from stegvis.structural import services_teams as services
from stegvis.structural.models import ConsultationTeam
from stegvis.structural.services_teams import Presence

TEAM = "Konsultationsteam Karlstad"
DESCRIPTION = (
    "Handläggare från Försäkringskassan, Arbetsförmedlingen, Region Värmland och "
    "Karlstads kommun ger varandra konsultation i ärenden där flera parter behövs. "
    "Ärenden anmäls av handläggaren och tas upp utan personuppgifter."
)
# member, name, title, how often they come, new cases per meeting (max)
PEOPLE = [
    ("Försäkringskassan", "Maria Lind", "Handläggare sjukförsäkring", 0.9, 2),
    ("Arbetsförmedlingen", "Petra Holm", "Arbetsförmedlare", 0.75, 1),
    ("Region Värmland", "Sofia Berg", "Arbetsterapeut, vårdcentral", 0.85, 1),
    ("Karlstads kommun", "Ali Rahimi", "Socialsekreterare", 0.95, 3),
]
SUCCESSOR = ("Försäkringskassan", "Oskar Nyström", "Handläggare sjukförsäkring")
SEED = 2024
WEDNESDAY = 2
FUTURE_DAYS = 75  # about ten weeks: past July when it comes


def _meeting_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The second and fourth Wednesday of every month from `start` to `end`, not July."""
    days = []
    first = start.replace(day=1)
    while first <= end:
        wednesday = first + datetime.timedelta(days=(WEDNESDAY - first.weekday()) % 7)
        for day in (wednesday + datetime.timedelta(days=7), wednesday + datetime.timedelta(21)):
            if start <= day <= end and day.month != 7:
                days.append(day)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return days


def demo_teams_load(association: Association, *, today: datetime.date | None = None) -> list[str]:
    """The demo team, its year of meetings and the rates; nothing when it exists."""
    today = today or timezone.localdate()
    with scope(association=association):
        if ConsultationTeam.objects.filter(association=association, name=TEAM).exists():
            return []
        members = {member.name: member for member in Member.objects.filter(association=association)}
        if any(name not in members for name, *_rest in PEOPLE):
            return []
        group = WorkingGroup.objects.filter(association=association, name=TEAM).first()
        if group is None:
            group = association_services.working_group_create(
                actor=None,
                association=association,
                kind=WorkingGroup.Kind.CONSULTATION,
                name=TEAM,
                description=DESCRIPTION,
            )
        team = services.team_create(
            actor=None,
            association=association,
            name=TEAM,
            description=DESCRIPTION,
            working_group=group,
        )
        start = today - datetime.timedelta(days=365)
        appointed = start - datetime.timedelta(days=14)
        people = {}
        for member, name, title, _often, _cases in PEOPLE:
            people[name] = services.representative_add(
                actor=None,
                team=team,
                member=members[member],
                name=name,
                title=title,
                valid_from=appointed,
            )
        # Försäkringskassan's representative changes half-way through the year.
        change = start + datetime.timedelta(days=182)
        successor = services.representative_replace(
            actor=None,
            representative=people["Maria Lind"],
            on=change,
            name=SUCCESSOR[1],
            title=SUCCESSOR[2],
        )
        _rates(association, members, appointed, today)
        days = _meeting_days(start, today + datetime.timedelta(days=FUTURE_DAYS))
        past = [day for day in days if day <= today]
        cancelled = past[len(past) * 2 // 3] if past else None
        chance = {name: often for _m, name, _t, often, _c in PEOPLE}
        chance[successor.name] = chance["Maria Lind"]
        most_cases = {member: cases for member, _n, _t, _o, cases in PEOPLE}
        draw = random.Random(SEED)  # noqa: S311 - demo numbers, not secrets
        for day in days:
            held = day <= today
            attendance = {}
            cases = {}
            if held:
                for rep in services.representatives_on(team, day):
                    came = draw.random() < chance.get(rep.name, 0.8)
                    hours = Decimal("1.5") if came and draw.random() < 0.15 else None
                    attendance[rep.pk] = Presence(came, hours)
                for member_name, most in most_cases.items():
                    new = draw.randint(0, most)
                    follow_up = draw.randint(0, 2) if new or draw.random() < 0.4 else 0
                    cases[members[member_name].pk] = (new, follow_up)
            meeting = services.meeting_create(
                actor=None,
                team=team,
                date=day,
                starts_at=datetime.time(9, 0),
                duration_minutes=120,
                attendance=attendance,
                cases=cases,
                today=today,
            )
            if day == cancelled:
                services.meeting_cancel(
                    actor=None,
                    meeting=meeting,
                    reason="Krock med parternas gemensamma utbildningsdag",
                )
    return [
        f"{association.name}: {TEAM} med {len(past)} möten det senaste året "
        f"(ett inställt, en representant utbytt) och {len(days) - len(past)} kommande"
    ]


def _rates(
    association: Association,
    members: dict[str, Member],
    start: datetime.date,
    today: datetime.date,
) -> None:
    """1 500 kr per attended meeting for the state's staff, 700 kr per hour for the
    region's, nothing for the kommun; 1 600 kr per meeting from this year's first of
    January."""
    decision = "Styrelsebeslut om närvarobaserad finansiering"
    services.rate_create(
        actor=None,
        association=association,
        team=None,
        member=None,
        unit="meeting",
        amount=1500,
        valid_from=start,
        note=decision,
    )
    services.rate_create(
        actor=None,
        association=association,
        team=None,
        member=members["Region Värmland"],
        unit="hour",
        amount=700,
        valid_from=start,
        note=decision,
    )
    services.rate_create(
        actor=None,
        association=association,
        team=None,
        member=members["Karlstads kommun"],
        unit="meeting",
        amount=0,
        valid_from=start,
        note="Kommunens personal finansieras inte av förbundet",
    )
    new_year = datetime.date(today.year, 1, 1)
    if new_year > start:
        services.rate_create(
            actor=None,
            association=association,
            team=None,
            member=None,
            unit="meeting",
            amount=1600,
            valid_from=new_year,
            note="Uppräkning enligt verksamhetsplanen",
        )
