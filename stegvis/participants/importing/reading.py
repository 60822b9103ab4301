"""Reading a participant file into rows, without a database (spec/participant-file.md):
CSV in UTF-8 (with or without a byte-order mark), `;` or `,` separated as the header
line shows, or the first sheet of an XLSX workbook.

The rows are read one at a time, never the whole file at once, and within the limits
of `stegvis.core.uploads.PARTICIPANT_FILE`: a workbook's zip directory is checked
before openpyxl opens it, the rows and columns as they are read."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from stegvis.core import uploads

XLSX = "xlsx"
LIMIT = uploads.PARTICIPANT_FILE


class SheetError(ValueError):
    """The file cannot be read at all, or is over a limit."""


@dataclass
class Sheet:
    # "xlsx", or the CSV delimiter (";" or ",") as the header line showed it.
    kind: str
    # (spreadsheet row number from 1, cells), in file order, empty rows included; read
    # as they are iterated (once), raising SheetError when the file turns out unreadable.
    rows: Iterator[tuple[int, list[Any]]]

    @property
    def value_separators(self) -> str:
        """What separates several codes in one cell: `;` in a `,`-separated file,
        `,` in a `;`-separated one; an XLSX cell may use either."""
        if self.kind == XLSX:
            return ",;"
        return ";" if self.kind == "," else ","


@contextlib.contextmanager
def read_sheet(data: bytes | IO[bytes], *, filename: str = "") -> Iterator[Sheet]:
    """The file's rows, for use in a `with` block (a workbook stays open while its rows
    are read). `data` is the file's content or a binary stream positioned at its start."""
    stream = uploads.seekable(io.BytesIO(data) if isinstance(data, bytes) else data, LIMIT)
    start = stream.read(8)
    stream.seek(0)
    name = filename.lower()
    if not start:
        raise SheetError(_("Filen är tom."))
    if start.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise SheetError(
            _("Det gamla Excelformatet (.xls) kan inte läsas. Spara filen som .xlsx eller CSV.")
        )
    if start.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        with _xlsx_rows(stream) as rows:
            yield Sheet(XLSX, rows)
        return
    try:
        delimiter, csv_rows = uploads.csv_rows(stream, LIMIT, delimiters=";,")
    except uploads.FileRefused as error:
        raise SheetError(str(error)) from error
    yield Sheet(delimiter, _refusals_as_sheet_errors(csv_rows))


def _refusals_as_sheet_errors(
    rows: Iterator[tuple[int, list[Any]]],
) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from rows
    except uploads.FileRefused as error:
        raise SheetError(str(error)) from error


def _unreadable_xlsx() -> SheetError:
    return SheetError(_("Filen kunde inte läsas som en Excelfil (.xlsx)."))


@contextlib.contextmanager
def _xlsx_rows(stream: IO[bytes]) -> Iterator[Iterator[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    try:
        uploads.check_workbook(stream, LIMIT)
    except uploads.FileRefused as error:
        raise SheetError(str(error)) from error
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable_xlsx() from error
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a file that is no workbook
        raise _unreadable_xlsx() from error
    try:
        if not workbook.worksheets:
            raise SheetError(_("Excelfilen har inget blad."))
        yield _worksheet_rows(workbook.worksheets[0])
    finally:
        workbook.close()


def _worksheet_rows(worksheet: Any) -> Iterator[tuple[int, list[Any]]]:
    # The sheet's own <dimension> is not trusted: one that claims A1:XFD1048576 would
    # pad every row to 16 384 cells. One column past the limit is read, so that a value
    # there is refused rather than dropped.
    worksheet.reset_dimensions()
    try:
        for number, row in enumerate(
            worksheet.iter_rows(max_col=LIMIT.max_columns + 1, values_only=True), start=1
        ):
            uploads.check_rows(number, LIMIT)
            cells = list(row)
            uploads.check_columns(number, cells, LIMIT)
            yield number, cells
    except uploads.FileRefused as error:
        raise SheetError(str(error)) from error
    except Exception as error:
        raise _unreadable_xlsx() from error


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
