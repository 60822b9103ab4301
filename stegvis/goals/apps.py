from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import AppConfig


def _goals_store(actor: Any, association: Any, year: int, goals: list[dict[str, Any]]) -> None:
    from stegvis.goals.services import goal_map_from_plan

    goal_map_from_plan(actor=actor, association=association, year=year, goals=goals)


def _goals_load(association: Any, year: int) -> list[dict[str, Any]]:
    from django_scopes import scope

    from stegvis.goals.models import GoalMap
    from stegvis.goals.services import goal_map_to_plan

    with scope(association=association):
        goal_map = GoalMap.objects.filter(association=association, year=year).first()
    return goal_map_to_plan(goal_map=goal_map) if goal_map is not None else []


def _instrument_codes() -> Mapping[str, Iterable[str]]:
    from stegvis.instruments.defaults import known_codes

    return known_codes()


def _outcome_codes() -> Mapping[str, Iterable[str]]:
    from stegvis.participants.vocabulary import Outcome

    return {"outcome": Outcome.values}


class GoalsConfig(AppConfig):
    name = "stegvis.goals"
    label = "goals"

    def ready(self) -> None:
        """The plan file's goal map is stored and exported through this app
        (finance never imports it), and the plan reader learns the codes of the
        instruments, their questions and the exit outcomes it may name."""
        from stegvis.finance.selectors import register_goals_store
        from stegvis.plans.vocabulary import register_code_provider

        register_goals_store(_goals_store, _goals_load)
        register_code_provider(_instrument_codes)
        register_code_provider(_outcome_codes)
