from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from stegvis.associations.validators import luhn_ok, validate_organisation_number


def with_check_digit(nine: str) -> str:
    return next(nine + str(d) for d in range(10) if luhn_ok(nine + str(d)))


@given(st.from_regex(r"\A[0-9]{2}[2-9][0-9]{6}\Z"))
def test_every_legal_persons_number_with_the_right_check_digit_is_accepted(nine: str) -> None:
    number = with_check_digit(nine)
    validate_organisation_number(f"{number[:6]}-{number[6:]}")
    validate_organisation_number(number)


@given(st.from_regex(r"\A[0-9]{2}[2-9][0-9]{6}\Z"), st.integers(1, 9))
def test_a_wrong_check_digit_is_refused(nine: str, shift: int) -> None:
    number = with_check_digit(nine)
    wrong = number[:-1] + str((int(number[-1]) + shift) % 10)
    with pytest.raises(ValidationError) as error:
        validate_organisation_number(wrong)
    assert error.value.code == "checksum"


@given(st.from_regex(r"\A[0-9]{2}[01][0-9]{6}\Z"))
def test_something_shaped_like_a_personal_identity_number_is_refused(nine: str) -> None:
    """Month digits 0–1 in the third place belong to people, never to a förbund."""
    with pytest.raises(ValidationError) as error:
        validate_organisation_number(with_check_digit(nine))
    assert error.value.code == "personal"


@pytest.mark.parametrize("value", ["", "12345", "222000-16x5", "2220001636000"])
def test_malformed_numbers_get_a_swedish_message(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_organisation_number(value)
    assert "NNNNNN-NNNN" in error.value.messages[0]
