"""The Samverkan start page: what is coming (activities, meetings, survey rounds) and
the way into each part of the structural work."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view


@association_view(Permission.VIEW_COLLABORATION)
def home(request: AssociationRequest) -> HttpResponse:
    return render(request, "structural/home.html", {})
