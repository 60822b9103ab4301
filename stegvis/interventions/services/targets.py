"""Mätpunkter: an insats's targets in the metric vocabulary of the plan file
(shared/spec/plan-format.md "Metrics")."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.interventions.models import Intervention, Target
from stegvis.interventions.services.common import TARGET_FIELDS, add_error, raise_errors
from stegvis.plans.document import DocMember
from stegvis.plans.validate.goals import GoalRules
from stegvis.plans.vocabulary import EXTRA_KEYS, known_codes


def _checked_target(
    association: Association,
    *,
    text: str,
    metric: str,
    params: Mapping[str, Any],
    op: str,
    value: Any,
    year: int | None,
) -> dict[str, Any]:
    """A target checked as the plan file checks one (plan-format.md "Metrics"): a
    known metric with its extra keys, `op` and `value` together, a share as a decimal.
    A code the installation does not know yet is allowed: it is stored and measured
    when it is known. Errors are keyed by field: text, metric, op, value, year, or the
    extra key (question, instrument, outcome, kind, municipality, source)."""
    params = {key: item for key, item in params.items() if item not in (None, "")}
    checker = GoalRules(codes=known_codes())
    checker.members = {
        m.name: DocMember(m.name, m.kind) for m in Member.objects.filter(association=association)
    }
    data: dict[str, Any] = {"text": text, "metric": metric, **dict(params)}
    if op:
        data["op"] = op
    if value is not None and value != "":
        data["value"] = value
    if year is not None:
        data["year"] = year
    unknown = [key for key in params if key not in EXTRA_KEYS]
    checked = checker.target(
        {key: item for key, item in data.items() if key not in unknown}, path=""
    )
    errors: dict[str, list[str]] = {}
    for key in unknown:
        add_error(errors, "metric", _("Okänd nyckel %(key)s.") % {"key": key})
    for problem in checker.problems:
        field = problem.path.split(".")[0].split("[")[0] or NON_FIELD_ERRORS
        message = problem.message
        add_error(errors, field, message[:1].upper() + message[1:])
    raise_errors(errors)
    number = checked.get("value")
    return {
        "text": checked["text"],
        "metric": checked["metric"],
        "params": {key: checked[key] for key in EXTRA_KEYS if key in checked},
        "op": checked.get("op", ""),
        "value": Decimal(str(number)) if number is not None else None,
        "year": checked.get("year"),
    }


@transaction.atomic
def target_add(
    *,
    actor: Any,
    intervention: Intervention,
    text: str,
    metric: str,
    params: Mapping[str, Any] | None = None,
    op: str = "",
    value: Any = None,
    year: int | None = None,
) -> Target:
    """A mätpunkt in the metric vocabulary of the plan file: `{"text": "90 % upplever
    stöd", "metric": "survey_agree_share", "params": {"question": "support"},
    "op": ">=", "value": "0.90"}`."""
    values = _checked_target(
        intervention.association,
        text=text,
        metric=metric,
        params=params or {},
        op=op,
        value=value,
        year=year,
    )
    position = (intervention.targets.aggregate(m=Max("position"))["m"] or 0) + 1
    target = Target(
        association=intervention.association,
        intervention=intervention,
        position=position,
        **values,
    )
    target.full_clean()
    target.save()
    audit_log(
        action="target.created",
        actor=actor,
        association=intervention.association,
        obj=target,
        changes={"intervention": intervention.name, **snapshot(target, TARGET_FIELDS)},
    )
    return target


@transaction.atomic
def target_update(*, actor: Any, target: Target, **fields: Any) -> Target:
    """Change a mätpunkt: any of text, metric, params, op, value, year; checked whole."""
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"target_update: unknown fields {sorted(unknown)}")
    given = target
    target = Target.objects.get(pk=target.pk)
    current = {field: getattr(target, field) for field in TARGET_FIELDS}
    current.update(fields)
    values = _checked_target(
        target.association,
        text=current["text"],
        metric=current["metric"],
        params=current["params"] or {},
        op=current["op"] or "",
        value=current["value"],
        year=current["year"],
    )
    before = snapshot(target, TARGET_FIELDS)
    for field, value in values.items():
        setattr(target, field, value)
    target.full_clean()
    target.save()
    changes = diff(before, snapshot(target, TARGET_FIELDS))
    if changes:
        audit_log(
            action="target.updated",
            actor=actor,
            association=target.association,
            obj=target,
            changes=changes,
        )
    given.refresh_from_db()
    return target


@transaction.atomic
def target_delete(*, actor: Any, target: Target) -> None:
    audit_log(
        action="target.deleted",
        actor=actor,
        association=target.association,
        obj=target,
        changes=snapshot(target, ["text", "metric"]),
    )
    target.delete()
