"""This app's rows of the permission matrix (collected by core/tests/test_permissions.py):
the reports for everyone who may read them (kansli, insatsansvarig, styrelse/läsare)."""

from __future__ import annotations

from collections.abc import Callable

from stegvis.conftest import World
from stegvis.core.tests.matrix import Case, f

REPORT_READERS = frozenset({"chief", "intervention_owner", "reader"})
REPORT_EDITORS = frozenset({"chief"})

CASES: list[Case] = [
    Case("reports:home", lambda w: f(w, "rapporter/"), REPORT_READERS),
]
OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = []
