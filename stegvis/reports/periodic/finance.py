"""Ekonomi in the delårsrapport and the verksamhetsberättelse: budget against actuals
per category for the förbund's follow-up period that ends with the report's period,
the kansli's comments, and the year's result and equity."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import dates
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.finance import actuals
from stegvis.finance.models import BudgetLine, ReportingPeriod
from stegvis.goals.periods import Period
from stegvis.reports.periodic.charts import finance_chart_svg, scoped_ids

FULL_YEAR = 12


@dataclass(frozen=True)
class FinanceRow:
    """One row of budget against actuals: a revenue kind, a cost category or a total."""

    label: str
    figures: actuals.Figures
    deviation: int | None  # helår: utfall − budget; a tertial: prognos − budget
    flag: str = ""
    total: bool = False


@dataclass(frozen=True)
class FinanceComment:
    line: str
    category: str
    flag: str
    basis: str
    comment: str


@dataclass
class FinancePart:
    followup: actuals.Followup
    rows: list[FinanceRow]  # revenue kinds and their sum, then cost categories, sum, result
    revenue_count: int  # how many of `rows` are revenues
    comments: list[FinanceComment]
    missing: list[str]  # lines without an actual for the period
    full_year: bool
    chart: str = ""

    @property
    def period_name(self) -> str:
        return self.followup.period.name

    @property
    def final(self) -> bool:
        """Helår with an actual on every line: the figures are the year's outcome, not
        a prognosis."""
        return self.full_year and not self.missing

    @property
    def span(self) -> str:
        """'jan–apr', 'helår': the months the actuals cover, for column headings."""
        return actuals.period_span(self.followup.period.end_month)

    @property
    def equity(self) -> list[tuple[str, int | None, int | None]]:
        return equity_rows(self)


REVENUE_LABELS = {
    BudgetLine.RevenueKind.CONTRIBUTION: gettext_lazy("Medlemsavgifter"),
    BudgetLine.RevenueKind.GRANT: gettext_lazy("Bidrag (t.ex. ESF)"),
    BudgetLine.RevenueKind.OTHER: gettext_lazy("Övriga intäkter"),
}


def deviation(figures: actuals.Figures, full_year: bool) -> int | None:
    """Helår: utfall − budget; a tertial: the year's prognosis − budget."""
    if full_year:
        return None if figures.actual is None else figures.actual - figures.budget
    return figures.deviation


def finance_part(
    *, association: Association, period: Period, charts: bool
) -> tuple[FinancePart | None, str]:
    """The follow-up for the period, or None and why there is none."""
    month = period.end_month or FULL_YEAR
    with scope(association=association):
        plan = actuals.plan_for_year(association=association, year=period.year)
        if plan is None:
            return None, _(
                "Ingen ekonomisk uppföljning för perioden: det finns ingen budget för %(year)s."
            ) % {"year": period.year}
        reporting = ReportingPeriod.objects.filter(association=association, end_month=month).first()
        if reporting is None:
            if ReportingPeriod.objects.filter(association=association).exists():
                return None, _(
                    "Ingen ekonomisk uppföljning för perioden: förbundet följer inte upp "
                    "ekonomin till och med %(month)s."
                ) % {"month": dates.MONTHS[month]}
            # No follow-up at all yet: the default periods are made with the first actual.
            return None, _(
                "Ingen ekonomisk uppföljning för perioden: inget utfall är registrerat för "
                "%(period)s."
            ) % {"period": period.label}
        result = actuals.followup(plan=plan, year=period.year, period=reporting)
    if result.recorded == 0:
        return None, _(
            "Ingen ekonomisk uppföljning för perioden: inget utfall är registrerat för "
            "%(period)s %(year)s."
        ) % {"period": reporting.name, "year": period.year}
    full_year = month == FULL_YEAR
    rows: list[FinanceRow] = []
    revenue_lines = [row for group in result.revenue_groups for row in group.lines]
    for kind, label in REVENUE_LABELS.items():
        figures = [row.figures for row in revenue_lines if row.line.category == kind]
        if figures:
            subtotal = actuals.total(figures)
            rows.append(
                FinanceRow(
                    str(label),
                    subtotal,
                    deviation(subtotal, full_year),
                    actuals.flag_label(
                        side=BudgetLine.Side.REVENUE,
                        flag=actuals.flag(side=BudgetLine.Side.REVENUE, figures=subtotal),
                    ),
                )
            )
    rows.append(
        FinanceRow(
            _("Summa intäkter"),
            result.revenues,
            deviation(result.revenues, full_year),
            actuals.flag_label(side=BudgetLine.Side.REVENUE, flag=result.revenues_flag),
            True,
        )
    )
    revenue_count = len(rows)
    for group in result.cost_groups:
        rows.append(
            FinanceRow(
                group.label,
                group.total,
                deviation(group.total, full_year),
                actuals.flag_label(side=BudgetLine.Side.COST, flag=group.flag),
            )
        )
    rows.append(
        FinanceRow(
            _("Summa kostnader"),
            result.costs,
            deviation(result.costs, full_year),
            actuals.flag_label(side=BudgetLine.Side.COST, flag=result.costs_flag),
            True,
        )
    )
    rows.append(
        FinanceRow(
            _("Resultat (intäkter − kostnader)"),
            result.result,
            deviation(result.result, full_year),
            "",
            True,
        )
    )
    # A line is commented on when it is pointed out or the kansli has its own
    # prognosis; lines without an actual are named once, above the table.
    comments = [
        FinanceComment(
            line=row.line.name,
            category=group.label,
            flag=actuals.flag_label(side=row.line.side, flag=row.flag),
            basis=row.basis if row.prognosis.source == actuals.Source.FORECAST else "",
            comment=row.forecast_comment,
        )
        for group in result.groups
        for row in group.lines
        if row.forecast_comment or row.flag or row.prognosis.source == actuals.Source.FORECAST
    ]
    missing = [
        row.line.name
        for group in result.groups
        for row in group.lines
        if row.figures.actual is None
    ]
    part = FinancePart(
        followup=result,
        rows=rows,
        revenue_count=revenue_count,
        comments=comments,
        missing=missing,
        full_year=full_year,
    )
    if charts:
        part.chart = scoped_ids("ekonomi", finance_chart_svg(part))
    return part, ""


def equity_rows(part: FinancePart) -> list[tuple[str, int | None, int | None]]:
    """(post, according to the budget, according to the prognosis or the actual)."""
    result = part.followup
    rows: list[tuple[str, int | None, int | None]] = [
        (_("Eget kapital vid årets början"), result.opening_equity, result.opening_equity),
        (_("Årets resultat"), result.result.budget, result.result.prognosis),
        (_("Eget kapital vid årets slut"), result.closing_budget, result.closing_prognosis),
        (_("Tak för eget kapital"), None, result.equity_cap),
    ]
    if result.equity_min:
        rows.append((_("Lägsta eget kapital (buffert)"), result.equity_min, result.equity_min))
    return rows
