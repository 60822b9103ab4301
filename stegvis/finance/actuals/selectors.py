"""Reads of the follow-up: the plan a year is followed up against, its lines and
periods, the actuals recorded, and the follow-up itself (budget against actuals and
the year's prognosis)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.finance import budget
from stegvis.finance.actuals.arithmetic import (
    Figures,
    Flag,
    Prognosis,
    Source,
    difference,
    flag,
    prognosis,
    total,
    year_share,
)
from stegvis.finance.models import Actual, BudgetLine, Forecast, Plan, ReportingPeriod

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
