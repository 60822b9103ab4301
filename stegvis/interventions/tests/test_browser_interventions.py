"""From application to budget in headless Chromium: a member's insatsansvarig applies
in an open round, the kansli prepares the application, the förbundschef records the
board's partial grant, and the insats and the Ekonomi budget show the money.

Every page is screenshotted and checked with axe into test-artifacts/interventions/
(see core/tests/test_browser.py); serious or critical findings, error responses,
JavaScript errors and requests to other hosts fail the journey.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from playwright.sync_api import expect

from stegvis.associations.demo import demo_code
from stegvis.associations.models import Association
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
from stegvis.finance import services as finance_services
from stegvis.interventions import services
from stegvis.interventions.forms_applications import application_years
from stegvis.plans.reader import read_plan

pytestmark = pytest.mark.browser

SAMSPELET = Path(__file__).resolve().parents[2] / "plans" / "examples" / "samspelet-2024.yaml"
ARTIFACTS = browser_support.REPO_ROOT / "test-artifacts" / "interventions"
INSATS = "Vägen vidare Karlstad"


def samspelet_plan_for(association: Association, first_year: int) -> None:
    """The Samspelet seed plan (Budget 2024, plan 2025–2026), moved to the years the
    open round applies for: the round is open today, so its years follow the clock,
    and a grant is written in the budget of each granted year."""
    shift = first_year - 2024
    text = re.sub(
        r"\b(2024|2025|2026)\b",
        lambda match: str(int(match.group(0)) + shift),
        SAMSPELET.read_text(encoding="utf-8"),
    )
    document, _warnings = read_plan(text.encode("utf-8"), filename=SAMSPELET.name)
    with scopes_disabled():
        finance_services.plan_store(actor=None, association=association, document=document)


@pytest.fixture
def open_round(site: str, monkeypatch: Any) -> Any:  # noqa: F811
    """An application round open today in the demo's Samspelet, and a budget covering
    the years it applies for."""
    monkeypatch.setattr(browser_support, "ARTIFACTS", ARTIFACTS)
    association = Association.objects.get(slug="samspelet")
    today = timezone.localdate()
    with scope(association=association):
        round = services.round_create(
            actor=None,
            association=association,
            name="Ansökan om medel",
            opens=today - datetime.timedelta(days=7),
            closes=today + datetime.timedelta(days=21),
            amount_available=3_000_000,
            description="Medel för insatser som startar efter årsskiftet.",
        )
    samspelet_plan_for(association, application_years(round)[0])
    return round


def log_out(steps: Journey) -> None:
    steps.follow(steps.page.get_by_role("button", name="Logga ut"), LOGIN)


def test_member_applies_kansli_prepares_board_grants_and_the_budget_shows_it(
    site: str,  # noqa: F811
    journey: Journey,  # noqa: F811
    open_round: Any,
) -> None:
    page = journey.page
    overview = f"{site}/f/samspelet/"
    insatser = f"{overview}insatser/"
    years = application_years(open_round)
    first, second, third = years

    # The insatsansvarig of Karlstads kommun finds the open round and applies.
    journey.goto(f"{site}/konto/logga-in/")
    log_in(journey, site, "insats.samspelet", overview)
    mainnav = page.locator("nav.mainnav")
    journey.follow(mainnav.get_by_role("link", name="Insatser"), insatser)
    heading(page).to_have_text("Insatser")
    expect(mainnav.get_by_role("link", name="Insatser")).to_have_attribute("aria-current", "page")
    journey.check("01-member-list")

    subnav = page.get_by_role("navigation", name="Insatser", exact=True)
    journey.follow(
        subnav.get_by_role("link", name="Ansökningsomgångar"), f"{insatser}ansokningsomgangar/"
    )
    heading(page).to_have_text("Ansökningsomgångar")
    journey.check("02-member-rounds")
    journey.follow(
        page.get_by_role("link", name="Ansök – Ansökan om medel"),
        re.compile(r"/ansokningsomgangar/\d+/ansok/$"),
    )
    heading(page).to_have_text("Ansök om medel")
    expect(page.get_by_label("Sökande medlem")).to_be_disabled()
    expect(page.get_by_label("Sökande medlem")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_text("Minst två medlemmar måste dela behovet").first).to_be_visible()

    page.get_by_label("Insatsens namn").fill(INSATS)
    page.get_by_label("Individinriktad").check()
    page.get_by_label("Behov", exact=True).fill(
        "Unga vuxna i Karlstad som står långt från arbetsmarknaden och har kontakt med "
        "flera myndigheter samtidigt."
    )
    page.get_by_label("Målgrupp").select_option(label="Unga vuxna 16–29 år")
    page.get_by_label("Mål", exact=True).fill(
        "Hälften av deltagarna går vidare till arbete eller studier inom ett år."
    )
    for year, amount, participants in [
        (first, "1 200", "40"),
        (second, "1 200", "40"),
        (third, "1 000", "35"),
    ]:
        page.get_by_label(f"Sökt belopp {year}").fill(amount)
        page.get_by_label(f"Planerade deltagare {year}").fill(participants)
    # Without a member sharing the need the application is refused, on the field.
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_load_state("load")
    expect(page.locator("#id_sharing_members_error")).to_contain_text(
        "Minst två medlemmar måste dela behovet"
    )
    journey.check("03-member-application-two-members")

    page.get_by_label("Försäkringskassan").check()
    page.get_by_label("Region Värmland").check()
    journey.follow(
        page.get_by_role("button", name="Skicka ansökan"), re.compile(r"/ansokningar/\d+/$")
    )
    heading(page).to_have_text(INSATS)
    expect(page.get_by_text("är inlämnad")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Summa"))).to_contain_text("3\u00a0400")
    application_url = page.url
    journey.check("04-member-application-submitted")
    log_out(journey)

    # The kansli (the förbundschef, with two factors) prepares: delvis bifall.
    log_in(journey, site, "chef.samspelet", re.compile(r"/konto/tvafaktor/\?next="))
    page.get_by_label("Kod", exact=True).fill(demo_code("chef.samspelet"))
    journey.follow(page.get_by_role("button", name="Fortsätt"), overview)
    journey.goto(application_url)
    journey.follow(page.get_by_role("link", name="Bered ansökan"), re.compile(r"/beredning/$"))
    heading(page).to_have_text(f"Beredning av {INSATS}")
    page.get_by_label(re.compile(r"^Beredning")).fill(
        "Behovet delas av Försäkringskassan och regionen. Kansliet föreslår ett lägre "
        "belopp tredje året, då insatsen ska ha hittat sin form."
    )
    page.get_by_label("Delvis bifall").check()
    for year, amount in [(first, "1 000"), (second, "1 000"), (third, "800")]:
        page.get_by_label(f"Föreslaget belopp {year}").fill(amount)
    journey.check("05-kansli-prepare")
    journey.follow(page.get_by_role("button", name="Spara beredningen"), application_url)
    expect(page.get_by_text("Förslag till beslut: Delvis bifall")).to_be_visible()
    journey.check("06-kansli-prepared")

    # The board meets; the förbundschef records its partial grant.
    subnav = page.get_by_role("navigation", name="Insatser", exact=True)
    journey.follow(subnav.get_by_role("link", name="Styrelsens beslut"), f"{insatser}styrelsen/")
    heading(page).to_have_text("Styrelsens beslut")
    card = page.locator("article.decision-card", has_text=INSATS)
    expect(card.locator("dl.facts .status")).to_have_text("Delvis bifall")
    expect(card.get_by_label("Delvis bifall")).to_be_checked()
    expect(card.get_by_label(f"Beviljat belopp {first}")).to_have_value("1 000")
    meeting_date = timezone.localdate().isoformat()
    card.get_by_label("Sammanträdesdatum").fill(meeting_date)
    card.get_by_label("Paragraf").fill("§ 42")
    for year, amount in [(first, "900"), (second, "900"), (third, "700")]:
        card.get_by_label(f"Beviljat belopp {year}").fill(amount)
    card.get_by_label("Villkor").fill("Insatsen redovisar resultat till styrelsen efter ett år.")
    card.get_by_label("Diarienummer").fill("Dnr 2026/42")
    journey.check("07-board-meeting")
    journey.follow(
        card.get_by_role("button", name=f"För in beslutet om {INSATS}"),
        re.compile(r"/insatser/beslut/\d+/$"),
    )
    heading(page).to_have_text(f"§ 42 {INSATS}")
    expect(page.get_by_text("Styrelsen beslutar att delvis bevilja")).to_contain_text(
        "2\u00a0500\u00a0000\u00a0kr"
    )
    href = page.get_by_role("link", name="Protokollsutdrag (PDF)").get_attribute("href")
    pdf = page.request.get(f"{site}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    journey.check("08-decision")

    # The insats now exists, granted, with its budget per year ...
    journey.follow(page.get_by_role("link", name="Visa insatsen"), re.compile(r"/insatser/\d+/$"))
    heading(page).to_have_text(INSATS)
    expect(page.get_by_text("Beviljad").first).to_be_visible()
    budget = page.get_by_role("table", name="Insatsens budget per år (tkr)")
    expect(budget.get_by_role("row", name=re.compile(rf"^{first}"))).to_contain_text("900")
    expect(budget.get_by_role("row", name=re.compile(rf"^{third}"))).to_contain_text("700")
    journey.check("09-insats")
    insats_url = page.url
    journey.follow(page.get_by_role("link", name="Ändra uppgifterna"), f"{insats_url}andra/")
    expect(page.locator("#locked-note")).to_contain_text(
        "Slag och ESF-medfinansiering kan inte ändras när insatsen är beviljad – skapa en ny insats"
    )
    expect(page.get_by_label("Individinriktad")).to_be_disabled()
    journey.check("09b-insats-edit")
    journey.goto(insats_url)

    # ... and the budget of Ekonomi carries it as a cost line.
    journey.follow(budget.get_by_role("link").first, f"{site}/f/samspelet/ekonomi/{first}/")
    heading(page).to_have_text(f"Budget {first}, plan {second}–{third}")
    row = page.locator("table.budget").get_by_role("row", name=re.compile(rf"^{INSATS}"))
    expect(row).to_contain_text("900")
    expect(row).to_contain_text("700")
    journey.check("10-budget")

    # The list of insatser sums the granted money per year.
    journey.follow(page.locator("nav.mainnav").get_by_role("link", name="Insatser"), insatser)
    row = page.get_by_role("row", name=re.compile(rf"^{INSATS}"))
    expect(row).to_contain_text("Beviljad")
    expect(row).to_contain_text("900")
    journey.check("11-list")

    # The round: applied, recommended and granted against what was available.
    journey.follow(
        page.get_by_role("navigation", name="Insatser", exact=True).get_by_role(
            "link", name="Ansökningsomgångar"
        ),
        f"{insatser}ansokningsomgangar/",
    )
    journey.follow(
        page.get_by_role("link", name="Ansökan om medel", exact=True),
        re.compile(r"/ansokningsomgangar/\d+/$"),
    )
    expect(page.locator(".figures")).to_contain_text("Beviljat av styrelsen")
    expect(page.locator(".figures")).to_contain_text("2\u00a0500")
    journey.check("12-round")

    journey.finish()
