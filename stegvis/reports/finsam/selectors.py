"""The figures Uppföljning Finsam asks for, read from the apps that hold them.

* The budget the year is followed up against (`finance.actuals.plan_for_year`): the
  members' contributions of the year (`finance.selectors.contribution_table`), the
  opening equity and the budget's closing equity, the administrative costs (the
  categories the plan's rules count as administration).
* The follow-up (`finance.actuals.followup`) to the end of the latest period with an
  actual (helår once it is recorded): the actual administrative costs, each insats's
  actual, and the closing equity (actual at helår, otherwise the prognosis).
* The insatser granted for the year (`interventions.selectors.intervention_rows`). An
  insats's money is its cost lines in that budget: the lines linked to it, and a line
  that names it (`intervention_name`) without being linked to any insats.
* Participants by kön: the participant report's counts (`participants.report`),
  suppressed below the förbund's minimum cell size with complementary suppression
  across the insatser and their sum (`participants.suppression`), the sum pinned to
  what the förbund's own participant report shows. A structural insats's participants
  are those of its activities in Samverkan (staff of the members, not people followed
  up), shown as they are.

Whatever the register needs that Stegvis lacks or that is not filled in is listed in
`FinsamExport.missing`.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.finance import actuals, budget
from stegvis.finance import selectors as finance_selectors
from stegvis.finance.models import Actual, BudgetAmount, Plan, ReportingPeriod
from stegvis.interventions import selectors as intervention_selectors
from stegvis.interventions.models import Intervention, Kind
from stegvis.interventions.selectors import cost_lines_of_interventions
from stegvis.participants.report import TOTAL, association_min_cell, suppress_report, year_counts
from stegvis.participants.suppression import hide_small, suppress, table_groups
from stegvis.participants.vocabulary import GENDERS, Gender

SUM = "sum"  # the key of the sum row when participants by kön are suppressed
PARTICIPANT_COLUMNS = [*GENDERS, TOTAL]
GRANTED = {
    Intervention.Status.GRANTED,
    Intervention.Status.ONGOING,
    Intervention.Status.CLOSED,
}

Missing = tuple[str, str]  # (what, what to do)
Cell = tuple[Hashable, Hashable]  # (insats id or SUM, kön or TOTAL)


@dataclass(frozen=True)
class Fund:
    """A member's allocated funds (tilldelade medel) for the year."""

    member: str
    kind: str
    kind_label: str
    amount: int | None


@dataclass
class FinsamIntervention:
    intervention: Intervention
    name: str
    kind: str
    kind_label: str
    focus: str
    target_group: str
    esf_funded: bool
    owner: str
    start: datetime.date | None
    end: datetime.date | None
    budget: int | None  # None: no cost line of the year's budget carries the insats
    actual: int | None  # None: no actual recorded on its lines
    planned: int | None  # budgeted participants; None when not entered
    # kvinna, man, ej angivet, total; None where hidden. Structural: only the total.
    participants: dict[str, int | None]
    activities: int = 0  # structural: activities held for it in the year

    @property
    def is_structural(self) -> bool:
        return self.kind == Kind.STRUCTURAL


@dataclass(frozen=True)
class Hidden:
    """A participant count not shown, and why."""

    where: str  # the insats, or the sum row
    column: str
    reason: str


@dataclass
class FinsamExport:
    association: Association
    year: int
    made: datetime.date
    plan: Plan | None
    period: ReportingPeriod | None  # the follow-up the actuals come from
    actuals_complete: bool  # helår, with an actual on every line of the budget
    funds: list[Fund]
    funds_total: int | None
    opening_equity: int | None
    closing_equity_budget: int | None
    closing_equity: int | None  # actual when complete, otherwise the prognosis
    admin_budget: int | None
    admin_actual: int | None
    admin_categories: str
    interventions: list[FinsamIntervention]
    budget_total: int | None
    actual_total: int | None
    planned_total: int | None
    participants_total: dict[str, int | None]  # the individual insatser's sum by kön
    min_cell: int
    hidden: list[Hidden] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.plan is None and not self.interventions

    @property
    def period_name(self) -> str:
        return str(self.period.name) if self.period is not None else ""

    @property
    def whole_year(self) -> bool:
        """The actuals are the year's (helår), not those of an earlier period."""
        return self.period is None or self.period.end_month == actuals.MONTHS


def finsam_export(
    *, association: Association, year: int, today: datetime.date | None = None
) -> FinsamExport:
    """The year's figures for Uppföljning Finsam, suppressed, with what is missing."""
    made = today or timezone.localdate()
    with scope(association=association):
        finance = _finance(association, year)
        rows = [
            row
            for row in intervention_selectors.intervention_rows(association=association, year=year)
            if row.status in GRANTED
        ]
        budgets, spent = _money(finance, [row.intervention for row in rows], year)
        min_cell = association_min_cell(association)
        by_kon = _participants_by_kon(
            association, year, [row.intervention.pk for row in rows if row.kind != Kind.STRUCTURAL]
        )
        shown = by_kon.suppressed(min_cell)
        hidden: list[Hidden] = []
        items: list[FinsamIntervention] = []
        for row in rows:
            pk = row.intervention.pk
            activities = 0
            if row.kind == Kind.STRUCTURAL:
                activities, count = _structural_participants(association, year, pk)
                participants: dict[str, int | None] = {TOTAL: count}
            else:
                participants = {column: shown[(pk, column)] for column in PARTICIPANT_COLUMNS}
                hidden += by_kon.hidden(shown, pk, row.name, min_cell)
            items.append(
                FinsamIntervention(
                    intervention=row.intervention,
                    name=row.name,
                    kind=row.kind,
                    kind_label=row.kind_label,
                    focus=row.intervention.focus,
                    target_group=row.target_group,
                    esf_funded=row.esf_funded,
                    owner=row.owner,
                    start=row.start,
                    end=row.end,
                    budget=budgets.get(pk),
                    actual=spent.get(pk),
                    planned=row.planned_by_year.get(year),
                    participants=participants,
                    activities=activities,
                )
            )
    if by_kon.rows:
        hidden += by_kon.hidden(shown, SUM, _("Summa"), min_cell)
    missing = finance.missing + _missing_for_interventions(
        items, year, has_plan=finance.plan is not None, has_actuals=finance.period is not None
    )
    if not items:
        missing.append(
            (
                _("Insatser"),
                _("Förbundet har inga beviljade insatser för %(year)s i Stegvis.") % {"year": year},
            )
        )
    return FinsamExport(
        association=association,
        year=year,
        made=made,
        plan=finance.plan,
        period=finance.period,
        actuals_complete=finance.complete,
        funds=finance.funds,
        funds_total=finance.funds_total,
        opening_equity=finance.opening,
        closing_equity_budget=finance.closing_budget,
        closing_equity=finance.closing,
        admin_budget=finance.admin_budget,
        admin_actual=finance.admin_actual,
        admin_categories=finance.admin_text,
        interventions=items,
        budget_total=_sum_known(item.budget for item in items),
        actual_total=_sum_known(item.actual for item in items),
        planned_total=_sum_known(item.planned for item in items),
        participants_total={column: shown.get((SUM, column), 0) for column in PARTICIPANT_COLUMNS},
        min_cell=min_cell,
        hidden=hidden,
        missing=missing,
    )


def _sum_known(values: Iterable[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


# ---------------------------------------------------------------------------
# The förbund's money


@dataclass
class _Finance:
    plan: Plan | None = None
    funds: list[Fund] = field(default_factory=list)
    funds_total: int | None = None
    opening: int | None = None
    closing_budget: int | None = None
    closing: int | None = None
    admin_budget: int | None = None
    admin_actual: int | None = None
    admin_text: str = ""
    period: ReportingPeriod | None = None
    complete: bool = False
    actual_by_line: dict[int, int] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)


def _latest_period(plan: Plan, year: int) -> ReportingPeriod | None:
    """The latest period of the year with an actual on any line of the plan."""
    recorded = set(
        Actual.objects.filter(line__plan=plan, year=year).values_list("period_id", flat=True)
    )
    found = [p for p in actuals.periods(association=plan.association) if p.pk in recorded]
    return found[-1] if found else None


def _finance(association: Association, year: int) -> _Finance:
    plan = actuals.plan_for_year(association=association, year=year)
    if plan is None:
        return _Finance(
            missing=[
                (
                    _("Budget"),
                    _(
                        "Det finns ingen budget för %(year)s i Stegvis: tilldelade medel, eget "
                        "kapital och administrativa kostnader kan inte tas fram. Lägg in "
                        "budgeten under Ekonomi, eller fyll i uppgifterna själv."
                    )
                    % {"year": year},
                )
            ]
        )
    result = _Finance(plan=plan)
    data = finance_selectors.plan_data(plan)
    contributions = finance_selectors.contribution_table(plan, data)
    index = contributions.years.index(year)
    result.funds = [
        Fund(row.label, row.kind, row.kind_label, row.cells[index].amount)
        for row in contributions.members
    ]
    if result.funds:
        result.funds_total = sum(fund.amount or 0 for fund in result.funds)
    else:
        result.missing.append(
            (
                _("Tilldelade medel"),
                _("Budgeten %(plan)s har inga medlemsavgifter för %(year)s.")
                % {"plan": plan, "year": year},
            )
        )
    rules = data.rules
    result.admin_text = finance_selectors.admin_categories_text(rules)
    planned = next(
        f for f in budget.year_figures(finance_selectors.budget_of(data)) if f.year == year
    )
    result.opening = planned.opening_equity
    result.closing_budget = planned.closing_equity
    result.admin_budget = sum(
        amount
        for category, amount in planned.costs_by_category.items()
        if category in rules.admin_categories
    )
    result.period = _latest_period(plan, year)
    if result.period is None:
        result.missing.append(
            (
                _("Utfall"),
                _(
                    "Inget utfall är registrerat för %(year)s: administrativa kostnader, "
                    "insatsernas utfall och utgående eget kapital saknas. Registrera "
                    "utfallet under Ekonomi → Utfall."
                )
                % {"year": year},
            )
        )
        return result
    followup = actuals.followup(plan=plan, year=year, period=result.period)
    whole_year = result.period.end_month == actuals.MONTHS
    result.complete = whole_year and followup.missing == 0
    result.closing = followup.closing_prognosis
    admin = [
        group.total.actual
        for group in followup.cost_groups
        if group.key in rules.admin_categories and group.total.actual is not None
    ]
    result.admin_actual = sum(admin) if admin else None
    result.actual_by_line = {
        row.line.pk: row.figures.actual for row in followup.rows if row.figures.actual is not None
    }
    if not whole_year:
        result.missing.append(
            (
                _("Utfall"),
                _(
                    "Utfallet gäller till och med %(period)s; helårsutfallet är inte "
                    "registrerat. Utgående eget kapital är en prognos."
                )
                % {"period": result.period.name},
            )
        )
    elif not result.complete:
        result.missing.append(
            (
                _("Utfall"),
                _(
                    "%(count)s av budgetens %(lines)s rader saknar helårsutfall; utgående "
                    "eget kapital räknar med prognosen för dem."
                )
                % {"count": followup.missing, "lines": followup.lines},
            )
        )
    return result


def _money(
    finance: _Finance, interventions: Sequence[Intervention], year: int
) -> tuple[dict[int, int], dict[int, int]]:
    """Insats id → the year's budget, and → its actual (only insatser that have one)."""
    if finance.plan is None or not interventions:
        return {}, {}
    lines = cost_lines_of_interventions(finance.plan, interventions)
    budgets: dict[int, int] = {}
    for line_id, amount in BudgetAmount.objects.filter(
        line_id__in=list(lines), year=year
    ).values_list("line_id", "amount"):
        budgets[lines[line_id]] = budgets.get(lines[line_id], 0) + amount
    spent: dict[int, int] = {}
    for line_id, amount in finance.actual_by_line.items():
        if line_id in lines:
            spent[lines[line_id]] = spent.get(lines[line_id], 0) + amount
    return budgets, spent


# ---------------------------------------------------------------------------
# Participants


@dataclass
class _ByKon:
    """Participants of the year by kön per individual insats (raw), with their sum, and
    the cells of the förbund's participant report that the sum is pinned to."""

    rows: list[int]
    cells: dict[Cell, int]
    pinned_hidden: list[Cell]
    pinned_shown: list[Cell]

    def suppressed(self, min_cell: int) -> dict[Cell, int | None]:
        if not self.rows:
            return {}
        return suppress(
            self.cells,
            table_groups(self.rows, GENDERS, total_column=TOTAL, total_row=SUM),
            min_cell,
            hidden=self.pinned_hidden,
            keep=self.pinned_shown,
        )

    def hidden(
        self, shown: dict[Cell, int | None], row: Hashable, label: str, min_cell: int
    ) -> list[Hidden]:
        found = []
        for column in PARTICIPANT_COLUMNS:
            if shown[(row, column)] is None:
                small = hide_small(self.cells[(row, column)], min_cell) is None
                found.append(Hidden(label, _gender_label(column), _reason(small, min_cell)))
        return found


def _gender_label(code: str) -> str:
    return str(Gender(code).label) if code != TOTAL else _("Totalt")


def _reason(small: bool, min_cell: int) -> str:
    if small:
        return _("färre än %(k)s deltagare") % {"k": min_cell}
    return _("dold så att ett dolt antal inte kan räknas fram ur summorna")


def _participants_by_kon(association: Association, year: int, ids: list[int]) -> _ByKon:
    cells: dict[Cell, int] = {(SUM, gender): 0 for gender in GENDERS}
    for intervention in Intervention.objects.filter(association=association, pk__in=ids):
        counts = year_counts(association=association, year=year, intervention=intervention)
        row = counts.counts["participants"]
        for gender in GENDERS:
            cells[(intervention.pk, gender)] = row[gender]
            cells[(SUM, gender)] += row[gender]
        cells[(intervention.pk, TOTAL)] = sum(row.values())
    cells[(SUM, TOTAL)] = sum(cells[(SUM, gender)] for gender in GENDERS)
    # When every participant of the year is in an insats listed here, the sum row is
    # the förbund's own participant report's row: it is hidden and shown as there, so
    # that the two cannot be combined to reveal a hidden count.
    pinned_hidden: list[Cell] = []
    pinned_shown: list[Cell] = []
    if ids:
        whole = suppress_report(
            year_counts(association=association, year=year), association_min_cell(association)
        )
        if all(whole.raw.counts["participants"][g] == cells[(SUM, g)] for g in GENDERS):
            for column in PARTICIPANT_COLUMNS:
                pinned = (
                    pinned_hidden if whole.counts["participants"][column] is None else pinned_shown
                )
                pinned.append((SUM, column))
    return _ByKon(rows=ids, cells=cells, pinned_hidden=pinned_hidden, pinned_shown=pinned_shown)


def _structural_participants(association: Association, year: int, pk: int) -> tuple[int, int]:
    """Activities held for the insats in the year, and their participants (Samverkan)."""
    from stegvis.structural import selectors as structural

    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        structural.activity_count(
            association=association, start=first, end=last, intervention_id=pk
        ),
        structural.activity_participants(
            association=association, start=first, end=last, intervention_id=pk
        ),
    )


def _missing_for_interventions(
    items: Sequence[FinsamIntervention], year: int, *, has_plan: bool, has_actuals: bool
) -> list[Missing]:
    missing: list[Missing] = []
    for item in items:
        if has_plan and item.budget is None:
            missing.append(
                (
                    item.name,
                    _(
                        "Ingen budget för %(year)s: ingen kostnadsrad i budgeten hör till "
                        "insatsen. Koppla den genom ett beslut, eller fyll i budgeten."
                    )
                    % {"year": year},
                )
            )
        if has_actuals and item.budget is not None and item.actual is None:
            missing.append((item.name, _("Inget utfall registrerat på insatsens budgetrad.")))
        if not item.target_group:
            missing.append((item.name, _("Ingen målgrupp angiven: välj den på insatsen.")))
        if not item.focus:
            missing.append((item.name, _("Ingen preciserad inriktning beskriven på insatsen.")))
        if item.planned is None:
            missing.append(
                (
                    item.name,
                    _("Budgeterat antal deltagare för %(year)s är inte angivet på insatsen.")
                    % {"year": year},
                )
            )
        if item.is_structural and not item.activities:
            missing.append(
                (
                    item.name,
                    _(
                        "Inga aktiviteter för insatsen under %(year)s i Samverkan: antalet "
                        "deltagare är 0 tills de registreras."
                    )
                    % {"year": year},
                )
            )
    return missing
