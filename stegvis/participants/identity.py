"""Recognising the same person across a förbund's insatser without storing who they are.

The form takes a personnummer; the server keeps only HMAC-SHA256 of its ten digits,
keyed with the installation's SECRET_KEY together with the förbund's own secret
(`Policy.key_secret`). The number itself is never stored, logged, put in a URL or
repeated in a message. Two förbund get different keys for the same person, and a
copy of the database alone is not enough to test guesses. Changing SECRET_KEY makes
earlier keys unmatchable (counts of unique individuals restart).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

from stegvis.participants.models import Policy

_SHAPE = re.compile(r"^(\d{2})?(\d{6})[-+]?(\d{4})$")


class InvalidPersonalNumber(ValueError):
    """The value is not a valid personnummer (the message never repeats it)."""


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise(value: str) -> str:
    """The ten digits YYMMDDNNNN of a personnummer (or samordningsnummer), checked."""
    match = _SHAPE.match(value.strip().replace(" ", ""))
    if match is None:
        raise InvalidPersonalNumber
    digits = match.group(2) + match.group(3)
    month, day = int(digits[2:4]), int(digits[4:6])
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    if not (1 <= month <= 12 and 1 <= day <= 31) or not _luhn_ok(digits):
        raise InvalidPersonalNumber
    return digits


def person_key(policy: Policy, value: str) -> str:
    digits = normalise(value)
    key = hmac.new(
        settings.SECRET_KEY.encode(), policy.key_secret.encode(), hashlib.sha256
    ).digest()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()
