"""The delårsrapport (/rapporter/delarsrapport/<år>/<tertial>/) and the
verksamhetsberättelse (/rapporter/verksamhetsberattelse/<år>/): each as a page, a PDF
and an Excel file of its tables, built from one `PeriodicReport`.

Everything here is aggregated and suppressed below the förbund's minimum cell size,
so everyone who may read the reports (kansli, insatsansvarig, styrelse/läsare) sees
the same document."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import XLSX_TYPE, table_to_xlsx
from stegvis.reports.periodic import (
    TERTIALS,
    PeriodicReport,
    periodic_pdf,
    periodic_report,
    report_years,
)

FIRST_YEAR = 1990
LAST_YEAR = 2100


def _report(
    request: AssociationRequest, year: int, tertial: int | None, *, charts: bool = True
) -> PeriodicReport:
    if tertial is not None and tertial not in TERTIALS:
        raise Http404
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    # Reads only: the goal attainment shows recorded values where `stegvis nightly`
    # has stored them for closed periods, else values computed now.
    return periodic_report(
        association=request.association, year=year, tertial=tertial, charts=charts
    )


def _filename(report: PeriodicReport) -> str:
    slug = slugify(report.association.slug) or "forbund"
    if report.tertial is None:
        return f"verksamhetsberattelse-{slug}-{report.year}"
    return f"delarsrapport-{slug}-{report.year}-t{report.tertial}"


def _page(request: AssociationRequest, year: int, tertial: int | None) -> HttpResponse:
    report = _report(request, year, tertial)
    return render(
        request,
        "reports/periodic.html",
        {
            "report": report,
            "years": report_years(association=request.association),
            "tertials": list(TERTIALS),
        },
    )


def _pdf(request: AssociationRequest, year: int, tertial: int | None) -> HttpResponse:
    report = _report(request, year, tertial)
    response = HttpResponse(periodic_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(report)}.pdf"'
    return response


def _xlsx(request: AssociationRequest, year: int, tertial: int | None) -> HttpResponse:
    report = _report(request, year, tertial, charts=False)
    response = HttpResponse(table_to_xlsx(report.tables()), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report)}.xlsx"'
    return response


@association_view(Permission.VIEW_REPORTS)
def interim(request: AssociationRequest, year: int, tertial: int) -> HttpResponse:
    return _page(request, year, tertial)


@association_view(Permission.VIEW_REPORTS)
def interim_pdf(request: AssociationRequest, year: int, tertial: int) -> HttpResponse:
    return _pdf(request, year, tertial)


@association_view(Permission.VIEW_REPORTS)
def interim_xlsx(request: AssociationRequest, year: int, tertial: int) -> HttpResponse:
    return _xlsx(request, year, tertial)


@association_view(Permission.VIEW_REPORTS)
def annual(request: AssociationRequest, year: int) -> HttpResponse:
    return _page(request, year, None)


@association_view(Permission.VIEW_REPORTS)
def annual_pdf(request: AssociationRequest, year: int) -> HttpResponse:
    return _pdf(request, year, None)


@association_view(Permission.VIEW_REPORTS)
def annual_xlsx(request: AssociationRequest, year: int) -> HttpResponse:
    return _xlsx(request, year, None)
