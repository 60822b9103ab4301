"""The Samverkansenkäter pages and the public answer page, as the kansli, a board
member and an anonymous respondent use them."""

from __future__ import annotations

import base64
import datetime
import io
import re
from typing import Any

from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from stegvis.associations.services import association_starting_point
from stegvis.audit.models import AuditEntry
from stegvis.instruments.models import Instrument
from stegvis.structural import services_surveys as services
from stegvis.structural.models.surveys import (
    RespondentGroup,
    SurveyAnswer,
    SurveyResponse,
    SurveyRound,
    SurveyToken,
)
from stegvis.structural.tests.factories_surveys import (
    answered,
    links,
    make_round,
    survey_setup,
    surveys_path,
)

TODAY = timezone.localdate()
STAFF, BOARD = RespondentGroup.STAFF.value, RespondentGroup.BOARD.value


def _text(response: Any) -> str:
    return response.content.decode()


def _audit_count() -> int:
    with scopes_disabled():
        return AuditEntry.objects.count()


# ---------------------------------------------------------------------------
# The kansli's pages


def test_chief_plans_a_round_with_the_default_survey_the_forbund_started_with(
    world: Any, client_as: Any
) -> None:
    # The survey comes with the förbund (or its data migration), no longer with the
    # first GET of this page, which only reads (structural/tests/test_reads.py).
    association_starting_point(association=world.own)
    client = client_as("chief")
    page = client.get(f"/f/{world.own.slug}/samverkan/enkater/ny/")
    assert page.status_code == 200
    with scopes_disabled():
        instrument = Instrument.objects.get(association=world.own, kind="collaboration")
    assert "Samverkansenkät" in _text(page)
    response = client.post(
        f"/f/{world.own.slug}/samverkan/enkater/ny/",
        {
            "title": "Samverkansenkät hösten 2025",
            "instrument": instrument.pk,
            "groups": [STAFF, BOARD],
            "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + datetime.timedelta(days=14)).isoformat(),
            "introduction": "Vi vill veta hur samverkan fungerar.",
        },
    )
    with scopes_disabled():
        survey_round = SurveyRound.objects.get(association=world.own)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/samverkan/enkater/{survey_round.pk}/")
    assert survey_round.groups == [STAFF, BOARD]
    detail = client.get(response["Location"])
    assert "Skapa svarslänkar" in _text(detail)
    assert "Personal i insatser" in _text(detail)


def test_a_round_closing_before_it_opens_names_the_field(world: Any, client_as: Any) -> None:
    association_starting_point(association=world.own)  # as the förbund was created
    client = client_as("chief")
    with scopes_disabled():
        instrument = Instrument.objects.get(association=world.own, kind="collaboration")
    response = client.post(
        f"/f/{world.own.slug}/samverkan/enkater/ny/",
        {
            "title": "Fel datum",
            "instrument": instrument.pk,
            "groups": [STAFF],
            "opens_on": "2025-10-01",
            "closes_on": "2025-09-01",
        },
    )
    assert response.status_code == 200
    assert "Enkäten kan inte stänga före den öppnar." in _text(response)


def test_links_are_shown_once_with_their_files_and_each_opens_the_survey(
    world: Any, client_as: Any
) -> None:
    survey_setup(world)
    response = client_as("chief").post(
        surveys_path(world, "{round}/lankar/"), {"personal": 2, "styrelse": 1}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = _text(response)
    assert "Länkarna visas bara nu" in page
    urls = re.findall(r"http://testserver/enkat/[A-Za-z0-9_-]{20,}/", page)
    assert len(set(urls)) == 3
    # The Excel file travels in the page itself and holds the same links.
    encoded = re.search(r'href="data:[^;]+;base64,([^"]+)" download="[^"]+\.xlsx"', page)
    assert encoded is not None
    book = load_workbook(io.BytesIO(base64.b64decode(encoded.group(1))))
    sheet = book.worksheets[0]
    cells = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert cells[0] == ("Grupp", "Länk")
    assert sorted(str(row[1]) for row in cells[1:4]) == sorted(set(urls))
    assert [row[0] for row in cells[1:4]] == [
        "Personal i insatser",
        "Personal i insatser",
        "Styrelse och beredningsgrupp",
    ]
    # Each link opens the survey for an anonymous visitor; the secrets are not stored.
    with scopes_disabled():
        stored = set(SurveyToken.objects.values_list("token_hash", flat=True))
    for url in set(urls):
        token = url.rstrip("/").rsplit("/", 1)[1]
        assert token not in stored and services.token_hash(token) in stored
        assert Client().get(url.replace("http://testserver", "")).status_code == 200


def test_making_links_for_too_many_at_once_is_refused(world: Any, client_as: Any) -> None:
    survey_setup(world)
    response = client_as("chief").post(surveys_path(world, "{round}/lankar/"), {"personal": 501})
    assert response.status_code == 400
    assert "Högst 500 länkar per grupp åt gången." in _text(response)


def test_the_board_reads_results_with_small_groups_hidden(world: Any, client_as: Any) -> None:
    setup = survey_setup(world)
    answered(setup.survey_round, STAFF, [5, 5, 4, 4, 4, 2])
    answered(setup.survey_round, RespondentGroup.MANAGERS, [3, 3, 4, 4, 5])
    answered(setup.survey_round, BOARD, [4, 4])
    client = client_as("reader")
    page = client.get(surveys_path(world, "{round}/resultat/"))
    assert page.status_code == 200
    text = _text(page)
    # personal: 5 of 6 agree (the used link of the setup answered "vet ej"); all 13
    assert "83\u00a0%" in text and "av 6" in text and "av 13" in text
    assert "<svg" in text and 'role="img"' in text
    assert "Styrelse och beredningsgrupp" in text
    # the board's two answers are a count, never a result; and chefer (the smallest
    # other group) are hidden too, so the board's figures do not follow from the total
    assert "av 2" not in text and "av 5" not in text
    assert client.get(surveys_path(world, "{round}/resultat.csv")).status_code == 200
    export = client.get(surveys_path(world, "{round}/resultat.xlsx"))
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["Resultat per fråga", "Svarsfrekvens"]
    # the board member may not plan rounds
    assert client.get(surveys_path(world, "ny/")).status_code == 403
    assert "Skapa svarslänkar" not in _text(client.get(surveys_path(world, "{round}/")))


def test_the_instrument_pages_keep_collaboration_surveys_apart(world: Any, client_as: Any) -> None:
    setup = survey_setup(world)
    client = client_as("chief")
    listing = _text(client.get(f"/f/{world.own.slug}/instrument/"))
    assert "Samverkansenkäter" in listing
    detail = _text(client.get(f"/f/{world.own.slug}/instrument/{setup.instrument.pk}/"))
    assert "Insatser som använder instrumentet" not in detail
    assert setup.survey_round.title in detail


# ---------------------------------------------------------------------------
# The answer page


def _answers_for(instrument: Instrument, value: str = "4") -> dict[str, str]:
    with scopes_disabled():
        return {f"question_{question.pk}": value for question in instrument.questions.all()}


def test_an_anonymous_respondent_answers_once_with_csrf_and_nothing_about_them_is_kept(
    world: Any,
) -> None:
    setup = survey_setup(world)
    [token] = links(setup.survey_round, BOARD, 1)
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.23")
    page = client.get(f"/enkat/{token}/")
    assert page.status_code == 200
    text = _text(page)
    assert '<html lang="sv">' in text
    assert "Ditt svar är anonymt" in text and "Vet ej" in text
    assert "Styrelse och beredningsgrupp" in text
    assert 'name="robots" content="noindex' in text
    assert "mainnav" not in text  # no förbund menu
    csrf = client.cookies["csrftoken"].value
    without_csrf = client.post(f"/enkat/{token}/", _answers_for(setup.instrument))
    assert without_csrf.status_code == 403
    audit_before = _audit_count()
    data = _answers_for(setup.instrument)
    with scopes_disabled():
        first = setup.instrument.questions.first()
    data[f"question_{first.pk}"] = "vet-ej"
    sent = client.post(
        f"/enkat/{token}/",
        {**data, "csrfmiddlewaretoken": csrf},
    )
    assert sent.status_code == 302 and sent["Location"] == f"/enkat/{token}/tack/"
    thanks = client.get(sent["Location"])
    assert "Tack för ditt svar" in _text(thanks)
    with scopes_disabled():
        response = SurveyResponse.objects.get(round=setup.survey_round, group=BOARD)
        assert response.answers.count() == len(data) - 1
    # no session, no audit entry, no IP address anywhere
    assert not Session.objects.exists()
    assert _audit_count() == audit_before
    with scopes_disabled():
        assert not AuditEntry.objects.filter(ip_address="198.51.100.23").exists()
    # the link is used up
    again = client.post(f"/enkat/{token}/", {**data, "csrfmiddlewaretoken": csrf})
    assert again.status_code == 410
    assert "Länken är redan använd" in _text(again)
    assert "Länken är redan använd" in _text(client.get(f"/enkat/{token}/"))
    with scopes_disabled():
        assert SurveyResponse.objects.filter(round=setup.survey_round, group=BOARD).count() == 1


def test_a_logged_in_person_answering_is_not_recorded_either(world: Any, client_as: Any) -> None:
    setup = survey_setup(world)
    [token] = links(setup.survey_round, STAFF, 1)
    client = client_as("chief")
    audit_before = _audit_count()
    sent = client.post(f"/enkat/{token}/", _answers_for(setup.instrument, "5"))
    assert sent.status_code == 302
    assert _audit_count() == audit_before


def test_a_statement_left_unanswered_is_named_and_the_other_answers_kept(world: Any) -> None:
    setup = survey_setup(world)
    [token] = links(setup.survey_round, STAFF, 1)
    data = _answers_for(setup.instrument, "2")
    with scopes_disabled():
        missing = setup.instrument.questions.last()
    del data[f"question_{missing.pk}"]
    response = Client().post(f"/enkat/{token}/", data)
    assert response.status_code == 200
    text = _text(response)
    assert "Några påståenden saknar svar" in text
    assert f'href="#id_question_{missing.pk}_0"' in text
    assert "Välj ett svar, eller ”Vet ej”." in text
    assert text.count("checked") == len(data)  # the answers given are kept
    with scopes_disabled():
        assert not SurveyToken.objects.get(token_hash=services.token_hash(token)).used


def test_an_unknown_link_is_a_swedish_404(world: Any) -> None:
    response = Client().get("/enkat/finns-inte-0000000000/")
    assert response.status_code == 404
    assert "Länken finns inte" in _text(response)
    assert Client().get("/enkat/finns-inte-0000000000/tack/").status_code == 404


def test_a_closed_or_not_yet_open_round_says_so_and_takes_nothing(world: Any) -> None:
    closed = make_round(
        world.own,
        title="Stängd",
        opens_on=TODAY - datetime.timedelta(days=30),
        closes_on=TODAY - datetime.timedelta(days=1),
    )
    [token] = links(closed, STAFF, 1, today=TODAY - datetime.timedelta(days=20))
    page = Client().get(f"/enkat/{token}/")
    assert page.status_code == 200
    assert "Enkäten har stängt" in _text(page)
    closes = (TODAY - datetime.timedelta(days=1)).isoformat()
    assert closes in _text(page)
    sent = Client().post(f"/enkat/{token}/", _answers_for(closed.instrument))
    assert sent.status_code == 403
    later = make_round(
        world.own,
        title="Senare",
        opens_on=TODAY + datetime.timedelta(days=3),
        closes_on=TODAY + datetime.timedelta(days=20),
    )
    [early] = links(later, STAFF, 1)
    assert "Enkäten har inte öppnat än" in _text(Client().get(f"/enkat/{early}/"))
    with scopes_disabled():
        assert not SurveyAnswer.objects.exists()
        assert not SurveyToken.objects.filter(round__in=[closed, later], used=True).exists()


def test_the_thanks_page_of_an_unused_link_leads_to_the_survey(world: Any) -> None:
    setup = survey_setup(world)
    response = Client().get(f"/enkat/{setup.open_token}/tack/")
    assert response.status_code == 302
    assert response["Location"] == f"/enkat/{setup.open_token}/"
    with scope(association=world.own):
        assert setup.survey_round.tokens.count() == 2


def test_the_kansli_edits_a_collaboration_survey_without_a_schedule(
    world: Any, client_as: Any
) -> None:
    setup = survey_setup(world)
    client = client_as("chief")
    path = f"/f/{world.own.slug}/instrument/{setup.instrument.pk}/andra/"
    form = _text(client.get(path))
    assert 'name="scale_max"' in form and 'name="every_months"' not in form
    response = client.post(
        path,
        {
            "name": "Samverkansenkät 2025",
            "kind": "collaboration",
            "description": "Till personal, chefer, styrelse och remittenter.",
            "scale_min": 1,
            "scale_max": 5,
            "scale_min_label": "Stämmer inte alls",
            "scale_max_label": "Stämmer helt",
            "agree_from": 4,
            "active": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        changed = Instrument.objects.get(pk=setup.instrument.pk)
    assert changed.name == "Samverkansenkät 2025" and changed.is_collaboration
