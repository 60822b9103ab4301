"""A plan whose cost line carries a granted insats exports to a file that reads back in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.finance import services as finance_services
from stegvis.finance.selectors import plan_document
from stegvis.interventions import services
from stegvis.interventions.models import Kind
from stegvis.plans.reader import read_plan
from stegvis.plans.writer import write_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "plans" / "examples" / "samspelet-2024.yaml"


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_export_names_the_insats_of_a_granted_line_and_reads_back(db: Any, fmt: str) -> None:
    association = Association.objects.create(
        name="Samordningsförbundet Samspelet", slug="samspelet", organisation_number="222000-1636"
    )
    document, _ = read_plan(EXAMPLE.read_bytes(), filename=EXAMPLE.name)
    with scope(association=association):
        plan = finance_services.plan_store(actor=None, association=association, document=document)
        karlstad = association.members.get(name="Karlstads kommun")
        region = association.members.get(name="Region Värmland")
        intervention = services.intervention_create(
            actor=None,
            association=association,
            name="Ny väg",
            kind=Kind.INDIVIDUAL,
            owner=karlstad,
            members=[karlstad, region],
        )
        finance_services.budget_line_create(
            actor=None,
            plan=plan,
            side="cost",
            name="Ny väg",
            category="individual",
            amounts={2024: 400_000},
            intervention_name=intervention.name,
        )
    exported = plan_document(association=association, first_year=2024)
    assert "Ny väg" in [entry["name"] for entry in exported.interventions]
    again, _warnings = read_plan(write_plan(exported, fmt=fmt), filename=f"plan.{fmt}")
    assert again.interventions == exported.interventions
    assert any(line.intervention == "Ny väg" for line in again.costs)
