"""The two-column import sheet (budget line | amount), without a database: reading an
.xlsx or CSV file into rows and matching the rows to the plan's lines."""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from stegvis.core import uploads
from stegvis.finance.actuals.arithmetic import AmountError, parse_amount
from stegvis.finance.models import BudgetLine, Unit


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet numbers its rows, from 1
    cells: tuple[Any, ...]


class SheetError(ValueError):
    """The file cannot be read at all, or is over a limit."""


LIMIT = uploads.ACTUALS_SHEET


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(content: bytes | IO[bytes], *, filename: str = "") -> list[SheetRow]:
    """The rows of an .xlsx (first sheet) or a CSV file (; , or tab, UTF-8 or the
    Windows-1252 that Swedish Excel writes), empty rows left out. Read a row at a time
    within `uploads.ACTUALS_SHEET` (a workbook's zip directory is checked before it is
    opened), so the list is never longer than its row limit."""
    stream = uploads.seekable(io.BytesIO(content) if isinstance(content, bytes) else content, LIMIT)
    start = stream.read(4)
    stream.seek(0)
    if not start:
        raise SheetError(_("Filen är tom."))
    try:
        if start.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
            return _read_xlsx(stream)
        _delimiter, rows = uploads.csv_rows(stream, LIMIT, delimiters=";\t,")
        return _kept(rows)
    except uploads.FileRefused as error:
        raise SheetError(str(error)) from error


def _kept(rows: Iterable[tuple[int, Sequence[Any]]]) -> list[SheetRow]:
    return [
        SheetRow(number, tuple(cells))
        for number, cells in rows
        if not all(_blank(cell) for cell in cells)
    ]


def _read_xlsx(stream: IO[bytes]) -> list[SheetRow]:
    from openpyxl import load_workbook

    unreadable = _("Filen kunde inte läsas som en Excelfil (.xlsx).")
    try:
        uploads.check_workbook(stream, LIMIT)
    except uploads.FileRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise SheetError(unreadable) from error
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a file that is no workbook
        raise SheetError(unreadable) from error
    try:
        sheet = workbook.worksheets[0]
        # Its own <dimension> is not trusted (A1:XFD1048576 would pad every row); one
        # column past the limit is read, so that a value there is refused.
        sheet.reset_dimensions()
        return _kept(_limited(sheet.iter_rows(max_col=LIMIT.max_columns + 1, values_only=True)))
    except (SheetError, uploads.FileRefused):
        raise
    except Exception as error:
        raise SheetError(unreadable) from error
    finally:
        workbook.close()


def _limited(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[int, Sequence[Any]]]:
    for number, cells in enumerate(rows, start=1):
        uploads.check_rows(number, LIMIT)
        uploads.check_columns(number, cells, LIMIT)
        yield number, cells


@dataclass(frozen=True)
class LineName:
    """What the sheet's names are matched against."""

    key: int
    name: str
    side: str


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def _side_label(side: str) -> str:
    return _("intäkt") if side == BudgetLine.Side.REVENUE else _("kostnad")


def sheet_name(line: LineName, lines: Sequence[LineName]) -> str:
    """The name the template writes: the line's own, with '(intäkt)'/'(kostnad)' added
    when a revenue and a cost line share it."""
    twins = [other for other in lines if _normal(other.name) == _normal(line.name)]
    return f"{line.name} ({_side_label(line.side)})" if len(twins) > 1 else line.name


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_unit(text: str) -> str | None:
    words = set(re.findall(r"[a-zåäö]+", text.casefold()))
    if "tkr" in words:
        return Unit.TKR
    if "kr" in words or "kronor" in words:
        return Unit.KR
    return None


@dataclass
class SheetAmounts:
    amounts: dict[int, int] = field(default_factory=dict)  # line key → kronor
    rows: dict[int, int] = field(default_factory=dict)  # line key → row number
    empty: list[int] = field(default_factory=list)  # rows naming a line without an amount
    # Every "rad N, kolumn X: …": at most two a row, and the sheet has at most
    # uploads.ACTUALS_SHEET.max_rows rows, so the list stays short enough to show.
    errors: list[str] = field(default_factory=list)


def sheet_amounts(
    rows: Sequence[SheetRow], *, lines: Sequence[LineName], unit: str
) -> SheetAmounts:
    """Match a two-column sheet (budget line | amount) to the plan's lines.

    Names match case-insensitively with surrounding spaces ignored. The first row is
    a header when its name is no line and its amount no number; a header that names
    a unit (tkr, kr) must agree with the unit chosen. Every unknown name, bad amount,
    duplicate and extra column is reported as "rad N, kolumn X: …"."""
    lookup: dict[str, list[LineName]] = {}
    for line in lines:
        lookup.setdefault(_normal(line.name), []).append(line)
        lookup.setdefault(_normal(f"{line.name} ({_side_label(line.side)})"), []).append(line)
    result = SheetAmounts()
    seen: dict[int, int] = {}

    def error(row: SheetRow, column: str, message: str) -> None:
        result.errors.append(
            _("rad %(row)d, kolumn %(column)s: %(message)s")
            % {"row": row.number, "column": column, "message": message}
        )

    for index, row in enumerate(rows):
        name_cell = row.cells[0] if row.cells else None
        amount_cell = row.cells[1] if len(row.cells) > 1 else None
        name = "" if _blank(name_cell) else _cell_text(name_cell)
        candidates = lookup.get(_normal(name), []) if name else []
        if index == 0 and not candidates:
            try:
                looks_like_header = parse_amount(amount_cell, unit=unit) is None
            except AmountError:
                looks_like_header = True
            if looks_like_header:
                stated = _header_unit(_cell_text(amount_cell)) if not _blank(amount_cell) else None
                if stated and stated != unit:
                    error(
                        row,
                        "B",
                        _("rubriken ”%(header)s” anger %(stated)s men beloppen läses som %(unit)s")
                        % {"header": _cell_text(amount_cell), "stated": stated, "unit": unit},
                    )
                continue
        for offset, extra in enumerate(row.cells[2:]):
            if not _blank(extra):
                column = chr(ord("C") + offset) if offset < 24 else "…"
                error(
                    row,
                    column,
                    _(
                        "filen ska ha två kolumner (budgetrad och belopp), här finns ”%(value)s”. "
                        "Står ett belopp med decimalkomma i en kommaseparerad fil: sätt det inom "
                        "citattecken eller använd semikolon."
                    )
                    % {"value": _cell_text(extra)},
                )
                break
        if not name:
            error(row, "A", _("budgetradens namn saknas"))
            continue
        if not candidates:
            close = difflib.get_close_matches(
                _normal(name), [_normal(line.name) for line in lines], n=1
            )
            hint = ""
            if close:
                match = next(line.name for line in lines if _normal(line.name) == close[0])
                hint = " " + _("Menar du ”%(name)s”?") % {"name": match}
            error(
                row, "A", _("”%(name)s” finns inte bland budgetens rader.") % {"name": name} + hint
            )
            continue
        if len(candidates) > 1:
            error(
                row,
                "A",
                _(
                    "”%(name)s” finns både som intäkt och kostnad; skriv ”%(name)s (intäkt)” "
                    "eller ”%(name)s (kostnad)”."
                )
                % {"name": name},
            )
            continue
        line = candidates[0]
        if line.key in seen:
            error(
                row,
                "A",
                _("”%(name)s” finns redan på rad %(row)d") % {"name": name, "row": seen[line.key]},
            )
            continue
        seen[line.key] = row.number
        try:
            amount = parse_amount(amount_cell, unit=unit)
        except AmountError as problem:
            error(row, "B", f"”{_cell_text(amount_cell)}” {problem}")
            continue
        if amount is None:
            result.empty.append(row.number)
            continue
        result.amounts[line.key] = amount
        result.rows[line.key] = row.number
    return result
