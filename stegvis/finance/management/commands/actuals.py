"""`stegvis actuals import FÖRBUND ÅR PERIOD FIL`: actuals from a two-column sheet.

The same rules and messages as the import page: all or nothing, every problem named
by row and column. Exit status 0 when the file is (or would be) stored, 2 when not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.core import uploads
from stegvis.finance import actuals
from stegvis.finance.models import Unit

FAILED = 2


def _kronor(amount: int | None) -> str:
    return "–" if amount is None else f"{amount:,}".replace(",", " ") + " kr"


class Command(BaseCommand):
    help = "Importerar utfall från ett kalkylark med två kolumner: budgetrad och belopp."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import",
            help="Importera utfall för ett år och en period (allt eller inget).",
        )
        load.add_argument("association", help="Förbundets kortnamn, t.ex. samspelet")
        load.add_argument("year", type=int, help="Budgetåret, t.ex. 2024")
        load.add_argument("period", help="Periodens kod, t.ex. t1, t2 eller year")
        load.add_argument("file", help="Excelfil (.xlsx) eller CSV (; eller ,)")
        load.add_argument(
            "--unit",
            choices=Unit.values,
            help="Enheten beloppen står i (tkr eller kr). Utan val: budgetens enhet.",
        )
        load.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa vad som skulle ändras utan att spara något.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        association = Association.objects.filter(slug=options["association"]).first()
        if association is None:
            raise CommandError(f"Förbundet {options['association']} finns inte.", returncode=FAILED)
        with scope(association=association):
            self._import(association, options)

    def _import(self, association: Association, options: dict[str, Any]) -> None:
        year = options["year"]
        plan = actuals.plan_for_year(association=association, year=year)
        if plan is None:
            raise CommandError(
                f"{association} har ingen budget som omfattar {year}.", returncode=FAILED
            )
        found = {p.code: p for p in actuals.periods_ensure(association=association)}
        period = found.get(options["period"])
        if period is None:
            known = ", ".join(f"{code} ({p.name})" for code, p in found.items())
            raise CommandError(
                f"Perioden {options['period']} finns inte. Förbundets perioder: {known}.",
                returncode=FAILED,
            )
        path = Path(options["file"])
        try:
            # The size on disk first: a file over the limit is never read.
            uploads.check_path(path, uploads.ACTUALS_SHEET)
            content = path.read_bytes()
        except uploads.FileRefused as refused:
            raise CommandError(f"{path.name}: {refused}", returncode=FAILED) from refused
        except OSError as error:
            raise CommandError(
                f"Filen {path} kunde inte läsas: {error.strerror}.", returncode=FAILED
            ) from error
        unit = options["unit"] or plan.unit
        try:
            result = actuals.actuals_import(
                actor=None,
                plan=plan,
                year=year,
                period=period,
                content=content,
                filename=path.name,
                unit=unit,
                dry_run=options["dry_run"],
            )
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                f"Inget sparades: {len(error.messages)} fel i {path.name}.", returncode=FAILED
            ) from error
        for change in result.changes:
            if change.kind != "unchanged":
                self.stdout.write(
                    f"{change.line.name}: {_kronor(change.old)} → {_kronor(change.new)}"
                )
        summary = (
            f"{result.changed} belopp ändras, {len(result.changes) - result.changed} "
            f"oförändrade, {len(result.untouched)} budgetrader finns inte i filen "
            f"({period.name} {year}, belopp i {unit})."
        )
        if result.dry_run:
            self.stdout.write(f"Provkörning – inget sparades. {summary}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Utfallet är sparat. {summary}"))
