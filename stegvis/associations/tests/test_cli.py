"""The administrator's command line: förbund, roles and second-factor resets."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope

from stegvis.associations.models import Association, Membership
from stegvis.conftest import World


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_an_association_and_give_a_person_a_role(db: Any) -> None:
    assert "/f/nytt/" in run(
        "association", "create", "nytt", "Samordningsförbundet Nytt", "2220001677"
    )
    association = Association.objects.get(slug="nytt")
    assert association.organisation_number == "222000-1677"
    run("association", "grant", "nytt", "ny.chef", "chief")
    with scope(association=association):
        assert Membership.objects.get(user__username="ny.chef").role == "chief"


def test_a_bad_organisation_number_is_named_and_nothing_is_created(db: Any) -> None:
    with pytest.raises(CommandError, match=r"organisation_number: Kontrollsiffran stämmer inte\."):
        run("association", "create", "nytt", "Nytt", "222000-1670")
    assert not Association.objects.filter(slug="nytt").exists()


def test_site_role_and_second_factor_reset(world: World) -> None:
    user = world.users["reader"]
    run("user", "site-role", "reader", "national_reader")
    user.refresh_from_db()
    assert user.site_role == "national_reader"
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    run("user", "reset-2fa", "reader")
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_unknown_user_gets_a_clear_message(db: Any) -> None:
    with pytest.raises(CommandError, match="finns inte"):
        run("user", "reset-2fa", "ingen")
