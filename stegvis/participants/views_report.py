"""The participant report pages: per förbund or per insats and year, the figures by kön
with charts and tables, suppressed below the förbund's minimum cell size (DOMAIN.md §4,
spec/participant-file.md "The report"), and the same as Excel or CSV.

Everyone who may see aggregates sees suppressed figures. Only the insats's own staff
(`access.is_own_staff`), looking at their own insats, may turn suppression off; that
view is written to the audit log as a read, since small figures can point at people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.audit.services import audit_read
from stegvis.core.exporters import FORMATS, Table, TableExporter
from stegvis.interventions.models import Intervention, Kind
from stegvis.participants import access
from stegvis.participants.charts import bar_chart_svg
from stegvis.participants.report import COLUMNS, association_min_cell
from stegvis.participants.selectors_report import (
    ReportPage,
    ReportTable,
    gender_headings,
    report_page,
    report_years,
)

UNSUPPRESSED = "utan-maskning"


@dataclass
class Choice:
    intervention: Intervention | None
    year: int
    unsuppressed: bool
    may_unsuppress: bool
    min_cell: int


def _choices(request: AssociationRequest) -> Choice:
    association = request.association
    intervention = None
    insats = request.GET.get("insats", "")
    if insats:
        if not insats.isdigit():
            raise Http404
        # Another förbund's insats is not found (404), not refused.
        intervention = Intervention.objects.filter(association=association, pk=int(insats)).first()
        if intervention is None:
            raise Http404
    this_year = datetime.date.today().year
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1990 <= int(year_text) <= 2100 else this_year
    may_unsuppress = intervention is not None and access.is_own_staff(request, intervention)
    unsuppressed = may_unsuppress and request.GET.get(UNSUPPRESSED) == "1"
    min_cell = 1 if unsuppressed else association_min_cell(association)
    return Choice(intervention, year, unsuppressed, may_unsuppress, min_cell)


def _page(request: AssociationRequest, choice: Choice) -> ReportPage:
    page = report_page(
        association=request.association,
        year=choice.year,
        intervention=choice.intervention,
        min_cell=choice.min_cell,
    )
    if choice.unsuppressed:
        audit_read(
            request=request,
            action="participants.report_unsuppressed",
            obj=choice.intervention,
            detail={"year": choice.year, "min_cell": 1},
        )
    return page


def _charts(page: ReportPage) -> dict[str, str]:
    genders = gender_headings()
    report = page.report
    labels = [line.label for line in page.counts.lines[:4]]
    charts = {
        "counts": bar_chart_svg(
            title=page.counts.title,
            categories=labels,
            series=[
                (genders[i], [line.cells[i].value for line in page.counts.lines[:4]])
                for i in range(len(COLUMNS))
            ],
        ),
        "outcomes": bar_chart_svg(
            title=page.outcomes.title,
            categories=[line.label for line in page.outcomes.lines[:-1]],
            series=[
                (genders[i], [report.outcomes[code][column] for code in report.outcomes])
                for i, column in enumerate(COLUMNS)
            ],
            horizontal=True,
        ),
    }
    for key, transition in (("support", page.support), ("employment", page.employment)):
        table = transition.before_after
        lines = [line for line in table.lines if not line.total]
        total_index = len(COLUMNS) - 1
        charts[key] = bar_chart_svg(
            title=table.title,
            categories=[line.label for line in lines],
            series=[
                (_("Vid start"), [line.cells[total_index].value for line in lines]),
                (_("Vid avslut"), [line.cells[2 * len(COLUMNS) - 1].value for line in lines]),
            ],
            horizontal=True,
        )
    for table in page.surveys:
        charts[table.key] = bar_chart_svg(
            title=_("%(survey)s: andel som instämmer") % {"survey": table.title},
            categories=[line.label for line in table.lines],
            series=[
                (genders[i], [line.cells[i].value for line in table.lines])
                for i in range(len(COLUMNS))
            ],
            percent=True,
            horizontal=True,
        )
    for table in page.assessments:
        charts[table.key] = bar_chart_svg(
            title=_("%(assessment)s: medelvärde första och senaste bedömningen")
            % {"assessment": table.title},
            categories=[line.label for line in table.lines],
            series=[
                (_("Första"), [line.cells[0].value for line in table.lines]),
                (_("Senaste"), [line.cells[1].value for line in table.lines]),
            ],
            horizontal=True,
        )
    return charts


def report_interventions(request: AssociationRequest) -> Any:
    return (
        Intervention.objects.filter(
            Q(kind=Kind.INDIVIDUAL) | Q(participants__isnull=False), association=request.association
        )
        .distinct()
        .order_by("name")
    )


@association_view(Permission.VIEW_AGGREGATES)
def report(request: AssociationRequest) -> HttpResponse:
    choice = _choices(request)
    page = _page(request, choice)
    return render(
        request,
        "participants/report.html",
        {
            "page": page,
            "choice": choice,
            "charts": _charts(page),
            "interventions": report_interventions(request),
            "years": report_years(association=request.association, intervention=None),
            "unsuppressed_param": UNSUPPRESSED,
            "query": request.GET.urlencode(),
        },
    )


def export_tables(page: ReportPage) -> list[Table]:
    return [_export_table(table) for table in page.tables]


def _export_table(table: ReportTable) -> Table:
    columns = []
    if table.column_groups:
        headings = iter(table.columns)
        for group, span in table.column_groups:
            for _index in range(span):
                heading = next(headings)
                columns.append(f"{group}: {heading}" if group else heading)
    else:
        columns = list(table.columns)
    rows = [[line.label, *(cell.export_value for cell in line.cells)] for line in table.lines]
    notes = [table.note] if table.note else []
    return Table(title=table.title, columns=[table.row_heading, *columns], rows=rows, notes=notes)


def _long_table(page: ReportPage, tables: list[Table]) -> Table:
    """All tables in one sheet for CSV: one line per figure."""
    rows: list[list[Any]] = []
    for table in tables:
        for row in table.rows:
            for heading, value in zip(table.columns[1:], row[1:], strict=True):
                rows.append([table.title, row[0], heading, value])
    return Table(
        title=_("Deltagarrapport"),
        columns=[_("Tabell"), _("Rad"), _("Kolumn"), _("Värde")],
        rows=rows,
    )


@association_view(Permission.VIEW_AGGREGATES)
def report_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    choice = _choices(request)
    page = _page(request, choice)
    tables = export_tables(page)
    note = (
        _("Utan maskning – bara för insatsens egen personal.")
        if choice.unsuppressed
        else _(
            "Tomma celler: färre än %(k)s – visas inte, eller dolda så att inget dolt antal kan räknas fram."
        )
        % {"k": choice.min_cell}
    )
    for table in tables:
        table.notes.append(note)
    scope_name = choice.intervention.name if choice.intervention else request.association.slug
    # Excel gets a sheet per table; CSV all of them as one long table.
    return TableExporter(
        *tables,
        filename=f"deltagarrapport-{choice.year}-{_slug(scope_name)}",
        csv=_long_table(page, tables),
    ).response(fmt)


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text) or "rapport"
