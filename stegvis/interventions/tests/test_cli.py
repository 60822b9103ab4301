"""`stegvis interventions list FÖRBUND [--json]`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stegvis.conftest import World
from stegvis.interventions.tests.factories import decide, plan_of, prepared

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("interventions", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def stegen(world: World) -> World:
    plan_of(world)
    decide(world, prepared(world, esf_funded=True))
    return world


def test_json_lists_each_insats_with_budget_and_participants(stegen: World) -> None:
    data = json.loads(run("list", stegen.own.slug, "--json"))
    assert data == [
        {
            "name": "Stegen",
            "kind": "individual",
            "status": "granted",
            "owner": "Egna kommun",
            "members": ["Försäkringskassan", "Region Eget", "Egna kommun"],
            "start": "2026-01-01",
            "end": "2027-12-31",
            "esf_funded": True,
            "budget": {"2026": 1_200_000, "2027": 1_000_000},
            "planned_participants": {"2026": 40, "2027": 35},
        }
    ]


def test_json_of_a_förbund_without_insatser_is_an_empty_list(world: World) -> None:
    assert json.loads(run("list", world.other.slug, "--json")) == []


def test_table_is_readable(stegen: World) -> None:
    text = run("list", stegen.own.slug)
    assert "Samordningsförbundet Eget: 1 insats" in text
    assert "Stegen (ESF)" in text
    assert "Individinriktad" in text
    assert "Beviljad" in text
    assert "2 200 000 kr" in text
    lines = text.splitlines()
    assert lines[-1].startswith("Summa")
    year = run("list", stegen.own.slug, "--year", "2027")
    assert "1 000 000 kr" in year and "Budget 2027" in year


def test_unknown_förbund_exits_with_status_2(world: World) -> None:
    with pytest.raises(CommandError) as info:
        run("list", "finns-inte")
    assert info.value.returncode == 2
    assert str(info.value) == "Förbundet finns-inte finns inte."
