"""An insats's mätpunkter computed like goal indicators, and shown on its page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from stegvis.conftest import World
from stegvis.goals.evaluation import Status
from stegvis.goals.periods import current_period, year_period
from stegvis.goals.targets import intervention_targets_evaluate
from stegvis.interventions.models import Intervention, Target
from stegvis.participants.access import policy_for
from stegvis.participants.tests.factories import ParticipantFactory, follow_up

pytestmark = pytest.mark.django_db


def with_participants(world: World, n: int, *, year: int) -> Intervention:
    """Stegen with n participants who started this year and a target "Minst 20 deltar",
    and a neighbour's participants that must not count."""
    insats = follow_up(world).insats
    neighbour = follow_up(world).neighbour
    with scopes_disabled():
        for _ in range(n):
            ParticipantFactory(intervention=insats, start=datetime.date(year, 1, 10))
        for _ in range(7):
            ParticipantFactory(intervention=neighbour, start=datetime.date(year, 1, 10))
        Target.objects.create(
            association=world.own,
            intervention=insats,
            text="Minst 20 deltar",
            metric="participants",
            op=">=",
            value=Decimal(20),
        )
    return insats


def test_a_target_met_by_the_insats_participants_is_achieved(world: World) -> None:
    year = timezone.localdate().year
    insats = with_participants(world, 25, year=year)
    [evaluation] = intervention_targets_evaluate(
        intervention=insats, period=year_period(year), min_cell=5
    )
    assert evaluation.result.value == 25
    assert evaluation.value_text == "25"
    assert evaluation.status == Status.ACHIEVED
    assert evaluation.target_text == "≥\u00a020"


def test_a_value_below_the_min_cell_is_suppressed(world: World) -> None:
    year = timezone.localdate().year
    insats = with_participants(world, 3, year=year)
    [evaluation] = intervention_targets_evaluate(
        intervention=insats, period=year_period(year), min_cell=5
    )
    assert evaluation.result.value is None and evaluation.result.suppressed
    assert evaluation.value_text == "–"
    assert evaluation.status == Status.NOT_MEASURABLE


def test_a_target_of_another_year_has_no_status(world: World) -> None:
    year = timezone.localdate().year
    insats = with_participants(world, 25, year=year)
    with scopes_disabled():
        Target.objects.filter(intervention=insats).update(year=year - 1)
    [evaluation] = intervention_targets_evaluate(
        intervention=insats, period=year_period(year), min_cell=5
    )
    assert evaluation.status is None and not evaluation.applies
    assert evaluation.value_text == "25"
    assert evaluation.note == f"Gäller {year - 1}"


def text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def test_the_insats_page_shows_the_value_and_status(world: World, client_as: Any) -> None:
    insats = with_participants(world, 25, year=timezone.localdate().year)
    with scope(association=world.own):
        policy = policy_for(world.own)
        policy.min_cell = 5
        policy.save()
    response = client_as("reader").get(f"/f/{world.own.slug}/insatser/{insats.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert "Minst 20 deltar" in page
    assert "≥ 20 – 25 ✓ Uppnått" in page, page[page.index("Minst 20 deltar") :][:300]
    assert current_period(association=world.own).label in page


def test_the_insats_page_suppresses_few_participants(world: World, client_as: Any) -> None:
    insats = with_participants(world, 3, year=timezone.localdate().year)
    with scope(association=world.own):
        policy = policy_for(world.own)
        policy.min_cell = 5
        policy.save()
    # Even staff of the insats, who see its rows elsewhere, see no small counts here.
    page = text(
        client_as("participant_registrar").get(f"/f/{world.own.slug}/insatser/{insats.pk}/")
    )
    row = page[page.index("Minst 20 deltar") :][:300]
    assert "Kan inte mätas än" in row
    assert " 3 " not in row
