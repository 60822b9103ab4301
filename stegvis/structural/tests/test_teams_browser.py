"""Konsultationsteam in headless Chromium.

The förbundschef of Samspelet opens the demo's konsultationsteam, records today's
meeting with the attendance of two representatives and the kommun's cases (the list
of representatives follows the date: a year ago Försäkringskassan had another), sees
the meeting, and opens the financing basis with what each member's staff earned.
Screenshots and axe reports go to test-artifacts/structural/.
"""

from __future__ import annotations

import datetime
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
from stegvis.structural.demo_teams import TEAM, demo_teams_load

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "structural"
CHIEF = "chef.samspelet"


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    demo_teams_load(Association.objects.get(slug="samspelet"))
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def test_chief_records_a_meeting_with_attendance_and_sees_the_financing_basis(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    today = timezone.localdate()
    overview = f"{site}/f/samspelet/"
    teams = f"{overview}samverkan/konsultationsteam/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, CHIEF, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(CHIEF))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)

    journey.goto(teams)
    heading(page).to_have_text("Konsultationsteam")
    journey.check("30-team-list")

    journey.follow(page.get_by_role("link", name=TEAM), re.compile(r"/konsultationsteam/\d+/$"))
    heading(page).to_have_text(TEAM)
    expect(page.get_by_role("row").filter(has_text="Maria Lind").first).to_contain_text(
        "Ersatt av Oskar Nyström"
    )
    expect(page.locator("figure.chart-figure svg")).to_be_visible()
    journey.check("31-team-detail")

    # A new meeting today: the form lists today's representatives.
    journey.follow(
        page.get_by_role("link", name="Nytt möte"), re.compile(r"/konsultationsteam/\d+/mote/nytt/")
    )
    heading(page).to_have_text("Nytt möte")
    oskar = page.get_by_label("Närvarande: Oskar Nyström, Försäkringskassan")
    maria = page.get_by_label("Närvarande: Maria Lind, Försäkringskassan")
    expect(oskar).to_be_visible()
    expect(maria).to_be_hidden()
    # Moved to a year ago, the form shows the representative of that day instead.
    page.get_by_label("Datum").fill((today - datetime.timedelta(days=340)).isoformat())
    expect(maria).to_be_visible()
    expect(oskar).to_be_hidden()
    page.get_by_label("Datum").fill(today.isoformat())
    expect(oskar).to_be_visible()

    page.get_by_label("Starttid").fill("13:00")
    oskar.check()
    page.get_by_label("Närvarande: Petra Holm, Arbetsförmedlingen").check()
    page.get_by_label("Timmar för Petra Holm").fill("1,5")
    page.get_by_label("Nya ärenden från Karlstads kommun").fill("2")
    page.get_by_label("Uppföljningsärenden från Försäkringskassan").fill("1")
    journey.check("32-meeting-form")
    journey.follow(
        page.get_by_role("button", name="Spara mötet"),
        re.compile(r"/konsultationsteam/mote/\d+/$"),
    )
    expect(page.locator(".messages")).to_contain_text("är sparat")
    expect(page.get_by_text("2 av 4 representanter var närvarande.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Petra Holm")).to_contain_text("1,5")
    journey.check("33-meeting-detail")

    # The financing basis of this year: per member, with the total.
    journey.follow(
        page.get_by_role("link", name="Konsultationsteam", exact=True),
        teams,
    )
    journey.follow(
        page.get_by_role("link", name="Finansieringsunderlag"),
        re.compile(r"/konsultationsteam/finansiering/$"),
    )
    heading(page).to_have_text("Finansieringsunderlag")
    basis = page.get_by_role("table", name="Underlag per medlem")
    expect(basis.get_by_role("row").filter(has_text="Karlstads kommun")).to_contain_text("0 kr")
    expect(basis.get_by_role("row").filter(has_text="Region Värmland")).to_contain_text(
        "700 kr per timme"
    )
    expect(basis.locator("tfoot")).to_contain_text("kr")
    journey.check("34-financing")

    # Tertial 1 of this year, chosen in the period picker.
    page.get_by_label("Period", exact=True).select_option(f"{today.year}-t1")
    journey.follow(
        page.get_by_role("button", name="Visa", exact=True), re.compile(r"period=\d{4}-t1")
    )
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Tertial 1")
    journey.check("35-financing-tertial")

    # The rates behind it, and the form for a new one.
    journey.follow(
        page.get_by_role("link", name="Ersättningar", exact=True),
        re.compile(r"/konsultationsteam/ersattning/$"),
    )
    heading(page).to_have_text("Ersättningar")
    expect(page.get_by_role("table", name="Förbundets ersättningar")).to_contain_text(
        "Kommunens personal finansieras inte av förbundet"
    )
    journey.check("36-rates")

    # Replacing a representative: the form says how attendance is split.
    journey.goto(teams)
    journey.follow(page.get_by_role("link", name=TEAM), re.compile(r"/konsultationsteam/\d+/$"))
    journey.follow(
        page.get_by_role("link", name="Byt Petra Holm"), re.compile(r"/representant/\d+/byt/$")
    )
    heading(page).to_have_text("Byt ut Petra Holm")
    journey.check("37-representative-replace")
    journey.finish()
