"""`stegvis plan check|import|export`: the plan file on the command line
(`shared/spec/plan-format.md`, "Commands").

Exit 0 when it went well; 2 when the file (or the förbund, or the plan) is not
usable, with every problem on stderr as `path: message` and nothing written. Never a
traceback for a bad file: everything around reading is caught.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django_scopes import scope

from stegvis.plans.document import PlanDocument, PlanFileError, Problem
from stegvis.plans.writer import FORMATS, write_plan

INVALID = 2


def _line(filename: str, problem: Problem) -> str:
    """`path: message`; a problem with the whole file is named by the file."""
    return f"{problem.path or filename}: {problem.message}"


def _validation_lines(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


class Command(BaseCommand):
    help = (
        "Kontrollerar en planfil (stegvis-plan/1), läser in den i ett förbund "
        "eller skriver ut en sparad plan som YAML, JSON eller Excel."
    )
    # `plan check` works without a server and must answer quickly; the system checks
    # are for running the site and belong to `stegvis check`.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check", help="Kontrollera en planfil, räkna fram åren och pröva reglerna."
        )
        check.add_argument("file", help="Planfilen (.yaml, .json eller .xlsx); - för stdin")
        check.add_argument(
            "--json", action="store_true", help="Skriv resultatet som JSON (stegvis-plan-check/1)"
        )
        load = sub.add_parser(
            "import", help="Kontrollera en planfil och spara den i förbundet den anger."
        )
        load.add_argument("file", help="Planfilen (.yaml, .json eller .xlsx); - för stdin")
        export = sub.add_parser("export", help="Skriv ut en sparad plan som fil.")
        export.add_argument("association", help="Förbundets kortnamn, t.ex. samspelet")
        export.add_argument("year", type=int, help="Planens budgetår (första år), t.ex. 2024")
        export.add_argument("--format", choices=FORMATS, help="yaml (standard), json eller xlsx")
        export.add_argument(
            "-o", "--output", help="Skriv till filen (annars till stdout; Excel kräver -o)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "check":
            self.check_file(options["file"], as_json=options["json"])
        elif action == "import":
            self.import_file(options["file"])
        elif action == "export":
            self.export_plan(
                options["association"],
                options["year"],
                fmt=options["format"],
                output=options["output"],
            )

    # --- the three actions -----------------------------------------------------------

    def check_file(self, filename: str, *, as_json: bool) -> None:
        from stegvis.plans.check import check_report, check_summary

        document, warnings = self.read(filename)
        try:
            if as_json:
                text = json.dumps(check_report(document), ensure_ascii=False, indent=2) + "\n"
            else:
                text = check_summary(document, warnings=warnings)
        except Exception as error:  # the file passed the rules; this would be our bug
            self.fail([f"{filename}: planen kunde inte räknas fram: {error}"])
        self.stdout.write(text, ending="")
        if as_json:
            self.warn(warnings)

    def import_file(self, filename: str) -> None:
        from stegvis.associations.models import Association

        document, warnings = self.read(filename)
        associations = list(Association.objects.filter(name=document.association)[:2])
        if not associations:
            self.fail([f'association.name: inget förbund heter "{document.association}"'])
        if len(associations) > 1:
            self.fail([f'association.name: flera förbund heter "{document.association}"'])
        association = associations[0]
        from stegvis.finance.services import plan_store

        with scope(association=association):
            try:
                plan = plan_store(actor=None, association=association, document=document)
            except PlanFileError as error:
                self.fail([_line(filename, p) for p in error.problems])
            except ValidationError as error:
                self.fail(_validation_lines(error))
        self.warn(warnings)
        self.stdout.write(self.style.SUCCESS(f"{association}: {plan} är inläst från {filename}."))

    def export_plan(self, slug: str, year: int, *, fmt: str | None, output: str | None) -> None:
        from stegvis.associations.models import Association

        association = Association.objects.filter(slug=slug).first()
        if association is None:
            self.fail([f'{slug}: inget förbund har kortnamnet "{slug}"'])
        from stegvis.finance.selectors import plan_document

        with scope(association=association):
            try:
                document = plan_document(association=association, first_year=year)
            except ObjectDoesNotExist:
                document = None
        if document is None:
            self.fail([f"{slug}: {association} har ingen plan med budgetåret {year}"])
        if fmt is None:
            suffix = Path(output).suffix.lower().lstrip(".") if output else ""
            fmt = {"yml": "yaml"}.get(suffix, suffix) if suffix in (*FORMATS, "yml") else "yaml"
        data = write_plan(document, fmt=fmt)
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as error:
                self.fail([f"{output}: kan inte skriva filen: {error.strerror or error}"])
            self.stdout.write(f"{association}: planen för {year} är sparad i {output}.")
            return
        if fmt == "xlsx":
            stream = getattr(self.stdout, "_out", None)
            buffer = getattr(stream, "buffer", None)
            if buffer is None or stream is None or stream.isatty():
                self.fail(["Excel skrivs till en fil: ange -o FIL.xlsx"])
            buffer.write(data)
            buffer.flush()
            return
        self.stdout.write(data.decode(), ending="")

    # --- helpers ---------------------------------------------------------------------

    def read(self, filename: str) -> tuple[PlanDocument, list[Problem]]:
        """The file's document and warnings, or exit 2 with every problem."""
        from stegvis.core import uploads
        from stegvis.plans.reader import read_plan
        from stegvis.plans.source import limit_problem

        try:
            if filename == "-":
                data = uploads.read_limited(sys.stdin.buffer, uploads.PLAN_FILE)
            else:
                # The size on disk first: a file over the limit is never read.
                uploads.check_path(filename, uploads.PLAN_FILE)
                data = Path(filename).read_bytes()
        except uploads.FileRefused as refused:
            self.fail([_line(filename, limit_problem(refused))])
        except OSError as error:
            self.fail([f"{filename}: kan inte läsa filen: {error.strerror or error}"])
        try:
            return read_plan(data, filename=filename)
        except PlanFileError as error:
            self.fail([_line(filename, p) for p in error.problems])
        except Exception as error:  # read_plan promises not to; never a traceback anyway
            self.fail([f"{filename}: filen kunde inte läsas: {error}"])

    def warn(self, warnings: list[Problem]) -> None:
        for warning in warnings:
            self.stderr.write(f"varning: {warning}", style_func=self.style.WARNING)

    def fail(self, lines: list[str]) -> NoReturn:
        """Every problem on stderr, then exit 2 (SystemExit, which Django lets through
        without a traceback)."""
        for line in lines:
            self.stderr.write(line)
        raise SystemExit(INVALID)
