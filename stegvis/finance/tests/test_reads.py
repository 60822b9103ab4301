"""The Ekonomi pages only read (issue 13). The utfall pages used to add the förbund's
default follow-up periods (tertial 1, tertial 2, helår) on GET; they now come with
the förbund (`associations.services.association_starting_point`, and data migration
finance 0004 for older förbund)."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope, scopes_disabled

from stegvis.associations.services import association_starting_point
from stegvis.conftest import World
from stegvis.core.tests.writes import writes_during
from stegvis.finance.models import DEFAULT_PERIODS, ReportingPeriod
from stegvis.finance.tests.test_actuals_support import make_plan

pytestmark = pytest.mark.django_db

PAGES = [
    "",
    "2024/",
    "2024/budget.xlsx",
    "2024/medlemsavgifter/",
    "utfall/",
    "utfall/export.xlsx",
    "utfall/perioder/",
    "utfall/2024/t1/",
    "utfall/2024/year/",
]


@pytest.fixture
def planned(world: World) -> World:
    with scope(association=world.own):
        make_plan(world.own)
    association_starting_point(association=world.own)
    return world


@pytest.mark.parametrize("page", PAGES)
def test_the_kansli_reads_the_budget_and_the_actuals_without_writing(
    planned: World, client_as: Any, page: str
) -> None:
    client = client_as("chief")
    with writes_during() as writes:
        response = client.get(f"/f/{planned.own.slug}/ekonomi/{page}")
    assert response.status_code == 200
    assert writes == []


def test_the_periods_page_shows_the_periods_the_forbund_started_with(
    planned: World, client_as: Any
) -> None:
    response = client_as("chief").get(f"/f/{planned.own.slug}/ekonomi/utfall/perioder/")
    html = response.content.decode()
    for _code, name, _month in DEFAULT_PERIODS:
        assert name in html


def test_a_get_does_not_make_the_periods_of_a_forbund_without_them(
    world: World, client_as: Any
) -> None:
    with scope(association=world.own):
        make_plan(world.own)
    client = client_as("chief")
    for page in ("utfall/", "utfall/perioder/"):
        with writes_during() as writes:
            response = client.get(f"/f/{world.own.slug}/ekonomi/{page}")
        assert response.status_code == 200, page
        assert writes == [], page
    # Without periods there is no period to follow up.
    assert client.get(f"/f/{world.own.slug}/ekonomi/utfall/2024/t1/").status_code == 404
    with scopes_disabled():
        assert not ReportingPeriod.objects.filter(association=world.own).exists()
