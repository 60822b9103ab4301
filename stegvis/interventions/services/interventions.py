"""Insatser: their target groups, registration, changes, status, planned
participants, documents, styrgrupp and staff (DOMAIN.md §3)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stegvis.associations import services as association_services
from stegvis.associations.models import Association, Member, Membership, Seat, WorkingGroup
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.finance import services as finance_services
from stegvis.interventions.models import (
    DEFAULT_TARGET_GROUPS,
    DocumentReference,
    Intervention,
    InterventionLine,
    InterventionStaff,
    Kind,
    TargetGroup,
)
from stegvis.interventions.services.common import (
    DOCUMENT_FIELDS,
    INTERVENTION_FIELDS,
    TRANSITIONS,
    YEAR_RANGE,
    Status,
    add_error,
    check_member,
    check_target_group,
    immutable_message,
    member_names,
    planned_set,
    raise_errors,
    set_intervention_status,
    status_label,
)


def target_groups_ensure(*, association: Association) -> None:
    """The default målgrupper, made the first time a förbund needs the list; after
    that the list is the förbund's own (a removed default does not come back)."""
    if TargetGroup.objects.filter(association=association).exists():
        return
    try:
        with transaction.atomic():
            for name in DEFAULT_TARGET_GROUPS:
                group = TargetGroup.objects.create(association=association, name=name)
                audit_log(
                    action="target_group.created",
                    association=association,
                    obj=group,
                    changes={"name": name},
                )
    except IntegrityError:
        pass  # another request made them at the same moment


@transaction.atomic
def target_group_create(*, actor: Any, association: Association, name: str) -> TargetGroup:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Ange målgruppens namn.")]})
    if TargetGroup.objects.filter(association=association, name__iexact=name).exists():
        raise ValidationError({"name": [_("Målgruppen finns redan i listan.")]})
    group = TargetGroup(association=association, name=name)
    group.full_clean()
    group.save()
    audit_log(
        action="target_group.created",
        actor=actor,
        association=association,
        obj=group,
        changes={"name": name},
    )
    return group


def _check_intervention(intervention: Intervention, members: Iterable[Member] | None) -> None:
    errors: dict[str, list[str]] = {}
    association = intervention.association
    intervention.name = (intervention.name or "").strip()
    if not intervention.name:
        add_error(errors, "name", _("Ange insatsens namn."))
    clash = Intervention.objects.filter(
        association=association, name__iexact=intervention.name
    ).exclude(pk=intervention.pk)
    if intervention.name and clash.exists():
        add_error(errors, "name", _("Det finns redan en insats med det namnet."))
    if intervention.kind not in Kind.values:
        add_error(errors, "kind", _("Välj individinriktad eller strukturövergripande."))
    check_member(
        errors, association, intervention.owner if intervention.owner_id else None, "owner"
    )
    for member in members or ():
        if not isinstance(member, Member) or member.association_id != association.pk:
            add_error(errors, "members", _("Välj medlemmar i förbundet."))
            break
    check_target_group(errors, association, intervention.target_group)
    if intervention.start and intervention.end and intervention.end < intervention.start:
        add_error(errors, "end", _("Insatsen kan inte sluta innan den börjar."))
    raise_errors(errors)
    intervention.full_clean()


def _members_with_owner(owner: Member, members: Iterable[Member]) -> list[Member]:
    found = {member.pk: member for member in members}
    found.setdefault(owner.pk, owner)
    return list(found.values())


@transaction.atomic
def intervention_create(
    *,
    actor: Any,
    association: Association,
    name: str,
    kind: str,
    owner: Member,
    members: Iterable[Member],
    focus: str = "",
    target_group: TargetGroup | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    esf_funded: bool = False,
    reference: str = "",
) -> Intervention:
    """Register an insats directly (one that exists already, or before its
    application is in Stegvis), as ansökt; it moves on with `intervention_set_status`.
    The owner is always one of the participating members."""
    members = list(members)
    intervention = Intervention(
        association=association,
        name=name,
        kind=kind,
        owner=owner,
        focus=focus.strip(),
        target_group=target_group,
        start=start,
        end=end,
        esf_funded=bool(esf_funded),
        reference=reference.strip(),
        status=Status.APPLIED,
    )
    _check_intervention(intervention, members)
    intervention.save()
    members = _members_with_owner(owner, members)
    intervention.members.set(members)
    audit_log(
        action="intervention.created",
        actor=actor,
        association=association,
        obj=intervention,
        changes={
            **snapshot(intervention, [*INTERVENTION_FIELDS, "status"]),
            "members": member_names(members),
        },
    )
    return intervention


@transaction.atomic
def intervention_update(*, actor: Any, intervention: Intervention, **fields: Any) -> Intervention:
    """Change an insats: any of name, kind, focus, target_group, owner, members,
    start, end, esf_funded, reference. Its status changes with
    `intervention_set_status`. Slag and ESF are fixed once it is granted. A new name
    follows to its cost lines and its styrgrupp."""
    unknown = set(fields) - {*INTERVENTION_FIELDS, "members"}
    if unknown:
        raise TypeError(f"intervention_update: unknown fields {sorted(unknown)}")
    given = intervention
    # Read again: a ModelForm has already written its data on the instance it was given.
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if intervention.is_granted:
        errors: dict[str, list[str]] = {}
        if "kind" in fields and fields["kind"] != intervention.kind:
            add_error(errors, "kind", immutable_message())
        if "esf_funded" in fields and bool(fields["esf_funded"]) != intervention.esf_funded:
            add_error(errors, "esf_funded", immutable_message())
        raise_errors(errors)
    old_name = intervention.name
    members = list(fields.pop("members")) if "members" in fields else None
    before = {
        **snapshot(intervention, INTERVENTION_FIELDS),
        "members": member_names(intervention.members.all()),
    }
    for field, value in fields.items():
        if field in ("focus", "reference", "name") and isinstance(value, str):
            value = value.strip()
        if field == "esf_funded":
            value = bool(value)
        setattr(intervention, field, value)
    _check_intervention(intervention, members)
    intervention.save()
    if members is not None:
        intervention.members.set(_members_with_owner(intervention.owner, members))
    elif "owner" in fields:
        intervention.members.add(intervention.owner)
    if intervention.name != old_name:
        _rename(actor, intervention, old_name)
    changes = diff(
        before,
        {
            **snapshot(intervention, INTERVENTION_FIELDS),
            "members": member_names(intervention.members.all()),
        },
    )
    if changes:
        audit_log(
            action="intervention.updated",
            actor=actor,
            association=intervention.association,
            obj=intervention,
            changes=changes,
        )
    given.refresh_from_db()
    return intervention


def _rename(actor: Any, intervention: Intervention, old_name: str) -> None:
    """The insats's cost lines and styrgrupp are named after it: they follow."""
    links = InterventionLine.objects.filter(intervention=intervention).select_related("line")
    for link in links:
        line = link.line
        finance_services.budget_line_update(
            actor=actor,
            line=line,
            name=intervention.name if line.name == old_name else line.name,
            category=line.category,
            amounts=dict(line.amounts.values_list("year", "amount")),
            intervention_name=intervention.name,
            unit=line.unit,
        )
    group = intervention.steering_group
    if group is not None and group.name == _steering_name(old_name):
        association_services.working_group_update(
            actor=actor, group=group, name=_steering_name(intervention.name)
        )


@transaction.atomic
def intervention_set_status(*, actor: Any, intervention: Intervention, status: str) -> Intervention:
    """Move the insats one step: ansökt → beredd → beviljad → pågående → avslutad, or
    from ansökt or beredd to avslagen. No step is skipped and nothing leaves avslutad
    or avslagen (DOMAIN.md §3)."""
    locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if status not in Status.values:
        raise ValidationError({"status": [_("Okänd status.")]})
    if status == locked.status:
        return locked
    if status not in TRANSITIONS[locked.status]:
        allowed = sorted(TRANSITIONS[locked.status])
        message = _("En insats kan inte gå från %(old)s till %(new)s.") % {
            "old": status_label(locked.status),
            "new": status_label(status),
        }
        if allowed:
            message += " " + _("Nästa steg är %(next)s.") % {
                "next": _(" eller ").join(status_label(s) for s in allowed)
            }
        else:
            message += " " + _("Ett nytt behov blir en ny insats.")
        raise ValidationError({"status": [message]})
    set_intervention_status(actor, locked, status)
    intervention.refresh_from_db()
    return locked


@transaction.atomic
def planned_participants_set(
    *, actor: Any, intervention: Intervention, year: int, count: int
) -> None:
    """The budgeted number of participants for a year (what Uppföljning Finsam asks)."""
    errors: dict[str, list[str]] = {}
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        add_error(errors, "year", _("%(year)s är inte ett rimligt år.") % {"year": year})
    if count is None or count < 0:
        add_error(errors, "count", _("Antalet deltagare kan inte vara negativt."))
    raise_errors(errors)
    planned_set(actor, intervention, year, count)


@transaction.atomic
def document_add(
    *,
    actor: Any,
    intervention: Intervention,
    reference: str,
    title: str,
    date: datetime.date | None = None,
) -> DocumentReference:
    """A reference to one of the insats's documents by its diarienummer."""
    errors: dict[str, list[str]] = {}
    if not reference.strip():
        add_error(errors, "reference", _("Ange diarienummer."))
    if not title.strip():
        add_error(errors, "title", _("Ange vilken handling det är."))
    raise_errors(errors)
    document = DocumentReference(
        association=intervention.association,
        intervention=intervention,
        reference=reference.strip(),
        title=title.strip(),
        date=date,
    )
    document.full_clean()
    document.save()
    audit_log(
        action="document.added",
        actor=actor,
        association=intervention.association,
        obj=document,
        changes={"intervention": intervention.name, **snapshot(document, DOCUMENT_FIELDS)},
    )
    return document


@transaction.atomic
def document_delete(*, actor: Any, document: DocumentReference) -> None:
    audit_log(
        action="document.deleted",
        actor=actor,
        association=document.association,
        obj=document,
        changes=snapshot(document, DOCUMENT_FIELDS),
    )
    document.delete()


def _steering_name(name: str) -> str:
    return f"Styrgrupp {name}"[:200]


@transaction.atomic
def steering_group_ensure(*, actor: Any, intervention: Intervention) -> WorkingGroup:
    """The insats's styrgrupp (a working group of the kind styrgrupp), made on first
    use. Its people, per member, are seats: `associations.services.seat_create`."""
    given = intervention
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if intervention.steering_group is not None:
        return intervention.steering_group
    name = _steering_name(intervention.name)
    group = WorkingGroup.objects.filter(
        association=intervention.association, name__iexact=name
    ).first()
    if group is not None and (
        group.kind != WorkingGroup.Kind.STEERING
        or Intervention.objects.filter(steering_group=group).exists()
    ):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Det finns redan en arbetsgrupp som heter %(name)s.") % {"name": group.name}
                ]
            }
        )
    if group is None:
        group = association_services.working_group_create(
            actor=actor,
            association=intervention.association,
            kind=WorkingGroup.Kind.STEERING,
            name=name,
        )
    intervention.steering_group = group
    intervention.save(update_fields=["steering_group"])
    audit_log(
        action="intervention.steering_group_set",
        actor=actor,
        association=intervention.association,
        obj=intervention,
        changes={"steering_group": group.name},
    )
    given.refresh_from_db()
    return group


@transaction.atomic
def steering_seat_add(*, actor: Any, intervention: Intervention, **values: Any) -> Seat:
    """A person in the insats's styrgrupp, for a member. The group is made on first
    use, in the same transaction, so a refused seat leaves no empty group behind."""
    group = steering_group_ensure(actor=actor, intervention=intervention)
    return association_services.seat_create(actor=actor, group=group, **values)


@transaction.atomic
def staff_add(*, actor: Any, intervention: Intervention, user: Any) -> InterventionStaff:
    """Let a person with a role in the förbund work with the insats: an
    insatsansvarig edits it, a deltagaransvarig registers its participants."""
    association = intervention.association
    if not Membership.objects.filter(association=association, user=user).exists():
        raise ValidationError({"user": [_("Personen har ingen roll i förbundet.")]})
    if InterventionStaff.objects.filter(intervention=intervention, user=user).exists():
        raise ValidationError({"user": [_("Personen arbetar redan med insatsen.")]})
    staff = InterventionStaff.objects.create(
        association=association, intervention=intervention, user=user
    )
    audit_log(
        action="intervention.staff_added",
        actor=actor,
        association=association,
        obj=intervention,
        changes={"user": user.get_username()},
    )
    return staff


@transaction.atomic
def staff_remove(*, actor: Any, intervention: Intervention, user: Any) -> None:
    deleted, _count = InterventionStaff.objects.filter(
        intervention=intervention, user=user
    ).delete()
    if deleted:
        audit_log(
            action="intervention.staff_removed",
            actor=actor,
            association=intervention.association,
            obj=intervention,
            changes={"user": user.get_username()},
        )
