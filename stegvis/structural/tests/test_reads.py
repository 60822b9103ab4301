"""The Samverkan pages only read (issue 13). *Ny avvikelse* and the categories page used
to add the default categories on GET, the activity pages the built-in kinds, the
survey round form the default collaboration survey; all of them now come with the
förbund (`associations.services.association_starting_point`, and a data migration for
older förbund), and the pages show them as before without writing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from stegvis.associations.services import association_starting_point
from stegvis.conftest import World
from stegvis.core.tests.writes import writes_during
from stegvis.structural.models.activities import DEFAULT_KINDS
from stegvis.structural.models.deviations import DEFAULT_CATEGORIES

pytestmark = pytest.mark.django_db


def base(world: World) -> str:
    return f"/f/{world.own.slug}/samverkan/"


def options(response: Any, field: str) -> list[str]:
    """The labels of a select's options, as the form offers them."""
    form = response.context["form"]
    return [str(label) for _value, label in form.fields[field].choices if str(label)]


@pytest.fixture
def started(world: World) -> World:
    """The own förbund as it is after its creation (or the data migration)."""
    association_starting_point(association=world.own)
    return world


PAGES = [
    "avvikelser/ny/",
    "avvikelser/ny/?slag=guldkorn",
    "avvikelser/",
    "avvikelser/kategorier/",
    "avvikelser/larande/",
    "aktiviteter/",
    "aktiviteter/ny/",
    "aktiviteter/slag/",
    "aktiviteter/export.xlsx",
    "aktiviteter/sammanstallning.csv",
    "enkater/",
    "enkater/ny/",
    "",
]


@pytest.mark.parametrize("page", PAGES)
def test_the_kansli_reads_samverkan_without_writing(
    started: World, client_as: Any, page: str
) -> None:
    client = client_as("chief")
    with writes_during() as writes:
        response = client.get(base(started) + page)
    assert response.status_code == 200
    assert writes == []


def test_new_deviation_offers_the_default_categories(started: World, client_as: Any) -> None:
    client = client_as("participant_registrar")
    with writes_during() as writes:
        response = client.get(f"{base(started)}avvikelser/ny/")
    assert writes == []
    assert options(response, "category") == DEFAULT_CATEGORIES
    categories = client_as("chief").get(f"{base(started)}avvikelser/kategorier/")
    html = categories.content.decode()
    for name in DEFAULT_CATEGORIES:
        assert name in html


def test_the_activity_form_offers_the_built_in_kinds(started: World, client_as: Any) -> None:
    response = client_as("chief").get(f"{base(started)}aktiviteter/ny/")
    assert options(response, "kind") == [name for _code, name in DEFAULT_KINDS]


def test_the_survey_round_form_offers_the_default_survey(started: World, client_as: Any) -> None:
    response = client_as("chief").get(f"{base(started)}enkater/ny/")
    assert options(response, "instrument") == ["Samverkansenkät"]


def test_a_forbund_without_the_starting_point_is_not_given_it_by_a_get(
    world: World, client_as: Any
) -> None:
    # A förbund made by a factory (not by association_create) has nothing yet: the
    # pages show that, and still write nothing.
    client = client_as("chief")
    for page in ("avvikelser/ny/", "aktiviteter/ny/", "enkater/ny/", "avvikelser/kategorier/"):
        with writes_during() as writes:
            response = client.get(base(world) + page)
        assert response.status_code == 200, page
        assert writes == [], page
    html = client.get(f"{base(world)}avvikelser/kategorier/").content.decode()
    assert not re.search("|".join(map(re.escape, DEFAULT_CATEGORIES)), html)
