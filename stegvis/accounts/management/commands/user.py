"""`stegvis user`: installation roles and second-factor resets, for the system administrator."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stegvis.accounts.models import User
from stegvis.accounts.services import second_factor_reset
from stegvis.accounts.throttle import lock_lift
from stegvis.audit.services import audit_log


class Command(BaseCommand):
    help = (
        "Ger installationsroller (systemadministratör, nationell läsare) och nollställer tvåfaktor."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        role = sub.add_parser("site-role", help="Sätt en persons roll i installationen.")
        role.add_argument("username")
        role.add_argument("role", choices=["system_admin", "national_reader", "none"])
        reset = sub.add_parser(
            "reset-2fa", help="Ta bort en persons tvåfaktorsenheter (tappad telefon)."
        )
        reset.add_argument("username")
        unlock = sub.add_parser(
            "unlock",
            help="Häv en spärr efter för många felaktiga lösenord: för ett konto eller en adress.",
        )
        unlock.add_argument("username", nargs="?", default="")
        unlock.add_argument("--address", default="", help="IP-adressen som är spärrad.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "unlock":
            self.unlock(username=options["username"], address=options["address"])
            return
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(
                f"Användaren {options['username']} finns inte. Skapa den med: stegvis createsuperuser "
                "eller stegvis association grant."
            )
        if options["action"] == "site-role":
            new = "" if options["role"] == "none" else options["role"]
            old = user.site_role
            user.site_role = new
            user.save(update_fields=["site_role"])
            audit_log(
                action="user.site_role_changed",
                obj=user,
                kind="auth",
                changes={"site_role": [old, new]},
            )
            label = User.SiteRole(new).label if new else "ingen"
            self.stdout.write(self.style.SUCCESS(f"{user} har nu rollen {label} i installationen."))
        else:
            second_factor_reset(actor=None, user=user)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Tvåfaktor för {user} är nollställd; hen aktiverar en ny app vid nästa inloggning."
                )
            )

    def unlock(self, *, username: str, address: str) -> None:
        """Lift a lock (accounts.throttle) before its cool-off ends, e.g. for a person
        who has been given a new password. Logged like every other change."""
        if bool(username) == bool(address):
            raise CommandError(
                "Ange antingen ett användarnamn eller --address ADRESS, inte båda: "
                "stegvis user unlock ANVÄNDARNAMN eller stegvis user unlock --address 192.0.2.7"
            )
        if address:
            try:
                address = str(ipaddress.ip_address(address))
            except ValueError:
                raise CommandError(f"--address: {address} är ingen IP-adress.") from None
        forgotten = lock_lift(username=username, address=address)
        audit_log(
            action="login.unlocked",
            kind="auth",
            changes={"username": username, "address": address, "attempts": forgotten},
        )
        what = f"kontot {username}" if username else f"adressen {address}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Spärren för {what} är hävd ({forgotten} sparade försök borttagna)."
            )
        )
