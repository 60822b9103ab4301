"""The cost report: where the money comes from (staten, region, kommuner, ESF, övrigt),
what the insatser cost against their budget with the ESF-medfinansierade apart, and
the administrative costs against the rule — for a year, to the end of one of the
förbund's follow-up periods.

Everything is the finance follow-up (`finance.actuals.followup`: the year's budget, the
utfall to date and the year's prognosis per line) arranged differently:

* source of a revenue line: a medlemsavgift by its member's kind (staten, region,
  kommun); a bidrag whose name says ESF (or socialfond) is ESF; other bidrag, other
  revenues and medlemsavgifter without a member are övrigt;
* an insats's costs: the cost lines linked to it by a board decision or naming it;
  whether it is ESF-medfinansierad is the insats register's flag. The plan holds ESF
  money as a revenue of the whole förbund, not per insats, so how much of an insats
  ESF pays cannot be shown — the ESF-medfinansierade insatser are shown apart, and
  the ESF revenues under the sources;
* administration: the cost categories the plan's rules count as administration.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.finance import actuals
from stegvis.finance.actuals import Figures
from stegvis.finance.models import BudgetLine, Plan, ReportingPeriod
from stegvis.goals.periods import Period
from stegvis.interventions.models import Intervention, InterventionLine
from stegvis.participants.selectors_report import Cell, Line
from stegvis.reports.sus import charts
from stegvis.reports.sus.common import ChartTable, Figure, SusTable

STATE, REGION, MUNICIPALITY, ESF, OTHER = "state", "region", "municipality", "esf", "other"
SOURCES = (STATE, REGION, MUNICIPALITY, ESF, OTHER)
ESF_NAME = re.compile(r"\besf\b|socialfond", re.IGNORECASE)
INSATS_CATEGORIES = (BudgetLine.Category.INDIVIDUAL.value, BudgetLine.Category.STRUCTURAL.value)
MAX_YEARS = 5


def source_labels() -> dict[str, str]:
    return {
        STATE: _("Staten"),
        REGION: _("Region"),
        MUNICIPALITY: _("Kommuner"),
        ESF: _("ESF"),
        OTHER: _("Övrigt"),
    }


def revenue_source(*, category: str, name: str, member_kind: str | None) -> str:
    """Where a revenue line's money comes from (see the module's docstring)."""
    if category == BudgetLine.RevenueKind.CONTRIBUTION:
        return member_kind if member_kind in (STATE, REGION, MUNICIPALITY) else OTHER
    if category == BudgetLine.RevenueKind.GRANT and ESF_NAME.search(name):
        return ESF
    return OTHER


# ---------------------------------------------------------------------------
# The lines' figures


@dataclass(frozen=True)
class LineFigures:
    line: BudgetLine
    figures: Figures
    source: str = ""  # a revenue line's source of funds


def line_figures(
    *, association: Association, plan: Plan, year: int, end_month: int
) -> tuple[list[LineFigures], ReportingPeriod | None]:
    """Each line of the plan with the year's budget, the utfall to the end of the
    förbund's period that ends with `end_month` and the year's prognosis — the
    follow-up's figures; the budget alone when the förbund has no such period."""
    finance_period = ReportingPeriod.objects.filter(
        association=association, end_month=end_month
    ).first()
    if finance_period is not None:
        followup = actuals.followup(plan=plan, year=year, period=finance_period)
        return [LineFigures(row.line, row.figures) for row in followup.rows], finance_period
    budgets = actuals.budget_for_year(plan=plan, year=year)
    return [
        LineFigures(line, Figures(budgets.get(line.pk, 0), None, budgets.get(line.pk, 0)))
        for line in actuals.plan_lines(plan=plan)
    ], None


def with_sources(plan: Plan, rows: Sequence[LineFigures]) -> list[LineFigures]:
    """The rows with the source of each revenue line (its member's kind: one query)."""
    kinds = dict(BudgetLine.objects.filter(plan=plan).values_list("pk", "member__kind"))
    return [
        LineFigures(
            row.line,
            row.figures,
            revenue_source(
                category=row.line.category, name=row.line.name, member_kind=kinds.get(row.line.pk)
            )
            if row.line.side == BudgetLine.Side.REVENUE
            else "",
        )
        for row in rows
    ]


def _money_cells(figures: Figures, *, used: bool = True, deviation: bool = False) -> list[Cell]:
    cells: list[Cell] = [Figure(figures.budget, "tkr"), Figure(figures.actual, "tkr")]
    if used:
        cells.append(Figure(_share(figures.actual, figures.budget), "share"))
    cells.append(Figure(figures.prognosis, "tkr"))
    if deviation:
        cells.append(Figure(figures.deviation, "tkr"))
    return cells


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


@dataclass
class SectionLine(Line):
    """A heading row inside a table (its cells are empty)."""

    section: bool = False


def _blank(width: int) -> list[Cell]:
    return [Figure(None, "blank") for _index in range(width)]


def _section(label: str, width: int) -> SectionLine:
    return SectionLine(label, _blank(width), section=True)


# ---------------------------------------------------------------------------
# The report


@dataclass
class CostsReport:
    association: Association
    year: int
    period: Period
    plan: Plan | None
    finance_period: ReportingPeriod | None
    has_actuals: bool
    sources: SusTable | None = None
    sources_by_year: SusTable | None = None
    revenue_lines: SusTable | None = None
    interventions: SusTable | None = None
    admin: SusTable | None = None
    admin_share: SusTable | None = None
    charts: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    esf_budget: int = 0

    @property
    def empty(self) -> bool:
        return self.plan is None

    @property
    def tables(self) -> list[SusTable]:
        found = [
            self.sources,
            self.sources_by_year,
            self.revenue_lines,
            self.interventions,
            self.admin,
            self.admin_share,
        ]
        return [table for table in found if table is not None]

    @property
    def sections(self) -> list[ChartTable]:
        """Chart and table pairs in the report's order, with the tables that go with them."""
        pairs = []
        for key, title, table, extra in (
            ("sources", _("Medel per källa"), self.sources, [self.revenue_lines]),
            ("sources_by_year", _("Medel per källa och år"), self.sources_by_year, []),
            ("interventions", _("Insatsernas kostnader"), self.interventions, []),
            ("admin", _("Administrativa kostnader"), self.admin, [self.admin_share]),
        ):
            if table is not None:
                pairs.append(
                    ChartTable(
                        key,
                        self.charts.get(key, ""),
                        table,
                        self.notes.get(key, ""),
                        extra=[each for each in extra if each is not None],
                        title=title,
                    )
                )
        return pairs


def money_headings(*, used: bool = True, deviation: bool = False) -> list[str]:
    headings = [_("Budget"), _("Utfall")]
    if used:
        headings.append(_("Andel av budget"))
    headings.append(_("Prognos helår"))
    if deviation:
        headings.append(_("Avvikelse mot budget"))
    return headings


def _sources_table(rows: Sequence[LineFigures], year: int, period_label: str) -> SusTable:
    labels = source_labels()
    by_source: dict[str, list[Figures]] = defaultdict(list)
    for row in rows:
        if row.line.side == BudgetLine.Side.REVENUE:
            by_source[row.source].append(row.figures)
    totals = {source: actuals.total(by_source.get(source, [])) for source in SOURCES}
    everything = actuals.total(totals.values())
    lines = []
    for source in SOURCES:
        figures = totals[source]
        lines.append(
            Line(
                labels[source],
                [
                    *_money_cells(figures),
                    Figure(_share(figures.budget, everything.budget), "share"),
                ],
            )
        )
    lines.append(
        Line(
            _("Summa intäkter"),
            [*_money_cells(everything), Figure(1.0 if everything.budget else None, "share")],
            total=True,
        )
    )
    return SusTable(
        key="sources",
        title=_("Medel per källa %(year)s, tkr") % {"year": year},
        row_heading=_("Källa"),
        columns=[*money_headings(), _("Andel av intäkterna")],
        lines=lines,
        note=_(
            "Budget och prognos för helåret, utfall till och med %(period)s. Staten, region "
            "och kommuner: medlemsavgifterna efter medlemmens slag. ESF: bidrag som enligt "
            "namnet kommer från ESF. Övrigt: andra bidrag och intäkter."
        )
        % {"period": period_label},
        export_title=_("Medel per källa (kr)"),
    )


def _sources_by_year(association: Association, year: int) -> SusTable | None:
    """The budgeted funds per source for the years around `year` that a plan covers,
    each year from the budget it is followed up against."""
    labels = source_labels()
    covered = dict(actuals.plan_years(association=association))
    years = sorted(y for y in covered if year - MAX_YEARS + 1 <= y <= year + 2)[-MAX_YEARS:]
    if len(years) < 2:
        return None
    amounts: dict[tuple[str, int], int] = defaultdict(int)
    for each in years:
        plan = covered[each]
        budgets = actuals.budget_for_year(plan=plan, year=each)
        revenue = plan.lines.filter(side=BudgetLine.Side.REVENUE).values_list(
            "pk", "category", "name", "member__kind"
        )
        for pk, category, name, kind in revenue:
            source = revenue_source(category=category, name=name, member_kind=kind)
            amounts[(source, each)] += budgets.get(pk, 0)
    lines = [
        Line(labels[source], [Figure(amounts[(source, each)], "tkr") for each in years])
        for source in SOURCES
    ]
    lines.append(
        Line(
            _("Summa intäkter"),
            [Figure(sum(amounts[(source, each)] for source in SOURCES), "tkr") for each in years],
            total=True,
        )
    )
    return SusTable(
        key="sources_by_year",
        title=_("Budgeterade medel per källa och år, tkr"),
        row_heading=_("Källa"),
        columns=[str(each) for each in years],
        lines=lines,
        note=_("Varje år enligt den budget året följs upp mot."),
        export_title=_("Medel per källa och år (kr)"),
        highlight=str(year),
    )


def _revenue_lines(rows: Sequence[LineFigures], year: int) -> SusTable:
    labels = source_labels()
    grouped: dict[str, list[LineFigures]] = defaultdict(list)
    for row in rows:
        if row.line.side == BudgetLine.Side.REVENUE:
            grouped[row.source].append(row)
    width = len(money_headings())
    lines: list[Line] = []
    for source in SOURCES:
        if not grouped.get(source):
            continue
        lines.append(_section(labels[source], width))
        for row in grouped[source]:
            lines.append(Line(row.line.name, _money_cells(row.figures)))
    return SusTable(
        key="revenue_lines",
        title=_("Intäkterna rad för rad %(year)s, tkr") % {"year": year},
        row_heading=_("Intäkt"),
        columns=money_headings(),
        lines=lines,
        note=_("Budgetens intäktsrader under den källa de räknas till."),
        export_title=_("Intäktsrader (kr)"),
    )


def _touches_year(figures: Figures) -> bool:
    """A line with money in the year: budget, utfall or prognosis (an insats that has
    ended still sits in a multi-year plan with 0)."""
    return bool(figures.budget or figures.actual or figures.prognosis)


def _interventions_table(
    association: Association, plan: Plan, rows: Sequence[LineFigures], year: int, esf_budget: int
) -> SusTable:
    interventions = list(Intervention.objects.filter(association=association))
    by_name = {each.name.casefold(): each for each in interventions}
    by_pk = {each.pk: each for each in interventions}
    linked = dict(
        InterventionLine.objects.filter(association=association, line__plan=plan).values_list(
            "line_id", "intervention_id"
        )
    )
    esf: dict[str, list[Figures]] = defaultdict(list)
    plain: dict[str, list[Figures]] = defaultdict(list)
    unlinked: list[LineFigures] = []
    for row in rows:
        line = row.line
        if line.side != BudgetLine.Side.COST:
            continue
        intervention = by_pk.get(linked.get(line.pk, 0)) or by_name.get(
            line.intervention_name.casefold() if line.intervention_name else ""
        )
        if intervention is None and line.intervention_name:
            plain[line.intervention_name].append(row.figures)  # an insats only the plan names
        elif intervention is not None:
            (esf if intervention.esf_funded else plain)[intervention.name].append(row.figures)
        elif line.category in INSATS_CATEGORIES and _touches_year(row.figures):
            unlinked.append(row)
    width = len(money_headings(deviation=True))
    lines: list[Line] = []
    everything: list[Figures] = []
    for heading, groups, subtotal in (
        (_("Insatser utan ESF-medfinansiering"), plain, _("Summa utan ESF")),
        (_("ESF-medfinansierade insatser"), esf, _("Summa ESF-medfinansierade")),
    ):
        lines.append(_section(heading, width))
        group_figures = []
        for name in sorted(groups, key=str.casefold):
            figures = actuals.total(groups[name])
            if not _touches_year(figures):
                continue
            group_figures.append(figures)
            lines.append(Line(name, _money_cells(figures, deviation=True)))
        if not group_figures:
            lines.append(Line(_("Inga"), _blank(width)))
        subtotal_figures = actuals.total(group_figures)
        everything += group_figures
        lines.append(Line(subtotal, _money_cells(subtotal_figures, deviation=True), total=True))
    if unlinked:
        lines.append(_section(_("Övriga insatskostnader (inte knutna till en insats)"), width))
        for row in unlinked:
            lines.append(Line(row.line.name, _money_cells(row.figures, deviation=True)))
            everything.append(row.figures)
    lines.append(
        Line(
            _("Summa insatser"),
            _money_cells(actuals.total(everything), deviation=True),
            total=True,
        )
    )
    return SusTable(
        key="interventions",
        title=_("Insatsernas kostnader %(year)s, tkr") % {"year": year},
        row_heading=_("Insats"),
        columns=money_headings(deviation=True),
        lines=lines,
        note=_(
            "ESF-medfinansierad enligt insatsregistret. Budgeten anger ESF-medlen som en "
            "intäkt för hela förbundet (%(esf)s tkr %(year)s), inte hur stor del av varje "
            "insats ESF betalar; därför visas de ESF-medfinansierade insatserna för sig. "
            "Avvikelse: prognos − budget."
        )
        % {"esf": Figure(esf_budget, "tkr").text, "year": year},
        export_title=_("Insatsernas kostnader (kr)"),
    )


def _admin_tables(plan: Plan, rows: Sequence[LineFigures], year: int) -> tuple[SusTable, SusTable]:
    rules = actuals.plan_rules(plan=plan)
    labels = dict(BudgetLine.Category.choices)
    categories = [c for c in actuals.COST_CATEGORY_ORDER if c in rules.admin_categories]
    by_category: dict[str, list[Figures]] = defaultdict(list)
    costs: list[Figures] = []
    for row in rows:
        if row.line.side != BudgetLine.Side.COST:
            continue
        costs.append(row.figures)
        if row.line.category in rules.admin_categories:
            by_category[row.line.category].append(row.figures)
    lines = []
    admin_parts = []
    for category in categories:
        figures = actuals.total(by_category.get(category, []))
        admin_parts.append(figures)
        lines.append(Line(str(labels.get(category, category)), _money_cells(figures)))
    admin = actuals.total(admin_parts)
    all_costs = actuals.total(costs)
    lines.append(Line(_("Summa administration"), _money_cells(admin), total=True))
    lines.append(Line(_("Kostnader totalt"), _money_cells(all_costs)))
    amounts = SusTable(
        key="admin",
        title=_("Administrativa kostnader %(year)s, tkr") % {"year": year},
        row_heading=_("Kategori"),
        columns=money_headings(),
        lines=lines,
        note=_("Kategorier som räknas som administration enligt planens regler: %(list)s.")
        % {"list": ", ".join(str(labels.get(c, c)) for c in categories)},
        export_title=_("Administrativa kostnader (kr)"),
    )
    maximum = float(rules.admin_share_max)
    shares = SusTable(
        key="admin_share",
        title=_("Andel administration av kostnaderna %(year)s") % {"year": year},
        row_heading=_("Andel"),
        columns=[_("Budget"), _("Utfall"), _("Prognos helår"), _("Högsta andel enligt reglerna")],
        lines=[
            Line(
                _("Administration av kostnaderna"),
                [
                    Figure(_share(admin.budget, all_costs.budget), "share"),
                    Figure(_share(admin.actual, all_costs.actual), "share"),
                    Figure(_share(admin.prognosis, all_costs.prognosis), "share"),
                    Figure(maximum, "share"),
                ],
            )
        ],
        export_title=_("Andel administration"),
    )
    return amounts, shares


def costs_report(
    *, association: Association, year: int, period: Period, charts: bool = True
) -> CostsReport:
    """The cost report of the year to the end of the period (helår or one of the
    förbund's periods); `charts` False leaves the charts out (for the export)."""
    with scope(association=association):
        plan = actuals.plan_for_year(association=association, year=year)
        if plan is None:
            return CostsReport(association, year, period, None, None, False)
        rows, finance_period = line_figures(
            association=association, plan=plan, year=year, end_month=period.end_month or 12
        )
        rows = with_sources(plan, rows)
        sources = _sources_table(rows, year, period.label)
        esf_budget = next(
            (
                int(line.cells[0].value or 0)
                for line, source in zip(sources.lines, SOURCES, strict=False)
                if source == ESF
            ),
            0,
        )
        report = CostsReport(
            association=association,
            year=year,
            period=period,
            plan=plan,
            finance_period=finance_period,
            has_actuals=any(row.figures.actual is not None for row in rows),
            sources=sources,
            sources_by_year=_sources_by_year(association, year),
            revenue_lines=_revenue_lines(rows, year),
            interventions=_interventions_table(association, plan, rows, year, esf_budget),
            esf_budget=esf_budget,
        )
        report.admin, report.admin_share = _admin_tables(plan, rows, year)
    if charts:
        report.charts = _charts(report)
    report.notes = {
        "sources": _("Budget och utfall per källa."),
        "sources_by_year": _("Budgeterade medel per källa, år för år."),
        "interventions": _("Budget och utfall per insats."),
        "admin": _("Budget och utfall per administrativ kategori."),
    }
    return report


def _charts(report: CostsReport) -> dict[str, str]:
    result = {}
    names = [_("Budget"), _("Utfall")]
    if report.sources is not None:
        result["sources"] = charts.table_chart(
            report.sources,
            title=_("Medel per källa, tkr"),
            columns=[0, 1],
            names=names,
        )
    if report.sources_by_year is not None:
        table = report.sources_by_year
        result["sources_by_year"] = charts.columns_chart(
            table,
            title=table.title,
            line_indices=range(len(SOURCES)),
            columns=range(len(table.columns)),
        )
    if report.interventions is not None:
        lines = [
            line
            for line in report.interventions.lines
            if not line.total
            and not getattr(line, "section", False)
            and line.cells[0].kind != "blank"
        ]
        result["interventions"] = charts.table_chart(
            report.interventions,
            title=_("Insatsernas kostnader, tkr"),
            columns=[0, 1],
            names=names,
            lines=lines,
            horizontal=True,
        )
    if report.admin is not None:
        result["admin"] = charts.table_chart(
            report.admin,
            title=_("Administrativa kostnader, tkr"),
            columns=[0, 1],
            names=names,
            lines=report.admin.lines[:-2],  # the categories, not the sums
        )
    return result


def cost_years(association: Association) -> list[int]:
    """The years some plan covers, newest first."""
    with scope(association=association):
        return [year for year, _plan in actuals.plan_years(association=association)]
