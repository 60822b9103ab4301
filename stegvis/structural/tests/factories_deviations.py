"""Data for the deviation tests: categories, insatser with their staff, cases made
straight in the database (the services are tested on their own), and numbers shaped
like a personnummer but with an impossible date, so no test value can be a real
person's number."""

from __future__ import annotations

import datetime
from typing import Any

from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Association
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import Intervention
from stegvis.interventions.tests.factories import InterventionFactory
from stegvis.structural import services_deviations as services
from stegvis.structural.models import Deviation, DeviationCategory

D = datetime.date
DEFAULT_REPORTED = D(2024, 3, 10)


def check_digit(nine: str) -> str:
    """The Luhn check digit that makes `nine` + it a valid ten-digit number."""
    for digit in "0123456789":
        total = 0
        for index, char in enumerate(nine + digit):
            value = int(char) * (2 if index % 2 == 0 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digit
    raise AssertionError("unreachable")


def impossible_number(*, month: str = "13", century: str = "", separator: str = "-") -> str:
    """A personnummer-shaped number with an impossible month (00 or 13) and a right
    check digit: the checker must refuse it, and it can be no one's."""
    date = f"85{month}07"
    serial = "123"
    digits = date + serial + check_digit(date + serial)
    return f"{century}{digits[:6]}{separator}{digits[6:]}"


def category(association: Association, name: str = "Övrigt") -> DeviationCategory:
    with scopes_disabled():
        services.categories_ensure(association=association)
        return DeviationCategory.objects.get(association=association, name=name)


def insats(world: Any, name: str, *staff: str) -> Intervention:
    """An ongoing insats of the own förbund with the named people of `world` as staff."""
    with scope(association=world.own):
        intervention: Intervention = InterventionFactory(
            association=world.own, owner=world.member, name=name, status="ongoing"
        )
        for person in staff:
            intervention_services.staff_add(
                actor=None, intervention=intervention, user=world.users[person]
            )
    return intervention


def case(
    association: Association,
    *,
    title: str = "Remissen kom inte fram",
    kind: str = Deviation.Kind.DEVIATION,
    reported_on: datetime.date = DEFAULT_REPORTED,
    occurred_on: datetime.date | None = None,
    reported_by: Any = None,
    intervention: Intervention | None = None,
    category_name: str = "Remiss och överlämning",
    status: str = Deviation.Status.REPORTED,
    closed_on: datetime.date | None = None,
    members: list[Any] | None = None,
    **fields: Any,
) -> Deviation:
    with scopes_disabled():
        deviation = Deviation.objects.create(
            association=association,
            kind=kind,
            title=title,
            description=fields.pop("description", "Överlämningen mellan parterna dröjde."),
            reported_on=reported_on,
            occurred_on=occurred_on or reported_on,
            reported_by=reported_by,
            intervention=intervention,
            category=category(association, category_name),
            status=status,
            closed_on=closed_on,
            **fields,
        )
        if members:
            deviation.members.set(members)
    return deviation


# ---------------------------------------------------------------------------
# The permission matrix's cases (made once per test database, found by title after)

MATRIX_REPORTED = "Matrisavvikelse"
MATRIX_KANSLI = "Kansliets matrisavvikelse"
MATRIX_OTHER = "Annans matrisavvikelse"


def matrix_objects(world: Any) -> dict[str, int]:
    """The pks the matrix's paths name: a case the deltagaransvarig reported on the
    matrix insats (which the insatsansvarig works on too), one the kansli reported
    without an insats (404 for both of them), another förbund's case and category."""
    from stegvis.interventions.tests.access import access_data

    data = access_data(world)
    with scopes_disabled():
        found = {
            deviation.title: deviation
            for deviation in Deviation.objects.filter(
                title__in=[MATRIX_REPORTED, MATRIX_KANSLI, MATRIX_OTHER]
            )
        }
    if MATRIX_REPORTED not in found:
        found[MATRIX_REPORTED] = case(
            world.own,
            title=MATRIX_REPORTED,
            intervention=data.insats,
            reported_by=world.users["participant_registrar"],
        )
        found[MATRIX_KANSLI] = case(
            world.own, title=MATRIX_KANSLI, reported_by=world.users["chief"]
        )
        found[MATRIX_OTHER] = case(world.other, title=MATRIX_OTHER)
    return {
        "reported": found[MATRIX_REPORTED].pk,
        "kansli": found[MATRIX_KANSLI].pk,
        "other": found[MATRIX_OTHER].pk,
        "category": category(world.own, "Övrigt").pk,
        "other_category": category(world.other, "Övrigt").pk,
    }


def deviations_path(world: Any, rest: str) -> str:
    return f"/f/{world.own.slug}/samverkan/avvikelser/" + rest.format(**matrix_objects(world))
