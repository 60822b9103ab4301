"""This app's rows of the permission matrix (collected by core/tests/test_permissions.py)."""

from __future__ import annotations

from collections.abc import Callable

from stegvis.conftest import World
from stegvis.core.tests.matrix import Case

CASES: list[Case] = []

# (name, path) of another förbund's objects reached through the own förbund's URLs: 404.
OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = []
