"""`stegvis instruments install-defaults FÖRBUND` and
`stegvis instruments due FÖRBUND INSATS [--date YYYY-MM-DD]`.

FÖRBUND is the förbund's name or short name (slug), INSATS the insats's name. The due
list prints participant codes only. Exit status 2 when something is not found."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.audit.models import AuditEntry
from stegvis.audit.services import audit_log
from stegvis.instruments.defaults import install_defaults
from stegvis.instruments.due import Status, due_list
from stegvis.interventions.models import Intervention

FAILED = 2


def find_association(name: str) -> Association:
    association = Association.objects.filter(Q(slug=name) | Q(name__iexact=name.strip())).first()
    if association is None:
        raise CommandError(f"Förbundet {name} finns inte.", returncode=FAILED)
    return association


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"Ogiltigt datum: {value} (ange ÅÅÅÅ-MM-DD).", returncode=FAILED
        ) from error


class Command(BaseCommand):
    help = "Instrument för uppföljning av deltagare: standardinstrument och listan att göra."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        install = sub.add_parser(
            "install-defaults", help="Lägg till de tre standardinstrumenten i ett förbund."
        )
        install.add_argument("association", help="Förbundets namn eller kortnamn")
        due = sub.add_parser("due", help="Skriv ut vad som ska göras i en insats (bara koder).")
        due.add_argument("association", help="Förbundets namn eller kortnamn")
        due.add_argument("intervention", help="Insatsens namn")
        due.add_argument("--date", help="Räkna som om det vore detta datum (ÅÅÅÅ-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        association = find_association(options["association"])
        with scope(association=association):
            if options["action"] == "install-defaults":
                self._install(association)
            else:
                self._due(association, options["intervention"], options.get("date"))

    def _install(self, association: Association) -> None:
        before = set(association.instruments.values_list("pk", flat=True))
        instruments = install_defaults(association=association)
        for instrument in instruments:
            state = "finns redan" if instrument.pk in before else "tillagt"
            self.stdout.write(f"{instrument.name}: {state}")

    def _due(self, association: Association, name: str, date: str | None) -> None:
        intervention = Intervention.objects.filter(
            association=association, name__iexact=name.strip()
        ).first()
        if intervention is None:
            raise CommandError(
                f"Insatsen {name} finns inte i {association.name}.", returncode=FAILED
            )
        today = _date(date) if date else None
        result = due_list(intervention=intervention, today=today)
        audit_log(
            action="participants.due_list_printed",
            association=association,
            obj=intervention,
            kind=AuditEntry.Kind.READ,
            changes={"rows": len(result)},
        )
        if not len(result):
            self.stdout.write(f"Inget att göra i {intervention.name} ({result.today}).")
            return
        header = ["Status", "Datum", "Kod", "Instrument", "Tillfälle"]
        rows = [
            [
                str(Status.LABELS[item.status]),
                item.due.isoformat(),
                item.code,
                item.instrument.name,
                item.occasion_label,
            ]
            for item in result.items
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
