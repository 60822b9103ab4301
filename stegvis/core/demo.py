"""The whole demo installation: the förbund and their people (associations.demo), then
each förbund's plan from the seed plans, as the plan files in stegvis/plans/examples.

Loading twice changes nothing: a plan that is already there is left as it is.
"""

from __future__ import annotations

from pathlib import Path

from django_scopes import scope

from stegvis.associations.demo import DemoLogin, demo_load
from stegvis.associations.models import Association
from stegvis.finance.models import Plan
from stegvis.finance.services import plan_store
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


def demo_everything() -> tuple[list[DemoLogin], list[str]]:
    logins = demo_load()
    return logins, demo_plans_load()
