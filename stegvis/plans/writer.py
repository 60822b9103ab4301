"""A `PlanDocument` written as a plan file: YAML (the reference form), JSON or an
Excel workbook (layout in `excel`).

What is written reads back as the same document, and the same document always gives
the same bytes, so that an exported plan can be kept in version control and
export → import → export changes nothing. Amounts are written in the plan's unit (or
the line's own): tkr as whole numbers when they are whole, otherwise as decimals
(1 637 273 kr = 1637.273 tkr). The `contributions` block is written when the plan has
one — its generated contribution lines are not written as revenue lines — and
`rules` always, defaults included, so the file says what it is checked against.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import yaml

from stegvis.plans.document import FORMAT, DocLine, PlanDocument
from stegvis.plans.source import PlanLoader
from stegvis.plans.vocabulary import EXTRA_KEYS

FORMATS = ("yaml", "json", "xlsx")
STR_TAG = "tag:yaml.org,2002:str"


class Flow(dict[Any, Any]):
    """A mapping written on one line: `{name: Försäkringskassan, kind: state}`."""


class FlowList(list[Any]):
    """A list written on one line: `[2024, 2025, 2026]`."""


class PlanDumper(yaml.SafeDumper):
    """Lists indented under their key, as in the spec's example, and a text quoted
    whenever either YAML 1.1 or the reader's YAML 1.2 types would take it for
    something else (`08` and `0E0` are texts to one and numbers to the other)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        tag = super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode and implicit[0] and tag == STR_TAG:
            resolvers = PlanLoader.yaml_implicit_resolvers
            for candidate, pattern in [
                *resolvers.get(value[0] if value else "", []),
                *resolvers.get(None, []),
            ]:
                if pattern.match(value):
                    return candidate
        return tag


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if value == value.to_integral_value():
        return dumper.represent_int(int(value))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


PlanDumper.add_representer(
    Flow,
    lambda dumper, value: dumper.represent_mapping(
        "tag:yaml.org,2002:map", list(value.items()), flow_style=True
    ),
)
PlanDumper.add_representer(
    FlowList,
    lambda dumper, value: dumper.represent_sequence(
        "tag:yaml.org,2002:seq", list(value), flow_style=True
    ),
)
PlanDumper.add_representer(Decimal, _represent_decimal)


def in_unit(kronor: int, unit: str) -> int | Decimal:
    """Whole kronor in the file's unit: 1 637 273 kr → 1637.273 tkr, 2 000 000 → 2000."""
    if unit != "tkr":
        return kronor
    value = Decimal(kronor) / 1000
    return int(value) if value == value.to_integral_value() else value


def _amounts(amounts: dict[int, int], unit: str) -> Flow:
    return Flow((year, in_unit(amounts[year], unit)) for year in sorted(amounts))


def _line(line: DocLine, *, cost: bool, plan_unit: str) -> dict[str, Any]:
    unit = line.unit if line.unit and line.unit != plan_unit else None
    out: dict[str, Any] = {"name": line.name}
    if cost:
        out["category"] = line.kind
        if line.intervention:
            out["intervention"] = line.intervention
    else:
        out["kind"] = line.kind
        if line.member:
            out["member"] = line.member
    if unit:
        out["unit"] = unit
    out["amounts"] = _amounts(line.amounts, unit or plan_unit)
    return out


INTERVENTION_KEYS = ("name", "kind", "owner", "members", "start", "end", "targets")
TARGET_KEYS = ("text", "metric", *EXTRA_KEYS, "op", "value", "year")
GOAL_KEYS = ("perspective", "text", "activities", "responsible", "indicators")


def _ordered(item: dict[str, Any], keys: tuple[str, ...]) -> list[tuple[str, Any]]:
    """The keys in the reader's order, whatever order they come in (PostgreSQL's
    jsonb does not keep it), so that a stored plan exports as it was imported."""
    rank = {key: position for position, key in enumerate(keys)}
    return sorted(item.items(), key=lambda pair: (rank.get(pair[0], len(keys)), pair[0]))


def _target(target: dict[str, Any]) -> Flow:
    return Flow(_ordered(target, TARGET_KEYS))


def document_data(document: PlanDocument) -> dict[str, Any]:
    """The document as the file's data, in the spec's order, amounts in the file's
    unit. Mappings and lists marked `Flow`/`FlowList` are written on one line."""
    unit = document.unit
    data: dict[str, Any] = {
        "format": FORMAT,
        "unit": unit,
        "association": {
            "name": document.association,
            "members": [
                Flow(
                    [("name", m.name), ("kind", m.kind)]
                    + ([("population", m.population)] if m.population is not None else [])
                )
                for m in document.members
            ],
        },
        "years": FlowList(document.years),
        "opening_equity": in_unit(document.opening_equity, unit),
    }
    revenues = list(document.revenues)
    if document.contributions is not None:
        contributions = document.contributions
        block: dict[str, Any] = {
            "total": _amounts(contributions.total, unit),
            "municipal_key": contributions.municipal_key,
        }
        if contributions.municipal_key == "shares":
            block["shares"] = Flow(contributions.shares or {})
        data["contributions"] = block
        # Generated lines are made again from the total; never written as lines.
        generated = document.generated_contributions()
        revenues = [line for line in revenues if not _same_line(line, generated)]
    rules = document.rules
    data["rules"] = {
        "equity_cap": {
            "base": rules.equity_cap_base,
            "tiers": [
                Flow(
                    ([("up_to", in_unit(tier.up_to, unit))] if tier.up_to is not None else [])
                    + [("rate", tier.rate)]
                )
                for tier in rules.tiers
            ],
        },
        "equity_min": in_unit(rules.equity_min, unit),
        "admin_share_max": rules.admin_share_max,
        "admin_categories": FlowList(rules.admin_categories),
    }
    if revenues:
        data["revenues"] = [_line(line, cost=False, plan_unit=unit) for line in revenues]
    if document.costs:
        data["costs"] = [_line(line, cost=True, plan_unit=unit) for line in document.costs]
    if document.interventions:
        data["interventions"] = [
            {
                key: (
                    FlowList(value)
                    if key == "members"
                    else [_target(t) for t in value]
                    if key == "targets"
                    else value
                )
                for key, value in _ordered(item, INTERVENTION_KEYS)
            }
            for item in document.interventions
        ]
    if document.goals:
        data["goals"] = [
            {
                key: [_target(t) for t in value] if key == "indicators" else value
                for key, value in _ordered(goal, GOAL_KEYS)
            }
            for goal in document.goals
        ]
    return data


def _same_line(line: DocLine, generated: list[DocLine]) -> bool:
    return any(
        line.name == g.name
        and line.kind == g.kind
        and line.member == g.member
        and dict(line.amounts) == g.amounts
        for g in generated
    )


def _yaml_dates(data: dict[str, Any]) -> dict[str, Any]:
    """Insats dates as YAML dates (written plain: 2023-01-01; read back as text)."""
    for item in data.get("interventions", []):
        for key in ("start", "end"):
            if isinstance(item.get(key), str):
                item[key] = datetime.date.fromisoformat(item[key])
    return data


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _title(document: PlanDocument) -> str:
    years = document.years
    span = f"budget {years[0]}" if years else "plan"
    if len(years) > 1:
        span += f", plan {years[1]}–{years[-1]}" if len(years) > 2 else f", plan {years[1]}"
    name = " ".join(document.association.split())
    return f"# {name}: {span} ({FORMAT}, belopp i {document.unit})\n"


def write_plan(document: PlanDocument, *, fmt: str) -> bytes:
    """The plan as a file in `fmt` (yaml | json | xlsx); the same document always
    gives the same bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"okänt filformat {fmt!r}: yaml, json eller xlsx")
    data = document_data(document)
    if fmt == "json":
        return (json.dumps(_json_ready(data), ensure_ascii=False, indent=2) + "\n").encode()
    if fmt == "xlsx":
        from stegvis.plans import excel  # openpyxl only when a workbook is written

        return excel.write_workbook(data)
    text = yaml.dump(
        _yaml_dates(data),
        Dumper=PlanDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
    )
    return (_title(document) + text).encode()


def plan_template_xlsx() -> bytes:
    """The Excel template to download: every sheet with its headers, a "Läs mig" sheet
    explaining each row and column in Swedish, and the spec's example plan as example
    rows."""
    from stegvis.plans import excel
    from stegvis.plans.reader import read_plan
    from stegvis.plans.template import EXAMPLE_PLAN

    document, _warnings = read_plan(EXAMPLE_PLAN.encode(), filename="exempel.yaml")
    return excel.write_workbook(document_data(document), template=True)
