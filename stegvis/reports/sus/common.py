"""What the three SUS reports share: cells and tables (the participant report's, with
amounts added), the period a report covers, the insatser a query names, and the tables
as they leave Stegvis (Excel sheets, one long CSV)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.core import exporters
from stegvis.core.exporters import Table
from stegvis.finance.charts import tkr as whole_tkr
from stegvis.goals.periods import Period, range_period, year_period
from stegvis.interventions.models import Intervention
from stegvis.participants.selectors_report import (
    MINUS,
    NBSP,
    Cell,
    ReportTable,
    format_count,
    format_decimal,
)

# Kinds of a cell about participants (None: suppressed or not computable) and of an
# amount (None: nothing recorded).
PARTICIPANT_KINDS = frozenset({"count", "share", "change", "percent_change", "points", "mean"})
MONEY_KINDS = frozenset({"tkr", "kr"})
CUSTOM = "egna"
FULL_YEAR = "helar"
MAX_COMPARED_YEARS = 4  # five bars a group at most: the charts have five colours


# ---------------------------------------------------------------------------
# Cells and tables


@dataclass(frozen=True)
class Figure(Cell):
    """A cell of the participant report's kinds, or an amount: `tkr` (value in kronor,
    shown in thousands), `kr` (whole kronor), `points` (a change between two shares,
    in percentage points)."""

    @property
    def missing(self) -> bool:
        """An amount that is not recorded (not a hidden figure)."""
        return self.value is None and self.kind in MONEY_KINDS

    @property
    def hidden(self) -> bool:
        return self.value is None and self.kind in PARTICIPANT_KINDS

    @property
    def text(self) -> str:
        value = self.value
        if value is None and self.kind != "blank":
            return "–"
        if self.kind == "tkr":
            return signed_number(whole_tkr(int(value or 0)))
        if self.kind == "kr":
            return signed_number(int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP)))
        if self.kind == "points":
            return format_decimal(float(value or 0) * 100, 1, signed=True) + NBSP + "p.e."
        return super().text


def signed_number(number: int) -> str:
    return (MINUS if number < 0 else "") + format_count(abs(number))


@dataclass
class SusTable(ReportTable):
    """A report table; `export_title` names its sheet when it differs (amounts leave
    Stegvis in kronor, not tkr)."""

    export_title: str = ""
    highlight: str = ""  # the label of a line to mark (the chosen insats)


# ---------------------------------------------------------------------------
# Periods


def shift_period(period: Period, years: int) -> Period:
    """The same period `years` earlier (negative) or later: helår and the förbund's
    periods keep their names; a date range moves by whole years (29 February → 28)."""
    if period.is_full_year:
        return year_period(period.year + years)
    end_month = period.end_month
    if end_month is not None and "_" not in period.code:  # one of the förbund's periods
        year = period.year + years
        last_day = calendar.monthrange(year, end_month)[1]
        label = period.label.replace(str(period.year), str(year))
        code = period.code.replace(str(period.year), str(year), 1)
        return Period(
            datetime.date(year, 1, 1), datetime.date(year, end_month, last_day), code, label
        )

    def move(day: datetime.date) -> datetime.date:
        year = day.year + years
        return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))

    return range_period(move(period.start), move(period.end))


def compared_periods(period: Period, earlier: int) -> list[Period]:
    """The period and the same period in up to `earlier` earlier years, oldest first."""
    return [shift_period(period, -back) for back in range(earlier, 0, -1)] + [period]


def budget_fraction(period: Period, year: int) -> Fraction:
    """The part of the year's budget that falls in the period: whole months count as
    twelfths (tertial 1 = 4/12, as the goal map's budget adherence counts), other
    days as days of the year."""
    first = max(period.start, datetime.date(year, 1, 1))
    last = min(period.end, datetime.date(year, 12, 31))
    if first > last:
        return Fraction(0)
    month_start = first.day == 1
    month_end = last.day == calendar.monthrange(last.year, last.month)[1]
    if month_start and month_end:
        return Fraction(last.month - first.month + 1, 12)
    days_in_year = 366 if calendar.isleap(year) else 365
    return Fraction((last - first).days + 1, days_in_year)


def period_years(period: Period) -> list[int]:
    return list(range(period.start.year, period.end.year + 1))


def round_kronor(value: Fraction) -> int:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def this_year() -> int:
    return timezone.localdate().year


def year_range(first: int | None, last: int | None = None) -> list[int]:
    """The years a report can be asked for, newest first: from the first year with
    data (or this year) to `last` (default this year)."""
    last = max(last or this_year(), this_year())
    first = min(first or this_year(), last)
    return list(range(last, first - 1, -1))


# ---------------------------------------------------------------------------
# The insatser a query names


def interventions_in_query(
    query: QueryDict, association: Association, name: str = "insats"
) -> list[Intervention]:
    """The insatser named by id in the query, in the förbund's order. An id that is not
    one of this förbund's insatser is not found: 404, as any other förbund's object."""
    wanted: set[int] = set()
    for value in query.getlist(name):
        if not value:
            continue
        if not value.isdigit():
            raise Http404
        wanted.add(int(value))
    if not wanted:
        return []
    found = list(Intervention.objects.filter(association=association, pk__in=wanted))
    if len(found) != len(wanted):
        raise Http404
    return sorted(found, key=lambda each: each.name.casefold())


def association_interventions(association: Association) -> QuerySet[Intervention]:
    return Intervention.objects.filter(association=association).order_by("name")


# ---------------------------------------------------------------------------
# Export


EXPORT_FORMATS = {
    "count": exporters.AMOUNT,
    "change": exporters.AMOUNT,
    "tkr": exporters.AMOUNT,
    "kr": exporters.AMOUNT,
    "share": exporters.PERCENT,
    "percent_change": exporters.PERCENT,
    "points": exporters.PERCENT,
    "mean": exporters.DECIMAL,
}


def export_table(table: ReportTable, *, hidden_note: str = "") -> Table:
    """A report table as an Excel sheet: the figures as numbers (shares as shares with
    a percent format, amounts in whole kronor), a hidden figure as an empty cell."""
    columns: list[str] = []
    if table.column_groups:
        headings = iter(table.columns)
        for group, span in table.column_groups:
            for _index in range(span):
                heading = next(headings)
                columns.append(f"{group}: {heading}" if group else heading)
    else:
        columns = list(table.columns)
    formats: dict[int, str] = {}
    for line in table.lines:
        for index, cell in enumerate(line.cells, start=1):
            if cell.kind in EXPORT_FORMATS and index not in formats:
                formats[index] = EXPORT_FORMATS[cell.kind]
    rows = [[line.label, *(cell.export_value for cell in line.cells)] for line in table.lines]
    notes = [table.note] if table.note else []
    if hidden_note and table.has_hidden:
        notes.append(hidden_note)
    title = getattr(table, "export_title", "") or table.title
    return Table(
        title=title, columns=[table.row_heading, *columns], rows=rows, notes=notes, formats=formats
    )


def long_table(title: str, tables: Sequence[Table]) -> Table:
    """Every table in one sheet, one line per figure: what a CSV can hold."""
    rows: list[list[Any]] = []
    for table in tables:
        for row in table.rows:
            if len(row) == 1:  # a message, no figures
                rows.append([table.title, row[0], "", None])
            for heading, value in zip(table.columns[1:], row[1:], strict=False):
                rows.append([table.title, row[0], heading, value])
    return Table(title=title, columns=[_("Tabell"), _("Rad"), _("Kolumn"), _("Värde")], rows=rows)


def hidden_note(min_cell: int) -> str:
    return _(
        "Tomma celler om deltagare: färre än %(k)s – visas inte, eller dolda så att inget "
        "dolt antal kan räknas fram."
    ) % {"k": min_cell}


def file_slug(*parts: str) -> str:
    return "-".join(slugify(part) for part in parts if slugify(part)) or "rapport"


@dataclass
class ChartTable:
    """A chart (inline SVG) and the table with its numbers."""

    key: str
    svg: str
    table: ReportTable
    caption: str = ""
    extra: list[ReportTable] = field(default_factory=list)
    title: str = ""  # the section's heading
