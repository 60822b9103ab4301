from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from stegvis.associations import services
from stegvis.associations.forms import AssociationCreateForm
from stegvis.associations.models import Association, Member
from stegvis.associations.roles import Permission, Role
from stegvis.associations.selectors import associations_for_user
from stegvis.associations.tenancy import SESSION_LAST_ASSOCIATION, public_view, site_view
from stegvis.core.exporters import Table, TableExporter
from stegvis.core.forms import add_service_errors


@site_view()
def home(request: HttpRequest) -> HttpResponse:
    """Start where the user left off: the last förbund, the only one, or the picker."""
    choices = associations_for_user(request.user)
    slugs = {choice.association.slug for choice in choices}
    last = request.session.get(SESSION_LAST_ASSOCIATION)
    if last in slugs:
        return redirect("associations:overview", association_slug=last)
    if len(choices) == 1:
        return redirect("associations:overview", association_slug=choices[0].association.slug)
    if not choices and request.user.site_role == Role.NATIONAL_READER:  # type: ignore[union-attr]
        return redirect("core:national")
    return redirect("core:picker")


@site_view()
def picker(request: HttpRequest) -> HttpResponse:
    return render(request, "core/picker.html", {"choices": associations_for_user(request.user)})


@site_view(Permission.CREATE_ASSOCIATION)
def association_create(request: HttpRequest) -> HttpResponse:
    """The systemadministratör adds a förbund to the installation."""
    form = AssociationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            association = services.association_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Förbundet %(name)s är skapat.") % {"name": association.name}
            )
            return redirect("associations:member_list", association_slug=association.slug)
    return render(request, "core/association_form.html", {"form": form})


def _national_rows() -> list[dict[str, Any]]:
    with scopes_disabled():
        associations = list(Association.objects.order_by("name"))
        counts: dict[int, dict[str, int]] = {}
        for member in Member.objects.values("association_id", "kind"):
            by_kind = counts.setdefault(member["association_id"], {})
            by_kind[member["kind"]] = by_kind.get(member["kind"], 0) + 1
    rows = [
        {
            "association": association,
            "municipalities": counts.get(association.pk, {}).get(Member.Kind.MUNICIPALITY, 0),
            "members": sum(counts.get(association.pk, {}).values()),
        }
        for association in associations
    ]
    return rows


@site_view(Permission.VIEW_NATIONAL_AGGREGATES)
def national(request: HttpRequest) -> HttpResponse:
    """Figures across förbund for the national/regional reader: only aggregates."""
    return render(request, "core/national.html", {"rows": _national_rows()})


@site_view(Permission.VIEW_NATIONAL_AGGREGATES)
def national_export(request: HttpRequest, fmt: str) -> HttpResponse:
    table = Table(
        title=_("Förbund och medlemmar"),
        columns=[_("Förbund"), _("Organisationsnummer"), _("Medlemmar"), _("Kommuner")],
        rows=[
            [
                row["association"].name,
                row["association"].organisation_number,
                row["members"],
                row["municipalities"],
            ]
            for row in _national_rows()
        ],
    )
    return TableExporter(table, filename="stegvis-nationell-oversikt").response(fmt)


@public_view
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
