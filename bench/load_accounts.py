"""Accounts for the load test: one per simulated person, copied from the demo users.

Run by `bench/load.sh` after the demo is loaded:

    DEBUG=1 .venv/bin/python bench/load_accounts.py --per-role 50 --output FILE.json

Each of the four demo users whose journeys `bench/locustfile.py` walks
(chef.samspelet, styrelse.samspelet, deltagare.samspelet, insats.samspelet) gets
`--per-role` copies, `load.chef.01` …, with the same role, member, title and
insatser in Samspelet, the same password (its hash is copied) and, for the roles
that log in with a second factor, an authenticator of their own. The JSON file names
the accounts of each role and, for those with an authenticator, its key (hex) and
parameters, so the load test computes each code itself.

Why copies and not the demo users themselves: django-otp accepts a code only once
per device (TOTPDevice.last_t), so fifteen simulated förbundschefer logging in as
chef.samspelet within one 30-second step would all fail but one; and fifty people
working at once are fifty accounts, each with its own session, in real life too.
Why a key file and not `stegvis demo --code` per login: that starts Django once per
login on the machine under test, and the key file is read once.

Like `stegvis demo`, it refuses to run outside a demo installation (DEBUG=1 or
STEGVIS_DEMO=1): the accounts have the demo's published password. Running it again
adds only what is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ASSOCIATION = "samspelet"
# The demo user each simulated person copies, by the role name the locust file uses.
TEMPLATES = {
    "chef": "chef.samspelet",
    "styrelse": "styrelse.samspelet",
    "deltagare": "deltagare.samspelet",
    "insats": "insats.samspelet",
}


def accounts_ensure(*, per_role: int) -> dict[str, list[dict[str, Any]]]:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scope

    from stegvis.associations import services
    from stegvis.associations.models import Association, Membership
    from stegvis.interventions import services as intervention_services
    from stegvis.interventions.models import InterventionStaff

    User = get_user_model()
    association = Association.objects.get(slug=ASSOCIATION)
    accounts: dict[str, list[dict[str, Any]]] = {}
    with scope(association=association), transaction.atomic():
        for role_name, template_name in TEMPLATES.items():
            template = User.objects.get(username=template_name)
            membership = Membership.objects.get(association=association, user=template)
            interventions = [
                staff.intervention
                for staff in InterventionStaff.objects.filter(user=template).select_related(
                    "intervention"
                )
            ]
            two_factor = TOTPDevice.objects.filter(user=template, confirmed=True).exists()
            accounts[role_name] = []
            for number in range(1, per_role + 1):
                username = f"load.{role_name}.{number:02d}"
                if not Membership.objects.filter(
                    association=association, user__username=username
                ).exists():
                    services.person_add(
                        actor=None,
                        association=association,
                        username=username,
                        role=membership.role,
                        first_name=template.first_name,
                        last_name=f"{template.last_name} (last {number:02d})",
                        member=membership.member,
                        title=membership.title,
                    )
                user = User.objects.get(username=username)
                if user.password != template.password:
                    user.password = template.password
                    user.save(update_fields=["password"])
                for intervention in interventions:
                    if not InterventionStaff.objects.filter(
                        intervention=intervention, user=user
                    ).exists():
                        intervention_services.staff_add(
                            actor=None, intervention=intervention, user=user
                        )
                account: dict[str, Any] = {"username": username}
                if two_factor:
                    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
                    if device is None:
                        device = TOTPDevice.objects.create(user=user, name="Last", confirmed=True)
                    account["totp"] = {
                        "key": device.key,
                        "step": device.step,
                        "t0": device.t0,
                        "digits": device.digits,
                    }
                accounts[role_name].append(account)
    return accounts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-role", type=int, default=50, help="konton per roll (50)")
    parser.add_argument("--output", type=Path, required=True, help="JSON-filen med kontona")
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
    import django

    django.setup()
    from django.conf import settings

    if not (settings.DEBUG or getattr(settings, "STEGVIS_DEMO", False)):
        sys.exit(
            "Lastkonton skapas bara i en demoinstallation (DEBUG=1 eller STEGVIS_DEMO=1): "
            "de har demons kända lösenord."
        )
    from stegvis.associations.demo import DEMO_PASSWORD

    accounts = accounts_ensure(per_role=options.per_role)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(
        json.dumps({"association": ASSOCIATION, "password": DEMO_PASSWORD, "accounts": accounts})
    )
    options.output.chmod(0o600)
    counts = ", ".join(f"{len(items)} {role}" for role, items in accounts.items())
    print(f"Lastkonton i {ASSOCIATION}: {counts} → {options.output}")


if __name__ == "__main__":
    main()
