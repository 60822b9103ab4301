"""Uppföljning Finsam: the year's figures for the national register as a page, and
the same tables as an Excel file to copy from (`reports.finsam`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import DATE, Table
from stegvis.core.templatetags.stegvis import number
from stegvis.reports.finsam import FinsamExport, FinsamExporter, finsam_export, finsam_tables

# The years a förbund can have figures for; others answer 404.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _export(request: AssociationRequest, year: int) -> FinsamExport:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return finsam_export(association=request.association, year=year)


LONG_TEXT = 40  # a text column with longer values gets room on the page


def _text(value: Any) -> str:
    """A cell as the page shows it: Swedish numbers, ISO dates, yes/no in words."""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, int | Decimal):
        return number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _display(table: Table, *, sum_row: bool = False) -> dict[str, Any]:
    """The table of the Excel sheet for the template: numeric columns (those with a
    number format) right-aligned, an empty figure as "–", an empty text as nothing."""
    numeric = {index for index, fmt in table.formats.items() if fmt != DATE}
    dates = {index for index, fmt in table.formats.items() if fmt == DATE}
    long = {
        index
        for index in range(len(table.columns))
        if any(len(str(row[index] or "")) > LONG_TEXT for row in table.rows)
    }

    def cells(row: Any) -> list[dict[str, Any]]:
        return [
            {
                "text": ("–" if index in numeric else "") if value is None else _text(value),
                "class": "num"
                if index in numeric
                else ("date" if index in dates else ("long" if index in long else "")),
            }
            for index, value in enumerate(row)
        ]

    rows = [cells(row) for row in table.rows]
    return {
        "title": table.title,
        "columns": [
            {"text": str(column), "class": "num" if index in numeric else ""}
            for index, column in enumerate(table.columns)
        ],
        "rows": rows[:-1] if sum_row and rows else rows,
        "sum": rows[-1] if sum_row and rows else None,
        "notes": table.notes,
    }


@association_view(Permission.VIEW_REPORTS)
def finsam(request: AssociationRequest, year: int) -> HttpResponse:
    export = _export(request, year)
    association_sheet, interventions_sheet, _readme = finsam_tables(export)
    return render(
        request,
        "reports/finsam.html",
        {
            "export": export,
            "year": year,
            "tables": [
                _display(association_sheet),
                _display(interventions_sheet, sum_row=True),
            ],
        },
    )


@association_view(Permission.VIEW_REPORTS)
def finsam_xlsx(request: AssociationRequest, year: int) -> HttpResponse:
    return FinsamExporter(_export(request, year)).response("xlsx")
