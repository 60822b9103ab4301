"""Reads of a förbund's organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from stegvis.associations.models import (
    Association,
    Member,
    Membership,
    Population,
    WorkingGroup,
)
from stegvis.associations.roles import Role


@dataclass(frozen=True)
class AssociationChoice:
    association: Association
    role: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def associations_for_user(user: Any) -> list[AssociationChoice]:
    """The förbund a user may enter, with their role in each (for the switcher)."""
    if not user.is_authenticated:
        return []
    if user.site_role == Role.SYSTEM_ADMIN:
        return [
            AssociationChoice(association, Role.SYSTEM_ADMIN)
            for association in Association.objects.order_by("name")
        ]
    with scopes_disabled():
        memberships = (
            Membership.objects.filter(user=user)
            .select_related("association")
            .order_by("association__name")
        )
        return [AssociationChoice(m.association, m.role) for m in memberships]


def member_list(*, association: Association) -> QuerySet[Member]:
    return association.members.prefetch_related(
        Prefetch("populations", queryset=Population.objects.order_by("-year"))
    ).order_by("kind", "name")


@dataclass(frozen=True)
class MemberRow:
    member: Member
    population_year: int | None
    population: int | None


def member_rows(*, association: Association) -> list[MemberRow]:
    rows = []
    for member in member_list(association=association):
        latest = next(iter(member.populations.all()), None)
        rows.append(
            MemberRow(
                member=member,
                population_year=latest.year if latest else None,
                population=latest.population if latest else None,
            )
        )
    return rows


def population_table(
    *, association: Association
) -> tuple[list[int], list[tuple[Member, list[int | None]]]]:
    """Population per municipality (rows) and year (columns)."""
    records = list(Population.objects.filter(association=association).select_related("member"))
    years = sorted({record.year for record in records})
    by_member: dict[int, dict[int, int]] = {}
    for record in records:
        by_member.setdefault(record.member_id, {})[record.year] = record.population
    municipalities = association.members.filter(kind=Member.Kind.MUNICIPALITY).order_by("name")
    return years, [
        (member, [by_member.get(member.pk, {}).get(year) for year in years])
        for member in municipalities
    ]


def working_groups(*, association: Association) -> QuerySet[WorkingGroup]:
    return association.working_groups.prefetch_related("seats__member").order_by("kind", "name")


def people(*, association: Association) -> QuerySet[Membership]:
    return association.memberships.select_related("user", "member").order_by(
        "role", "user__last_name", "user__first_name", "user__username"
    )


@dataclass(frozen=True)
class Overview:
    members_total: int
    members_by_kind: dict[str, int]
    municipalities: int
    population: int | None
    population_year: int | None
    board_seats: int
    groups: int
    people: int


def association_overview(*, association: Association) -> Overview:
    members = list(association.members.all())
    by_kind: dict[str, int] = {}
    for member in members:
        by_kind[member.get_kind_display()] = by_kind.get(member.get_kind_display(), 0) + 1
    rows = member_rows(association=association)
    years = [row.population_year for row in rows if row.population_year]
    latest_year = max(years) if years else None
    population = (
        sum(row.population or 0 for row in rows if row.population_year == latest_year)
        if latest_year
        else None
    )
    return Overview(
        members_total=len(members),
        members_by_kind=by_kind,
        municipalities=sum(1 for m in members if m.kind == Member.Kind.MUNICIPALITY),
        population=population,
        population_year=latest_year,
        board_seats=association.seats.filter(group__kind=WorkingGroup.Kind.BOARD).count(),
        groups=association.working_groups.count(),
        people=association.memberships.count(),
    )
