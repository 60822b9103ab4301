"""Rows of the permission matrix for this part of the participants app."""

from __future__ import annotations

from collections.abc import Callable

from stegvis.conftest import World
from stegvis.core.tests.matrix import Case

CASES: list[Case] = []

OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = []
