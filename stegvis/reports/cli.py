"""The `stegvis report …` subcommands of this app, added beside `report participants`
(participants/management/commands/report.py). Each module adds its parsers and runs
the subcommands it names."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand

MODULES = (
    "stegvis.reports.cli_plan",  # plan
    "stegvis.reports.cli_periodic",  # interim, annual
    "stegvis.reports.cli_finsam",  # finsam-export
)


def add_report_parsers(sub: Any) -> None:
    for name in MODULES:
        import_module(name).add_parsers(sub)


def run_report(command: BaseCommand, options: dict[str, Any]) -> bool:
    """Run the subcommand if one of this app's modules names it; False otherwise."""
    for name in MODULES:
        module = import_module(name)
        if options["report"] in module.NAMES:
            module.run(command, options)
            return True
    return False
