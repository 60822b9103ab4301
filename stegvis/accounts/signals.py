from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.timezone import localtime

from stegvis.accounts import throttle
from stegvis.audit.services import audit_log


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(action="user.logged_in", actor=user, obj=user, kind="auth", request=request)
    if request is not None:
        throttle.failures_forget(request=request, username=user.get_username())


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_log(action="user.logged_out", actor=user, obj=user, kind="auth", request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """Every failed attempt, with the username tried and (on the entry) the address.
    Only the username is kept; the password never reaches the log."""
    changes: dict[str, Any] = {"username": str(credentials.get("username", ""))[:150]}
    if throttle.refused_while_locked(request):
        changes["locked"] = True  # refused unchecked: the account or address was locked
    audit_log(action="login.failed", kind="auth", request=request, changes=changes)


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """The failure that sets off a lock. axes sends this again for each attempt refused
    during the lock; those are already in the log as failures marked locked."""
    if throttle.refused_while_locked(request):
        return
    lock = throttle.lock_of(request, username)
    audit_log(
        action="login.locked_out",
        kind="auth",
        request=request,
        changes={
            "username": str(username or "")[:150],
            "failures": getattr(request, "axes_failures_since_start", None),
            "account": lock.account if lock else None,
            "address": lock.address if lock else None,
            "until": localtime(lock.lifts).isoformat(timespec="seconds") if lock else None,
        },
    )
