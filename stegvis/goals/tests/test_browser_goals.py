"""The goal map in headless Chromium.

The demo's förbundschef of Samspelet opens Mål and sees this year's goal map, where
an indicator entered by hand has no value yet ("Kan inte mätas än"). They open the
indicator, enter the year's value with its source, and see the status change to
Uppnått. Screenshots and axe reports go to test-artifacts/goals/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from stegvis.associations.demo import demo_code
from stegvis.associations.models import Association
from stegvis.core.tests import browser_support
from stegvis.core.tests.browser_support import Journey
from stegvis.core.tests.test_browser import (  # noqa: F401 - the fixtures
    browser,
    heading,
    journey,
    log_in,
    site,
)
from stegvis.goals import services as goal_services

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "goals"
CHIEF = "chef.samspelet"
GOAL = "Samverkan mellan parterna utvecklas"
MANUAL = "Minst 4 chefsmöten om samverkan"


def goal_map_with_manual_indicator(association: Association, year: int) -> None:
    with scope(association=association):
        goal_map = goal_services.goal_map_ensure(actor=None, association=association, year=year)
        if goal_map.goals.filter(text=GOAL).exists():
            return
        goal = goal_services.goal_create(
            actor=None,
            goal_map=goal_map,
            perspective="Arbetssätt",
            text=GOAL,
            activities="Chefsmöten varje tertial",
            responsible="Förbundschef",
        )
        manual = goal_services.indicator_create(
            actor=None, goal=goal, text=MANUAL, metric="manual", source="Protokoll"
        )
        goal_services.target_set(actor=None, indicator=manual, year=None, op=">=", value=4)
        count = goal_services.indicator_create(
            actor=None, goal=goal, text="Minst 10 deltagare", metric="participants"
        )
        goal_services.target_set(actor=None, indicator=count, year=None, op=">=", value=10)


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    goal_map_with_manual_indicator(
        Association.objects.get(slug="samspelet"), timezone.localdate().year
    )
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_chief_enters_a_manual_value_and_sees_the_status_change(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    year = timezone.localdate().year
    overview = f"{site}/f/samspelet/"
    goal_map = f"{overview}mal/{year}/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, CHIEF, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(CHIEF))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)

    # Mål in the main menu leads to this year's goal map.
    mainnav = page.locator("nav.mainnav")
    journey.follow(mainnav.get_by_role("link", name="Mål", exact=True), goal_map)
    heading(page).to_have_text(f"Målkarta {year}")
    expect(mainnav.get_by_role("link", name="Mål", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    row = page.get_by_role("row").filter(has_text=MANUAL)
    expect(row).to_contain_text("Kan inte mätas än")
    expect(page.get_by_text(GOAL, exact=True)).to_be_visible()
    journey.check("10-goal-map")

    # The indicator's page: its definition, no value yet.
    journey.follow(
        row.get_by_role("link", name=MANUAL), re.compile(r"/mal/indikator/\d+/\?period=")
    )
    heading(page).to_have_text(MANUAL)
    expect(page.get_by_text("Inmatat värde", exact=True)).to_be_visible()
    journey.check("11-indicator")

    # Enter this year's value with its source.
    journey.follow(
        page.get_by_role("link", name="Ange värde"), re.compile(r"/indikator/\d+/varde/")
    )
    heading(page).to_have_text("Ange värde")
    journey.check("12-manual-value")
    page.get_by_label("Värde", exact=True).fill("5")
    page.get_by_label("Källa").fill("Protokoll från chefsmötena")
    page.get_by_label("Kommentar").fill("Fem möten under året")
    journey.follow(
        page.get_by_role("button", name="Spara värdet"),
        re.compile(r"/mal/indikator/\d+/\?period="),
    )
    expect(page.locator(".messages")).to_contain_text("Kan inte mätas än → Uppnått")
    expect(page.get_by_role("cell", name="Protokoll från chefsmötena", exact=True)).to_be_visible()
    journey.check("13-indicator-achieved")

    # Back on the map the indicator is achieved.
    journey.follow(page.get_by_role("link", name=f"Målkarta {year}"), re.compile(r"/mal/\d+/"))
    expect(page.get_by_role("row").filter(has_text=MANUAL)).to_contain_text("Uppnått")
    journey.check("14-goal-map-achieved")
    journey.finish()
