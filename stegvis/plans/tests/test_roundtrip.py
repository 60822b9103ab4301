"""Whatever a plan holds, writing it and reading it back gives the same plan, and
export → import → export gives the same bytes, in every format."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from stegvis.plans.document import PlanDocument
from stegvis.plans.reader import read_plan
from stegvis.plans.synthetic import synthetic_document
from stegvis.plans.tests.strategies import documents
from stegvis.plans.writer import write_plan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents())
def test_a_written_plan_reads_back_as_the_same_plan(fmt: str, document: PlanDocument) -> None:
    written = write_plan(document, fmt=fmt)
    again, _warnings = read_plan(written, filename=f"plan.{fmt}")
    assert again == document
    assert write_plan(again, fmt=fmt) == written


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
@pytest.mark.parametrize("example", ["exempel.yaml", "samspelet-2024.yaml", "blekinge-2024.yaml"])
def test_the_example_plans_survive_every_format(fmt: str, example: str) -> None:
    document, _warnings = read_plan((EXAMPLES / example).read_bytes(), filename=example)
    exported = write_plan(document, fmt=fmt)
    imported, _warnings = read_plan(exported, filename=f"plan.{fmt}")
    assert imported == document
    assert write_plan(imported, fmt=fmt) == exported


def test_the_same_plan_always_gives_the_same_bytes() -> None:
    document = synthetic_document(lines=40, years=4)
    for fmt in ["yaml", "json", "xlsx"]:
        assert write_plan(document, fmt=fmt) == write_plan(document, fmt=fmt)


def test_a_large_plan_survives_every_format() -> None:
    document = synthetic_document(lines=200, years=10)
    for fmt in ["yaml", "json", "xlsx"]:
        again, _warnings = read_plan(write_plan(document, fmt=fmt), filename=f"p.{fmt}")
        assert again == document


def test_tkr_amounts_are_written_as_whole_numbers_or_exact_decimals() -> None:
    document, _ = read_plan((EXAMPLES / "samspelet-2024.yaml").read_bytes(), filename="s.yaml")
    document.unit = "tkr"
    for line in document.revenues:
        line.unit = None
    text = write_plan(document, fmt="yaml").decode()
    assert "amounts: {2024: 1637.273, 2025: 1637.273, 2026: 1637.273}" in text
    assert "amounts: {2024: 5014, 2025: 5014, 2026: 5014}" in text


def test_generated_contribution_lines_are_not_written_as_revenue_lines() -> None:
    document, _ = read_plan((EXAMPLES / "exempel.yaml").read_bytes(), filename="e.yaml")
    document.revenues = [*document.generated_contributions(), *document.revenues]
    text = write_plan(document, fmt="yaml").decode()
    assert "Medlemsavgift" not in text
    assert "total: {2024: 8000, 2025: 8000, 2026: 8000}" in text


def test_rules_are_always_written_defaults_included() -> None:
    document, _ = read_plan((EXAMPLES / "exempel.yaml").read_bytes(), filename="e.yaml")
    text = write_plan(document, fmt="yaml").decode()
    assert "    tiers:\n      - {up_to: 7000, rate: 0.20}\n      - {rate: 0.15}\n" in text
    assert "  admin_categories: [board, administration, premises]\n" in text


def test_stored_key_order_does_not_change_the_export() -> None:
    """PostgreSQL's jsonb gives keys back in its own order."""
    document, _ = read_plan((EXAMPLES / "exempel.yaml").read_bytes(), filename="e.yaml")
    before = write_plan(document, fmt="yaml")
    document.interventions = [
        dict(
            reversed(
                list(
                    {
                        **item,
                        "targets": [dict(reversed(list(t.items()))) for t in item["targets"]],
                    }.items()
                )
            )
        )
        for item in document.interventions
    ]
    document.goals = [dict(reversed(list(goal.items()))) for goal in document.goals]
    assert write_plan(document, fmt="yaml") == before
