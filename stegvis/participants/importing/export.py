"""An insats's participant rows in the columns of the participant file, so that
export → edit → import round-trips (the CSV is `;`-separated, so several codes in a
cell are separated by `,`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.core.exporters import Table
from stegvis.interventions.models import Intervention
from stegvis.participants.importing.columns import COLUMNS
from stegvis.participants.models import Participant


def _members(participant: Participant) -> tuple[str, str, str]:
    municipality = participant.municipality.name if participant.municipality else ""
    if participant.referring_member is not None:
        referrer = participant.referring_member.name
    else:
        referrer = participant.referrer_other
    handover = participant.handover_to.name if participant.handover_to else ""
    return municipality, referrer, handover


def _row(participant: Participant) -> list[Any]:
    municipality, referrer, handover = _members(participant)
    return [
        participant.code,
        participant.gender,
        participant.birth_year,
        municipality,
        referrer,
        participant.start,
        ", ".join(participant.support_at_start or []),
        participant.employment_at_start,
        participant.education,
        participant.months_without_work,
        participant.exit,
        participant.outcome,
        ", ".join(participant.support_at_exit or []),
        participant.employment_at_exit,
        handover,
        participant.consent,
    ]


def participants_export_rows(*, intervention: Intervention) -> Table:
    with scope(association=intervention.association):
        participants = (
            Participant.objects.filter(
                association=intervention.association, intervention=intervention
            )
            .select_related("municipality", "referring_member", "handover_to")
            .order_by("code")
        )
        rows = [_row(participant) for participant in participants]
    return Table(
        title=_("Deltagare"),
        columns=[column.name for column in COLUMNS],
        rows=rows,
    )
