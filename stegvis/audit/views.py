from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.audit.forms import AuditFilterForm
from stegvis.audit.models import AuditEntry
from stegvis.audit.selectors import audit_entries, format_changes
from stegvis.core.exporters import Table, TableExporter

PAGE_SIZE = 50


def _filtered(request: AssociationRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(association=request.association, **filters)
    return form, entries


@association_view(Permission.VIEW_AUDIT_LOG)
def entry_list(request: AssociationRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page: Page[AuditEntry] = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@association_view(Permission.VIEW_AUDIT_LOG)
def entry_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    _form, entries = _filtered(request)
    table = Table(
        title=_("Logg"),
        columns=[
            _("Tid"),
            _("Användare"),
            _("Typ"),
            _("Händelse"),
            _("Objekt"),
            _("Ändringar"),
            _("IP-adress"),
        ],
        rows=[
            [
                entry.created_at,  # a time in Excel, in Stegvis's time zone
                entry.actor_name or _("Systemet"),
                entry.get_kind_display(),
                entry.action,
                entry.object_repr,
                format_changes(entry.changes, entry.object_type),
                entry.ip_address or "",
            ]
            for entry in entries.iterator()
        ],
    )
    association = request.association
    return TableExporter(table, filename=f"{association.slug}-logg").response(fmt)
