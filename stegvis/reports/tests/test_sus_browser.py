"""The SUS reports in headless Chromium: the demo's förbundschef of Samspelet opens the
deltagarrapport, narrows it to one insats, moves on to the insatsrapport and picks
variables, then reads the kostnadsrapport — each page checked by axe. Screenshots
and axe reports go to test-artifacts/reports/sus/."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from stegvis.associations.demo import demo_code
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

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "reports" / "sus"
CHIEF = "chef.samspelet"


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    demo_plans_load()
    demo_follow_up_load()
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_chief_reads_the_three_sus_reports(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    overview = f"{site}/f/samspelet/"
    reports = f"{overview}rapporter/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, CHIEF, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(CHIEF))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)

    # The participant report of the whole förbund, then of one insats.
    journey.goto(f"{reports}deltagarrapport/")
    heading(page).to_have_text("Deltagarrapport: Hela förbundet")
    expect(page.get_by_role("heading", name="Försörjning före och efter")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("^Insatserna jämförda"))).to_contain_text(
        "Stegen Kristinehamn"
    )
    journey.check("01-deltagarrapport")
    page.get_by_label("Insats", exact=True).select_option(label="Stegen Karlstad")
    journey.follow(
        page.get_by_role("button", name="Visa"), re.compile(r"/deltagarrapport/\?insats=")
    )
    heading(page).to_have_text("Deltagarrapport: Stegen Karlstad")
    expect(page.get_by_role("link", name="Ladda ner som PDF")).to_have_attribute(
        "href", re.compile(r"rapport\.pdf\?insats=")
    )
    journey.check("02-deltagarrapport-insats")

    # The insats report: chosen variables side by side, a year back.
    journey.follow(
        page.get_by_role("link", name="Insatsrapport", exact=True), re.compile(r"/insatsrapport/")
    )
    heading(page).to_have_text(re.compile(r"^Insatsrapport: Helår \d{4}$"))
    page.get_by_label("Andel avslutade till arbete").check()
    page.get_by_label("Jämför med tidigare år").select_option(label="1 år bakåt")
    journey.follow(page.get_by_role("button", name="Visa"), re.compile(r"/insatsrapport/\?"))
    table = page.get_by_role("table", name=re.compile("^Insatserna sida vid sida"))
    expect(table).to_contain_text("Andel avslutade till arbete")
    expect(table).to_contain_text("Stegen Karlstad")
    expect(page.get_by_role("heading", name="Jämförelse med tidigare år")).to_be_visible()
    journey.check("03-insatsrapport")

    # The cost report of the year.
    journey.follow(
        page.get_by_role("link", name="Kostnadsrapport", exact=True),
        re.compile(r"/kostnadsrapport/"),
    )
    heading(page).to_have_text(re.compile(r"^Kostnadsrapport: Helår \d{4}$"))
    expect(page.get_by_role("table", name=re.compile("^Medel per källa"))).to_contain_text("ESF")
    expect(page.get_by_role("table", name=re.compile("^Insatsernas kostnader"))).to_contain_text(
        "Stegen Karlstad"
    )
    journey.check("04-kostnadsrapport")
    journey.finish()
