"""Writes of activities and their kinds (DOMAIN.md §6, "Strukturövergripande
activities … with date, organiser, participants per member").

Rules:

* The kinds are the förbund's own list; the built-in ones (`DEFAULT_KINDS`) come with
  the förbund (`associations.services.STARTING_POINT`). A built-in kind is the shared vocabulary of plan files
  (`metric: activities, kind: kunskapsdialog`), so it is neither renamed nor removed;
  the förbund's own kinds are, as long as no activity uses them. A kind's code never
  changes, so indicators naming it keep working after a rename.
* An activity's kind and insats belong to its förbund; it ends on or after its first
  day (and after its start time on the same day); an evaluation's mean lies on its
  scale (1 to the scale's top).
* Attendance is per member of the förbund, at most one row each; kvinnor + män never
  exceed the number who came (some may be recorded without kön). A member with no one
  attending has no row.

Every write runs in a transaction and is audit-logged with the changed fields.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.interventions.models import Intervention
from stegvis.structural.models.activities import (
    DEFAULT_KINDS,
    Activity,
    ActivityAttendance,
    ActivityKind,
)

Errors = dict[str, list[str]]

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "date",
    "starts_at",
    "end_date",
    "ends_at",
    "place",
    "organiser",
    "intervention",
    "description",
    "other_participants",
    "other_participants_note",
    "evaluation_score",
    "evaluation_scale",
    "evaluation_responses",
    "cancelled",
)
LIMITS = {"title": 200, "place": 200, "organiser": 200, "other_participants_note": 200}
KIND_NAME_MAX = 80


@dataclass(frozen=True)
class AttendanceRow:
    member: Member
    participants: int
    women: int | None = None
    men: int | None = None


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# ---------------------------------------------------------------------------
# Kinds


def install_default_kinds(association: Association) -> int:
    """Add the built-in kinds the förbund does not have yet (by code; a kind of its
    own with the same name is left as it is). Returns how many were added."""
    existing = ActivityKind.objects.filter(association=association)
    codes = set(existing.values_list("code", flat=True))
    names = {name.casefold() for name in existing.values_list("name", flat=True)}
    missing = [
        (position, code, name)
        for position, (code, name) in enumerate(DEFAULT_KINDS)
        if code not in codes and name.casefold() not in names
    ]
    if not missing:
        return 0
    with transaction.atomic():
        ActivityKind.objects.bulk_create(
            [
                ActivityKind(
                    association=association,
                    name=name,
                    code=code,
                    builtin=True,
                    position=position,
                )
                for position, code, name in missing
            ]
        )
    return len(missing)


def _kind_name_check(association: Association, name: str, kind: ActivityKind | None) -> str:
    name = " ".join((name or "").split())
    errors: Errors = {}
    if not name:
        _add(errors, "name", _("Ange ett namn."))
    elif len(name) > KIND_NAME_MAX:
        _add(errors, "name", _("Namnet får vara högst %(n)s tecken.") % {"n": KIND_NAME_MAX})
    elif not slugify(name):
        _add(errors, "name", _("Namnet behöver minst en bokstav eller siffra."))
    else:
        others = ActivityKind.objects.filter(association=association)
        if kind is not None:
            others = others.exclude(pk=kind.pk)
        if any(
            other.casefold() == name.casefold() for other in others.values_list("name", flat=True)
        ):
            _add(
                errors, "name", _("Det finns redan ett slag som heter ”%(name)s”.") % {"name": name}
            )
    if errors:
        raise ValidationError(errors)
    return name


def _free_code(association: Association, name: str) -> str:
    base = slugify(name)[:70] or "slag"
    taken = set(ActivityKind.objects.filter(association=association).values_list("code", flat=True))
    taken |= {code for code, _name in DEFAULT_KINDS}
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def kind_create(*, actor: Any, association: Association, name: str) -> ActivityKind:
    """A kind of the förbund's own, after the built-in ones; its code is its name
    slugified ("Samverkansutbildning" → samverkansutbildning)."""
    with transaction.atomic():
        name = _kind_name_check(association, name, None)
        last = (
            ActivityKind.objects.filter(association=association)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        kind = ActivityKind.objects.create(
            association=association,
            name=name,
            code=_free_code(association, name),
            builtin=False,
            position=max((last or 0) + 1, len(DEFAULT_KINDS)),
        )
        audit_log(
            action="activity_kind.created",
            actor=actor,
            association=association,
            obj=kind,
            changes={"name": kind.name, "code": kind.code},
        )
    return kind


def kind_rename(*, actor: Any, kind: ActivityKind, name: str) -> ActivityKind:
    if kind.builtin:
        raise ValidationError({"name": [_("Ett inbyggt slag kan inte byta namn.")]})
    with transaction.atomic():
        name = _kind_name_check(kind.association, name, kind)
        before = kind.name
        kind.name = name
        kind.save(update_fields=["name"])
        if before != name:
            audit_log(
                action="activity_kind.renamed",
                actor=actor,
                association=kind.association,
                obj=kind,
                changes={"name": [before, name]},
            )
    return kind


def kind_delete(*, actor: Any, kind: ActivityKind) -> None:
    if kind.builtin:
        raise ValidationError(_("Ett inbyggt slag kan inte tas bort."))
    used = Activity.objects.filter(association=kind.association, kind=kind).count()
    if used:
        raise ValidationError(
            _("Slaget ”%(name)s” används av %(n)s aktiviteter och kan inte tas bort.")
            % {"name": kind.name, "n": used}
        )
    with transaction.atomic():
        audit_log(
            action="activity_kind.deleted",
            actor=actor,
            association=kind.association,
            obj=kind,
            changes={"name": kind.name, "code": kind.code},
        )
        kind.delete()


# ---------------------------------------------------------------------------
# Activities


def _clean(association: Association, data: Mapping[str, Any]) -> dict[str, Any]:
    """The activity's fields checked against the rules; ValidationError keyed by field."""
    errors: Errors = {}
    values = {field: data.get(field) for field in ACTIVITY_FIELDS}
    for field in ("title", "place", "organiser", "other_participants_note"):
        values[field] = " ".join(str(values[field] or "").split())
    values["description"] = str(values["description"] or "").strip()
    for field, limit in LIMITS.items():
        if len(str(values[field])) > limit:
            _add(errors, field, _("Högst %(n)s tecken.") % {"n": limit})
    if not values["title"]:
        _add(errors, "title", _("Ange en rubrik."))
    if not values["organiser"]:
        _add(errors, "organiser", _("Ange vem som arrangerade aktiviteten."))
    kind = values["kind"]
    if not isinstance(kind, ActivityKind) or kind.association_id != association.pk:
        _add(errors, "kind", _("Välj ett slag av aktivitet i förbundets lista."))
    intervention = values["intervention"]
    if intervention is not None and (
        not isinstance(intervention, Intervention) or intervention.association_id != association.pk
    ):
        _add(errors, "intervention", _("Insatsen hör inte till förbundet."))
    date: datetime.date | None = values["date"]
    if not isinstance(date, datetime.date):
        _add(errors, "date", _("Ange datum."))
    else:
        end_date: datetime.date | None = values["end_date"]
        if end_date is not None and end_date < date:
            _add(errors, "end_date", _("Slutdatumet är före startdatumet."))
        if end_date == date:
            values["end_date"] = None
        starts_at, ends_at = values["starts_at"], values["ends_at"]
        if (
            values["end_date"] is None
            and starts_at is not None
            and ends_at is not None
            and ends_at <= starts_at
        ):
            _add(errors, "ends_at", _("Sluttiden är före starttiden."))
    others = values["other_participants"] or 0
    if int(others) < 0:
        _add(errors, "other_participants", _("Ange ett antal, noll eller fler."))
    values["other_participants"] = int(others)
    score: Decimal | None = values["evaluation_score"]
    scale = values["evaluation_scale"]
    if score is not None:
        if not scale:
            _add(errors, "evaluation_scale", _("Ange vilken skala medelvärdet gäller."))
        elif not Decimal(1) <= Decimal(score) <= Decimal(scale):
            _add(
                errors,
                "evaluation_score",
                _("Medelvärdet ska ligga mellan 1 och %(top)s på skalan 1–%(top)s.")
                % {"top": scale},
            )
        elif Decimal(score) != Decimal(score).quantize(Decimal("0.01")):
            _add(errors, "evaluation_score", _("Ange högst två decimaler."))
    if values["evaluation_responses"] is not None and int(values["evaluation_responses"]) < 0:
        _add(errors, "evaluation_responses", _("Ange ett antal, noll eller fler."))
    values["cancelled"] = bool(values["cancelled"])
    if errors:
        raise ValidationError(errors)
    return values


def _clean_attendance(
    association: Association, attendance: Sequence[AttendanceRow]
) -> list[AttendanceRow]:
    """Rows with someone attending; a member of another förbund, a member twice or more
    kvinnor and män than attended is refused, naming the member."""
    errors: list[str] = []
    seen: set[int] = set()
    kept = []
    for row in attendance:
        member = row.member
        if member.association_id != association.pk:
            errors.append(_("%(member)s är inte medlem i förbundet.") % {"member": member})
            continue
        if member.pk in seen:
            errors.append(_("%(member)s finns med två gånger.") % {"member": member})
            continue
        seen.add(member.pk)
        numbers = (row.participants, row.women, row.men)
        if any(n is not None and n < 0 for n in numbers):
            errors.append(_("%(member)s: ange antal, noll eller fler.") % {"member": member})
            continue
        if (row.women or 0) + (row.men or 0) > row.participants:
            errors.append(
                _("%(member)s: kvinnor och män (%(split)s) är fler än deltagarna (%(total)s).")
                % {
                    "member": member,
                    "split": (row.women or 0) + (row.men or 0),
                    "total": row.participants,
                }
            )
            continue
        if row.participants > 0:
            kept.append(row)
    if errors:
        raise ValidationError({"attendance": errors})
    return kept


def _attendance_summary(activity: Activity) -> dict[str, Any]:
    return {
        row.member.name: [row.participants, row.women, row.men]
        for row in activity.attendance.select_related("member")
    }


def _attendance_store(activity: Activity, rows: Sequence[AttendanceRow]) -> None:
    existing = {row.member_id: row for row in activity.attendance.all()}
    wanted = {row.member.pk: row for row in rows}
    for member_id, old in existing.items():
        if member_id not in wanted:
            old.delete()
    for member_id, row in wanted.items():
        kept = existing.get(member_id)
        if kept is None:
            ActivityAttendance.objects.create(
                association=activity.association,
                activity=activity,
                member=row.member,
                participants=row.participants,
                women=row.women,
                men=row.men,
            )
        elif (kept.participants, kept.women, kept.men) != (row.participants, row.women, row.men):
            kept.participants, kept.women, kept.men = row.participants, row.women, row.men
            kept.save(update_fields=["participants", "women", "men"])


def _snapshot(activity: Activity) -> dict[str, Any]:
    values = snapshot(activity, ACTIVITY_FIELDS)
    # The audit log stores JSON: times as text.
    return {
        field: value.isoformat(timespec="minutes") if isinstance(value, datetime.time) else value
        for field, value in values.items()
    }


def activity_create(
    *,
    actor: Any,
    association: Association,
    attendance: Sequence[AttendanceRow] = (),
    **data: Any,
) -> Activity:
    """Register an activity with its attendance per member."""
    values = _clean(association, data)
    rows = _clean_attendance(association, attendance)
    with transaction.atomic():
        activity = Activity.objects.create(
            association=association,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **values,
        )
        _attendance_store(activity, rows)
        audit_log(
            action="activity.created",
            actor=actor,
            association=association,
            obj=activity,
            changes={**_snapshot(activity), "attendance": _attendance_summary(activity)},
        )
    return activity


def activity_update(
    *,
    actor: Any,
    activity: Activity,
    attendance: Sequence[AttendanceRow] | None = None,
    **data: Any,
) -> Activity:
    """Change an activity; `attendance` (when given) replaces its attendance."""
    association = activity.association
    merged = {field: data.get(field, getattr(activity, field)) for field in ACTIVITY_FIELDS}
    values = _clean(association, merged)
    rows = _clean_attendance(association, attendance) if attendance is not None else None
    with transaction.atomic():
        before = {**_snapshot(activity), "attendance": _attendance_summary(activity)}
        for field, value in values.items():
            setattr(activity, field, value)
        activity.save()
        if rows is not None:
            _attendance_store(activity, rows)
        after = {**_snapshot(activity), "attendance": _attendance_summary(activity)}
        changes = diff(before, after)
        if changes:
            audit_log(
                action="activity.updated",
                actor=actor,
                association=association,
                obj=activity,
                changes=changes,
            )
    return activity


def activity_delete(*, actor: Any, activity: Activity) -> None:
    with transaction.atomic():
        audit_log(
            action="activity.deleted",
            actor=actor,
            association=activity.association,
            obj=activity,
            changes={**_snapshot(activity), "attendance": _attendance_summary(activity)},
        )
        activity.delete()
