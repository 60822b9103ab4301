"""Writes of avvikelser and guldkorn: reporting a case, the kansli's handling (status,
group, measures, learning, closing) and the förbund's categories.

The rules, from the Värmland plan (seeds/003: "Här uppmärksammas brister, via
styrgrupperna, med uppföljning för lärande och kvalitetssäkring") and DOMAIN.md §9:

* a case's texts never hold personal data: a personnummer or samordningsnummer is
  refused (never repeated back), text that looks like a name or an e-mail address
  is taken only when the writer has confirmed they checked it
  (`structural.personal_data`);
* a case cannot have happened after it was reported, nor in the future;
* an avvikelse is closed with its learning written, since the learning is what the
  board follows up; closing sets the closing date, reopening clears it;
* a corrected title or description also replaces the earlier versions in the
  history, so personal data taken out of a case does not stay in its history.

Every write runs in one transaction and is written to the audit log (without the
free texts, which stay in the case and its history).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member, WorkingGroup
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.interventions.models import Intervention
from stegvis.structural.models import Deviation, DeviationCategory
from stegvis.structural.models.deviations import DEFAULT_CATEGORIES
from stegvis.structural.personal_data import (
    Finding,
    personal_data_findings,
    refusal_message,
    warning_message,
)
from stegvis.structural.selectors_deviations import known_words_for

Errors = dict[str, list[str]]

TITLE_MAX = 200
TEXT_MAX = 5000
CATEGORY_MAX = 100
# How far back a case may have happened: older ones belong to an earlier plan period.
MAX_AGE_YEARS = 5
HANDLING_FIELDS = ("status", "handled_by", "closed_on")
HANDLING_TEXTS = ("measures", "learning")


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# ---------------------------------------------------------------------------
# Personal data in the texts


def text_findings(
    *, association: Association, texts: Mapping[str, str]
) -> dict[str, list[Finding]]:
    """What in each text (by field) looks like personal data."""
    known = known_words_for(association)
    found = {
        field: personal_data_findings(text, known_words=known) for field, text in texts.items()
    }
    return {field: findings for field, findings in found.items() if findings}


def texts_check(
    *, association: Association, texts: Mapping[str, str], confirmed: bool, errors: Errors
) -> bool:
    """Add an error to `errors` for each text with personal data: always for a
    personal number, for names and e-mail addresses unless `confirmed`. True when a
    warning (not a refusal) is what stops the texts."""
    warned = False
    for field, findings in text_findings(association=association, texts=texts).items():
        if any(finding.refused for finding in findings):
            _add(errors, field, refusal_message())
        elif not confirmed:
            _add(errors, field, warning_message(findings))
            warned = True
    return warned


# ---------------------------------------------------------------------------
# Categories


@transaction.atomic
def categories_ensure(*, association: Association) -> None:
    """The built-in categories for a förbund that has none: when it is created
    (`associations.services.STARTING_POINT`), never on a page's GET."""
    if DeviationCategory.objects.filter(association=association).exists():
        return
    for position, name in enumerate(DEFAULT_CATEGORIES, start=1):
        DeviationCategory.objects.create(association=association, name=name, position=position)
    audit_log(
        action="deviation_category.defaults_added",
        association=association,
        changes={"names": DEFAULT_CATEGORIES},
    )


def _category_name_check(
    errors: Errors, association: Association, name: str, category: DeviationCategory | None
) -> None:
    if not name:
        _add(errors, "name", _("Ange kategorins namn."))
    elif len(name) > CATEGORY_MAX:
        _add(errors, "name", _("Högst %(max)s tecken.") % {"max": CATEGORY_MAX})
    others = DeviationCategory.objects.filter(association=association, name__iexact=name)
    if category is not None:
        others = others.exclude(pk=category.pk)
    if name and others.exists():
        _add(errors, "name", _("Kategorin ”%(name)s” finns redan.") % {"name": name})


@transaction.atomic
def category_create(
    *, actor: Any, association: Association, name: str, position: int | None = None
) -> DeviationCategory:
    name = _text(name)
    errors: Errors = {}
    _category_name_check(errors, association, name, None)
    _raise(errors)
    if position is None:
        last = DeviationCategory.objects.filter(association=association).aggregate(
            last=Max("position")
        )["last"]
        position = (last or 0) + 1
    category = DeviationCategory.objects.create(
        association=association, name=name, position=position
    )
    audit_log(
        action="deviation_category.created",
        actor=actor,
        association=association,
        obj=category,
        changes={"name": name},
    )
    return category


@transaction.atomic
def category_update(
    *, actor: Any, category: DeviationCategory, name: str, position: int, active: bool
) -> DeviationCategory:
    """Rename, reorder or retire a category. Cases keep their category; a retired
    one cannot be chosen for new cases."""
    name = _text(name)
    errors: Errors = {}
    _category_name_check(errors, category.association, name, category)
    _raise(errors)
    before = snapshot(category, ("name", "position", "active"))
    category.name, category.position, category.active = name, position, active
    category.save()
    changes = diff(before, snapshot(category, ("name", "position", "active")))
    if changes:
        audit_log(
            action="deviation_category.updated",
            actor=actor,
            association=category.association,
            obj=category,
            changes=changes,
        )
    return category


# ---------------------------------------------------------------------------
# Reporting


def dates_check(
    errors: Errors, occurred_on: Any, reported_on: datetime.date, today: datetime.date
) -> None:
    if not isinstance(occurred_on, datetime.date):
        _add(errors, "occurred_on", _("Ange när det hände (ÅÅÅÅ-MM-DD)."))
        return
    if occurred_on > reported_on:
        _add(
            errors,
            "occurred_on",
            _("Det kan inte ha hänt efter att det rapporterades (%(date)s).")
            % {"date": reported_on.isoformat()},
        )
    elif occurred_on < reported_on - datetime.timedelta(days=366 * MAX_AGE_YEARS):
        _add(
            errors,
            "occurred_on",
            _("Datumet ligger mer än %(years)s år bakåt i tiden. Kontrollera året.")
            % {"years": MAX_AGE_YEARS},
        )
    if reported_on > today:
        _add(errors, "reported_on", _("Rapporteringsdatumet kan inte ligga i framtiden."))


def _texts_limits(errors: Errors, title: str, description: str) -> None:
    if not title:
        _add(errors, "title", _("Ange en kort rubrik."))
    elif len(title) > TITLE_MAX:
        _add(errors, "title", _("Högst %(max)s tecken.") % {"max": TITLE_MAX})
    if not description:
        _add(errors, "description", _("Beskriv vad som hände."))
    elif len(description) > TEXT_MAX:
        _add(errors, "description", _("Högst %(max)s tecken.") % {"max": TEXT_MAX})


@transaction.atomic
def deviation_report(
    *,
    actor: Any,
    association: Association,
    kind: str,
    title: str,
    description: str,
    occurred_on: datetime.date,
    category: DeviationCategory,
    members: Iterable[Member] = (),
    intervention: Intervention | None = None,
    reported_on: datetime.date | None = None,
    confirmed: bool = False,
) -> Deviation:
    """Report an avvikelse or a guldkorn. Which insatser the reporter may name is
    access (selectors_deviations.reportable_interventions); here the insats, the
    category and the members must be the förbund's."""
    today = timezone.localdate()
    reported_on = reported_on or today
    title, description = _text(title), _text(description)
    members = list(members)
    errors: Errors = {}
    if kind not in Deviation.Kind.values:
        _add(errors, "kind", _("Välj avvikelse eller guldkorn."))
    _texts_limits(errors, title, description)
    dates_check(errors, occurred_on, reported_on, today)
    if category is None or category.association_id != association.pk:
        _add(errors, "category", _("Välj en kategori."))
    elif not category.active:
        _add(errors, "category", _("Kategorin används inte längre. Välj en annan."))
    if intervention is not None and intervention.association_id != association.pk:
        _add(errors, "intervention", _("Insatsen finns inte i förbundet."))
    if any(member.association_id != association.pk for member in members):
        _add(errors, "members", _("Välj bland förbundets medlemmar."))
    texts_check(
        association=association,
        texts={"title": title, "description": description},
        confirmed=confirmed,
        errors=errors,
    )
    _raise(errors)
    deviation = Deviation(
        association=association,
        kind=kind,
        intervention=intervention,
        occurred_on=occurred_on,
        reported_on=reported_on,
        title=title,
        description=description,
        category=category,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    deviation._history_user = deviation.reported_by  # type: ignore[attr-defined]
    deviation.save()
    deviation.members.set(members)
    audit_log(
        action="deviation.reported",
        actor=actor,
        association=association,
        obj=deviation,
        changes={
            "kind": kind,
            "intervention": intervention,
            "category": category,
            "occurred_on": occurred_on,
            "members": [member.name for member in members],
        },
    )
    return deviation


# ---------------------------------------------------------------------------
# Handling


@transaction.atomic
def deviation_handle(
    *,
    actor: Any,
    deviation: Deviation,
    status: str,
    handled_by: WorkingGroup | None,
    measures: str,
    learning: str,
    closed_on: datetime.date | None = None,
    title: str | None = None,
    description: str | None = None,
    confirmed: bool = False,
) -> Deviation:
    """The kansli's handling: status, the group that handles the case (usually the
    insats's styrgrupp), measures and learning; closing with its date (today unless
    given). `title` and `description` correct the report's texts (None: unchanged)."""
    association = deviation.association
    today = timezone.localdate()
    measures, learning = _text(measures), _text(learning)
    new_title = deviation.title if title is None else _text(title)
    new_description = deviation.description if description is None else _text(description)
    errors: Errors = {}
    if status not in Deviation.Status.values:
        _add(errors, "status", _("Välj en status."))
    if handled_by is not None and handled_by.association_id != association.pk:
        _add(errors, "handled_by", _("Gruppen finns inte i förbundet."))
    for field, text in (("measures", measures), ("learning", learning)):
        if len(text) > TEXT_MAX:
            _add(errors, field, _("Högst %(max)s tecken.") % {"max": TEXT_MAX})
    _texts_limits(errors, new_title, new_description)
    if status == Deviation.Status.CLOSED:
        closed_on = closed_on or (
            deviation.closed_on if deviation.is_closed and deviation.closed_on else today
        )
        if closed_on > today:
            _add(errors, "closed_on", _("Avslutsdatumet kan inte ligga i framtiden."))
        elif closed_on < deviation.reported_on:
            _add(
                errors,
                "closed_on",
                _("Ärendet kan inte avslutas före det rapporterades (%(date)s).")
                % {"date": deviation.reported_on.isoformat()},
            )
        if deviation.kind == Deviation.Kind.DEVIATION and not learning:
            _add(
                errors,
                "learning",
                _("Skriv lärdomen innan avvikelsen avslutas – det är den styrelsen följer upp."),
            )
    else:
        closed_on = None
    # Texts that did not change were checked (and any warning confirmed) when written.
    texts = {
        field: text
        for field, text in (
            ("measures", measures),
            ("learning", learning),
            ("title", new_title),
            ("description", new_description),
        )
        if text != getattr(deviation, field)
    }
    texts_check(association=association, texts=texts, confirmed=confirmed, errors=errors)
    _raise(errors)

    before = snapshot(deviation, HANDLING_FIELDS)
    texts_before = snapshot(deviation, HANDLING_TEXTS)
    was_closed = deviation.is_closed
    corrected = [
        field
        for field, new in (("title", new_title), ("description", new_description))
        if getattr(deviation, field) != new
    ]
    deviation.status = status
    deviation.handled_by = handled_by
    deviation.measures = measures
    deviation.learning = learning
    deviation.closed_on = closed_on
    deviation.title = new_title
    deviation.description = new_description
    deviation._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    deviation.save()
    if corrected:
        # The earlier versions lose the corrected text too (personal data taken out).
        deviation.history.update(title=new_title, description=new_description)
        audit_log(
            action="deviation.text_corrected",
            actor=actor,
            association=association,
            obj=deviation,
            changes={"fields": corrected},
        )
    changes: dict[str, Any] = diff(before, snapshot(deviation, HANDLING_FIELDS))
    changed_texts = list(diff(texts_before, snapshot(deviation, HANDLING_TEXTS)))
    if changed_texts:
        changes["texts"] = changed_texts
    if changes:
        if deviation.is_closed and not was_closed:
            action = "deviation.closed"
        elif was_closed and not deviation.is_closed:
            action = "deviation.reopened"
        else:
            action = "deviation.handled"
        audit_log(
            action=action, actor=actor, association=association, obj=deviation, changes=changes
        )
    return deviation
