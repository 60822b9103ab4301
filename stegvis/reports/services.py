"""Writes of the reports app: the förbundschef's texts of the verksamhetsplan.

The texts of a year are saved together, in one transaction and one line of the log;
each changed section gets a new version in its history (django-simple-history), so
the board can see what the text said when and who changed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log
from stegvis.reports.models import PlanSection, PlanText

YEAR_RANGE = (2000, 2100)
MAX_TEXT = 20_000
# The log keeps the beginning of each changed text; every version is in the history.
LOG_EXCERPT = 200


def clean_text(value: Any) -> str:
    """Plain text as stored: Unix line ends, no trailing spaces on a line, at most one
    blank line between paragraphs, nothing before or after."""
    text = "" if value is None else str(value)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept: list[str] = []
    for line in lines:
        if not line and kept and not kept[-1]:
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _excerpt(text: str) -> str:
    return text if len(text) <= LOG_EXCERPT else text[:LOG_EXCERPT].rstrip() + "…"


def plan_texts_version(*, association: Association, year: int) -> int:
    """The latest version id of the year's texts (0 when none was ever saved): the
    form carries it, so that two people editing at once do not overwrite each other."""
    latest = (
        PlanText.history.filter(association_id=association.pk, year=year)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )
    return int(latest or 0)


@transaction.atomic
def plan_texts_save(
    *,
    actor: Any,
    association: Association,
    year: int,
    texts: Mapping[str, Any],
    expected_version: int | None = None,
    request: Any = None,
) -> list[str]:
    """Save the sections given in `texts` ({section key: text}) of the year's
    verksamhetsplan; an empty text removes the section. Sections not named are left
    as they are. Returns the keys of the sections that changed.

    With `expected_version` (from `plan_texts_version` when the form was opened) the
    save is refused if someone else saved the year's texts since. Raises
    ValidationError keyed by the section."""
    errors: dict[str, list[str]] = {}
    if isinstance(year, bool) or not YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]:
        errors["year"] = [
            _("Året ska ligga mellan %(first)s och %(last)s, inte %(year)s.")
            % {"first": YEAR_RANGE[0], "last": YEAR_RANGE[1], "year": year}
        ]
    labels = dict(PlanSection.choices)
    cleaned: dict[str, str] = {}
    for key, value in texts.items():
        if key not in labels:
            errors.setdefault("__all__", []).append(_("Okänt avsnitt ”%(key)s”.") % {"key": key})
            continue
        text = clean_text(value)
        if len(text) > MAX_TEXT:
            errors[key] = [
                _("%(section)s: högst %(limit)s tecken, texten har %(length)s.")
                % {
                    "section": labels[key],
                    "limit": f"{MAX_TEXT:,}".replace(",", "\u00a0"),
                    "length": f"{len(text):,}".replace(",", "\u00a0"),
                }
            ]
            continue
        cleaned[key] = text
    if errors:
        raise ValidationError(errors)

    with scope(association=association):
        # Lock the year's rows, so two saves at once are taken one after the other.
        existing = {
            text.section: text
            for text in PlanText.objects.select_for_update().filter(
                association=association, year=year
            )
        }
        if (
            expected_version is not None
            and plan_texts_version(association=association, year=year) != expected_version
        ):
            raise ValidationError(
                _(
                    "Någon annan har sparat texterna för %(year)s sedan du öppnade sidan. "
                    "Ladda om sidan, se deras ändringar och skriv in dina igen."
                )
                % {"year": year}
            )
        changes: dict[str, list[str]] = {}
        for key in PlanSection.values:
            if key not in cleaned:
                continue
            text = cleaned[key]
            record = existing.get(key)
            old = record.text if record is not None else ""
            if text == old:
                continue
            if record is None:
                record = PlanText(association=association, year=year, section=key, text=text)
            if getattr(actor, "is_authenticated", False):
                record._history_user = actor  # type: ignore[attr-defined]
            if text:
                record.text = text
                record.save()
            else:
                # The history keeps the last text with the removal.
                record.delete()
            changes[key] = [_excerpt(old), _excerpt(text)]
        if changes:
            audit_log(
                action="plan_text.saved",
                actor=actor,
                association=association,
                changes=changes,
                object_repr=_("Texter i verksamhetsplanen %(year)s") % {"year": year},
                request=request,
            )
    return list(changes)
