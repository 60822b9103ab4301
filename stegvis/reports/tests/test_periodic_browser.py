"""The delårsrapport and the verksamhetsberättelse in headless Chromium.

A board member of the demo's Samspelet (styrelse/läsare) opens this year's
delårsrapport for tertial 1, reads the participants by kön and the goal map's status
in words, switches to the whole year and downloads the PDF. Screenshots and axe
reports go to test-artifacts/reports/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stegvis.core.demo import demo_follow_up_load, demo_goals_load, demo_plans_load
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
READER = "styrelse.samspelet"


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    demo_plans_load()
    demo_follow_up_load()
    demo_goals_load()
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_a_board_member_reads_the_interim_report_and_downloads_the_annual_pdf(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    year = timezone.localdate().year
    reports = f"{site}/f/samspelet/rapporter/"
    interim = f"{reports}delarsrapport/{year}/1/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, READER, f"{site}/f/samspelet/")
    journey.goto(interim)
    heading(page).to_have_text(f"Delårsrapport tertial 1 {year}")
    expect(page.get_by_role("heading", name="Deltagare efter kön")).to_be_visible()
    counts = page.get_by_role("table", name="Deltagare efter kön")
    expect(counts.get_by_role("row").filter(has_text="Deltagare under perioden")).to_be_visible()
    # Status in words beside the symbol, not colour alone.
    expect(page.get_by_role("table", name="Indikatorer efter status")).to_contain_text("Uppnått")
    journey.check("periodic-10-interim")

    # The whole year is one link away; the same sections, counted to 31 December.
    journey.follow(
        page.get_by_role("navigation", name="Välj period").get_by_role("link", name="Helår"),
        re.compile(rf"/verksamhetsberattelse/{year}/$"),
    )
    heading(page).to_have_text(f"Verksamhetsberättelse {year}")
    expect(page.get_by_role("table", name="Deltagare efter kön")).to_contain_text(
        "Deltagare under året"
    )
    journey.check("periodic-11-annual")

    # The PDF is the same document.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som PDF").click(modifiers=["Alt"])
    assert download.value.suggested_filename == f"verksamhetsberattelse-samspelet-{year}.pdf"
    journey.finish()
