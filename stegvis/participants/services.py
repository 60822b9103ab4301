"""Writes to a förbund's participant follow-up (DOMAIN.md §4 and §9): participants,
anonymous counts, kompletterande frågor and their answers, and the förbund's rules.

Each write is one transaction and one audit line. For a participant the audit line
holds its code and the NAMES of the fields that changed, never their values: the
log is read by more people than the rows are.

The rules of a participant are those of the participant file
(../shared/spec/participant-file.md), so the form and the import agree:
* the code is the insats's own: 1–40 of A–Z a–z 0–9 - _, unique in the insats, and
  never a personnummer (a value shaped like one is refused without being repeated);
* the birth year makes the person 15–70 years old at the start date;
* kommun is a municipality member of the förbund; remitterande part a member or
  "egen anmälan"/"annan"; överlämning till a member;
* the exit date is not before the start and not in the future, and an avslutsorsak
  is given exactly when an exit date is.

A personnummer is taken only when the förbund recognises persons across insatser
(`Policy.recognise_persons`); then only its keyed hash is kept
(`identity.person_key`). The number is not stored, logged, or repeated in a message.

Errors are `ValidationError`s keyed by the form field they concern; answers to
kompletterande frågor by `question_<pk>`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member
from stegvis.audit.services import audit_log
from stegvis.interventions.models import Intervention
from stegvis.participants import identity
from stegvis.participants.access import policy_for
from stegvis.participants.models import (
    AnonymousCount,
    Answer,
    Participant,
    Policy,
    Question,
)
from stegvis.participants.vocabulary import (
    Education,
    Employment,
    Gender,
    Outcome,
    Referrer,
    Support,
)

MIN_AGE, MAX_AGE = 15, 70

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

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
# YYMMDD-NNNN, YYYYMMDD-NNNN, or the same without the dash (the spec's refusal).
PERSONAL_NUMBER_SHAPE = re.compile(r"^(\d{6}|\d{8})[-+]?\d{4}$")

Errors = dict[str, list[str]]


def question_field(question: Question | int) -> str:
    """The form field (and error key) of a kompletterande fråga."""
    return f"question_{question if isinstance(question, int) else question.pk}"


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


# ---------------------------------------------------------------------------
# Kompletterande frågor: answers


def questions_for(*, intervention: Intervention, occasion: str) -> list[Question]:
    """The förbund's active questions asked in this insats at this occasion (a question
    with no insatser chosen is asked in every insats)."""
    questions = Question.objects.filter(
        association_id=intervention.association_id, active=True, occasion=occasion
    ).prefetch_related("interventions")
    return [
        question
        for question in questions
        if not question.interventions.all() or intervention in question.interventions.all()
    ]


def answer_problem(question: Question, value: str) -> tuple[str, str | None]:
    """The value to store for an answer (normalised) and what is wrong with it."""
    value = (value or "").strip()
    if not value:
        return "", None
    kind = question.answer_type
    if kind == Question.AnswerType.NUMBER:
        try:
            number = Decimal(value.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            return value, _("Svaret ska vara ett tal.")
        return format(number.normalize(), "f"), None
    if kind == Question.AnswerType.YES_NO:
        lowered = value.lower()
        if lowered not in ("ja", "nej"):
            return value, _("Svara ja eller nej.")
        return lowered, None
    if kind == Question.AnswerType.CHOICE:
        for choice in question.choice_list:
            if choice.lower() == value.lower():
                return choice, None
        return value, _("Välj ett av svarsalternativen.")
    if looks_like_personal_number(value):
        return value, _("Svaret ser ut som ett personnummer; skriv aldrig personnummer här.")
    if len(value) > 500:
        return value, _("Svaret får ha högst 500 tecken.")
    return value, None


def _check_answers(
    errors: Errors,
    participant: Participant,
    answers: Mapping[Question, str] | None,
) -> dict[Question, str]:
    cleaned: dict[Question, str] = {}
    for question, value in (answers or {}).items():
        if question.association_id != participant.association_id:
            _add(errors, question_field(question), _("Frågan hör inte till förbundet."))
            continue
        normalised, problem = answer_problem(question, value)
        if problem:
            _add(errors, question_field(question), problem)
        cleaned[question] = normalised
    return cleaned


def _store_answer(
    participant: Participant, question: Question, occasion: str, date: datetime.date, value: str
) -> bool:
    """Write one answer; True when something changed. Start and exit have one answer
    each (moved with the date); a follow-up answer is one per date."""
    existing = Answer.objects.filter(participant=participant, question=question, occasion=occasion)
    if occasion == Question.Occasion.FOLLOW_UP:
        existing = existing.filter(date=date)
    answer = existing.first()
    if not value:
        if answer is None:
            return False
        answer.delete()
        return True
    if answer is not None and answer.value == value and answer.date == date:
        return False
    if answer is None:
        answer = Answer(
            association=participant.association,
            participant=participant,
            question=question,
            occasion=occasion,
        )
    answer.date = date
    answer.value = value
    answer.save()
    return True


def _answers_write(
    *,
    actor: Any,
    participant: Participant,
    occasion: str,
    date: datetime.date,
    answers: Mapping[Question, str],
) -> None:
    changed = [
        question.pk
        for question, value in answers.items()
        if _store_answer(participant, question, occasion, date, value)
    ]
    if changed:
        audit_log(
            action="participant.answers_set",
            actor=actor,
            association=participant.association,
            obj=participant,
            changes={"code": participant.code, "occasion": occasion, "questions": changed},
        )


@transaction.atomic
def answer_set(
    *,
    actor: Any,
    participant: Participant,
    question: Question,
    occasion: str,
    date: datetime.date,
    value: str,
) -> None:
    """One answer to a kompletterande fråga; an empty value removes it."""
    errors: Errors = {}
    if occasion not in Question.Occasion.values:
        _add(errors, "occasion", _("Välj när frågan besvarades."))
    if date < participant.start or date > timezone.localdate():
        _add(errors, "date", _("Datumet ska vara mellan start och i dag."))
    cleaned = _check_answers(errors, participant, {question: value})
    _raise(errors)
    _answers_write(
        actor=actor, participant=participant, occasion=occasion, date=date, answers=cleaned
    )


# ---------------------------------------------------------------------------
# Participants


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
    key = _person_key(errors, policy_for(association), personal_number)
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
    key = _person_key(errors, policy_for(participant.association), personal_number)
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


# ---------------------------------------------------------------------------
# Anonymous participants


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


# ---------------------------------------------------------------------------
# Kompletterande frågor


QUESTION_FIELDS = ["text", "answer_type", "choices", "occasion", "active", "order"]


def _check_question(question: Question, interventions: Iterable[Intervention] | None) -> None:
    errors: Errors = {}
    question.text = (question.text or "").strip()
    question.choices = "\n".join(
        line.strip() for line in (question.choices or "").splitlines() if line.strip()
    )
    if not question.text:
        _add(errors, "text", _("Skriv frågan."))
    if question.answer_type == Question.AnswerType.CHOICE and len(question.choice_list) < 2:
        _add(errors, "choices", _("Ange minst två svarsalternativ, ett per rad."))
    for intervention in interventions or ():
        if intervention.association_id != question.association_id:
            _add(errors, "interventions", _("Välj insatser i förbundet."))
            break
    _raise(errors)
    question.full_clean(exclude=["association"])


def _question_snapshot(question: Question) -> dict[str, Any]:
    return {field: getattr(question, field) for field in QUESTION_FIELDS}


@transaction.atomic
def question_create(
    *,
    actor: Any,
    association: Association,
    text: str,
    answer_type: str = Question.AnswerType.TEXT,
    occasion: str = Question.Occasion.START,
    choices: str = "",
    interventions: Iterable[Intervention] = (),
    active: bool = True,
    order: int = 0,
) -> Question:
    """A kompletterande fråga the förbund asks in its insatser, at start, at exit or
    at a follow-up."""
    interventions = list(interventions)
    question = Question(
        association=association,
        text=text,
        answer_type=answer_type,
        occasion=occasion,
        choices=choices,
        active=active,
        order=order,
    )
    _check_question(question, interventions)
    question.save()
    question.interventions.set(interventions)
    audit_log(
        action="participant_question.created",
        actor=actor,
        association=association,
        obj=question,
        changes={
            **_question_snapshot(question),
            "interventions": ", ".join(sorted(each.name for each in interventions)),
        },
    )
    return question


@transaction.atomic
def question_update(
    *,
    actor: Any,
    question: Question,
    interventions: Iterable[Intervention] | None = None,
    **fields: Any,
) -> Question:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"question_update: unknown fields {sorted(unknown)}")
    question = Question.objects.select_for_update().get(pk=question.pk)
    before = {
        **_question_snapshot(question),
        "interventions": ", ".join(sorted(each.name for each in question.interventions.all())),
    }
    errors: Errors = {}
    if (
        "answer_type" in fields
        and fields["answer_type"] != question.answer_type
        and question.answers.exists()
    ):
        _add(
            errors,
            "answer_type",
            _("Frågan har redan svar; svarstypen kan inte ändras. Skapa en ny fråga."),
        )
    _raise(errors)
    for field, value in fields.items():
        setattr(question, field, value)
    chosen = list(interventions) if interventions is not None else None
    _check_question(question, chosen)
    question.save()
    if chosen is not None:
        question.interventions.set(chosen)
    after = {
        **_question_snapshot(question),
        "interventions": ", ".join(sorted(each.name for each in question.interventions.all())),
    }
    changes = {
        field: [before[field], after[field]] for field in after if before[field] != after[field]
    }
    if changes:
        audit_log(
            action="participant_question.changed",
            actor=actor,
            association=question.association,
            obj=question,
            changes=changes,
        )
    return question


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    """Remove a question nobody has answered; one with answers is turned off instead."""
    if question.answers.exists():
        raise ValidationError(
            _("Frågan har svar och kan inte tas bort. Markera den som inte använd i stället.")
        )
    audit_log(
        action="participant_question.deleted",
        actor=actor,
        association=question.association,
        obj=question,
        changes={"text": question.text},
    )
    question.delete()


# ---------------------------------------------------------------------------
# The förbund's rules


@transaction.atomic
def policy_update(
    *,
    actor: Any,
    association: Association,
    min_cell: int,
    retention_years: int | None,
    kansli_sees_rows: bool,
    recognise_persons: bool,
) -> Policy:
    """The förbund's rules for participant data: the minimum cell size of figures that
    leave an insats, how long rows are kept after exit, whether the kansli sees rows,
    and whether persons are recognised across insatser by a keyed hash."""
    policy = Policy.objects.select_for_update().get(pk=policy_for(association).pk)
    fields = ["min_cell", "retention_years", "kansli_sees_rows", "recognise_persons"]
    before = {field: getattr(policy, field) for field in fields}
    policy.min_cell = min_cell
    policy.retention_years = retention_years
    policy.kansli_sees_rows = bool(kansli_sees_rows)
    policy.recognise_persons = bool(recognise_persons)
    policy.full_clean(exclude=["association"])
    changes = {
        field: [before[field], getattr(policy, field)]
        for field in fields
        if before[field] != getattr(policy, field)
    }
    if changes:
        policy.save()
        audit_log(
            action="participant_policy.changed",
            actor=actor,
            association=association,
            obj=policy,
            changes=changes,
        )
    return policy
