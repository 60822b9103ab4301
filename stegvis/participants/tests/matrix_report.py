"""Rows of the permission matrix for the participant report pages: everyone in the
förbund who may see aggregates (suppressed), nobody else; another förbund's insats
through the own förbund's report answers 404."""

from __future__ import annotations

from collections.abc import Callable

from stegvis.conftest import World
from stegvis.core.tests.matrix import Case, f
from stegvis.participants.tests.factories import follow_up

AGGREGATE_VIEWERS = frozenset({"chief", "intervention_owner", "participant_registrar", "reader"})

CASES: list[Case] = [
    Case("participants:report", lambda w: f(w, "deltagare/rapport/?year=2024"), AGGREGATE_VIEWERS),
    Case(
        "participants:report_export",
        lambda w: f(w, "deltagare/rapport/export.xlsx?year=2024"),
        AGGREGATE_VIEWERS,
    ),
]


def _other_insats(world: World) -> int:
    return follow_up(world).other_insats.pk


OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    ("participant_report", lambda w: f(w, f"deltagare/rapport/?insats={_other_insats(w)}")),
    (
        "participant_report_export",
        lambda w: f(w, f"deltagare/rapport/export.csv?insats={_other_insats(w)}"),
    ),
]
