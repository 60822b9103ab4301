"""Password guessing meets a lock: per account, per address, in Swedish, in the log."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.test import Client, override_settings
from django.utils.timezone import localtime
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from stegvis.accounts.tests.test_login import login
from stegvis.accounts.throttle import lift_time
from stegvis.audit.models import AuditEntry
from stegvis.conftest import PASSWORD, World

WRONG = "gissat-losen-4711"


def attempt(username: str, password: str = WRONG, address: str = "192.0.2.10", **headers: Any):
    """One login from its own browser (no shared session), from `address`."""
    return Client(REMOTE_ADDR=address, **headers).post(
        "/konto/logga-in/", {"username": username, "password": password}
    )


def minutes_pass(minutes: int) -> None:
    """Move the recorded failures back in time, as if `minutes` had passed."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def entries(action: str) -> list[AuditEntry]:
    with scopes_disabled():
        return list(AuditEntry.objects.filter(action=action).order_by("id"))


T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
COOL_OFF = timedelta(minutes=15)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_lock_lifts_one_cool_off_after_the_last_failure_that_makes_it() -> None:
    assert lift_time([(at(0), 5)], limit=5, cool_off=COOL_OFF) == at(15)
    # Older failures drop out first; the lock lifts when fewer than the limit remain.
    assert lift_time([(at(0), 3), (at(5), 3)], limit=5, cool_off=COOL_OFF) == at(15)
    assert lift_time([(at(0), 3), (at(5), 3)], limit=3, cool_off=COOL_OFF) == at(20)
    assert lift_time([(at(0), 1), (at(5), 5)], limit=5, cool_off=COOL_OFF) == at(20)
    assert lift_time([(at(5), 5), (at(0), 1)], limit=5, cool_off=COOL_OFF) == at(20)
    assert lift_time([(at(0), 4), (at(9), 1), (at(3), 4)], limit=5, cool_off=COOL_OFF) == at(18)


def test_fewer_failures_than_the_limit_are_no_lock() -> None:
    assert lift_time([(at(0), 2), (at(1), 2)], limit=5, cool_off=COOL_OFF) is None
    assert lift_time([], limit=5, cool_off=COOL_OFF) is None


def test_31_wrong_passwords_lock_the_account_and_the_right_one_waits_for_the_cool_off(
    world: World,
) -> None:
    responses = [attempt("reader") for _ in range(31)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert "Fel användarnamn eller lösenord." in responses[3].content.decode()
    assert {r.status_code for r in responses[4:]} == {429}

    page = responses[-1].content.decode()
    lifts = localtime(AccessAttempt.objects.get().attempt_time + timedelta(minutes=15))
    assert (
        "Kontot ”reader” och inloggning från din adress är tillfälligt spärrade "
        "efter 5 misslyckade inloggningar."
    ) in page
    assert "Spärren gäller i 15 minuter efter det senaste felaktiga försöket" in page
    assert f"försök igen kl. {lifts:%H:%M} (om 15 minuter)" in page
    assert "Account locked" not in page
    assert '<html lang="sv">' in page
    assert 'name="password"' in page  # the form is there for when the lock lifts

    right = attempt("reader", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in right.wsgi_request.session

    minutes_pass(14)
    assert attempt("reader", PASSWORD).status_code == 429
    minutes_pass(2)
    assert attempt("reader", PASSWORD).status_code == 302


def test_trying_during_the_lock_does_not_prolong_it(world: World) -> None:
    for _ in range(5):
        attempt("reader")
    minutes_pass(10)
    for _ in range(20):
        assert attempt("reader").status_code == 429
    minutes_pass(6)
    assert attempt("reader", PASSWORD).status_code == 302


def test_guesses_at_one_account_from_many_addresses_lock_the_account(world: World) -> None:
    for n in range(30):
        attempt("chief", address=f"198.51.100.{n + 1}")
    response = attempt("chief", PASSWORD, address="203.0.113.77")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Kontot ”chief” är tillfälligt spärrat efter 5 misslyckade inloggningar." in page
    assert "din adress" not in page
    # Other people are not locked out by it.
    assert attempt("reader", PASSWORD, address="203.0.113.77").status_code == 302


def test_guesses_at_many_accounts_from_one_address_lock_the_address(world: World) -> None:
    for n in range(30):
        attempt(f"person{n}", address="192.0.2.66")
    response = attempt("reader", PASSWORD, address="192.0.2.66")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Inloggning från din adress är tillfälligt spärrad efter 5 misslyckade" in page
    assert "”reader”" not in page
    # The same person from another address gets in: it is the address that is locked.
    assert attempt("reader", PASSWORD, address="192.0.2.67").status_code == 302


def test_usernames_that_do_not_exist_are_locked_the_same_way(world: World) -> None:
    """The lock must not tell a guesser which accounts exist."""
    for _ in range(5):
        attempt("finns-inte", address="192.0.2.1")
        attempt("reader", address="192.0.2.2")
    assert attempt("finns-inte", address="192.0.2.3").status_code == 429
    assert attempt("reader", address="192.0.2.3").status_code == 429


def test_failures_and_the_lock_are_in_the_log_without_the_password(world: World) -> None:
    for _ in range(7):
        attempt("reader", address="192.0.2.44")

    failed = entries("login.failed")
    assert len(failed) == 7
    assert {entry.changes["username"] for entry in failed} == {"reader"}
    assert {entry.ip_address for entry in failed} == {"192.0.2.44"}
    assert {entry.kind for entry in failed} == {AuditEntry.Kind.AUTH}
    # The two after the lock were refused without looking at the password.
    assert [entry.changes.get("locked", False) for entry in failed] == [False] * 5 + [True] * 2

    [locked] = entries("login.locked_out")
    assert locked.changes["username"] == "reader"
    assert locked.changes["failures"] == 5
    assert locked.changes["account"] is True
    assert locked.changes["address"] is True
    assert locked.changes["until"].startswith(f"{localtime(locked.created_at):%Y-%m-%d}")
    assert locked.ip_address == "192.0.2.44"
    assert failed[3].id < locked.id < failed[5].id  # at the fifth failure, not later

    with scopes_disabled():
        logged = " ".join(
            f"{entry.changes} {entry.object_repr}" for entry in AuditEntry.objects.all()
        )
    assert WRONG not in logged
    stored = " ".join(f"{a.post_data} {a.get_data}" for a in AccessAttempt.objects.all())
    assert WRONG not in stored


def test_a_successful_login_forgets_the_accounts_failures(world: World) -> None:
    for _ in range(4):
        attempt("reader")
    assert attempt("reader", PASSWORD).status_code == 302
    for _ in range(4):
        attempt("reader")
    assert attempt("reader", PASSWORD).status_code == 302


def test_logging_in_to_ones_own_account_does_not_forget_guesses_at_another(
    world: World,
) -> None:
    for _ in range(3):
        attempt("chief", address="192.0.2.9")
    assert attempt("reader", PASSWORD, address="192.0.2.9").status_code == 302
    for _ in range(2):
        attempt("chief", address="192.0.2.9")
    assert attempt("chief", PASSWORD, address="198.51.100.9").status_code == 429


def test_without_a_proxy_a_forwarded_header_does_not_escape_the_address_lock(
    world: World,
) -> None:
    for n in range(5):
        attempt(f"person{n}", address="192.0.2.5", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = attempt("reader", PASSWORD, address="192.0.2.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert response.status_code == 429


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_forwarded(world: World) -> None:
    proxy = "10.0.0.2"
    for n in range(5):
        # A client may put anything first in the header; the proxy appends the real address.
        attempt(f"person{n}", address=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.8")
    locked = attempt("reader", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert locked.status_code == 429
    other = attempt("reader", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert other.status_code == 302
    assert {entry.ip_address for entry in entries("login.failed")} == {"203.0.113.8"}


def test_the_system_administrator_can_lift_a_lock(world: World) -> None:
    for _ in range(5):
        attempt("reader")
    assert attempt("reader", PASSWORD).status_code == 429
    out = io.StringIO()
    call_command("user", "unlock", "reader", stdout=out)
    assert "Spärren för kontot reader är hävd" in out.getvalue()
    assert attempt("reader", PASSWORD).status_code == 302
    [entry] = entries("login.unlocked")
    assert entry.changes["username"] == "reader"


def test_lifting_the_lock_on_an_address(world: World) -> None:
    for n in range(5):
        attempt(f"person{n}", address="192.0.2.66")
    call_command("user", "unlock", "--address", "192.0.2.66", stdout=io.StringIO())
    assert attempt("reader", PASSWORD, address="192.0.2.66").status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Ange antingen ett användarnamn eller --address"),
        (("reader", "--address", "192.0.2.1"), "inte båda"),
        (("--address", "inte-en-adress"), "--address: inte-en-adress är ingen IP-adress."),
    ],
)
def test_unlock_names_what_is_wrong(world: World, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("user", "unlock", *args)


def test_wrong_second_factor_codes_are_logged_without_the_code(world: World) -> None:
    TOTPDevice.objects.create(user=world.users["chief"], name="app", confirmed=True)
    client = Client()
    login(client, "chief")
    client.post("/konto/tvafaktor/", {"token": "246813"})
    client.post("/konto/tvafaktor/", {"token": "135792"})  # straight after: the wait applies
    first, second = entries("user.second_factor_failed")
    assert first.changes == {"step": "verify", "throttled": False}
    assert second.changes == {"step": "verify", "throttled": True}
    assert first.actor == world.users["chief"]
    assert "246813" not in str(first.changes)


def test_wrong_codes_during_enrolment_are_logged(world: World) -> None:
    client = Client()
    login(client, "chief")
    client.post("/konto/tvafaktor/aktivera/", {"token": "000000"})
    [entry] = entries("user.second_factor_failed")
    assert entry.changes == {"step": "enrol", "throttled": False}
