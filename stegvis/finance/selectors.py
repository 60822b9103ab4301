"""Reads of a förbund's plans: the plan as a document, as arithmetic, and as the tables
the Ekonomi pages show.

The figures come from `budget.py` (the one place the arithmetic lives); this module
loads what it needs from the database with a fixed number of queries, whatever the
number of lines, and arranges the results the way the förbund's own plans do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from stegvis.associations.models import Association, Member, Population
from stegvis.finance import budget
from stegvis.finance.charts import tkr as rounded_tkr
from stegvis.finance.models import BudgetAmount, BudgetLine, Plan, PlanRules
from stegvis.plans.document import DocContributions, DocLine, DocMember, DocRules, PlanDocument

# ---------------------------------------------------------------------------
# Loading


def plans(*, association: Association) -> QuerySet[Plan]:
    """The förbund's plans, the latest budget year first: the one way in to a plan.
    (The finance models' reverse managers are invisible to the type checker, so the
    förbund is named explicitly; the scope still applies.)"""
    return Plan.objects.filter(association=association).order_by("-first_year")


def latest_plan(*, association: Association) -> Plan | None:
    return plans(association=association).first()


@dataclass(frozen=True)
class PlanMember:
    member: Member
    population: int | None  # of the plan's first year, else the latest earlier year


@dataclass
class PlanData:
    """A plan with everything the computations need, loaded once."""

    plan: Plan
    rules: budget.Rules
    rules_record: PlanRules | None
    members: list[PlanMember]
    lines: list[BudgetLine]  # amounts and member prefetched, in side/position order

    def amounts(self, line: BudgetLine) -> dict[int, int]:
        return {a.year: a.amount for a in line.amounts.all()}

    @property
    def revenue_lines(self) -> list[BudgetLine]:
        return [line for line in self.lines if line.side == BudgetLine.Side.REVENUE]

    @property
    def cost_lines(self) -> list[BudgetLine]:
        return [line for line in self.lines if line.side == BudgetLine.Side.COST]


def rules_of(record: PlanRules | None) -> budget.Rules:
    """The stored rules as the arithmetic takes them (defaults when none are stored)."""
    if record is None:
        return budget.Rules()
    tiers = tuple(
        budget.Tier(rate=Decimal(str(tier["rate"])), up_to=tier.get("up_to"))
        for tier in record.equity_cap_tiers
    )
    return budget.Rules(
        equity_cap_base=record.equity_cap_base,
        tiers=tiers or budget.DEFAULT_TIERS,
        equity_min=record.equity_min,
        admin_share_max=Decimal(record.admin_share_max),
        admin_categories=frozenset(record.admin_categories),
    )


def plan_members(plan: Plan) -> list[PlanMember]:
    """The members the plan covers in its order, each with its population of the
    plan's first year (or the latest earlier year the förbund has recorded)."""
    association = plan.association
    members = list(association.members.all())
    if plan.member_ids:
        by_id = {member.pk: member for member in members}
        members = [by_id[pk] for pk in plan.member_ids if pk in by_id]
    populations: dict[int, int] = {}
    records = Population.objects.filter(
        association=association, member__in=members, year__lte=plan.first_year
    ).order_by("member_id", "-year")
    for record in records:
        populations.setdefault(record.member_id, record.population)
    return [PlanMember(member, populations.get(member.pk)) for member in members]


def plan_data(plan: Plan) -> PlanData:
    """Load a plan for computing: five queries, however many lines it has."""
    with scope(association=plan.association):
        lines = list(
            plan.lines.select_related("member").prefetch_related(
                Prefetch("amounts", queryset=BudgetAmount.objects.order_by("year"))
            )
        )
        record = PlanRules.objects.filter(plan=plan).first()
        return PlanData(
            plan=plan,
            rules=rules_of(record),
            rules_record=record,
            members=plan_members(plan),
            lines=lines,
        )


def _budget_line(data: PlanData, line: BudgetLine) -> budget.Line:
    return budget.Line(
        name=line.name,
        kind=line.category,
        amounts=data.amounts(line),
        member=line.member.name if line.member else None,
        intervention=line.intervention_name or None,
    )


def budget_of(data: PlanData) -> budget.Budget:
    plan = data.plan
    # A contribution line may name a member the plan no longer lists; its kind still counts.
    members = {
        pm.member.name: budget.Member(pm.member.name, pm.member.kind, pm.population)
        for pm in data.members
    }
    for line in data.revenue_lines:
        if line.member and line.member.name not in members:
            members[line.member.name] = budget.Member(line.member.name, line.member.kind)
    return budget.Budget(
        years=tuple(plan.years),
        opening_equity=plan.opening_equity,
        members=tuple(members.values()),
        revenues=tuple(_budget_line(data, line) for line in data.revenue_lines),
        costs=tuple(_budget_line(data, line) for line in data.cost_lines),
        rules=data.rules,
    )


def plan_budget(plan: Plan) -> budget.Budget:
    """The stored plan as the arithmetic takes it: the lines as stored (generated
    contribution lines included), the rules, the members with population."""
    return budget_of(plan_data(plan))


# ---------------------------------------------------------------------------
# The plan file


# Apps that hold insatser describe them for the plan file, so that an exported plan
# whose cost lines name an insats reads back in (the spec: every reference must
# exist). The interventions app registers itself in its AppConfig.ready(); finance
# never imports it, keeping the link one-directional.
InterventionDescriber = Callable[[Association, Sequence[str]], list[dict[str, Any]]]
_intervention_describers: list[InterventionDescriber] = []


def register_intervention_describer(describer: InterventionDescriber) -> None:
    if describer not in _intervention_describers:
        _intervention_describers.append(describer)


def _plan_interventions(
    association: Association, entries: Sequence[dict[str, Any]], lines: Sequence[BudgetLine]
) -> list[dict[str, Any]]:
    """The plan's own insatser, then those its cost lines name that other apps know."""
    result = [dict(entry) for entry in entries]
    known = {str(entry.get("name", "")).casefold() for entry in result}
    missing = sorted(
        {
            line.intervention_name
            for line in lines
            if line.intervention_name and line.intervention_name.casefold() not in known
        }
    )
    for describe in _intervention_describers:
        if not missing:
            break
        for entry in describe(association, missing):
            if str(entry["name"]).casefold() not in known:
                result.append(entry)
                known.add(str(entry["name"]).casefold())
        missing = [name for name in missing if name.casefold() not in known]
    return result


# The goal map is the goals app's: it takes the plan file's `goals` when a plan is
# stored and gives them back when one is exported (`goals.plan_file`). Registered in
# its AppConfig.ready(), so that finance never imports it.
GoalsStore = Callable[[Any, Association, int, list[dict[str, Any]]], None]
GoalsLoad = Callable[[Association, int], list[dict[str, Any]]]
_goals_hooks: list[tuple[GoalsStore, GoalsLoad]] = []


def register_goals_store(store: GoalsStore, load: GoalsLoad) -> None:
    """`store(actor, association, year, goals)` replaces the year's goal map by a plan
    file's goals; `load(association, year)` gives the year's goal map as those goals."""
    if (store, load) not in _goals_hooks:
        _goals_hooks.append((store, load))


def plan_goals_store(
    *, actor: Any, association: Association, year: int, goals: list[dict[str, Any]]
) -> None:
    for store, _load in _goals_hooks:
        store(actor, association, year, goals)


def plan_goals(*, association: Association, year: int) -> list[dict[str, Any]]:
    """The goal map of the plan's first year as the plan file's `goals`."""
    goals: list[dict[str, Any]] = []
    for _store, load in _goals_hooks:
        goals += load(association, year)
    return goals


def known_intervention_names(*, association: Association, plan: Plan) -> list[str]:
    """Insatser a cost line may name: the plan's own and those other apps know."""
    names = [str(entry.get("name")) for entry in plan.interventions if entry.get("name")]
    for describe in _intervention_describers:
        names += [str(entry["name"]) for entry in describe(association, [])]
    return sorted(set(names), key=str.casefold)


def plan_document(*, association: Association, first_year: int) -> PlanDocument:
    """The stored plan as a `stegvis-plan/1` document: the inverse of
    `services.plan_store`, so that storing a document and reading it back gives the
    same document. Raises Plan.DoesNotExist when the förbund has no such plan."""
    with scope(association=association):
        plan = plans(association=association).get(first_year=first_year)
        data = plan_data(plan)
    record = data.rules_record
    rules = DocRules()
    if record is not None:
        rules = DocRules(
            equity_cap_base=record.equity_cap_base,
            tiers=list(data.rules.tiers),
            equity_min=record.equity_min,
            admin_share_max=Decimal(record.admin_share_max),
            admin_categories=list(record.admin_categories),
        )
    contributions = None
    if plan.contribution_total:
        contributions = DocContributions(
            total={int(year): int(amount) for year, amount in plan.contribution_total.items()},
            municipal_key=plan.municipal_key,
            shares=dict(plan.municipal_shares) or None,
        )

    def line(row: BudgetLine) -> DocLine:
        return DocLine(
            name=row.name,
            kind=row.category,
            amounts=data.amounts(row),
            unit=row.unit or None,
            member=row.member.name if row.member else None,
            intervention=row.intervention_name or None,
        )

    return PlanDocument(
        association=association.name,
        members=[
            DocMember(
                name=pm.member.name,
                kind=pm.member.kind,
                population=pm.population if pm.member.kind == Member.Kind.MUNICIPALITY else None,
            )
            for pm in data.members
        ],
        years=plan.years,
        unit=plan.unit,
        opening_equity=plan.opening_equity,
        contributions=contributions,
        rules=rules,
        revenues=[line(row) for row in data.revenue_lines if not row.generated],
        costs=[line(row) for row in data.cost_lines],
        interventions=_plan_interventions(association, plan.interventions, data.cost_lines),
        goals=plan_goals(association=association, year=plan.first_year),
    )


# ---------------------------------------------------------------------------
# The budget table of the Ekonomi page

RULE_LABELS = {
    "equity_cap": gettext_lazy("Tak för eget kapital"),
    "equity_min": gettext_lazy("Lägsta eget kapital (buffert)"),
    "negative_equity": gettext_lazy("Negativt eget kapital"),
    "admin_share": gettext_lazy("Högsta andel administration"),
    "contribution_split": gettext_lazy("Fördelning 50/25/25"),
}
# Short words in the cell beside the figure, so that a finding is not told by colour only.
RULE_BADGES = {
    "equity_cap": gettext_lazy("över taket"),
    "equity_min": gettext_lazy("under bufferten"),
    "negative_equity": gettext_lazy("negativt"),
    "admin_share": gettext_lazy("över gränsen"),
    "contribution_split": gettext_lazy("ej 50/25/25"),
}
# The figure of the table each rule is about.
RULE_FIGURES = {
    "equity_cap": "closing_equity",
    "equity_min": "closing_equity",
    "negative_equity": "closing_equity",
    "admin_share": "admin_share",
    "contribution_split": "contributions",
}
SHARE_RULES = {"admin_share", "contribution_split"}


def rule_label(rule: str) -> str:
    return str(RULE_LABELS[rule])


def _tkr(amount: int | Decimal) -> str:
    return budget.tkr(int(amount))


def _percent(share: Decimal) -> str:
    return budget.percent(share).replace(",0 %", " %")


def cap_rule_text(rules: budget.Rules) -> str:
    """The equity cap in words: '20 % av intäkterna upp till 7 000 tkr, 15 % därutöver'."""
    base = _("intäkterna") if rules.equity_cap_base == "revenues" else _("medlemsavgifterna")
    parts = []
    for index, tier in enumerate(rules.tiers):
        rate = _percent(tier.rate)
        if index == 0 and tier.up_to is None:
            parts.append(_("%(rate)s av %(base)s") % {"rate": rate, "base": base})
        elif index == 0:
            parts.append(
                _("%(rate)s av %(base)s upp till %(limit)s")
                % {"rate": rate, "base": base, "limit": _tkr(tier.up_to or 0)}
            )
        elif tier.up_to is None:
            parts.append(_("%(rate)s därutöver") % {"rate": rate})
        else:
            parts.append(
                _("%(rate)s upp till %(limit)s") % {"rate": rate, "limit": _tkr(tier.up_to)}
            )
    return ", ".join(parts)


def admin_categories_text(rules: budget.Rules) -> str:
    labels = dict(BudgetLine.Category.choices)
    return ", ".join(
        str(labels[c]).lower() for c in budget.COST_CATEGORIES if c in rules.admin_categories
    )


def rule_text(rule: str, rules: budget.Rules) -> str:
    """What the rule demands, in words, with its limit."""
    if rule == "equity_cap":
        return _("Eget kapital får vara högst %(rule)s.") % {"rule": cap_rule_text(rules)}
    if rule == "equity_min":
        return _("Eget kapital ska vara minst %(limit)s (buffert).") % {
            "limit": _tkr(rules.equity_min)
        }
    if rule == "negative_equity":
        return _("Eget kapital får inte bli negativt.")
    if rule == "admin_share":
        return _("Administrativa kostnader (%(categories)s) högst %(limit)s av kostnaderna.") % {
            "categories": admin_categories_text(rules),
            "limit": _percent(rules.admin_share_max),
        }
    return _(
        "Staten betalar 50 %, regionen 25 % och kommunerna 25 % av medlemsavgifterna "
        "(avvikelse högst 0,5 procentenheter)."
    )


@dataclass
class FindingView:
    number: int
    year: int
    rule: str
    label: str
    badge: str
    figure: str  # the key of the figure it concerns
    value: str
    limit: str
    message: str
    rule_text: str

    @property
    def anchor(self) -> str:
        return f"finding-{self.number}"


@dataclass
class Cell:
    year: int
    amount: int | None = None  # kronor
    share: Decimal | None = None
    findings: list[FindingView] = field(default_factory=list)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    style: str = "line"  # line | group | sub | subtotal | total | note | share
    line: BudgetLine | None = None  # a budget line, for its edit link
    hint: str = ""
    generated: bool = False

    @property
    def has_findings(self) -> bool:
        return any(cell.findings for cell in self.cells)


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]


@dataclass
class BudgetTable:
    plan: Plan
    years: list[int]
    sections: list[Section]
    findings: list[FindingView]
    figures: list[budget.YearFigures]
    rules: budget.Rules
    budget: budget.Budget

    def export_rows(self, *, unit: str = "tkr") -> list[list[Any]]:
        """The table as rows for the exporter: label, then a value per year."""
        rows: list[list[Any]] = []
        for section in self.sections:
            rows.append([section.title, *[None for _ in self.years]])
            for row in section.rows:
                indent = "    " if row.style == "sub" else ""
                rows.append([indent + row.label, *[_export_value(c, unit) for c in row.cells]])
        return rows


def _export_value(cell: Cell, unit: str) -> Any:
    if cell.share is not None:
        return float(cell.share)
    if cell.amount is None:
        return None
    return cell.amount if unit == "kr" else rounded_tkr(cell.amount)


def _nbsp(text: str) -> str:
    """Keep a number with its unit on one line: '15 %', '2 302 tkr'."""
    text = re.sub(r"(?<=\d) (?=\d{3}\b)", "\u00a0", text)
    text = re.sub(r"(?<![\w.])-(?=\d)", "\u2212", text)
    return text.replace(" %", "\u00a0%").replace(" tkr", "\u00a0tkr")


def _finding_views(found: Sequence[budget.Finding], rules: budget.Rules) -> list[FindingView]:
    views = []
    for number, finding in enumerate(found, start=1):
        is_share = finding.rule in SHARE_RULES
        views.append(
            FindingView(
                number=number,
                year=finding.year,
                rule=finding.rule,
                label=rule_label(finding.rule),
                badge=str(RULE_BADGES[finding.rule]),
                figure=RULE_FIGURES[finding.rule],
                value=_nbsp(_percent(Decimal(finding.value)) if is_share else _tkr(finding.value)),
                limit=_nbsp(_percent(Decimal(finding.limit)) if is_share else _tkr(finding.limit)),
                message=_nbsp(finding.message),
                rule_text=_nbsp(rule_text(finding.rule, rules)),
            )
        )
    return views


def budget_table(plan: Plan, data: PlanData | None = None) -> BudgetTable:
    """The multi-year budget as the seed plans show it, years as columns: what there is
    to spend (contributions, grants, opening equity: "medel att disponera"), the costs by
    category, and what is left (result, closing equity, buffer, "ej budgeterat"), each
    rule's finding attached to the figure it concerns."""
    data = data or plan_data(plan)
    the_budget = budget_of(data)
    figures = budget.year_figures(the_budget)
    found = _finding_views(budget.findings(the_budget, figures), the_budget.rules)
    years = list(the_budget.years)
    by_year = {f.year: f for f in figures}

    def cells(values: dict[int, int] | None = None, figure: str = "") -> list[Cell]:
        """A cell per year; `figure` names the figure whose findings the cells show."""
        result = []
        for year in years:
            cell = Cell(year, amount=(values or {}).get(year))
            if figure:
                cell.findings = [f for f in found if f.year == year and f.figure == figure]
            result.append(cell)
        return result

    def figure_cells(attribute: str) -> list[Cell]:
        return cells({y: getattr(by_year[y], attribute) for y in years}, attribute)

    # What there is to spend.
    revenue_rows: list[Row] = []
    contribution_lines = [
        line for line in data.revenue_lines if line.category == BudgetLine.RevenueKind.CONTRIBUTION
    ]
    if contribution_lines:
        revenue_rows.append(
            Row(
                _("Medlemsavgifter (medelstilldelning)"),
                figure_cells("contributions"),
                style="group",
            )
        )
        by_payer: dict[str, dict[int, int]] = {}
        payer_line: dict[str, BudgetLine] = {}
        for line in contribution_lines:
            payer = line.member.name if line.member else line.name
            amounts = by_payer.setdefault(payer, {})
            for year, amount in data.amounts(line).items():
                amounts[year] = amounts.get(year, 0) + amount
            payer_line.setdefault(payer, line)
        order = {pm.member.name: index for index, pm in enumerate(data.members)}
        for payer in sorted(by_payer, key=lambda name: order.get(name, len(order))):
            line = payer_line[payer]
            revenue_rows.append(
                Row(
                    payer,
                    cells(dict(by_payer[payer])),
                    style="sub",
                    line=line,
                    generated=line.generated,
                )
            )
    for line in data.revenue_lines:
        if line.category != BudgetLine.RevenueKind.CONTRIBUTION:
            revenue_rows.append(Row(line.name, cells(dict(data.amounts(line))), line=line))
    revenue_rows.append(Row(_("Summa intäkter"), figure_cells("revenues"), style="subtotal"))
    revenue_rows.append(Row(_("Ingående eget kapital"), figure_cells("opening_equity")))
    if the_budget.rules.equity_min:
        revenue_rows.append(
            Row(
                _("varav buffert"),
                cells(dict.fromkeys(years, the_budget.rules.equity_min)),
                style="sub",
            )
        )
    revenue_rows.append(
        Row(
            _("Medel att disponera"),
            figure_cells("disposable"),
            style="total",
            hint=_("ingående eget kapital + intäkter (summa budget)"),
        )
    )

    # The costs, by category.
    cost_rows: list[Row] = []
    labels = dict(BudgetLine.Category.choices)
    for category in budget.COST_CATEGORIES:
        lines = [line for line in data.cost_lines if line.category == category]
        if not lines:
            continue
        cost_rows.append(
            Row(
                str(labels[category]),
                cells({y: by_year[y].costs_by_category.get(category, 0) for y in years}),
                style="group",
            )
        )
        for line in lines:
            cost_rows.append(
                Row(line.name, cells(dict(data.amounts(line))), style="sub", line=line)
            )
    cost_rows.append(Row(_("Summa kostnader"), figure_cells("costs"), style="total"))

    # What is left.
    rest = [
        Row(_("Årets resultat"), figure_cells("result"), hint=_("intäkter − kostnader")),
        Row(
            _("Utgående eget kapital"),
            figure_cells("closing_equity"),
            style="subtotal",
            hint=_("nästa års ingående eget kapital"),
        ),
        Row(
            _("Buffert"),
            cells(dict.fromkeys(years, the_budget.rules.equity_min)),
            hint=_("lägsta eget kapital"),
        ),
        Row(
            _("Ej budgeterat"),
            figure_cells("unbudgeted"),
            style="total",
            hint=_("utgående eget kapital − buffert"),
        ),
        Row(
            _("Tak för eget kapital"),
            cells({y: by_year[y].equity_cap for y in years}),
            hint=cap_rule_text(the_budget.rules),
        ),
    ]
    admin_cells = cells(figure="admin_share")
    for cell in admin_cells:
        cell.share = by_year[cell.year].admin_share
    rest.append(
        Row(
            _("Administrativ andel av kostnaderna"),
            admin_cells,
            style="share",
            hint=_("högst %(limit)s") % {"limit": _percent(the_budget.rules.admin_share_max)},
        )
    )

    return BudgetTable(
        plan=plan,
        years=years,
        sections=[
            Section("revenues", _("Intäkter och eget kapital"), revenue_rows),
            Section("costs", _("Kostnader"), cost_rows),
            Section("result", _("Resultat och eget kapital"), rest),
        ],
        findings=found,
        figures=figures,
        rules=the_budget.rules,
        budget=the_budget,
    )


# ---------------------------------------------------------------------------
# Contributions

EXPECTED_SHARES = {
    budget.STATE: Decimal("0.5"),
    budget.REGION: Decimal("0.25"),
    budget.MUNICIPALITY: Decimal("0.25"),
}
KIND_TOTAL_LABELS = {
    budget.STATE: gettext_lazy("Staten (Försäkringskassan)"),
    budget.REGION: gettext_lazy("Regionen"),
    budget.MUNICIPALITY: gettext_lazy("Kommunerna"),
}


@dataclass
class ShareCell:
    year: int
    amount: int | None
    share: Decimal | None
    expected: Decimal | None = None
    deviation: Decimal | None = None  # share − expected
    flagged: bool = False

    @property
    def deviation_points(self) -> str:
        """+1,2 (percentage points, Swedish decimal comma; a real minus sign)."""
        if self.deviation is None:
            return ""
        points = (self.deviation * 100).quantize(Decimal("0.1"))
        sign = "+" if points > 0 else ("\u2212" if points < 0 else "±")
        return f"{sign}{abs(points)}".replace(".", ",")


@dataclass
class ContributionRow:
    label: str
    kind: str
    kind_label: str
    cells: list[ShareCell]
    line: BudgetLine | None = None
    generated: bool = False


@dataclass
class MunicipalRow:
    """A municipality's part of the municipal quarter: its population and own share
    (the keys) beside what it actually pays of the municipalities' contributions."""

    name: str
    population: int | None
    population_share: Decimal | None
    own_share: int | None
    contribution_share: Decimal | None  # of the municipalities' contributions, first year


@dataclass
class ContributionTable:
    plan: Plan
    years: list[int]
    members: list[ContributionRow]
    kinds: list[ContributionRow]
    totals: list[ShareCell]
    declared_total: dict[int, int]  # the yearly totals the split was made from, if any
    municipal_key: str
    municipal_key_label: str
    flagged: bool  # any year deviates from 50/25/25
    municipalities: list[MunicipalRow]

    def export_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = []
        for row in [*self.members, *self.kinds]:
            values: list[Any] = []
            for cell in row.cells:
                values += [cell.amount, float(cell.share) if cell.share is not None else None]
            rows.append([row.label, row.kind_label, *values])
        values = []
        for cell in self.totals:
            values += [cell.amount, 1.0 if cell.amount else None]
        rows.append([_("Summa medlemsavgifter"), "", *values])
        return rows


def _share_of(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(budget.SHARE_PLACES)


def contribution_table(plan: Plan, data: PlanData | None = None) -> ContributionTable:
    """Each member's contribution per year and its share of the year's total, and the
    totals per kind of member against the 50/25/25 split of the law and the
    förbundsordningar; a deviation beyond half a percentage point is flagged."""
    data = data or plan_data(plan)
    the_budget = budget_of(data)
    years = list(the_budget.years)
    kind_labels = dict(Member.Kind.choices)
    lines = [
        line for line in data.revenue_lines if line.category == BudgetLine.RevenueKind.CONTRIBUTION
    ]
    year_totals = {year: sum(data.amounts(line).get(year, 0) for line in lines) for year in years}
    member_rows: list[ContributionRow] = []
    seen: dict[str, ContributionRow] = {}
    order = {pm.member.pk: index for index, pm in enumerate(data.members)}
    for line in sorted(
        lines, key=lambda ln: (order.get(ln.member_id or 0, len(order)), ln.position)
    ):
        label = line.member.name if line.member else line.name
        row = seen.get(label)
        if row is None:
            kind = line.member.kind if line.member else ""
            row = ContributionRow(
                label=label,
                kind=kind,
                kind_label=str(kind_labels.get(kind, "")),
                cells=[ShareCell(year, None, None) for year in years],
                line=line,
                generated=line.generated,
            )
            seen[label] = row
            member_rows.append(row)
        for cell in row.cells:
            amount = data.amounts(line).get(cell.year)
            if amount is not None:
                cell.amount = (cell.amount or 0) + amount
    for row in member_rows:
        for cell in row.cells:
            if cell.amount is not None:
                cell.share = _share_of(cell.amount, year_totals[cell.year])

    municipal = [pm for pm in data.members if pm.member.kind == Member.Kind.MUNICIPALITY]
    population_total = sum(pm.population or 0 for pm in municipal)
    paid = {row.label: row.cells[0].amount or 0 for row in member_rows if row.cells}
    paid_total = sum(paid.get(pm.member.name, 0) for pm in municipal)
    municipalities = [
        MunicipalRow(
            name=pm.member.name,
            population=pm.population,
            population_share=_share_of(pm.population or 0, population_total),
            own_share=plan.municipal_shares.get(pm.member.name),
            contribution_share=_share_of(paid.get(pm.member.name, 0), paid_total),
        )
        for pm in municipal
    ]

    kind_rows = []
    for kind, expected in EXPECTED_SHARES.items():
        share_cells = []
        for year in years:
            amount = budget.contribution_parts(the_budget, year)[kind]
            share = _share_of(amount, year_totals[year])
            deviation = share - expected if share is not None else None
            share_cells.append(
                ShareCell(
                    year,
                    amount,
                    share,
                    expected=expected,
                    deviation=deviation,
                    flagged=deviation is not None and abs(deviation) > budget.SPLIT_TOLERANCE,
                )
            )
        kind_rows.append(
            ContributionRow(str(KIND_TOTAL_LABELS[kind]), kind, str(kind_labels[kind]), share_cells)
        )
    return ContributionTable(
        plan=plan,
        years=years,
        members=member_rows,
        kinds=kind_rows,
        totals=[ShareCell(year, year_totals[year], None) for year in years],
        declared_total={int(y): int(v) for y, v in plan.contribution_total.items()},
        municipal_key=plan.municipal_key,
        municipal_key_label=str(plan.get_municipal_key_display()),
        flagged=any(cell.flagged for row in kind_rows for cell in row.cells),
        municipalities=municipalities,
    )
