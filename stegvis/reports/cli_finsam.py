"""`stegvis report finsam-export ASSOCIATION YEAR --output FILE.xlsx`: what Uppföljning
Finsam asks for the year, as the Excel file of the Rapporter page (`reports.finsam`).

ASSOCIATION is the förbund's name as in the plan file, or its slug. Exit 0 with a
one-line summary; an unknown förbund, a file that is not .xlsx or cannot be written,
exit 2 with a message in Swedish on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stegvis.reports.finsam import FinsamExporter, finsam_export

NAMES: tuple[str, ...] = ("finsam-export",)
FAILED = 2


def add_parsers(sub: Any) -> None:
    parser = sub.add_parser(
        "finsam-export",
        help=_("Uppgifterna till Uppföljning Finsam för ett år, som Excelfil."),
    )
    parser.add_argument("association", help=_("Förbundets namn som i planfilen, eller kortnamnet."))
    parser.add_argument("year", type=int, help=_("Året (ÅÅÅÅ)."))
    parser.add_argument("--output", "-o", required=True, help=_("Filen att skriva (.xlsx)."))


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    from stegvis.participants.management.commands.report import find_association

    association = find_association(options["association"])
    path = Path(options["output"])
    if path.suffix.lower() != ".xlsx":
        raise CommandError(_("Ange en fil som slutar på .xlsx."), returncode=FAILED)
    year = options["year"]
    if not 2000 <= year <= 2100:
        raise CommandError(_("Året ska skrivas ÅÅÅÅ, till exempel 2024."), returncode=FAILED)
    export = finsam_export(association=association, year=year)
    try:
        FinsamExporter(export).write(path)
    except OSError as error:
        raise CommandError(
            _("Filen %(file)s kunde inte skrivas: %(reason)s.")
            % {"file": path, "reason": error.strerror},
            returncode=FAILED,
        ) from error
    command.stdout.write(
        _("%(file)s: Uppföljning Finsam %(year)s för %(association)s, %(count)s insatser.")
        % {
            "file": path,
            "year": year,
            "association": association.name,
            "count": len(export.interventions),
        }
    )
    if export.missing:
        command.stdout.write(
            _("%(count)s uppgifter att fylla i eller kontrollera: se bladet Läs mig.")
            % {"count": len(export.missing) + 1}
        )
