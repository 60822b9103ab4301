"""The Rapporter start page: every report the förbund can print, for the chosen year."""

from __future__ import annotations

import contextlib

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view


@association_view(Permission.VIEW_REPORTS)
def home(request: AssociationRequest) -> HttpResponse:
    year = timezone.localdate().year
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    return render(request, "reports/home.html", {"year": year})
