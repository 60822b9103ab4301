"""The delårsrapport and the verksamhetsberättelse only read (issue 13): their pages,
PDFs and Excel files show the goal map's recorded values of closed periods and values
computed now where none are recorded, and store none. `stegvis nightly` records them;
a recorded value then wins over a changed definition in the report too.

Data: `test_periodic_support.fill` (2024): stegförflyttning 8 of 13 = 61,5 % against
a target of 70 %."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from stegvis.core.tests.writes import writes_during
from stegvis.goals.models import Indicator, IndicatorValue
from stegvis.reports.tests.test_periodic_support import YEAR, fake_structural, fill

__all__ = ["fake_structural"]  # fixture

pytestmark = pytest.mark.django_db

INTERIM = f"/f/eget/rapporter/delarsrapport/{YEAR}/1"
ANNUAL = f"/f/eget/rapporter/verksamhetsberattelse/{YEAR}"


def step_row(response: Any) -> Any:
    goals = response.context["report"].goals
    rows = [
        row
        for section in goals.page.sections
        for goal in section.goals
        for row in goal.indicators
        if row.indicator.metric == "step_progress_share"
    ]
    (row,) = rows
    return row


def test_the_reports_are_read_without_writing(
    world: Any, client_as: Any, fake_structural: Any
) -> None:
    fill(world)
    client = client_as("chief")
    for path in (f"{INTERIM}/", f"{INTERIM}.pdf", f"{INTERIM}.xlsx", f"{ANNUAL}/", f"{ANNUAL}.pdf"):
        with writes_during() as writes:
            response = client.get(path)
        assert response.status_code == 200, path
        assert writes == [], path
    with scopes_disabled():
        assert not IndicatorValue.objects.filter(association=world.own).exists()
    # The same value as when the page recorded it: computed now.
    row = step_row(client.get(f"{ANNUAL}/"))
    assert row.value == "61,5\u00a0%"
    assert not row.evaluation.recorded
    assert row.evaluation.status.value == "not_achieved"


def test_after_the_nightly_run_the_report_keeps_the_recorded_value(
    world: Any, client_as: Any, fake_structural: Any
) -> None:
    fill(world)
    call_command("nightly", stdout=io.StringIO())
    with scopes_disabled():
        step = Indicator.objects.get(association=world.own, metric="step_progress_share")
        # Changed afterwards: Grannen's share (0 of 3) in a new version.
        step.params = {"intervention": "Grannen"}
        step.version = 2
        step.save()
    client = client_as("reader")
    with writes_during() as writes:
        response = client.get(f"{ANNUAL}/")
    assert writes == []
    row = step_row(response)
    assert row.value == "61,5\u00a0%"
    assert row.evaluation.recorded and row.evaluation.definition_version == 1
