"""Kompletterande frågor: the förbund's own questions (create, change, remove) and the
answers to them at start, at exit and at follow-ups, each answer checked against the
question's answer type and stored one per occasion (one per date at a follow-up)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log
from stegvis.interventions.models import Intervention
from stegvis.participants.models import Answer, Participant, Question
from stegvis.participants.services.rules import Errors, _add, _raise, looks_like_personal_number


def question_field(question: Question | int) -> str:
    """The form field (and error key) of a kompletterande fråga."""
    return f"question_{question if isinstance(question, int) else question.pk}"


# ---------------------------------------------------------------------------
# The questions


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
# Answers


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
