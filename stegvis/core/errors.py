"""The error pages (handler400, handler403, handler404, handler500 in stegvis/urls.py).

Each says in plain Swedish what happened and what to do, and links to the start page.
400 and 413 are rendered without the request's context, as Django does for 400: the
request that failed may be one that cannot be read (an over-size body, a host name
not allowed). 500 depends on nothing that may be what failed — no database, no
context processors — and falls back to fixed text if even its template fails.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

# Django answers these with 400; what the person sent was too much, so 413 with its
# own page, naming the limit.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)

FALLBACK_500 = (
    '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Något gick fel – Stegvis'
    "</title></head><body><main><h1>Något gick fel</h1><p>Ett fel uppstod i Stegvis. Felet är "
    'loggat. Försök igen om en stund.</p><p><a href="/">Till startsidan</a></p></main></body>'
    "</html>"
)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, TOO_LARGE):
        return request_too_large(request, exception)
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def request_too_large(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {
        "too_many_fields": isinstance(exception, TooManyFieldsSent),
        "too_many_files": isinstance(exception, TooManyFilesSent),
        "max_size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    }
    return HttpResponse(loader.get_template("413.html").render(context), status=413)


permission_denied = defaults.permission_denied
page_not_found = defaults.page_not_found


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        html = loader.get_template("500.html").render()
    except Exception:  # the page must answer even if its template or static files fail
        logger.exception("The 500 page could not be rendered")
        html = FALLBACK_500
    return HttpResponseServerError(html)
