"""/f/<förbund>/samverkan/avvikelser/…: avvikelser and guldkorn.

Staff of an insats report a case and follow its handling; the kansli handles it
(status, group, measures, learning, closing) and keeps the categories; the board
reads the learning overview (Lärande). Who sees which case is decided in
`selectors_deviations`; a case one may not see answers 404, as another förbund's does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import FORMATS, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.goals.selectors import period_choice
from stegvis.structural import selectors_deviations as selectors
from stegvis.structural import services_deviations as services
from stegvis.structural.forms_deviations import (
    CategoryEditForm,
    CategoryForm,
    DeviationFilterForm,
    DeviationHandleForm,
    DeviationReportForm,
)
from stegvis.structural.models import Deviation, DeviationCategory


def _url(request: AssociationRequest, name: str, **kwargs: Any) -> str:
    return reverse(
        f"structural:{name}", kwargs={"association_slug": request.association.slug, **kwargs}
    )


def _visible(request: AssociationRequest) -> Any:
    return selectors.visible_deviations(
        association=request.association, user=request.user, permissions=request.permissions
    )


def _deviation(request: AssociationRequest, pk: int) -> Deviation:
    deviation = selectors.deviation_for(
        association=request.association,
        user=request.user,
        permissions=request.permissions,
        pk=pk,
    )
    if deviation is None:
        raise Http404
    return deviation


def _reportable(request: AssociationRequest) -> Any:
    return selectors.reportable_interventions(
        association=request.association, user=request.user, permissions=request.permissions
    )


def _can_manage(request: AssociationRequest) -> bool:
    return selectors.can_manage(request.permissions)


def _filtered(request: AssociationRequest) -> tuple[DeviationFilterForm, list[Deviation]]:
    association = request.association
    visible = _visible(request)
    interventions = association.interventions.filter(
        pk__in=visible.exclude(intervention=None).values("intervention_id")
    ).order_by("name")
    years = sorted({date.year for date in visible.dates("reported_on", "year")}, reverse=True)
    form = DeviationFilterForm(
        request.GET or None, association=association, interventions=interventions, years=years
    )
    return form, selectors.deviation_rows(form.filters().apply(visible))


# ---------------------------------------------------------------------------
# The list, a case, reporting


@association_view(Permission.VIEW_COLLABORATION)
def deviation_list(request: AssociationRequest) -> HttpResponse:
    """Reporters and the kansli see their cases; the board goes to Lärande."""
    permissions = request.permissions
    if Permission.REPORT_DEVIATIONS not in permissions and not _can_manage(request):
        return redirect(_url(request, "deviation_learning"))
    form, rows = _filtered(request)
    counts = {kind: sum(1 for row in rows if row.kind == kind) for kind in Deviation.Kind.values}
    return render(
        request,
        "structural/deviation_list.html",
        {
            "form": form,
            "rows": rows,
            "counts": counts,
            "open_count": sum(1 for row in rows if not row.is_closed),
            "filtered": bool(form.is_bound and form.is_valid() and form.chosen()),
            "query": request.GET.urlencode(),
            "can_manage": _can_manage(request),
        },
    )


@association_view(Permission.REPORT_DEVIATIONS)
def deviation_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The list as on the page, with the same filters; who reported only for the kansli."""
    if fmt not in FORMATS:
        raise Http404
    form, rows = _filtered(request)
    notes = []
    if chosen := form.chosen():
        notes.append(_("Urval: %(filters)s") % {"filters": "; ".join(chosen)})
    table = selectors.deviation_table(rows, with_reporter=_can_manage(request), notes=notes)
    return TableExporter(table, filename=f"{request.association.slug}-avvikelser").response(fmt)


@association_view(Permission.REPORT_DEVIATIONS)
def deviation_create(request: AssociationRequest) -> HttpResponse:
    association = request.association
    interventions = _reportable(request)
    initial: dict[str, Any] = {"kind": Deviation.Kind.DEVIATION}
    if request.GET.get("slag") == "guldkorn":
        initial["kind"] = Deviation.Kind.GOOD_EXAMPLE
    wanted = request.GET.get("insats", "")
    if wanted.isdigit() and interventions.filter(pk=int(wanted)).exists():
        initial["intervention"] = int(wanted)
    elif interventions.count() == 1 and not _can_manage(request):
        initial["intervention"] = interventions.get().pk
    form = DeviationReportForm(
        request.POST or None,
        initial=initial,
        association=association,
        interventions=interventions,
    )
    if request.method == "POST" and form.is_valid():
        try:
            deviation = services.deviation_report(
                actor=request.user, association=association, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if deviation.kind == Deviation.Kind.GOOD_EXAMPLE:
                messages.success(request, _("Tack! Guldkornet är rapporterat till kansliet."))
            else:
                messages.success(
                    request,
                    _("Avvikelsen är rapporterad. Kansliet tar den vidare till rätt styrgrupp."),
                )
            return redirect(_url(request, "deviation_detail", pk=deviation.pk))
    return render(
        request,
        "structural/deviation_form.html",
        {"form": form, "has_interventions": interventions.exists()},
    )


@association_view(Permission.REPORT_DEVIATIONS)
def deviation_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    deviation = _deviation(request, pk)
    manage = _can_manage(request)
    return render(
        request,
        "structural/deviation_detail.html",
        {
            "deviation": deviation,
            "members": list(deviation.members.all()),
            "history": selectors.handling_history(deviation),
            "can_manage": manage,
            "reporter": selectors.reporter_name(deviation) if manage else "",
            "reported_by_me": deviation.reported_by_id == request.user.pk,
        },
    )


# ---------------------------------------------------------------------------
# Handling (the kansli)


@association_view(Permission.MANAGE_COLLABORATION)
def deviation_handle(request: AssociationRequest, pk: int) -> HttpResponse:
    deviation = _deviation(request, pk)
    form = DeviationHandleForm(request.POST or None, deviation=deviation)
    if request.method == "POST" and form.is_valid():
        was = deviation.get_status_display()
        try:
            services.deviation_handle(
                actor=request.user, deviation=deviation, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            now = deviation.get_status_display()
            if was != now:
                messages.success(
                    request,
                    _("Ärendet är sparat: %(was)s → %(now)s.") % {"was": was, "now": now},
                )
            else:
                messages.success(request, _("Ärendet är sparat."))
            return redirect(_url(request, "deviation_detail", pk=deviation.pk))
    return render(
        request,
        "structural/deviation_handle.html",
        {"form": form, "deviation": deviation, "members": list(deviation.members.all())},
    )


# ---------------------------------------------------------------------------
# Lärande (the board)


def _learning(request: AssociationRequest) -> tuple[Any, selectors.LearningOverview, int]:
    association = request.association
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = timezone.localdate().year
    query = request.GET.copy()
    code = str(query.get("period", ""))
    if code[:4].isdigit():
        year = int(code[:4])
    choice = period_choice(association=association, year=year, query=query)
    overview = selectors.learning_overview(association=association, period=choice.period)
    return choice, overview, choice.period.year


@association_view(Permission.VIEW_COLLABORATION)
def deviation_learning(request: AssociationRequest) -> HttpResponse:
    choice, overview, year = _learning(request)
    years = sorted(
        {*selectors.deviation_years(association=request.association), timezone.localdate().year},
        reverse=True,
    )
    return render(
        request,
        "structural/deviation_learning.html",
        {
            "choice": choice,
            "overview": overview,
            "year": year,
            "years": years,
            "can_report": Permission.REPORT_DEVIATIONS in request.permissions,
        },
    )


@association_view(Permission.VIEW_COLLABORATION)
def deviation_learning_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    choice, overview, _year = _learning(request)
    tables = selectors.learning_tables(overview)
    return TableExporter(
        *tables,
        filename=f"{request.association.slug}-larande-{choice.period.code}",
        csv=tables[0],
    ).response(fmt)


# ---------------------------------------------------------------------------
# Categories (the kansli)


@association_view(Permission.MANAGE_COLLABORATION)
def deviation_categories(request: AssociationRequest) -> HttpResponse:
    association = request.association
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(
                actor=request.user, association=association, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Kategorin ”%(name)s” är tillagd.") % {"name": category.name}
            )
            return redirect(_url(request, "deviation_categories"))
    return render(
        request,
        "structural/deviation_categories.html",
        {"form": form, "rows": selectors.category_rows(association=association)},
    )


@association_view(Permission.MANAGE_COLLABORATION)
def deviation_category_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    category = DeviationCategory.objects.filter(association=request.association, pk=pk).first()
    if category is None:
        raise Http404
    form = CategoryEditForm(request.POST or None, category=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_update(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Kategorin är sparad."))
            return redirect(_url(request, "deviation_categories"))
    return render(
        request, "structural/deviation_category_form.html", {"form": form, "category": category}
    )
