"""Gallring (DOMAIN.md §9): rows of participants who exited long enough ago are
removed, and what the reports need of them is kept as counts (`RetainedCount`), so
that a past year's figures do not change when the rows go.

The period is the förbund's own (`Policy.retention_years`); without one nothing is
removed. The participants' instrument responses and answers go with them.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log
from stegvis.participants.access import policy_for
from stegvis.participants.models import Participant, RetainedCount


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _year(day: datetime.date | None) -> int:
    assert day is not None  # only exited participants are purged
    return day.year


def participants_purge(
    *,
    association: Association,
    older_than_years: int | None = None,
    today: datetime.date | None = None,
    dry_run: bool = False,
    actor: Any = None,
) -> int:
    """Remove the participants of the förbund who exited more than `older_than_years`
    (default: the förbund's retention period) before `today`, folding them into
    `RetainedCount` first. Returns how many were (or, in a dry run, would be) removed."""
    with scope(association=association):
        years = older_than_years
        if years is None:
            years = policy_for(association).retention_years
        if years is None:
            return 0
        if years < 0:
            raise ValueError("older_than_years must not be negative")
        cutoff = years_before(today or timezone.localdate(), years)
        expired = Participant.objects.filter(
            association=association, exit__isnull=False, exit__lt=cutoff
        )
        if dry_run:
            return expired.count()
        with transaction.atomic():
            groups = Counter(
                (
                    row["intervention_id"],
                    row["gender"],
                    row["start"].year,
                    _year(row["exit"]),
                    row["outcome"],
                )
                for row in expired.values("intervention_id", "gender", "start", "exit", "outcome")
            )
            if not groups:
                return 0
            for (intervention_id, gender, start_year, exit_year, outcome), count in groups.items():
                kept, created = RetainedCount.objects.get_or_create(
                    association=association,
                    intervention_id=intervention_id,
                    gender=gender,
                    start_year=start_year,
                    exit_year=exit_year,
                    outcome=outcome,
                    defaults={"count": count},
                )
                if not created:
                    RetainedCount.objects.filter(pk=kept.pk).update(count=F("count") + count)
            removed = sum(groups.values())
            expired.delete()
            audit_log(
                action="participants.purged",
                actor=actor,
                association=association,
                changes={
                    "count": removed,
                    "older_than_years": years,
                    "exited_before": cutoff.isoformat(),
                },
            )
        return removed
