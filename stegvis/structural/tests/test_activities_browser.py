"""Activities in headless Chromium.

The demo's förbundschef of Samspelet opens Samverkan, sees what is coming, goes to the
year's activities and registers today's kunskapsdialog with who came from each member.
Typing more women and men than participants for a member is refused with the member
named; corrected, the activity is saved and shows on its page and in the start page's
calendar. Screenshots and axe reports go to test-artifacts/structural/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
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
from stegvis.structural.demo_activities import demo_activities_load

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "structural"
CHIEF = "chef.samspelet"
TITLE = "Kunskapsdialog: Arbetsgivarens roll i rehabiliteringen"


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    demo_activities_load(Association.objects.get(slug="samspelet"))
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_chief_registers_an_activity_with_attendance_and_sees_it_on_the_start_page(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    today = timezone.localdate()
    overview = f"{site}/f/samspelet/"
    samverkan = f"{overview}samverkan/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, CHIEF, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(CHIEF))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)

    # Samverkan in the main menu: the calendar of the coming weeks and the parts.
    mainnav = page.locator("nav.mainnav")
    journey.follow(mainnav.get_by_role("link", name="Samverkan", exact=True), samverkan)
    heading(page).to_have_text("Samverkan")
    expect(page.get_by_role("heading", name="Kommande 60 dagar")).to_be_visible()
    expect(page.locator(".agenda-entry").first).to_be_visible()
    expect(page.get_by_role("heading", name="Aktiviteter", exact=True)).to_be_visible()
    journey.check("activities-10-start-page")

    # The year's activities, counted by kind and period.
    journey.follow(page.get_by_role("link", name="Till aktiviteterna"), f"{samverkan}aktiviteter/")
    heading(page).to_have_text(f"Aktiviteter {today.year}")
    expect(page.get_by_role("heading", name="Per slag och period")).to_be_visible()
    expect(page.get_by_role("heading", name="Deltagare per medlem")).to_be_visible()
    journey.check("activities-11-list")

    # The förbund's kinds: the built-in ones and its own Samverkansutbildning.
    journey.follow(
        page.get_by_role("link", name="Slag av aktiviteter"), f"{samverkan}aktiviteter/slag/"
    )
    kinds = page.get_by_role("table", name="Slag av aktiviteter")
    expect(kinds.get_by_role("row").filter(has_text="Samverkansutbildning")).to_contain_text(
        "samverkansutbildning"
    )
    journey.check("activities-15-kinds")
    journey.follow(
        page.get_by_role("link", name="Aktiviteter", exact=True), f"{samverkan}aktiviteter/"
    )

    # Register today's kunskapsdialog with the attendance per member.
    journey.follow(
        page.get_by_role("link", name="Registrera aktivitet"), f"{samverkan}aktiviteter/ny/"
    )
    heading(page).to_have_text("Registrera aktivitet")
    page.get_by_label("Slag").select_option(label="Kunskapsdialog")
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_label("Datum", exact=True).fill(today.isoformat())
    page.get_by_label("Börjar").fill("13:00")
    page.get_by_label("Slutar").fill("16:00")
    page.get_by_label("Plats").fill("Karlstad, Stadshuset")
    page.get_by_label("Deltagare från Karlstads kommun").fill("14")
    page.get_by_label("Kvinnor från Karlstads kommun").fill("12")
    page.get_by_label("Män från Karlstads kommun").fill("4")
    page.get_by_label("Deltagare från Försäkringskassan").fill("5")
    page.get_by_label("Deltagare från Region Värmland").fill("7")
    page.get_by_label("Utvärdering, medelvärde").fill("4,4")
    page.get_by_label("Skala").select_option(label="1–5")
    journey.follow(
        page.get_by_role("button", name="Registrera aktiviteten"), f"{samverkan}aktiviteter/ny/"
    )
    expect(page.locator("#narvaro")).to_contain_text(
        "Karlstads kommun: kvinnor och män (16) är fler än deltagarna (14)."
    )
    journey.check("activities-12-form-refused")

    page.get_by_label("Män från Karlstads kommun").fill("2")
    journey.follow(
        page.get_by_role("button", name="Registrera aktiviteten"),
        re.compile(r"/samverkan/aktiviteter/\d+/$"),
    )
    expect(page.locator(".messages")).to_contain_text(f"Aktiviteten ”{TITLE}” är registrerad.")
    heading(page).to_have_text(TITLE)
    attendance = page.get_by_role("table", name="Deltagare per medlem")
    expect(attendance.get_by_role("row").filter(has_text="Karlstads kommun")).to_contain_text("14")
    expect(attendance.get_by_role("row").filter(has_text="Summa")).to_contain_text("26")
    journey.check("activities-13-detail")

    # Back on the start page, today's dialog is in the calendar.
    journey.follow(page.get_by_role("link", name="Samverkan", exact=True).first, samverkan)
    entry = page.locator(".agenda-entry").filter(has_text=TITLE)
    expect(entry).to_contain_text("kl. 13:00–16:00")
    expect(entry).to_contain_text("Kunskapsdialog")
    journey.check("activities-14-start-page-with-the-new-activity")
    journey.finish()
