"""Utfall och prognos: what each budget line came to, period by period, against the
year's budget, and what the year is heading for (DOMAIN.md §2, "Actuals").

A period runs from January to the end of its month (tertial 1 = jan–apr, tertial 2 =
jan–aug, helår), so an actual is the amount *to date*, never one tertial alone. The
prognosis for the year is the kansli's own (`Forecast`) when there is one, otherwise
the latest actual drawn out linearly to twelve months; for helår it is the actual.

The module has three layers: pure arithmetic and the two-column import sheet (no
database, property-tested), selectors (reads) and services (writes: one transaction,
one audit line per changed amount).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import dates
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log
from stegvis.core.exporters import Table, table_to_xlsx
from stegvis.finance import budget
from stegvis.finance.models import (
    DEFAULT_PERIODS,
    Actual,
    BudgetLine,
    Forecast,
    Plan,
    ReportingPeriod,
    Unit,
)

# ---------------------------------------------------------------------------
# Pure arithmetic (no database)
# ---------------------------------------------------------------------------

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


# -- The two-column import sheet -------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet numbers its rows, from 1
    cells: tuple[Any, ...]


class SheetError(ValueError):
    """The file cannot be read at all."""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(content: bytes, *, filename: str = "") -> list[SheetRow]:
    """The rows of an .xlsx (first sheet) or a CSV file (; , or tab, UTF-8 or the
    Windows-1252 that Swedish Excel writes), empty rows left out."""
    if not content:
        raise SheetError(_("Filen är tom."))
    if content.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        rows = _read_xlsx(content)
    else:
        rows = _read_csv(content)
    return [
        SheetRow(number, tuple(cells))
        for number, cells in rows
        if not all(_blank(cell) for cell in cells)
    ]


def _read_xlsx(content: bytes) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a file that is no workbook
        raise SheetError(_("Filen kunde inte läsas som en Excelfil (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, list(row))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _read_csv(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise SheetError(_("Filen kunde inte läsas som Excel (.xlsx) eller CSV."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [(number, list(row)) for number, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise SheetError(
            _("Filen kunde inte läsas som CSV: %(error)s") % {"error": error}
        ) from error


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


# ---------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------

COST_CATEGORY_ORDER = list(budget.COST_CATEGORIES)


def _periods(association: Association) -> QuerySet[ReportingPeriod]:
    # The finance models' reverse managers are invisible to the type checker
    # (history-tracked), so the förbund is named explicitly; the scope still applies.
    return ReportingPeriod.objects.filter(association=association)


def plan_for_year(*, association: Association, year: int) -> Plan | None:
    """The budget a year is followed up against: the plan whose budget year it is,
    else the latest plan that covers it as a plan year."""
    return (
        Plan.objects.filter(association=association, first_year__lte=year, last_year__gte=year)
        .order_by("-first_year")
        .first()
    )


def plan_years(*, association: Association) -> list[tuple[int, Plan]]:
    """Every year some plan covers, newest first, with the plan it is followed up against."""
    years: dict[int, Plan] = {}
    for plan in Plan.objects.filter(association=association).order_by("first_year"):
        for year in plan.years:
            years[year] = plan  # later plans win
    return sorted(years.items(), reverse=True)


def plan_lines(*, plan: Plan) -> list[BudgetLine]:
    """The plan's lines as the budget shows them: revenues, then costs by category,
    each in the plan's own order."""
    lines = list(plan.lines.all())

    def order(line: BudgetLine) -> tuple[int, int, int, int]:
        if line.side == BudgetLine.Side.REVENUE:
            return (0, 0, line.position, line.pk)
        category = (
            COST_CATEGORY_ORDER.index(line.category)
            if line.category in COST_CATEGORY_ORDER
            else len(COST_CATEGORY_ORDER)
        )
        return (1, category, line.position, line.pk)

    return sorted(lines, key=order)


@dataclass(frozen=True)
class LineGroup:
    key: str  # "revenue" or a cost category
    label: str
    side: str
    lines: list[BudgetLine]


def line_groups(lines: Sequence[BudgetLine]) -> list[LineGroup]:
    """Lines in `plan_lines` order cut into the budget's groups."""
    groups: list[LineGroup] = []
    for line in lines:
        key = "revenue" if line.side == BudgetLine.Side.REVENUE else line.category
        if not groups or groups[-1].key != key:
            if key == "revenue":
                label = _("Intäkter")
            else:
                label = str(dict(BudgetLine.Category.choices).get(key, key))
            groups.append(LineGroup(key, label, line.side, []))
        groups[-1].lines.append(line)
    return groups


def budget_for_year(*, plan: Plan, year: int) -> dict[int, int]:
    """Line id → the year's budget in kronor (lines without an amount are left out)."""
    return dict(plan.lines.filter(amounts__year=year).values_list("pk", "amounts__amount"))


def actuals_for(*, plan: Plan, year: int, period: ReportingPeriod) -> dict[int, int]:
    """Line id → the actual to the end of the period."""
    return dict(
        Actual.objects.filter(line__plan=plan, year=year, period=period).values_list(
            "line_id", "amount"
        )
    )


def periods(*, association: Association) -> list[ReportingPeriod]:
    return list(_periods(association).order_by("end_month"))


def period_usage(*, association: Association) -> list[tuple[ReportingPeriod, int]]:
    """Each period with the number of actuals recorded for it."""
    rows = _periods(association).annotate(used=Count("actuals")).order_by("end_month")
    return [(period, period.used) for period in rows]


@dataclass(frozen=True)
class PeriodStatus:
    period: ReportingPeriod
    recorded: int  # lines with an actual


@dataclass(frozen=True)
class YearStatus:
    year: int
    plan: Plan
    lines: int
    periods: list[PeriodStatus]


def actuals_overview(*, association: Association) -> list[YearStatus]:
    """Per plan year and period, how many of the lines have an actual."""
    all_periods = periods(association=association)
    result = []
    for year, plan in plan_years(association=association):
        counts = dict(
            Actual.objects.filter(line__plan=plan, year=year)
            .values_list("period_id")
            .annotate(n=Count("id"))
            .values_list("period_id", "n")
        )
        result.append(
            YearStatus(
                year=year,
                plan=plan,
                lines=plan.lines.count(),
                periods=[PeriodStatus(p, counts.get(p.pk, 0)) for p in all_periods],
            )
        )
    return result


def plan_budget(*, plan: Plan) -> budget.Budget:
    """The plan as the budget arithmetic sees it (members are not needed here)."""
    amounts: dict[int, dict[int, int]] = {}
    for line_id, year, amount in plan.lines.values_list("pk", "amounts__year", "amounts__amount"):
        if year is not None:
            amounts.setdefault(line_id, {})[year] = amount
    revenues: list[budget.Line] = []
    costs: list[budget.Line] = []
    for line in plan.lines.all():
        item = budget.Line(name=line.name, kind=line.category, amounts=amounts.get(line.pk, {}))
        (revenues if line.side == BudgetLine.Side.REVENUE else costs).append(item)
    return budget.Budget(
        years=tuple(plan.years),
        opening_equity=plan.opening_equity,
        members=(),
        revenues=tuple(revenues),
        costs=tuple(costs),
        rules=plan_rules(plan=plan),
    )


def plan_rules(*, plan: Plan) -> budget.Rules:
    rules = getattr(plan, "rules", None)  # a plan stored without rules has the defaults
    if rules is None:
        return budget.Rules()
    tiers = tuple(
        budget.Tier(rate=Decimal(str(tier["rate"])), up_to=tier.get("up_to"))
        for tier in rules.equity_cap_tiers or []
    )
    return budget.Rules(
        equity_cap_base=rules.equity_cap_base,
        tiers=tiers or budget.DEFAULT_TIERS,
        equity_min=rules.equity_min,
        admin_share_max=Decimal(rules.admin_share_max),
        admin_categories=frozenset(rules.admin_categories or budget.DEFAULT_ADMIN_CATEGORIES),
    )


@dataclass(frozen=True)
class FollowupLine:
    line: BudgetLine
    figures: Figures
    prognosis: Prognosis
    source_period: ReportingPeriod | None  # the period whose actual was drawn out
    forecast_comment: str
    flag: Flag | None

    @property
    def basis(self) -> str:
        """What the prognosis rests on, as the follow-up table says it."""
        source = self.prognosis.source
        if source == Source.EXTRAPOLATED and self.source_period is not None:
            return _("Utfall %(period)s × 12/%(month)d") % {
                "period": self.source_period.name,
                "month": self.source_period.end_month,
            }
        if source == Source.FORECAST:
            return _("Kansliets prognos")
        if source == Source.ACTUAL:
            return _("Helårsutfallet")
        return _("Budgeten – inget utfall ännu")

    @property
    def note(self) -> str:
        """The basis when it is not the usual one (this period's actual drawn out to
        the year, or the helår actual): what the table points out beside the line."""
        usual = self.prognosis.source == Source.ACTUAL or (
            self.prognosis.source == Source.EXTRAPOLATED and self.figures.actual is not None
        )
        return "" if usual else self.basis


def flag_label(*, side: str, flag: Flag | None) -> str:
    """A cost above budget or a revenue below it is a warning; a revenue above
    budget is only pointed out."""
    if flag == Flag.OVER:
        return _("⚠ Över budget") if side == BudgetLine.Side.COST else _("Över budget")
    if flag == Flag.UNDER:
        return _("⚠ Under budget")
    return ""


@dataclass(frozen=True)
class FollowupGroup:
    key: str
    label: str
    side: str
    lines: list[FollowupLine]
    total: Figures
    flag: Flag | None


@dataclass(frozen=True)
class Followup:
    plan: Plan
    year: int
    period: ReportingPeriod
    year_share: Decimal
    groups: list[FollowupGroup]
    revenues: Figures
    costs: Figures
    result: Figures
    revenues_flag: Flag | None
    costs_flag: Flag | None
    opening_equity: int
    closing_budget: int
    closing_prognosis: int
    equity_cap: int
    equity_min: int
    admin_share: Decimal | None
    findings: list[budget.Finding]
    lines: int
    recorded: int
    forecasts: int

    @property
    def missing(self) -> int:
        return self.lines - self.recorded

    @property
    def revenue_groups(self) -> list[FollowupGroup]:
        return [group for group in self.groups if group.side == BudgetLine.Side.REVENUE]

    @property
    def cost_groups(self) -> list[FollowupGroup]:
        return [group for group in self.groups if group.side == BudgetLine.Side.COST]

    @property
    def rows(self) -> list[FollowupLine]:
        return [row for group in self.groups for row in group.lines]


def followup(*, plan: Plan, year: int, period: ReportingPeriod) -> Followup:
    """Budget against actuals for one year to the end of one period, with the year's
    prognosis per line, per group and in total, and where the equity is heading
    (the plan's opening equity for the year + the prognosis result)."""
    lines = plan_lines(plan=plan)
    budgets = budget_for_year(plan=plan, year=year)
    earlier = [p for p in periods(association=plan.association) if p.end_month <= period.end_month]
    by_month = {p.end_month: p for p in earlier}
    actuals: dict[int, dict[int, int]] = {}
    for line_id, month, amount in Actual.objects.filter(
        line__plan=plan, year=year, period__in=earlier
    ).values_list("line_id", "period__end_month", "amount"):
        actuals.setdefault(line_id, {})[month] = amount
    forecasts = {
        forecast.line_id: forecast
        for forecast in Forecast.objects.filter(line__plan=plan, year=year)
    }

    groups: list[FollowupGroup] = []
    prognosis_lines: dict[str, list[budget.Line]] = {"revenue": [], "cost": []}
    for group in line_groups(lines):
        rows = []
        for line in group.lines:
            line_actuals = actuals.get(line.pk, {})
            forecast = forecasts.get(line.pk)
            budget_amount = budgets.get(line.pk, 0)
            result = prognosis(
                budget_amount=budget_amount,
                actuals=line_actuals,
                end_month=period.end_month,
                forecast=forecast.amount if forecast else None,
            )
            figures = Figures(budget_amount, line_actuals.get(period.end_month), result.amount)
            rows.append(
                FollowupLine(
                    line=line,
                    figures=figures,
                    prognosis=result,
                    source_period=by_month.get(result.from_month or 0)
                    if result.source == Source.EXTRAPOLATED
                    else None,
                    forecast_comment=forecast.comment if forecast else "",
                    flag=flag(side=line.side, figures=figures),
                )
            )
            prognosis_lines[line.side].append(
                budget.Line(name=line.name, kind=line.category, amounts={year: result.amount})
            )
        subtotal = total(row.figures for row in rows)
        groups.append(
            FollowupGroup(
                group.key,
                group.label,
                group.side,
                rows,
                subtotal,
                flag(side=group.side, figures=subtotal),
            )
        )
    revenues = total(g.total for g in groups if g.side == BudgetLine.Side.REVENUE)
    costs = total(g.total for g in groups if g.side == BudgetLine.Side.COST)

    plan_figures = budget.year_figures(plan_budget(plan=plan))
    planned = next(f for f in plan_figures if f.year == year)
    rules = plan_rules(plan=plan)
    projected_budget = budget.Budget(
        years=(year,),
        opening_equity=planned.opening_equity,
        members=(),
        revenues=tuple(prognosis_lines["revenue"]),
        costs=tuple(prognosis_lines["cost"]),
        rules=rules,
    )
    projected = budget.year_figures(projected_budget)[0]
    findings = [
        finding
        for finding in budget.findings(projected_budget, [projected])
        if finding.rule != "contribution_split"
    ]
    recorded = sum(1 for line in lines if period.end_month in actuals.get(line.pk, {}))
    return Followup(
        plan=plan,
        year=year,
        period=period,
        year_share=year_share(period.end_month),
        groups=groups,
        revenues=revenues,
        costs=costs,
        result=difference(revenues, costs),
        revenues_flag=flag(side=BudgetLine.Side.REVENUE, figures=revenues),
        costs_flag=flag(side=BudgetLine.Side.COST, figures=costs),
        opening_equity=planned.opening_equity,
        closing_budget=planned.closing_equity,
        closing_prognosis=projected.closing_equity,
        equity_cap=projected.equity_cap,
        equity_min=rules.equity_min,
        admin_share=projected.admin_share,
        findings=findings,
        lines=len(lines),
        recorded=recorded,
        forecasts=sum(1 for line in lines if line.pk in forecasts),
    )


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------


def _period_code(association: Association, name: str) -> str:
    base = slugify(name)[:16].strip("-") or "period"
    taken = set(_periods(association).values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        code = f"{base}-{number}"
        number += 1
    return code


def periods_ensure(*, association: Association) -> list[ReportingPeriod]:
    """The förbund's periods, the defaults (tertial 1, tertial 2, helår) created the
    first time a förbund follows up anything."""
    if not _periods(association).exists():
        try:
            with transaction.atomic():
                for code, name, end_month in DEFAULT_PERIODS:
                    period = ReportingPeriod.objects.create(
                        association=association, code=code, name=name, end_month=end_month
                    )
                    audit_log(
                        action="reporting_period.created",
                        association=association,
                        obj=period,
                        changes={"name": name, "end_month": end_month},
                    )
        except IntegrityError:
            pass  # another request made them at the same moment
    return periods(association=association)


def _month_taken(association: Association, end_month: int, exclude: int | None = None) -> None:
    others = _periods(association).filter(end_month=end_month)
    clash = (others.exclude(pk=exclude) if exclude is not None else others).first()
    if clash is not None:
        raise ValidationError(
            {
                "end_month": _("Perioden ”%(name)s” slutar redan med den månaden.")
                % {"name": clash.name}
            }
        )


@transaction.atomic
def period_create(
    *, actor: Any, association: Association, name: str, end_month: int
) -> ReportingPeriod:
    """A follow-up period from January to the end of `end_month`."""
    _month_taken(association, end_month)
    period = ReportingPeriod(
        association=association,
        code=_period_code(association, name),
        name=name.strip(),
        end_month=end_month,
    )
    period.full_clean()
    period.save()
    audit_log(
        action="reporting_period.created",
        actor=actor,
        association=association,
        obj=period,
        changes={"name": period.name, "end_month": end_month},
    )
    return period


@transaction.atomic
def period_update(
    *, actor: Any, period: ReportingPeriod, name: str, end_month: int
) -> ReportingPeriod:
    """Rename a period; its end month may change only while no actual uses it,
    since the recorded amounts are amounts to that month."""
    changes: dict[str, Any] = {}
    if end_month != period.end_month:
        used = period.actuals.count()
        if used:
            raise ValidationError(
                {
                    "end_month": _(
                        "Perioden har utfall registrerat (%(count)d belopp) och kan inte få "
                        "en annan slutmånad. Lägg till en ny period i stället."
                    )
                    % {"count": used}
                }
            )
        _month_taken(period.association, end_month, exclude=period.pk)
        changes["end_month"] = [period.end_month, end_month]
        period.end_month = end_month
    name = name.strip()
    if name != period.name:
        changes["name"] = [period.name, name]
        period.name = name
    if changes:
        period.full_clean()
        period.save()
        audit_log(
            action="reporting_period.updated",
            actor=actor,
            association=period.association,
            obj=period,
            changes=changes,
        )
    return period


@transaction.atomic
def period_remove(*, actor: Any, period: ReportingPeriod) -> None:
    """Remove a period no actual uses; the förbund keeps at least one."""
    used = period.actuals.count()
    if used:
        raise ValidationError(
            _(
                "Perioden ”%(name)s” kan inte tas bort eftersom utfall är registrerat för den "
                "(%(count)d belopp). Ta bort utfallet först eller behåll perioden."
            )
            % {"name": period.name, "count": used}
        )
    if _periods(period.association).count() <= 1:
        raise ValidationError(_("Förbundet måste ha minst en uppföljningsperiod."))
    audit_log(
        action="reporting_period.removed",
        actor=actor,
        association=period.association,
        obj=period,
        changes={"name": period.name, "end_month": period.end_month},
    )
    period.delete()


@dataclass(frozen=True)
class Change:
    line: BudgetLine
    old: int | None
    new: int | None

    @property
    def difference(self) -> int | None:
        return (self.new or 0) - (self.old or 0) if self.kind != "unchanged" else None

    @property
    def kind(self) -> str:
        if self.old == self.new:
            return "unchanged"
        if self.old is None:
            return "new"
        if self.new is None:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class RecordResult:
    changes: list[Change]

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def changed(self) -> int:
        return sum(1 for change in self.changes if change.kind != "unchanged")


def _check_context(plan: Plan, year: int, period: ReportingPeriod) -> None:
    if period.association_id != plan.association_id:
        raise ValueError("the period belongs to another förbund")
    if year not in plan.years:
        raise ValidationError(_("%(year)d ingår inte i %(plan)s.") % {"year": year, "plan": plan})


def _planned_changes(
    plan: Plan, year: int, period: ReportingPeriod, amounts: Mapping[int, int | None]
) -> tuple[list[Change], dict[int, Actual]]:
    lines = {line.pk: line for line in plan_lines(plan=plan)}
    unknown = set(amounts) - set(lines)
    if unknown:
        raise ValueError(f"lines {sorted(unknown)} are not lines of {plan}")
    existing = {
        actual.line_id: actual
        for actual in Actual.objects.filter(line__plan=plan, year=year, period=period)
    }
    changes = [
        Change(
            line,
            existing[line.pk].amount if line.pk in existing else None,
            amounts[line.pk],
        )
        for line in lines.values()
        if line.pk in amounts
    ]
    return changes, existing


@transaction.atomic
def actuals_record(
    *,
    actor: Any,
    plan: Plan,
    year: int,
    period: ReportingPeriod,
    amounts: Mapping[int, int | None],
) -> RecordResult:
    """Record the actuals of a year to the end of a period, line id → kronor, all in
    one transaction. An amount replaces the line's earlier one; None removes it;
    lines left out are untouched. Each change is one audit line."""
    _check_context(plan, year, period)
    changes, existing = _planned_changes(plan, year, period, amounts)
    for change in changes:
        if change.kind == "unchanged":
            continue
        label = _("%(line)s, %(period)s %(year)d") % {
            "line": change.line.name,
            "period": period.name,
            "year": year,
        }
        if change.new is None:
            actual = existing[change.line.pk]
            audit_log(
                action="actual.removed",
                actor=actor,
                association=plan.association,
                obj=actual,
                object_repr=label,
                changes={"amount": [change.old, None]},
            )
            actual.delete()
            continue
        actual = existing.get(change.line.pk) or Actual(
            association=plan.association, line=change.line, year=year, period=period
        )
        actual.amount = change.new
        actual.save()
        audit_log(
            action="actual.recorded",
            actor=actor,
            association=plan.association,
            obj=actual,
            object_repr=label,
            changes={"amount": [change.old, change.new]},
        )
    return RecordResult(changes)


@dataclass(frozen=True)
class ImportResult:
    changes: list[Change]
    untouched: list[BudgetLine]  # plan lines the file does not give an amount for
    empty_rows: list[int]
    dry_run: bool

    @property
    def changed(self) -> int:
        return sum(1 for change in self.changes if change.kind != "unchanged")


def sheet_lines(*, plan: Plan) -> list[LineName]:
    return [LineName(line.pk, line.name, line.side) for line in plan_lines(plan=plan)]


def actuals_import(
    *,
    actor: Any,
    plan: Plan,
    year: int,
    period: ReportingPeriod,
    content: bytes,
    filename: str,
    unit: str,
    dry_run: bool,
) -> ImportResult:
    """Import a two-column sheet (budget line | amount in `unit`) as the actuals to the
    end of `period`: all or nothing. Every unknown name, bad amount or duplicate is
    reported (ValidationError with one "rad N, kolumn X: …" message each) and nothing
    is stored; with `dry_run` nothing is stored either, and the result says what
    would change."""
    _check_context(plan, year, period)
    if unit not in Unit.values:
        raise ValueError(f"unknown unit {unit!r}")
    try:
        rows = read_sheet(content, filename=filename)
    except SheetError as error:
        raise ValidationError(str(error)) from error
    if not rows:
        raise ValidationError(_("Filen innehåller inga rader."))
    matched = sheet_amounts(rows, lines=sheet_lines(plan=plan), unit=unit)
    if matched.errors:
        raise ValidationError(matched.errors)
    if not matched.amounts:
        raise ValidationError(_("Filen innehåller inga belopp."))
    amounts: dict[int, int | None] = dict(matched.amounts)
    with transaction.atomic():
        changes, _existing = _planned_changes(plan, year, period, amounts)
        if not dry_run:
            actuals_record(actor=actor, plan=plan, year=year, period=period, amounts=amounts)
            audit_log(
                action="actuals.imported",
                actor=actor,
                association=plan.association,
                obj=plan,
                object_repr=_("Utfall %(period)s %(year)d från %(file)s")
                % {"period": period.name, "year": year, "file": filename or "fil"},
                changes={},
            )
    return ImportResult(
        changes=changes,
        untouched=[line for line in plan_lines(plan=plan) if line.pk not in amounts],
        empty_rows=matched.empty,
        dry_run=dry_run,
    )


def import_template(*, plan: Plan, year: int, unit: str) -> bytes:
    """An .xlsx to fill in: a header row and the plan's line names in column A."""
    names = sheet_lines(plan=plan)
    table = Table(
        title=_("Utfall %(year)d") % {"year": year},
        columns=[_("Budgetrad"), _("Utfall (%(unit)s)") % {"unit": unit}],
        rows=[[sheet_name(line, names), None] for line in names],
    )
    return table_to_xlsx([table])


@transaction.atomic
def forecast_set(
    *, actor: Any, line: BudgetLine, year: int, amount: int, comment: str = ""
) -> Forecast:
    """The kansli's own prognosis of a line's full year; it replaces the drawn-out
    actual until the helår actual is in."""
    if year not in line.plan.years:
        raise ValidationError(
            _("%(year)d ingår inte i %(plan)s.") % {"year": year, "plan": line.plan}
        )
    forecast = Forecast.objects.filter(line=line, year=year).first()
    old = (forecast.amount, forecast.comment) if forecast else (None, "")
    if forecast is None:
        forecast = Forecast(association=line.association, line=line, year=year)
    forecast.amount = amount
    forecast.comment = comment.strip()
    forecast.full_clean()
    forecast.save()
    changes: dict[str, list[Any]] = {}
    if old[0] != amount:
        changes["amount"] = [old[0], amount]
    if old[1] != forecast.comment:
        changes["comment"] = [old[1], forecast.comment]
    if changes:
        audit_log(
            action="forecast.set",
            actor=actor,
            association=line.association,
            obj=forecast,
            object_repr=_("Prognos %(year)d: %(line)s") % {"year": year, "line": line.name},
            changes=changes,
        )
    return forecast


@transaction.atomic
def forecast_remove(*, actor: Any, line: BudgetLine, year: int) -> bool:
    """Remove the kansli's prognosis: the line's prognosis is drawn out from its actual
    again. False when there was none."""
    forecast = Forecast.objects.filter(line=line, year=year).first()
    if forecast is None:
        return False
    audit_log(
        action="forecast.removed",
        actor=actor,
        association=line.association,
        obj=forecast,
        object_repr=_("Prognos %(year)d: %(line)s") % {"year": year, "line": line.name},
        changes={"amount": [forecast.amount, None], "comment": [forecast.comment, ""]},
    )
    forecast.delete()
    return True
