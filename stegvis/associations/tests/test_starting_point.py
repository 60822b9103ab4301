"""What every förbund starts with — follow-up periods, kinds of activity, deviation
categories, the collaboration survey — comes with the förbund (issue 13): the pages
that used to add it on their first GET only read now. Förbund made before get it from
a data migration in each app, which keeps what a förbund has of its own."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django_scopes import scope, scopes_disabled

from stegvis.associations import services
from stegvis.associations.models import Association
from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.finance.models import DEFAULT_PERIODS, ReportingPeriod
from stegvis.instruments.defaults import COLLABORATION
from stegvis.instruments.models import Instrument
from stegvis.interventions.models import DEFAULT_TARGET_GROUPS, TargetGroup
from stegvis.structural.models import ActivityKind, DeviationCategory
from stegvis.structural.models.activities import DEFAULT_KINDS
from stegvis.structural.models.deviations import DEFAULT_CATEGORIES

pytestmark = pytest.mark.django_db

MIGRATIONS = [
    ("stegvis.finance.migrations.0004_reporting_periods", "periods_add"),
    ("stegvis.structural.migrations.0005_starting_point", "starting_point_add"),
    ("stegvis.instruments.migrations.0004_collaboration_survey", "survey_add"),
    ("stegvis.interventions.migrations.0002_default_target_groups", "target_groups_add"),
]


def starting_point(association: Association) -> dict[str, Any]:
    with scope(association=association):
        survey = Instrument.objects.filter(association=association, kind="collaboration").first()
        return {
            "periods": list(
                ReportingPeriod.objects.filter(association=association)
                .order_by("end_month")
                .values_list("code", "name", "end_month")
            ),
            "kinds": list(
                ActivityKind.objects.filter(association=association)
                .order_by("position")
                .values_list("code", "name")
            ),
            "categories": list(
                DeviationCategory.objects.filter(association=association)
                .order_by("position")
                .values_list("name", flat=True)
            ),
            "target_groups": sorted(
                TargetGroup.objects.filter(association=association).values_list("name", flat=True)
            ),
            "survey": None
            if survey is None
            else (
                survey.name,
                survey.code,
                survey.scale_max,
                list(survey.questions.order_by("order").values_list("short_label", "code")),
            ),
        }


EXPECTED = {
    "periods": [tuple(period) for period in DEFAULT_PERIODS],
    "kinds": [tuple(kind) for kind in DEFAULT_KINDS],
    "categories": DEFAULT_CATEGORIES,
    "target_groups": sorted(DEFAULT_TARGET_GROUPS),
    "survey": (
        COLLABORATION.name,
        COLLABORATION.code,
        5,
        [(label, COLLABORATION.question_codes[label]) for label, _text in COLLABORATION.questions],
    ),
}


def migrate_data() -> None:
    """The migrations' functions, on today's models (scoped managers: `migrate`'s
    historical models have plain ones)."""
    with scopes_disabled():
        for module, function in MIGRATIONS:
            getattr(import_module(module), function)(apps, None)


def test_a_new_forbund_starts_with_everything_the_pages_need(world: World) -> None:
    with scopes_disabled():
        made = services.association_create(
            actor=world.users["system_admin"],
            name="Samordningsförbundet Nytt",
            slug="nytt",
            organisation_number="222000-1636",
        )
    assert starting_point(made) == EXPECTED
    with scopes_disabled():
        logged = set(AuditEntry.objects.filter(association=made).values_list("action", flat=True))
    assert {"association.created", "reporting_period.created"} <= logged
    assert "deviation_category.defaults_added" in logged


def test_the_migrations_give_an_older_forbund_the_same(world: World) -> None:
    # The `world` förbund are made by a factory, as förbund were before: nothing yet.
    assert starting_point(world.own)["categories"] == []
    migrate_data()
    assert starting_point(world.own) == EXPECTED
    assert starting_point(world.other) == EXPECTED
    migrate_data()  # a second run adds nothing
    assert starting_point(world.own) == EXPECTED


def test_the_migrations_keep_what_a_forbund_has_of_its_own(world: World) -> None:
    with scopes_disabled():
        ReportingPeriod.objects.create(
            association=world.own, code="halvar", name="Halvår", end_month=6
        )
        DeviationCategory.objects.create(association=world.own, name="Lokaler", position=1)
        TargetGroup.objects.create(association=world.own, name="Nyanlända")
        ActivityKind.objects.create(
            association=world.own, name="Utbildning", code="egen-utbildning", position=1
        )
        Instrument.objects.create(
            association=world.own,
            name="Vår enkät",
            kind="collaboration",
            scale_min=1,
            scale_max=4,
        )
    migrate_data()
    mine = starting_point(world.own)
    assert mine["periods"] == [("halvar", "Halvår", 6)]
    assert mine["categories"] == ["Lokaler"]
    assert mine["target_groups"] == ["Nyanlända"]
    # The built-in kinds are added, except one whose name the förbund already uses.
    assert ("egen-utbildning", "Utbildning") in mine["kinds"]
    assert "utbildning" not in [code for code, _name in mine["kinds"]]
    assert len(mine["kinds"]) == len(DEFAULT_KINDS)
    assert mine["survey"][0] == "Vår enkät"
    with scopes_disabled():
        assert Instrument.objects.filter(association=world.own, kind="collaboration").count() == 1
