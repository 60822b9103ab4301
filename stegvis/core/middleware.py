"""Response headers that every page of the app carries.

* `Permissions-Policy`: Stegvis uses no camera, microphone, position, payment or
  device; saying so means a script that got in somehow cannot ask for them either.
* `Cache-Control: no-store, private` on every response that holds participant rows:
  such a page or export must not stay in the browser's cache or a proxy's, where the
  next person at a shared computer could open it. A view that shows rows writes a
  read to the audit log (`audit.services.audit_read`), which marks the request;
  this middleware reads the mark, so no view can show rows and forget the header.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

# Only features that browsers implement today: not `interest-cohort`, withdrawn with
# FLoC. A name Chromium does not know (e.g. `bluetooth`) makes it log a warning on
# every page, which the browser tests report (core/tests/browser_support.py).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

# The mark `audit_read` leaves on a request whose response holds participant rows.
HOLDS_PARTICIPANT_ROWS = "holds_participant_rows"


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class NoStoreForParticipantRowsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if getattr(request, HOLDS_PARTICIPANT_ROWS, False):
            patch_cache_control(response, no_store=True, private=True)
        return response
