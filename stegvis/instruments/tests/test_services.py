"""The rules of instruments and responses: the scale, every question answered, a
screening that keeps no answers, dates within the participation, questions with
answers kept, the defaults made once — and no answer value in the audit log."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.instruments import services
from stegvis.instruments.defaults import attach_defaults, install_defaults
from stegvis.instruments.models import Instrument, InterventionInstrument, Response, ResponseAnswer
from stegvis.instruments.tests.factories import participant, setup

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def data(world: World) -> Any:
    with scopes_disabled():
        yield setup(world)


def errors(excinfo: Any) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def answers(instrument: Instrument, value: int = 3) -> dict[int, int | None]:
    return {question.pk: value for question in instrument.questions.all()}


def test_defaults_are_made_once_and_keep_the_forbunds_changes(world: World) -> None:
    with scopes_disabled():
        first = install_defaults(association=world.other)
        services.instrument_update(actor=None, instrument=first[0], description="Vår egen text")
        again = install_defaults(association=world.other)
        assert [i.pk for i in again] == [i.pk for i in first]
        assert Instrument.objects.filter(association=world.other).count() == 3
        assert Instrument.objects.get(pk=first[0].pk).description == "Vår egen text"
        assessment, screening, survey = first
        assert (assessment.scale_min, assessment.scale_max, assessment.every_months) == (1, 10, 3)
        assert 8 <= assessment.questions.count() <= 10
        assert (screening.records_answers, screening.coverage_target) == (False, 90)
        assert screening.questions.count() == 0
        assert (survey.scale_max, survey.agree_from, survey.first_after_months) == (5, 4, 3)
        assert survey.at_exit and not survey.at_start
        assert InterventionInstrument.objects.filter(instrument__in=first).count() == 0


def test_attach_defaults_twice_attaches_once(world: World, data: Any) -> None:
    attach_defaults(intervention=data.insats)
    assert InterventionInstrument.objects.filter(intervention=data.insats).count() == 3


def test_response_with_every_question_on_the_scale_is_stored(data: Any) -> None:
    response = services.response_record(
        actor=None,
        participant=data.participant,
        instrument=data.assessment,
        date=D(2024, 3, 1),
        occasion="start",
        answers=answers(data.assessment, 10),
    )
    assert sorted(response.answers.values_list("value", flat=True)) == [10] * 9


@pytest.mark.parametrize("value", [0, 11, -1])
def test_answer_off_the_scale_is_refused(data: Any, value: int) -> None:
    given = answers(data.assessment)
    question = data.assessment.questions.first()
    given[question.pk] = value
    with pytest.raises(ValidationError) as excinfo:
        services.response_record(
            actor=None,
            participant=data.participant,
            instrument=data.assessment,
            date=D(2024, 3, 1),
            occasion="start",
            answers=given,
        )
    assert errors(excinfo) == {
        f"question_{question.pk}": ["Svaret ska vara ett tal från 1 till 10."]
    }
    assert not Response.objects.exists()


def test_every_question_must_be_answered(data: Any) -> None:
    given = answers(data.survey)
    question = data.survey.questions.last()
    del given[question.pk]
    with pytest.raises(ValidationError) as excinfo:
        services.response_record(
            actor=None,
            participant=data.participant,
            instrument=data.survey,
            date=D(2024, 6, 1),
            occasion="follow_up",
            answers=given,
        )
    assert errors(excinfo) == {f"question_{question.pk}": ["Svara på frågan."]}


def test_screening_stores_only_that_it_was_done(data: Any) -> None:
    response = services.response_record(
        actor=None,
        participant=data.participant,
        instrument=data.screening,
        date=D(2024, 3, 1),
        occasion="start",
        answers={123: 1},
    )
    assert response.answers.count() == 0
    assert ResponseAnswer.objects.count() == 0


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2024, 2, 29), "Datumet kan inte vara före deltagarens start (2024-03-01)."),
        (None, "Ange datum."),
    ],
)
def test_date_within_the_participation(data: Any, day: Any, message: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.response_record(
            actor=None,
            participant=data.participant,
            instrument=data.screening,
            date=day,
            occasion="start",
        )
    assert errors(excinfo) == {"date": [message]}


def test_date_in_the_future_is_refused(data: Any) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.response_record(
            actor=None,
            participant=data.participant,
            instrument=data.screening,
            date=tomorrow,
            occasion="follow_up",
        )
    assert errors(excinfo) == {"date": ["Datumet kan inte vara i framtiden."]}


def test_exit_occasion_needs_an_exit_and_the_instrument_its_insats(data: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.response_record(
            actor=None,
            participant=data.neighbour_participant,
            instrument=data.screening,
            date=D(2024, 3, 2),
            occasion="exit",
        )
    assert errors(excinfo) == {
        "instrument": ["Insatsen använder inte det här instrumentet."],
        "occasion": ["Deltagaren har inte avslutats ännu."],
    }


def test_two_responses_the_same_day_are_refused(data: Any) -> None:
    kwargs: dict[str, Any] = {
        "actor": None,
        "participant": data.participant,
        "instrument": data.screening,
        "date": D(2024, 3, 4),
        "occasion": "start",
    }
    services.response_record(**kwargs)
    with pytest.raises(ValidationError) as excinfo:
        services.response_record(**kwargs)
    assert list(errors(excinfo)) == ["date"]


def test_audit_log_has_code_instrument_and_date_but_no_answers(world: World, data: Any) -> None:
    response = services.response_record(
        actor=world.users["participant_registrar"],
        participant=data.participant,
        instrument=data.survey,
        date=D(2024, 6, 3),
        occasion="follow_up",
        answers=answers(data.survey, 2),
    )
    services.response_delete(actor=world.users["participant_registrar"], response=response)
    entries = AuditEntry.objects.filter(action__startswith="participant.response").order_by("pk")
    assert [e.action for e in entries] == [
        "participant.response_recorded",
        "participant.response_deleted",
    ]
    recorded = entries[0]
    assert recorded.object_repr == "INS-1"
    assert recorded.changes == {
        "instrument": data.survey.name,
        "date": "2024-06-03",
        "occasion": "follow_up",
        "answers": 5,
    }
    assert not Response.objects.exists()


def test_question_with_answers_is_kept(data: Any) -> None:
    services.response_record(
        actor=None,
        participant=data.participant,
        instrument=data.assessment,
        date=D(2024, 3, 1),
        occasion="start",
        answers=answers(data.assessment),
    )
    question = data.assessment.questions.first()
    with pytest.raises(ValidationError) as excinfo:
        services.question_delete(actor=None, question=question)
    assert "har svar" in excinfo.value.messages[0]
    unanswered = services.question_add(actor=None, instrument=data.assessment, text="Ny fråga?")
    services.question_delete(actor=None, question=unanswered)
    assert data.assessment.questions.count() == 9


def test_scale_is_fixed_once_there_are_responses(data: Any) -> None:
    services.instrument_update(actor=None, instrument=data.assessment, scale_max=7, agree_from=5)
    services.response_record(
        actor=None,
        participant=data.participant,
        instrument=data.assessment,
        date=D(2024, 3, 1),
        occasion="start",
        answers=answers(data.assessment, 7),
    )
    with pytest.raises(ValidationError) as excinfo:
        services.instrument_update(actor=None, instrument=data.assessment, scale_max=10)
    assert list(errors(excinfo)) == ["scale_max"]
    services.instrument_update(actor=None, instrument=data.assessment, name="BIP-stegen")
    assert Instrument.objects.get(pk=data.assessment.pk).name == "BIP-stegen"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"scale_min": 5, "scale_max": 5}, "scale_max"),
        ({"scale_min": None}, "scale_min"),
        ({"agree_from": 11}, "agree_from"),
        ({"name": "  "}, "name"),
        ({"name": "deltagarenkät"}, "name"),
        ({"at_start": False, "every_months": None}, "at_start"),
    ],
)
def test_instrument_definition_rules(data: Any, fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.instrument_update(actor=None, instrument=data.assessment, **fields)
    assert field in errors(excinfo)


def test_questions_reorder(data: Any) -> None:
    ids = list(data.survey.questions.values_list("pk", flat=True))
    services.question_reorder(actor=None, instrument=data.survey, order=list(reversed(ids)))
    assert list(data.survey.questions.values_list("pk", flat=True)) == list(reversed(ids))
    last = data.survey.questions.last()
    services.question_move(actor=None, question=last, step=-1)
    assert list(data.survey.questions.values_list("pk", flat=True))[-2] == last.pk
    with pytest.raises(ValidationError):
        services.question_reorder(actor=None, instrument=data.survey, order=ids[:2])


def test_detach_keeps_responses_and_attach_refuses_another_forbunds_insats(data: Any) -> None:
    services.response_record(
        actor=None,
        participant=data.participant,
        instrument=data.screening,
        date=D(2024, 3, 1),
        occasion="start",
    )
    services.instrument_detach(actor=None, instrument=data.screening, intervention=data.insats)
    assert Response.objects.count() == 1
    with pytest.raises(ValidationError):
        services.instrument_attach(
            actor=None, instrument=data.screening, intervention=data.other_insats
        )


def test_exited_participant_gets_only_exit_responses_after_exit(data: Any) -> None:
    left = participant(data.insats, "INS-30", D(2024, 1, 8), exit=D(2024, 6, 3), outcome="flytt")
    with pytest.raises(ValidationError) as excinfo:
        services.response_record(
            actor=None,
            participant=left,
            instrument=data.screening,
            date=D(2024, 6, 10),
            occasion="follow_up",
        )
    assert list(errors(excinfo)) == ["date"]
    services.response_record(
        actor=None,
        participant=left,
        instrument=data.survey,
        date=D(2024, 6, 10),
        occasion="exit",
        answers=answers(data.survey, 5),
    )
