"""Uppföljning Finsam in headless Chromium: a board member of the demo's Samspelet
opens the year's page, reads what to fill in and which counts are hidden, and
downloads the Excel file. Screenshots and axe reports go to
test-artifacts/reports/finsam/."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

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

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "reports" / "finsam"
READER = "styrelse.samspelet"


# The demo's plan starts in 2024, its insatser with participants earlier.
YEAR = 2024


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    demo_plans_load()
    demo_follow_up_load()
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_a_board_member_reads_the_page_and_downloads_the_file(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    year = YEAR
    url = f"{site}/f/samspelet/rapporter/uppfoljning-finsam/{year}/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, READER, re.compile(r"/f/samspelet/"))
    journey.goto(url)
    heading(page).to_have_text(f"Uppföljning Finsam {year}")
    expect(page.get_by_role("heading", name="Förbundet", exact=True)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Summa tilldelade medel")).to_contain_text(
        "10\u00a0028\u00a0000"
    )
    expect(page.get_by_role("row").filter(has_text="Stegen Karlstad").first).to_contain_text(
        "Individinriktad"
    )
    expect(page.get_by_role("heading", name="Att fylla i eller kontrollera")).to_be_visible()
    journey.check("01-finsam")

    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner Excelfilen").click()
    download = info.value
    assert download.suggested_filename == f"samspelet-uppfoljning-finsam-{year}.xlsx"
    path = download.path()
    assert path is not None
    book = load_workbook(io.BytesIO(path.read_bytes()))
    assert book.sheetnames == ["Förbundet", "Insatser", "Läs mig"]
    journey.finish()
