"""Placeholder until this subcommand is built (replaced in the same change)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

NAMES: tuple[str, ...] = ()


def add_parsers(sub: Any) -> None:
    return None


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    return None
