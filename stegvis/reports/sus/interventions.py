"""The insats report: chosen variables over a chosen period for chosen insatser side by
side, and the same period in earlier years.

Every participant variable is a metric of the goal map, computed by
`goals.metrics.metric_compute` with the period and the `intervention` filter — one code
path with the goal map, so an insats's figure here is its mätpunkt's figure there.
Each variable is computed for every insats of the förbund and for all of them
together; the counts behind it (a count, or a share's numerator and denominator) add
up over the insatser, so they are suppressed as a group (complementary) below the
förbund's minimum cell size before anything is shown — whichever insatser are chosen,
a figure is hidden or shown the same way.

Money comes from the budget the year is followed up against (`finance.actuals
.plan_for_year`): the cost lines of an insats (linked by a board decision, or naming
it). The budget for a period is the year's budget pro rata (whole months in twelfths,
other days in days of the year); utfall exists only to the end of one of the förbund's
follow-up periods (jan–apr, jan–aug, helår), as recorded. Per deltagare: the amount
divided by the participants of the period (all kön), shown only when that count is;
for all insatser together, over the insatser that have the amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.finance import actuals
from stegvis.finance.models import ReportingPeriod
from stegvis.goals import metrics
from stegvis.goals.periods import Period
from stegvis.interventions.models import Intervention
from stegvis.interventions.selectors import cost_lines_of_interventions
from stegvis.participants.selectors_report import Cell, Line
from stegvis.participants.suppression import hide_small, share, suppress, suppress_mean
from stegvis.participants.vocabulary import OUTCOMES, Gender, Outcome
from stegvis.reports.sus import charts
from stegvis.reports.sus.common import (
    ChartTable,
    Figure,
    SusTable,
    budget_fraction,
    compared_periods,
    period_years,
    round_kronor,
)

TOTAL = None  # the column of all the förbund's insatser together

# Units of a variable: count, share, amount (kr, shown in tkr), per_participant (kr).
COUNT, SHARE, AMOUNT, PER_PARTICIPANT = "count", "share", "amount", "per_participant"
BUDGET, ACTUALS = "budget", "utfall"


@dataclass(frozen=True)
class Variable:
    key: str  # as the query names it
    label: str
    unit: str
    metric: str = ""  # a goals.metrics code; "" for money
    params: tuple[tuple[str, str], ...] = ()
    money: str = ""  # BUDGET or ACTUALS for the money variables

    @property
    def kind(self) -> str:
        """The kind of its cells."""
        return {COUNT: "count", SHARE: "share", AMOUNT: "tkr", PER_PARTICIPANT: "kr"}[self.unit]

    @property
    def participant_based(self) -> bool:
        return bool(self.metric)


def variables_for(association: Association) -> list[Variable]:
    """Every variable the förbund's report offers: the participant metrics, one
    share per avslutsorsak, the survey questions and screenings it has, and money."""
    from stegvis.instruments.models import Instrument, InstrumentQuestion

    found = [
        Variable("deltagare", _("Deltagare under perioden"), COUNT, metrics.PARTICIPANTS),
        Variable("paborjade", _("Påbörjade under perioden"), COUNT, metrics.STARTED),
        Variable("avslutade", _("Avslutade under perioden"), COUNT, metrics.EXITED),
        Variable(
            "stegforflyttning",
            _("Andel avslutade med stegförflyttning"),
            SHARE,
            metrics.STEP_PROGRESS,
        ),
    ]
    for code in OUTCOMES:
        found.append(
            Variable(
                f"avslut-{slugify(code)}",
                _("Andel avslutade till %(outcome)s")
                % {"outcome": str(Outcome(code).label).lower()},
                SHARE,
                metrics.EXIT_OUTCOME,
                (("outcome", code),),
            )
        )
    found.append(
        Variable(
            "overlamning", _("Andel avslutade med planerad överlämning"), SHARE, metrics.HANDOVER
        )
    )
    with scope(association=association):
        questions = list(
            InstrumentQuestion.objects.filter(
                association=association,
                instrument__kind=Instrument.Kind.SURVEY,
                instrument__agree_from__isnull=False,
            )
            .select_related("instrument")
            .order_by("instrument__name", "order", "pk")
        )
        screenings = list(
            Instrument.objects.filter(
                association=association, kind=Instrument.Kind.SCREENING
            ).order_by("name")
        )
    seen: set[str] = set()
    for question in questions:
        code = question.code or question.short_label
        if not code or slugify(code) in seen:
            continue  # the metric finds a question by its code or short name
        seen.add(slugify(code))
        found.append(
            Variable(
                f"enkat-{question.pk}",
                _("Instämmer: %(question)s") % {"question": question.short_label or question.text},
                SHARE,
                metrics.SURVEY,
                (("question", code),),
            )
        )
    for instrument in screenings:
        found.append(
            Variable(
                f"screening-{instrument.pk}",
                _("Screenade: %(instrument)s") % {"instrument": instrument.name},
                SHARE,
                metrics.SCREENING,
                (("instrument", instrument.code or instrument.name),),
            )
        )
    found += [
        Variable("budget", _("Budget för perioden"), AMOUNT, money=BUDGET),
        Variable("utfall", _("Utfall för perioden"), AMOUNT, money=ACTUALS),
        Variable("budget-per-deltagare", _("Budget per deltagare"), PER_PARTICIPANT, money=BUDGET),
        Variable("utfall-per-deltagare", _("Utfall per deltagare"), PER_PARTICIPANT, money=ACTUALS),
    ]
    return found


DEFAULT_VARIABLES = (
    "deltagare",
    "paborjade",
    "avslutade",
    "stegforflyttning",
    "budget",
    "budget-per-deltagare",
)


# ---------------------------------------------------------------------------
# Money of the insatser


@dataclass
class Money:
    """Budget and utfall of each insats for a period (None: nothing to show)."""

    budget: dict[int, int | None]
    actuals: dict[int, int | None]
    notes: list[str] = field(default_factory=list)

    def of(self, which: str, iid: int | None) -> int | None:
        amounts = self.budget if which == BUDGET else self.actuals
        if iid is not TOTAL:
            return amounts.get(iid)
        known = [amount for amount in amounts.values() if amount is not None]
        return sum(known) if known else None


def insats_lines(
    *, association: Association, plan: Any, interventions: Sequence[Intervention]
) -> dict[int, set[int]]:
    """insats id → the ids of the plan's cost lines that carry it (see
    `interventions.selectors.cost_lines_of_interventions`)."""
    result: dict[int, set[int]] = defaultdict(set)
    for line_id, iid in cost_lines_of_interventions(plan, interventions).items():
        result[iid].add(line_id)
    return result


def insats_money(
    *, association: Association, period: Period, interventions: Sequence[Intervention]
) -> Money:
    budget: dict[int, Fraction | None] = dict.fromkeys((each.pk for each in interventions), None)
    recorded: dict[int, int | None] = dict.fromkeys((each.pk for each in interventions), None)
    notes: list[str] = []
    with scope(association=association):
        for year in period_years(period):
            plan = actuals.plan_for_year(association=association, year=year)
            if plan is None:
                notes.append(_("Det finns ingen budget för %(year)s.") % {"year": year})
                continue
            lines = insats_lines(association=association, plan=plan, interventions=interventions)
            amounts = actuals.budget_for_year(plan=plan, year=year)
            fraction = budget_fraction(period, year)
            for iid, line_ids in lines.items():
                if not line_ids:
                    continue
                year_amount = sum(amounts.get(line_id, 0) for line_id in line_ids)
                budget[iid] = (budget[iid] or Fraction(0)) + year_amount * fraction
            month = period.end_month
            if month is None:
                continue
            finance_period = ReportingPeriod.objects.filter(
                association=association, end_month=month
            ).first()
            if finance_period is None:
                continue
            done = actuals.actuals_for(plan=plan, year=year, period=finance_period)
            for iid, line_ids in lines.items():
                found = [done[line_id] for line_id in line_ids if line_id in done]
                if found:
                    recorded[iid] = sum(found)
    if period.end_month is None:
        notes.append(
            _(
                "Utfall finns från januari till slutet av en uppföljningsperiod (t.ex. jan–apr, "
                "jan–aug, helår), inte för egna datum."
            )
        )
    return Money(
        budget={
            iid: None if value is None else round_kronor(value) for iid, value in budget.items()
        },
        actuals=recorded,
        notes=notes,
    )


# ---------------------------------------------------------------------------
# One period


Values = dict[tuple[str, int | None], Figure]


def period_values(
    *,
    association: Association,
    period: Period,
    variables: Sequence[Variable],
    interventions: Sequence[Intervention],
    gender: str | None,
    min_cell: int,
) -> tuple[Values, list[str]]:
    """Every chosen variable for every insats of the förbund and for all together,
    suppressed: {(variable key, insats id or None): cell}, and notes."""
    with scope(association=association):
        counts = metrics.participant_counts(association=association, period=period)
    names = {each.name: each.pk for each in interventions}
    columns: list[int | None] = [each.pk for each in interventions] + [TOTAL]
    notes: list[str] = []
    values: Values = {}

    # Participants of each column (all kön): the base of the amounts per deltagare.
    participants = {iid: counts.total(counts.enrolled, iid, None) for iid in columns}
    shown_participants = suppress(participants, [list(columns)], min_cell)

    for variable in variables:
        if not variable.metric:
            continue
        results = {}
        for iid, name in [*((each.pk, each.name) for each in interventions), (TOTAL, "")]:
            params = dict(variable.params)
            if name:
                params["intervention"] = name
            if gender:
                params["gender"] = gender
            results[iid] = metrics.metric_compute(
                association=association,
                metric=variable.metric,
                params=params,
                period=period,
                counts=counts,
                interventions=names,
            )
        reasons = {
            result.reason for result in results.values() if not result.measurable and result.reason
        }
        if variable.unit == COUNT:
            cells = {iid: int(result.numerator or 0) for iid, result in results.items()}
            shown = suppress(cells, [list(columns)], min_cell)
            for iid in columns:
                values[(variable.key, iid)] = Figure(shown[iid])
            continue
        numerators = {("n", iid): int(result.numerator or 0) for iid, result in results.items()}
        denominators = {("d", iid): int(result.denominator or 0) for iid, result in results.items()}
        shown_parts = suppress(
            {**numerators, **denominators},
            [[("n", iid) for iid in columns], [("d", iid) for iid in columns]],
            min_cell,
        )
        for iid in columns:
            value = share(shown_parts[("n", iid)], shown_parts[("d", iid)], min_cell)
            values[(variable.key, iid)] = Figure(value, "share")
        if all(not result.measurable for result in results.values()) and reasons:
            notes.append(f"{variable.label}: {' '.join(sorted(reasons))}")

    money_variables = [variable for variable in variables if variable.money]
    if money_variables:
        money = insats_money(association=association, period=period, interventions=interventions)
        notes += money.notes
        for variable in money_variables:
            for iid in columns:
                amount = money.of(variable.money, iid)
                if variable.unit == AMOUNT:
                    values[(variable.key, iid)] = Figure(amount, "tkr")
                    continue
                # All insatser together: over the insatser that have the amount.
                base = participants[iid]
                shown_base = shown_participants[iid]
                if iid is TOTAL:
                    known = [
                        each.pk
                        for each in interventions
                        if money.of(variable.money, each.pk) is not None
                    ]
                    base = sum(participants[each] for each in known)
                    shown_base = hide_small(base, min_cell)
                per_person = None if amount is None or not base else amount / base
                values[(variable.key, iid)] = Figure(
                    suppress_mean(per_person, shown_base, min_cell), "kr"
                )
    return values, list(dict.fromkeys(notes))


# ---------------------------------------------------------------------------
# The report


@dataclass
class YearComparison:
    variable: Variable
    table: SusTable
    svg: str


@dataclass
class InterventionsReport:
    association: Association
    period: Period
    periods: list[Period]  # compared, oldest first; the chosen one last
    interventions: list[Intervention]
    variables: list[Variable]
    gender: str | None
    min_cell: int
    table: SusTable
    charts: list[ChartTable]
    years: list[YearComparison]
    notes: list[str]

    @property
    def empty(self) -> bool:
        return not self.interventions or not self.variables

    @property
    def gender_label(self) -> str:
        return str(Gender(self.gender).label) if self.gender else _("Alla")

    @property
    def tables(self) -> list[SusTable]:
        return [self.table, *(each.table for each in self.years)]

    @property
    def suppressed(self) -> bool:
        return any(table.has_hidden for table in self.tables)


def _all_label() -> str:
    return _("Alla insatser")


def _change(first: Cell, last: Cell, unit: str) -> Figure:
    if first.value is None or last.value is None:
        return Figure(None, "blank" if unit in (AMOUNT, PER_PARTICIPANT) else "change")
    difference = float(last.value) - float(first.value)
    if unit == SHARE:
        return Figure(round(difference, 4), "points")
    if unit == AMOUNT:
        return Figure(int(difference), "tkr")
    if unit == PER_PARTICIPANT:
        return Figure(difference, "kr")
    return Figure(int(difference), "change")


def interventions_report(
    *,
    association: Association,
    period: Period,
    chosen: Sequence[Intervention],
    variables: Sequence[Variable],
    gender: str | None,
    min_cell: int,
    earlier_years: int,
    draw: bool = True,
) -> InterventionsReport:
    """The chosen variables for the chosen insatser over the period and the same period
    of `earlier_years` earlier years, suppressed at `min_cell`; `draw` False leaves the
    charts out (for the export)."""
    with scope(association=association):
        everyone = list(Intervention.objects.filter(association=association).order_by("name"))
    periods = compared_periods(period, earlier_years)
    by_period: dict[Period, Values] = {}
    notes: list[str] = []
    for each in periods:
        values, found = period_values(
            association=association,
            period=each,
            variables=variables,
            interventions=everyone,
            gender=gender,
            min_cell=min_cell,
        )
        by_period[each] = values
        if each == period:
            notes = found
    current = by_period[period]
    columns: list[int | None] = [each.pk for each in chosen] + [TOTAL]
    headings = [each.name for each in chosen] + [_all_label()]
    kinds = [variable.unit for variable in variables]

    table = SusTable(
        key="variables",
        title=_("Insatserna sida vid sida: %(period)s") % {"period": period.label},
        row_heading=_("Variabel"),
        columns=headings,
        lines=[
            Line(variable.label, [current[(variable.key, iid)] for iid in columns])
            for variable in variables
        ],
        note=_(
            "Belopp i tkr, per deltagare i kr. Alla insatser: förbundets alla insatser "
            "tillsammans, också de som inte är valda."
        ),
        export_title=_("Insatserna sida vid sida"),
    )

    chart_tables: list[ChartTable] = []
    chosen_columns = list(range(len(chosen)))
    for unit, title, caption in (
        (COUNT, _("Antal deltagare"), _("Antal per insats.")),
        (SHARE, _("Andelar"), _("Andelar per insats och för alla insatser.")),
        (AMOUNT, _("Budget och utfall, tkr"), _("Belopp per insats i tkr.")),
        (PER_PARTICIPANT, _("Per deltagare, kr"), _("Belopp per deltagare i kronor.")),
    ):
        rows = [index for index, each in enumerate(kinds) if each == unit]
        if not rows or not chosen or not draw:
            continue
        shown_columns = chosen_columns + ([len(chosen)] if unit in (SHARE, PER_PARTICIPANT) else [])
        chart_tables.append(
            ChartTable(
                unit,
                charts.columns_chart(
                    table,
                    title=title,
                    line_indices=rows,
                    columns=shown_columns,
                    percent=unit == SHARE,
                    horizontal=len(shown_columns) > 4,
                ),
                table,
                caption,
                title=title,
            )
        )

    years: list[YearComparison] = []
    if len(periods) > 1:
        for variable in variables:
            lines = []
            for iid, heading in zip(columns, headings, strict=True):
                cells: list[Cell] = [by_period[each][(variable.key, iid)] for each in periods]
                cells.append(_change(cells[-2], cells[-1], variable.unit))
                lines.append(Line(heading, cells, total=iid is TOTAL))
            year_table = SusTable(
                key=f"years-{variable.key}",
                title=variable.label,
                row_heading=_("Insats"),
                columns=[each.label for each in periods] + [_("Förändring mot föregående år")],
                lines=lines,
                note=(
                    _("Förändring i procentenheter (p.e.).")
                    if variable.unit == SHARE
                    else (_("Belopp i tkr.") if variable.unit == AMOUNT else "")
                ),
                export_title=_("%(variable)s per år") % {"variable": variable.label},
            )
            show_total = variable.unit in (SHARE, PER_PARTICIPANT)
            chart_lines = [line for line in lines if show_total or not line.total]
            years.append(
                YearComparison(
                    variable,
                    year_table,
                    charts.table_chart(
                        year_table,
                        title=variable.label,
                        columns=range(len(periods)),
                        lines=chart_lines,
                        percent=variable.unit == SHARE,
                        horizontal=len(chart_lines) > 3,
                    )
                    if draw
                    else "",
                )
            )
    return InterventionsReport(
        association=association,
        period=period,
        periods=periods,
        interventions=list(chosen),
        variables=list(variables),
        gender=gender,
        min_cell=min_cell,
        table=table,
        charts=chart_tables,
        years=years,
        notes=notes,
    )
