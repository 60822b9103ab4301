from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stegvis.associations.demo import DEMO_PASSWORD, demo_code
from stegvis.core.demo import demo_everything


class Command(BaseCommand):
    help = (
        "Läser in demoförbunden och skriver ut demoinloggningarna "
        "(bara i en demoinstallation: STEGVIS_DEMO=1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--code",
            metavar="ANVÄNDARE",
            help="Skriv ut den aktuella tvåfaktorskoden för en demoanvändare.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.STEGVIS_DEMO:
            raise CommandError(
                "Demodata läses bara in i en demoinstallation: sätt STEGVIS_DEMO=1 "
                "(demolösenorden är kända för alla, så aldrig i en riktig installation)."
            )
        if options["code"]:
            self.stdout.write(demo_code(options["code"]))
            return
        logins, plans = demo_everything()
        self.stdout.write(self.style.SUCCESS("Demodata är inläst."))
        for plan in plans:
            self.stdout.write(f"  {plan}")
        self.stdout.write("")
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for login in logins:
            where = f" – {login.association}" if login.association else ""
            factor = "  [tvåfaktor]" if login.two_factor else ""
            self.stdout.write(f"  {login.username:<22} {login.role}{where}{factor}")
        self.stdout.write("")
        self.stdout.write(
            "Tvåfaktorskod för demoanvändare: .venv/bin/stegvis demo --code ANVÄNDARNAMN"
        )
