"""What the insats services share: the status machine, the field keys of errors,
the messages said in more than one place, and two writes used by several services."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member
from stegvis.audit.services import audit_log
from stegvis.finance.models import BudgetLine
from stegvis.interventions.models import (
    Decision,
    Intervention,
    Kind,
    PlannedParticipants,
    TargetGroup,
)

Status = Intervention.Status
Outcome = Decision.Outcome

# The insats's status machine: one step at a time, never back (DOMAIN.md §3).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.APPLIED: frozenset({Status.PREPARED, Status.REJECTED}),
    Status.PREPARED: frozenset({Status.GRANTED, Status.REJECTED}),
    Status.GRANTED: frozenset({Status.ONGOING}),
    Status.ONGOING: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.REJECTED: frozenset(),
}

# An insats that is finished or was turned down takes no new money: apply anew.
FINISHED = frozenset({Status.CLOSED, Status.REJECTED})

# The budget category of an insats's cost line, by its slag.
COST_CATEGORY = {
    Kind.INDIVIDUAL: BudgetLine.Category.INDIVIDUAL,
    Kind.STRUCTURAL: BudgetLine.Category.STRUCTURAL,
}

YEAR_RANGE = (2000, 2100)

ROUND_FIELDS = ["name", "opens", "closes", "amount_available", "description"]

INTERVENTION_FIELDS = [
    "name",
    "kind",
    "focus",
    "target_group",
    "owner",
    "start",
    "end",
    "esf_funded",
    "reference",
]

APPLICATION_FIELDS = [
    "round",
    "title",
    "kind",
    "applicant",
    "intervention",
    "need",
    "goals",
    "target_group",
    "esf_funded",
    "received_on",
]

DECISION_FIELDS = ["meeting_date", "paragraph", "outcome", "conditions", "reference"]

TARGET_FIELDS = ["text", "metric", "params", "op", "value", "year"]

DOCUMENT_FIELDS = ["reference", "title", "date"]


def requested_field(year: int) -> str:
    return f"requested_{year}"


def participants_field(year: int) -> str:
    return f"participants_{year}"


def recommended_field(year: int) -> str:
    return f"recommended_{year}"


def granted_field(year: int) -> str:
    return f"granted_{year}"


def kronor(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def member_names(members: Iterable[Member]) -> str:
    """Member names for the audit log, as one text (a two-item list would read as a
    change from one to the other there)."""
    return ", ".join(sorted(member.name for member in members))


def by_year(values: Mapping[int, int]) -> dict[str, int]:
    return {str(year): value for year, value in sorted(values.items())}


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def add_error(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def status_label(status: str) -> str:
    return str(Status(status).label).lower()


def check_member(
    errors: dict[str, list[str]], association: Association, member: Any, field: str
) -> None:
    if not isinstance(member, Member) or member.association_id != association.pk:
        add_error(errors, field, _("Välj en medlem i förbundet."))


def check_target_group(
    errors: dict[str, list[str]], association: Association, target_group: Any
) -> None:
    if target_group is not None and (
        not isinstance(target_group, TargetGroup) or target_group.association_id != association.pk
    ):
        add_error(errors, "target_group", _("Välj en målgrupp i förbundets lista."))


def immutable_message() -> str:
    return _(
        "Slag och ESF-medfinansiering kan inte ändras när insatsen är beviljad – skapa en ny insats"
    )


def set_intervention_status(actor: Any, intervention: Intervention, status: str) -> None:
    old = intervention.status
    if old == status:
        return
    intervention.status = status
    intervention.save(update_fields=["status"])
    audit_log(
        action="intervention.status_changed",
        actor=actor,
        association=intervention.association,
        obj=intervention,
        changes={"status": [old, status]},
    )


def planned_set(actor: Any, intervention: Intervention, year: int, count: int) -> None:
    record = PlannedParticipants.objects.filter(intervention=intervention, year=year).first()
    old = record.count if record else None
    if old == count:
        return
    if record is None:
        record = PlannedParticipants(
            association=intervention.association, intervention=intervention, year=year
        )
    record.count = count
    record.full_clean()
    record.save()
    audit_log(
        action="planned_participants.set",
        actor=actor,
        association=intervention.association,
        obj=intervention,
        changes={"year": year, "count": [old, count]},
    )
