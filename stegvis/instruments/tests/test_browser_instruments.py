"""Answering a due assessment in headless Chromium: the deltagaransvarig of an insats
in the demo's Samspelet opens the instruments, the insats's due list, registers the
progression assessment of a new participant with the keyboard-friendly radio groups,
and sees it among the participant's follow-ups.

Every page is screenshotted and checked with axe into test-artifacts/instruments/."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

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
from stegvis.instruments.defaults import ASSESSMENT, attach_defaults
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import Intervention, Kind
from stegvis.participants.models import Participant

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "instruments"
USER = "deltagare.samspelet"
INSATS = "Uppföljningsprovet"


@pytest.fixture
def insats(site: str, monkeypatch: Any) -> Intervention:  # noqa: F811
    """An insats in Samspelet that the deltagaransvarig works on, with the default
    instruments and a participant who started last week."""
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)
    from stegvis.accounts.models import User

    association = Association.objects.get(slug="samspelet")
    with scope(association=association):
        owner = Member.objects.filter(association=association).order_by("pk")[0]
        intervention = Intervention.objects.create(
            association=association, name=INSATS, kind=Kind.INDIVIDUAL, owner=owner
        )
        intervention_services.staff_add(
            actor=None, intervention=intervention, user=User.objects.get(username=USER)
        )
        attach_defaults(intervention=intervention)
        Participant.objects.create(
            association=association,
            intervention=intervention,
            code="PROV-7",
            gender="kvinna",
            birth_year=1991,
            start=timezone.localdate() - datetime.timedelta(days=7),
        )
    return intervention


def test_registrar_answers_a_due_assessment(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    insats: Intervention,
) -> None:
    page = journey.page
    base = f"{site}/f/samspelet/instrument/"
    journey.goto(f"{site}/konto/logga-in/?next=/f/samspelet/instrument/")
    log_in(journey, site, USER, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(USER))
    journey.follow(page.get_by_role("button", name="Fortsätt"), base)
    heading(page).to_have_text("Instrument")
    journey.check("01-instruments")

    journey.follow(page.get_by_role("link", name=INSATS), f"{base}insats/{insats.pk}/att-gora/")
    heading(page).to_have_text(f"Att göra i {INSATS}")
    expect(page.get_by_role("row", name=re.compile("PROV-7")).first).to_be_visible()
    journey.check("02-due-list")

    journey.follow(
        page.get_by_role("link", name=f"Registrera – PROV-7, {ASSESSMENT.name}"),
        re.compile(r"/deltagare/\d+/instrument/\d+/\?tillfalle=start$"),
    )
    heading(page).to_have_text(f"{ASSESSMENT.name} för PROV-7")
    expect(page.get_by_role("radio", name="Vid start")).to_be_checked()
    journey.check("03-response-form")

    # Submitting with nothing answered names each question.
    page.get_by_role("button", name="Registrera").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Svara på frågan.").first).to_be_visible()
    journey.check("04-response-errors")

    for index, (_label, question) in enumerate(ASSESSMENT.questions):
        group = page.get_by_role("group", name=question)
        group.get_by_role("radio", name=str(4 + index % 5), exact=False).first.check()
    journey.follow(
        page.get_by_role("button", name="Registrera"),
        re.compile(r"/instrument/deltagare/\d+/$"),
    )
    expect(page.get_by_text(f"{ASSESSMENT.name} för PROV-7 är registrerad.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(ASSESSMENT.name)).last).to_be_visible()
    journey.check("05-participant-follow-up")
    journey.finish()
