"""The tenant guard: the förbund in the URL, resolved once per request.

Every page of a förbund lives under `/f/<association_slug>/`. The middleware
resolves the förbund and the user's role in it once, puts them on the request,
and runs the view inside a django-scopes scope, so that a query on a förbund's
data that forgets the förbund fails instead of leaking. Another förbund answers
404 (its existence is not confirmed); a missing permission in one's own answers
403; a role that may see participant rows without a verified second factor is
sent to the two-factor step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Association, Membership
from stegvis.associations.roles import (
    Permission,
    Role,
    permissions_for,
    role_requires_second_factor,
)

View = Callable[..., HttpResponseBase]


class AssociationRequest(HttpRequest):
    """A request inside a förbund, as the middleware leaves it (for type checking)."""

    association: Association
    membership: Membership | None
    role: str
    permissions: frozenset[Permission]


SESSION_LAST_ASSOCIATION = "stegvis_last_association"


def role_in_association(
    user: Any, association: Association
) -> tuple[str | None, Membership | None]:
    """The user's role in the förbund: their membership's, else the installation role
    of a systemadministratör (who reaches every förbund, without participant data)."""
    if not user.is_authenticated or not user.is_active:
        return None, None
    with scopes_disabled():
        membership = (
            Membership.objects.filter(association=association, user=user)
            .select_related("member")
            .first()
        )
    if membership is not None:
        return membership.role, membership
    if user.site_role == Role.SYSTEM_ADMIN:
        return Role.SYSTEM_ADMIN, None
    return None, None


def second_factor_missing(request: HttpRequest, role: str | None) -> bool:
    if not settings.STEGVIS_REQUIRE_2FA or not role_requires_second_factor(role):
        return False
    return not request.user.is_verified()  # type: ignore[union-attr]


def redirect_to_second_factor(request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts:verify')}?{query}")


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("association_slug")
        if slug is None:
            return self.get_response(request)

        if not request.user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            raise Http404
        role, membership = role_in_association(request.user, association)
        if role is None:
            raise Http404
        if second_factor_missing(request, role):
            return redirect_to_second_factor(request)

        request.association = association  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.role = role  # type: ignore[attr-defined]
        request.permissions = permissions_for(role)  # type: ignore[attr-defined]
        request.session[SESSION_LAST_ASSOCIATION] = association.slug
        with scope(association=association):
            return self.get_response(request)


def association_view(permission: Permission) -> Callable[[View], View]:
    """Declare the permission a förbund page needs. Outside the förbund the
    middleware has already answered 404; here a missing permission is 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(
            request: AssociationRequest, association_slug: str, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if permission not in request.permissions:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator


def site_view(permission: Permission | None = None) -> Callable[[View], View]:
    """Declare an installation page (outside any förbund): login required, and the
    installation role's permission when one is named."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")
            if permission is not None:
                role = request.user.site_role
                if permission not in permissions_for(role or None):
                    raise PermissionDenied
                if second_factor_missing(request, role):
                    return redirect_to_second_factor(request)
            return view(request, *args, **kwargs)

        wrapped.required_permission = permission or "authenticated"  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public_view(view: View) -> View:
    """Mark a page anyone may open (login, health check)."""
    view.required_permission = "public"  # type: ignore[attr-defined]
    return view
