"""Avvikelser in headless Chromium.

The deltagaransvarig of Stegen Karlstad reports a deviation: a name in the text gives
a warning, and taking it out lets the report through. The förbundschef then opens the
case, sends it to the insats's styrgrupp with measures, closes it with its learning,
and sees it in the board's learning overview. Screenshots and axe reports go to
test-artifacts/structural/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_scopes import scope
from playwright.sync_api import expect

from stegvis.accounts.models import User
from stegvis.associations.demo import demo_code
from stegvis.associations.models import Association, Member, WorkingGroup
from stegvis.core.tests import browser_support
from stegvis.core.tests.browser_support import Journey
from stegvis.core.tests.test_browser import (  # noqa: F401 - the fixtures
    LOGIN,
    browser,
    heading,
    journey,
    log_in,
    site,
)
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import Intervention
from stegvis.structural.demo_deviations import demo_deviations_load

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "structural"
REGISTRAR = "deltagare.samspelet"
CHIEF = "chef.samspelet"
TITLE = "Överlämning till Arbetsförmedlingen missades"
LEARNING = "Överlämningar bokas som trepartsmöte innan deltagaren avslutas i Stegen."


def stegen_karlstad(association: Association) -> None:
    """Stegen Karlstad with its styrgrupp and the deltagaransvarig on it (the follow-up
    demo makes it with participants; the journey needs only the insats), and the
    demo's earlier cases for the learning overview."""
    with scope(association=association):
        if not Intervention.objects.filter(association=association, name="Stegen Karlstad"):
            members = {member.name: member for member in Member.objects.all()}
            intervention = intervention_services.intervention_create(
                actor=None,
                association=association,
                name="Stegen Karlstad",
                kind="individual",
                owner=members["Karlstads kommun"],
                members=[members["Försäkringskassan"], members["Arbetsförmedlingen"]],
            )
            for status in ("prepared", "granted", "ongoing"):
                intervention_services.intervention_set_status(
                    actor=None, intervention=intervention, status=status
                )
            Intervention.objects.filter(pk=intervention.pk).update(
                steering_group=WorkingGroup.objects.get(
                    association=association, name="Styrgrupp Stegen Karlstad"
                )
            )
            intervention_services.staff_add(
                actor=None, intervention=intervention, user=User.objects.get(username=REGISTRAR)
            )
    demo_deviations_load(association)


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    stegen_karlstad(Association.objects.get(slug="samspelet"))
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def log_in_with_code(journey: Journey, site: str, username: str) -> None:  # noqa: F811
    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, username, re.compile(r"/konto/tvafaktor/\?next="))
    journey.page.get_by_label("Kod", exact=True).fill(demo_code(username))
    journey.follow(journey.page.get_by_role("button", name="Fortsätt"), f"{site}/f/samspelet/")


def test_staff_report_a_deviation_and_the_chief_closes_it(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    cases = f"{site}/f/samspelet/samverkan/avvikelser/"

    # The deltagaransvarig sees their own reports and reports a new one.
    log_in_with_code(journey, site, REGISTRAR)
    journey.goto(cases)
    heading(page).to_have_text("Avvikelser och guldkorn")
    expect(page.get_by_role("link", name="Remiss till psykiatrin kom inte fram")).to_be_visible()
    expect(page.get_by_role("link", name="Oklart vem som kallar till SIP")).to_have_count(0)
    journey.check("20-deviations-registrar")

    journey.follow(page.get_by_role("link", name="Rapportera avvikelse"), f"{cases}ny/")
    heading(page).to_have_text("Rapportera avvikelse eller guldkorn")
    # Their one insats is chosen for them.
    expect(page.locator("#id_intervention")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_label("Vad hände?").fill(
        "Deltagaren avslutades i Stegen utan att Arbetsförmedlingen fick veta det. "
        "Handläggaren Lundqvist fick veta det först en månad senare."
    )
    page.get_by_label("När hände det?").fill("2020-01-01")
    page.get_by_label("Kategori").select_option(label="Remiss och överlämning")
    page.get_by_label("Arbetsförmedlingen").check()
    page.get_by_label("Karlstads kommun").check()
    journey.follow(page.get_by_role("button", name="Skicka till kansliet"), f"{cases}ny/")
    # Two problems at once: the date is too old, and the text names someone.
    expect(page.get_by_text("Texten ser ut att innehålla ett namn: ”Lundqvist”.")).to_be_visible()
    expect(page.get_by_text("mer än 5 år bakåt i tiden")).to_be_visible()
    expect(
        page.get_by_label("Jag har kontrollerat att texten inte innehåller personuppgifter")
    ).to_be_visible()
    journey.check("21-deviation-name-warning")

    page.get_by_label("Vad hände?").fill(
        "Deltagaren avslutades i Stegen utan att Arbetsförmedlingen fick veta det. "
        "Handläggaren där fick veta det först en månad senare."
    )
    page.get_by_label("När hände det?").fill(
        page.get_by_label("När hände det?").get_attribute("max") or ""
    )
    journey.follow(
        page.get_by_role("button", name="Skicka till kansliet"), re.compile(r"/avvikelser/\d+/$")
    )
    expect(page.locator(".messages")).to_contain_text("Avvikelsen är rapporterad")
    heading(page).to_have_text(TITLE)
    expect(page.locator(".dv-status").first).to_have_text("Rapporterad")
    journey.check("22-deviation-reported")
    detail = page.url
    journey.follow(page.get_by_role("button", name="Logga ut"), LOGIN)

    # The förbundschef handles it through Stegen Karlstad's styrgrupp.
    log_in_with_code(journey, site, CHIEF)
    journey.goto(cases)
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Amina Hassan")  # the kansli sees who reported
    journey.check("23-deviations-chief")
    journey.follow(row.get_by_role("link", name=TITLE), detail)
    journey.follow(page.get_by_role("link", name="Hantera", exact=True), f"{detail}hantera/")
    heading(page).to_have_text("Hantera: Avvikelse")
    expect(page.get_by_label("Hanteras av")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Under hantering").check()
    page.get_by_label("Åtgärder").fill(
        "Styrgruppen tar fram en rutin för avslut med Arbetsförmedlingen."
    )
    journey.check("24-deviation-handle")
    journey.follow(page.get_by_role("button", name="Spara hanteringen"), detail)
    expect(page.locator(".messages")).to_contain_text("Rapporterad → Under hantering")

    journey.follow(page.get_by_role("link", name="Hantera", exact=True), f"{detail}hantera/")
    page.get_by_label("Avslutad", exact=True).check()
    page.get_by_label("Lärdom").fill(LEARNING)
    journey.follow(page.get_by_role("button", name="Spara hanteringen"), detail)
    expect(page.locator(".messages")).to_contain_text("Under hantering → Avslutad")
    expect(page.get_by_text(LEARNING)).to_be_visible()
    expect(page.locator(".dv-history li")).to_have_count(3)
    journey.check("25-deviation-closed")

    # The board's overview shows the learning, never who reported.
    journey.follow(
        page.locator(".breadcrumb").get_by_role("link", name="Avvikelser och guldkorn"), cases
    )
    expect(page.get_by_role("row").filter(has_text=TITLE)).to_contain_text("Avslutad")
    journey.follow(
        page.get_by_role("navigation", name="Avvikelser och guldkorn").get_by_role(
            "link", name="Lärande"
        ),
        f"{cases}larande/",
    )
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text(LEARNING)).to_be_visible()
    expect(page.get_by_text("Amina Hassan")).to_have_count(0)
    journey.check("26-learning")
    journey.finish()
