"""The demo installation: two förbund from the seed plans, one user per role.

Samspelet (Värmland) follows `shared/seeds/003_…` and Blekinge follows
`shared/seeds/000_…`. Population figures are rounded approximations of SCB's
figures for the year, good enough to show the municipal key; person names in
the working groups are invented. Loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope

from stegvis.associations import services
from stegvis.associations.models import Association, Member, Membership, Seat, WorkingGroup
from stegvis.associations.roles import Role, role_requires_second_factor

DEMO_PASSWORD = "stegvis-demo"  # noqa: S105 - printed for the demo, never used in production

STATE = Member.Kind.STATE
REGION = Member.Kind.REGION
MUNICIPALITY = Member.Kind.MUNICIPALITY

ASSOCIATIONS: list[dict[str, Any]] = [
    {
        "slug": "samspelet",
        "name": "Samordningsförbundet Samspelet",
        "organisation_number": "222000-1636",
        "founded": datetime.date(2009, 1, 1),
        "seat": "Karlstad",
        "members": [
            ("Försäkringskassan", STATE, None),
            ("Arbetsförmedlingen", STATE, None),
            ("Region Värmland", REGION, None),
            ("Karlstads kommun", MUNICIPALITY, {2023: 95_500, 2024: 95_900}),
            ("Kristinehamns kommun", MUNICIPALITY, {2023: 24_100, 2024: 24_000}),
            ("Grums kommun", MUNICIPALITY, {2023: 9_000, 2024: 8_950}),
            ("Hammarö kommun", MUNICIPALITY, {2023: 16_900, 2024: 17_000}),
        ],
        "groups": [
            (
                "board",
                "Styrelse",
                "Förbundets högsta beslutande organ. Varje part har en röst genom sin ledamot eller ersättare.",
                [
                    ("Karin Lindqvist", "chair", "Karlstads kommun"),
                    ("Per Holm", "vice_chair", "Region Värmland"),
                    ("Eva Sandberg", "ordinary", "Försäkringskassan"),
                    ("Jonas Berg", "ordinary", "Arbetsförmedlingen"),
                    ("Lena Åberg", "ordinary", "Kristinehamns kommun"),
                    ("Mats Nyberg", "ordinary", "Grums kommun"),
                    ("Sara Ek", "ordinary", "Hammarö kommun"),
                    ("Anders Falk", "deputy", "Karlstads kommun"),
                    ("Maria Strand", "deputy", "Region Värmland"),
                ],
            ),
            (
                "preparatory",
                "Beredningsgrupp",
                "Stödjer förbundschefen i att bereda ärenden till styrelsen.",
                [
                    ("Helena Dahl", "participant", "Försäkringskassan"),
                    ("Tomas Wik", "participant", "Arbetsförmedlingen"),
                    ("Ulrika Borg", "participant", "Region Värmland"),
                    ("Nils Lund", "participant", "Karlstads kommun"),
                ],
            ),
            (
                "steering",
                "Styrgrupp Stegen Karlstad",
                "Stödjer projektägare och projektledare att nå satta mål.",
                [
                    ("Nils Lund", "convener", "Karlstads kommun"),
                    ("Helena Dahl", "participant", "Försäkringskassan"),
                    ("Tomas Wik", "participant", "Arbetsförmedlingen"),
                ],
            ),
        ],
        "users": [
            ("chef.samspelet", "Birgitta", "Nilsson", Role.CHIEF, None, "Förbundschef"),
            (
                "insats.samspelet",
                "Johan",
                "Eriksson",
                Role.INTERVENTION_OWNER,
                "Karlstads kommun",
                "Enhetschef",
            ),
            (
                "deltagare.samspelet",
                "Amina",
                "Hassan",
                Role.PARTICIPANT_REGISTRAR,
                "Karlstads kommun",
                "Coach, Stegen Karlstad",
            ),
            (
                "styrelse.samspelet",
                "Karin",
                "Lindqvist",
                Role.READER,
                "Karlstads kommun",
                "Ordförande",
            ),
        ],
    },
    {
        "slug": "blekinge",
        "name": "Samordningsförbundet i Blekinge län",
        "organisation_number": "222000-1685",
        "founded": datetime.date(2010, 1, 1),
        "seat": "Karlskrona",
        "members": [
            ("Försäkringskassan", STATE, None),
            ("Arbetsförmedlingen", STATE, None),
            ("Region Blekinge", REGION, None),
            ("Karlskrona kommun", MUNICIPALITY, {2023: 66_700, 2024: 66_900}),
            ("Ronneby kommun", MUNICIPALITY, {2023: 29_500, 2024: 29_400}),
            ("Karlshamns kommun", MUNICIPALITY, {2023: 32_400, 2024: 32_300}),
            ("Sölvesborgs kommun", MUNICIPALITY, {2023: 17_500, 2024: 17_500}),
            ("Olofströms kommun", MUNICIPALITY, {2023: 13_300, 2024: 13_200}),
        ],
        "groups": [
            (
                "board",
                "Styrelse",
                "Samordningsförbundets ledning, ytterst ansvarig för verksamheten.",
                [
                    ("Ingrid Persson", "chair", "Region Blekinge"),
                    ("Erik Olsson", "vice_chair", "Karlskrona kommun"),
                    ("Malin Svensson", "ordinary", "Försäkringskassan"),
                    ("Ahmed Karimi", "ordinary", "Arbetsförmedlingen"),
                    ("Linda Gustavsson", "ordinary", "Ronneby kommun"),
                    ("Björn Axelsson", "ordinary", "Karlshamns kommun"),
                    ("Camilla Roos", "ordinary", "Sölvesborgs kommun"),
                    ("Stefan Lind", "ordinary", "Olofströms kommun"),
                ],
            ),
            ("local", "Regionala samverkansgruppen", "Parternas chefer på regional nivå.", []),
            ("local", "Lokal samverkansgrupp Karlskrona", "", []),
            ("local", "Lokal samverkansgrupp Ronneby & Karlshamn", "", []),
            ("local", "Lokal samverkansgrupp Sölvesborg & Olofström", "", []),
            (
                "consultation",
                "Konsultationsteam Karlskrona",
                "Parternas handläggare ger varandra konsultation.",
                [],
            ),
        ],
        "users": [
            ("chef.blekinge", "Fredrik", "Larsson", Role.CHIEF, None, "Förbundschef"),
            (
                "styrelse.blekinge",
                "Ingrid",
                "Persson",
                Role.READER,
                "Region Blekinge",
                "Ordförande",
            ),
        ],
    },
]

SITE_USERS = [
    ("admin", "Sam", "Admin", Role.SYSTEM_ADMIN),
    ("nationell", "Nora", "Nationell", Role.NATIONAL_READER),
]


@dataclass
class DemoLogin:
    username: str
    role: str
    association: str
    two_factor: bool


def _user(username: str, first_name: str, last_name: str, site_role: str = "") -> Any:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "site_role": site_role},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _ensure_totp(user: Any) -> None:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    logins: list[DemoLogin] = []
    for username, first, last, role in SITE_USERS:
        user = _user(username, first, last, site_role=role)
        if role_requires_second_factor(role):
            _ensure_totp(user)
        logins.append(
            DemoLogin(username, str(Role(role).label), "", role_requires_second_factor(role))
        )

    for data in ASSOCIATIONS:
        association = Association.objects.filter(slug=data["slug"]).first()
        if association is None:
            association = services.association_create(
                actor=None,
                name=data["name"],
                slug=data["slug"],
                organisation_number=data["organisation_number"],
                founded=data["founded"],
                seat=data["seat"],
            )
        with scope(association=association):
            members: dict[str, Member] = {}
            for name, kind, population in data["members"]:
                member = association.members.filter(name=name).first() or services.member_create(
                    actor=None, association=association, name=name, kind=kind
                )
                members[name] = member
                for year, count in (population or {}).items():
                    services.population_set(actor=None, member=member, year=year, population=count)
            for kind, name, description, seats in data["groups"]:
                group = association.working_groups.filter(name=name).first()
                if group is None:
                    group = services.working_group_create(
                        actor=None,
                        association=association,
                        kind=kind,
                        name=name,
                        description=description,
                    )
                    for person_name, function, member_name in seats:
                        services.seat_create(
                            actor=None,
                            group=group,
                            person_name=person_name,
                            function=function,
                            member=members[member_name],
                        )
            for username, first, last, role, member_name, title in data["users"]:
                user = _user(username, first, last)
                if not Membership.objects.filter(association=association, user=user).exists():
                    services.person_add(
                        actor=None,
                        association=association,
                        username=username,
                        role=role,
                        member=members.get(member_name) if member_name else None,
                        title=title,
                    )
                if role_requires_second_factor(role):
                    _ensure_totp(user)
                logins.append(
                    DemoLogin(
                        username,
                        str(Role(role).label),
                        association.name,
                        role_requires_second_factor(role),
                    )
                )
    return logins


def demo_code(username: str) -> str:
    """The current six-digit code of a demo user's authenticator (for trying the demo)."""
    from django_otp.oath import TOTP

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


__all__ = ["DEMO_PASSWORD", "Seat", "WorkingGroup", "demo_code", "demo_load"]
