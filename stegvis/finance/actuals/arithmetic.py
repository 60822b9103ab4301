"""The arithmetic of the follow-up, without a database: extrapolation, prognosis,
deviation, totals and flags, and amounts as people type them (in tkr or kr).
Property-tested in `tests/test_actuals_arithmetic.py`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import Any

from django.utils import dates
from django.utils.translation import gettext as _

from stegvis.finance import budget
from stegvis.finance.models import BudgetLine, Unit

MONTHS = 12
# A line whose prognosis is more than 5 % off its budget is pointed out.
TOLERANCE = Decimal("0.05")
SHARE_PLACES = budget.SHARE_PLACES
# Far above any förbund's turnover; keeps a typo from reaching the database.
MAX_AMOUNT = 10**12


def round_kronor(value: Fraction | Decimal) -> int:
    """Round to whole kronor, halves away from zero (as bookkeeping does)."""
    magnitude = abs(Fraction(value))
    whole = int(magnitude)
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    return -whole if value < 0 else whole


def extrapolate(*, actual: int, end_month: int) -> int:
    """The actual from January to `end_month` drawn out linearly to twelve months:
    actual × 12 / end_month, in whole kronor."""
    if not 1 <= end_month <= MONTHS:
        raise ValueError(f"end_month must be 1–12, not {end_month}")
    return round_kronor(Fraction(actual * MONTHS, end_month))


def share(part: int, whole: int) -> Decimal | None:
    """part / whole to four places; None when there is nothing to divide by."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def period_span(end_month: int) -> str:
    """The months a period covers, for headings: 'jan–aug', 'januari', 'helår'."""
    if end_month == MONTHS:
        return _("helår")
    if end_month == 1:
        return str(dates.MONTHS[1])
    return f"{dates.MONTHS_3[1]}–{dates.MONTHS_3[end_month]}"


def year_share(end_month: int) -> Decimal:
    """How much of the year has passed at the end of `end_month` (4 → 0,3333)."""
    result = share(end_month, MONTHS)
    assert result is not None
    return result


class Source(StrEnum):
    """Where a line's prognosis comes from."""

    ACTUAL = "actual"  # helår: the year's actual is the answer
    FORECAST = "forecast"  # entered by the kansli
    EXTRAPOLATED = "extrapolated"  # the latest actual × 12 / its end month
    BUDGET = "budget"  # nothing recorded yet: the budget stands


@dataclass(frozen=True)
class Prognosis:
    amount: int
    source: Source
    from_month: int | None = None  # EXTRAPOLATED and ACTUAL: the end month of the actual used


def prognosis(
    *, budget_amount: int, actuals: Mapping[int, int], end_month: int, forecast: int | None
) -> Prognosis:
    """The year's prognosis for one line as seen at the end of `end_month`.

    `actuals` maps the end month of each period to the line's actual to that month.
    At helår the actual is the year's outcome and beats any earlier forecast; before
    it, the kansli's forecast wins, then the latest actual up to `end_month` drawn
    out to the year, and with no actual at all the budget stands."""
    current = actuals.get(end_month)
    if end_month == MONTHS and current is not None:
        return Prognosis(current, Source.ACTUAL, MONTHS)
    if forecast is not None:
        return Prognosis(forecast, Source.FORECAST)
    known = [month for month in actuals if month <= end_month]
    if known:
        latest = max(known)
        return Prognosis(
            extrapolate(actual=actuals[latest], end_month=latest), Source.EXTRAPOLATED, latest
        )
    return Prognosis(budget_amount, Source.BUDGET)


@dataclass(frozen=True)
class Figures:
    """One row of the follow-up: the year's budget, the actual to date and the prognosis."""

    budget: int
    actual: int | None
    prognosis: int

    @property
    def used_share(self) -> Decimal | None:
        """The share of the year's budget used (costs) or received (revenues) to date."""
        return None if self.actual is None else share(self.actual, self.budget)

    @property
    def deviation(self) -> int:
        """Prognosis − budget: above zero a cost line overspends, a revenue line earns more."""
        return self.prognosis - self.budget

    @property
    def deviation_share(self) -> Decimal | None:
        return share(self.deviation, self.budget)


def total(items: Iterable[Figures]) -> Figures:
    """Column sums. The actual is unknown only when no item has one."""
    rows = list(items)
    actuals = [row.actual for row in rows if row.actual is not None]
    return Figures(
        budget=sum(row.budget for row in rows),
        actual=sum(actuals) if actuals else None,
        prognosis=sum(row.prognosis for row in rows),
    )


def difference(revenues: Figures, costs: Figures) -> Figures:
    """The result: revenues − costs, column by column."""
    actual = (
        None
        if revenues.actual is None and costs.actual is None
        else (revenues.actual or 0) - (costs.actual or 0)
    )
    return Figures(
        budget=revenues.budget - costs.budget,
        actual=actual,
        prognosis=revenues.prognosis - costs.prognosis,
    )


class Flag(StrEnum):
    OVER = "over"  # prognosis more than 5 % above the budget
    UNDER = "under"  # revenue more than 5 % below the budget


def flag(*, side: str, figures: Figures, tolerance: Decimal = TOLERANCE) -> Flag | None:
    """Point out a prognosis more than `tolerance` above the budget (any line; a cost
    line without a budget that will cost something is above it), and a revenue
    prognosis more than `tolerance` below."""
    prognosis_amount = Decimal(figures.prognosis)
    budget_amount = Decimal(figures.budget)
    if prognosis_amount > budget_amount * (1 + tolerance):
        return Flag.OVER
    if side == BudgetLine.Side.REVENUE and prognosis_amount < budget_amount * (1 - tolerance):
        return Flag.UNDER
    return None


# -- Amounts as people type them ---------------------------------------------

_BLANKS = re.compile(r"[\s\u00a0\u2007\u2009\u202f]")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


class AmountError(ValueError):
    """Text that is not an amount; the message says why, in Swedish."""


def parse_amount(value: Any, *, unit: str) -> int | None:
    """An amount typed in tkr or kr ("1 234,5", "1234.5", "−300", 1234.5) as whole
    kronor; None for an empty value. Spaces of any kind group digits, comma or point
    marks decimals; kronor are rounded half away from zero."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise AmountError(_("är inte ett belopp"))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float | Decimal):
        number = Decimal(str(value))
    else:
        text = _BLANKS.sub("", str(value)).replace("\u2212", "-")
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            raise AmountError(_("är inte ett belopp (skriv till exempel 1 234,5)"))
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as error:  # pragma: no cover - the pattern rules it out
            raise AmountError(_("är inte ett belopp")) from error
    if not number.is_finite():
        raise AmountError(_("är inte ett belopp"))
    kronor = round_kronor(number * 1000 if unit == Unit.TKR else number)
    if abs(kronor) >= MAX_AMOUNT:
        raise AmountError(_("är orimligt stort"))
    return kronor


def format_amount(amount: int | None, *, unit: str) -> str:
    """Whole kronor as a form shows them in `unit`: 1234500 → '1 234,5' (tkr) or
    '1 234 500' (kr). `parse_amount` reads it back to the same kronor."""
    if amount is None:
        return ""
    if unit == Unit.TKR:
        value = Decimal(amount) / 1000
        whole, _dot, decimals = f"{abs(value):f}".partition(".")
        decimals = decimals.rstrip("0")
    else:
        whole, decimals = str(abs(amount)), ""
    grouped = f"{int(whole):,}".replace(",", " ")
    sign = "-" if amount < 0 else ""
    return sign + grouped + ("," + decimals if decimals else "")
