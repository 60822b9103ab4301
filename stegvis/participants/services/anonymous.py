"""Anonymous participants (no consent, protected identity): a count per insats, year
and kön, never rows."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.audit.services import audit_log
from stegvis.interventions.models import Intervention
from stegvis.participants.models import AnonymousCount
from stegvis.participants.services.rules import Errors, _add, _raise
from stegvis.participants.vocabulary import Gender


@transaction.atomic
def anonymous_count_set(
    *, actor: Any, intervention: Intervention, year: int, gender: str, count: int
) -> AnonymousCount | None:
    """The number of anonymous participants (no consent, protected identity) of an
    insats in a year, by kön. They are counts, never rows; 0 removes the count."""
    errors: Errors = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        _add(errors, "year", _("Ange ett år mellan 2000 och 2100."))
    if gender not in Gender.values:
        _add(errors, "gender", _("Välj kön."))
    if not isinstance(count, int) or count < 0:
        _add(errors, "count", _("Ange ett antal, 0 eller fler."))
    _raise(errors)
    record = AnonymousCount.objects.filter(
        intervention=intervention, year=year, gender=gender
    ).first()
    old = record.count if record else 0
    if old == count:
        return record
    if count == 0:
        assert record is not None
        record.delete()
        record = None
    else:
        if record is None:
            record = AnonymousCount(
                association=intervention.association,
                intervention=intervention,
                year=year,
                gender=gender,
            )
        record.count = count
        record.save()
    audit_log(
        action="anonymous_count.set",
        actor=actor,
        association=intervention.association,
        obj=intervention,
        changes={"year": year, "gender": gender, "count": [old, count]},
    )
    return record
