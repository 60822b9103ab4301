"""Login, the second factor and the session, as a person meets them."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import PASSWORD, World


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def login(client: Client, username: str, password: str = PASSWORD, next_url: str = "") -> Any:
    return client.post(
        "/konto/logga-in/", {"username": username, "password": password, "next": next_url}
    )


def test_login_page_is_swedish_and_labelled(db: Any) -> None:
    response = Client().get("/konto/logga-in/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert '<label for="id_username">Användarnamn' in html
    assert '<label for="id_password">Lösenord' in html


def test_wrong_password_is_refused_in_swedish_and_logged_without_the_password(world: World) -> None:
    response = login(Client(), "reader", password="fel-losenord")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="login.failed")
    assert entry.changes == {"username": "reader"}
    assert "fel-losenord" not in str(entry.changes)


def test_reader_logs_in_with_password_only_and_lands_on_the_overview(world: World) -> None:
    client = Client()
    response = login(client, "reader")
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == f"/f/{world.own.slug}/"
    assert world.own.name in response.content.decode()


def test_chief_must_enrol_a_second_factor_before_entering(world: World) -> None:
    client = Client()
    response = login(client, "chief", next_url=f"/f/{world.own.slug}/")
    assert response["Location"].startswith("/konto/tvafaktor/?next=")
    # No device yet: the verify step sends the chief to enrolment.
    response = client.get(response["Location"])
    assert response["Location"].startswith("/konto/tvafaktor/aktivera/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html  # the QR code is drawn by the app itself
    # Showing the code stores nothing: the key waits in the session (a GET never writes).
    assert not TOTPDevice.objects.filter(user=world.users["chief"]).exists()
    assert (
        client.get("/konto/tvafaktor/aktivera/")
        .content.decode()
        .count(page.context["key_groups"][0])
    ), "the same key is shown again until it is confirmed"

    wrong = client.post("/konto/tvafaktor/aktivera/", {"token": "000000", "next": "/"})
    assert "Koden stämmer inte" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=world.users["chief"], confirmed=False)
    assert "".join(page.context["key_groups"]) in base64.b32encode(device.bin_key).decode()
    device.throttle_reset()  # a wrong code makes the next try wait; see the throttle test

    done = client.post(
        "/konto/tvafaktor/aktivera/",
        {"token": current_code(device), "next": f"/f/{world.own.slug}/"},
    )
    assert done.status_code == 200
    assert "Reservkoder" in done.content.decode() or "reservkoder" in done.content.decode()
    assert len(done.context["codes"]) == 10
    assert client.get(f"/f/{world.own.slug}/").status_code == 200
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="user.second_factor_enrolled").exists()


def test_chief_with_a_device_is_asked_for_the_code_and_a_wrong_code_is_refused(
    world: World,
) -> None:
    device = TOTPDevice.objects.create(user=world.users["chief"], name="app", confirmed=True)
    client = Client()
    response = login(client, "chief", next_url=f"/f/{world.own.slug}/")
    verify_url = response["Location"]

    # Before the code, the förbund's pages send the chief back to the code step.
    blocked = client.get(f"/f/{world.own.slug}/")
    assert blocked["Location"].startswith("/konto/tvafaktor/")

    wrong = client.post(verify_url, {"token": "123456"})
    assert wrong.status_code == 200
    assert "Koden stämmer inte" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()

    right = client.post(verify_url, {"token": current_code(device)})
    assert right.status_code == 302
    assert right["Location"] == f"/f/{world.own.slug}/"
    assert client.get(f"/f/{world.own.slug}/").status_code == 200


def test_backup_code_works_once(world: World) -> None:
    from stegvis.accounts.services import backup_codes_replace

    TOTPDevice.objects.create(user=world.users["chief"], name="app", confirmed=True)
    code = backup_codes_replace(user=world.users["chief"])[0]
    first = Client()
    login(first, "chief")
    assert first.post("/konto/tvafaktor/", {"token": code})["Location"] == "/"
    second = Client()
    login(second, "chief")
    assert second.post("/konto/tvafaktor/", {"token": code}).status_code == 200


def test_verify_never_redirects_to_another_site(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.users["chief"], name="app", confirmed=True)
    client = Client()
    login(client, "chief")
    response = client.post(
        "/konto/tvafaktor/?next=https://evil.example/", {"token": current_code(device)}
    )
    assert response["Location"] == "/"


def test_logout_ends_the_session(world: World, client_as: Any) -> None:
    client = client_as("reader")
    assert client.get(f"/f/{world.own.slug}/").status_code == 200
    assert client.post("/konto/logga-ut/").status_code == 302
    assert client.get(f"/f/{world.own.slug}/")["Location"].startswith("/konto/logga-in/")
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="user.logged_out").exists()


def test_password_change_is_logged_and_the_new_password_works(world: World, client_as: Any) -> None:
    client = client_as("reader")
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": PASSWORD,
            "new_password1": "ett-nytt-langt-losen-42",
            "new_password2": "ett-nytt-langt-losen-42",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="user.password_changed")
    assert "ett-nytt" not in str(entry.changes)
    assert login(Client(), "reader", password="ett-nytt-langt-losen-42").status_code == 302


def test_sessions_expire() -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_SAVE_EVERY_REQUEST  # the hour counts from the last request
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_a_role_given_during_a_session_still_needs_the_second_factor(world: World) -> None:
    """Deltagaransvarig without a verified factor is stopped at the förbund's door."""
    client = Client()
    client.force_login(world.users["participant_registrar"])
    response = client.get(f"/f/{world.own.slug}/")
    assert response["Location"].startswith("/konto/tvafaktor/")


def test_repeated_wrong_codes_make_the_user_wait(world: World) -> None:
    device = TOTPDevice.objects.create(user=world.users["chief"], name="app", confirmed=True)
    client = Client()
    login(client, "chief")
    client.post("/konto/tvafaktor/", {"token": "111111"})
    # Even the right code is refused straight after a wrong one: guessing is slowed down.
    response = client.post("/konto/tvafaktor/", {"token": current_code(device)})
    assert response.status_code == 200
    assert "Vänta en stund" in response.content.decode()
