"""The rules of registering and following up participants (DOMAIN.md §4, the
participant file's rules in spec/participant-file.md), and what the audit log keeps."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.participants import selectors, services
from stegvis.participants.access import policy_for
from stegvis.participants.models import AnonymousCount, Answer, Participant, Question
from stegvis.participants.tests.factories import FollowUp, ParticipantFactory, follow_up

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)
PERSONAL_NUMBER = "19121212-1212"  # a well-known test number (valid check digit)


@pytest.fixture
def data(world: World) -> Any:
    follow = follow_up(world)
    with scope(association=world.own):
        yield follow


def create(data: FollowUp, **values: Any) -> Participant:
    fields: dict[str, Any] = {
        "code": "ST-001",
        "gender": "kvinna",
        "birth_year": 1990,
        "start": datetime.date(2025, 1, 10),
        "today": TODAY,
    }
    fields.update(values)
    return services.participant_create(actor=None, intervention=data.insats, **fields)


def errors(info: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return info.value.message_dict


def test_participant_is_registered_and_the_log_holds_code_and_field_names_only(
    data: FollowUp, world: World
) -> None:
    participant = create(
        data,
        municipality=data.kommun,
        support_at_start=["sjukpenning", "ekonomiskt bistånd", "sjukpenning"],
        employment_at_start="ingen sysselsättning",
        months_without_work=14,
    )
    assert participant.support_at_start == ["sjukpenning", "ekonomiskt bistånd"]
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="participant.created")
    assert entry.changes["code"] == "ST-001"
    assert "municipality" in entry.changes["fields"]
    assert "months_without_work" in entry.changes["fields"]
    logged = str(entry.changes)
    assert "14" not in logged and "1990" not in logged and "sjukpenning" not in logged


@pytest.mark.parametrize(
    "code", ["121212-1212", "19121212-1212", "1212121212", "191212121212", "121212+1212"]
)
def test_code_shaped_like_a_personal_number_is_refused_without_repeating_it(
    data: FollowUp, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        create(data, code=code)
    message = " ".join(errors(info)["code"])
    assert "personnummer" in message
    assert code not in message and "1212" not in message
    assert not Participant.objects.exists()


@pytest.mark.parametrize("code", ["", "ÅSA-1", "a b", "x" * 41, "ST/1"])
def test_code_must_be_the_insats_own_short_code(data: FollowUp, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        create(data, code=code)
    assert "code" in errors(info)


def test_code_is_unique_in_the_insats_but_not_across_insatser(data: FollowUp) -> None:
    create(data)
    with pytest.raises(ValidationError) as info:
        create(data)
    assert errors(info)["code"] == ["Insatsen har redan en deltagare med den koden."]
    services.participant_create(
        actor=None,
        intervention=data.neighbour,
        code="ST-001",
        gender="man",
        birth_year=1990,
        start=datetime.date(2025, 1, 10),
    )


@pytest.mark.parametrize(
    ("birth_year", "ok"), [(2010, True), (2011, False), (1955, True), (1954, False)]
)
def test_birth_year_makes_the_person_15_to_70_at_start(
    data: FollowUp, birth_year: int, ok: bool
) -> None:
    if ok:
        create(data, birth_year=birth_year)
        return
    with pytest.raises(ValidationError) as info:
        create(data, birth_year=birth_year)
    assert "15–70 år" in errors(info)["birth_year"][0]


def test_kommun_is_a_municipality_member_of_the_forbund(data: FollowUp, world: World) -> None:
    with pytest.raises(ValidationError) as info:
        create(data, municipality=data.region)
    assert errors(info)["municipality"] == ["Välj en kommun som är medlem i förbundet."]
    with pytest.raises(ValidationError) as info:
        create(data, handover_to=world.other_member, referring_member=world.other_member)
    assert errors(info)["handover_to"] == ["Välj en medlem i förbundet."]
    assert errors(info)["referring_member"] == ["Välj en medlem i förbundet."]


def test_referrer_is_a_member_or_self_referral_not_both(data: FollowUp) -> None:
    create(data, referrer_other="egen anmälan")
    with pytest.raises(ValidationError) as info:
        create(data, code="ST-002", referring_member=data.region, referrer_other="annan")
    assert "referrer_other" in errors(info)


def test_exit_is_not_before_start_nor_in_the_future_and_needs_an_outcome(
    data: FollowUp,
) -> None:
    with pytest.raises(ValidationError) as info:
        create(data, exit=datetime.date(2025, 1, 9), outcome="arbete")
    assert errors(info)["exit"] == ["Slutdatum kan inte vara före startdatum."]
    with pytest.raises(ValidationError) as info:
        create(data, exit=TODAY + datetime.timedelta(days=1), outcome="arbete")
    assert errors(info)["exit"] == ["Slutdatum kan inte vara i framtiden."]
    with pytest.raises(ValidationError) as info:
        create(data, exit=TODAY)
    assert "outcome" in errors(info)
    with pytest.raises(ValidationError) as info:
        create(data, outcome="arbete")
    assert errors(info)["exit"] == ["Ange slutdatum när avslutsorsak är angiven."]


def test_exit_records_outcome_and_step_progress(data: FollowUp) -> None:
    participant = create(data, support_at_start=["sjukpenning"])
    participant = services.participant_exit(
        actor=None,
        participant=participant,
        on=datetime.date(2025, 5, 31),
        outcome="studier",
        support_at_exit=["studiemedel"],
        employment_at_exit="studier",
        handover_to=data.kommun,
        today=TODAY,
    )
    participant.refresh_from_db()
    assert participant.exit == datetime.date(2025, 5, 31)
    assert participant.step_progress
    assert participant.support_at_exit == ["studiemedel"]
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="participant.exited")
    assert set(entry.changes["fields"]) == {
        "exit",
        "outcome",
        "support_at_exit",
        "employment_at_exit",
        "handover_to",
    }


def test_exit_date_errors_are_on_the_exit_forms_date_field(data: FollowUp) -> None:
    participant = create(data)
    with pytest.raises(ValidationError) as info:
        services.participant_exit(
            actor=None,
            participant=participant,
            on=datetime.date(2024, 12, 1),
            outcome="avbrott",
            today=TODAY,
        )
    assert errors(info)["on"] == ["Slutdatum kan inte vara före startdatum."]


def test_update_logs_the_names_of_changed_fields(data: FollowUp) -> None:
    participant = create(data)
    services.participant_update(
        actor=None, participant=participant, birth_year=1991, education="gymnasial", today=TODAY
    )
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="participant.changed")
    assert entry.changes == {"code": "ST-001", "fields": ["birth_year", "education"]}
    services.participant_update(actor=None, participant=participant, birth_year=1991, today=TODAY)
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="participant.changed").count() == 1


def test_personal_number_is_refused_unless_the_forbund_recognises_persons(
    data: FollowUp,
) -> None:
    with pytest.raises(ValidationError) as info:
        create(data, personal_number=PERSONAL_NUMBER)
    assert "personal_number" in errors(info)
    assert "1212" not in str(errors(info))


def test_only_a_keyed_hash_of_the_personal_number_is_kept_anywhere(
    data: FollowUp, world: World
) -> None:
    policy = policy_for(world.own)
    policy.recognise_persons = True
    policy.save()
    participant = create(data, personal_number=PERSONAL_NUMBER)
    assert len(participant.person_key) == 64
    services.participant_update(
        actor=None, participant=participant, personal_number="121212-1212", today=TODAY
    )
    dump = io.StringIO()
    with scopes_disabled():
        call_command("dumpdata", stdout=dump)
    everything = dump.getvalue()
    for shape in ("1212121212", "121212-1212", "19121212"):
        assert shape not in everything


def test_invalid_personal_number_is_refused_without_repeating_it(
    data: FollowUp, world: World
) -> None:
    policy = policy_for(world.own)
    policy.recognise_persons = True
    policy.save()
    with pytest.raises(ValidationError) as info:
        create(data, personal_number="19121212-1213")
    assert "1213" not in str(errors(info))
    assert "personal_number" in errors(info)


def test_unique_individuals_counts_a_recognised_person_once(data: FollowUp, world: World) -> None:
    policy = policy_for(world.own)
    policy.recognise_persons = True
    policy.save()
    create(data, personal_number=PERSONAL_NUMBER)
    services.participant_create(
        actor=None,
        intervention=data.neighbour,
        code="GR-1",
        gender="kvinna",
        birth_year=1990,
        start=datetime.date(2025, 3, 1),
        personal_number="121212-1212",
    )
    create(data, code="ST-002")  # without a number: a person of their own
    ParticipantFactory(
        intervention=data.insats,
        code="OLD",
        start=datetime.date(2023, 1, 1),
        exit=datetime.date(2024, 12, 31),
        outcome="arbete",
    )
    assert selectors.unique_individuals(association=world.own, year=2025) == 2
    assert selectors.unique_individuals(association=world.own, year=2024) == 1


def test_anonymous_counts_are_set_changed_and_removed(data: FollowUp) -> None:
    services.anonymous_count_set(
        actor=None, intervention=data.insats, year=2025, gender="kvinna", count=3
    )
    services.anonymous_count_set(
        actor=None, intervention=data.insats, year=2025, gender="kvinna", count=4
    )
    assert AnonymousCount.objects.get().count == 4
    services.anonymous_count_set(
        actor=None, intervention=data.insats, year=2025, gender="kvinna", count=0
    )
    assert not AnonymousCount.objects.exists()
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="anonymous_count.set").count() == 3
    with pytest.raises(ValidationError):
        services.anonymous_count_set(
            actor=None, intervention=data.insats, year=2025, gender="okänt", count=1
        )


def test_answers_to_kompletterande_fragor_are_checked_by_type(data: FollowUp, world: World) -> None:
    yes_no = services.question_create(
        actor=None, association=world.own, text="Har du körkort?", answer_type="yes_no"
    )
    choice = services.question_create(
        actor=None,
        association=world.own,
        text="Boende",
        answer_type="choice",
        choices="Eget\nAndrahand\n",
    )
    with pytest.raises(ValidationError) as info:
        create(data, answers={yes_no: "kanske", choice: "Eget"})
    assert errors(info) == {services.question_field(yes_no): ["Svara ja eller nej."]}
    participant = create(data, answers={yes_no: "JA", choice: "andrahand"})
    values = dict(Answer.objects.filter(participant=participant).values_list("question", "value"))
    assert values == {yes_no.pk: "ja", choice.pk: "Andrahand"}
    assert selectors.current_answers(participant=participant, occasion="start") == values


def test_question_with_answers_keeps_its_type_and_is_not_deleted(
    data: FollowUp, world: World
) -> None:
    question = services.question_create(
        actor=None, association=world.own, text="Antal barn", answer_type="number"
    )
    participant = create(data)
    services.answer_set(
        actor=None,
        participant=participant,
        question=question,
        occasion=Question.Occasion.START,
        date=participant.start,
        value="2",
    )
    with pytest.raises(ValidationError) as info:
        services.question_update(actor=None, question=question, answer_type="text")
    assert "answer_type" in errors(info)
    with pytest.raises(ValidationError):
        services.question_delete(actor=None, question=question)
    services.question_update(actor=None, question=question, active=False)
    question.refresh_from_db()
    assert not question.active
    assert services.questions_for(intervention=data.insats, occasion="start") == []


def test_choice_question_needs_two_alternatives(world: World) -> None:
    with scope(association=world.own), pytest.raises(ValidationError) as info:
        services.question_create(
            actor=None, association=world.own, text="Boende", answer_type="choice", choices="Eget"
        )
    assert "choices" in errors(info)


def test_question_limited_to_insatser_is_asked_only_there(data: FollowUp, world: World) -> None:
    question = services.question_create(
        actor=None, association=world.own, text="Fråga", interventions=[data.neighbour]
    )
    assert services.questions_for(intervention=data.insats, occasion="start") == []
    assert services.questions_for(intervention=data.neighbour, occasion="start") == [question]


def test_policy_update_is_checked_and_logged(world: World) -> None:
    with scope(association=world.own):
        services.policy_update(
            actor=None,
            association=world.own,
            min_cell=3,
            retention_years=5,
            kansli_sees_rows=True,
            recognise_persons=False,
        )
        with pytest.raises(ValidationError) as info:
            services.policy_update(
                actor=None,
                association=world.own,
                min_cell=1,
                retention_years=None,
                kansli_sees_rows=False,
                recognise_persons=False,
            )
        assert "min_cell" in errors(info)
        assert policy_for(world.own).min_cell == 3
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="participant_policy.changed")
    assert entry.changes["min_cell"] == [5, 3]


def test_delete_removes_the_participant_and_logs_the_code(data: FollowUp) -> None:
    participant = create(data)
    services.participant_delete(actor=None, participant=participant)
    assert not Participant.objects.exists()
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="participant.deleted")
    assert entry.changes["code"] == "ST-001"
