"""The real pages in headless Chromium: log in, look around, switch language, log out.

Every page a journey shows is screenshotted and checked with axe; the image and
the axe report land in test-artifacts/browser/. A journey fails on serious or
critical axe findings, on error responses, on JavaScript errors and on any
request to a host other than 127.0.0.1 (such requests are aborted, not sent).

Runs against Debian's Chromium (/usr/bin/chromium); without it the module is
skipped, except in CI (env CI set) where that is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from stegvis.associations.demo import DEMO_PASSWORD, demo_code, demo_load
from stegvis.core.tests.browser_support import (
    LAUNCH_ARGS,
    Journey,
    require_chromium,
)

pytestmark = pytest.mark.browser

ASSOCIATION = "Samordningsförbundet Samspelet"
LOGIN = re.compile(r"/konto/logga-in/(\?.*)?$")
LOGOUT_BUTTON = re.compile(r"^(Logga ut|Log out)$")
OVERVIEW_LINK = re.compile(r"^(Översikt|Overview)$")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop in this thread; the ORM calls
        # the tests make meanwhile (demo data, TOTP codes, flushing) are still
        # plain synchronous code.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=LAUNCH_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def site(live_server: Any, browser: Browser) -> str:
    """The demo installation on the live server, addressed as 127.0.0.1."""
    demo_load()
    return f"http://127.0.0.1:{live_server.thread.port}"


@pytest.fixture
def journey(browser: Browser) -> Iterator[Journey]:
    journey = Journey.start(browser)
    try:
        yield journey
    finally:
        journey.close()


def heading(page: Page) -> Any:
    return expect(page.get_by_role("heading", level=1))


def log_in(journey: Journey, site: str, username: str, landing: str | re.Pattern[str]) -> None:
    page = journey.page
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    journey.follow(page.get_by_role("button", name="Logga in"), landing)


def test_chief_logs_in_with_two_factors_and_walks_through_settings(
    site: str, journey: Journey
) -> None:
    page = journey.page
    overview = f"{site}/f/samspelet/"
    settings = f"{overview}installningar/"

    # Anonymous: the start page sends you to log in.
    journey.goto(f"{site}/")
    expect(page).to_have_url(LOGIN)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    heading(page).to_have_text("Logga in i Stegvis")
    journey.check("01-login")

    # The förbundschef needs a code from the authenticator app as well.
    log_in(journey, site, "chef.samspelet", re.compile(r"/konto/tvafaktor/\?next="))
    heading(page).to_have_text("Ange koden från din app")
    journey.check("02-two-factor")
    page.get_by_label("Kod", exact=True).fill(demo_code("chef.samspelet"))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)

    # By class, not by its label: the menu is also used after switching to English.
    mainnav = page.locator("nav.mainnav")
    heading(page).to_have_text(ASSOCIATION)
    expect(mainnav.get_by_role("link", name="Översikt")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("button", name=LOGOUT_BUTTON)).to_be_visible()
    journey.check("03-overview")

    # Settings: the main menu leads to the members; the submenu to the rest.
    journey.follow(mainnav.get_by_role("link", name="Inställningar"), f"{settings}medlemmar/")
    heading(page).to_have_text("Medlemmar")
    expect(mainnav.get_by_role("link", name="Inställningar")).to_have_attribute(
        "aria-current", "page"
    )
    journey.check("04-members")

    subnav = page.get_by_role("navigation", name="Inställningar", exact=True)
    for link, path, title, name in [
        ("Organisation", "organisation/", "Organisation", "05-organisation"),
        ("Personer och roller", "personer/", "Personer och roller", "06-people"),
        ("Logg", "logg/", "Logg", "07-log"),
        ("Förbundet", "forbundet/", "Förbundets uppgifter", "08-association"),
    ]:
        journey.follow(subnav.get_by_role("link", name=link, exact=True), f"{settings}{path}")
        heading(page).to_have_text(title)
        expect(subnav.get_by_role("link", name=link, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        journey.check(name)

    # English: the same page comes back in the other language.
    journey.follow(page.get_by_role("button", name="English"), f"{settings}forbundet/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Svenska")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_count(0)
    journey.check("09-association-en")

    journey.follow(mainnav.get_by_role("link", name=OVERVIEW_LINK), overview)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    heading(page).to_have_text(ASSOCIATION)
    journey.check("10-overview-en")

    # Logging out ends the session and shows the login page (still in English).
    journey.follow(page.get_by_role("button", name=LOGOUT_BUTTON), LOGIN)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name=LOGOUT_BUTTON)).to_have_count(0)
    expect(page.locator("input[name=username]")).to_be_visible()
    journey.check("11-logged-out")
    after = page.request.get(overview, max_redirects=0)
    assert after.status == 302
    assert after.headers["location"].startswith("/konto/logga-in/"), after.headers

    journey.finish()


def test_reader_sees_overview_and_members_without_two_factors(site: str, journey: Journey) -> None:
    page = journey.page
    overview = f"{site}/f/samspelet/"

    journey.goto(f"{site}/konto/logga-in/")
    heading(page).to_have_text("Logga in i Stegvis")
    journey.check("12-reader-login")

    # Straight in: a reader sees no participant rows and needs no second factor.
    log_in(journey, site, "styrelse.samspelet", overview)
    heading(page).to_have_text(ASSOCIATION)
    journey.check("13-reader-overview")

    mainnav = page.get_by_role("navigation", name="Huvudmeny")
    journey.follow(
        mainnav.get_by_role("link", name="Inställningar"), f"{overview}installningar/medlemmar/"
    )
    heading(page).to_have_text("Medlemmar")
    subnav = page.get_by_role("navigation", name="Inställningar", exact=True)
    expect(subnav.get_by_role("link")).to_have_text(["Medlemmar", "Organisation"])
    journey.check("14-reader-members")

    journey.finish()


def test_requests_to_other_hosts_are_aborted_and_reported(journey: Journey) -> None:
    """The guard itself: a page asking for an outside resource fails the journey."""
    journey.page.set_content(
        '<html lang="sv"><head><title>t</title></head><body>'
        '<img src="http://stegvis.invalid/pixel.png" alt="">'
        "</body></html>",
        wait_until="load",
    )
    assert journey.blocked == ["GET http://stegvis.invalid/pixel.png (from about:blank)"], (
        journey.blocked
    )
    with pytest.raises(AssertionError, match=re.escape("stegvis.invalid")):
        journey.finish()
