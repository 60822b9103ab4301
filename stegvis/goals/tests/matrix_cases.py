"""This app's rows of the permission matrix (collected by core/tests/test_permissions.py):
the goal map and indicator pages for everyone who may see the goal map (kansli,
insatsansvarig, styrelse/läsare), the forms for the kansli only; another förbund's goal
or indicator through the own förbund's URLs answers 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.core.tests.matrix import Case, f
from stegvis.goals.models import Goal, GoalMap, Indicator

GOAL_VIEWERS = frozenset({"chief", "intervention_owner", "reader"})
GOAL_EDITORS = frozenset({"chief"})
MATRIX_GOAL = "Deltagarna kommer närmare arbete"
MATRIX_INDICATOR = "Chefer upplever att samverkan utvecklats"


@dataclass
class GoalObjects:
    year: int
    goal: Goal
    indicator: Indicator
    other_goal: Goal
    other_indicator: Indicator


def goal_objects(world: World) -> GoalObjects:
    """This year's goal map of each förbund with one goal and a manual indicator
    (made once per test database)."""
    year = timezone.localdate().year
    with scopes_disabled():
        made: dict[str, tuple[Goal, Indicator]] = {}
        for key, association in (("own", world.own), ("other", world.other)):
            goal_map, _ = GoalMap.objects.get_or_create(association=association, year=year)
            goal, _ = Goal.objects.get_or_create(
                association=association,
                goal_map=goal_map,
                text=MATRIX_GOAL,
                defaults={"perspective": "Individ", "responsible": "Förbundschef"},
            )
            indicator, _ = Indicator.objects.get_or_create(
                association=association,
                goal=goal,
                text=MATRIX_INDICATOR,
                defaults={"metric": "manual", "params": {"source": "Gruppdialog på chefsmöte"}},
            )
            made[key] = (goal, indicator)
    return GoalObjects(year, *made["own"], *made["other"])


def goals_path(world: World, rest: str) -> str:
    objects = goal_objects(world)
    values: dict[str, Any] = {
        "year": objects.year,
        "goal": objects.goal.pk,
        "indicator": objects.indicator.pk,
        "other_goal": objects.other_goal.pk,
        "other_indicator": objects.other_indicator.pk,
    }
    return f(world, "mal/" + rest.format(**values))


CASES: list[Case] = [
    Case("goals:map", lambda w: goals_path(w, ""), GOAL_VIEWERS, ok=302),
    Case("goals:map_year", lambda w: goals_path(w, "{year}/"), GOAL_VIEWERS),
    Case("goals:export", lambda w: goals_path(w, "{year}/export.xlsx"), GOAL_VIEWERS),
    Case(
        "goals:map_create",
        lambda w: goals_path(w, "2031/ny/"),
        GOAL_EDITORS,
        method="post",
        ok=302,
    ),
    Case("goals:goal_create", lambda w: goals_path(w, "{year}/mal/ny/"), GOAL_EDITORS),
    Case("goals:goal_edit", lambda w: goals_path(w, "mal/{goal}/andra/"), GOAL_EDITORS),
    Case(
        "goals:goal_delete",
        lambda w: goals_path(w, "mal/{goal}/ta-bort/"),
        GOAL_EDITORS,
        method="post",
        ok=302,
    ),
    Case(
        "goals:indicator_create",
        lambda w: goals_path(w, "mal/{goal}/indikator/ny/"),
        GOAL_EDITORS,
    ),
    Case("goals:indicator", lambda w: goals_path(w, "indikator/{indicator}/"), GOAL_VIEWERS),
    Case(
        "goals:indicator_export",
        lambda w: goals_path(w, "indikator/{indicator}/export.xlsx"),
        GOAL_VIEWERS,
    ),
    Case(
        "goals:indicator_edit",
        lambda w: goals_path(w, "indikator/{indicator}/andra/"),
        GOAL_EDITORS,
    ),
    Case(
        "goals:indicator_delete",
        lambda w: goals_path(w, "indikator/{indicator}/ta-bort/"),
        GOAL_EDITORS,
        method="post",
        ok=302,
    ),
    Case(
        "goals:manual_value",
        lambda w: goals_path(w, "indikator/{indicator}/varde/"),
        GOAL_EDITORS,
    ),
]

# (name, path) of another förbund's objects reached through the own förbund's URLs: 404.
OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    ("goal_edit", lambda w: goals_path(w, "mal/{other_goal}/andra/")),
    ("goal_indicator_create", lambda w: goals_path(w, "mal/{other_goal}/indikator/ny/")),
    ("indicator_detail", lambda w: goals_path(w, "indikator/{other_indicator}/")),
    ("indicator_export", lambda w: goals_path(w, "indikator/{other_indicator}/export.csv")),
    ("indicator_edit", lambda w: goals_path(w, "indikator/{other_indicator}/andra/")),
    ("indicator_manual_value", lambda w: goals_path(w, "indikator/{other_indicator}/varde/")),
]
