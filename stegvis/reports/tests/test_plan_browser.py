"""The verksamhetsplan in headless Chromium.

The demo's förbundschef of Samspelet opens the verksamhetsplan 2024: no texts are
written yet, so the page says what the document leaves out. They write the
inledning and the vision, see them on the plan, find their version in the text form's
history and fetch the PDF. Screenshots and axe reports go to test-artifacts/reports/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from stegvis.associations.demo import demo_code
from stegvis.core.demo import demo_goals_load, demo_plans_load
from stegvis.core.tests import browser_support
from stegvis.core.tests.browser_support import Journey
from stegvis.core.tests.test_browser import (  # noqa: F401 - the fixtures
    browser,
    heading,
    journey,
    log_in,
    site,
)

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "reports"
CHIEF = "chef.samspelet"
INTRODUCTION = "Samspelet är parternas gemensamma arena för arbetslivsinriktad rehabilitering."
VISION = "Alla får rätt stöd från rätt part i rätt tid."


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    demo_plans_load()
    demo_goals_load()
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_chief_writes_the_plans_texts_and_gets_the_pdf(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    overview = f"{site}/f/samspelet/"
    plan = f"{overview}rapporter/verksamhetsplan/2024/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, CHIEF, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(CHIEF))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)

    # The plan of 2024: the budget is there, the texts are not written yet.
    journey.goto(plan)
    heading(page).to_have_text("Verksamhetsplan 2024")
    expect(page.locator(".lead")).to_contain_text("Budget 2024 med plan för 2025–2026")
    expect(page.locator(".plan-notes")).to_contain_text("Inga texter är skrivna för 2024.")
    expect(page.locator(".plan-parts")).to_contain_text("5 insatser med 14 mätpunkter")
    journey.check("vp-10-plan")

    # Write the inledning and the vision.
    journey.follow(page.get_by_role("link", name="Skriv texterna").first, f"{plan}texter/")
    heading(page).to_have_text("Texter i verksamhetsplanen 2024")
    expect(page.get_by_text("Inga texter är sparade för året ännu.")).to_be_visible()
    journey.check("vp-11-texts")
    page.get_by_label("Inledning").fill(INTRODUCTION)
    page.get_by_label("Vision").fill(VISION)
    journey.follow(page.get_by_role("button", name="Spara texterna"), plan)
    expect(page.locator(".messages")).to_contain_text("Texterna är sparade: inledning, vision.")
    expect(page.get_by_text(INTRODUCTION)).to_be_visible()
    expect(page.get_by_text(VISION)).to_be_visible()
    expect(page.locator(".plan-notes")).to_contain_text(
        "Texter som inte är skrivna: Uppdrag, Organisation, Målgrupp."
    )
    journey.check("vp-12-plan-with-texts")

    # The versions: who saved which section.
    journey.follow(page.get_by_role("link", name="Skriv texterna").first, f"{plan}texter/")
    versions = page.get_by_role("table")
    expect(versions).to_contain_text("Inledning")
    expect(versions).to_contain_text("Vision")
    expect(page.get_by_role("row").filter(has_text="Vision")).to_contain_text("Skriven")
    journey.check("vp-13-versions")

    # The PDF.
    journey.goto(plan)
    link = page.get_by_role("link", name="Verksamhetsplanen som PDF")
    response = page.request.get(site + str(link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    journey.finish()
