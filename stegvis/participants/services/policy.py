"""The förbund's rules for participant data: minimum cell size, retention, whether the
kansli sees rows and whether persons are recognised across insatser."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log
from stegvis.participants.access import policy_ensure
from stegvis.participants.models import Policy


@transaction.atomic
def policy_update(
    *,
    actor: Any,
    association: Association,
    min_cell: int,
    retention_years: int | None,
    kansli_sees_rows: bool,
    recognise_persons: bool,
) -> Policy:
    """The förbund's rules for participant data: the minimum cell size of figures that
    leave an insats, how long rows are kept after exit, whether the kansli sees rows,
    and whether persons are recognised across insatser by a keyed hash."""
    policy = Policy.objects.select_for_update().get(pk=policy_ensure(association).pk)
    fields = ["min_cell", "retention_years", "kansli_sees_rows", "recognise_persons"]
    before = {field: getattr(policy, field) for field in fields}
    policy.min_cell = min_cell
    policy.retention_years = retention_years
    policy.kansli_sees_rows = bool(kansli_sees_rows)
    policy.recognise_persons = bool(recognise_persons)
    policy.full_clean(exclude=["association"])
    changes = {
        field: [before[field], getattr(policy, field)]
        for field in fields
        if before[field] != getattr(policy, field)
    }
    if changes:
        policy.save()
        audit_log(
            action="participant_policy.changed",
            actor=actor,
            association=association,
            obj=policy,
            changes=changes,
        )
    return policy
