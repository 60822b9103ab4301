"""The error pages say in Swedish what happened and what to do, and link to the start
page: 400, 403, 404, 413 for a request too large (Django would answer 400) and 500,
which depends on neither the database nor the context processors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from stegvis.conftest import World

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def links_home(response: Any) -> bool:
    return re.search(r'<a href="/">Till startsidan</a>', response.content.decode()) is not None


def test_a_missing_page_answers_404_in_swedish(client: Client) -> None:
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    page = text(response)
    assert "Sidan finns inte" in page
    assert "Kontrollera adressen" in page
    assert links_home(response)
    assert '<link rel="stylesheet" href="/static/stegvis/app.css">' in response.content.decode()


def test_another_forbunds_page_answers_the_same_404(world: World, client_as: Any) -> None:
    response = client_as("reader").get(f"/f/{world.other.slug}/")
    assert response.status_code == 404
    assert "Sidan finns inte" in text(response)
    assert world.other.name not in text(response)


def test_a_page_the_role_does_not_allow_answers_403_in_swedish(
    world: World, client_as: Any
) -> None:
    response = client_as("reader").get(f"/f/{world.own.slug}/deltagare/installningar/")
    assert response.status_code == 403
    page = text(response)
    assert "Ingen behörighet" in page
    assert "Kontakta förbundschefen" in page
    assert links_home(response)
    # The layout knows who is logged in, as on every other page.
    assert "Logga ut" in page


def test_a_form_without_its_csrf_token_answers_403_saying_what_to_do() -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/konto/logga-in/", {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    page = text(response)
    assert "Formuläret kunde inte skickas" in page
    assert "Ladda om sidan, fyll i formuläret igen" in page
    assert links_home(response)


def test_a_malformed_request_answers_400_in_swedish(client: Client) -> None:
    response = client.get("/", headers={"host": "inte-tillaten.example"})
    assert response.status_code == 400
    page = text(response)
    assert "Stegvis kunde inte ta emot det som skickades" in page
    assert "Inget har sparats" in page
    assert links_home(response)


def test_an_over_size_form_answers_413_naming_the_limit(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB
    body = "username=" + "x" * 2_700_000 + "&password=y"
    response = client.post(
        "/konto/logga-in/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    page = text(response)
    assert "Det du skickade var för stort" in page
    assert "högst 2,5 MB" in page
    assert "Inget har sparats" in page
    assert links_home(response)


def test_an_over_size_form_of_a_logged_in_person_answers_413(
    world: World, client_as: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_as("chief").post(
        f"/f/{world.own.slug}/deltagare/installningar/", {"min_cell": "5", "notes": "x" * 2000}
    )
    assert response.status_code == 413
    assert "högst 1000 byte" in text(response)


def test_a_form_with_too_many_fields_answers_413_naming_the_limit(
    client: Client, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
    body = "&".join(f"f{i}=1" for i in range(1001))
    response = client.post(
        "/konto/logga-in/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    page = text(response)
    assert "fler fält än Stegvis tar emot" in page
    assert "högst 1 000 fält" in page


@pytest.mark.urls("stegvis.core.tests.urls_errors")
def test_a_failing_view_answers_500_in_swedish_without_the_database(
    django_assert_num_queries: Any,
) -> None:
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-fel/")
    assert response.status_code == 500
    page = text(response)
    assert "Något gick fel" in page
    assert "Felet är loggat" in page
    assert "Försök igen om en stund" in page
    assert links_home(response)
    assert '<link rel="stylesheet" href="/static/stegvis/app.css">' in response.content.decode()


@pytest.mark.urls("stegvis.core.tests.urls_errors")
def test_the_500_page_answers_even_if_its_template_fails(monkeypatch: Any) -> None:
    from stegvis.core import errors

    def failing(name: str) -> Any:
        raise RuntimeError("the template cannot be read")

    monkeypatch.setattr(errors.loader, "get_template", failing)
    response = Client(raise_request_exception=False).get("/test-fel/")
    assert response.status_code == 500
    assert "Något gick fel" in text(response)
    assert links_home(response)
