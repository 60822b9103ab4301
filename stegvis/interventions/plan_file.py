"""Insatser as the plan file (`stegvis-plan/1`, `interventions`) describes them.

Finance asks for these when it exports a plan whose cost lines name an insats
(`finance.selectors.register_intervention_describer`), so the exported file reads
back in; finance never imports this app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention


def describe_for_plan(association: Association, names: Sequence[str]) -> list[dict[str, Any]]:
    """Plan-file entries for the named insatser (all of the förbund's when `names` is empty)."""
    wanted = {name.casefold() for name in names}
    with scope(association=association):
        interventions = (
            Intervention.objects.filter(association=association)
            .select_related("owner")
            .prefetch_related("members")
            .order_by("name")
        )
        entries = []
        for intervention in interventions:
            if wanted and intervention.name.casefold() not in wanted:
                continue
            entry: dict[str, Any] = {"name": intervention.name, "kind": intervention.kind}
            entry["owner"] = intervention.owner.name
            members = sorted(member.name for member in intervention.members.all())
            if members:
                entry["members"] = members
            if intervention.start:
                entry["start"] = intervention.start.isoformat()
            if intervention.end:
                entry["end"] = intervention.end.isoformat()
            entries.append(entry)
    return entries
