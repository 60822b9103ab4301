"""A deltagaransvarig's day in headless Chromium: log in with two factors, open
Deltagare and their insats, register a participant (after a refused birth year),
record the exit with an outcome, and see the list with the summary.

Every page is screenshotted and checked with axe into test-artifacts/participants/
(see core/tests/browser_support.py); serious or critical findings, error responses,
JavaScript errors and requests to other hosts fail the journey.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from stegvis.accounts.models import User
from stegvis.associations.demo import demo_code
from stegvis.associations.models import Association, Member
from stegvis.core.tests import browser_support
from stegvis.core.tests.browser_support import Journey
from stegvis.core.tests.test_browser import (  # noqa: F401 - the fixtures
    browser,
    heading,
    journey,
    log_in,
    site,
)
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import Kind

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "participants"
INSATS = "Nya steg Karlstad"
REGISTRAR = "deltagare.samspelet"


@pytest.fixture
def own_insats(site: str, monkeypatch: Any) -> Any:  # noqa: F811
    """An individinriktad insats of Samspelet that the demo's deltagaransvarig works on."""
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)
    association = Association.objects.get(slug="samspelet")
    with scope(association=association):
        karlstad = Member.objects.get(association=association, name="Karlstads kommun")
        insats = intervention_services.intervention_create(
            actor=None,
            association=association,
            name=INSATS,
            kind=Kind.INDIVIDUAL,
            owner=karlstad,
            members=[karlstad],
        )
        intervention_services.staff_add(
            actor=None, intervention=insats, user=User.objects.get(username=REGISTRAR)
        )
    return insats


def test_registrar_registers_a_participant_and_records_the_exit(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    own_insats: Any,
) -> None:
    page = journey.page
    overview = f"{site}/f/samspelet/"
    home = f"{overview}deltagare/"
    listing = f"{home}insats/{own_insats.pk}/"
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=120)).isoformat()

    # The deltagaransvarig logs in with a code from the authenticator app.
    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, REGISTRAR, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(REGISTRAR))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)

    mainnav = page.locator("nav.mainnav")
    journey.follow(mainnav.get_by_role("link", name="Deltagare"), home)
    heading(page).to_have_text("Deltagare")
    expect(mainnav.get_by_role("link", name="Deltagare")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name=INSATS, exact=True)).to_be_visible()
    journey.check("01-home")

    journey.follow(page.get_by_role("link", name=INSATS, exact=True), listing)
    heading(page).to_have_text(f"Deltagare i {INSATS}")
    expect(page.locator("#summary")).to_contain_text("0 aktiva deltagare")
    journey.check("02-list-empty")

    # A new participant: a birth year that makes them 12 is refused on the field.
    journey.follow(page.get_by_role("link", name="Ny deltagare", exact=True), f"{listing}ny/")
    heading(page).to_have_text("Ny deltagare")
    page.get_by_label("Kod", exact=True).fill("NS-001")
    page.get_by_label("Kvinna").check()
    page.get_by_label("Födelseår").fill(str(today.year - 12))
    page.get_by_label("Kommun").select_option(label="Karlstads kommun")
    page.get_by_label("Remitterande part").select_option(label="Försäkringskassan")
    page.get_by_label("Startdatum").fill(start)
    page.get_by_label("Sjukpenning").check()
    page.get_by_label("Ekonomiskt bistånd").check()
    page.get_by_label("Sysselsättning vid start").select_option(label="Ingen sysselsättning")
    journey.check("03-form")
    journey.follow(page.get_by_role("button", name="Registrera", exact=True), f"{listing}ny/")
    expect(page.locator("#id_birth_year_error")).to_contain_text("15–70 år")
    expect(page.get_by_label("Kod", exact=True)).to_have_value("NS-001")
    journey.check("04-form-error")

    page.get_by_label("Födelseår").fill("1992")
    journey.follow(
        page.get_by_role("button", name="Registrera", exact=True),
        re.compile(r"/deltagare/\d+/$"),
    )
    heading(page).to_have_text("Deltagare NS-001")
    expect(page.get_by_text("Deltagare NS-001 är registrerad")).to_be_visible()
    expect(page.get_by_text("Sjukpenning, Ekonomiskt bistånd")).to_be_visible()
    detail = page.url
    journey.check("05-detail")

    # The participant leaves for studies: stegförflyttning.
    journey.follow(page.get_by_role("link", name="Avsluta", exact=True), f"{detail}avsluta/")
    heading(page).to_have_text("Avsluta deltagare NS-001")
    page.get_by_label("Slutdatum").fill(today.isoformat())
    page.get_by_label("Studier", exact=True).check()
    page.get_by_label("Sjukpenning").uncheck()
    page.get_by_label("Ekonomiskt bistånd").uncheck()
    page.get_by_label("Studiemedel").check()
    page.get_by_label("Överlämning till").select_option(label="Karlstads kommun")
    journey.check("06-exit")
    journey.follow(page.get_by_role("button", name="Avsluta", exact=True), detail)
    expect(page.get_by_text("Deltagare NS-001 är avslutad: Studier.")).to_be_visible()
    expect(page.locator("dl.facts").filter(has_text="Stegförflyttning")).to_contain_text("Ja")
    journey.check("07-exited")

    # The list: no one active, one who left with stegförflyttning.
    breadcrumb = page.locator("p.breadcrumb")
    journey.follow(breadcrumb.get_by_role("link", name=INSATS), listing)
    expect(page.locator("#summary")).to_contain_text("0 aktiva deltagare")
    page.get_by_label("Visa").select_option(label="Alla")
    journey.follow(page.get_by_role("button", name="Visa", exact=True), re.compile(r"\?status=all"))
    expect(page.locator("#summary")).to_contain_text("1 deltagare, 1 kvinna, 0 män")
    row = page.get_by_role("row", name=re.compile(r"^NS-001"))
    expect(row).to_contain_text("Studier")
    expect(row).to_contain_text("Ja")
    journey.check("08-list")

    journey.finish()
