"""The shared parts of the permission matrix: a row (`Case`), the groups of people
that rows allow, and `f` for paths inside the own förbund. Each app's rows live in
its own `tests/matrix_cases.py` (CASES and OTHER_ASSOCIATION_OBJECTS) and are
collected by core/tests/test_permissions.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stegvis.conftest import PEOPLE, World

ASSOCIATION_STAFF = {
    "chief",
    "intervention_owner",
    "participant_registrar",
    "reader",
    "system_admin",
}
MANAGERS = {"chief", "system_admin"}
BUDGET_VIEWERS = {"chief", "intervention_owner", "reader"}
BUDGET_EDITORS = {"chief"}
INTERVENTION_VIEWERS = {"chief", "intervention_owner", "participant_registrar", "reader"}
# The matrix's insats is one the insatsansvarig works with; someone else's insats
# answers 403 (interventions/tests/test_pages.py).
INTERVENTION_EDITORS = {"chief", "intervention_owner"}
KANSLI = {"chief"}
APPLICANTS = {"chief", "intervention_owner"}
# URL prefixes of the pages inside a förbund (404 outside it, 403 without permission).
TENANT_NAMESPACES = {
    "associations",
    "audit",
    "finance",
    "actuals",
    "interventions",
    "participants",
    "instruments",
    "goals",
    "structural",
    "reports",
}
EVERYONE_LOGGED_IN = set(PEOPLE) - {"anonymous"}


@dataclass(frozen=True)
class Case:
    name: str  # namespaced URL name
    path: Callable[[World], str]
    allowed: frozenset[str]
    method: str = "get"
    ok: int = 200
    data: Callable[[World], dict[str, Any]] | None = None
    # People of the own förbund who hold the permission but not the object: the
    # status they get instead of 403 (e.g. 404 for participant rows of an insats
    # one does not work on), e.g. denied={"chief": 404}.
    denied: Mapping[str, int] = field(default_factory=dict)


def f(world: World, rest: str = "") -> str:
    return f"/f/{world.own.slug}/{rest}"
