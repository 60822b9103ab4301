"""A collaboration survey in headless Chromium.

The förbundschef of Samspelet opens this year's open survey round under Samverkan,
makes two links for the staff and gets them, once. A member of staff, not logged in,
opens a link on a phone: the page is Swedish, says the answer is anonymous, names a
statement left unanswered, takes the answer and thanks them; the link then says it
has been used. Back at the desk the chief reads last autumn's results. Screenshots
(desktop and phone width) and axe reports go to test-artifacts/structural/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

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
from stegvis.structural.demo_surveys import demo_surveys_load

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "structural"
CHIEF = "chef.samspelet"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    demo_surveys_load(Association.objects.get(slug="samspelet"))
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_a_survey_is_sent_out_answered_anonymously_on_a_phone_and_read(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    browser: Browser,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    year = timezone.localdate().year
    overview = f"{site}/f/samspelet/"
    surveys = f"{overview}samverkan/enkater/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, CHIEF, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(CHIEF))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)

    # The rounds: this year's open, last autumn's closed.
    journey.goto(surveys)
    heading(page).to_have_text("Samverkansenkäter")
    current = page.get_by_role("row").filter(has_text=f"Samverkansenkät {year}")
    expect(current).to_contain_text("Öppen")
    expect(page.get_by_role("row").filter(has_text="hösten")).to_contain_text("Stängd")
    journey.check("40-survey-rounds")

    # The open round: make two links for the staff; they are shown this once.
    journey.follow(
        current.get_by_role("link", name=f"Samverkansenkät {year}", exact=True),
        re.compile(r"/enkater/\d+/$"),
    )
    heading(page).to_have_text(f"Samverkansenkät {year}")
    journey.check("41-survey-round")
    page.get_by_label("Personal i insatser").fill("2")
    journey.follow(
        page.get_by_role("button", name="Skapa länkarna"), re.compile(r"/enkater/\d+/lankar/$")
    )
    heading(page).to_have_text("2 nya svarslänkar")
    expect(page.get_by_text("Länkarna visas bara nu")).to_be_visible()
    expect(page.get_by_role("link", name="Ladda ner länkarna (Excel)")).to_have_attribute(
        "download", re.compile(r"\.xlsx$")
    )
    journey.check("42-survey-links")
    urls = [item.strip() for item in page.locator("ol.links li").all_inner_texts()]
    assert len(urls) == 2
    for url in urls:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/enkat/[A-Za-z0-9_-]{20,}/", url)
    link, second = urls

    # A member of staff, not logged in, opens the link on a phone.
    staff = Journey.start(browser)
    try:
        phone = staff.page
        phone.set_viewport_size(PHONE)
        staff.goto(link)
        heading(phone).to_have_text(f"Samverkansenkät {year}")
        expect(phone.locator("html")).to_have_attribute("lang", "sv")
        expect(phone.get_by_text("Ditt svar är anonymt")).to_be_visible()
        expect(phone.get_by_text("Personal i insatser")).to_be_visible()
        expect(phone.locator("nav.mainnav")).to_have_count(0)
        staff.check("43-survey-answer-phone")

        statements = phone.locator("fieldset.statement")
        count = statements.count()
        assert count == 8
        # Answer all but the last, which is forgotten.
        for index in range(count - 1):
            statements.nth(index).get_by_label("4", exact=True).check()
        statements.nth(0).get_by_label("5 – Stämmer helt").check()
        statements.nth(2).get_by_label("Vet ej").check()
        with staff.navigation(link):
            phone.get_by_role("button", name="Skicka svaret").click()
        expect(phone.get_by_role("alert")).to_contain_text("Några påståenden saknar svar")
        expect(statements.nth(0).get_by_label("5 – Stämmer helt")).to_be_checked()
        staff.check("44-survey-missing-phone")

        statements.nth(count - 1).get_by_label("1 – Stämmer inte alls").check()
        staff.follow(phone.get_by_role("button", name="Skicka svaret"), re.compile(r"/tack/$"))
        heading(phone).to_have_text("Tack för ditt svar")
        staff.check("45-survey-thanks-phone")

        # The link is used up.
        staff.goto(link)
        heading(phone).to_have_text("Länken är redan använd")
        staff.check("46-survey-used-phone")

        # The other link at desktop width, and a link cut short.
        phone.set_viewport_size({"width": 1280, "height": 900})
        staff.goto(second)
        heading(phone).to_have_text(f"Samverkansenkät {year}")
        staff.check("47-survey-answer-desktop")
        cut = second[: second.rindex("/", 0, -1) + 9] + "/"
        staff.goto(cut)
        heading(phone).to_have_text("Länken finns inte")
        staff.check("48-survey-unknown-link")
        # That 404 is the answer this step expects.
        staff.failed_responses = [line for line in staff.failed_responses if cut not in line]
        staff.finish()
    finally:
        staff.close()

    # The round counts the answer, not whose.
    journey.goto(surveys)
    journey.follow(
        page.get_by_role("row")
        .filter(has_text=f"Samverkansenkät {year}")
        .get_by_role("link", name=f"Samverkansenkät {year}", exact=True),
        re.compile(r"/enkater/\d+/$"),
    )
    expect(page.get_by_role("row").filter(has_text="Personal i insatser")).to_contain_text("10")

    # Last autumn's results, with the referrers too few to be shown.
    journey.goto(surveys)
    journey.follow(
        page.get_by_role("row")
        .filter(has_text="hösten")
        .get_by_role("link", name=re.compile("^Resultat")),
        re.compile(r"/resultat/$"),
    )
    heading(page).to_have_text(re.compile(r"^Resultat: Samverkansenkät hösten"))
    expect(page.locator("figure.chart-figure svg")).to_be_visible()
    table = page.get_by_role("table", name="Andel som instämmer per påstående och grupp")
    expect(table).to_contain_text("Remittenter")
    expect(table.get_by_role("row").nth(1)).to_contain_text("–")
    journey.check("49-survey-results")
    journey.finish()
