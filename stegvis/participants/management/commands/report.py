"""`stegvis report participants ASSOCIATION --year YYYY [--intervention NAME]
[--min-cell K] [--json]`: the participant report of spec/participant-file.md.

ASSOCIATION is the förbund's name as in the plan file (its slug works too). With
--json the spec's JSON on stdout; without it a table in Swedish. Exit 0; an unknown
förbund or insats, or a bad --min-cell, exit 2 with a message on stderr.

The subcommands are a parser each (`add_participants_parser`), so the reports of
issue 7 (plan, interim, annual, finsam-export) are added beside this one.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention
from stegvis.participants.report import COLUMNS, COUNT_ROWS, participants_report
from stegvis.participants.vocabulary import OUTCOMES, Gender, Outcome
from stegvis.reports.cli import add_report_parsers, run_report

FAILED = 2


def find_association(name: str) -> Association:
    """By name as in the plan file, or by slug."""
    association = Association.objects.filter(Q(name=name) | Q(slug=name)).first()
    if association is None:
        association = Association.objects.filter(name__iexact=name.strip()).first()
    if association is None:
        raise CommandError(
            _("Förbundet ”%(name)s” finns inte.") % {"name": name}, returncode=FAILED
        )
    return association


def find_intervention(association: Association, name: str) -> Intervention:
    with scopes_disabled():
        intervention = (
            Intervention.objects.filter(association=association, name=name).first()
            or Intervention.objects.filter(
                association=association, name__iexact=name.strip()
            ).first()
        )
    if intervention is None:
        raise CommandError(
            _("Insatsen ”%(name)s” finns inte i %(association)s.")
            % {"name": name, "association": association.name},
            returncode=FAILED,
        )
    return intervention


def add_participants_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "participants",
        help=_("Deltagarrapporten för ett år: hela förbundet eller en insats."),
    )
    parser.add_argument("association", help=_("Förbundets namn som i planfilen, eller kortnamnet."))
    parser.add_argument("--year", type=int, required=True, help=_("Året (ÅÅÅÅ)."))
    parser.add_argument("--intervention", help=_("Bara en insats (namnet)."))
    parser.add_argument(
        "--min-cell",
        type=int,
        dest="min_cell",
        help=_(
            "Minsta cellstorlek; utan: förbundets. 1 stänger av maskningen (insatsens egen personal)."
        ),
    )
    parser.add_argument("--json", action="store_true", help=_("Skriv ut JSON för skript."))


class Command(BaseCommand):
    help = "Rapporter: participants, plan, interim, annual, finsam-export."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        add_participants_parser(sub)
        add_report_parsers(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["report"] == "participants":
            self.participants(options)
            return
        run_report(self, options)

    def participants(self, options: dict[str, Any]) -> None:
        association = find_association(options["association"])
        intervention = (
            find_intervention(association, options["intervention"])
            if options.get("intervention")
            else None
        )
        min_cell = options.get("min_cell")
        if min_cell is not None and min_cell < 1:
            raise CommandError(_("--min-cell måste vara minst 1."), returncode=FAILED)
        report = participants_report(
            association=association,
            year=options["year"],
            intervention=intervention,
            min_cell=min_cell,
        )
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(readable(report))


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value * 100:.1f} %".replace(".", ",")
    return f"{value:,}".replace(",", " ")


def readable(report: dict[str, Any]) -> str:
    """The report as a table in Swedish, for people."""
    labels = {
        "participants": _("Deltagare under året"),
        "started": _("Påbörjade"),
        "exited": _("Avslutade"),
        "step_progress": _("Stegförflyttning"),
    }
    header = ["", *(str(Gender(code).label) for code in COLUMNS[:-1]), _("Totalt")]
    rows = [header]
    rows += [
        [labels[row], *(_cell(report["counts"][row][c]) for c in COLUMNS)] for row in COUNT_ROWS
    ]
    rows.append(
        [_("Andel stegförflyttning"), *(_cell(report["step_progress_share"][c]) for c in COLUMNS)]
    )
    rows.append([_("Avslutsorsak")] + [""] * len(COLUMNS))
    rows += [
        [
            "  " + str(Outcome(code).label),
            *(_cell(report["exit_outcomes"][code][c]) for c in COLUMNS),
        ]
        for code in OUTCOMES
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    scope_text = report["intervention"] or _("hela förbundet")
    lines = [f"{report['association']}, {scope_text}, {report['year']}"]
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(widths[i + 1]) for i, cell in enumerate(row[1:])
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    if report["min_cell"] > 1:
        lines.append(
            _("– färre än %(k)s, eller dolt så att inget dolt antal kan räknas fram.")
            % {"k": report["min_cell"]}
        )
    else:
        lines.append(_("Utan maskning: bara för insatsens egen personal."))
    return "\n".join(lines)
