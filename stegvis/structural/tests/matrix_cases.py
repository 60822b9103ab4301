"""This app's rows of the permission matrix (collected by core/tests/test_permissions.py)."""

from __future__ import annotations

from collections.abc import Callable

from stegvis.conftest import World
from stegvis.core.tests.matrix import Case, f

COLLABORATION_VIEWERS = frozenset(
    {"chief", "intervention_owner", "participant_registrar", "reader"}
)
DEVIATION_REPORTERS = frozenset({"chief", "intervention_owner", "participant_registrar"})
COLLABORATION_MANAGERS = frozenset({"chief"})

CASES: list[Case] = [
    Case("structural:home", lambda w: f(w, "samverkan/"), COLLABORATION_VIEWERS),
]
OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = []
