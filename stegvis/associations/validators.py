import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ORG_NUMBER = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_organisation_number(value: str) -> None:
    """A Swedish organisationsnummer: ten digits, NNNNNN-NNNN, Luhn check digit.
    Legal persons have 2 in the third position ('månad' ≥ 20), so a personnummer
    can never be stored here by mistake."""
    match = _ORG_NUMBER.match(value.strip())
    if not match:
        raise ValidationError(_("Ange tio siffror i formen NNNNNN-NNNN."), code="format")
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2:
        raise ValidationError(
            _("Det ser ut som ett personnummer; ange förbundets organisationsnummer."),
            code="personal",
        )
    if not luhn_ok(digits):
        raise ValidationError(_("Kontrollsiffran stämmer inte."), code="checksum")


def normalise_organisation_number(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else value.strip()
