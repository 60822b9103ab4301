"""Rows of the permission matrix for the participant import and export.

Only the insats's own deltagaransvarig imports and exports its rows. The förbundschef
holds the permissions but not the insats (the kansli registers only where they are
insats staff, and sees no rows by default): the insats boundary answers 404. Everyone
else of the förbund lacks the permission: 403.
"""

from __future__ import annotations

from collections.abc import Callable

from stegvis.conftest import World
from stegvis.core.tests.matrix import Case, f
from stegvis.participants.tests.factories import follow_up

REGISTRAR = frozenset({"participant_registrar"})
BOUNDARY = {"chief": 404}


def insats_path(world: World, rest: str) -> str:
    return f(world, f"deltagare/insats/{follow_up(world).insats.pk}/{rest}")


CASES: list[Case] = [
    Case("participants:import", lambda w: insats_path(w, "import/"), REGISTRAR, denied=BOUNDARY),
    Case(
        "participants:import_confirm",
        lambda w: insats_path(w, "import/spara/"),
        REGISTRAR,
        method="post",
        ok=302,  # nothing tried first: back to the upload
        data=lambda w: {"digest": "0" * 64},
        denied=BOUNDARY,
    ),
    Case(
        "participants:import_template",
        lambda w: insats_path(w, "import/mall.xlsx"),
        REGISTRAR,
        denied=BOUNDARY,
    ),
    Case(
        "participants:export",
        lambda w: insats_path(w, "export.xlsx"),
        REGISTRAR,
        denied=BOUNDARY,
    ),
]

OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    (
        "participant_import_of_other_insats",
        lambda w: f(w, f"deltagare/insats/{follow_up(w).other_insats.pk}/import/"),
    ),
    (
        "participant_export_of_other_insats",
        lambda w: f(w, f"deltagare/insats/{follow_up(w).other_insats.pk}/export.csv"),
    ),
]
