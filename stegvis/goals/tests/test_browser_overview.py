"""The overview (Översikt) in headless Chromium, on a laptop and on a tablet.

The demo's förbundschef of Samspelet logs in and lands on the overview: the goal map
of this year at a glance, the budget's position, the year's participants, the
follow-ups and what changed. The same page on a tablet, and as a board member.
Screenshots and axe reports go to test-artifacts/goals/.
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
from stegvis.core.demo import demo_follow_up_load, demo_plans_load
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
LAPTOP = {"width": 1280, "height": 900}
TABLET = {"width": 800, "height": 1100}


def goal_map_load(association: Association, year: int) -> None:
    """A small goal map of this year: achieved, not achieved and not measurable."""
    with scope(association=association):
        goal_map = goal_services.goal_map_ensure(actor=None, association=association, year=year)
        if goal_map.goals.exists():
            return
        goal = goal_services.goal_create(
            actor=None, goal_map=goal_map, perspective="Individ", text="Fler får arbete"
        )
        for text, metric, op, value in (
            ("Minst 10 deltagare", "participants", ">=", 10),
            ("Minst 1 000 deltagare", "participants", ">=", 1000),
            ("70 % med stegförflyttning", "step_progress_share", ">=", "0.7"),
            ("Minst 4 samverkansaktiviteter", "activities", ">=", 4),
        ):
            indicator = goal_services.indicator_create(
                actor=None, goal=goal, text=text, metric=metric
            )
            goal_services.target_set(actor=None, indicator=indicator, year=None, op=op, value=value)


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    demo_plans_load()
    demo_follow_up_load()
    goal_map_load(Association.objects.get(slug="samspelet"), timezone.localdate().year)
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_chief_reads_the_overview_on_a_laptop_and_a_tablet(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    year = timezone.localdate().year
    overview = f"{site}/f/samspelet/"
    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, CHIEF, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(CHIEF))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)
    heading(page).to_have_text("Samordningsförbundet Samspelet")
    for name in (
        f"Målkarta {year}",
        f"Budget {year}",
        f"Deltagare {year}",
        "Uppföljningar",
        "Förbundet",
    ):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    goals = page.locator("section", has=page.get_by_role("heading", name=f"Målkarta {year}"))
    expect(goals).to_contain_text("Minst 1 000 deltagare")
    expect(goals).to_contain_text("Minst 4 samverkansaktiviteter")
    journey.check("40-overview-laptop")

    # Three columns on a laptop, fewer on a tablet.
    cards = page.locator(".overview-grid > section")
    tops = {round(cards.nth(i).bounding_box()["y"]) for i in range(3)}  # type: ignore[index]
    assert len(tops) == 1, "the first three cards share a row on a laptop"
    page.set_viewport_size(TABLET)
    journey.goto(overview)
    tops = {round(cards.nth(i).bounding_box()["y"]) for i in range(3)}  # type: ignore[index]
    assert len(tops) >= 2, "a tablet shows at most two cards side by side"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    journey.check("41-overview-tablet")

    # The goal map card leads to the year's goal map.
    journey.follow(
        goals.get_by_role("link", name=f"Till målkartan {year}"),
        f"{overview}mal/{year}/",
    )
    journey.finish()


def test_board_member_sees_the_overview_without_follow_up_lists(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    year = timezone.localdate().year
    overview = f"{site}/f/samspelet/"
    page.set_viewport_size(TABLET)
    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, "styrelse.samspelet", overview)
    expect(page.get_by_role("heading", name=f"Målkarta {year}", exact=True)).to_be_visible()
    expect(page.locator("a[href*='/att-gora/']")).to_have_count(0)
    journey.check("42-overview-board-tablet")
    journey.finish()
