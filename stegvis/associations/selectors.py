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
    Seat,
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
    ).order_by(Member.kind_order(), "name")


@dataclass(frozen=True)
class MemberRow:
    member: Member
    population_year: int | None
    population: int | None
    # Share of the municipalities' population in the latest year all have one:
    # the population key that splits the municipal quarter of the contributions.
    population_share: float | None = None


def member_rows(*, association: Association) -> list[MemberRow]:
    members = list(member_list(association=association))
    latest = {m.pk: next(iter(m.populations.all()), None) for m in members}
    municipal = [latest[m.pk] for m in members if m.kind == Member.Kind.MUNICIPALITY]
    key_year = min((p.year for p in municipal if p), default=None) if all(municipal) else None
    total = sum(
        p.population
        for m in members
        for p in m.populations.all()
        if m.kind == Member.Kind.MUNICIPALITY and p.year == key_year
    )
    rows = []
    for member in members:
        record = latest[member.pk]
        share = None
        if total and member.kind == Member.Kind.MUNICIPALITY:
            same_year = next((p for p in member.populations.all() if p.year == key_year), None)
            share = same_year.population / total if same_year else None
        rows.append(
            MemberRow(
                member=member,
                population_year=record.year if record else None,
                population=record.population if record else None,
                population_share=share,
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
    seats = Seat.objects.select_related("member").order_by(Seat.function_order(), "person_name")
    return association.working_groups.prefetch_related(Prefetch("seats", queryset=seats)).order_by(
        "kind", "name"
    )


def people(*, association: Association) -> QuerySet[Membership]:
    return association.memberships.select_related("user", "member").order_by(
        "role", "user__last_name", "user__first_name", "user__username"
    )


@dataclass(frozen=True)
class Overview:
    members_total: int
    members_by_kind: dict[str, list[str]]
    municipalities: int
    population: int | None
    population_year: int | None
    board_seats: int
    groups: int
    people: int


def association_overview(*, association: Association) -> Overview:
    members = list(association.members.order_by(Member.kind_order(), "name"))
    by_kind: dict[str, list[str]] = {}
    for member in members:
        by_kind.setdefault(member.get_kind_display(), []).append(member.name)
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
