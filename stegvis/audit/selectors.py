from __future__ import annotations

import datetime
from typing import Any

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


def format_changes(changes: dict[str, Any]) -> str:
    """'field: old → new' per changed field, for the page and the export."""
    parts = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = value
            parts.append(f"{field}: {'–' if old in (None, '') else old} → {new}")
        else:
            parts.append(f"{field}: {value}")
    return "; ".join(parts)
