"""`stegvis report plan ASSOCIATION YEAR --output FILE.pdf`: the verksamhetsplan of a
year as PDF, the same document as the page's (reports.plan).

ASSOCIATION is the förbund's name as in the plan file, or its slug. Exit 0 with the
file written and one line on stdout; an unknown förbund, a year outside 2000–2100 or
a file that cannot be written: exit 2 with a message on stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from stegvis.reports.services import YEAR_RANGE

NAMES: tuple[str, ...] = ("plan",)
FAILED = 2


def add_parsers(sub: Any) -> None:
    parser = sub.add_parser(
        "plan",
        help=_(
            "Verksamhetsplanen för ett år som PDF: texter, medlemmar, målkarta, insatser, budget."
        ),
    )
    parser.add_argument("association", help=_("Förbundets namn som i planfilen, eller kortnamnet."))
    parser.add_argument("year", type=int, help=_("Året (ÅÅÅÅ)."))
    parser.add_argument(
        "--output", "-o", required=True, help=_("Filen som PDF:en skrivs till (FIL.pdf).")
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    # Imported here: the participants' report command imports this module's registry.
    from stegvis.participants.management.commands.report import find_association
    from stegvis.reports.plan import plan_pdf, plan_report

    association = find_association(options["association"])
    year = options["year"]
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise CommandError(
            _("Året ska ligga mellan %(first)s och %(last)s, inte %(year)s.")
            % {"first": YEAR_RANGE[0], "last": YEAR_RANGE[1], "year": year},
            returncode=FAILED,
        )
    report = plan_report(association=association, year=year)
    content = plan_pdf(report)
    output = Path(options["output"])
    try:
        output.write_bytes(content)
    except OSError as error:
        raise CommandError(
            _("Kunde inte skriva %(file)s: %(reason)s")
            % {"file": output, "reason": error.strerror or error},
            returncode=FAILED,
        ) from error
    message = _("%(title)s för %(association)s skriven till %(file)s.") % {
        "title": report.title,
        "association": association.name,
        "file": output,
    }
    if report.empty:
        message += " " + _("Förbundet har inga uppgifter för året.")
    command.stdout.write(message)
