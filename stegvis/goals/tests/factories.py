"""Data for the goal tests: goal maps, goals, indicators and targets in the `world`
fixture's förbund. Make them with `scopes_disabled()` or inside a scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import factory

from stegvis.goals.models import Goal, GoalMap, Indicator, IndicatorTarget, ManualValue


class GoalMapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalMap

    association = factory.SubFactory("stegvis.associations.tests.factories.AssociationFactory")
    year = 2024


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    goal_map = factory.SubFactory(GoalMapFactory)
    association = factory.SelfAttribute("goal_map.association")
    perspective = "Individ"
    text = factory.Sequence(lambda n: f"Mål {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    association = factory.SelfAttribute("goal.association")
    text = factory.Sequence(lambda n: f"Indikator {n}")
    metric = "participants"
    params = factory.LazyFunction(dict)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    association = factory.SelfAttribute("indicator.association")
    year = None
    op = ">="
    value = Decimal("0.8")


class ManualValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ManualValue

    indicator = factory.SubFactory(IndicatorFactory)
    association = factory.SelfAttribute("indicator.association")
    source = "Gruppdialog på chefsmöte"


def indicator(
    goal_map: GoalMap,
    metric: str,
    *,
    target: tuple[str, str] | None = None,
    target_year: int | None = None,
    **params: Any,
) -> Indicator:
    """An indicator of its own goal on the map, with a target (op, value) if given."""
    goal = GoalFactory(goal_map=goal_map)
    made = IndicatorFactory(goal=goal, metric=metric, params=params)
    if target is not None:
        TargetFactory(indicator=made, op=target[0], value=Decimal(target[1]), year=target_year)
    return cast(Indicator, made)


# ---------------------------------------------------------------------------
# A small förbund to compute by hand (the goal tests' fixture data)

STEGEN_EXITS = [
    # (kön, exit date, outcome, hand-over): started 2024-01-15
    ("kvinna", "2024-03-20", "arbete", True),
    ("kvinna", "2024-03-20", "arbete", True),
    ("kvinna", "2024-03-20", "arbete", True),
    ("kvinna", "2024-03-20", "studier", True),
    ("kvinna", "2024-03-20", "studier", True),
    ("kvinna", "2024-10-10", "arbetssökande", True),
    ("man", "2024-10-10", "arbetssökande", True),
    ("man", "2024-10-10", "annan rehabilitering", False),
    ("man", "2024-10-10", "avbrott", False),
    ("man", "2024-10-10", "avbrott", False),
]


def participants_2024(world: Any) -> Any:
    """Participants of 2024 in the `world` förbund, by hand:

    * Stegen: 10 started 2024-01-15 and exited in 2024 (`STEGEN_EXITS`: 5 in tertial 1,
      8 with stegförflyttning, 7 handed over; 6 kvinnor, 4 män), 5 started 2024-06-01
      still enrolled, 2 started 2023-05-01 still enrolled, 1 in and out in 2023;
    * Grannen: 3 män started 2024-02-01, exited 2024-09-01 with avbrott.

    2024: participants 20 (Stegen 17), started 18, exited 13, stegförflyttning 8.
    Tertial 1 2024: participants 15, started 13, exited 5 (all with stegförflyttning).
    Returns `follow_up(world)`."""
    import datetime

    from django_scopes import scopes_disabled

    from stegvis.participants.tests.factories import ParticipantFactory, follow_up

    data = follow_up(world)
    day = datetime.date.fromisoformat
    with scopes_disabled():
        for number, (gender, exit, outcome, handed) in enumerate(STEGEN_EXITS):
            ParticipantFactory(
                intervention=data.insats,
                code=f"S{number}",
                gender=gender,
                start=day("2024-01-15"),
                exit=day(exit),
                outcome=outcome,
                handover_to=data.kommun if handed else None,
            )
        for number in range(5):
            ParticipantFactory(intervention=data.insats, code=f"A{number}", start=day("2024-06-01"))
        for number in range(2):
            ParticipantFactory(
                intervention=data.insats, code=f"B{number}", gender="man", start=day("2023-05-01")
            )
        ParticipantFactory(
            intervention=data.insats,
            code="OLD",
            start=day("2023-01-01"),
            exit=day("2023-12-31"),
            outcome="arbete",
        )
        for number in range(3):
            ParticipantFactory(
                intervention=data.neighbour,
                code=f"G{number}",
                gender="man",
                start=day("2024-02-01"),
                exit=day("2024-09-01"),
                outcome="avbrott",
            )
    return data
