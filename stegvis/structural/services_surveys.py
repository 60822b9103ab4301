"""Writes of the collaboration surveys (samverkansenkät, DOMAIN.md §6): survey rounds,
their anonymous response links, and the answers that come in through them.

Rules:

* A round asks one of the förbund's collaboration instruments (`Instrument.Kind.
  COLLABORATION`, with at least one question) of one or more respondent groups, open
  from `opens_on` to `closes_on` inclusive. Once links exist, the instrument stays and
  a group that has links stays asked: the links already sent must keep their meaning.
* Links are made per group (at most `MAX_LINKS_PER_GROUP` at a time) and shown once.
  Stegvis keeps the SHA-256 of each link's secret and nothing else, so a link cannot
  be shown again and no one can tell from the database which link went to whom.
* An answer comes through a link that is known, unused, and of a round open that day.
  Each question is answered on the instrument's scale or with "vet ej" (no row). The
  link is marked used by a conditional update in the same transaction that stores
  the answer: of two submissions of one link, exactly one succeeds.
* The answer is anonymous. It keeps its round, group and day; not the user (someone
  logged in who answers is not recorded), not the IP address, not the session, not
  the link, and not the time of day. For the same reason an answer is **not** written
  to the audit log: an entry carries the exact time (and, with the request, the IP),
  which next to a web server's access log would tie the answer to its link again.
  Installations should also keep `/enkat/` out of their proxy's access log.

Every other write runs in a transaction and is audit-logged.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.instruments.models import Instrument
from stegvis.structural.models.surveys import (
    RespondentGroup,
    SurveyAnswer,
    SurveyResponse,
    SurveyRound,
    SurveyToken,
)

Errors = dict[str, list[str]]

MAX_LINKS_PER_GROUP = 500
ROUND_FIELDS = ("title", "instrument", "groups", "opens_on", "closes_on", "introduction")
TITLE_MAX = 200
# 16 random bytes: 22 characters in a link, guessing one is hopeless.
TOKEN_BYTES = 16


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def token_hash(token: str) -> str:
    """What the database keeps of a link's secret."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def collaboration_instruments(association: Association) -> Any:
    """The förbund's collaboration instruments a round may ask (in use, with questions)."""
    return (
        Instrument.objects.filter(
            association=association,
            kind=Instrument.Kind.COLLABORATION,
            active=True,
            questions__isnull=False,
        )
        .distinct()
        .order_by("name")
    )


# ---------------------------------------------------------------------------
# Rounds


def _check_round(
    survey_round: SurveyRound, *, has_tokens: bool, before: SurveyRound | None
) -> None:
    errors: Errors = {}
    survey_round.title = (survey_round.title or "").strip()
    survey_round.introduction = (survey_round.introduction or "").strip()
    if not survey_round.title:
        _add(errors, "title", _("Ange omgångens namn, t.ex. Samverkansenkät hösten 2025."))
    elif len(survey_round.title) > TITLE_MAX:
        _add(errors, "title", _("Namnet får vara högst %(n)s tecken.") % {"n": TITLE_MAX})
    elif (
        SurveyRound.objects.filter(
            association=survey_round.association, title__iexact=survey_round.title
        )
        .exclude(pk=survey_round.pk)
        .exists()
    ):
        _add(errors, "title", _("Det finns redan en enkätomgång med det namnet."))
    instrument = survey_round.instrument if survey_round.instrument_id else None
    if instrument is None:
        _add(errors, "instrument", _("Välj vilken samverkansenkät omgången ska använda."))
    elif (
        instrument.association_id != survey_round.association_id or not instrument.is_collaboration
    ):
        _add(errors, "instrument", _("Välj en av förbundets samverkansenkäter."))
    elif not instrument.questions.exists():
        _add(errors, "instrument", _("Enkäten har inga frågor ännu. Lägg till frågor först."))
    groups = list(dict.fromkeys(survey_round.groups or []))
    unknown = [group for group in groups if group not in RespondentGroup.values]
    if unknown:
        _add(errors, "groups", _("Okänd grupp: %(groups)s.") % {"groups": ", ".join(unknown)})
    elif not groups:
        _add(errors, "groups", _("Välj minst en grupp som ska svara."))
    # Stored in RespondentGroup's order, so every page lists the groups alike.
    survey_round.groups = [group for group in RespondentGroup.values if group in groups]
    if survey_round.opens_on is None:
        _add(errors, "opens_on", _("Ange när enkäten öppnar."))
    if survey_round.closes_on is None:
        _add(errors, "closes_on", _("Ange när enkäten stänger."))
    elif survey_round.opens_on is not None and survey_round.closes_on < survey_round.opens_on:
        _add(errors, "closes_on", _("Enkäten kan inte stänga före den öppnar."))
    if has_tokens and before is not None:
        if before.instrument_id != survey_round.instrument_id:
            _add(
                errors,
                "instrument",
                _("Det finns redan svarslänkar, så enkäten kan inte bytas. Skapa en ny omgång."),
            )
        with_links = set(
            SurveyToken.objects.filter(round=before).values_list("group", flat=True).distinct()
        )
        dropped = [
            str(RespondentGroup(group).label)
            for group in RespondentGroup.values
            if group in with_links and group not in survey_round.groups
        ]
        if dropped:
            _add(
                errors,
                "groups",
                _("Det finns svarslänkar till %(groups)s, så gruppen kan inte tas bort.")
                % {"groups": ", ".join(dropped)},
            )
    _raise(errors)


def _round_snapshot(survey_round: SurveyRound) -> dict[str, Any]:
    values = snapshot(survey_round, [name for name in ROUND_FIELDS if name != "instrument"])
    values["instrument"] = str(survey_round.instrument) if survey_round.instrument_id else ""
    return values


@transaction.atomic
def round_create(
    *,
    actor: Any,
    association: Association,
    title: str,
    instrument: Instrument | None,
    groups: Iterable[str],
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    introduction: str = "",
) -> SurveyRound:
    """A new survey round of the förbund. Links are made afterwards, per group."""
    # Missing dates are named by the check, with everything else that is wrong.
    dates: dict[str, Any] = {"opens_on": opens_on, "closes_on": closes_on}
    survey_round = SurveyRound(
        association=association,
        title=title,
        instrument=instrument,
        groups=list(groups),
        introduction=introduction,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **dates,
    )
    _check_round(survey_round, has_tokens=False, before=None)
    survey_round.save()
    audit_log(
        action="survey.round_created",
        actor=actor,
        association=association,
        obj=survey_round,
        changes=_round_snapshot(survey_round),
    )
    return survey_round


@transaction.atomic
def round_update(*, actor: Any, survey_round: SurveyRound, **fields: Any) -> SurveyRound:
    """Change a round: its name, dates, introduction and groups. Closing a round early
    is moving `closes_on` to today. With links made, the instrument stays and no group
    with links is dropped."""
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = SurveyRound.objects.select_for_update().get(pk=survey_round.pk)
    changed = SurveyRound.objects.get(pk=survey_round.pk)
    for name, value in fields.items():
        setattr(changed, name, list(value) if name == "groups" else value)
    has_tokens = SurveyToken.objects.filter(round=before).exists()
    _check_round(changed, has_tokens=has_tokens, before=before)
    changes = diff(_round_snapshot(before), _round_snapshot(changed))
    if changes:
        changed.save()
        audit_log(
            action="survey.round_changed",
            actor=actor,
            association=changed.association,
            obj=changed,
            changes=changes,
        )
    return changed


# ---------------------------------------------------------------------------
# Links


@dataclass(frozen=True)
class IssuedLink:
    group: str
    token: str  # the secret; exists only in this object and in the page that shows it

    @property
    def group_label(self) -> str:
        return str(RespondentGroup(self.group).label)


@transaction.atomic
def tokens_issue(
    *,
    actor: Any,
    survey_round: SurveyRound,
    counts: Mapping[str, int],
    today: datetime.date | None = None,
) -> list[IssuedLink]:
    """Make `counts[group]` new response links per group of the round. Returns the
    secrets, which are not stored: the caller shows them once. A closed round gets no
    new links."""
    today = today or timezone.localdate()
    errors: Errors = {}
    if survey_round.closes_on < today:
        _add(errors, "__all__", _("Enkätomgången har stängt. Det går inte att skapa nya länkar."))
    wanted: dict[str, int] = {}
    for group, count in counts.items():
        if group not in survey_round.groups:
            _add(errors, group, _("Gruppen ingår inte i omgången."))
        elif count is None or count < 0:
            _add(errors, group, _("Ange ett antal från 0."))
        elif count > MAX_LINKS_PER_GROUP:
            _add(
                errors,
                group,
                _("Högst %(n)s länkar per grupp åt gången.") % {"n": MAX_LINKS_PER_GROUP},
            )
        elif count:
            wanted[group] = count
    if not errors and not wanted:
        _add(errors, "__all__", _("Ange hur många länkar som behövs för minst en grupp."))
    _raise(errors)
    issued: list[IssuedLink] = []
    rows: list[SurveyToken] = []
    for group in RespondentGroup.values:
        for _number in range(wanted.get(group, 0)):
            token = secrets.token_urlsafe(TOKEN_BYTES)
            issued.append(IssuedLink(group=group, token=token))
            rows.append(
                SurveyToken(
                    association=survey_round.association,
                    round=survey_round,
                    group=group,
                    token_hash=token_hash(token),
                    created_on=today,
                )
            )
    SurveyToken.objects.bulk_create(rows)
    audit_log(
        action="survey.links_made",
        actor=actor,
        association=survey_round.association,
        obj=survey_round,
        changes={f"links {group}": count for group, count in wanted.items()},
    )
    return issued


# ---------------------------------------------------------------------------
# Answering through a link (no login)


class AnswerRefused(Exception):
    """Why an answer through a link was not stored: `unknown`, `used`, `not_open` or
    `closed`."""

    UNKNOWN = "unknown"
    USED = "used"
    NOT_OPEN = "not_open"
    CLOSED = "closed"

    def __init__(self, reason: str, survey_round: SurveyRound | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.survey_round = survey_round


def token_find(token: str) -> SurveyToken | None:
    """The link's row, whichever förbund it belongs to (the answer page has no
    förbund in its address; the secret is the only key)."""
    if not token or len(token) > 100:
        return None
    with scopes_disabled():
        return (
            SurveyToken.objects.select_related("round", "round__instrument", "association")
            .filter(token_hash=token_hash(token))
            .first()
        )


def round_state(survey_round: SurveyRound, today: datetime.date) -> str:
    """The round's state on `today`: "open", or why it takes no answers (the
    AnswerRefused reason `not_open` or `closed`)."""
    if today < survey_round.opens_on:
        return AnswerRefused.NOT_OPEN
    if today > survey_round.closes_on:
        return AnswerRefused.CLOSED
    return "open"


def answers_check(instrument: Instrument, answers: Mapping[int, int | None]) -> dict[int, int]:
    """The values to store by question id ("vet ej", None, stores nothing), or a
    ValidationError keyed `question_<id>` for each question not answered or answered
    off the scale."""
    errors: Errors = {}
    stored: dict[int, int] = {}
    scale = instrument.scale
    questions = list(instrument.questions.all())
    for question in questions:
        field = f"question_{question.pk}"
        if question.pk not in answers:
            _add(errors, field, _("Välj ett svar, eller ”Vet ej”."))
            continue
        value = answers[question.pk]
        if value is None:
            continue
        if value not in scale:
            _add(
                errors,
                field,
                _("Svaret ska vara ett tal från %(low)s till %(high)s.")
                % {"low": instrument.scale_min, "high": instrument.scale_max},
            )
        else:
            stored[question.pk] = value
    if set(answers) - {question.pk for question in questions}:
        _add(errors, "__all__", _("Svaret gäller en fråga som inte hör till enkäten."))
    _raise(errors)
    return stored


@transaction.atomic
def response_submit(
    *, token: str, answers: Mapping[int, int | None], today: datetime.date | None = None
) -> SurveyResponse:
    """Store an answer that came through a link and use the link up (see the module's
    rules). Raises AnswerRefused when the link is unknown, used, or its round not open,
    and ValidationError when a question is not answered."""
    today = today or timezone.localdate()
    with scopes_disabled():
        row = (
            SurveyToken.objects.select_for_update()
            .select_related("round", "round__instrument")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if row is None:
            raise AnswerRefused(AnswerRefused.UNKNOWN)
        survey_round = row.round
        if row.used:
            raise AnswerRefused(AnswerRefused.USED, survey_round)
        state = round_state(survey_round, today)
        if state != "open":
            raise AnswerRefused(state, survey_round)
        stored = answers_check(survey_round.instrument, answers)
        # The conditional update is what makes a link single-use, also where the row
        # lock above is not available (SQLite): only one submission flips it.
        if not SurveyToken.objects.filter(pk=row.pk, used=False).update(used=True):
            raise AnswerRefused(AnswerRefused.USED, survey_round)
        response = SurveyResponse.objects.create(
            association_id=row.association_id,
            round=survey_round,
            group=row.group,
            submitted_on=today,
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(
                association_id=row.association_id,
                response=response,
                question_id=question_id,
                value=value,
            )
            for question_id, value in stored.items()
        )
    return response
