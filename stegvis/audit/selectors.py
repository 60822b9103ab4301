from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from stegvis.associations.models import Association
from stegvis.audit.models import AuditEntry


def audit_entries(
    *,
    association: Association,
    kind: str = "",
    action: str = "",
    actor: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The förbund's log, newest first, filtered as the log page asks."""
    entries = association.audit_entries.select_related("actor")
    if kind:
        entries = entries.filter(kind=kind)
    if action:
        entries = entries.filter(action__istartswith=action)
    if actor:
        entries = entries.filter(Q(actor_name__icontains=actor))
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries.order_by("-created_at", "-id")


def _field_label(object_type: str, field: str) -> str:
    """The field's name as the forms show it ('Funktion'), else its code name."""
    try:
        model = apps.get_model(object_type) if object_type else None
        if model is None:
            return field
        found = model._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field
    # A reverse relation (a changed set of related rows) has no verbose name of its own.
    label = getattr(found, "verbose_name", None)
    if label is None:
        label = found.related_model._meta.verbose_name_plural if found.related_model else field
    return str(label).capitalize()


def _shown(value: Any) -> str:
    return "–" if value in (None, "") else str(value)


def format_changes(changes: dict[str, Any], object_type: str = "") -> str:
    """'Fält: gammalt → nytt' per changed field, for the page and the export.
    Empty fields of a new object are left out."""
    parts = []
    for field, value in changes.items():
        label = _field_label(object_type, field)
        if isinstance(value, list) and len(value) == 2:
            old, new = value
            parts.append(f"{label}: {_shown(old)} → {_shown(new)}")
        elif value not in (None, ""):
            parts.append(f"{label}: {value}")
    return "; ".join(parts)
