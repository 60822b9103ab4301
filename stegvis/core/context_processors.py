"""What the base layout needs on every page: the förbund, the role and the navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stegvis.associations.roles import Permission, Role, permissions_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


# The domain's areas in their order. An area appears once its app exists and the
# role may use it; later issues add theirs here (Ekonomi, Insatser, Deltagare, Mål,
# Samverkan, Rapporter).
AREAS: list[tuple[str, Any, str, Permission]] = [
    ("overview", _("Översikt"), "associations:overview", Permission.VIEW_ASSOCIATION),
    ("finance", _("Ekonomi"), "finance:budget", Permission.VIEW_BUDGET),
    ("interventions", _("Insatser"), "interventions:list", Permission.VIEW_INTERVENTIONS),
    ("participants", _("Deltagare"), "participants:home", Permission.VIEW_AGGREGATES),
    ("goals", _("Mål"), "goals:map", Permission.VIEW_GOALS),
    ("collaboration", _("Samverkan"), "structural:home", Permission.VIEW_COLLABORATION),
    ("reports", _("Rapporter"), "reports:home", Permission.VIEW_REPORTS),
    ("settings", _("Inställningar"), "associations:member_list", Permission.VIEW_ASSOCIATION),
]


def area_of(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return ""
    if match.url_name == "overview":
        return "overview"
    if match.namespace in {"associations", "audit"}:
        return "settings"
    if match.namespace in {"finance", "actuals"}:
        return "finance"
    if match.namespace == "interventions":
        return "interventions"
    if match.namespace in {"participants", "instruments"}:
        return "participants"
    if match.namespace == "goals":
        return "goals"
    if match.namespace == "structural":
        return "collaboration"
    return match.namespace


def shell(request: HttpRequest) -> dict[str, Any]:
    association = getattr(request, "association", None)
    context: dict[str, Any] = {"current_area": area_of(request)}
    if association is None:
        user = getattr(request, "user", None)
        site_role = getattr(user, "site_role", "") if user is not None else ""
        context["site_permissions"] = permissions_for(site_role or None)
        context["role_label"] = Role(site_role).label if site_role else ""
        return context
    permissions = request.permissions  # type: ignore[attr-defined]
    context.update(
        association=association,
        permissions={permission.value for permission in permissions},
        role_label=Role(request.role).label,  # type: ignore[attr-defined]
        nav=[
            NavItem(str(label), reverse(url, kwargs={"association_slug": association.slug}), key)
            for key, label, url, permission in AREAS
            if permission in permissions
        ],
    )
    return context
