"""`stegvis goals record [ASSOCIATION]` and `stegvis goals show ASSOCIATION YEAR
[--period CODE] [--min-cell K] [--json]`.

`record` stores the value of every computed indicator for every closed period not
yet recorded (what `stegvis nightly` does every night; the pages only read), for one
förbund or all; it prints how many it stored. `show` prints every indicator of the
year's goal map with its value, target and status for a period (default: helår of
YEAR), suppressed with the förbund's minimum cell size unless --min-cell says
otherwise. Exit 2 with a message
on stderr for an unknown förbund, period or a year without a goal map.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from stegvis.associations.models import Association
from stegvis.goals import metrics
from stegvis.goals.evaluation import (
    Evaluation,
    format_number,
    format_value,
    goal_map_evaluate,
    values_record,
)
from stegvis.goals.models import GoalMap
from stegvis.goals.periods import period_from_code, year_period
from stegvis.participants.management.commands.report import FAILED, find_association
from stegvis.participants.report import association_min_cell

SHOW_FORMAT = "stegvis-goals/1"


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def evaluation_json(item: Evaluation) -> dict[str, Any]:
    result = item.result
    target = item.target
    return {
        "indicator": item.indicator.text,
        "metric": item.indicator.metric,
        "params": item.indicator.params or {},
        "value": _number(result.value),
        "numerator": result.numerator,
        "denominator": result.denominator,
        "unit": result.unit,
        "measurable": result.measurable,
        "suppressed": result.suppressed,
        "reason": result.reason,
        "target": (
            None
            if target is None
            else {"op": target.op, "value": _number(target.value), "year": target.year}
        ),
        "status": item.status.value,
        "definition_version": item.definition_version,
        "recorded": item.recorded,
    }


class Command(BaseCommand):
    help = "Målkartan: spara värden för avslutade perioder, eller visa status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        record = sub.add_parser(
            "record", help=_("Spara indikatorernas värden för avslutade perioder.")
        )
        record.add_argument(
            "association", nargs="?", help=_("Förbundets namn eller kortnamn; utan: alla.")
        )
        show = sub.add_parser("show", help=_("Visa målkartans indikatorer med värde och status."))
        show.add_argument("association", help=_("Förbundets namn eller kortnamn."))
        show.add_argument("year", type=int, help=_("Målkartans år (ÅÅÅÅ)."))
        show.add_argument(
            "--period", help=_("Perioden: 2025, 2025-t1, 2025-t2 eller 2025-01-01_2025-03-31.")
        )
        show.add_argument(
            "--min-cell",
            type=int,
            dest="min_cell",
            help=_("Minsta cellstorlek; utan: förbundets. 1 stänger av maskningen."),
        )
        show.add_argument("--json", action="store_true", help=_("Skriv ut JSON för skript."))

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            if options["action"] == "record":
                self.record(options)
            else:
                self.show(options)

    def record(self, options: dict[str, Any]) -> None:
        if options.get("association"):
            associations = [find_association(options["association"])]
        else:
            associations = list(Association.objects.order_by("name"))
        for association in associations:
            stored = values_record(association=association)
            self.stdout.write(
                _("%(association)s: %(n)s värden sparade.")
                % {"association": association.name, "n": stored}
            )

    def show(self, options: dict[str, Any]) -> None:
        association = find_association(options["association"])
        year = options["year"]
        goal_map = GoalMap.objects.filter(association=association, year=year).first()
        if goal_map is None:
            raise CommandError(
                _("%(association)s har ingen målkarta för %(year)s.")
                % {"association": association.name, "year": year},
                returncode=FAILED,
            )
        try:
            period = (
                period_from_code(association=association, code=options["period"])
                if options.get("period")
                else year_period(year)
            )
        except ValueError as error:
            raise CommandError(
                _("Okänd period: ”%(code)s”.") % {"code": options["period"]}, returncode=FAILED
            ) from error
        min_cell = options.get("min_cell")
        if min_cell is None:
            min_cell = association_min_cell(association)
        if min_cell < 1:
            raise CommandError(_("--min-cell måste vara minst 1."), returncode=FAILED)
        goals = goal_map_evaluate(goal_map=goal_map, period=period, min_cell=min_cell)
        if options["json"]:
            document = {
                "format": SHOW_FORMAT,
                "association": association.name,
                "year": year,
                "period": {
                    "code": period.code,
                    "label": period.label,
                    "start": period.start.isoformat(),
                    "end": period.end.isoformat(),
                },
                "min_cell": min_cell,
                "goals": [
                    {
                        "perspective": goal.perspective,
                        "text": goal.text,
                        "indicators": [evaluation_json(item) for item in items],
                    }
                    for goal, items in goals
                ],
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        lines = [f"{association.name}, {_('målkarta')} {year}, {period.label}"]
        for goal, items in goals:
            lines.append("")
            lines.append(f"{goal.perspective}: {goal.text}")
            for item in items:
                target = (
                    ""
                    if item.target is None
                    else f"{item.target.op} {format_number(item.target.value, item.result.unit)}"
                )
                value = format_value(item.result).replace("\u00a0", " ")
                lines.append(
                    f"  - {item.indicator.text} [{metrics.metric_label(item.indicator.metric)}, "
                    f"v{item.definition_version}]"
                )
                lines.append(
                    f"      {_('värde')}: {value}   {_('mål')}: {target.replace(chr(160), ' ') or '–'}"
                    f"   {item.status.label}"
                    + (f"   ({item.result.reason})" if item.result.reason else "")
                )
        self.stdout.write("\n".join(lines))
