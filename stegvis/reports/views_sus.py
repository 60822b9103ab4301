"""The SUS reports (/rapporter/deltagarrapport/, /insatsrapport/, /kostnadsrapport/):
each a page with its choices (GET), charts beside their tables, a PDF and an Excel or
CSV file of the same tables — all built from one report object per request.

Everyone who may read the reports (kansli, insatsansvarig, styrelse/läsare) sees the
same suppressed figures: the insats's own staff turn suppression off on the
participant pages of their insats, never here. An insats of another förbund (or any
id that is not one of this förbund's insatser) in the query answers 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import FORMATS, Table, TableExporter
from stegvis.finance import actuals
from stegvis.participants.report import association_min_cell
from stegvis.reports.pdf import Section, render_pdf
from stegvis.reports.sus.common import (
    ChartTable,
    association_interventions,
    export_table,
    file_slug,
    hidden_note,
    interventions_in_query,
    long_table,
    this_year,
    year_range,
)
from stegvis.reports.sus.costs import CostsReport, cost_years, costs_report
from stegvis.reports.sus.forms import InterventionsForm, ParticipantsForm, PeriodForm
from stegvis.reports.sus.interventions import (
    InterventionsReport,
    interventions_report,
    variables_for,
)
from stegvis.reports.sus.participants import (
    ParticipantsReport,
    counts_first_year,
    participants_report,
    report_charts,
    report_interventions,
)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def _export(tables: list[Table], *, title: str, filename: str, fmt: str) -> HttpResponse:
    return TableExporter(*tables, filename=filename, csv=long_table(title, tables)).response(fmt)


def _common(request: AssociationRequest) -> dict[str, Any]:
    return {"query": request.GET.urlencode()}


# ---------------------------------------------------------------------------
# Deltagarrapport


def _participants(request: AssociationRequest) -> tuple[ParticipantsForm, ParticipantsReport]:
    association = request.association
    asked = interventions_in_query(request.GET, association)  # 404: another förbund's insats
    listed = report_interventions(association)
    form = ParticipantsForm(
        request.GET,
        association=association,
        years=year_range(counts_first_year(association)),
        default_year=this_year(),
        interventions=listed + [each for each in asked if each not in listed],
    )
    report = participants_report(
        association=association,
        period=form.chosen_period(),
        intervention=form.chosen_intervention(),
        min_cell=association_min_cell(association),
    )
    return form, report


def _participants_sections(charts: list[ChartTable]) -> list[Section]:
    return [Section(each.key, each.title) for each in charts]


@association_view(Permission.VIEW_REPORTS)
def participants_page(request: AssociationRequest) -> HttpResponse:
    form, report = _participants(request)
    return render(
        request,
        "reports/sus_participants.html",
        {
            **_common(request),
            "form": form,
            "report": report,
            "sections": [] if report.empty else report_charts(report),
            "min_cell": report.min_cell,
        },
    )


@association_view(Permission.VIEW_REPORTS)
def participants_pdf(request: AssociationRequest) -> HttpResponse:
    _form, report = _participants(request)
    charts = [] if report.empty else report_charts(report)
    content = render_pdf(
        "reports/pdf/sus_participants.html",
        {"report": report, "charts": charts, "min_cell": report.min_cell},
        association=request.association,
        title=_("Deltagarrapport"),
        subtitle=f"{report.scope_label} · {report.period.label}",
        sections=_participants_sections(charts),
    )
    return _pdf_response(content, _participants_filename(report))


def _participants_filename(report: ParticipantsReport) -> str:
    scope_name = report.intervention.name if report.intervention else report.association.slug
    return file_slug("deltagarrapport", report.period.code, scope_name)


@association_view(Permission.VIEW_REPORTS)
def participants_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _form, report = _participants(request)
    note = hidden_note(report.min_cell)
    return _export(
        [export_table(table, hidden_note=note) for table in report.tables],
        title=_("Deltagarrapport"),
        filename=_participants_filename(report),
        fmt=fmt,
    )


# ---------------------------------------------------------------------------
# Insatsrapport


def _interventions_years(association: Association) -> list[int]:
    with scope(association=association):
        plan_years = [year for year, _plan in actuals.plan_years(association=association)]
    first_participants = counts_first_year(association)
    first = min(
        [*plan_years, *([first_participants] if first_participants else [])] or [this_year()]
    )
    return year_range(first, max(plan_years or [this_year()]))


def _interventions(
    request: AssociationRequest, *, draw: bool = True
) -> tuple[InterventionsForm, InterventionsReport]:
    association = request.association
    interventions_in_query(request.GET, association)  # 404 for another förbund's insats
    everyone = list(association_interventions(association))
    granted = [each for each in everyone if each.is_granted] or everyone
    variables = variables_for(association)
    form = InterventionsForm(
        request.GET,
        association=association,
        years=_interventions_years(association),
        default_year=this_year(),
        interventions=everyone,
        variables=variables,
        default_interventions=granted,
    )
    report = interventions_report(
        association=association,
        period=form.chosen_period(),
        chosen=form.chosen_interventions(),
        variables=form.chosen_variables(),
        gender=form.chosen_gender(),
        min_cell=association_min_cell(association),
        earlier_years=form.chosen_earlier_years(),
        draw=draw,
    )
    return form, report


def _interventions_sections(report: InterventionsReport) -> list[Section]:
    sections = [Section("variables", _("Insatserna sida vid sida"))]
    if report.years:
        sections.append(Section("years", _("Jämförelse med tidigare år")))
        sections += [
            Section(f"years-{each.variable.key}", each.variable.label, level=2)
            for each in report.years
        ]
    return sections


def _interventions_filename(report: InterventionsReport) -> str:
    return file_slug("insatsrapport", report.period.code, report.association.slug)


@association_view(Permission.VIEW_REPORTS)
def interventions_page(request: AssociationRequest) -> HttpResponse:
    form, report = _interventions(request)
    return render(
        request,
        "reports/sus_interventions.html",
        {**_common(request), "form": form, "report": report, "min_cell": report.min_cell},
    )


@association_view(Permission.VIEW_REPORTS)
def interventions_pdf(request: AssociationRequest) -> HttpResponse:
    _form, report = _interventions(request)
    content = render_pdf(
        "reports/pdf/sus_interventions.html",
        {"report": report, "min_cell": report.min_cell},
        association=request.association,
        title=_("Insatsrapport"),
        subtitle=report.period.label,
        sections=_interventions_sections(report),
    )
    return _pdf_response(content, _interventions_filename(report))


@association_view(Permission.VIEW_REPORTS)
def interventions_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _form, report = _interventions(request, draw=False)
    note = hidden_note(report.min_cell)
    tables = [export_table(table, hidden_note=note) for table in report.tables]
    if report.empty:
        tables = [
            _empty_table(_("Insatsrapport"), _("Inga uppgifter: välj insatser och variabler."))
        ]
    else:
        tables[0].notes += report.notes
    return _export(
        tables, title=_("Insatsrapport"), filename=_interventions_filename(report), fmt=fmt
    )


def _empty_table(title: str, message: str) -> Table:
    return Table(title=title, columns=[_("Uppgift")], rows=[[message]])


# ---------------------------------------------------------------------------
# Kostnadsrapport


def _costs(request: AssociationRequest, *, draw: bool = True) -> tuple[PeriodForm, CostsReport]:
    association = request.association
    years = cost_years(association) or [this_year()]
    default = (
        this_year()
        if this_year() in years
        else max([year for year in years if year <= this_year()] or years)
    )
    form = PeriodForm(
        request.GET,
        association=association,
        years=years,
        default_year=default,
        custom_dates=False,
    )
    period = form.chosen_period()
    report = costs_report(association=association, year=period.year, period=period, charts=draw)
    return form, report


def _costs_sections(report: CostsReport) -> list[Section]:
    return [Section(each.key, each.title) for each in report.sections]


def _costs_filename(report: CostsReport) -> str:
    return file_slug("kostnadsrapport", report.period.code, report.association.slug)


@association_view(Permission.VIEW_REPORTS)
def costs_page(request: AssociationRequest) -> HttpResponse:
    form, report = _costs(request)
    return render(
        request,
        "reports/sus_costs.html",
        {**_common(request), "form": form, "report": report},
    )


@association_view(Permission.VIEW_REPORTS)
def costs_pdf(request: AssociationRequest) -> HttpResponse:
    _form, report = _costs(request)
    content = render_pdf(
        "reports/pdf/sus_costs.html",
        {"report": report},
        association=request.association,
        title=_("Kostnadsrapport"),
        subtitle=report.period.label,
        sections=_costs_sections(report),
        decided_on=report.plan.decided_on if report.plan else None,
    )
    return _pdf_response(content, _costs_filename(report))


@association_view(Permission.VIEW_REPORTS)
def costs_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _form, report = _costs(request, draw=False)
    if report.empty:
        tables = [
            _empty_table(
                _("Kostnadsrapport"),
                _("Inga uppgifter: det finns ingen budget för %(year)s.") % {"year": report.year},
            )
        ]
    else:
        tables = [export_table(table) for table in report.tables]
    return _export(tables, title=_("Kostnadsrapport"), filename=_costs_filename(report), fmt=fmt)
