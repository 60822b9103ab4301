"""`stegvis participants import|export|purge` (spec/participant-file.md).

* `import ASSOCIATION INTERVENTION FILE [--dry-run]`: all or nothing; exit 0 with a
  one-line summary, 2 with every problem on stderr as `rad N, kolumn: …` (those of
  the first 1 000 rows with problems, then how many more). A file over the limits of
  `stegvis.core.uploads.PARTICIPANT_FILE` is refused before it is opened.
* `export ASSOCIATION INTERVENTION --output FILE.xlsx|.csv`: the insats's rows in the
  columns of the import file.
* `purge [ASSOCIATION] [--older-than YEARS] [--dry-run]`: gallring, by each förbund's
  own period unless one is given.

ASSOCIATION is the förbund's name as in the plan file (its slug works too),
INTERVENTION the insats's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Association
from stegvis.core import uploads
from stegvis.core.exporters import TableExporter
from stegvis.interventions.models import Intervention
from stegvis.participants.importing import participants_export_rows, participants_import
from stegvis.participants.retention import participants_purge

FAILED = 2


class Failed(Exception):
    """Ends the command with exit status 2 and the message alone on stderr (no
    "CommandError:" before it: scripts read stderr line by line)."""


def fail(message: str) -> Failed:
    return Failed(message)


def find_association(text: str) -> Association:
    with scopes_disabled():
        found = (
            Association.objects.filter(name=text).first()
            or Association.objects.filter(slug=text).first()
            or Association.objects.annotate(lower=Lower("name")).filter(lower=text.lower()).first()
        )
    if found is None:
        raise fail(_("Förbundet %(name)s finns inte.") % {"name": text})
    return found


def find_intervention(association: Association, text: str) -> Intervention:
    with scope(association=association):
        interventions = Intervention.objects.filter(association=association)
        found = (
            interventions.filter(name=text).first()
            or interventions.annotate(lower=Lower("name")).filter(lower=text.lower()).first()
        )
    if found is None:
        raise fail(
            _("Insatsen %(name)s finns inte i %(association)s.")
            % {"name": text, "association": association.name}
        )
    return found


class Command(BaseCommand):
    help = _("Deltagarfilen: importera, exportera och gallra deltagare.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import", help=_("Importera en deltagarfil till en insats (allt eller inget).")
        )
        load.add_argument("association", help=_("Förbundets namn som i planfilen (eller kortnamn)"))
        load.add_argument("intervention", help=_("Insatsens namn"))
        load.add_argument("file", help=_("CSV (; eller ,) eller Excel (.xlsx)"))
        load.add_argument(
            "--dry-run", action="store_true", help=_("Kontrollera filen utan att spara något.")
        )
        export = sub.add_parser("export", help=_("Skriv en insats deltagare till en fil."))
        export.add_argument(
            "association", help=_("Förbundets namn som i planfilen (eller kortnamn)")
        )
        export.add_argument("intervention", help=_("Insatsens namn"))
        export.add_argument(
            "--output", "-o", required=True, help=_("Filen att skriva, .xlsx eller .csv")
        )
        purge = sub.add_parser(
            "purge", help=_("Gallra deltagare som avslutades för länge sedan; antalen finns kvar.")
        )
        purge.add_argument(
            "association", nargs="?", help=_("Förbundets namn eller kortnamn; utan: alla förbund")
        )
        purge.add_argument(
            "--older-than",
            type=int,
            metavar="YEARS",
            help=_("Antal år efter avslut; utan: varje förbunds egen gallringsfrist"),
        )
        purge.add_argument(
            "--dry-run", action="store_true", help=_("Visa hur många som skulle tas bort.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "import":
                self._import(options)
            elif action == "export":
                self._export(options)
            else:
                self._purge(options)
        except Failed as failure:
            for line in failure.args:
                self.stderr.write(str(line))
            raise SystemExit(FAILED) from None

    def _import(self, options: dict[str, Any]) -> None:
        association = find_association(options["association"])
        intervention = find_intervention(association, options["intervention"])
        path = Path(options["file"])
        try:
            # The size on disk first: a file over the limit is never opened.
            uploads.check_path(path, uploads.PARTICIPANT_FILE)
            stream = path.open("rb")
        except uploads.FileRefused as refused:
            raise fail(str(refused)) from refused
        except OSError as error:
            raise fail(
                _("Filen %(file)s kunde inte läsas: %(reason)s.")
                % {"file": path, "reason": error.strerror}
            ) from error
        with stream, scope(association=association):
            result = participants_import(
                actor=None,
                intervention=intervention,
                data=stream,
                filename=path.name,
                dry_run=options["dry_run"],
            )
        if not result.ok:
            lines = [str(problem) for problem in result.problems]
            raise Failed(*lines, *([result.more] if result.more else []))
        self.stdout.write(result.summary)

    def _export(self, options: dict[str, Any]) -> None:
        association = find_association(options["association"])
        intervention = find_intervention(association, options["intervention"])
        path = Path(options["output"])
        suffix = path.suffix.lower()
        if suffix not in {".xlsx", ".csv"}:
            raise fail(_("Ange en fil som slutar på .xlsx eller .csv."))
        table = participants_export_rows(intervention=intervention)
        content = TableExporter(table, filename=path.stem).render(suffix.lstrip("."))
        try:
            path.write_bytes(content)
        except OSError as error:
            raise fail(
                _("Filen %(file)s kunde inte skrivas: %(reason)s.")
                % {"file": path, "reason": error.strerror}
            ) from error
        self.stdout.write(
            _("%(count)d deltagare i %(insats)s skrivna till %(file)s.")
            % {"count": len(table.rows), "insats": intervention.name, "file": path}
        )

    def _purge(self, options: dict[str, Any]) -> None:
        years = options["older_than"]
        if years is not None and years < 0:
            raise fail(_("--older-than ska vara 0 eller fler år."))
        if options["association"]:
            associations = [find_association(options["association"])]
        else:
            with scopes_disabled():
                associations = list(Association.objects.order_by("name"))
        for association in associations:
            count = participants_purge(
                association=association, older_than_years=years, dry_run=options["dry_run"]
            )
            if options["dry_run"]:
                line = _("%(association)s: %(count)d deltagare skulle gallras (provkörning).")
            else:
                line = _("%(association)s: %(count)d deltagare gallrade.")
            self.stdout.write(line % {"association": association.name, "count": count})
