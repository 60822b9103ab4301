"""One exporter for every table a person would take to Excel: XLSX or semicolon CSV.

An `Exporter` names its file and gives its tables (`Table`: a title, the column
headings, the rows and notes under them). It renders them as an Excel workbook, a sheet
per table, or as a CSV file of one table, and answers a download with either. Pages
that show one table use `TableExporter`; a report with several sheets subclasses
`Exporter` or passes all its tables to `TableExporter`.

What every file gets, whoever exports it:

* XLSX: numbers stay numbers and dates stay dates (so Excel can sum and sort them),
  headings in bold with the first row frozen and a filter on it, columns wide enough
  for their contents, notes under the table. Text that Excel would take for a formula
  stays text.
* CSV: what Swedish Excel opens directly — UTF-8 with a byte-order mark (å, ä and ö
  intact), `;` between fields, decimal comma, dates as 2024-11-29. Only the header
  and the rows (the file is for machines too; notes are in the workbook). Text that
  would start a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": CSV_TYPE}
FORMATS = ("xlsx", "csv")

# Excel number formats for `Table.formats` (Excel shows them in the reader's locale:
# "1 234 567", "41,4 %").
AMOUNT = "#,##0"  # whole kronor or counts
DECIMAL = "#,##0.0"
PERCENT = "0.0%"  # a share stored as 0.414
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm:ss"

# Text starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60  # characters; longer text wraps in its cell
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class Table:
    """A table as it leaves Stegvis. `formats` gives a column (by index) an Excel
    number format, e.g. {2: AMOUNT, 3: PERCENT}."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    notes: list[str] = field(default_factory=list)
    formats: Mapping[int, str] = field(default_factory=dict)


def cell_value(value: Any) -> Any:
    """A value as a spreadsheet keeps it: numbers, dates and text; yes/no in words;
    a time in Stegvis's time zone (Excel has none)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, Promise):
        return str(value)
    return str(value)


def csv_text(value: Any) -> str:
    """A value as a Swedish CSV field: decimal comma, ISO dates, nothing for None."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        exact = value if isinstance(value, Decimal) else Decimal(repr(value))
        return format(exact, "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        Decimal(text.replace(",", ".").replace("\u2212", "-"))
    except ArithmeticError:
        return False
    return True


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = "".join(c for c in str(title) if c not in "[]:*?/\\").strip()[:31] or _("Blad")
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,}") if isinstance(value, int) else len(str(value)) + 2
    return max((len(line) for line in str(value).splitlines()), default=0)


def _xlsx_value(value: Any) -> Any:
    """A cell value openpyxl accepts: control characters (which a workbook cannot hold)
    are dropped from text."""
    value = cell_value(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def tables_to_xlsx(tables: Sequence[Table]) -> bytes:
    """A workbook with a sheet per table."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(sheet_name(table.title, taken))
        sheet.append([_xlsx_value(str(column)) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = WRAP
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
            for cell in sheet[sheet.max_row]:
                value = cell.value
                if isinstance(value, str):
                    if value.startswith("="):
                        cell.data_type = "s"  # text, never a formula
                    if len(value) > MAX_WIDTH or "\n" in value:
                        cell.alignment = WRAP
                elif isinstance(value, datetime.datetime):
                    cell.number_format = DATETIME
                elif isinstance(value, datetime.date):
                    cell.number_format = DATE
                elif isinstance(value, int | float | Decimal) and cell.column - 1 in table.formats:
                    cell.number_format = table.formats[cell.column - 1]
        if table.rows and table.columns:
            sheet.auto_filter.ref = (
                f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
            )
        if table.notes:
            sheet.append([])
        for note in table.notes:
            sheet.append([_xlsx_value(str(note))])
            note_cell = sheet.cell(row=sheet.max_row, column=1)
            note_cell.font = Font(italic=True)
            if note_cell.value and str(note_cell.value).startswith("="):
                note_cell.data_type = "s"
        for index, column in enumerate(table.columns, start=1):
            widest = max(
                [min(len(str(column)), 30)]
                + [_width(cell_value(row[index - 1])) for row in table.rows if len(row) >= index]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(widest + 2, 8), MAX_WIDTH
            )
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_to_csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_text(str(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow([csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file to save (a workbook, a template, a PDF to keep)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class Exporter:
    """One download of one or more tables. Subclasses set `filename` (without the
    extension) and give `tables()`; CSV holds one table, `csv_table()` (the first
    unless a subclass chooses, e.g. all tables as one long table)."""

    filename: str = "stegvis"
    _cached_tables: Sequence[Table] | None = None

    def tables(self) -> Sequence[Table]:
        raise NotImplementedError

    def csv_table(self) -> Table:
        return self._tables()[0]

    def _tables(self) -> Sequence[Table]:
        cached = self._cached_tables
        if cached is None:
            cached = list(self.tables())
            if not cached:
                raise ValueError("an exporter needs at least one table")
            self._cached_tables = cached
        return cached

    def xlsx(self) -> bytes:
        return tables_to_xlsx(self._tables())

    def csv(self) -> bytes:
        return table_to_csv_bytes(self.csv_table())

    def render(self, fmt: str) -> bytes:
        if fmt == "xlsx":
            return self.xlsx()
        if fmt == "csv":
            return self.csv()
        raise ValueError(f"unknown export format {fmt!r}")

    def response(self, fmt: str) -> HttpResponse:
        """The file as a download; an unknown format answers 404 (the URL names it)."""
        if fmt not in FORMATS:
            raise Http404
        return download(
            self.render(fmt), filename=f"{self.filename}.{fmt}", content_type=CONTENT_TYPES[fmt]
        )

    def write(self, path: Path | str) -> Path:
        """Save to a file whose name ends in .xlsx or .csv (the command line)."""
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        path.write_bytes(self.render(fmt))
        return path


class TableExporter(Exporter):
    """The tables of a page as they are: `TableExporter(table, filename=…)`, or
    several tables (a sheet each) with the one CSV gets as `csv=`."""

    def __init__(self, *tables: Table, filename: str, csv: Table | None = None) -> None:
        if not tables:
            raise ValueError("TableExporter needs at least one table")
        self.given = list(tables)
        self.filename = filename
        self.csv_choice = csv

    def tables(self) -> Sequence[Table]:
        return self.given

    def csv_table(self) -> Table:
        return self.csv_choice or self.given[0]


# The functions the apps called before the base class: thin wrappers over it.


def table_response(table: Table, *, fmt: str, filename: str) -> HttpResponse:
    return TableExporter(table, filename=filename).response(fmt)


def table_to_xlsx(tables: Sequence[Table]) -> bytes:
    return tables_to_xlsx(tables)


def table_to_csv(table: Table) -> bytes:
    return table_to_csv_bytes(table)
