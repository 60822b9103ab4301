"""Second factor (TOTP) for the roles that may see participant rows (DOMAIN.md §9)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from django_scopes import scopes_disabled

from stegvis.associations.models import Membership
from stegvis.associations.roles import role_requires_second_factor
from stegvis.audit.services import audit_log

BACKUP_CODE_COUNT = 10


def user_needs_second_factor(user: Any) -> bool:
    """True when the person must pass a second factor after the password: any of
    their roles, in any förbund or in the installation, requires one
    (`role_requires_second_factor`), or they have set up an authenticator anyway.
    Until then their session is only half logged in (accounts.middleware).
    Nobody needs one when `STEGVIS_REQUIRE_2FA` is off (automated tests of other flows)."""
    if not settings.STEGVIS_REQUIRE_2FA:
        return False
    if role_requires_second_factor(user.site_role or None):
        return True
    with scopes_disabled():
        roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if any(role_requires_second_factor(role) for role in roles):
        return True
    return confirmed_totp(user) is not None


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_key_new() -> str:
    """A new authenticator key (hex, as django-otp stores it), kept in the session
    while the person enrols: showing the QR code writes nothing (a GET never writes)."""
    return random_hex(20)


def totp_draft(user: Any, key: str) -> TOTPDevice:
    """The device being set up, unsaved: what the enrolment page shows."""
    return TOTPDevice(user=user, name="Stegvis", confirmed=False, key=key)


@transaction.atomic
def totp_pending(user: Any, key: str) -> TOTPDevice:
    """The unconfirmed device with the key shown, stored when the person sends a code
    (django-otp counts wrong codes on it); another unconfirmed one is replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, key=key).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name="Stegvis", confirmed=False, key=key)
    return device


@transaction.atomic
def totp_confirm(*, user: Any, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment when the code matches. Returns new backup codes, shown once."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    codes = backup_codes_replace(user=user)
    audit_log(action="user.second_factor_enrolled", actor=user, obj=user, kind="auth")
    return codes


@transaction.atomic
def backup_codes_replace(*, user: Any) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(user=user, name="Reservkoder")
    static.token_set.all().delete()
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_reset(*, actor: Any, user: Any) -> None:
    """Remove a user's devices so they enrol again (lost phone). Done by an administrator."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(action="user.second_factor_reset", actor=actor, obj=user, kind="auth")
