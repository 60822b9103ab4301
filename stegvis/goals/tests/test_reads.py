"""The goal map and the start page only read (issue 13): a GET computes the values of
open periods and shows the recorded ones of closed periods, and never stores any.
Recording is `stegvis nightly`'s (or `stegvis goals record`'s) work, and a recorded
value then wins over one computed now.

Data: `test_pages.make_map` (2024, every period closed today): stegförflyttning
8 of 13 = 61,5 %, Grannen's 3 exits (hidden below 5), a manual indicator."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.core.tests.writes import writes_during
from stegvis.goals.models import IndicatorValue
from stegvis.goals.tests.test_pages import base, make_map, rows_of

pytestmark = pytest.mark.django_db

STEP = "Hälften gör stegförflyttning"


def recorded(world: World) -> int:
    with scopes_disabled():
        return IndicatorValue.objects.filter(association=world.own).count()


def test_the_goal_map_of_closed_periods_is_shown_without_writing(
    world: World, client_as: Any
) -> None:
    made = make_map(world)
    client = client_as("chief")
    pages = [
        f"{base(world)}2024/",
        f"{base(world)}2024/?period=2024-t1",
        f"{base(world)}2024/export.xlsx",
        f"{base(world)}indikator/{made['step'].pk}/",
    ]
    for page in pages:
        with writes_during() as writes:
            response = client.get(page)
        assert response.status_code == 200, page
        assert writes == [], page
    assert recorded(world) == 0
    # The values are those computed now, as the page showed when it recorded them.
    rows = rows_of(client.get(f"{base(world)}2024/"))
    assert rows[STEP].value == "61,5\u00a0%"
    assert not rows[STEP].evaluation.recorded
    assert rows["Avslutade i Grannen"].value == "–"  # 3 exits, below the minimum cell
    t1 = rows_of(client.get(f"{base(world)}2024/?period=2024-t1"))
    assert t1[STEP].value == "100,0\u00a0%"  # tertial 1: 5 of 5


def test_after_the_nightly_run_the_recorded_value_wins_over_a_changed_definition(
    world: World, client_as: Any
) -> None:
    made = make_map(world)
    call_command("nightly", stdout=io.StringIO())
    assert recorded(world) > 0
    with scopes_disabled():
        step = made["step"]
        # The definition changes (the services raise the version): Grannen's share is 0 of 3.
        step.params = {"intervention": "Grannen"}
        step.version = 2
        step.save()
    client = client_as("reader")
    with writes_during() as writes:
        response = client.get(f"{base(world)}2024/")
    assert writes == []
    row = rows_of(response)[STEP]
    assert row.value == "61,5\u00a0%"
    assert row.evaluation.recorded and row.evaluation.definition_version == 1


def test_the_start_page_reads_without_writing(world: World, client_as: Any) -> None:
    make_map(world)
    for person in ("chief", "reader", "participant_registrar"):
        client = client_as(person)
        with writes_during() as writes:
            response = client.get(f"/f/{world.own.slug}/")
        assert response.status_code == 200, person
        assert writes == [], person
