"""The rules of a participant, shared by the participant services: the code (never a
personnummer), the age at start, the members named, the vocabularies, the exit and the
consent (../shared/spec/participant-file.md), the keyed hash of a personnummer, and the
small helpers that collect `ValidationError` messages keyed by form field."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member
from stegvis.participants import identity
from stegvis.participants.models import Participant, Policy
from stegvis.participants.vocabulary import (
    Education,
    Employment,
    Gender,
    Outcome,
    Referrer,
    Support,
)

MIN_AGE, MAX_AGE = 15, 70

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
# YYMMDD-NNNN, YYYYMMDD-NNNN, or the same without the dash (the spec's refusal).
PERSONAL_NUMBER_SHAPE = re.compile(r"^(\d{6}|\d{8})[-+]?\d{4}$")

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# ---------------------------------------------------------------------------
# Checks shared by the services (each adds its messages to `errors`)


def looks_like_personal_number(value: str) -> bool:
    return bool(PERSONAL_NUMBER_SHAPE.match(value.strip()))


def code_problem(code: str) -> str | None:
    """What is wrong with a participant code, or None. Never repeats the value."""
    if looks_like_personal_number(code):
        return _(
            "Koden ser ut som ett personnummer. Använd insatsens egen kod – "
            "ett personnummer får aldrig vara kod."
        )
    if not code:
        return _("Ange deltagarens kod.")
    if not CODE_PATTERN.match(code):
        return _("Koden får ha 1–40 tecken: bokstäver A–Z utan å, ä och ö, siffror, - och _.")
    return None


def age_problem(birth_year: Any, start: Any) -> str | None:
    if not isinstance(birth_year, int) or not isinstance(start, datetime.date):
        return None
    age = start.year - birth_year
    if not MIN_AGE <= age <= MAX_AGE:
        return _(
            "Födelseåret ger åldern %(age)s år vid start; deltagare ska vara %(low)s–%(high)s år."
        ) % {"age": age, "low": MIN_AGE, "high": MAX_AGE}
    return None


def _check_member(
    errors: Errors,
    association: Association,
    member: Any,
    field: str,
    kind: str | None = None,
) -> None:
    if member is None:
        return
    if not isinstance(member, Member) or member.association_id != association.pk:
        _add(errors, field, _("Välj en medlem i förbundet."))
    elif kind is not None and member.kind != kind:
        _add(errors, field, _("Välj en kommun som är medlem i förbundet."))


def _support_list(errors: Errors, field: str, values: Iterable[str] | None) -> list[str]:
    chosen = {str(value).strip().lower() for value in values or ()}
    unknown = chosen - set(Support.values)
    if unknown:
        _add(errors, field, _("Välj försörjning ur listan."))
    # The vocabulary's order, each once.
    return [code for code in Support.values if code in chosen]


def _choice(errors: Errors, field: str, value: Any, allowed: Iterable[str], message: str) -> str:
    value = (value or "").strip().lower() if isinstance(value, str) else value
    if value and value not in allowed:
        _add(errors, field, message)
    return value or ""


def _check_participant(participant: Participant, errors: Errors, *, today: datetime.date) -> None:
    """The spec's rules on a participant with its new values set (errors keyed by field)."""
    association = participant.association
    participant.code = (participant.code or "").strip()
    problem = code_problem(participant.code)
    if problem:
        _add(errors, "code", problem)
    elif (
        Participant.objects.filter(intervention=participant.intervention, code=participant.code)
        .exclude(pk=participant.pk)
        .exists()
    ):
        _add(errors, "code", _("Insatsen har redan en deltagare med den koden."))
    participant.gender = _choice(
        errors, "gender", participant.gender, Gender.values, _("Välj kön.")
    )
    if not participant.gender:
        _add(errors, "gender", _("Välj kön (eller ej angivet)."))
    if not isinstance(participant.birth_year, int):
        _add(errors, "birth_year", _("Ange födelseår."))
    if not isinstance(participant.start, datetime.date):
        _add(errors, "start", _("Ange startdatum."))
    problem = age_problem(participant.birth_year, participant.start)
    if problem:
        _add(errors, "birth_year", problem)
    _check_member(
        errors,
        association,
        participant.municipality,
        "municipality",
        kind=Member.Kind.MUNICIPALITY,
    )
    _check_member(errors, association, participant.referring_member, "referring_member")
    participant.referrer_other = _choice(
        errors,
        "referrer_other",
        participant.referrer_other,
        Referrer.values,
        _("Välj egen anmälan eller annan."),
    )
    if participant.referring_member is not None and participant.referrer_other:
        _add(
            errors,
            "referrer_other",
            _("Ange antingen en remitterande medlem eller egen anmälan/annan, inte båda."),
        )
    participant.support_at_start = _support_list(
        errors, "support_at_start", participant.support_at_start
    )
    participant.support_at_exit = _support_list(
        errors, "support_at_exit", participant.support_at_exit
    )
    for field in ("employment_at_start", "employment_at_exit"):
        setattr(
            participant,
            field,
            _choice(
                errors,
                field,
                getattr(participant, field),
                Employment.values,
                _("Välj sysselsättning ur listan."),
            ),
        )
    participant.education = _choice(
        errors,
        "education",
        participant.education,
        Education.values,
        _("Välj utbildningsnivå ur listan."),
    )
    months = participant.months_without_work
    if months is not None and (not isinstance(months, int) or months < 0):
        _add(errors, "months_without_work", _("Ange ett helt antal månader, 0 eller fler."))
    participant.outcome = _choice(
        errors, "outcome", participant.outcome, Outcome.values, _("Välj avslutsorsak ur listan.")
    )
    exit = participant.exit
    if exit is not None:
        if isinstance(participant.start, datetime.date) and exit < participant.start:
            _add(errors, "exit", _("Slutdatum kan inte vara före startdatum."))
        if exit > today:
            _add(errors, "exit", _("Slutdatum kan inte vara i framtiden."))
        if not participant.outcome:
            _add(errors, "outcome", _("Ange avslutsorsak när deltagaren har avslutats."))
    elif participant.outcome:
        _add(errors, "exit", _("Ange slutdatum när avslutsorsak är angiven."))
    _check_member(errors, association, participant.handover_to, "handover_to")
    if participant.consent is not None and participant.consent > today:
        _add(errors, "consent", _("Samtycket kan inte vara givet i framtiden."))


def _person_key(errors: Errors, policy: Policy, personal_number: str) -> str | None:
    """The keyed hash of a personnummer, or None when none was given. The number is
    never put in an error message."""
    personal_number = (personal_number or "").strip()
    if not personal_number:
        return None
    if not policy.recognise_persons:
        _add(
            errors,
            "personal_number",
            _("Förbundet känner inte igen personer mellan insatser; ange inget personnummer."),
        )
        return None
    try:
        return identity.person_key(policy, personal_number)
    except identity.InvalidPersonalNumber:
        _add(
            errors,
            "personal_number",
            _("Personnumret är inte giltigt. Kontrollera siffrorna (ÅÅÅÅMMDD-NNNN)."),
        )
        return None
