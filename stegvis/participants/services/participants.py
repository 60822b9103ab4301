"""Writes to participants: register, change, exit and delete, each one transaction and
one audit line with the participant's code and the names (never the values) of the
fields that changed, together with the answers to the questions asked at start or exit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.associations.models import Member
from stegvis.audit.services import audit_log
from stegvis.interventions.models import Intervention
from stegvis.participants.access import policy_ensure
from stegvis.participants.models import Participant, Question
from stegvis.participants.services.questions import _answers_write, _check_answers
from stegvis.participants.services.rules import (
    Errors,
    _add,
    _check_participant,
    _person_key,
    _raise,
    _today,
)

# The fields of a participant a form or a service call may set, in the spec's order.
PARTICIPANT_FIELDS = [
    "code",
    "gender",
    "birth_year",
    "municipality",
    "referring_member",
    "referrer_other",
    "start",
    "support_at_start",
    "employment_at_start",
    "education",
    "months_without_work",
    "exit",
    "outcome",
    "support_at_exit",
    "employment_at_exit",
    "handover_to",
    "consent",
]
EXIT_FIELDS = ["exit", "outcome", "support_at_exit", "employment_at_exit", "handover_to"]


def _changed_fields(before: Mapping[str, Any], participant: Participant) -> list[str]:
    return [field for field in before if before[field] != _value(participant, field)]


def _value(participant: Participant, field: str) -> Any:
    if field in ("municipality", "referring_member", "handover_to"):
        return getattr(participant, f"{field}_id")
    return getattr(participant, field)


def _save(participant: Participant) -> None:
    participant.full_clean(exclude=["association", "intervention"], validate_unique=False)
    participant.save()


@transaction.atomic
def participant_create(
    *,
    actor: Any,
    intervention: Intervention,
    code: str,
    gender: str,
    birth_year: int,
    start: datetime.date,
    municipality: Member | None = None,
    referring_member: Member | None = None,
    referrer_other: str = "",
    support_at_start: Iterable[str] = (),
    employment_at_start: str = "",
    education: str = "",
    months_without_work: int | None = None,
    exit: datetime.date | None = None,
    outcome: str = "",
    support_at_exit: Iterable[str] = (),
    employment_at_exit: str = "",
    handover_to: Member | None = None,
    consent: datetime.date | None = None,
    personal_number: str = "",
    answers: Mapping[Question, str] | None = None,
    today: datetime.date | None = None,
) -> Participant:
    """Register a participant of an insats, with the answers to the questions asked at
    start. `personal_number` is turned into the förbund's keyed hash and forgotten."""
    association = intervention.association
    participant = Participant(
        association=association,
        intervention=intervention,
        code=code,
        gender=gender,
        birth_year=birth_year,
        start=start,
        municipality=municipality,
        referring_member=referring_member,
        referrer_other=referrer_other,
        support_at_start=list(support_at_start),
        employment_at_start=employment_at_start,
        education=education,
        months_without_work=months_without_work,
        exit=exit,
        outcome=outcome,
        support_at_exit=list(support_at_exit),
        employment_at_exit=employment_at_exit,
        handover_to=handover_to,
        consent=consent,
    )
    errors: Errors = {}
    _check_participant(participant, errors, today=_today(today))
    key = _person_key(errors, policy_ensure(association), personal_number)
    cleaned = _check_answers(errors, participant, answers)
    _raise(errors)
    if key:
        participant.person_key = key
    _save(participant)
    fields = [
        field for field in PARTICIPANT_FIELDS if _value(participant, field) not in ("", None, [])
    ]
    if key:
        fields.append("person_key")
    audit_log(
        action="participant.created",
        actor=actor,
        association=association,
        obj=participant,
        changes={"code": participant.code, "insats": intervention.name, "fields": fields},
    )
    if cleaned:
        _answers_write(
            actor=actor,
            participant=participant,
            occasion=Question.Occasion.START,
            date=participant.start,
            answers=cleaned,
        )
    return participant


@transaction.atomic
def participant_update(
    *,
    actor: Any,
    participant: Participant,
    personal_number: str = "",
    forget_person: bool = False,
    answers: Mapping[Question, str] | None = None,
    today: datetime.date | None = None,
    **fields: Any,
) -> Participant:
    """Change a participant: any of PARTICIPANT_FIELDS. A personnummer given replaces
    the recognition key; `forget_person` removes it. `answers` are those asked at start."""
    unknown = set(fields) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise TypeError(f"participant_update: unknown fields {sorted(unknown)}")
    # Read again: a form may have written on the instance it was given.
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    before = {field: _value(participant, field) for field in PARTICIPANT_FIELDS}
    old_key = participant.person_key
    for field, value in fields.items():
        if field in ("support_at_start", "support_at_exit"):
            value = list(value or ())
        setattr(participant, field, value)
    errors: Errors = {}
    _check_participant(participant, errors, today=_today(today))
    key = _person_key(errors, policy_ensure(participant.association), personal_number)
    cleaned = _check_answers(errors, participant, answers)
    _raise(errors)
    if key:
        participant.person_key = key
    elif forget_person:
        participant.person_key = ""
    changed = _changed_fields(before, participant)
    if participant.person_key != old_key:
        changed.append("person_key")
    if changed:
        _save(participant)
        audit_log(
            action="participant.changed",
            actor=actor,
            association=participant.association,
            obj=participant,
            changes={"code": participant.code, "fields": changed},
        )
    if cleaned:
        _answers_write(
            actor=actor,
            participant=participant,
            occasion=Question.Occasion.START,
            date=participant.start,
            answers=cleaned,
        )
    return participant


@transaction.atomic
def participant_exit(
    *,
    actor: Any,
    participant: Participant,
    on: datetime.date,
    outcome: str,
    support_at_exit: Iterable[str] = (),
    employment_at_exit: str = "",
    handover_to: Member | None = None,
    answers: Mapping[Question, str] | None = None,
    today: datetime.date | None = None,
) -> Participant:
    """Record that a participant left the insats: the date, the avslutsorsak
    (stegförflyttning follows from it), försörjning and sysselsättning at exit and the
    member they were handed over to, with the answers to the questions asked at exit."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    before = {field: _value(participant, field) for field in PARTICIPANT_FIELDS}
    participant.exit = on
    participant.outcome = outcome
    participant.support_at_exit = list(support_at_exit)
    participant.employment_at_exit = employment_at_exit
    participant.handover_to = handover_to
    errors: Errors = {}
    if not outcome:
        _add(errors, "outcome", _("Ange avslutsorsak."))
    _check_participant(participant, errors, today=_today(today))
    cleaned = _check_answers(errors, participant, answers)
    # The exit form names its date field "on".
    if "exit" in errors:
        errors["on"] = errors.pop("exit")
    _raise(errors)
    _save(participant)
    audit_log(
        action="participant.exited",
        actor=actor,
        association=participant.association,
        obj=participant,
        changes={"code": participant.code, "fields": _changed_fields(before, participant)},
    )
    if cleaned:
        _answers_write(
            actor=actor,
            participant=participant,
            occasion=Question.Occasion.EXIT,
            date=on,
            answers=cleaned,
        )
    return participant


@transaction.atomic
def participant_delete(*, actor: Any, participant: Participant) -> None:
    """Remove a participant registered by mistake, with their answers and follow-ups.
    (Rows of participants who have left go by retention, which keeps their counts.)"""
    code, association = participant.code, participant.association
    intervention = participant.intervention
    audit_log(
        action="participant.deleted",
        actor=actor,
        association=association,
        obj=participant,
        changes={"code": code, "insats": intervention.name},
    )
    participant.delete()
