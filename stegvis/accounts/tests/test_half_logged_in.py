"""A session past the password but not the second factor reaches only the code step."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from stegvis.accounts.tests.test_login import current_code, login
from stegvis.audit.models import AuditEntry
from stegvis.conftest import PASSWORD, World

NEW_PASSWORD = "ett-helt-nytt-losen-77"

# Everything but the code step, the way out and the pages anyone may open.
CLOSED = ["/konto/", "/konto/losenord/", "/forbund/", "/", "/nationellt/", "/f/eget/"]
CLOSED_IN_OWN = ["/f/eget/installningar/medlemmar/", "/f/eget/deltagare/", "/f/eget/ekonomi/"]


def half_logged_in(world: World, person: str = "chief") -> tuple[Client, TOTPDevice]:
    device = TOTPDevice.objects.create(user=world.users[person], name="app", confirmed=True)
    client = Client()
    assert login(client, person).status_code == 302
    return client, device


def verify(client: Client, device: TOTPDevice) -> None:
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/konto/tvafaktor/", {"token": current_code(device)}).status_code == 302


@pytest.mark.parametrize("path", CLOSED + CLOSED_IN_OWN)
def test_half_logged_in_is_sent_to_the_code_step_from_every_page(world: World, path: str) -> None:
    client, _ = half_logged_in(world)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/konto/tvafaktor/?next={quote(path, safe='')}"


def test_half_logged_in_cannot_change_the_password(world: World) -> None:
    client, _ = half_logged_in(world)
    response = client.post(
        "/konto/losenord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"].startswith("/konto/tvafaktor/?next=")
    user = world.users["chief"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not user.check_password(NEW_PASSWORD)
    with scopes_disabled():
        assert not AuditEntry.objects.filter(action="user.password_changed").exists()


def test_half_logged_in_without_a_device_is_sent_to_enrolment(world: World) -> None:
    client = Client()
    login(client, "chief")
    response = client.get("/konto/losenord/")
    assert response["Location"] == "/konto/tvafaktor/aktivera/?next=%2Fkonto%2Flosenord%2F"
    assert client.get("/konto/tvafaktor/aktivera/").status_code == 200


def test_half_logged_in_with_a_device_cannot_enrol_a_new_one(world: World) -> None:
    """Otherwise a stolen password would be enough to replace the owner's app."""
    client, _ = half_logged_in(world)
    response = client.get("/konto/tvafaktor/aktivera/")
    assert response["Location"].startswith("/konto/tvafaktor/?next=")


def test_half_logged_in_reaches_the_code_step_the_language_switch_and_the_health_check(
    world: World,
) -> None:
    client, _ = half_logged_in(world)
    assert client.get("/konto/tvafaktor/").status_code == 200
    assert client.get("/healthz").status_code == 200
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/konto/tvafaktor/"})
    assert switched["Location"] == "/konto/tvafaktor/"


def test_half_logged_in_can_log_out(world: World) -> None:
    client, _ = half_logged_in(world)
    response = client.post("/konto/logga-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/"
    assert client.get("/konto/")["Location"].startswith("/konto/logga-in/")
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="user.logged_out").exists()


def test_after_the_code_every_page_opens_and_the_password_can_change(world: World) -> None:
    client, device = half_logged_in(world)
    verify(client, device)
    for path in CLOSED + CLOSED_IN_OWN:
        response = client.get(path)
        assert not response.get("Location", "").startswith("/konto/tvafaktor/"), path
        assert response.status_code in {200, 302, 403}, path
    assert client.get("/konto/losenord/").status_code == 200
    response = client.post(
        "/konto/losenord/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/konto/"
    # The session stays verified after the change.
    assert client.get("/f/eget/").status_code == 200
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="user.password_changed").count() == 1


def test_the_password_change_needs_the_current_password(world: World, client_as: Any) -> None:
    client = client_as("chief")
    response = client.post(
        "/konto/losenord/",
        {"old_password": "inte-mitt-losen", "new_password1": NEW_PASSWORD},
        follow=False,
    )
    assert response.status_code == 200
    assert "id_old_password_error" in response.content.decode()
    user = world.users["chief"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_person_who_chose_a_second_factor_is_asked_for_it_too(world: World) -> None:
    """A reader's role does not require one, but a reader who set one up is protected by it."""
    client, device = half_logged_in(world, "reader")
    assert client.get("/f/eget/")["Location"].startswith("/konto/tvafaktor/")
    verify(client, device)
    assert client.get("/f/eget/").status_code == 200


def test_a_reader_without_a_second_factor_is_fully_logged_in(world: World) -> None:
    client = Client()
    login(client, "reader")
    assert client.get("/konto/").status_code == 200
    assert client.get("/konto/losenord/").status_code == 200


@override_settings(STEGVIS_REQUIRE_2FA=False)
def test_without_the_requirement_nobody_is_half_logged_in(world: World) -> None:
    client = Client()
    response = login(client, "chief")
    assert response["Location"] == "/"
    assert client.get("/konto/").status_code == 200
