"""The participant file and the report in headless Chromium.

The demo's deltagaransvarig imports a participant list for Stegen Karlstad from a
CSV file: a first file with errors shows every bad row and column and stores
nothing, the corrected file is tried first and then saved. They open the report
for their insats and may turn suppression off; a board member sees the same report
suppressed, without that choice.

Screenshots and axe reports go to test-artifacts/participants/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from stegvis.associations.demo import demo_code
from stegvis.associations.models import Association
from stegvis.core.demo import demo_follow_up_load
from stegvis.core.tests import browser_support
from stegvis.core.tests.browser_support import Journey
from stegvis.core.tests.test_browser import (  # noqa: F401 - the fixtures
    browser,
    heading,
    journey,
    log_in,
    site,
)
from stegvis.interventions.models import Intervention
from stegvis.participants.models import Participant

pytestmark = pytest.mark.browser

ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "participants"
INSATS = "Stegen Karlstad"
REGISTRAR = "deltagare.samspelet"

HEADER = "kod;kön;födelseår;kommun;startdatum;slutdatum;avslutsorsak"
BAD = "\n".join(
    [
        HEADER,
        "IMP-1;kvinna;1991;Karlstads kommun;2025-02-01;;",
        "IMP-2;okänt;1988;;2025-03-01;2025-09-01;",
    ]
)
GOOD = "\n".join(
    [
        HEADER,
        "IMP-1;kvinna;1991;Karlstads kommun;2025-02-01;;",
        "IMP-2;man;1988;;2025-03-01;2025-09-01;arbete",
    ]
)


@pytest.fixture
def artifacts(site: str, monkeypatch: Any) -> None:  # noqa: F811
    """The demo's insatser with synthetic participants, and where screenshots go."""
    demo_follow_up_load()
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)


def upload(page: Any, name: str, text: str, *, dry_run: bool = True) -> None:
    page.get_by_label("Deltagarfil").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    checkbox = page.get_by_label("Provkör först")
    if dry_run:
        checkbox.check()
    else:
        checkbox.uncheck()


def test_registrar_imports_a_file_and_reads_the_report(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    overview = f"{site}/f/samspelet/"
    association = Association.objects.get(slug="samspelet")
    with scopes_disabled():
        insats = Intervention.objects.filter(association=association, name=INSATS).first()
        assert insats is not None
        before = Participant.objects.filter(intervention=insats).count()
    listing = f"{overview}deltagare/insats/{insats.pk}/"

    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, REGISTRAR, re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code(REGISTRAR))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)
    journey.goto(listing)
    journey.follow(page.get_by_role("link", name="Importera", exact=True), f"{listing}import/")
    heading(page).to_have_text(f"Importera deltagare till {INSATS}")
    journey.check("20-import")

    # A file with a bad kön and a missing exit reason: both named, nothing stored.
    upload(page, "deltagare.csv", BAD)
    journey.follow(page.get_by_role("button", name="Läs in filen"), re.compile(r"/import/"))
    problems = page.locator(".import-problems")
    expect(problems).to_contain_text("kön")
    expect(problems).to_contain_text("avslutsorsak")
    expect(problems.get_by_role("row").filter(has_text="kön")).to_contain_text("3")
    journey.check("21-import-problems")
    with scopes_disabled():
        assert Participant.objects.filter(intervention=insats).count() == before

    # The corrected file: tried first, then saved.
    upload(page, "deltagare.csv", GOOD)
    journey.follow(page.get_by_role("button", name="Läs in filen"), re.compile(r"/import/"))
    heading(page).to_have_text("Kontrollera importen")
    expect(page.get_by_text("2 nya")).to_be_visible()
    journey.check("22-import-preview")
    with scopes_disabled():
        assert Participant.objects.filter(intervention=insats).count() == before
    journey.follow(page.get_by_role("button", name="Spara"), re.compile(r"/insats/\d+/"))
    with scopes_disabled():
        assert Participant.objects.filter(intervention=insats).count() == before + 2
    journey.check("23-imported")

    # The insats's own report; its staff may turn suppression off.
    journey.goto(f"{overview}deltagare/rapport/?year=2025&insats={insats.pk}")
    heading(page).to_have_text(f"Deltagarrapport 2025: {INSATS}")
    expect(page.get_by_role("heading", name="Deltagare efter kön")).to_be_visible()
    journey.check("24-report-own")
    page.get_by_label("Utan maskning (insatsens egen personal)").check()
    journey.follow(page.get_by_role("button", name="Visa", exact=True), re.compile(r"rapport/"))
    journey.check("25-report-unsuppressed")
    journey.finish()


def test_board_member_reads_the_suppressed_report(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    artifacts: None,
) -> None:
    page = journey.page
    overview = f"{site}/f/samspelet/"
    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, "styrelse.samspelet", overview)
    mainnav = page.locator("nav.mainnav")
    journey.follow(mainnav.get_by_role("link", name="Deltagare"), f"{overview}deltagare/")
    journey.check("30-board-home")
    journey.goto(f"{overview}deltagare/rapport/?year=2025")
    heading(page).to_have_text("Deltagarrapport 2025: hela förbundet")
    expect(page.get_by_label("Utan maskning (insatsens egen personal)")).to_have_count(0)
    journey.check("31-board-report")
    journey.finish()
