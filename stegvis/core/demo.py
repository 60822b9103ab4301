"""The whole demo installation: the förbund and their people (associations.demo), then
each förbund's plan from the seed plans, as the plan files in stegvis/plans/examples.

Loading twice changes nothing: a plan that is already there is left as it is.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django_scopes import scope

from stegvis.accounts.models import User
from stegvis.associations.demo import DemoLogin, demo_load
from stegvis.associations.models import Association
from stegvis.finance.models import Plan
from stegvis.finance.services import contribution_total_update, plan_create, plan_store
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import ApplicationRound
from stegvis.plans.reader import read_plan

EXAMPLES = Path(__file__).resolve().parent.parent / "plans" / "examples"
DEMO_PLANS = {"samspelet": "samspelet-2024.yaml", "blekinge": "blekinge-2024.yaml"}


def demo_plans_load() -> list[str]:
    """Import each demo förbund's plan unless it has one for that year already."""
    loaded = []
    for slug, filename in DEMO_PLANS.items():
        association = Association.objects.get(slug=slug)
        path = EXAMPLES / filename
        document, _warnings = read_plan(path.read_bytes(), filename=filename)
        with scope(association=association):
            if Plan.objects.filter(association=association, first_year=document.years[0]).exists():
                continue
            plan_store(actor=None, association=association, document=document)
        loaded.append(f"{association.name}: {filename}")
    return loaded


def demo_round_load(*, today: datetime.date | None = None) -> list[str]:
    """An open application round at Samspelet with one application from Karlstads
    kommun, and a draft budget for the years it applies for, so the whole way from
    ansökan to beslut can be tried. Made once."""
    today = today or datetime.date.today()
    association = Association.objects.get(slug="samspelet")
    with scope(association=association):
        if ApplicationRound.objects.filter(association=association).exists():
            return []
        closes = max(today + datetime.timedelta(days=21), datetime.date(today.year, 12, 15))
        first_year = closes.year + 1
        round = intervention_services.round_create(
            actor=None,
            association=association,
            name=f"Ansökningsomgång {first_year}–{first_year + 2}",
            opens=today - datetime.timedelta(days=14),
            closes=closes,
            amount_available=3_000_000,
            description="Medel för insatser där minst två parter delar behovet.",
        )
        if not Plan.objects.filter(association=association, first_year=first_year).exists():
            plan = plan_create(
                actor=None,
                association=association,
                first_year=first_year,
                last_year=first_year + 2,
                opening_equity=3_988_000,
            )
            contribution_total_update(
                actor=None,
                plan=plan,
                total=dict.fromkeys(plan.years, 10_028_000),
                municipal_key="population",
            )
        members = {member.name: member for member in association.members.all()}
        applicant = User.objects.get(username="insats.samspelet")
        intervention_services.target_groups_ensure(association=association)
        intervention_services.application_submit(
            actor=applicant,
            association=association,
            round=round,
            title="Vägen vidare Karlstad",
            kind="individual",
            applicant=members["Karlstads kommun"],
            sharing_members=[members["Försäkringskassan"], members["Region Värmland"]],
            need=(
                "Unga vuxna i Karlstad med psykisk ohälsa och långvarigt försörjningsstöd "
                "behöver samordnat stöd från kommun, region och Försäkringskassan."
            ),
            goals="Hälften av deltagarna går vidare till arbete, studier eller aktivt arbetssökande.",
            years={
                first_year: (900_000, 40),
                first_year + 1: (900_000, 40),
                first_year + 2: (800_000, 35),
            },
            on=today,
        )
    return [f"{association.name}: {round.name} med en ansökan, budget {first_year}"]


def demo_everything() -> tuple[list[DemoLogin], list[str]]:
    logins = demo_load()
    return logins, demo_plans_load() + demo_round_load()
