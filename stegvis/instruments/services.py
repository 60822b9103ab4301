"""Writes of the instruments app: instruments and their questions (the kansli's),
which insatser use them, and the responses staff record per participant.

Each write is one transaction and one audit line. Answer values are never written to
the log: a response is logged with the participant's code, the instrument and the
date only (DOMAIN.md §9).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.instruments.models import (
    Instrument,
    InstrumentQuestion,
    InterventionInstrument,
    Response,
    ResponseAnswer,
)
from stegvis.interventions.models import Intervention
from stegvis.participants.models import Participant

INSTRUMENT_FIELDS = [
    "name",
    "kind",
    "description",
    "scale_min",
    "scale_max",
    "scale_min_label",
    "scale_max_label",
    "agree_from",
    "records_answers",
    "at_start",
    "first_after_months",
    "every_months",
    "at_exit",
    "coverage_target",
    "active",
]
# What cannot change once responses exist: old answers would no longer fit.
ANSWER_SHAPE = ("scale_min", "scale_max", "records_answers")
QUESTION_FIELDS = ["text", "short_label"]


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_instrument(instrument: Instrument) -> None:
    errors: dict[str, list[str]] = {}
    instrument.name = (instrument.name or "").strip()
    if not instrument.name:
        _add(errors, "name", _("Ange instrumentets namn."))
    elif (
        Instrument.objects.filter(association=instrument.association, name__iexact=instrument.name)
        .exclude(pk=instrument.pk)
        .exists()
    ):
        _add(errors, "name", _("Det finns redan ett instrument med det namnet."))
    if instrument.kind not in Instrument.Kind.values:
        _add(errors, "kind", _("Välj bedömning, screening, deltagarenkät eller samverkansenkät."))
    if instrument.is_collaboration:
        # Answered through the links of a survey round: always on a scale, and no
        # schedule, since it follows no participant.
        instrument.records_answers = True
        instrument.at_start = instrument.at_exit = False
        instrument.first_after_months = instrument.every_months = None
        instrument.coverage_target = None
    if instrument.records_answers:
        if instrument.scale_min is None:
            _add(errors, "scale_min", _("Ange skalans lägsta värde."))
        if instrument.scale_max is None:
            _add(errors, "scale_max", _("Ange skalans högsta värde."))
        low, high = instrument.scale_min, instrument.scale_max
        if low is not None and high is not None:
            if low >= high:
                _add(
                    errors, "scale_max", _("Skalans högsta värde måste vara större än det lägsta.")
                )
            elif high - low > 20:
                _add(errors, "scale_max", _("Skalan får ha högst 21 steg."))
            elif instrument.agree_from is not None and not low <= instrument.agree_from <= high:
                _add(
                    errors,
                    "agree_from",
                    _("”Instämmer från och med” måste ligga på skalan (%(low)s–%(high)s).")
                    % {"low": low, "high": high},
                )
    else:
        # Only that it was done, and when: no scale, nothing to agree with.
        instrument.scale_min = instrument.scale_max = instrument.agree_from = None
        instrument.scale_min_label = instrument.scale_max_label = ""
    if not instrument.is_collaboration and not (
        instrument.at_start
        or instrument.first_after_months
        or instrument.every_months
        or instrument.at_exit
    ):
        _add(
            errors,
            "at_start",
            _("Ange när instrumentet används: vid start, efter några månader eller vid avslut."),
        )
    if errors:
        raise ValidationError(errors)
    instrument.full_clean()


@transaction.atomic
def instrument_create(
    *,
    actor: Any,
    association: Association,
    name: str,
    kind: str,
    description: str = "",
    scale_min: int | None = None,
    scale_max: int | None = None,
    scale_min_label: str = "",
    scale_max_label: str = "",
    agree_from: int | None = None,
    records_answers: bool = True,
    at_start: bool = True,
    first_after_months: int | None = None,
    every_months: int | None = None,
    at_exit: bool = False,
    coverage_target: int | None = None,
) -> Instrument:
    """A new instrument of the förbund. The scale is required when answers are
    recorded; a screening that records only the date has none."""
    instrument = Instrument(
        association=association,
        name=name,
        kind=kind,
        description=description,
        scale_min=scale_min,
        scale_max=scale_max,
        scale_min_label=scale_min_label,
        scale_max_label=scale_max_label,
        agree_from=agree_from,
        records_answers=records_answers,
        at_start=at_start,
        first_after_months=first_after_months,
        every_months=every_months,
        at_exit=at_exit,
        coverage_target=coverage_target,
    )
    _check_instrument(instrument)
    instrument.save()
    audit_log(
        action="instrument.created",
        actor=actor,
        association=association,
        obj=instrument,
        changes=snapshot(instrument, INSTRUMENT_FIELDS),
    )
    return instrument


@transaction.atomic
def instrument_update(*, actor: Any, instrument: Instrument, **fields: Any) -> Instrument:
    """Change an instrument's definition. Once responses exist, the scale and whether
    answers are recorded stay as they are, so that earlier answers keep their meaning.
    An instrument in use (by an insats, with responses or in a survey round) does not
    move between participants and collaboration surveys."""
    unknown = set(fields) - set(INSTRUMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    before = snapshot(instrument, INSTRUMENT_FIELDS)
    was_collaboration = instrument.is_collaboration
    for name, value in fields.items():
        setattr(instrument, name, value)
    if was_collaboration != instrument.is_collaboration and (
        instrument.uses.exists()
        or instrument.responses.exists()
        or instrument.survey_rounds.exists()
    ):
        raise ValidationError(
            {
                "kind": [
                    _(
                        "Instrumentet används redan och kan inte byta mellan deltagare och "
                        "samverkansenkät. Skapa ett nytt instrument i stället."
                    )
                ]
            }
        )
    if instrument.responses.exists() or _has_survey_answers(instrument):
        changed = [name for name in ANSWER_SHAPE if getattr(instrument, name) != before[name]]
        if changed:
            raise ValidationError(
                {
                    name: [
                        _(
                            "Skalan och om svaren sparas kan inte ändras när det finns svar. "
                            "Skapa ett nytt instrument i stället."
                        )
                    ]
                    for name in changed
                }
            )
    _check_instrument(instrument)
    changes = diff(before, snapshot(instrument, INSTRUMENT_FIELDS))
    if not changes:
        return instrument
    instrument.save()
    audit_log(
        action="instrument.changed",
        actor=actor,
        association=instrument.association,
        obj=instrument,
        changes=changes,
    )
    return instrument


def _has_survey_answers(instrument: Instrument) -> bool:
    """Whether a collaboration survey's links have been answered with it."""
    return (
        instrument.is_collaboration
        and instrument.survey_rounds.filter(responses__isnull=False).exists()
    )


# ---------------------------------------------------------------------------
# Questions


def _check_question(question: InstrumentQuestion) -> None:
    question.text = (question.text or "").strip()
    question.short_label = (question.short_label or "").strip()
    if not question.text:
        raise ValidationError({"text": [_("Skriv frågan.")]})
    question.full_clean()


@transaction.atomic
def question_add(
    *, actor: Any, instrument: Instrument, text: str, short_label: str = ""
) -> InstrumentQuestion:
    """A question last in the instrument. An instrument that records no answers
    has no questions."""
    if not instrument.records_answers:
        raise ValidationError(
            {"text": [_("Instrumentet sparar inga svar och har därför inga frågor.")]}
        )
    last = instrument.questions.aggregate(last=Max("order"))["last"]
    question = InstrumentQuestion(
        association=instrument.association,
        instrument=instrument,
        order=0 if last is None else last + 1,
        text=text,
        short_label=short_label,
    )
    _check_question(question)
    question.save()
    audit_log(
        action="instrument.question_added",
        actor=actor,
        association=instrument.association,
        obj=instrument,
        changes=snapshot(question, QUESTION_FIELDS),
    )
    return question


@transaction.atomic
def question_update(
    *, actor: Any, question: InstrumentQuestion, text: str, short_label: str = ""
) -> InstrumentQuestion:
    before = snapshot(question, QUESTION_FIELDS)
    question.text, question.short_label = text, short_label
    _check_question(question)
    changes = diff(before, snapshot(question, QUESTION_FIELDS))
    if changes:
        question.save()
        audit_log(
            action="instrument.question_changed",
            actor=actor,
            association=question.association,
            obj=question.instrument,
            changes=changes,
        )
    return question


@transaction.atomic
def question_reorder(*, actor: Any, instrument: Instrument, order: Sequence[int]) -> None:
    """Put the instrument's questions in the order of `order` (question ids, all of them)."""
    questions = {question.pk: question for question in instrument.questions.all()}
    if sorted(order) != sorted(questions):
        raise ValidationError(_("Ordningen ska ta upp var och en av instrumentets frågor en gång."))
    for position, pk in enumerate(order):
        if questions[pk].order != position:
            questions[pk].order = position
            questions[pk].save(update_fields=["order"])
    audit_log(
        action="instrument.questions_reordered",
        actor=actor,
        association=instrument.association,
        obj=instrument,
        changes={"order": list(order)},
    )


def question_move(*, actor: Any, question: InstrumentQuestion, step: int) -> None:
    """Move a question one place up (step −1) or down (+1)."""
    ids = list(question.instrument.questions.values_list("pk", flat=True))
    index = ids.index(question.pk)
    target = index + (1 if step > 0 else -1)
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        question_reorder(actor=actor, instrument=question.instrument, order=ids)


@transaction.atomic
def question_delete(*, actor: Any, question: InstrumentQuestion) -> None:
    """Remove a question that has no answers; one with answers stays, so that the
    answers keep their question."""
    if question.answers.exists() or question.survey_answers.exists():
        raise ValidationError(
            _(
                "Frågan har svar och kan inte tas bort. Ändra texten eller skapa ett nytt instrument."
            )
        )
    instrument = question.instrument
    text = question.text
    question.delete()
    audit_log(
        action="instrument.question_deleted",
        actor=actor,
        association=instrument.association,
        obj=instrument,
        changes={"text": text},
    )


# ---------------------------------------------------------------------------
# Which insatser use an instrument


@transaction.atomic
def instrument_attach(
    *, actor: Any, instrument: Instrument, intervention: Intervention
) -> InterventionInstrument:
    """Let an insats use the instrument: it appears on the insats's due list.
    Attaching again changes nothing."""
    if intervention.association_id != instrument.association_id:
        raise ValidationError({"intervention": [_("Välj en insats i förbundet.")]})
    if instrument.is_collaboration:
        raise ValidationError(
            {
                "intervention": [
                    _(
                        "En samverkansenkät besvaras genom länkar i en enkätomgång och "
                        "används inte i insatsernas uppföljning av deltagare."
                    )
                ]
            }
        )
    use, created = InterventionInstrument.objects.get_or_create(
        association=instrument.association, intervention=intervention, instrument=instrument
    )
    if created:
        audit_log(
            action="instrument.attached",
            actor=actor,
            association=instrument.association,
            obj=instrument,
            changes={"intervention": intervention.name},
        )
    return use


@transaction.atomic
def instrument_detach(*, actor: Any, instrument: Instrument, intervention: Intervention) -> None:
    """The insats stops using the instrument; responses already recorded stay."""
    deleted, _count = InterventionInstrument.objects.filter(
        intervention=intervention, instrument=instrument
    ).delete()
    if deleted:
        audit_log(
            action="instrument.detached",
            actor=actor,
            association=instrument.association,
            obj=instrument,
            changes={"intervention": intervention.name},
        )


# ---------------------------------------------------------------------------
# Responses


def _check_response(
    participant: Participant,
    instrument: Instrument,
    date: datetime.date | None,
    occasion: str,
    answers: Mapping[int, int | None],
) -> dict[int, int]:
    """The answers to store, by question id, or a ValidationError naming each problem."""
    errors: dict[str, list[str]] = {}
    if instrument.association_id != participant.association_id:
        _add(errors, "instrument", _("Välj ett av förbundets instrument."))
    elif not InterventionInstrument.objects.filter(
        intervention_id=participant.intervention_id, instrument=instrument
    ).exists():
        _add(errors, "instrument", _("Insatsen använder inte det här instrumentet."))
    if date is None:
        _add(errors, "date", _("Ange datum."))
    elif date < participant.start:
        _add(
            errors,
            "date",
            _("Datumet kan inte vara före deltagarens start (%(start)s).")
            % {"start": participant.start.isoformat()},
        )
    elif date > timezone.localdate():
        _add(errors, "date", _("Datumet kan inte vara i framtiden."))
    elif participant.exit is not None and date > participant.exit and occasion != "exit":
        _add(errors, "date", _("Deltagaren har avslutats; bara svar vid avslut kan komma efter."))
    if occasion not in Response.Occasion.values:
        _add(errors, "occasion", _("Välj tillfälle."))
    elif occasion == Response.Occasion.EXIT and participant.exit is None:
        _add(errors, "occasion", _("Deltagaren har inte avslutats ännu."))
    stored: dict[int, int] = {}
    if instrument.records_answers:
        scale = instrument.scale
        for question in instrument.questions.all():
            value = answers.get(question.pk)
            field = f"question_{question.pk}"
            if value is None:
                _add(errors, field, _("Svara på frågan."))
            elif value not in scale:
                _add(
                    errors,
                    field,
                    _("Svaret ska vara ett tal från %(low)s till %(high)s.")
                    % {"low": instrument.scale_min, "high": instrument.scale_max},
                )
            else:
                stored[question.pk] = value
        extra = set(answers) - {question.pk for question in instrument.questions.all()}
        if extra:
            _add(errors, "__all__", _("Svaret gäller en fråga som inte hör till instrumentet."))
    if (
        date is not None
        and Response.objects.filter(
            participant=participant, instrument=instrument, date=date
        ).exists()
    ):
        _add(errors, "date", _("Det finns redan ett svar för det här instrumentet det datumet."))
    if errors:
        raise ValidationError(errors)
    return stored


@transaction.atomic
def response_record(
    *,
    actor: Any,
    participant: Participant,
    instrument: Instrument,
    date: datetime.date | None,
    occasion: str,
    answers: Mapping[int, int | None] | None = None,
) -> Response:
    """Record that the instrument was used with the participant on `date`.

    Each question is answered on the instrument's scale when answers are recorded; a
    screening that records no answers stores only the date and the occasion (its
    answers stay in the member's own records), so answers given to it are dropped.
    The date is not before the participant's start and not in the future."""
    stored = _check_response(participant, instrument, date, occasion, answers or {})
    assert date is not None
    response = Response.objects.create(
        association=participant.association,
        participant=participant,
        instrument=instrument,
        date=date,
        occasion=occasion,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ResponseAnswer.objects.bulk_create(
        ResponseAnswer(
            association=participant.association,
            response=response,
            question_id=question_id,
            value=value,
        )
        for question_id, value in stored.items()
    )
    audit_log(
        action="participant.response_recorded",
        actor=actor,
        association=participant.association,
        obj=participant,
        object_repr=participant.code,
        changes={
            "instrument": instrument.name,
            "date": date,
            "occasion": occasion,
            "answers": len(stored),
        },
    )
    return response


@transaction.atomic
def response_delete(*, actor: Any, response: Response) -> None:
    """Remove a response recorded by mistake, with its answers."""
    participant = response.participant
    changes = {
        "instrument": response.instrument.name,
        "date": response.date,
        "occasion": response.occasion,
    }
    response.delete()
    audit_log(
        action="participant.response_deleted",
        actor=actor,
        association=participant.association,
        obj=participant,
        object_repr=participant.code,
        changes=changes,
    )
