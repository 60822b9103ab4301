"""Whatever bytes come in, the reader answers with a plan or with problems: never
another exception, never a traceback."""

from __future__ import annotations

import copy
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from stegvis.plans.document import PlanDocument, PlanFileError
from stegvis.plans.excel import SHEETS
from stegvis.plans.reader import read_plan
from stegvis.plans.source import PlanLoader
from stegvis.plans.validate import Validator
from stegvis.plans.writer import plan_template_xlsx

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_DATA = yaml.load((EXAMPLES / "exempel.yaml").read_text(), Loader=PlanLoader)  # noqa: S506 - our safe loader
TEMPLATE = plan_template_xlsx()


def answers(data: bytes, filename: str) -> None:
    """A document or PlanFileError with at least one problem; anything else fails."""
    try:
        document, warnings = read_plan(data, filename=filename)
    except PlanFileError as error:
        assert error.problems
        assert all(isinstance(p.message, str) and p.message for p in error.problems)
        return
    assert isinstance(document, PlanDocument)
    assert isinstance(warnings, list)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "stegvis-plan/1",
            "tkr",
            "kr",
            "state",
            "region",
            "municipality",
            "2024",
            "1 637 273",
            "12,5",
            "-5",
            "administration",
            "contribution",
            ">=",
            "participants",
            "manual",
        ]
    ),
)
keys = st.one_of(
    st.sampled_from(
        [
            "format",
            "unit",
            "association",
            "name",
            "members",
            "kind",
            "population",
            "years",
            "opening_equity",
            "contributions",
            "total",
            "municipal_key",
            "shares",
            "rules",
            "equity_cap",
            "tiers",
            "up_to",
            "rate",
            "revenues",
            "costs",
            "amounts",
            "category",
            "interventions",
            "targets",
            "metric",
            "op",
            "value",
            "goals",
            "indicators",
            2024,
            2025,
        ]
    ),
    st.text(max_size=8),
    st.integers(),
)
structures = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), filename=st.sampled_from(["p.yaml", "p.json", "p.xlsx", "p"]))
def test_random_bytes_give_a_plan_or_problems(data: bytes, filename: str) -> None:
    answers(data, filename)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200))
def test_random_bytes_after_a_zip_header_give_problems(data: bytes) -> None:
    answers(b"PK\x03\x04" + data, "p.xlsx")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structure=structures)
def test_random_yaml_and_json_structures_give_a_plan_or_problems(structure: Any) -> None:
    answers(yaml.safe_dump(structure, allow_unicode=True).encode(), "p.yaml")
    try:
        text = json.dumps(structure, allow_nan=True)
    except (TypeError, ValueError):
        return
    answers(text.encode(), "p.json")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_valid_plan_gives_a_plan_or_problems(data: st.DataObject) -> None:
    """The example with random parts replaced, removed or added: close to valid, so
    that the deeper rules run on wrong values."""
    plan = copy.deepcopy(EXAMPLE_DATA)
    for _ in range(data.draw(st.integers(1, 4))):
        node: Any = plan
        while isinstance(node, dict | list) and node and data.draw(st.booleans()):
            child_key = data.draw(
                st.sampled_from(list(node) if isinstance(node, dict) else range(len(node)))
            )
            child = node[child_key]
            if not isinstance(child, dict | list) or not child:
                break
            node = child
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(list(node)))
            action = data.draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[key] = data.draw(structures)
            elif action == "delete":
                del node[key]
            else:
                node[data.draw(keys)] = data.draw(structures)
        elif isinstance(node, list) and node:
            node[data.draw(st.integers(0, len(node) - 1))] = data.draw(structures)
    answers(yaml.dump(plan, allow_unicode=True, Dumper=_Dumper).encode(), "p.yaml")


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_str(str(value)))


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=15),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2200, 1, 1)),
    st.sampled_from(["2024", "state", "tkr", "Totalt", "Trappsteg 3 andel", "=", "inga", "x;y"]),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(SHEETS), st.integers(1, 8), st.integers(1, 12), cell_values),
        min_size=1,
        max_size=6,
    )
)
def test_a_template_with_random_cells_gives_a_plan_or_problems(
    changes: list[tuple[str, int, int, Any]],
) -> None:
    workbook = load_workbook(io.BytesIO(TEMPLATE))
    for sheet, row, column, value in changes:
        workbook[sheet].cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    answers(buffer.getvalue(), "p.xlsx")


def test_deep_nesting_gives_problems() -> None:
    answers(b"[" * 5000 + b"]" * 5000, "p.yaml")
    answers(b"[" * 5000 + b"]" * 5000, "p.json")
    answers(("a:\n" + "".join("  " * i + "b:\n" for i in range(1, 400))).encode(), "p.yaml")


def test_a_billion_laughs_is_refused_quickly() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    answers(text.encode(), "p.yaml")


WEIRD_NUMBERS = ["1e-9999999", "1e9999999", "-0.0", "1_0", "0x10", ".inf", "-.inf", ".nan",
                 "1e400", "99999999999999999999999999999", "0.00000000000000000000001", "1:30"]  # fmt: skip
NUMBER_PLACES = [
    ("population: 50210", "population: {}"),
    ("2025: 1000", "2025: {}"),
    ("value: 0.90", "value: {}"),
    ("value: 120", "value: {}"),
    ("opening_equity: 1500", "opening_equity: {}"),
    ("total: {2024: 8000", "total: {{2024: {}"),
    ("- {up_to: 7000, rate: 0.20}", "- {{up_to: {}, rate: 0.20}}"),
    ("- {rate: 0.15}", "- {{rate: {}}}"),
    ("year: 2024}", "year: {}}}"),
    ("admin_share_max: 0.15", "admin_share_max: {}"),
    (
        "# shares: {Exempels kommun: 3, Grannby kommun: 1}",
        "shares: {{Exempels kommun: {}, Grannby kommun: 1}}",
    ),
]


def test_extreme_numbers_anywhere_give_a_plan_or_problems() -> None:
    text = (EXAMPLES / "exempel.yaml").read_text()
    for number in WEIRD_NUMBERS:
        for place, replacement in NUMBER_PLACES:
            assert place in text
            changed = text.replace(place, replacement.format(number))
            answers(changed.encode(), "p.yaml")
            shares = changed.replace("municipal_key: population", "municipal_key: shares")
            answers(shares.encode(), "p.yaml")


data_scalars = st.one_of(
    scalars,
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("1E+9999999"), Decimal("-1E-9999999"), Decimal("sNaN"), 2**200]),
    st.dates(),
)
data_structures = st.recursive(
    data_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=6),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_rules_take_any_parsed_value(data: st.DataObject) -> None:
    """The rules themselves, fed values no parser gives (NaN decimals, huge numbers,
    dates) anywhere in an otherwise valid plan."""
    plan = copy.deepcopy(EXAMPLE_DATA)
    node: Any = plan
    while isinstance(node, dict | list) and node:
        key = data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
        if not isinstance(node[key], dict | list) or not node[key] or data.draw(st.booleans()):
            node[key] = data.draw(data_structures)
            break
        node = node[key]
    validator = Validator(codes={})
    validator.document(plan)
