"""The periods an indicator is measured over (issue 6: "tertial 1, tertial 2 and full
year (as configured in finance), and any date range").

A förbund's follow-up periods (`finance.ReportingPeriod`) run from 1 January to the
end of their month: tertial 1 is jan–apr, tertial 2 jan–aug, helår the whole year.
A `Period` is such a period in one year, or any date range. Its `code` names it in
URLs and on the command line:

* "2025": helår 2025,
* "2025-t1", "2025-t2": the förbund's period with that code in 2025,
* "2025-01-10_2025-03-31": any date range.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.finance.models import DEFAULT_PERIODS, ReportingPeriod

FULL_YEAR_MONTH = 12
_YEAR = re.compile(r"^(\d{4})$")
_NAMED = re.compile(r"^(\d{4})-([a-z0-9_-]+)$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    code: str
    label: str

    @property
    def year(self) -> int:
        """The year the period belongs to (its end's): targets and budgets are per year."""
        return self.end.year

    @property
    def is_full_year(self) -> bool:
        return self.start == datetime.date(self.end.year, 1, 1) and self.end == datetime.date(
            self.end.year, 12, 31
        )

    @property
    def end_month(self) -> int | None:
        """The month a year-to-date period runs to (4 for tertial 1), else None."""
        last_day = calendar.monthrange(self.end.year, self.end.month)[1]
        if self.start == datetime.date(self.end.year, 1, 1) and self.end.day == last_day:
            return self.end.month
        return None

    def closed(self, today: datetime.date) -> bool:
        return self.end < today


def _base_name(name: str) -> str:
    # "Tertial 1 (jan–apr)" → "Tertial 1"
    return name.split(" (")[0].strip() or name


def year_period(year: int) -> Period:
    return Period(
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        code=str(year),
        label=_("Helår %(year)s") % {"year": year},
    )


def _to_date_period(year: int, code: str, name: str, end_month: int) -> Period:
    if end_month == FULL_YEAR_MONTH:
        return year_period(year)
    last_day = calendar.monthrange(year, end_month)[1]
    return Period(
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, end_month, last_day),
        code=f"{year}-{code}",
        label=f"{_base_name(name)} {year}",
    )


def range_period(start: datetime.date, end: datetime.date) -> Period:
    if start > end:
        raise ValueError(f"period start {start} is after its end {end}")
    return Period(
        start=start,
        end=end,
        code=f"{start.isoformat()}_{end.isoformat()}",
        label=f"{start.isoformat()} – {end.isoformat()}",
    )


def _reporting_periods(association: Association) -> list[tuple[str, str, int]]:
    with scope(association=association):
        rows = list(
            ReportingPeriod.objects.filter(association=association)
            .order_by("end_month")
            .values_list("code", "name", "end_month")
        )
    return rows or [(code, name, month) for code, name, month in DEFAULT_PERIODS]


def periods_for(*, association: Association, year: int) -> list[Period]:
    """The förbund's follow-up periods of the year, helår last (always present)."""
    result = [
        _to_date_period(year, code, name, month)
        for code, name, month in _reporting_periods(association)
        if month != FULL_YEAR_MONTH
    ]
    result.append(year_period(year))
    return result


def period_from_code(*, association: Association, code: str) -> Period:
    """The period a code names; ValueError when it names none."""
    code = code.strip()
    if match := _YEAR.match(code):
        return year_period(int(match.group(1)))
    if match := _RANGE.match(code):
        try:
            start = datetime.date.fromisoformat(match.group(1))
            end = datetime.date.fromisoformat(match.group(2))
        except ValueError as error:
            raise ValueError(f"not a period: {code!r}") from error
        return range_period(start, end)
    if match := _NAMED.match(code):
        year, name_code = int(match.group(1)), match.group(2)
        for period_code, name, month in _reporting_periods(association):
            if period_code == name_code:
                return _to_date_period(year, period_code, name, month)
    raise ValueError(f"not a period: {code!r}")


def current_period(*, association: Association, today: datetime.date | None = None) -> Period:
    """The year to date: helår of today's year."""
    today = today or timezone.localdate()
    return year_period(today.year)
