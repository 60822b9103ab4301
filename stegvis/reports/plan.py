"""The verksamhetsplan of a year as one document (DOMAIN.md §8, issue 7).

`plan_report` gathers what the seed plans hold, each part from the selector that
owns it, so the document can never disagree with the pages:

* the förbundschef's texts (inledning, uppdrag, organisation, målgrupp, vision,
  övrigt) from `reports.models.PlanText`, and the board from the förbund's groups;
* members and contributions: `finance.selectors.plan_members`, `contribution_table`;
* the goal map of the year with its targets (`goals.selectors.goal_map_for`, each
  indicator's target of the year as the goal map writes it: `target_text`,
  `evaluation.target_for`); a plan shows targets, so no value is computed;
* the insatser with their mätpunkter: the plan's insatser as the plan file holds
  them (`finance.selectors.plan_document`), the förbund's granted insatser
  (`interventions.selectors.intervention_rows`) and their mätpunkter
  (`interventions.models.Target`), each insats's budget from the plan's cost lines;
* the multi-year budget with its findings and chart: `finance.selectors.budget_table`
  and `finance.charts.budget_chart_svg`.

The budget is the plan the year is followed up against
(`finance.actuals.selectors.plan_for_year`). A part whose data is missing is left out
and named in `notes`; a förbund with nothing at all gets a document that says so.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association, Member, Seat, WorkingGroup
from stegvis.associations.selectors import working_groups
from stegvis.finance import charts
from stegvis.finance import selectors as finance
from stegvis.finance.actuals.selectors import plan_for_year
from stegvis.finance.models import BudgetLine, Plan
from stegvis.goals import selectors as goals
from stegvis.goals.evaluation import format_target, target_for
from stegvis.goals.metrics import metric_label, metric_unit
from stegvis.goals.models import Goal, GoalMap, Indicator, IndicatorTarget
from stegvis.interventions import selectors as interventions
from stegvis.interventions.models import Intervention, Kind, Target
from stegvis.reports.models import PlanSection, PlanText
from stegvis.reports.pdf import Section, render_pdf

# Insatser that are money in the plan: granted, running or closed in the year.
FUNDED = {
    Intervention.Status.GRANTED,
    Intervention.Status.ONGOING,
    Intervention.Status.CLOSED,
}
# The budget table is laid on a landscape page when it has more years than this.
PORTRAIT_YEARS = 4
# The sections every plan should have; "övrigt" is optional and never missed.
EXPECTED_SECTIONS = [key for key in PlanSection.values if key != PlanSection.OTHER]

_BULLET = re.compile(r"^\s*(?:[-–•*])\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,2}[.)]\s+(.*)$")


# ---------------------------------------------------------------------------
# Texts


@dataclass
class Block:
    """A paragraph (`lines`, printed with line breaks) or a list (`items`)."""

    kind: str  # "p" | "ul" | "ol"
    lines: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


def text_blocks(text: str) -> list[Block]:
    """Plain text as paragraphs and lists: a blank line ends a paragraph, lines that
    start with "- " (or "•", "–", "*") make a bulleted list, "1. " a numbered one."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        kind = "ul" if bullet else ("ol" if numbered else "p")
        if kind == "p":
            if current is not None and current.kind != "p":
                # A line after a list item without a blank line continues the item.
                current.items[-1] = f"{current.items[-1]} {line}"
                continue
            if current is None:
                current = Block("p")
                blocks.append(current)
            current.lines.append(line)
            continue
        item = (bullet or numbered).group(1).strip()  # type: ignore[union-attr]
        if current is None or current.kind != kind:
            current = Block(kind)
            blocks.append(current)
        current.items.append(item)
    return blocks


@dataclass
class TextSection:
    key: str
    title: str
    text: str
    blocks: list[Block]
    updated: datetime.datetime | None

    @property
    def anchor(self) -> str:
        return f"text-{self.key}"


def plan_texts(*, association: Association, year: int) -> dict[str, PlanText]:
    """The year's texts by section key."""
    with scope(association=association):
        return {
            text.section: text
            for text in PlanText.objects.filter(association=association, year=year)
        }


# ---------------------------------------------------------------------------
# The board


@dataclass
class BoardSeat:
    person: str
    function: str
    member: str


def board_seats(*, association: Association, year: int) -> list[BoardSeat]:
    """The board's seats held some time in the year: ordförande first, ersättare last."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    with scope(association=association):
        seats = []
        for group in working_groups(association=association).filter(kind=WorkingGroup.Kind.BOARD):
            for seat in group.seats.all():
                if (seat.start and seat.start > last) or (seat.end and seat.end < first):
                    continue
                seats.append(
                    BoardSeat(
                        person=seat.person_name,
                        function=str(Seat.Function(seat.function).label),
                        member=seat.member.name if seat.member else "",
                    )
                )
    return seats


# ---------------------------------------------------------------------------
# The goal map


@dataclass
class IndicatorLine:
    indicator: Indicator
    metric: str  # how it is measured, in words
    target: str  # "≥ 70,0 %", "" without a target for the year


@dataclass
class GoalLine:
    goal: Goal
    indicators: list[IndicatorLine]


@dataclass
class Perspective:
    name: str
    goals: list[GoalLine]


@dataclass
class GoalMapPart:
    goal_map: GoalMap
    sections: list[Perspective]

    @property
    def goal_count(self) -> int:
        return sum(len(section.goals) for section in self.sections)

    @property
    def indicator_count(self) -> int:
        return sum(len(goal.indicators) for section in self.sections for goal in section.goals)


def goal_map_part(goal_map: GoalMap) -> GoalMapPart:
    """The year's goals by perspective (the map's own perspectives first, as the Mål
    page orders them), each indicator with its target of the year (three queries)."""
    year = goal_map.year
    indicators = Indicator.objects.order_by("order", "pk").prefetch_related("targets")
    found = list(
        Goal.objects.filter(association=goal_map.association, goal_map=goal_map)
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("order", "pk")
    )
    by_perspective: dict[str, list[GoalLine]] = {}
    for goal in found:
        lines = [
            IndicatorLine(
                indicator=indicator,
                metric=goals.metric_label(indicator.metric),
                target=goals.target_text(target_for(indicator, year), goals.unit_of(indicator)),
            )
            for indicator in goal.indicators.all()
        ]
        by_perspective.setdefault(goal.perspective, []).append(GoalLine(goal, lines))
    names = [*goal_map.perspectives]
    names += [name for name in by_perspective if name not in names]
    return GoalMapPart(
        goal_map=goal_map,
        sections=[
            Perspective(name, by_perspective[name]) for name in names if name in by_perspective
        ],
    )


# ---------------------------------------------------------------------------
# Members and contributions


@dataclass
class MemberRow:
    name: str
    kind: str
    population: int | None
    amounts: list[int | None]  # kronor per year of the plan; None: no contribution line
    shares: list[Decimal | None]


@dataclass
class Contributions:
    table: finance.ContributionTable
    members: list[MemberRow]

    @property
    def years(self) -> list[int]:
        return self.table.years


def contributions(plan: Plan, data: finance.PlanData) -> Contributions | None:
    """Each of the plan's members with its contribution per year (the contribution
    table's rows), the members that pay nothing themselves too (Arbetsförmedlingen,
    whose share Försäkringskassan pays); None when the plan has no contributions."""
    table = finance.contribution_table(plan, data)
    if not table.members:
        return None
    by_label = {row.label: row for row in table.members}
    kinds = dict(Member.Kind.choices)
    rows = []
    for planned in data.members:
        member = planned.member
        found = by_label.pop(member.name, None)
        rows.append(
            MemberRow(
                name=member.name,
                kind=str(kinds.get(member.kind, "")),
                population=planned.population if member.kind == Member.Kind.MUNICIPALITY else None,
                amounts=[cell.amount for cell in found.cells]
                if found
                else [None] * len(table.years),
                shares=[cell.share for cell in found.cells] if found else [None] * len(table.years),
            )
        )
    for row in by_label.values():  # a contribution line of no member of the plan
        rows.append(
            MemberRow(
                name=row.label,
                kind=row.kind_label,
                population=None,
                amounts=[cell.amount for cell in row.cells],
                shares=[cell.share for cell in row.cells],
            )
        )
    return Contributions(table=table, members=rows)


# ---------------------------------------------------------------------------
# Insatser and their mätpunkter


@dataclass
class Measure:
    """A mätpunkt as the plan prints it: its text, the target, the year it is for."""

    text: str
    target: str
    metric: str
    year: int | None
    other_year: bool  # the target is for another year than the plan's


@dataclass
class InsatsEntry:
    name: str
    kind: str
    kind_label: str
    owner: str
    members: list[str]
    target_group: str
    focus: str
    start: datetime.date | None
    end: datetime.date | None
    status_label: str
    esf_funded: bool
    years: list[int]  # the plan's years (the report's year without a plan)
    budget: list[int | None]  # kronor per year, from the plan's cost lines
    planned: list[int | None]  # planned participants per year; empty without a record
    measures: list[Measure]

    @property
    def budget_by_year(self) -> list[tuple[int, int | None]]:
        return list(zip(self.years, self.budget, strict=True))

    @property
    def planned_by_year(self) -> list[tuple[int, int | None]]:
        if not any(self.planned):
            return []
        return list(zip(self.years, self.planned, strict=True))

    @property
    def anchor(self) -> str:
        return "insats-" + re.sub(r"[^a-z0-9]+", "-", self.name.casefold()).strip("-")

    @property
    def budget_total(self) -> int:
        return sum(amount or 0 for amount in self.budget)


@dataclass
class InsatsGroup:
    kind: str
    title: str
    entries: list[InsatsEntry]

    @property
    def anchor(self) -> str:
        return f"insatser-{self.kind}"


@dataclass
class Insatser:
    years: list[int]
    groups: list[InsatsGroup]
    totals: list[int]  # kronor per year, all the listed insatser

    @property
    def count(self) -> int:
        return sum(len(group.entries) for group in self.groups)

    @property
    def measure_count(self) -> int:
        return sum(len(entry.measures) for group in self.groups for entry in group.entries)


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _measure(
    *,
    text: str,
    metric: str,
    params: dict[str, Any],
    op: str,
    value: Any,
    year: Any,
    plan_year: int,
) -> Measure:
    number = _decimal(value)
    target = ""
    if op and number is not None:
        # An unsaved goal target: the mätpunkt is written as the goal map writes its targets.
        target = format_target(
            IndicatorTarget(op=op, value=number), str(metric_unit(metric, params))
        )
    target_year = int(year) if year not in (None, "") else None
    return Measure(
        text=text,
        target=target,
        metric=str(metric_label(metric)) if metric else "",
        year=target_year,
        other_year=target_year is not None and target_year != plan_year,
    )


def _file_measures(entry: dict[str, Any], year: int) -> list[Measure]:
    measures = []
    for target in entry.get("targets") or []:
        params = {
            key: value
            for key, value in target.items()
            if key not in ("text", "metric", "op", "value", "year")
        }
        measures.append(
            _measure(
                text=str(target.get("text", "")),
                metric=str(target.get("metric", "")),
                params=params,
                op=str(target.get("op") or ""),
                value=target.get("value"),
                year=target.get("year"),
                plan_year=year,
            )
        )
    return measures


def _record_measures(targets: list[Target], year: int) -> list[Measure]:
    return [
        _measure(
            text=target.text,
            metric=target.metric,
            params=dict(target.params or {}),
            op=target.op,
            value=target.value,
            year=target.year,
            plan_year=year,
        )
        for target in targets
    ]


def _line_budgets(
    table: finance.BudgetTable | None,
) -> dict[str, dict[int, int]]:
    """Insats name (casefolded) → {year: kronor} from the budget table's cost rows."""
    budgets: dict[str, dict[int, int]] = {}
    if table is None:
        return budgets
    for section in table.sections:
        for row in section.rows:
            line = row.line
            if line is None or line.side != BudgetLine.Side.COST or not line.intervention_name:
                continue
            amounts = budgets.setdefault(line.intervention_name.casefold(), {})
            for cell in row.cells:
                if cell.amount is not None:
                    amounts[cell.year] = amounts.get(cell.year, 0) + cell.amount
    return budgets


def insatser(
    *,
    association: Association,
    year: int,
    plan: Plan | None,
    table: finance.BudgetTable | None,
) -> Insatser:
    """The insatser of the year's plan, individinriktade first: the plan's own (as the
    plan file holds them, with the insatser its cost lines name) and the förbund's
    granted insatser whose period or money touches the year. An insats's mätpunkter
    are those kept in Stegvis when it has any, else those of the plan file."""
    years = table.years if table is not None else [year]
    entries: dict[str, dict[str, Any]] = {}
    if plan is not None:
        document = finance.plan_document(association=association, first_year=plan.first_year)
        for entry in document.interventions:
            name = str(entry.get("name", "")).strip()
            if name:
                entries.setdefault(name.casefold(), {"file": entry})
    for each in interventions.intervention_rows(association=association, year=year):
        key = each.name.casefold()
        if key in entries:
            entries[key]["row"] = each
        elif each.status in FUNDED:
            entries[key] = {"row": each}
    with scope(association=association):
        targets: dict[int, list[Target]] = {}
        for target in Target.objects.filter(
            association=association,
            intervention_id__in=[e["row"].intervention.pk for e in entries.values() if "row" in e],
        ).order_by("position", "pk"):
            targets.setdefault(target.intervention_id, []).append(target)
    budgets = _line_budgets(table)
    kinds = dict(Kind.choices)
    made: list[InsatsEntry] = []
    for key, found in entries.items():
        file: dict[str, Any] = found.get("file") or {}
        row: interventions.InterventionRow | None = found.get("row")
        record_targets = targets.get(row.intervention.pk, []) if row else []
        measures = (
            _record_measures(record_targets, year) if record_targets else _file_measures(file, year)
        )
        kind = row.kind if row else str(file.get("kind", ""))
        budget = budgets.get(key, {})
        if not budget and row is not None:
            budget = row.budget_by_year
        made.append(
            InsatsEntry(
                name=row.name if row else str(file["name"]),
                kind=kind,
                kind_label=str(kinds.get(kind, kind)),
                owner=row.owner if row else str(file.get("owner", "")),
                members=row.members if row else [str(m) for m in file.get("members") or []],
                target_group=row.target_group if row else "",
                focus=row.intervention.focus if row else "",
                start=row.start if row else _date(file.get("start")),
                end=row.end if row else _date(file.get("end")),
                status_label=row.status_label if row else "",
                esf_funded=row.esf_funded if row else False,
                years=years,
                budget=[budget.get(each) for each in years],
                planned=[row.planned_by_year.get(each) for each in years] if row else [],
                measures=measures,
            )
        )
    groups = []
    for kind, title in (
        (Kind.INDIVIDUAL, _("Individinriktade insatser")),
        (Kind.STRUCTURAL, _("Strukturövergripande insatser")),
    ):
        chosen = sorted((e for e in made if e.kind == kind), key=lambda e: e.name.casefold())
        if chosen:
            groups.append(InsatsGroup(str(kind), title, chosen))
    others = sorted((e for e in made if e.kind not in Kind.values), key=lambda e: e.name)
    if others:
        groups.append(InsatsGroup("other", _("Övriga insatser"), others))
    totals = [
        sum(entry.budget[index] or 0 for group in groups for entry in group.entries)
        for index in range(len(years))
    ]
    return Insatser(years=years, groups=groups, totals=totals)


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# The whole document


@dataclass
class PlanReport:
    association: Association
    year: int
    plan: Plan | None
    texts: list[TextSection]
    missing_texts: list[str]
    board: list[BoardSeat]
    contributions: Contributions | None
    goal_map: GoalMapPart | None
    insatser: Insatser
    budget: finance.BudgetTable | None
    chart: str
    cap_rule: str
    admin_categories: str
    notes: list[str]
    sections: list[Section]

    @property
    def empty(self) -> bool:
        """Nothing of the plan to print for the year: no budget, no texts, no goal map,
        no insatser (a board alone makes no plan)."""
        return (
            self.plan is None
            and not self.written_count
            and self.goal_map is None
            and not self.insatser.count
        )

    @property
    def goal_count(self) -> int:
        return self.goal_map.goal_count if self.goal_map else 0

    @property
    def indicator_count(self) -> int:
        return self.goal_map.indicator_count if self.goal_map else 0

    @property
    def written_count(self) -> int:
        """The sections with a text (the board alone makes no text)."""
        return sum(1 for section in self.texts if section.text)

    @property
    def budget_year(self) -> bool:
        """The year is the plan's budget year (not a plan year of an earlier budget)."""
        return self.plan is not None and self.plan.first_year == self.year

    @property
    def wide(self) -> bool:
        """More years than a portrait page holds: the tables with a column per year
        (members, budget) are laid on landscape pages."""
        return self.budget is not None and len(self.budget.years) > PORTRAIT_YEARS

    @property
    def landscape_budget(self) -> bool:
        return self.wide

    @property
    def insats_columns(self) -> int:
        """Columns of the insatser's overview: name, (owner,) mätpunkter, the years."""
        return (len(self.insatser.years) if self.plan else 0) + (2 if self.wide else 3)

    @property
    def title(self) -> str:
        return _("Verksamhetsplan %(year)s") % {"year": self.year}

    @property
    def subtitle(self) -> str:
        return plan_name(self.plan) if self.plan is not None else ""

    @property
    def decided_on(self) -> datetime.date | None:
        return self.plan.decided_on if self.plan is not None else None

    @property
    def filename(self) -> str:
        return f"verksamhetsplan-{self.association.slug}-{self.year}.pdf"


def plan_name(plan: Plan) -> str:
    """ "Budget 2024 med plan för 2025–2026", as the plans name themselves."""
    if plan.last_year == plan.first_year:
        return _("Budget %(year)s") % {"year": plan.first_year}
    if plan.last_year == plan.first_year + 1:
        return _("Budget %(year)s med plan för %(last)s") % {
            "year": plan.first_year,
            "last": plan.last_year,
        }
    return _("Budget %(year)s med plan för %(first)s–%(last)s") % {
        "year": plan.first_year,
        "first": plan.first_year + 1,
        "last": plan.last_year,
    }


def plan_report(*, association: Association, year: int, chart: bool = True) -> PlanReport:
    """Everything the verksamhetsplan of `year` prints, from the owning selectors.
    Without `chart` the budget chart is not drawn (the page links to the PDF)."""
    notes: list[str] = []
    with scope(association=association):
        # Texts.
        stored = plan_texts(association=association, year=year)
        labels = dict(PlanSection.choices)
        texts = [
            TextSection(
                key=key,
                title=str(labels[key]),
                text=stored[key].text,
                blocks=text_blocks(stored[key].text),
                updated=stored[key].updated,
            )
            for key in PlanSection.values
            if key in stored and stored[key].text.strip()
        ]
        written = {section.key for section in texts}
        missing = [str(labels[key]) for key in EXPECTED_SECTIONS if key not in written]
        board = board_seats(association=association, year=year)
        if board and PlanSection.ORGANISATION not in written:
            # The board is printed under Organisation, with or without a text.
            texts.append(
                TextSection(PlanSection.ORGANISATION, str(labels["organisation"]), "", [], None)
            )
            texts.sort(key=lambda section: PlanSection.values.index(section.key))
        if not written:
            notes.append(_("Inga texter är skrivna för %(year)s.") % {"year": year})
        elif missing:
            notes.append(
                _("Texter som inte är skrivna: %(sections)s.") % {"sections": ", ".join(missing)}
            )

        # Budget and contributions: the plan the year is followed up against.
        plan = plan_for_year(association=association, year=year)
        budget: finance.BudgetTable | None = None
        paid: Contributions | None = None
        drawn = ""
        if plan is None:
            notes.append(
                _("Ingen budget för %(year)s: medlemsavgifter och budget är inte med.")
                % {"year": year}
            )
        else:
            data = finance.plan_data(plan)
            budget = finance.budget_table(plan, data)
            paid = contributions(plan, data)
            if paid is None:
                notes.append(_("Budgeten har inga medlemsavgifter."))
            if chart and data.lines:
                drawn = charts.budget_chart_svg(
                    budget.figures,
                    buffer=budget.rules.equity_min,
                    size=(7.2, 3.3),
                )
            if not data.cost_lines:
                notes.append(_("Budgeten har inga kostnader ännu."))

        # The goal map of the year, with its targets.
        goal_map = goals.goal_map_for(association=association, year=year)
        page: GoalMapPart | None = None
        if goal_map is None:
            notes.append(_("Ingen målkarta för %(year)s.") % {"year": year})
        else:
            page = goal_map_part(goal_map)
            if not page.sections:
                notes.append(_("Målkartan för %(year)s har inga mål.") % {"year": year})
                page = None

        # Insatser with their mätpunkter.
        funded = insatser(association=association, year=year, plan=plan, table=budget)
        if not funded.count:
            notes.append(_("Inga insatser för %(year)s.") % {"year": year})

    report = PlanReport(
        association=association,
        year=year,
        plan=plan,
        texts=texts,
        missing_texts=missing,
        board=board,
        contributions=paid,
        goal_map=page,
        insatser=funded,
        budget=budget,
        chart=drawn,
        cap_rule=finance.cap_rule_text(budget.rules) if budget else "",
        admin_categories=finance.admin_categories_text(budget.rules) if budget else "",
        notes=notes,
        sections=[],
    )
    report.sections = _sections(report)
    return report


def _sections(report: PlanReport) -> list[Section]:
    """The table of contents, in the order the document prints its chapters."""
    sections: list[Section] = []
    for text in report.texts:
        sections.append(Section(text.anchor, text.title))
        if text.key == PlanSection.ORGANISATION and report.board:
            sections.append(Section("styrelsen", _("Styrelsen"), level=2))
    if report.contributions is not None:
        sections.append(Section("medlemmar", _("Medlemmar och medlemsavgifter")))
    if report.goal_map is not None:
        sections.append(Section("malkarta", _("Målkarta %(year)s") % {"year": report.year}))
    if report.insatser.count:
        sections.append(
            Section("insatser", _("Insatser och mätpunkter %(year)s") % {"year": report.year})
        )
        for group in report.insatser.groups:
            sections.append(Section(group.anchor, group.title, level=2))
    if report.budget is not None:
        sections.append(Section("budget", _("Budget")))
        sections.append(Section("budget-regler", _("Kontroll mot reglerna"), level=2))
        if report.chart:
            sections.append(
                Section("budget-diagram", _("Intäkter, kostnader och eget kapital"), level=2)
            )
    return sections


def plan_pdf(report: PlanReport, *, printed: datetime.date | None = None) -> bytes:
    """The verksamhetsplan as PDF bytes."""
    return render_pdf(
        "reports/pdf/plan.html",
        {"report": report},
        association=report.association,
        title=report.title,
        subtitle=report.subtitle,
        sections=[] if report.empty else report.sections,
        decided_on=report.decided_on,
        needs_decision=True,
        printed=printed,
        notes=report.notes if not report.empty else [],
    )


def plan_years(*, association: Association) -> list[int]:
    """The years a verksamhetsplan can be printed for: every year a budget covers,
    that has a goal map or texts, newest first."""
    with scope(association=association):
        years: set[int] = set()
        for first, last in Plan.objects.filter(association=association).values_list(
            "first_year", "last_year"
        ):
            years.update(range(first, last + 1))
        years.update(goals.goal_map_years(association=association))
        years.update(
            PlanText.objects.filter(association=association).values_list("year", flat=True)
        )
    return sorted(years, reverse=True)
