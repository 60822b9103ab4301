"""Writes to a förbund's organisation. Each change is one transaction and one audit line."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import import_string
from django_scopes import scope

from stegvis.associations.models import (
    Association,
    Member,
    Membership,
    Population,
    Seat,
    WorkingGroup,
)
from stegvis.associations.validators import normalise_organisation_number
from stegvis.audit.services import audit_log, diff, snapshot

ASSOCIATION_FIELDS = ["name", "organisation_number", "founded", "seat"]
MEMBER_FIELDS = ["name", "kind", "organisation_number"]
GROUP_FIELDS = ["kind", "name", "description"]
SEAT_FIELDS = ["person_name", "function", "member", "start", "end"]
MEMBERSHIP_FIELDS = ["role", "member", "title"]

# What every förbund starts with, made when it is created (and by a data migration in
# each app for the förbund that existed before), so that no page has to add it on a
# GET. Named by path: these apps import this module. Each takes `association=` and
# leaves what the förbund already has.
STARTING_POINT = (
    "stegvis.finance.actuals.services.periods_ensure",  # tertial 1, tertial 2, helår
    "stegvis.structural.services_activities.install_default_kinds",  # kinds of activity
    "stegvis.structural.services_deviations.categories_ensure",  # deviation categories
    "stegvis.instruments.defaults.install_collaboration_defaults",  # samverkansenkät
    "stegvis.interventions.services.target_groups_ensure",  # målgrupper
)


def _update(obj: Any, fields: list[str], values: dict[str, Any]) -> dict[str, Any]:
    before = snapshot(obj, fields)
    for field in fields:
        if field in values:
            setattr(obj, field, values[field])
    obj.full_clean()
    obj.save()
    return diff(before, snapshot(obj, fields))


@transaction.atomic
def association_create(
    *,
    actor: Any,
    name: str,
    slug: str,
    organisation_number: str,
    founded: datetime.date | None = None,
    seat: str = "",
) -> Association:
    association = Association(
        name=name,
        slug=slug,
        organisation_number=normalise_organisation_number(organisation_number),
        founded=founded,
        seat=seat,
    )
    association.full_clean()
    association.save()
    audit_log(
        action="association.created",
        actor=actor,
        association=association,
        obj=association,
        changes=snapshot(association, ASSOCIATION_FIELDS),
    )
    association_starting_point(association=association)
    return association


def association_starting_point(*, association: Association) -> None:
    """Give the förbund what every förbund starts with (`STARTING_POINT`), keeping what
    it has: the follow-up periods, the kinds of activity, the deviation categories,
    the collaboration survey and the målgrupper."""
    with scope(association=association):
        for path in STARTING_POINT:
            import_string(path)(association=association)


@transaction.atomic
def association_update(*, actor: Any, association: Association, **values: Any) -> Association:
    if "organisation_number" in values:
        values["organisation_number"] = normalise_organisation_number(values["organisation_number"])
    changes = _update(association, ASSOCIATION_FIELDS, values)
    if changes:
        audit_log(
            action="association.updated",
            actor=actor,
            association=association,
            obj=association,
            changes=changes,
        )
    return association


@transaction.atomic
def member_create(
    *, actor: Any, association: Association, name: str, kind: str, organisation_number: str = ""
) -> Member:
    member = Member(
        association=association,
        name=name,
        kind=kind,
        organisation_number=normalise_organisation_number(organisation_number)
        if organisation_number
        else "",
    )
    member.full_clean()
    member.save()
    audit_log(
        action="member.created",
        actor=actor,
        association=association,
        obj=member,
        changes=snapshot(member, MEMBER_FIELDS),
    )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, **values: Any) -> Member:
    if values.get("organisation_number"):
        values["organisation_number"] = normalise_organisation_number(values["organisation_number"])
    changes = _update(member, MEMBER_FIELDS, values)
    if changes:
        audit_log(
            action="member.updated",
            actor=actor,
            association=member.association,
            obj=member,
            changes=changes,
        )
    return member


@transaction.atomic
def population_set(*, actor: Any, member: Member, year: int, population: int) -> Population:
    """Record the population of a member municipality for a year (replacing an earlier
    figure for the same year). Only municipalities have a population key."""
    if member.kind != Member.Kind.MUNICIPALITY:
        raise ValueError("population is kept for municipalities only")
    record = Population.objects.filter(member=member, year=year).first()
    old = record.population if record else None
    if record is None:
        record = Population(association=member.association, member=member, year=year)
    record.population = population
    record.full_clean()
    record.save()
    if old != population:
        audit_log(
            action="population.set",
            actor=actor,
            association=member.association,
            obj=record,
            changes={"member": member.name, "year": year, "population": [old, population]},
        )
    return record


@transaction.atomic
def working_group_create(
    *, actor: Any, association: Association, kind: str, name: str, description: str = ""
) -> WorkingGroup:
    group = WorkingGroup(association=association, kind=kind, name=name, description=description)
    group.full_clean()
    group.save()
    audit_log(
        action="working_group.created",
        actor=actor,
        association=association,
        obj=group,
        changes=snapshot(group, GROUP_FIELDS),
    )
    return group


@transaction.atomic
def working_group_update(*, actor: Any, group: WorkingGroup, **values: Any) -> WorkingGroup:
    changes = _update(group, GROUP_FIELDS, values)
    if changes:
        audit_log(
            action="working_group.updated",
            actor=actor,
            association=group.association,
            obj=group,
            changes=changes,
        )
    return group


@transaction.atomic
def working_group_delete(*, actor: Any, group: WorkingGroup) -> None:
    audit_log(
        action="working_group.deleted",
        actor=actor,
        association=group.association,
        obj=group,
        changes={"seats": group.seats.count()},
    )
    group.delete()


@transaction.atomic
def seat_create(*, actor: Any, group: WorkingGroup, **values: Any) -> Seat:
    seat = Seat(association=group.association, group=group)
    for field in SEAT_FIELDS:
        if field in values:
            setattr(seat, field, values[field])
    seat.full_clean()
    seat.save()
    audit_log(
        action="seat.created",
        actor=actor,
        association=group.association,
        obj=seat,
        changes={"group": group.name, **snapshot(seat, SEAT_FIELDS)},
    )
    return seat


@transaction.atomic
def seat_delete(*, actor: Any, seat: Seat) -> None:
    audit_log(
        action="seat.deleted",
        actor=actor,
        association=seat.association,
        obj=seat,
        changes={"group": seat.group.name, "person_name": seat.person_name},
    )
    seat.delete()


@transaction.atomic
def person_add(
    *,
    actor: Any,
    association: Association,
    username: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    member: Member | None = None,
    title: str = "",
    password: str | None = None,
) -> Membership:
    """Give a person a role in the förbund, creating their account when it is new.

    A new account without a password cannot log in until a password is set
    (`stegvis changepassword USER` or the administrator's reset)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean()
        user.save()
        audit_log(
            action="user.created",
            actor=actor,
            association=association,
            obj=user,
            changes={"username": username},
        )
    membership = Membership(
        association=association, user=user, role=role, member=member, title=title
    )
    membership.full_clean()
    membership.save()
    audit_log(
        action="membership.created",
        actor=actor,
        association=association,
        obj=membership,
        changes={"user": user.get_username(), **snapshot(membership, MEMBERSHIP_FIELDS)},
    )
    return membership


@transaction.atomic
def membership_update(*, actor: Any, membership: Membership, **values: Any) -> Membership:
    changes = _update(membership, MEMBERSHIP_FIELDS, values)
    if changes:
        audit_log(
            action="membership.updated",
            actor=actor,
            association=membership.association,
            obj=membership,
            changes={"user": membership.user.get_username(), **changes},
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    audit_log(
        action="membership.removed",
        actor=actor,
        association=membership.association,
        obj=membership,
        changes={"user": membership.user.get_username(), "role": membership.role},
    )
    membership.delete()
