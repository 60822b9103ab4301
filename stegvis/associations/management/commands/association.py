"""`stegvis association create|list`: set up förbund from the command line."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from stegvis.associations import services
from stegvis.associations.models import Association
from stegvis.associations.roles import ASSOCIATION_ROLES


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "\n".join(
            f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        )
    return "\n".join(error.messages)


class Command(BaseCommand):
    help = "Skapar och listar förbund och ger personer roller i dem."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Skapa ett förbund.")
        create.add_argument("slug", help="Kortnamn i adressen, t.ex. samspelet")
        create.add_argument("name", help="Förbundets namn")
        create.add_argument("organisation_number", help="Organisationsnummer, NNNNNN-NNNN")
        create.add_argument(
            "--founded", type=datetime.date.fromisoformat, help="Bildat, ÅÅÅÅ-MM-DD"
        )
        create.add_argument("--seat", default="", help="Säte")
        sub.add_parser("list", help="Lista förbunden.")
        grant = sub.add_parser("grant", help="Ge en person en roll i ett förbund.")
        grant.add_argument("slug")
        grant.add_argument("username")
        grant.add_argument("role", choices=[role.value for role in ASSOCIATION_ROLES])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for association in Association.objects.order_by("name"):
                self.stdout.write(
                    f"{association.slug}\t{association.organisation_number}\t{association.name}"
                )
            return
        try:
            if action == "create":
                association = services.association_create(
                    actor=None,
                    name=options["name"],
                    slug=options["slug"],
                    organisation_number=options["organisation_number"],
                    founded=options["founded"],
                    seat=options["seat"],
                )
                self.stdout.write(
                    self.style.SUCCESS(f"Förbundet {association} är skapat: /f/{association.slug}/")
                )
            elif action == "grant":
                target = Association.objects.filter(slug=options["slug"]).first()
                if target is None:
                    raise CommandError(f"Förbundet {options['slug']} finns inte.")
                with scope(association=target):
                    membership = services.person_add(
                        actor=None,
                        association=target,
                        username=options["username"],
                        role=options["role"],
                    )
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{membership.user} har rollen {membership.get_role_display()}."
                    )
                )
        except ValidationError as error:
            raise CommandError(_errors(error)) from error
