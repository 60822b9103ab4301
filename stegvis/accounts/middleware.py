"""Half logged in: a session that has passed the password but not the second factor.

Such a session is no more than an anonymous visitor's plus the second-factor
step: it may open the pages anyone may open (login, logout, language switch,
health check, survey links), the code step, and enrolment while the person
has no device yet. Everything else — the account page, the password change,
the förbund picker, every förbund page, the national overview — sends the
person to the code step (or to enrolment) with `?next=` back to where they were
going. The tenant middleware's own check stays, but is no longer the only door.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from stegvis.accounts.services import confirmed_totp, user_needs_second_factor

VERIFY = "accounts:verify"
ENROL = "accounts:enrol"


def _view_of(request: HttpRequest) -> tuple[str, str]:
    """The resolved view's name and the permission it declares ('' for an unknown path)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return "", ""
    return match.view_name, getattr(match.func, "required_permission", "")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        # is_verified() comes first: it costs no query for a verified session.
        if (
            not user.is_authenticated
            or user.is_verified()  # type: ignore[attr-defined]
            or not user_needs_second_factor(user)
        ):
            return self.get_response(request)
        if request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)

        name, permission = _view_of(request)
        has_device = confirmed_totp(user) is not None
        if permission == "public" or name == VERIFY or (name == ENROL and not has_device):
            return self.get_response(request)
        step = VERIFY if has_device else ENROL
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")
