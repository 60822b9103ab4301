"""The one audit log of the app (DOMAIN.md §9, STYLE.md "The tenant and the roles").

Every service that writes calls `audit_log`; every view that shows participant
rows calls `audit_read`. Secrets are never written: fields whose names say
they are secret are replaced by a marker before anything is stored.
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django_scopes import scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.core.middleware import HOLDS_PARTICIPANT_ROWS

if TYPE_CHECKING:
    from stegvis.associations.models import Association

SECRET_MARKERS = (
    "password",
    "secret",
    "token",
    "personnummer",
    "personal_number",
    "api_key",
    "private_key",
    "otp",
)
REDACTED = "•••"


def _is_secret(field: str) -> bool:
    lowered = field.lower()
    return any(marker in lowered for marker in SECRET_MARKERS)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    return value


def clean_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {
        field: REDACTED if _is_secret(field) else _plain(value) for field, value in changes.items()
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` on `obj`, for comparing before and after a change."""
    return {field: _plain(getattr(obj, field)) for field in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """Changed fields as {field: [old, new]}."""
    return {
        field: [before.get(field), after.get(field)]
        for field in after
        if before.get(field) != after.get(field)
    }


def client_ip(request: HttpRequest | None) -> str | None:
    """The address a request came from, for the log and for the login throttle.

    Behind a proxy (`BEHIND_PROXY`) it is the last address in X-Forwarded-For, the
    one our proxy appended: earlier ones are whatever the client chose to send.
    Without a proxy the header is ignored, since anyone can set it.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        address = forwarded or address
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def audit_log(
    *,
    action: str,
    actor: Any = None,
    association: Association | None = None,
    obj: Any = None,
    changes: Mapping[str, Any] | None = None,
    kind: str = AuditEntry.Kind.WRITE,
    request: HttpRequest | None = None,
    object_repr: str = "",
) -> AuditEntry:
    """Record one action. `action` is namespaced: `member.created`, `membership.role_changed`."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        association=association,
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else ""),
        kind=kind,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        changes=clean_changes(changes or {}),
        ip_address=client_ip(request),
    )
    with scopes_disabled():
        entry.save()
    return entry


def audit_read(
    *,
    request: HttpRequest,
    action: str,
    obj: models.Model | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Record that the request's user looked at something sensitive (participant rows).

    `detail` says what was shown (an insats, a filter, how many rows), never the rows.
    The request is marked, so its response is sent with `Cache-Control: no-store`
    (`core.middleware.NoStoreForParticipantRowsMiddleware`).
    """
    setattr(request, HOLDS_PARTICIPANT_ROWS, True)
    return audit_log(
        action=action,
        actor=request.user,
        association=getattr(request, "association", None),
        obj=obj,
        changes=detail,
        kind=AuditEntry.Kind.READ,
        request=request,
    )
