"""Hypothesis strategies: valid plan documents, as the reader would give them."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from stegvis.finance import budget
from stegvis.plans.document import DocContributions, DocLine, DocMember, DocRules, PlanDocument
from stegvis.plans.vocabulary import METRICS, OPS

# Letters a name may have, including those that YAML, JSON or Excel treat specially
# (quotes, colon, hash, dash, equals sign, digits). Not `,` and `;`: the Excel layout
# separates the members of an insats with them.
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzåäöÅÄÖABCDEFGHIJKLMNOPQRSTUVWXYZé0123456789 -:#'\"=&*!%@()/"


# Texts that YAML 1.1, YAML 1.2 or JSON could take for something else.
LOOKALIKES = [
    "08", "0E0", "1e3", "0x1F", "0o17", ".5", "+1", "-0", "1_000", "1:30", "Yes", "NO", "on",
    "NULL", "~", "true", "2024-01-01", ".inf", ".NaN", "1 637 273", "12,5", "=1+1", "- a",
    "a: b", "#x", "'q'", '"q"', "[x]", "{x}", "&a", "*a", "!t", "%p", "@x", "`x",
]  # fmt: skip


def names() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=NAME_CHARS, min_size=1, max_size=24)
        .map(lambda text: " ".join(text.split()))
        .filter(bool),
        st.sampled_from(LOOKALIKES),
    )


def texts() -> st.SearchStrategy[str]:
    return st.one_of(
        names(),
        st.sampled_from(LOOKALIKES),
        st.tuples(names(), names()).map(lambda pair: f"{pair[0]}\n{pair[1]}"),
    )


def shares_of_one(places: int = 4) -> st.SearchStrategy[Decimal]:
    scale = 10**places
    return st.integers(0, scale).map(lambda n: (Decimal(n) / scale).normalize())


@st.composite
def targets(draw: Any, members: list[DocMember], years: list[int]) -> dict[str, Any]:
    metric = METRICS[draw(st.sampled_from(sorted(METRICS)))]
    target: dict[str, Any] = {"text": draw(texts()), "metric": metric.code}
    municipalities = [m.name for m in members if m.kind == budget.MUNICIPALITY]
    for key in metric.required:
        target[key] = draw(names())
    for key in metric.optional:
        if draw(st.booleans()):
            target[key] = (
                draw(st.sampled_from(municipalities)) if key == "municipality" else draw(names())
            )
    if draw(st.booleans()):
        target["op"] = draw(st.sampled_from(OPS))
        if metric.share:
            value = draw(shares_of_one())
        else:
            value = Decimal(draw(st.integers(0, 10**8))) / draw(st.sampled_from([1, 100]))
        target["value"] = int(value) if value == value.to_integral_value() else float(value)
    if draw(st.booleans()):
        target["year"] = draw(st.sampled_from(years))
    return target


@st.composite
def documents(draw: Any) -> PlanDocument:
    first = draw(st.integers(2000, 2100))
    years = list(range(first, first + draw(st.integers(1, 6))))
    unit = draw(st.sampled_from(["tkr", "kr"]))
    other_unit = "kr" if unit == "tkr" else "tkr"
    member_names = draw(st.lists(names(), min_size=3, max_size=8, unique_by=str.casefold))
    kinds = [budget.STATE, budget.REGION, budget.MUNICIPALITY]
    kinds += [draw(st.sampled_from(kinds)) for _ in member_names[3:]]
    members = [
        DocMember(
            name=name,
            kind=kind,
            population=draw(st.integers(1, 10**6)) if kind == budget.MUNICIPALITY else None,
        )
        for name, kind in zip(member_names, kinds, strict=True)
    ]
    municipalities = [m.name for m in members if m.kind == budget.MUNICIPALITY]
    amounts = st.dictionaries(st.sampled_from(years), st.integers(0, 10**10))

    contributions = None
    if draw(st.booleans()):
        key = draw(st.sampled_from(budget.MUNICIPAL_KEYS))
        shares = None
        if key == "shares":
            shares = {name: draw(st.integers(1, 100)) for name in municipalities}
        contributions = DocContributions(
            total=draw(st.dictionaries(st.sampled_from(years), st.integers(0, 10**10), min_size=1)),
            municipal_key=key,
            shares=shares,
        )

    limits = sorted(draw(st.sets(st.integers(1, 10**10), max_size=3)))
    tiers = [budget.Tier(rate=draw(shares_of_one()), up_to=limit) for limit in limits]
    if not tiers or draw(st.booleans()):
        tiers.append(budget.Tier(rate=draw(shares_of_one())))
    rules = DocRules(
        equity_cap_base=draw(st.sampled_from(budget.EQUITY_CAP_BASES)),
        tiers=tiers,
        equity_min=draw(st.integers(0, 10**9)),
        admin_share_max=draw(shares_of_one()),
        admin_categories=draw(
            st.lists(st.sampled_from(budget.COST_CATEGORIES), unique=True, max_size=4)
        ),
    )

    intervention_names = draw(st.lists(names(), max_size=3, unique_by=str.casefold))
    interventions = []
    for name in intervention_names:
        item: dict[str, Any] = {
            "name": name,
            "kind": draw(st.sampled_from(["individual", "structural"])),
        }
        if draw(st.booleans()):
            item["owner"] = draw(st.sampled_from(member_names))
        chosen = draw(st.lists(st.sampled_from(member_names), unique=True, max_size=4))
        if chosen:
            item["members"] = chosen
        if draw(st.booleans()):
            start = draw(st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)))
            item["start"] = start.isoformat()
            if draw(st.booleans()):
                item["end"] = (
                    start + datetime.timedelta(days=draw(st.integers(0, 2000)))
                ).isoformat()
        found = draw(st.lists(targets(members, years), max_size=3))
        if found:
            item["targets"] = found
        interventions.append(item)

    generated = {f"Medlemsavgift {name}".casefold() for name in member_names}
    revenue_names = draw(
        st.lists(names(), max_size=4, unique_by=str.casefold).map(
            lambda found: [n for n in found if n.casefold() not in generated]
        )
    )
    revenues = []
    for name in revenue_names:
        kind = draw(st.sampled_from(budget.REVENUE_KINDS))
        member = draw(st.sampled_from(member_names)) if kind == "contribution" else None
        if kind != "contribution" and draw(st.booleans()):
            member = draw(st.sampled_from(member_names))
        revenues.append(
            DocLine(
                name=name,
                kind=kind,
                amounts=draw(amounts),
                unit=draw(st.sampled_from([None, other_unit])),
                member=member,
            )
        )
    costs = [
        DocLine(
            name=name,
            kind=draw(st.sampled_from(budget.COST_CATEGORIES)),
            amounts=draw(amounts),
            unit=draw(st.sampled_from([None, other_unit])),
            intervention=draw(st.sampled_from([None, *intervention_names])),
        )
        for name in draw(st.lists(names(), max_size=5, unique_by=str.casefold))
    ]

    goals = []
    for _ in range(draw(st.integers(0, 2))):
        goal: dict[str, Any] = {}
        for key in ("perspective", "text", "activities", "responsible"):
            if key == "text" or draw(st.booleans()):
                goal[key] = draw(texts())
        indicators = draw(st.lists(targets(members, years), max_size=3))
        if indicators:
            goal["indicators"] = indicators
        goals.append(goal)

    return PlanDocument(
        association=draw(names()),
        members=members,
        years=years,
        unit=unit,
        opening_equity=draw(st.integers(-(10**9), 10**10)),
        contributions=contributions,
        rules=rules,
        revenues=revenues,
        costs=costs,
        interventions=interventions,
        goals=goals,
    )
