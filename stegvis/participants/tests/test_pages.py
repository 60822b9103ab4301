"""The Deltagare pages as a deltagaransvarig, the kansli and the board use them: the
insats boundary, reads written to the audit log, forms with their messages on the
fields, and a personnummer that never comes back."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.participants import services
from stegvis.participants.access import policy_for
from stegvis.participants.models import AnonymousCount, Answer, Participant, Question
from stegvis.participants.tests.factories import FollowUp, ParticipantFactory, follow_up

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(NBSP, " ")


def url(world: World, rest: str = "") -> str:
    return f"/f/{world.own.slug}/deltagare/{rest}"


@pytest.fixture
def data(world: World) -> FollowUp:
    follow = follow_up(world)
    with scopes_disabled():
        ParticipantFactory(intervention=follow.insats, code="ST-001", gender="kvinna")
        ParticipantFactory(intervention=follow.insats, code="ST-002", gender="man")
        ParticipantFactory(
            intervention=follow.insats,
            code="ST-003",
            gender="man",
            exit=datetime.date(2024, 9, 30),
            outcome="arbete",
        )
        ParticipantFactory(intervention=follow.neighbour, code="GR-001")
    return follow


def participant(code: str) -> Participant:
    with scopes_disabled():
        return Participant.objects.get(code=code)


def reads(action: str) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=action, kind=AuditEntry.Kind.READ))


def set_policy(world: World, **values: Any) -> None:
    with scope(association=world.own):
        policy = policy_for(world.own)
        for field, value in values.items():
            setattr(policy, field, value)
        policy.save()


def test_registrar_finds_their_insats_on_the_start_page(
    data: FollowUp, world: World, client_as: Any
) -> None:
    response = client_as("participant_registrar").get(url(world))
    assert response.status_code == 200
    page = text(response)
    assert "Dina insatser" in page
    assert "Stegen" in page and "Grannen" not in page
    assert "2 aktiva deltagare, 1 kvinna, 1 man" in page
    assert 'aria-current="page">Deltagare</a>' in response.content.decode()


def test_reader_sees_the_report_link_but_no_rows(
    data: FollowUp, world: World, client_as: Any
) -> None:
    response = client_as("reader").get(url(world))
    assert response.status_code == 200
    page = text(response)
    assert "Visa deltagarrapporten" in page
    assert "Stegen" not in page and "ST-001" not in page


def test_insats_list_shows_a_summary_and_is_logged_as_a_read(
    data: FollowUp, world: World, client_as: Any
) -> None:
    response = client_as("participant_registrar").get(url(world, f"insats/{data.insats.pk}/"))
    assert response.status_code == 200
    page = text(response)
    assert "2 aktiva deltagare, 1 kvinna, 1 man" in page
    assert "ST-001" in page and "ST-003" not in page
    [entry] = reads("participants.list_viewed")
    assert entry.changes["rows"] == 2
    assert entry.actor == world.users["participant_registrar"]

    exited = client_as("participant_registrar").get(
        url(world, f"insats/{data.insats.pk}/"), {"status": "exited"}
    )
    page = text(exited)
    assert "1 avslutad deltagare, 0 kvinnor, 1 man" in page
    assert "ST-003" in page and "Arbete" in page and "ST-001" not in page


@pytest.mark.parametrize(
    "rest",
    ["", "andra/", "avsluta/", "svar/", "ta-bort/"],
)
def test_registrar_of_one_insats_gets_404_for_a_participant_of_another(
    data: FollowUp, world: World, client_as: Any, rest: str
) -> None:
    neighbour = participant("GR-001")
    response = client_as("participant_registrar").get(url(world, f"{neighbour.pk}/{rest}"))
    assert response.status_code == 404


@pytest.mark.parametrize("rest", ["", "ny/", "anonyma/"])
def test_registrar_gets_404_for_another_insats(
    data: FollowUp, world: World, client_as: Any, rest: str
) -> None:
    response = client_as("participant_registrar").get(
        url(world, f"insats/{data.neighbour.pk}/{rest}")
    )
    assert response.status_code == 404


def test_kansli_sees_rows_only_when_the_forbund_turns_it_on_and_never_registers(
    data: FollowUp, world: World, client_as: Any
) -> None:
    chief = client_as("chief")
    one = participant("GR-001")
    assert chief.get(url(world, f"{one.pk}/")).status_code == 404
    set_policy(world, kansli_sees_rows=True)
    assert chief.get(url(world, f"insats/{data.neighbour.pk}/")).status_code == 200
    assert chief.get(url(world, f"{one.pk}/")).status_code == 200
    assert chief.get(url(world, f"{one.pk}/andra/")).status_code == 403
    assert chief.get(url(world, f"insats/{data.neighbour.pk}/ny/")).status_code == 404
    assert len(reads("participant.viewed")) == 1


def test_registrar_registers_a_participant(data: FollowUp, world: World, client_as: Any) -> None:
    client = client_as("participant_registrar")
    create = url(world, f"insats/{data.insats.pk}/ny/")
    page = client.get(create).content.decode()
    assert 'type="date"' in page
    assert 'name="personal_number"' not in page  # the förbund does not recognise persons
    response = client.post(
        create,
        {
            "code": "ST-010",
            "gender": "ej angivet",
            "birth_year": "1988",
            "municipality": data.kommun.pk,
            "referrer": f"m{data.region.pk}",
            "start": "2025-02-03",
            "support_at_start": ["sjukpenning", "lön"],
            "employment_at_start": "arbete",
        },
    )
    new = participant("ST-010")
    assert response.status_code == 302
    assert response["Location"] == url(world, f"{new.pk}/")
    assert new.referring_member == data.region
    assert new.support_at_start == ["sjukpenning", "lön"]
    detail = client.get(response["Location"])
    page = text(detail)
    assert "Deltagare ST-010" in page and "Sjukpenning, Lön" in page and "Region Egen" in page
    assert reads("participant.viewed")[0].changes["code"] == "ST-010"


def test_form_errors_are_shown_on_their_fields(
    data: FollowUp, world: World, client_as: Any
) -> None:
    response = client_as("participant_registrar").post(
        url(world, f"insats/{data.insats.pk}/ny/"),
        {"code": "ST-001", "gender": "kvinna", "birth_year": "2015", "start": "2025-02-03"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    code_error = re.search(r'id="id_code_error">(.*?)</ul>', html, re.S)
    assert code_error and "redan en deltagare med den koden" in code_error.group(1)
    year_error = re.search(r'id="id_birth_year_error">(.*?)</ul>', html, re.S)
    assert year_error and "15–70 år" in year_error.group(1)


def test_personal_number_is_never_shown_again_nor_stored(
    data: FollowUp, world: World, client_as: Any
) -> None:
    set_policy(world, recognise_persons=True)
    client = client_as("participant_registrar")
    create = url(world, f"insats/{data.insats.pk}/ny/")
    form = client.get(create).content.decode()
    field = re.search(r'<input[^>]*name="personal_number"[^>]*>', form)
    assert field and 'type="password"' in field.group(0)
    assert 'autocomplete="off"' in field.group(0)
    # An error elsewhere on the form: the number is not put back in the page.
    response = client.post(
        create,
        {
            "code": "",
            "personal_number": "19121212-1212",
            "gender": "kvinna",
            "birth_year": "1990",
            "start": "2025-02-03",
        },
    )
    assert response.status_code == 200
    assert "1212" not in response.content.decode()
    # An invalid number: refused without repeating it.
    response = client.post(
        create,
        {
            "code": "ST-011",
            "personal_number": "19121212-1213",
            "gender": "kvinna",
            "birth_year": "1990",
            "start": "2025-02-03",
        },
    )
    assert response.status_code == 200
    assert "1213" not in response.content.decode()
    assert "Personnumret är inte giltigt" in text(response)
    response = client.post(
        create,
        {
            "code": "ST-011",
            "personal_number": "19121212-1212",
            "gender": "kvinna",
            "birth_year": "1990",
            "start": "2025-02-03",
        },
    )
    assert response.status_code == 302
    assert "1212" not in response["Location"]
    assert participant("ST-011").person_key
    with scopes_disabled():
        logged = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert "1212" not in logged
    detail = client.get(response["Location"])
    assert "Igenkänd mellan insatser Ja" in text(detail)


def test_registrar_exits_a_participant_with_an_outcome(
    data: FollowUp, world: World, client_as: Any
) -> None:
    client = client_as("participant_registrar")
    one = participant("ST-001")
    exit_page = client.get(url(world, f"{one.pk}/avsluta/"))
    assert exit_page.status_code == 200
    too_early = client.post(
        url(world, f"{one.pk}/avsluta/"), {"on": "2024-01-01", "outcome": "arbete"}
    )
    assert too_early.status_code == 200
    assert "Slutdatum kan inte vara före startdatum." in text(too_early)
    today = timezone.localdate().isoformat()
    response = client.post(
        url(world, f"{one.pk}/avsluta/"),
        {"on": today, "outcome": "annan rehabilitering", "handover_to": data.region.pk},
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.outcome == "annan rehabilitering" and one.step_progress
    page = text(client.get(response["Location"]))
    assert "Annan rehabilitering" in page and "Stegförflyttning Ja" in page
    listing = text(client.get(url(world, f"insats/{data.insats.pk}/"), {"status": "exited"}))
    assert "2 avslutade deltagare" in listing


def test_registrar_changes_and_deletes_a_participant(
    data: FollowUp, world: World, client_as: Any
) -> None:
    client = client_as("participant_registrar")
    one = participant("ST-002")
    form = client.get(url(world, f"{one.pk}/andra/")).content.decode()
    assert 'value="ST-002"' in form
    response = client.post(
        url(world, f"{one.pk}/andra/"),
        {"code": "ST-002B", "gender": "man", "birth_year": "1990", "start": "2024-03-01"},
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.code == "ST-002B"
    confirm = client.get(url(world, f"{one.pk}/ta-bort/"))
    assert "Ta bort deltagare ST-002B?" in text(confirm)
    response = client.post(url(world, f"{one.pk}/ta-bort/"))
    assert response.status_code == 302
    with scopes_disabled():
        assert not Participant.objects.filter(pk=one.pk).exists()


def test_questions_of_the_forbund_appear_on_the_form_and_are_answered(
    data: FollowUp, world: World, client_as: Any
) -> None:
    chief = client_as("chief")
    response = chief.post(
        url(world, "fragor/ny/"),
        {
            "text": "Har du körkort?",
            "answer_type": "yes_no",
            "occasion": "start",
            "order": 0,
            "active": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        question = Question.objects.get(text="Har du körkort?")
    assert "Har du körkort?" in text(chief.get(url(world, "fragor/")))
    client = client_as("participant_registrar")
    create = url(world, f"insats/{data.insats.pk}/ny/")
    assert "Har du körkort?" in text(client.get(create))
    response = client.post(
        create,
        {
            "code": "ST-020",
            "gender": "kvinna",
            "birth_year": "1990",
            "start": "2025-02-03",
            services.question_field(question): "ja",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert Answer.objects.get(participant__code="ST-020").value == "ja"
    assert "Har du körkort?" in text(client.get(response["Location"]))


def test_anonymous_participants_are_counted_per_year_and_gender(
    data: FollowUp, world: World, client_as: Any
) -> None:
    client = client_as("participant_registrar")
    page = url(world, f"insats/{data.insats.pk}/anonyma/")
    response = client.post(
        page, {"year": 2025, "count_kvinna": 2, "count_man": 1, "count_ej_angivet": 0}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert sorted(AnonymousCount.objects.values_list("gender", "count")) == [
            ("kvinna", 2),
            ("man", 1),
        ]
    assert "2025 2 1 0 3" in text(client.get(page))


def test_chief_sets_the_forbunds_rules(world: World, client_as: Any) -> None:
    chief = client_as("chief")
    response = chief.post(
        url(world, "installningar/"),
        {"min_cell": 3, "retention_years": "", "recognise_persons": "on"},
    )
    assert response.status_code == 302
    with scope(association=world.own):
        policy = policy_for(world.own)
    assert policy.min_cell == 3 and policy.recognise_persons and not policy.kansli_sees_rows
    bad = chief.post(url(world, "installningar/"), {"min_cell": 1})
    assert bad.status_code == 200
    assert "id_min_cell_error" in bad.content.decode()


def test_follow_up_answers_are_recorded_on_a_date(
    data: FollowUp, world: World, client_as: Any
) -> None:
    with scope(association=world.own):
        question = services.question_create(
            actor=None,
            association=world.own,
            text="Antal dagar i praktik",
            answer_type="number",
            occasion="follow_up",
        )
    client = client_as("participant_registrar")
    one = participant("ST-001")
    assert "Registrera svar vid uppföljning" in text(client.get(url(world, f"{one.pk}/")))
    field = services.question_field(question)
    bad = client.post(url(world, f"{one.pk}/svar/"), {"date": "2024-06-01", field: "många"})
    assert "Svaret ska vara ett tal." in text(bad)
    response = client.post(url(world, f"{one.pk}/svar/"), {"date": "2024-06-01", field: "12,5"})
    assert response.status_code == 302
    with scopes_disabled():
        answer = Answer.objects.get(participant=one)
    assert (answer.value, answer.date, answer.occasion) == (
        "12.5",
        datetime.date(2024, 6, 1),
        "follow_up",
    )
    assert "Vid uppföljning 2024-06-01 12.5" in text(client.get(url(world, f"{one.pk}/")))
