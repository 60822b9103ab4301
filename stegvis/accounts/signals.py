from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from stegvis.audit.services import audit_log


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(action="user.logged_in", actor=user, obj=user, kind="auth", request=request)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_log(action="user.logged_out", actor=user, obj=user, kind="auth", request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Only the username is kept; the password never reaches the log.
    audit_log(
        action="user.login_failed",
        kind="auth",
        request=request,
        changes={"username": str(credentials.get("username", ""))[:150]},
    )
