"""Data for the activity tests: kinds, activities and attendance in the `world`
fixture's förbund. Make them with `scopes_disabled()` or inside a scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import factory
from django_scopes import scopes_disabled

from stegvis.associations.models import Association
from stegvis.structural.models.activities import Activity, ActivityAttendance, ActivityKind


class ActivityKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityKind
        django_get_or_create = ("association", "code")

    association = factory.SubFactory("stegvis.associations.tests.factories.AssociationFactory")
    code = "seminarium"
    name = factory.LazyAttribute(lambda kind: kind.code.capitalize())
    builtin = False


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    association = factory.SubFactory("stegvis.associations.tests.factories.AssociationFactory")
    kind = factory.SubFactory(
        ActivityKindFactory, association=factory.SelfAttribute("..association")
    )
    title = factory.Sequence(lambda n: f"Aktivitet {n}")
    date = datetime.date(2024, 3, 14)
    organiser = "Förbundet"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityAttendance

    activity = factory.SubFactory(ActivityFactory)
    association = factory.SelfAttribute("activity.association")
    member = factory.SubFactory(
        "stegvis.associations.tests.factories.MemberFactory",
        association=factory.SelfAttribute("..association"),
    )
    participants = 5


# ---------------------------------------------------------------------------
# The permission matrix's objects


@dataclass
class ActivityObjects:
    activity: Activity
    kind: ActivityKind  # a kind of the förbund's own, used by no activity


def _activity_objects(association: Association) -> ActivityObjects:
    kind, _ = ActivityKind.objects.get_or_create(
        association=association, code="seminarium", defaults={"name": "Seminarium"}
    )
    own_kind, _ = ActivityKind.objects.get_or_create(
        association=association, code="matriskurs", defaults={"name": "Matriskurs"}
    )
    activity, _ = Activity.objects.get_or_create(
        association=association,
        title="Matrisens seminarium",
        defaults={"kind": kind, "date": datetime.date(2024, 3, 14), "organiser": "Förbundet"},
    )
    return ActivityObjects(activity, own_kind)


def activities_path(world: Any, rest: str) -> str:
    """An activity path of the own förbund, with `{activity}`, `{kind}` and the other
    förbund's `{other_activity}`, `{other_kind}` filled in."""
    with scopes_disabled():
        own = _activity_objects(world.own)
        other = _activity_objects(world.other)
    values = {
        "activity": own.activity.pk,
        "kind": own.kind.pk,
        "other_activity": other.activity.pk,
        "other_kind": other.kind.pk,
    }
    return f"/f/{world.own.slug}/samverkan/aktiviteter/" + rest.format(**values)
