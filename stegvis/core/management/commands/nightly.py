"""`stegvis nightly [--date YYYY-MM-DD]`: the work that must not happen while someone
reads a page, run once a night from cron (README, "The command line").

For every förbund, each job in its own scope and transaction:

* gallring: `participants.retention.participants_purge` with the förbund's own
  retention period (as `stegvis participants purge`);
* målkartan: `goals.evaluation.values_record`, the values of closed periods stored
  with their definition version (as `stegvis goals record`), so the goal map and the
  reports show what was reported even after an indicator changes.

Both are idempotent: a second run the same day changes nothing. One line per förbund
and job on stdout. A job that fails is reported on stderr (its transaction rolled
back) and the others go on; the command then exits 1.

The jobs are named by dotted path, as `reports.cli` names its subcommands, so the
core app does not import the domain apps. Each takes `association` and `today`
keywords and returns how many rows it stored or removed.
"""

from __future__ import annotations

import argparse
import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Association

logger = logging.getLogger(__name__)

FAILED = 1


def _jobs() -> list[tuple[str, str, Callable[..., int]]]:
    """(name, what the count means, function), in the order they run."""
    return [
        (
            _("gallring"),
            _("%(n)s deltagare gallrade"),
            import_string("stegvis.participants.retention.participants_purge"),
        ),
        (
            _("målkartan"),
            _("%(n)s värden sparade för avslutade perioder"),
            import_string("stegvis.goals.evaluation.values_record"),
        ),
    ]


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        # argparse names the option: "argument --date: ”1 mars” är inget datum …"
        raise argparse.ArgumentTypeError(
            _("”%(text)s” är inget datum (ÅÅÅÅ-MM-DD).") % {"text": text}
        ) from error


class Command(BaseCommand):
    help = (
        "Nattjobben för varje förbund: gallring av deltagare och målkartans värden för "
        "avslutade perioder. Kör från cron, t.ex. 15 2 * * * stegvis nightly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=_date,
            help=_("Dagen jobben räknar från (ÅÅÅÅ-MM-DD); utan: i dag."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date = options.get("date") or timezone.localdate()
        with scopes_disabled():
            associations = list(Association.objects.order_by("name"))
        failures = 0
        for association in associations:
            for name, done, job in _jobs():
                where = f"{association.name}: {name}"
                try:
                    with scope(association=association), transaction.atomic():
                        count = job(association=association, today=today)
                except Exception as error:  # one förbund's failure must not stop the others
                    failures += 1
                    logger.exception("nightly %s failed for %s", name, association.slug)
                    self.stderr.write(
                        _("%(where)s misslyckades: %(error)s")
                        % {"where": where, "error": str(error) or type(error).__name__}
                    )
                    continue
                self.stdout.write(f"{where}: {done % {'n': count}}.")
        if failures:
            raise CommandError(
                _("%(n)s nattjobb misslyckades; se raderna ovan.") % {"n": failures},
                returncode=FAILED,
            )
