import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from stegvis.core.synthetic import SCALES, SyntheticDataExists, synthetic_build
from stegvis.core.synthetic.build import SLUG_PREFIX, synthetic_remove


def _share(value: str) -> float:
    share = float(value)
    if not 0 < share <= 1:
        raise ValueError
    return share


class Command(BaseCommand):
    help = (
        "Skapar syntetiska förbund med insatser, deltagare och uppföljning, utan något som "
        "liknar en verklig person (bara med STEGVIS_DEMO=1). Förbunden får kortnamn som börjar "
        "med syn-. Databasen är den i DATABASE_URL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="Samma frö ger samma data.")
        parser.add_argument(
            "--share",
            type=_share,
            default=1.0,
            metavar="ANDEL",
            help="Skapa bara den andelen (0–1] av förbunden, det största först.",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            metavar="ÅÅÅÅ-MM-DD",
            help="Dagen data ska se ut som i dag (standard: i dag).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Ta bort de syntetiska förbund som finns och skapa dem på nytt.",
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Ta bara bort de syntetiska förbunden.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.STEGVIS_DEMO:
            raise CommandError(
                "Syntetiska data skapas bara i en demo- eller testinstallation: "
                "sätt STEGVIS_DEMO=1."
            )
        if options["remove"]:
            removed = synthetic_remove()
            self.stdout.write(f"{removed} syntetiska förbund togs bort.")
            return
        scale = SCALES[options["scale"]]
        self.stdout.write(
            f"Skapar skala {scale.name} i {connection.vendor}: {scale.associations} förbund, "
            f"{scale.interventions} insatser, {scale.participants} deltagare, "
            f"{scale.responses} uppföljningar (andel {options['share']:g})."
        )
        verbosity = options["verbosity"]
        try:
            summary = synthetic_build(
                scale=scale,
                seed=options["seed"],
                today=options["today"],
                replace_existing=options["replace"],
                share=options["share"],
                progress=(lambda message: self.stdout.write(f"  {message}"))
                if verbosity >= 1
                else None,
            )
        except SyntheticDataExists as error:
            raise CommandError(
                f"Det finns redan syntetiska förbund (kortnamn {SLUG_PREFIX}…). "
                "Kör med --replace för att ersätta dem eller --remove för att ta bort dem."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Klart på {summary.seconds:.1f} s: {summary.associations} förbund, "
                f"{summary.interventions} insatser, {summary.participants} deltagare "
                f"({summary.exited} avslutade, {summary.step_progress} med stegförflyttning), "
                f"{summary.responses} uppföljningar (svarstillfällen) med {summary.answers} "
                f"svar på frågor, {summary.anonymous} anonyma deltagare."
            )
        )
        self.stdout.write(
            f"Störst: {summary.largest} med {summary.largest_participants} deltagare."
        )
        if summary.users:
            self.stdout.write(
                f"{summary.users} syntetiska användare ({SLUG_PREFIX}chef-001, "
                f"{SLUG_PREFIX}deltagare-001 …); lösenordet är demolösenordet."
            )
