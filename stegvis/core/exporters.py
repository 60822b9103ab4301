"""One exporter for every table a person would take to Excel: XLSX or semicolon CSV.

Swedish Excel opens a semicolon-separated, UTF-8 file with a byte-order mark
directly, with å, ä and ö intact.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")


@dataclass
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    notes: list[str] = field(default_factory=list)


def _cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if value is None or isinstance(value, int | float | str | datetime.date):
        return value
    return str(value)


def table_to_xlsx(tables: Sequence[Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for table in tables:
        # Excel limits sheet names to 31 characters and forbids a few symbols.
        name = "".join(c for c in str(table.title) if c not in "[]:*?/\\")[:31] or "Blad"
        sheet = workbook.create_sheet(name)
        sheet.append([str(column) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        for note in table.notes:
            sheet.append([])
            sheet.append([note])
        for index, column in enumerate(table.columns, start=1):
            width = max(
                [len(str(column))]
                + [len(str(row[index - 1])) for row in table.rows if row[index - 1] is not None]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(column) for column in table.columns])
    for row in table.rows:
        writer.writerow(["" if value is None else _cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_response(table: Table, *, fmt: str, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(table_to_xlsx([table]), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(table_to_csv(table), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
