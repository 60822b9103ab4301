"""`stegvis nightly`: the gallring and the recording of closed periods for every
förbund, one line per förbund and job; idempotent; one förbund's failure is reported
and the others still run."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.goals import evaluation
from stegvis.goals.models import IndicatorValue
from stegvis.goals.tests.test_pages import make_map
from stegvis.interventions.models import Intervention
from stegvis.participants.access import policy_for
from stegvis.participants.models import Participant
from stegvis.participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

D = datetime.date
NIGHT = "2025-03-01"  # every period of 2024 closed


@pytest.fixture
def both(world: World) -> World:
    """Eget: the goal tests' 2024 map, no retention period. Annat: a retention period of
    one year and a participant who exited in 2020."""
    make_map(world)
    with scopes_disabled():
        policy = policy_for(world.other)
        policy.retention_years = 1
        policy.save()
        ParticipantFactory(
            intervention=Intervention.objects.get(association=world.other, name="Annans steg"),
            code="GAMMAL",
            start=D(2019, 1, 1),
            exit=D(2020, 6, 1),
            outcome="arbete",
        )
    return world


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("nightly", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stored(association: Any) -> int:
    with scopes_disabled():
        return IndicatorValue.objects.filter(association=association).count()


def test_every_forbund_is_purged_and_recorded_once(both: World) -> None:
    out, err = run("--date", NIGHT)
    assert err == ""
    eget = stored(both.own)
    assert eget > 0
    assert out.splitlines() == [
        "Samordningsförbundet Annat: gallring: 1 deltagare gallrade.",
        "Samordningsförbundet Annat: målkartan: 0 värden sparade för avslutade perioder.",
        "Samordningsförbundet Eget: gallring: 0 deltagare gallrade.",
        f"Samordningsförbundet Eget: målkartan: {eget} värden sparade för avslutade perioder.",
    ]
    with scopes_disabled():
        assert not Participant.objects.filter(code="GAMMAL").exists()
    again, _err = run("--date", NIGHT)
    assert again.count(": 0 ") == 4  # nothing left to do
    assert stored(both.own) == eget


def test_one_forbunds_failure_is_reported_and_the_others_still_run(
    both: World, monkeypatch: Any
) -> None:
    real = evaluation.values_record

    def failing_for_eget(*, association: Any, today: Any) -> int:
        count = real(association=association, today=today)
        if association == both.own:
            raise RuntimeError("disken är full")
        return count

    monkeypatch.setattr("stegvis.goals.evaluation.values_record", failing_for_eget)
    with pytest.raises(CommandError) as failed:
        run("--date", NIGHT)
    assert failed.value.returncode == 1
    assert "1 nattjobb misslyckades" in str(failed.value)
    # The failed job's values are rolled back; Annat's gallring is done.
    assert stored(both.own) == 0
    with scopes_disabled():
        assert not Participant.objects.filter(code="GAMMAL").exists()


def test_the_failure_names_the_forbund_and_the_job(both: World, monkeypatch: Any) -> None:
    def failing(**_: Any) -> int:
        raise RuntimeError("disken är full")

    monkeypatch.setattr("stegvis.participants.retention.participants_purge", failing)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("nightly", "--date", NIGHT, stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [
        "Samordningsförbundet Annat: gallring misslyckades: disken är full",
        "Samordningsförbundet Eget: gallring misslyckades: disken är full",
    ]
    # The recording ran for both all the same.
    assert "Samordningsförbundet Eget: målkartan:" in out.getvalue()
    assert stored(both.own) > 0


def test_a_date_that_is_not_one_is_refused() -> None:
    with pytest.raises(CommandError, match="argument --date: ”1 mars” är inget datum"):
        run("--date", "1 mars")
