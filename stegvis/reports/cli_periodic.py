"""`stegvis report interim ASSOCIATION YEAR --tertial 1|2 --output FILE.pdf` and
`stegvis report annual ASSOCIATION YEAR --output FILE.pdf`: the delårsrapport and the
verksamhetsberättelse as PDF, the same document as the pages print.

ASSOCIATION is the förbund's name as in the plan file, or its slug. Exit 0 with one
line saying what was written; an unknown förbund or a file that cannot be written,
exit 2 with a message in Swedish on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stegvis.goals import evaluation
from stegvis.reports.periodic import TERTIALS, periodic_pdf, periodic_report

NAMES: tuple[str, ...] = ("interim", "annual")
FAILED = 2


def add_parsers(sub: Any) -> None:
    interim = sub.add_parser(
        "interim",
        help=_("Delårsrapporten för tertial 1 (jan–apr) eller tertial 2 (jan–aug) som PDF."),
    )
    annual = sub.add_parser("annual", help=_("Verksamhetsberättelsen för ett år som PDF."))
    for parser in (interim, annual):
        parser.add_argument(
            "association", help=_("Förbundets namn som i planfilen, eller kortnamnet.")
        )
        parser.add_argument("year", type=int, help=_("Året (ÅÅÅÅ)."))
    interim.add_argument(
        "--tertial", type=int, choices=sorted(TERTIALS), required=True, help=_("1 eller 2.")
    )
    for parser in (interim, annual):
        parser.add_argument(
            "--output", "-o", required=True, help=_("PDF-filen som skrivs (t.ex. rapport.pdf).")
        )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    from stegvis.participants.management.commands.report import find_association

    association = find_association(options["association"])
    year = options["year"]
    if not 1990 <= year <= 2100:
        raise CommandError(
            _("Året %(year)s går inte att använda.") % {"year": year}, returncode=FAILED
        )
    tertial = options.get("tertial") if options["report"] == "interim" else None
    output = Path(options["output"])
    if not output.parent.is_dir():
        raise CommandError(
            _("Mappen %(folder)s finns inte.") % {"folder": output.parent}, returncode=FAILED
        )
    # A command, not a page, may write: the PDF is what goes to the board, so the
    # closed periods' values it prints are recorded now, as `stegvis nightly` would,
    # and a later change of an indicator cannot make the sent report disagree with a
    # new print of it. The page and this PDF show the same values either way.
    evaluation.values_record(association=association)
    report = periodic_report(association=association, year=year, tertial=tertial)
    content = periodic_pdf(report)
    try:
        output.write_bytes(content)
    except OSError as error:
        raise CommandError(
            _("Kunde inte skriva %(path)s: %(error)s") % {"path": output, "error": error.strerror},
            returncode=FAILED,
        ) from error
    command.stdout.write(
        _("%(title)s för %(association)s (%(period)s) skriven till %(path)s.")
        % {
            "title": report.heading,
            "association": association.name,
            "period": report.span,
            "path": output,
        }
    )
