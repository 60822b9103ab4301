"""The Mål pages: the goal map of a year with every indicator's value, target, status
and trend for a chosen period; one indicator's page (definition and version, values
per period, the counts behind them, the trend, values entered by hand, and for staff
allowed to see rows the participant codes behind it); the forms that change the map.

Figures resting on participant counts are always suppressed below the förbund's
minimum cell size here. Another förbund's goal or indicator answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.audit.services import audit_read
from stegvis.core.exporters import FORMATS, Table, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.goals import evaluation, metrics, selectors, services
from stegvis.goals.forms import (
    GoalForm,
    IndicatorForm,
    ManualValueForm,
    target_formset,
    to_stored,
)
from stegvis.goals.models import Goal, GoalMap, Indicator
from stegvis.goals.periods import periods_for
from stegvis.interventions.models import Intervention
from stegvis.participants import access


def _goal_map(request: AssociationRequest, year: int) -> GoalMap:
    goal_map = selectors.goal_map_for(association=request.association, year=year)
    if goal_map is None:
        raise Http404
    return goal_map


def _goal(request: AssociationRequest, pk: int) -> Goal:
    goal = (
        Goal.objects.filter(association=request.association, pk=pk)
        .select_related("goal_map")
        .first()
    )
    if goal is None:
        raise Http404
    return goal


def _indicator(request: AssociationRequest, pk: int) -> Indicator:
    indicator = selectors.indicator_for(association=request.association, pk=pk)
    if indicator is None:
        raise Http404
    return indicator


def _map_url(request: AssociationRequest, year: int, anchor: str = "") -> str:
    url = reverse(
        "goals:map_year", kwargs={"association_slug": request.association.slug, "year": year}
    )
    return f"{url}#{anchor}" if anchor else url


def _indicator_url(request: AssociationRequest, indicator: Indicator, query: str = "") -> str:
    url = reverse(
        "goals:indicator",
        kwargs={"association_slug": request.association.slug, "pk": indicator.pk},
    )
    return f"{url}?{query}" if query else url


def _can_edit(request: AssociationRequest) -> bool:
    return Permission.EDIT_GOALS in request.permissions


def _intervention_names(request: AssociationRequest) -> list[str]:
    return list(
        Intervention.objects.filter(association=request.association)
        .order_by("name")
        .values_list("name", flat=True)
    )


# ---------------------------------------------------------------------------
# The goal map


@association_view(Permission.VIEW_GOALS)
def goal_map_home(request: AssociationRequest) -> HttpResponse:
    year = timezone.localdate().year
    if selectors.goal_map_for(association=request.association, year=year) is not None:
        return redirect(_map_url(request, year))
    return _empty(request, year)


def _empty(request: AssociationRequest, year: int) -> HttpResponse:
    return render(
        request,
        "goals/empty.html",
        {
            "year": year,
            "years": selectors.goal_map_years(association=request.association),
            "can_edit": _can_edit(request),
        },
    )


@association_view(Permission.VIEW_GOALS)
def goal_map_year(request: AssociationRequest, year: int) -> HttpResponse:
    association = request.association
    # Reads only: a closed period shows its recorded values where `stegvis nightly`
    # (or `stegvis goals record`) has stored them, else values computed now.
    goal_map = selectors.goal_map_for(association=association, year=year)
    if goal_map is None:
        return _empty(request, year)
    choice = selectors.period_choice(association=association, year=year, query=request.GET)
    page = selectors.goal_map_page(
        goal_map=goal_map, period=choice.period, min_cell=selectors.min_cell_for(association)
    )
    return render(
        request,
        "goals/map.html",
        {
            "page": page,
            "choice": choice,
            "year": year,
            "years": selectors.goal_map_years(association=association),
            "can_edit": _can_edit(request),
            "statuses": selectors.STATUS_ORDER,
        },
    )


@association_view(Permission.VIEW_GOALS)
def goal_map_export(request: AssociationRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    association = request.association
    goal_map = _goal_map(request, year)
    choice = selectors.period_choice(association=association, year=year, query=request.GET)
    page = selectors.goal_map_page(
        goal_map=goal_map,
        period=choice.period,
        min_cell=selectors.min_cell_for(association),
        charts=False,
    )
    return TableExporter(
        selectors.goal_map_table(page=page), filename=f"malkarta-{year}-{choice.period.code}"
    ).response(fmt)


@association_view(Permission.EDIT_GOALS)
@require_POST
def goal_map_create(request: AssociationRequest, year: int) -> HttpResponse:
    try:
        services.goal_map_ensure(actor=request.user, association=request.association, year=year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:map", association_slug=request.association.slug)
    messages.success(request, _("Målkartan för %(year)s är skapad.") % {"year": year})
    return redirect(_map_url(request, year))


# ---------------------------------------------------------------------------
# Goals


@association_view(Permission.EDIT_GOALS)
def goal_create(request: AssociationRequest, year: int) -> HttpResponse:
    goal_map = _goal_map(request, year)
    form = GoalForm(request.POST or None, goal_map=goal_map)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(actor=request.user, goal_map=goal_map, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Målet är tillagt."))
            return redirect(_map_url(request, year, f"mal-{goal.pk}"))
    return render(request, "goals/goal_form.html", {"form": form, "goal_map": goal_map})


@association_view(Permission.EDIT_GOALS)
def goal_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    goal_map = goal.goal_map
    form = GoalForm(request.POST or None, goal_map=goal_map, goal=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Målet är sparat."))
            return redirect(_map_url(request, goal_map.year, f"mal-{goal.pk}"))
    return render(
        request, "goals/goal_form.html", {"form": form, "goal_map": goal_map, "goal": goal}
    )


@association_view(Permission.EDIT_GOALS)
@require_POST
def goal_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    goal = _goal(request, pk)
    year = goal.goal_map.year
    services.goal_delete(actor=request.user, goal=goal)
    messages.success(request, _("Målet är borttaget."))
    return redirect(_map_url(request, year))


# ---------------------------------------------------------------------------
# Indicators


def _indicator_form_page(
    request: AssociationRequest, goal: Goal, indicator: Indicator | None
) -> HttpResponse:
    unit = selectors.unit_of(indicator) if indicator is not None else "count"
    version_before = indicator.version if indicator is not None else None
    form = IndicatorForm(
        request.POST or None, interventions=_intervention_names(request), indicator=indicator
    )
    targets = target_formset(request.POST or None, indicator=indicator, unit=unit)
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        try:
            with transaction.atomic():
                if indicator is None:
                    saved = services.indicator_create(
                        actor=request.user, goal=goal, **form.service_data()
                    )
                else:
                    saved = services.indicator_update(
                        actor=request.user, indicator=indicator, **form.service_data()
                    )
                _targets_save(request, saved, targets)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if version_before is not None and saved.version != version_before:
                messages.warning(
                    request,
                    _(
                        "Definitionen är ändrad: indikatorn har nu version %(version)s. "
                        "Värden som redan rapporterats behåller sin version."
                    )
                    % {"version": saved.version},
                )
            messages.success(request, _("Indikatorn är sparad."))
            return redirect(_indicator_url(request, saved))
    return render(
        request,
        "goals/indicator_form.html",
        {
            "form": form,
            "targets": targets,
            "goal": goal,
            "goal_map": goal.goal_map,
            "indicator": indicator,
        },
    )


def _targets_save(request: AssociationRequest, indicator: Indicator, targets: Any) -> None:
    unit = selectors.unit_of(indicator)
    existing = {target.pk: target for target in indicator.targets.all()}
    for target_form in targets:
        data = target_form.cleaned_data
        if not data:
            continue
        old = existing.get(data.get("target_id") or 0)
        if data.get("delete"):
            if old is not None:
                services.target_delete(actor=request.user, target=old)
            continue
        value = data.get("value")
        if value is None:
            continue
        year = data.get("year")
        services.target_set(
            actor=request.user,
            indicator=indicator,
            year=year,
            op=data.get("op") or ">=",
            value=to_stored(value, unit),
        )
        if old is not None and old.year != year:
            services.target_delete(actor=request.user, target=old)


@association_view(Permission.EDIT_GOALS)
def indicator_create(request: AssociationRequest, pk: int) -> HttpResponse:
    return _indicator_form_page(request, _goal(request, pk), None)


@association_view(Permission.EDIT_GOALS)
def indicator_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    return _indicator_form_page(request, indicator.goal, indicator)


@association_view(Permission.EDIT_GOALS)
@require_POST
def indicator_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    year = indicator.goal.goal_map.year
    goal_pk = indicator.goal_id
    services.indicator_delete(actor=request.user, indicator=indicator)
    messages.success(request, _("Indikatorn är borttagen."))
    return redirect(_map_url(request, year, f"mal-{goal_pk}"))


def accepts_manual_values(indicator: Indicator) -> bool:
    """Values are entered by hand for a manual indicator, and for one whose metric
    Stegvis cannot compute yet."""
    spec = metrics.METRICS.get(indicator.metric)
    return indicator.metric == metrics.MANUAL or spec is None or not spec.measurable_now


@association_view(Permission.VIEW_GOALS)
def indicator_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    association = request.association
    year = indicator.goal.goal_map.year
    choice = selectors.period_choice(association=association, year=year, query=request.GET)
    page = selectors.indicator_page(
        indicator=indicator, period=choice.period, min_cell=selectors.min_cell_for(association)
    )
    rows = None
    if metrics.is_participant_based(indicator.metric):
        allowed = access.row_interventions(request)
        if allowed.exists():
            rows = selectors.rows_behind(
                indicator=indicator, period=choice.period, interventions=allowed
            )
            if rows is not None:
                audit_read(
                    request=request,
                    action="goals.rows_viewed",
                    obj=indicator,
                    detail={"period": choice.period.code, "rows": len(rows)},
                )
    return render(
        request,
        "goals/indicator.html",
        {
            "page": page,
            "choice": choice,
            "rows": rows,
            "can_edit": _can_edit(request),
            "accepts_manual": accepts_manual_values(indicator),
            "metric_label": selectors.metric_label(indicator.metric),
        },
    )


@association_view(Permission.VIEW_GOALS)
def indicator_export(request: AssociationRequest, pk: int, fmt: str) -> HttpResponse:
    """The indicator's values per period of its year (as on the page: suppressed, never
    the rows behind them), its trend over the years and the values entered by hand."""
    if fmt not in FORMATS:
        raise Http404
    indicator = _indicator(request, pk)
    association = request.association
    year = indicator.goal.goal_map.year
    choice = selectors.period_choice(association=association, year=year, query=request.GET)
    min_cell = selectors.min_cell_for(association)
    page = selectors.indicator_page(indicator=indicator, period=choice.period, min_cell=min_cell)
    values = Table(
        title=_("Värde per period %(year)s") % {"year": year},
        columns=[
            _("Period"),
            _("Från"),
            _("Till"),
            _("Värde"),
            _("Värde (tal)"),
            _("Målvärde"),
            _("Status"),
            _("Definitionens version"),
            _("Ursprung"),
        ],
        rows=[
            [
                each.period.label,
                each.period.start,
                each.period.end,
                each.value_text,
                each.result.value,
                each.target_text,
                str(each.status.label),
                each.definition_version,
                _("Rapporterat när perioden stängdes")
                if each.recorded
                else (
                    _("Inmatat, källa: %(source)s") % {"source": each.manual.source}
                    if each.manual
                    else _("Räknas fram nu")
                ),
            ]
            for each in page.evaluations
        ],
        notes=[
            f"{indicator.goal.perspective}: {indicator.goal.text}",
            _("Värden som vilar på färre än %(k)s deltagare visas inte.") % {"k": min_cell},
        ],
    )
    trend = Table(
        title=_("Utveckling per år"),
        columns=[_("År"), _("Värde")],
        rows=[[each_year, text] for each_year, text in page.trend],
    )
    manual = Table(
        title=_("Inmatade värden"),
        columns=[_("Från"), _("Till"), _("Värde"), _("Källa"), _("Kommentar"), _("Inmatat")],
        rows=[
            [
                value.period_start,
                value.period_end,
                text,
                value.source,
                value.comment,
                value.entered_at,
            ]
            for value, text in page.manual_values
        ],
    )
    return TableExporter(
        values, trend, manual, filename=f"indikator-{indicator.pk}-{year}"
    ).response(fmt)


@association_view(Permission.EDIT_GOALS)
def manual_value(request: AssociationRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    if not accepts_manual_values(indicator):
        raise Http404
    association = request.association
    periods = periods_for(association=association, year=indicator.goal.goal_map.year)
    unit = selectors.unit_of(indicator)
    asked = request.GET.get("period", "")
    initial: dict[str, Any] = {
        "period": asked if asked in {p.code for p in periods} else periods[-1].code
    }
    form = ManualValueForm(request.POST or None, periods=periods, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        period = data["chosen"]
        min_cell = selectors.min_cell_for(association)
        before = evaluation.indicator_evaluate(
            indicator=indicator, period=period, min_cell=min_cell
        )
        try:
            services.manual_value_set(
                actor=request.user,
                indicator=indicator,
                period_start=period.start,
                period_end=period.end,
                value=data["stored"],
                source=data["source"],
                comment=data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            after = evaluation.indicator_evaluate(
                indicator=indicator, period=period, min_cell=min_cell
            )
            messages.success(
                request,
                _("Värdet %(value)s för %(period)s är sparat. Status: %(before)s → %(after)s.")
                % {
                    "value": evaluation.format_value(after.result),
                    "period": period.label,
                    "before": before.status.label,
                    "after": after.status.label,
                },
            )
            return redirect(_indicator_url(request, indicator, f"period={period.code}"))
    return render(
        request,
        "goals/manual_value_form.html",
        {"form": form, "indicator": indicator, "unit": unit},
    )
