"""Reading a participant file into rows, without a database (spec/participant-file.md):
CSV in UTF-8 (with or without a byte-order mark), `;` or `,` separated as the header
line shows, or the first sheet of an XLSX workbook."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

XLSX = "xlsx"


class SheetError(ValueError):
    """The file cannot be read at all."""


@dataclass
class Sheet:
    # "xlsx", or the CSV delimiter (";" or ",") as the header line showed it.
    kind: str
    # (spreadsheet row number from 1, cells), in file order, empty rows included.
    rows: list[tuple[int, list[Any]]]

    @property
    def value_separators(self) -> str:
        """What separates several codes in one cell: `;` in a `,`-separated file,
        `,` in a `;`-separated one; an XLSX cell may use either."""
        if self.kind == XLSX:
            return ",;"
        return ";" if self.kind == "," else ","


def read_sheet(data: bytes, *, filename: str = "") -> Sheet:
    if not data or not data.strip():
        raise SheetError(_("Filen är tom."))
    name = filename.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise SheetError(
            _("Det gamla Excelformatet (.xls) kan inte läsas. Spara filen som .xlsx eller CSV.")
        )
    if data.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        return Sheet(XLSX, _read_xlsx(data))
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a file that is no workbook
        raise SheetError(_("Filen kunde inte läsas som en Excelfil (.xlsx).")) from error
    try:
        if not workbook.worksheets:
            raise SheetError(_("Excelfilen har inget blad."))
        sheet = workbook.worksheets[0]
        return [
            (number, list(row))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except SheetError:
        raise
    except Exception as error:
        raise SheetError(_("Filen kunde inte läsas som en Excelfil (.xlsx).")) from error
    finally:
        workbook.close()


def _read_csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Swedish Excel's plain "CSV" is Windows-1252; accept it rather than refuse.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise SheetError(_("Filen kunde inte läsas som Excel (.xlsx) eller CSV."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # A quoted cell may hold a line break: the spreadsheet's row is the record.
        rows: list[tuple[int, list[Any]]] = [
            (number, list(row)) for number, row in enumerate(reader, start=1)
        ]
    except csv.Error as error:
        raise SheetError(
            _("Filen kunde inte läsas som CSV: %(error)s") % {"error": error}
        ) from error
    return Sheet(delimiter, list(rows))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
