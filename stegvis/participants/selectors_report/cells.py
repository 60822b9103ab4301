"""The building blocks of the report tables: a `Cell` (a figure, or None when it is not
shown, with its text in Swedish format), a `Line` of cells and a `ReportTable`, and the
formatting of counts, decimals and shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from stegvis.participants.vocabulary import GENDERS, Gender

NBSP = "\u00a0"
MINUS = "\u2212"


def format_count(value: int) -> str:
    return f"{value:,}".replace(",", NBSP)


def format_decimal(value: float, places: int = 1, *, signed: bool = False) -> str:
    quantum = Decimal(1).scaleb(-places)
    shown = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(shown)}".replace(".", ",")
    if shown < 0:
        return MINUS + text
    return ("+" + text) if signed and shown > 0 else text


def format_share(value: float) -> str:
    return format_decimal(value * 100, 1) + NBSP + "%"


@dataclass(frozen=True)
class Cell:
    """One figure of a table: `value` None when it is not shown (suppressed or, for a
    share or a mean, not computable)."""

    value: int | float | None
    kind: str = "count"  # count, share, mean, change, percent_change, blank

    @property
    def hidden(self) -> bool:
        return self.value is None and self.kind != "blank"

    @property
    def text(self) -> str:
        value = self.value
        if self.kind == "blank":
            return ""
        if value is None:
            return "–"
        if self.kind == "share":
            return format_share(float(value))
        if self.kind == "mean":
            return format_decimal(float(value), 1)
        if self.kind == "change":
            return format_decimal(float(value), 1 if isinstance(value, float) else 0, signed=True)
        if self.kind == "percent_change":
            return format_decimal(float(value) * 100, 1, signed=True) + NBSP + "%"
        return format_count(int(value))

    @property
    def export_value(self) -> int | float | None:
        return self.value


@dataclass
class Line:
    label: str
    cells: list[Cell]
    total: bool = False  # a sum row, shown in bold


@dataclass
class ReportTable:
    key: str
    title: str
    row_heading: str
    columns: list[str]
    lines: list[Line]
    note: str = ""
    column_groups: list[tuple[str, int]] = field(default_factory=list)  # (heading, span)

    @property
    def has_hidden(self) -> bool:
        return any(
            cell.hidden and cell.kind == "count" for line in self.lines for cell in line.cells
        )


def gender_headings() -> list[str]:
    return [str(Gender(code).label) for code in GENDERS] + [_("Totalt")]
