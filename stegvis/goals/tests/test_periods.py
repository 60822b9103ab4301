from __future__ import annotations

import datetime
from typing import Any

import pytest
from django_scopes import scopes_disabled

from stegvis.finance.models import ReportingPeriod
from stegvis.goals.periods import (
    current_period,
    period_from_code,
    periods_for,
    range_period,
)

D = datetime.date


def test_default_periods_are_the_tertials_and_the_year_with_helar_last(world: Any) -> None:
    periods = periods_for(association=world.own, year=2025)
    assert [(p.code, p.start, p.end) for p in periods] == [
        ("2025-t1", D(2025, 1, 1), D(2025, 4, 30)),
        ("2025-t2", D(2025, 1, 1), D(2025, 8, 31)),
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
    ]
    assert [p.label for p in periods] == ["Tertial 1 2025", "Tertial 2 2025", "Helår 2025"]
    assert periods[-1].is_full_year and not periods[0].is_full_year
    assert [p.end_month for p in periods] == [4, 8, 12]


def test_the_foerbunds_own_periods_are_used(world: Any) -> None:
    with scopes_disabled():
        ReportingPeriod.objects.create(
            association=world.own, code="h1", name="Halvår (jan–jun)", end_month=6
        )
        ReportingPeriod.objects.create(
            association=world.own, code="year", name="Helår", end_month=12
        )
    periods = periods_for(association=world.own, year=2024)
    assert [p.code for p in periods] == ["2024-h1", "2024"]
    assert periods[0].end == D(2024, 6, 30)
    assert periods[0].label == "Halvår 2024"


def test_tertial_one_of_a_leap_year_ends_on_30_april_and_t2_on_31_august(world: Any) -> None:
    t1 = period_from_code(association=world.own, code="2024-t1")
    t2 = period_from_code(association=world.own, code="2024-t2")
    assert (t1.start, t1.end, t1.year) == (D(2024, 1, 1), D(2024, 4, 30), 2024)
    assert t2.end == D(2024, 8, 31)


def test_codes_round_trip(world: Any) -> None:
    for period in periods_for(association=world.own, year=2023):
        assert period_from_code(association=world.own, code=period.code) == period
    custom = range_period(D(2025, 1, 10), D(2025, 3, 31))
    assert custom.code == "2025-01-10_2025-03-31"
    assert period_from_code(association=world.own, code=custom.code) == custom
    assert custom.end_month is None and not custom.is_full_year


@pytest.mark.parametrize(
    "code", ["", "2025-t9", "2025-13-01_2025-14-01", "2025-03-01_2025-01-01", "x"]
)
def test_unknown_codes_raise_value_error(world: Any, code: str) -> None:
    with pytest.raises(ValueError):
        period_from_code(association=world.own, code=code)


def test_current_period_is_the_year_to_date(world: Any) -> None:
    period = current_period(association=world.own, today=D(2025, 5, 17))
    assert period.code == "2025"
    assert not period.closed(D(2025, 5, 17))
    assert period.closed(D(2026, 1, 1))
