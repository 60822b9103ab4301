"""Writes to a förbund's plans and budgets. Each change is one transaction and one
audit line; django-simple-history keeps every earlier version of plan, rules, lines
and amounts.

Amounts arrive in whole kronor (forms and the plan reader convert tkr). The checks
here are those of the plan file (`shared/spec/plan-format.md`): names are unique on
each side of the plan, a cost is never negative, amounts fall in the plan's years,
contribution lines name the paying member. Errors name the form field or the plan
file path they concern, so that both can show them where they belong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations import services as association_services
from stegvis.associations.models import Association, Member
from stegvis.audit.services import audit_log, diff
from stegvis.finance import budget
from stegvis.finance.models import (
    Actual,
    BudgetAmount,
    BudgetLine,
    Forecast,
    Plan,
    PlanRules,
    Unit,
)
from stegvis.finance.selectors import plan_goals_store, plan_members
from stegvis.plans.document import DocContributions, DocLine, DocMember, PlanDocument

MAX_PLAN_YEARS = budget.MAX_PLAN_YEARS
CONTRIBUTION = BudgetLine.RevenueKind.CONTRIBUTION


def amount_field(year: int) -> str:
    """The form field (and error key) of a line's amount for a year."""
    return f"amount_{year}"


def tiers_json(tiers: Sequence[budget.Tier]) -> list[dict[str, Any]]:
    return [{"up_to": tier.up_to, "rate": str(tier.rate)} for tier in tiers]


def _years_text(plan: Plan) -> str:
    return (
        f"{plan.first_year}–{plan.last_year}"
        if plan.last_year > plan.first_year
        else str(plan.first_year)
    )


# ---------------------------------------------------------------------------
# Lines


@dataclass
class LineSpec:
    """A budget line as it should be after a write."""

    side: str
    name: str
    category: str
    amounts: Mapping[int, int]
    unit: str = ""
    member: Member | None = None
    intervention_name: str = ""
    generated: bool = False
    position: int = 0


def _line_state(line: BudgetLine, amounts: Mapping[int, int]) -> dict[str, Any]:
    return {
        "name": line.name,
        "category": line.category,
        "member": line.member.name if line.member_id and line.member else None,
        "intervention_name": line.intervention_name,
        "unit": line.unit,
        "amounts": {str(year): amount for year, amount in sorted(amounts.items())},
    }


def _stored_amounts(line: BudgetLine) -> dict[int, int]:
    return dict(line.amounts.values_list("year", "amount"))


def _set_amounts(line: BudgetLine, amounts: Mapping[int, int]) -> None:
    """Make the line's amounts exactly `amounts` (year → kronor), changing only what
    differs so that the history shows what changed."""
    stored = {a.year: a for a in line.amounts.all()}
    for year, amount in amounts.items():
        record = stored.pop(year, None)
        if record is None:
            BudgetAmount.objects.create(
                association=line.association, line=line, year=year, amount=amount
            )
        elif record.amount != amount:
            record.amount = amount
            record.save(update_fields=["amount"])
    for record in stored.values():
        record.delete()


def _refuse_if_followed_up(lines: Sequence[BudgetLine], path: str = "") -> None:
    """A line with utfall or prognos is not deleted: the follow-up would go with it."""
    followed = {
        *Actual.objects.filter(line__in=lines).values_list("line__name", flat=True),
        *Forecast.objects.filter(line__in=lines).values_list("line__name", flat=True),
    }
    if followed:
        message = _(
            "Raden %(names)s har utfall eller prognos och kan inte tas bort. "
            "Behåll raden (med belopp 0) eller ta först bort uppföljningen."
        ) % {"names": ", ".join(f"”{name}”" for name in sorted(followed))}
        raise ValidationError({path: [message]} if path else message)


def _write_line(plan: Plan, spec: LineSpec, line: BudgetLine | None) -> BudgetLine:
    if line is None:
        line = BudgetLine(association=plan.association, plan=plan, side=spec.side)
    line.name = spec.name
    line.category = spec.category
    line.member = spec.member
    line.intervention_name = spec.intervention_name
    line.unit = spec.unit
    line.generated = spec.generated
    line.position = spec.position
    line.save()
    _set_amounts(line, spec.amounts)
    return line


def _sync_lines(
    plan: Plan, specs: Sequence[LineSpec], *, only: Sequence[BudgetLine] | None = None
) -> None:
    """Make the plan's lines (or the subset `only`) those of `specs`: lines are matched
    by side and name and updated in place, so that a line keeps its follow-up and its
    history; lines no longer wanted are deleted."""
    existing = list(only if only is not None else plan.lines.prefetch_related("amounts"))
    by_key = {(line.side, line.name): line for line in existing}
    wanted = {(spec.side, spec.name) for spec in specs}
    gone = [line for key, line in by_key.items() if key not in wanted]
    _refuse_if_followed_up(gone)
    for line in gone:
        line.delete()
    for spec in specs:
        _write_line(plan, spec, by_key.get((spec.side, spec.name)))


def _validate_line(
    *,
    plan: Plan,
    side: str,
    name: str,
    category: str,
    amounts: Mapping[int, int],
    member: Member | None,
    line: BudgetLine | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Ange ett namn.")]
    clash = plan.lines.filter(side=side, name__iexact=name.strip())
    if line is not None:
        clash = clash.exclude(pk=line.pk)
    if name.strip() and clash.exists():
        errors["name"] = [
            _("Budgeten har redan en kostnadsrad med det namnet.")
            if side == BudgetLine.Side.COST
            else _("Budgeten har redan en intäktsrad med det namnet.")
        ]
    allowed = budget.COST_CATEGORIES if side == BudgetLine.Side.COST else budget.REVENUE_KINDS
    if category not in allowed:
        errors["category"] = [_("Välj en kategori i listan.")]
    if category == CONTRIBUTION and member is None:
        errors["member"] = [_("Ange vilken medlem som betalar avgiften.")]
    if member is not None and member.association_id != plan.association_id:
        errors["member"] = [_("Välj en medlem i förbundet.")]
    for year, amount in amounts.items():
        if year not in plan.years:
            errors[amount_field(year)] = [_("Året %(year)s ingår inte i planen.") % {"year": year}]
        elif amount < 0:
            errors[amount_field(year)] = [
                _("En kostnad kan inte vara negativ.")
                if side == BudgetLine.Side.COST
                else _("Beloppet kan inte vara negativt.")
            ]
    if errors:
        raise ValidationError(errors)


def _line_unit(plan: Plan, unit: str) -> str:
    """A line records its unit only when it differs from the plan's (as in the file)."""
    return "" if unit in ("", plan.unit) else unit


@transaction.atomic
def budget_line_create(
    *,
    actor: Any,
    plan: Plan,
    side: str,
    name: str,
    category: str,
    amounts: Mapping[int, int],
    member: Member | None = None,
    intervention_name: str = "",
    unit: str = "",
) -> BudgetLine:
    """Add a revenue or cost line with its amount per year (kronor; years left out are
    not budgeted)."""
    name = name.strip()
    _validate_line(
        plan=plan, side=side, name=name, category=category, amounts=amounts, member=member
    )
    position = (plan.lines.filter(side=side).aggregate(m=Max("position"))["m"] or 0) + 1
    line = _write_line(
        plan,
        LineSpec(
            side=side,
            name=name,
            category=category,
            amounts=amounts,
            unit=_line_unit(plan, unit),
            member=member if category == CONTRIBUTION else None,
            intervention_name=intervention_name.strip() if side == BudgetLine.Side.COST else "",
            position=position,
        ),
        None,
    )
    audit_log(
        action="budget_line.created",
        actor=actor,
        association=plan.association,
        obj=line,
        changes={"plan": str(plan), "side": side, **_line_state(line, amounts)},
    )
    return line


@transaction.atomic
def budget_line_update(
    *,
    actor: Any,
    line: BudgetLine,
    name: str,
    category: str,
    amounts: Mapping[int, int],
    member: Member | None = None,
    intervention_name: str = "",
    unit: str = "",
) -> BudgetLine:
    """Change a line and its amounts. Contribution lines made from the plan's yearly
    total follow that total; they are changed on the contributions page."""
    plan = line.plan
    if line.generated:
        raise ValidationError(
            _(
                "Raden räknas fram från medlemsavgifternas totalbelopp. "
                "Ändra totalbeloppet på sidan Medlemsavgifter."
            )
        )
    name = name.strip()
    _validate_line(
        plan=plan,
        side=line.side,
        name=name,
        category=category,
        amounts=amounts,
        member=member,
        line=line,
    )
    before = _line_state(line, _stored_amounts(line))
    _write_line(
        plan,
        LineSpec(
            side=line.side,
            name=name,
            category=category,
            amounts=amounts,
            unit=_line_unit(plan, unit),
            member=member if category == CONTRIBUTION else None,
            intervention_name=(
                intervention_name.strip() if line.side == BudgetLine.Side.COST else ""
            ),
            position=line.position,
        ),
        line,
    )
    changes = diff(before, _line_state(line, amounts))
    if changes:
        audit_log(
            action="budget_line.updated",
            actor=actor,
            association=plan.association,
            obj=line,
            changes={"plan": str(plan), **changes},
        )
    return line


@transaction.atomic
def budget_line_delete(*, actor: Any, line: BudgetLine) -> None:
    if line.generated:
        raise ValidationError(
            _(
                "Raden räknas fram från medlemsavgifternas totalbelopp. "
                "Ändra totalbeloppet på sidan Medlemsavgifter."
            )
        )
    _refuse_if_followed_up([line])
    audit_log(
        action="budget_line.deleted",
        actor=actor,
        association=line.association,
        obj=line,
        changes={
            "plan": str(line.plan),
            "side": line.side,
            **_line_state(line, _stored_amounts(line)),
        },
    )
    line.delete()


# ---------------------------------------------------------------------------
# Rules


def validate_tiers(tiers: Sequence[budget.Tier]) -> None:
    """Tiers climb: each has a rate between 0 and 100 %, every tier but the last an
    upper limit above the one before; the last covers the rest of the base."""
    if not tiers:
        raise ValidationError({"tiers": [_("Ange minst ett trappsteg.")]})
    previous = 0
    for index, tier in enumerate(tiers):
        if not Decimal(0) <= tier.rate <= Decimal(1):
            raise ValidationError(
                {"tiers": [_("Andelen ska vara mellan 0 och 100 %.")]}, code=str(index)
            )
        last = index == len(tiers) - 1
        if tier.up_to is None and not last:
            raise ValidationError(
                {"tiers": [_("Alla trappsteg utom det sista behöver en övre gräns.")]}
            )
        if tier.up_to is not None:
            if tier.up_to <= previous:
                raise ValidationError({"tiers": [_("Trappstegens gränser ska öka uppåt.")]})
            previous = tier.up_to


@transaction.atomic
def rules_update(
    *,
    actor: Any,
    plan: Plan,
    equity_cap_base: str,
    tiers: Sequence[budget.Tier],
    equity_min: int,
    admin_share_max: Decimal,
    admin_categories: Sequence[str],
) -> PlanRules:
    """The rules the plan is checked against: the equity cap (national recommendation
    20 % of revenues up to 7 Mkr, 15 % above, or the förbund's own), the lowest equity
    (a liquidity buffer), and the highest share of administrative costs."""
    validate_tiers(tiers)
    errors: dict[str, list[str]] = {}
    if equity_cap_base not in budget.EQUITY_CAP_BASES:
        errors["equity_cap_base"] = [_("Välj ett underlag i listan.")]
    if equity_min < 0:
        errors["equity_min"] = [_("Bufferten kan inte vara negativ.")]
    if not Decimal(0) <= admin_share_max <= Decimal(1):
        errors["admin_share_max"] = [_("Andelen ska vara mellan 0 och 100 %.")]
    if any(category not in budget.COST_CATEGORIES for category in admin_categories):
        errors["admin_categories"] = [_("Välj kategorier i listan.")]
    if errors:
        raise ValidationError(errors)
    rules = PlanRules.objects.filter(plan=plan).first() or PlanRules(
        association=plan.association, plan=plan
    )
    before = _rules_state(rules) if rules.pk else {}
    rules.equity_cap_base = equity_cap_base
    rules.equity_cap_tiers = tiers_json(tiers)
    rules.equity_min = equity_min
    rules.admin_share_max = admin_share_max
    rules.admin_categories = [c for c in budget.COST_CATEGORIES if c in admin_categories]
    rules.save()
    changes = diff(before, _rules_state(rules))
    if changes:
        audit_log(
            action="plan.rules_updated",
            actor=actor,
            association=plan.association,
            obj=plan,
            changes=changes,
        )
    return rules


def _rules_state(rules: PlanRules) -> dict[str, Any]:
    return {
        "equity_cap_base": rules.equity_cap_base,
        "equity_cap_tiers": [
            {"up_to": t["up_to"], "rate": str(Decimal(str(t["rate"])).normalize())}
            for t in rules.equity_cap_tiers
        ],
        "equity_min": rules.equity_min,
        "admin_share_max": str(Decimal(rules.admin_share_max).normalize()),
        "admin_categories": list(rules.admin_categories),
    }


def _default_rules(plan: Plan) -> PlanRules:
    defaults = budget.Rules()
    return PlanRules.objects.create(
        association=plan.association,
        plan=plan,
        equity_cap_base=defaults.equity_cap_base,
        equity_cap_tiers=tiers_json(defaults.tiers),
        equity_min=defaults.equity_min,
        admin_share_max=defaults.admin_share_max,
        admin_categories=[c for c in budget.COST_CATEGORIES if c in defaults.admin_categories],
    )


# ---------------------------------------------------------------------------
# Contributions


def _split_members(plan: Plan) -> list[DocMember]:
    return [DocMember(pm.member.name, pm.member.kind, pm.population) for pm in plan_members(plan)]


def _generated_specs(
    document: PlanDocument,
    members: Mapping[str, Member],
    *,
    field_prefix: str = "contributions",
) -> list[LineSpec]:
    """Contribution lines made from the yearly totals: half to the first state member,
    a quarter to the region, a quarter to the municipalities by the key (the split and
    the line names are the plan document's, so that file and pages agree)."""
    try:
        generated = document.generated_contributions()
    except ValueError as error:
        raise ValidationError({field_prefix: [_split_problem(document, str(error))]}) from error
    return [
        LineSpec(
            side=BudgetLine.Side.REVENUE,
            name=line.name,
            category=CONTRIBUTION,
            amounts=line.amounts,
            member=members[line.member] if line.member else None,
            generated=True,
            position=index,
        )
        for index, line in enumerate(generated)
    ]


def _split_problem(document: PlanDocument, error: str) -> str:
    if "state member" in error:
        return _("Fördelningen 50/25/25 kräver en statlig medlem, en region och minst en kommun.")
    if "weights" in error:
        if document.contributions and document.contributions.municipal_key == "shares":
            return _("Ange kommunernas andelar; minst en andel måste vara större än noll.")
        missing = [
            m.name
            for m in document.members
            if m.kind == Member.Kind.MUNICIPALITY and not m.population
        ]
        return _(
            "Folkmängd saknas för %(names)s år %(year)s. Lägg in den under Inställningar › "
            "Medlemmar eller välj en annan fördelningsnyckel."
        ) % {"names": ", ".join(missing), "year": document.years[0]}
    return error


@transaction.atomic
def contribution_total_update(
    *,
    actor: Any,
    plan: Plan,
    total: Mapping[int, int],
    municipal_key: str,
    shares: Mapping[str, int] | None = None,
) -> Plan:
    """Set the yearly contribution totals and the municipal key, and make the
    contribution lines again from them. Without totals the generated lines go, and
    contributions are written line by line instead."""
    errors: dict[str, list[str]] = {}
    for year, amount in total.items():
        if year not in plan.years:
            errors[f"total_{year}"] = [_("Året %(year)s ingår inte i planen.") % {"year": year}]
        elif amount < 0:
            errors[f"total_{year}"] = [_("Beloppet kan inte vara negativt.")]
    if municipal_key not in budget.MUNICIPAL_KEYS:
        errors["municipal_key"] = [_("Välj en fördelningsnyckel i listan.")]
    if errors:
        raise ValidationError(errors)
    members = plan_members(plan)
    by_name = {pm.member.name: pm.member for pm in members}
    if total and municipal_key == "population":
        missing = [
            pm.member.name
            for pm in members
            if pm.member.kind == Member.Kind.MUNICIPALITY and not pm.population
        ]
        if missing:
            raise ValidationError(
                {
                    "municipal_key": [
                        _(
                            "Folkmängd saknas för %(names)s år %(year)s. Lägg in den under "
                            "Inställningar › Medlemmar eller välj en annan fördelningsnyckel."
                        )
                        % {"names": ", ".join(missing), "year": plan.first_year}
                    ]
                }
            )
    totals = {year: amount for year, amount in total.items() if amount is not None}
    clean_shares = {name: share for name, share in (shares or {}).items() if name in by_name}
    document = PlanDocument(
        association=plan.association.name,
        members=_split_members(plan),
        years=plan.years,
        contributions=DocContributions(
            total=totals,
            municipal_key=municipal_key,
            shares=clean_shares if municipal_key == "shares" else None,
        )
        if totals
        else None,
    )
    specs = _generated_specs(document, by_name, field_prefix="municipal_key")
    generated_lines = list(plan.lines.filter(generated=True).prefetch_related("amounts"))
    clash = plan.lines.filter(
        side=BudgetLine.Side.REVENUE, generated=False, name__in=[s.name for s in specs]
    ).values_list("name", flat=True)
    if clash:
        raise ValidationError(
            _("Det finns redan en intäktsrad som heter %(name)s.") % {"name": clash[0]}
        )
    before = {
        "contribution_total": dict(plan.contribution_total),
        "municipal_key": plan.municipal_key,
        "municipal_shares": dict(plan.municipal_shares),
    }
    plan.contribution_total = {str(year): amount for year, amount in sorted(totals.items())}
    plan.municipal_key = municipal_key
    plan.municipal_shares = dict(clean_shares) if municipal_key == "shares" else {}
    plan.save()
    _sync_lines(plan, specs, only=generated_lines)
    # The generated lines come first among the revenues, the written ones after them.
    others = plan.lines.filter(side=BudgetLine.Side.REVENUE, generated=False)
    for offset, line in enumerate(others.order_by("position", "id"), start=len(specs)):
        if line.position != offset:
            line.position = offset
            line.save(update_fields=["position"])
    after = {
        "contribution_total": dict(plan.contribution_total),
        "municipal_key": plan.municipal_key,
        "municipal_shares": dict(plan.municipal_shares),
    }
    changes = diff(before, after)
    if changes:
        audit_log(
            action="plan.contributions_updated",
            actor=actor,
            association=plan.association,
            obj=plan,
            changes=changes,
        )
    return plan


# ---------------------------------------------------------------------------
# Plans

PLAN_FIELDS = ["first_year", "last_year", "unit", "opening_equity", "decided_on"]


def _plan_state(plan: Plan) -> dict[str, Any]:
    return {
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "unit": plan.unit,
        "opening_equity": plan.opening_equity,
        "decided_on": str(plan.decided_on) if plan.decided_on else None,
    }


def _check_years(first_year: int, last_year: int, *, field: str = "last_year") -> None:
    if last_year < first_year:
        raise ValidationError({field: [_("Sista planåret kan inte vara före budgetåret.")]})
    if last_year - first_year + 1 > MAX_PLAN_YEARS:
        raise ValidationError(
            {field: [_("En plan omfattar högst %(n)s år.") % {"n": MAX_PLAN_YEARS}]}
        )


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    association: Association,
    first_year: int,
    last_year: int,
    opening_equity: int = 0,
    unit: str = Unit.TKR,
    decided_on: Any = None,
) -> Plan:
    """An empty plan for the given years, with the national recommendation's rules,
    covering all the förbund's members."""
    _check_years(first_year, last_year)
    if Plan.objects.filter(association=association).filter(first_year=first_year).exists():
        raise ValidationError(
            {"first_year": [_("Det finns redan en budget för %(year)s.") % {"year": first_year}]}
        )
    plan = Plan(
        association=association,
        first_year=first_year,
        last_year=last_year,
        unit=unit,
        opening_equity=opening_equity,
        decided_on=decided_on,
        member_ids=[m.pk for m in association.members.order_by(Member.kind_order(), "name")],
    )
    plan.full_clean()
    plan.save()
    _default_rules(plan)
    audit_log(
        action="plan.created",
        actor=actor,
        association=association,
        obj=plan,
        changes=_plan_state(plan),
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    actor: Any,
    plan: Plan,
    last_year: int | None = None,
    opening_equity: int | None = None,
    unit: str | None = None,
    decided_on: Any = None,
) -> Plan:
    """Change the plan's years, opening equity, unit or decision date. Shortening the
    plan drops the amounts of the years it no longer has."""
    before = _plan_state(plan)
    if last_year is not None:
        _check_years(plan.first_year, last_year)
        plan.last_year = last_year
    if opening_equity is not None:
        plan.opening_equity = opening_equity
    if unit is not None:
        plan.unit = unit
    plan.decided_on = decided_on
    plan.full_clean()
    plan.save()
    BudgetAmount.objects.filter(line__plan=plan, year__gt=plan.last_year).delete()
    changes = diff(before, _plan_state(plan))
    if changes:
        audit_log(
            action="plan.updated",
            actor=actor,
            association=plan.association,
            obj=plan,
            changes=changes,
        )
    return plan


def _store_members(
    *, actor: Any, association: Association, document: PlanDocument
) -> tuple[dict[str, Member], list[str]]:
    """The file's members, found by name or created with the file's kind; the
    population of the plan's first year recorded where the file gives it."""
    existing = {member.name.casefold(): member for member in association.members.all()}
    found: dict[str, Member] = {}
    created: list[str] = []
    errors: dict[str, list[str]] = {}
    kinds = dict(Member.Kind.choices)
    for index, doc_member in enumerate(document.members):
        path = f"association.members[{index}]"
        member = existing.get(doc_member.name.casefold())
        if member is None:
            member = association_services.member_create(
                actor=actor, association=association, name=doc_member.name, kind=doc_member.kind
            )
            existing[member.name.casefold()] = member
            created.append(member.name)
        elif member.kind != doc_member.kind:
            errors[f"{path}.kind"] = [
                _("”%(kind)s”: %(name)s finns redan i förbundet som %(existing)s.")
                % {
                    "kind": doc_member.kind,
                    "name": member.name,
                    "existing": str(kinds.get(member.kind, member.kind)).lower(),
                }
            ]
            continue
        if doc_member.population is not None:
            if member.kind != Member.Kind.MUNICIPALITY:
                errors[f"{path}.population"] = [
                    _("”%(value)s”: folkmängd anges bara för kommuner.")
                    % {"value": doc_member.population}
                ]
                continue
            association_services.population_set(
                actor=actor,
                member=member,
                year=document.years[0],
                population=doc_member.population,
            )
        found[doc_member.name] = member
    if errors:
        raise ValidationError(errors)
    return found, created


def _document_specs(document: PlanDocument, members: Mapping[str, Member]) -> list[LineSpec]:
    unit = document.unit
    errors: dict[str, list[str]] = {}

    def spec(doc: DocLine, side: str, path: str, position: int) -> LineSpec:
        member = None
        if doc.member is not None:
            member = members.get(doc.member)
            if member is None:
                errors[f"{path}.member"] = [
                    _("”%(name)s” finns inte bland medlemmarna.") % {"name": doc.member}
                ]
        return LineSpec(
            side=side,
            name=doc.name,
            category=doc.kind,
            amounts=dict(doc.amounts),
            unit="" if doc.unit in (None, unit) else str(doc.unit),
            member=member,
            intervention_name=doc.intervention or "",
            position=position,
        )

    specs: list[LineSpec] = []
    taken: set[tuple[str, str]] = set()
    generated = _generated_specs(document, members) if document.contributions else []
    for line in generated:
        taken.add((line.side, line.name.casefold()))
    specs += generated
    for side, lines, prefix in (
        (BudgetLine.Side.REVENUE, document.revenues, "revenues"),
        (BudgetLine.Side.COST, document.costs, "costs"),
    ):
        for index, doc in enumerate(lines):
            path = f"{prefix}[{index}]"
            key = (side, doc.name.casefold())
            if key in taken:
                errors[f"{path}.name"] = [
                    _("”%(name)s”: namnet finns redan på en annan rad.") % {"name": doc.name}
                ]
                continue
            taken.add(key)
            position = len(generated) + index if side == BudgetLine.Side.REVENUE else index
            specs.append(spec(doc, side, path, position))
    if errors:
        raise ValidationError(errors)
    return specs


@transaction.atomic
def plan_store(*, actor: Any, association: Association, document: PlanDocument) -> Plan:
    """Store a checked plan document (`stegvis-plan/1`) as the förbund's plan for its
    first year, in one transaction: members found by name or created, the first year's
    population recorded, and a plan with the same budget year replaced in place, so
    that its earlier version stays in the history. Lines are matched by name, so that
    a line kept from one version to the next keeps its utfall.

    Raises ValidationError keyed by the plan file path (`association.members[2].kind`)
    when the document does not fit the förbund; nothing is stored then."""
    years = list(document.years)
    if not years:
        raise ValidationError({"years": [_("Planen saknar år.")]})
    if years != list(range(years[0], years[0] + len(years))):
        raise ValidationError(
            {"years": [_("Åren ska följa på varandra: %(years)s") % {"years": years}]}
        )
    _check_years(years[0], years[-1], field="years")
    with scope(association=association):
        members, created = _store_members(actor=actor, association=association, document=document)
        plan = Plan.objects.filter(association=association).filter(first_year=years[0]).first()
        replaced = plan is not None
        if plan is None:
            plan = Plan(association=association, first_year=years[0])
        plan.last_year = years[-1]
        plan.unit = document.unit
        plan.opening_equity = document.opening_equity
        contributions = document.contributions
        plan.contribution_total = (
            {str(year): amount for year, amount in sorted(contributions.total.items())}
            if contributions
            else {}
        )
        plan.municipal_key = contributions.municipal_key if contributions else "population"
        plan.municipal_shares = dict(contributions.shares or {}) if contributions else {}
        plan.member_ids = [members[m.name].pk for m in document.members]
        plan.interventions = list(document.interventions)
        plan.full_clean()
        plan.save()

        rules = document.rules
        record = PlanRules.objects.filter(plan=plan).first() or PlanRules(
            association=association, plan=plan
        )
        record.equity_cap_base = rules.equity_cap_base
        record.equity_cap_tiers = tiers_json(rules.tiers)
        record.equity_min = rules.equity_min
        record.admin_share_max = rules.admin_share_max
        record.admin_categories = list(rules.admin_categories)
        record.full_clean()
        record.save()

        specs = _document_specs(document, members)
        _sync_lines(plan, specs)
        if document.goals:
            # A plan file without a goal map leaves the year's goal map as it is.
            plan_goals_store(
                actor=actor, association=association, year=years[0], goals=list(document.goals)
            )
        figures = budget.year_figures(document.to_budget())
        audit_log(
            action="plan.imported",
            actor=actor,
            association=association,
            obj=plan,
            changes={
                "years": _years_text(plan),
                "replaced": replaced,
                "members_created": created,
                "revenue_lines": sum(1 for s in specs if s.side == BudgetLine.Side.REVENUE),
                "cost_lines": sum(1 for s in specs if s.side == BudgetLine.Side.COST),
                "goals": len(document.goals),
                "opening_equity": plan.opening_equity,
                "revenues": {str(f.year): f.revenues for f in figures},
                "costs": {str(f.year): f.costs for f in figures},
            },
        )
    return plan
