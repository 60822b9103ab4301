"""`stegvis interventions list FÖRBUND [--json] [--year ÅR]`: a förbund's insatser for
scripts (JSON) and people (a table). Exit status 2 when the förbund does not exist."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.interventions import selectors
from stegvis.interventions.models import Intervention, Kind

FAILED = 2


def _kronor(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kr"


def row_json(row: selectors.InterventionRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "kind": row.kind,
        "status": row.status,
        "owner": row.owner,
        "members": row.members,
        "start": row.start.isoformat() if row.start else None,
        "end": row.end.isoformat() if row.end else None,
        "esf_funded": row.esf_funded,
        "budget": {str(year): amount for year, amount in row.budget_by_year.items()},
        "planned_participants": {str(year): n for year, n in row.planned_by_year.items()},
    }


class Command(BaseCommand):
    help = "Listar ett förbunds insatser med budget och planerade deltagare."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="Lista förbundets insatser.")
        listing.add_argument("association", help="Förbundets kortnamn, t.ex. samspelet")
        listing.add_argument("--json", action="store_true", help="Skriv ut JSON för skript.")
        listing.add_argument(
            "--year", type=int, help="Bara insatser under ett år, med det årets budget."
        )
        listing.add_argument("--kind", choices=Kind.values, help="Bara ett slag av insatser.")
        listing.add_argument(
            "--status", choices=Intervention.Status.values, help="Bara insatser med en status."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["association"]
        association = Association.objects.filter(slug=slug).first()
        if association is None:
            raise CommandError(f"Förbundet {slug} finns inte.", returncode=FAILED)
        with scope(association=association):
            rows = selectors.intervention_rows(
                association=association,
                kind=options["kind"],
                status=options["status"],
                year=options["year"],
            )
        if options["json"]:
            self.stdout.write(json.dumps([row_json(row) for row in rows], ensure_ascii=False))
            return
        self._table(association, rows, options["year"])

    def _table(
        self, association: Association, rows: list[selectors.InterventionRow], year: int | None
    ) -> None:
        budget_heading = f"Budget {year}" if year else "Budget alla år"
        people_heading = f"Deltagare {year}" if year else "Deltagare alla år"
        header = ["Insats", "Slag", "Status", "Projektägare", "Period", budget_heading]
        header.append(people_heading)
        table = [header]
        for row in rows:
            period = "–".join(str(part) for part in (row.start, row.end) if part is not None) or "–"
            table.append(
                [
                    row.name + (" (ESF)" if row.esf_funded else ""),
                    row.kind_label,
                    row.status_label,
                    row.owner,
                    period,
                    _kronor(row.budget),
                    str(row.planned_participants),
                ]
            )
        total = selectors.totals(rows)
        table.append(
            ["Summa", "", "", "", "", _kronor(total.budget), str(total.planned_participants)]
        )
        widths = [max(len(line[i]) for line in table) for i in range(len(header))]
        right = {5, 6}
        noun = "insats" if total.count == 1 else "insatser"
        self.stdout.write(f"{association.name}: {total.count} {noun}")
        for index, line in enumerate(table):
            cells = [
                cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                for i, cell in enumerate(line)
            ]
            self.stdout.write("  ".join(cells).rstrip())
            if index == 0 or index == len(table) - 2:
                self.stdout.write("  ".join("-" * width for width in widths))
