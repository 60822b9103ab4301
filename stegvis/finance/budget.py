"""The budget arithmetic of a verksamhetsplan, on plain values (no database).

Everything is in whole kronor. The rules and computations are those of
`shared/spec/plan-format.md` ("Computed per year", "Findings"): the state pays
half of the contributions, the region and the municipalities a quarter each
(Lag (2003:1210) om finansiell samordning av rehabiliteringsinsatser, 4 §, and
the förbundsordningar seen), the equity cap follows the national
recommendation (20 % of revenues up to 7 Mkr, 15 % above) unless the förbund
sets its own, and administration should stay under 15 % of costs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

STATE = "state"
REGION = "region"
MUNICIPALITY = "municipality"

COST_CATEGORIES = (
    "board",
    "administration",
    "premises",
    "competence",
    "individual",
    "structural",
    "other",
    "unallocated",
)
REVENUE_KINDS = ("contribution", "grant", "other")
MUNICIPAL_KEYS = ("population", "equal", "shares")
EQUITY_CAP_BASES = ("revenues", "contributions")
# A plan is a budget year and at most nine plan years.
MAX_PLAN_YEARS = 10

# The national recommendation, in kronor whatever the file's unit.
DEFAULT_TIERS: tuple[Tier, ...]  # set below, after Tier
DEFAULT_ADMIN_SHARE_MAX = Decimal("0.15")
DEFAULT_ADMIN_CATEGORIES = frozenset({"board", "administration", "premises"})
# Contributions may deviate from 50/25/25 by this much before it is a finding.
SPLIT_TOLERANCE = Decimal("0.005")
SHARE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Member:
    name: str
    kind: str  # state | region | municipality
    population: int | None = None


@dataclass(frozen=True)
class Line:
    """A revenue line (kind: contribution | grant | other) or a cost line (kind: a category)."""

    name: str
    kind: str
    amounts: Mapping[int, int]  # year → kronor
    member: str | None = None  # contribution lines: the paying member
    intervention: str | None = None  # cost lines: the insats it funds


@dataclass(frozen=True)
class Tier:
    rate: Decimal
    up_to: int | None = None  # kronor; None for the last tier


DEFAULT_TIERS = (Tier(rate=Decimal("0.20"), up_to=7_000_000), Tier(rate=Decimal("0.15")))


@dataclass(frozen=True)
class Rules:
    equity_cap_base: str = "revenues"
    tiers: tuple[Tier, ...] = DEFAULT_TIERS
    equity_min: int = 0
    admin_share_max: Decimal = DEFAULT_ADMIN_SHARE_MAX
    admin_categories: frozenset[str] = DEFAULT_ADMIN_CATEGORIES


@dataclass(frozen=True)
class Budget:
    """What the arithmetic needs of a plan."""

    years: tuple[int, ...]
    opening_equity: int
    members: tuple[Member, ...]
    revenues: tuple[Line, ...]
    costs: tuple[Line, ...]
    rules: Rules = field(default_factory=Rules)


@dataclass(frozen=True)
class YearFigures:
    year: int
    opening_equity: int
    contributions: int
    other_revenues: int
    revenues: int
    disposable: int  # "medel att disponera"
    costs: int
    costs_by_category: dict[str, int]
    result: int
    closing_equity: int
    equity_cap: int
    admin_share: Decimal | None  # None when there are no costs
    unbudgeted: int  # "ej budgeterat": closing equity above the minimum (buffer)


@dataclass(frozen=True)
class Finding:
    year: int
    rule: str  # equity_cap | equity_min | negative_equity | admin_share | contribution_split
    value: int | Decimal
    limit: int | Decimal
    message: str


def largest_remainder(total: int, weights: Sequence[int | Fraction]) -> list[int]:
    """Split `total` kronor in proportion to `weights`, in whole kronor that add up
    exactly to `total`: everyone gets the floor of their exact share, and the kronor
    left go one each to the largest remainders (earlier parts win ties)."""
    if not weights:
        raise ValueError("nothing to split between")
    weight_sum = sum(Fraction(w) for w in weights)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    exact = [Fraction(total) * Fraction(w) / weight_sum for w in weights]
    parts = [int(share // 1) for share in exact]
    left = total - sum(parts)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in order[:left]:
        parts[index] += 1
    return parts


def split_contributions(
    *,
    total: int,
    members: Sequence[Member],
    municipal_key: str = "population",
    shares: Mapping[str, int | Fraction] | None = None,
) -> dict[str, int]:
    """One year's contribution total split 50/25/25: half to the first state member
    (Försäkringskassan pays the state's share, Arbetsförmedlingen's too), a quarter to
    the region, a quarter to the municipalities by the key. Parts add up to the total."""
    state = next((m for m in members if m.kind == STATE), None)
    region = next((m for m in members if m.kind == REGION), None)
    municipalities = [m for m in members if m.kind == MUNICIPALITY]
    if state is None or region is None or not municipalities:
        raise ValueError("a split needs a state member, a region and at least one municipality")
    state_part, region_part, municipal_part = largest_remainder(total, [2, 1, 1])
    if municipal_key == "population":
        weights: list[int | Fraction] = [m.population or 0 for m in municipalities]
    elif municipal_key == "equal":
        weights = [1] * len(municipalities)
    elif municipal_key == "shares":
        weights = [Fraction((shares or {}).get(m.name, 0)) for m in municipalities]
    else:
        raise ValueError(f"unknown municipal key {municipal_key!r}")
    split = {state.name: state_part, region.name: region_part}
    for member, part in zip(
        municipalities, largest_remainder(municipal_part, weights), strict=True
    ):
        split[member.name] = part
    return split


def equity_cap(*, base: int, tiers: Sequence[Tier]) -> int:
    """The tiered cap: each tier's rate on the part of the base inside it."""
    cap = Decimal(0)
    lower = 0
    for tier in tiers:
        upper = base if tier.up_to is None else min(base, tier.up_to)
        if upper > lower:
            cap += (upper - lower) * tier.rate
        if tier.up_to is None or base <= tier.up_to:
            break
        lower = tier.up_to
    return int(cap.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def year_figures(budget: Budget) -> list[YearFigures]:
    """Revenues, costs, result and equity for every year, each year's closing equity
    the next year's opening."""
    figures = []
    opening = budget.opening_equity
    for year in budget.years:
        contributions = sum(
            line.amounts.get(year, 0) for line in budget.revenues if line.kind == "contribution"
        )
        other = sum(
            line.amounts.get(year, 0) for line in budget.revenues if line.kind != "contribution"
        )
        by_category: dict[str, int] = {}
        for line in budget.costs:
            amount = line.amounts.get(year, 0)
            if amount:
                by_category[line.kind] = by_category.get(line.kind, 0) + amount
        costs = sum(by_category.values())
        revenues = contributions + other
        closing = opening + revenues - costs
        base = revenues if budget.rules.equity_cap_base == "revenues" else contributions
        admin = sum(v for k, v in by_category.items() if k in budget.rules.admin_categories)
        figures.append(
            YearFigures(
                year=year,
                opening_equity=opening,
                contributions=contributions,
                other_revenues=other,
                revenues=revenues,
                disposable=opening + revenues,
                costs=costs,
                costs_by_category={c: by_category[c] for c in COST_CATEGORIES if c in by_category},
                result=revenues - costs,
                closing_equity=closing,
                equity_cap=equity_cap(base=base, tiers=budget.rules.tiers),
                admin_share=_share(admin, costs),
                unbudgeted=closing - budget.rules.equity_min,
            )
        )
        opening = closing
    return figures


def tkr(amount: int) -> str:
    """6 299 000 → '6 299 tkr' (rounded to whole tkr, Swedish grouping; for messages)."""
    thousands = (Decimal(amount) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{int(thousands):,}".replace(",", " ") + " tkr"


def percent(share: Decimal) -> str:
    """0.4142 → '41,4 %'."""
    shown = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{shown}".replace(".", ",") + " %"


def contribution_parts(budget: Budget, year: int) -> dict[str, int]:
    """The year's contributions by member kind (state, region, municipality)."""
    kinds = {member.name: member.kind for member in budget.members}
    parts = {STATE: 0, REGION: 0, MUNICIPALITY: 0}
    for line in budget.revenues:
        if line.kind == "contribution" and line.member in kinds:
            parts[kinds[line.member]] += line.amounts.get(year, 0)
    return parts


def findings(budget: Budget, figures: Sequence[YearFigures] | None = None) -> list[Finding]:
    """Every rule broken, year by year (spec "Findings")."""
    figures = list(figures) if figures is not None else year_figures(budget)
    rules = budget.rules
    found: list[Finding] = []
    for year in figures:
        if year.closing_equity > year.equity_cap:
            found.append(
                Finding(
                    year.year,
                    "equity_cap",
                    year.closing_equity,
                    year.equity_cap,
                    f"Eget kapital {tkr(year.closing_equity)} överstiger taket {tkr(year.equity_cap)}",
                )
            )
        if year.closing_equity < rules.equity_min:
            found.append(
                Finding(
                    year.year,
                    "equity_min",
                    year.closing_equity,
                    rules.equity_min,
                    f"Eget kapital {tkr(year.closing_equity)} är under lägstanivån "
                    f"{tkr(rules.equity_min)}",
                )
            )
        if year.closing_equity < 0:
            found.append(
                Finding(
                    year.year,
                    "negative_equity",
                    year.closing_equity,
                    0,
                    f"Eget kapital är negativt: {tkr(year.closing_equity)}",
                )
            )
        if year.admin_share is not None and year.admin_share > rules.admin_share_max:
            found.append(
                Finding(
                    year.year,
                    "admin_share",
                    year.admin_share,
                    rules.admin_share_max,
                    f"Administrativa kostnader {percent(year.admin_share)} av kostnaderna, "
                    f"högst {percent(rules.admin_share_max).replace(',0', '')}",
                )
            )
        if year.contributions:
            parts = contribution_parts(budget, year.year)
            expected = {
                STATE: Decimal("0.5"),
                REGION: Decimal("0.25"),
                MUNICIPALITY: Decimal("0.25"),
            }
            worst = max(
                expected,
                key=lambda kind: abs(Decimal(parts[kind]) / year.contributions - expected[kind]),
            )
            actual = (Decimal(parts[worst]) / year.contributions).quantize(
                SHARE_PLACES, rounding=ROUND_HALF_UP
            )
            if abs(Decimal(parts[worst]) / year.contributions - expected[worst]) > SPLIT_TOLERANCE:
                names = {STATE: "staten", REGION: "regionen", MUNICIPALITY: "kommunerna"}
                found.append(
                    Finding(
                        year.year,
                        "contribution_split",
                        actual,
                        expected[worst],
                        f"Medlemsavgifterna fördelas inte 50/25/25: {names[worst]} står för "
                        f"{percent(actual)}, ska vara {percent(expected[worst]).replace(',0', '')}",
                    )
                )
    return found
