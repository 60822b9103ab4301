"""Password guessing is throttled with django-axes (settings: `AXES_*`, README "Roles").

After `LOGIN_FAILURE_LIMIT` wrong passwords, logins to that account (from any
address) and from that address (to any account) are refused for
`LOGIN_COOLOFF_MINUTES` after the last wrong one. While the lock lasts the
password is not even checked, so guessing gains nothing, and trying again does
not make the lock longer. A successful login forgets that account's failures from
that address. This module holds what Stegvis adds to axes: the Swedish page a
locked-out person sees, and the facts the audit log needs.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stegvis.accounts.forms import LoginForm
from stegvis.audit.services import client_ip


def refused_while_locked(request: HttpRequest | None) -> bool:
    """True when axes refused this login attempt because a lock already stood (the
    password was not checked), False for an attempt whose password was wrong.

    With AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off, axes's backend marks a
    refused request locked before the failure signal, and only a counted failure
    gets a failure count; so this holds whichever signal receiver runs first."""
    return bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )


def lift_time(
    attempts: Sequence[tuple[datetime.datetime, int]], *, limit: int, cool_off: datetime.timedelta
) -> datetime.datetime | None:
    """When a lock made of `attempts` (each: its last failure, its failure count) lifts,
    or None if they do not add up to a lock.

    axes counts an attempt's failures until one cool-off after its last failure; the
    lock lifts when the oldest ones, dropping out, leave fewer than `limit`."""
    remaining = sum(failures for _, failures in attempts)
    lifts: datetime.datetime | None = None
    for last, failures in sorted(attempts):
        if remaining < limit:
            break
        remaining -= failures
        lifts = last + cool_off
    return lifts


@dataclass(frozen=True)
class Lock:
    account: bool  # too many failures on the username tried, from anywhere
    address: bool  # too many failures from the address, on any username
    lifts: datetime.datetime


def lock_of(request: HttpRequest, username: str | None) -> Lock | None:
    """The lock this login attempt meets, if any: what is locked and until when."""
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    cool_off = get_cool_off(request) or datetime.timedelta()
    limit = get_failure_limit(request, None)
    counting = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)

    def lifts(**where: Any) -> datetime.datetime | None:
        rows = counting.filter(**where).values_list("attempt_time", "failures_since_start")
        return lift_time(list(rows), limit=limit, cool_off=cool_off)

    account, address = lifts(username=username), lifts(ip_address=client_ip(request))
    if account is None and address is None:
        return None
    return Lock(
        account=account is not None,
        address=address is not None,
        lifts=max(time for time in (account, address) if time is not None),
    )


def lockout_message(request: HttpRequest, username: str | None) -> str:
    lock = lock_of(request, username)
    now = getattr(request, "axes_attempt_time", None) or timezone.now()
    cool_off = get_cool_off(request) or datetime.timedelta()
    lifts = lock.lifts if lock is not None else now + cool_off
    minutes = max(1, math.ceil((lifts - now).total_seconds() / 60))
    values = {
        "limit": get_failure_limit(request, None),
        "username": username or "",
        "cool_off": round(cool_off.total_seconds() / 60),
        "time": timezone.localtime(lifts).strftime("%H:%M"),
        "wait": ngettext("%(count)d minut", "%(count)d minuter", minutes) % {"count": minutes},
    }
    if lock is not None and lock.account and not lock.address:
        what = _(
            "Kontot ”%(username)s” är tillfälligt spärrat efter %(limit)s misslyckade inloggningar."
        )
    elif lock is not None and lock.address and not lock.account:
        what = _(
            "Inloggning från din adress är tillfälligt spärrad efter %(limit)s misslyckade "
            "inloggningar, på ett eller flera konton."
        )
    else:
        what = _(
            "Kontot ”%(username)s” och inloggning från din adress är tillfälligt spärrade "
            "efter %(limit)s misslyckade inloggningar."
        )
    when = _(
        "Spärren gäller i %(cool_off)s minuter efter det senaste felaktiga försöket: försök "
        "igen kl. %(time)s (om %(wait)s). Har du glömt lösenordet? Kontakta "
        "systemadministratören, som kan häva spärren."
    )
    return f"{what % values} {when % values}"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again, with the lock explained in Swedish (status 429), in place
    of axes's English text (settings.AXES_LOCKOUT_CALLABLE)."""
    username = get_client_username(request, credentials)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return render(
        request,
        "accounts/login.html",
        {
            "form": LoginForm(request, initial={"username": username or ""}),
            "locked_message": lockout_message(request, username),
            "next": target,
        },
        status=429,  # Too Many Requests
    )


def failures_forget(*, request: HttpRequest, username: str) -> int:
    """After a successful login: forget the account's failures from this address.

    Not axes's AXES_RESET_ON_SUCCESS, which also forgets every failure from the
    address: then anyone with an account of their own could log in between guesses
    at someone else's password and never meet the address's lock."""
    return reset(username=username, ip=client_ip(request))


def lock_lift(*, username: str | None = None, address: str | None = None) -> int:
    """Lift the lock on an account (every address) or on an address (every account).
    Returns how many recorded attempts were forgotten."""
    if not username and not address:
        raise ValueError("Name an account or an address.")
    return reset(username=username or None, ip=address or None)
