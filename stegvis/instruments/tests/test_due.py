"""The due list against dates worked out by hand: calendar months clamped at month
ends, the ISO week, what a left participant is still due, and screening coverage."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.instruments import services
from stegvis.instruments.due import (
    Done,
    Schedule,
    Status,
    add_months,
    due_counts,
    due_list,
    next_occasions,
    screening_coverage,
    status_of,
)
from stegvis.instruments.tests.factories import participant, setup

D = datetime.date
BIP = Schedule(at_start=True, every_months=3)
SURVEY = Schedule(first_after_months=3, at_exit=True)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 3, 31), 3, D(2024, 6, 30)),
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2024, 5, 31), -3, D(2024, 2, 29)),
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_months_end(
    day: datetime.date, months: int, expected: datetime.date
) -> None:
    assert add_months(day, months) == expected


def test_new_participant_is_due_the_start_assessment_and_the_first_follow_up() -> None:
    due = next_occasions(schedule=BIP, start=D(2024, 1, 31), exit=None, done=Done())
    assert due == [("start", D(2024, 1, 31)), ("follow_up", D(2024, 4, 30))]


def test_follow_up_counts_from_the_latest_response() -> None:
    done = Done({"start": D(2024, 2, 5), "follow_up": D(2024, 5, 31)})
    due = next_occasions(schedule=BIP, start=D(2024, 1, 31), exit=None, done=done)
    assert due == [("follow_up", D(2024, 8, 31))]


def test_late_start_assessment_moves_the_next_one() -> None:
    done = Done({"start": D(2024, 2, 29)})
    due = next_occasions(schedule=BIP, start=D(2024, 1, 31), exit=None, done=done)
    assert due == [("follow_up", D(2024, 5, 29))]


def test_survey_first_after_three_months_then_only_at_exit() -> None:
    start = D(2024, 1, 31)
    assert next_occasions(schedule=SURVEY, start=start, exit=None, done=Done()) == [
        ("follow_up", D(2024, 4, 30))
    ]
    answered = Done({"follow_up": D(2024, 5, 2)})
    assert next_occasions(schedule=SURVEY, start=start, exit=None, done=answered) == []
    exit = D(2024, 9, 13)
    assert next_occasions(schedule=SURVEY, start=start, exit=exit, done=answered) == [
        ("exit", exit)
    ]
    answered_exit = Done({"follow_up": D(2024, 5, 2), "exit": D(2024, 9, 13)})
    assert next_occasions(schedule=SURVEY, start=start, exit=exit, done=answered_exit) == []


def test_left_participant_is_due_nothing_without_an_exit_instrument() -> None:
    assert next_occasions(schedule=BIP, start=D(2024, 1, 1), exit=D(2024, 6, 1), done=Done()) == []


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (D(2024, 11, 26), Status.OVERDUE),  # Tuesday before
        (D(2024, 11, 27), Status.THIS_WEEK),  # today, a Wednesday
        (D(2024, 12, 1), Status.THIS_WEEK),  # Sunday of the ISO week
        (D(2024, 12, 2), Status.UPCOMING),  # next Monday
        (D(2024, 12, 27), Status.UPCOMING),  # 30 days ahead
        (D(2024, 12, 28), None),
    ],
)
def test_status_by_iso_week_and_thirty_days(due: datetime.date, expected: str | None) -> None:
    assert status_of(due, D(2024, 11, 27)) == expected


@pytest.mark.django_db
def test_due_list_of_an_insats_by_status(world: World) -> None:
    data = setup(world)
    today = D(2024, 6, 5)  # a Wednesday: the week is 3–9 June; INS-1 started 1 March
    with scopes_disabled():
        for instrument, day, occasion in [
            (data.screening, D(2024, 3, 4), "start"),
            (data.assessment, D(2024, 4, 1), "follow_up"),
        ]:
            services.response_record(
                actor=None,
                participant=data.participant,
                instrument=instrument,
                date=day,
                occasion=occasion,
                answers={q.pk: 5 for q in instrument.questions.all()},
            )
        participant(data.insats, "INS-9", D(2024, 5, 31))
        participant(data.insats, "INS-12", D(2024, 6, 6))
        participant(data.neighbour, "INS-13", D(2024, 6, 6))  # an insats without instruments
        result = due_list(intervention=data.insats, today=today)

    def rows(items: list) -> list:
        return [(i.code, i.instrument.name, i.occasion, i.due) for i in items]

    assert rows(result.overdue) == [
        ("INS-1", data.assessment.name, "start", D(2024, 3, 1)),
        ("INS-9", data.screening.name, "start", D(2024, 5, 31)),
        ("INS-9", data.assessment.name, "start", D(2024, 5, 31)),
        ("INS-1", data.survey.name, "follow_up", D(2024, 6, 1)),
        ("INS-1", data.screening.name, "follow_up", D(2024, 6, 4)),
    ]
    assert rows(result.this_week) == [
        ("INS-12", data.screening.name, "start", D(2024, 6, 6)),
        ("INS-12", data.assessment.name, "start", D(2024, 6, 6)),
    ]
    # Three months after the follow-up on 1 April; the survey's and INS-9's and
    # INS-12's next occasions lie more than 30 days ahead.
    assert rows(result.upcoming) == [
        ("INS-1", data.assessment.name, "follow_up", D(2024, 7, 1)),
    ]
    assert [str(i.status_label) for i in result.items[:1]] == ["försenad"]


@pytest.mark.django_db
def test_left_participant_stays_on_the_list_until_the_exit_survey_is_done(world: World) -> None:
    data = setup(world)
    with scopes_disabled():
        left = participant(
            data.insats, "INS-20", D(2024, 1, 8), exit=D(2024, 6, 3), outcome="arbete"
        )
        before = due_list(intervention=data.insats, today=D(2024, 6, 5))
        services.response_record(
            actor=None,
            participant=left,
            instrument=data.survey,
            date=D(2024, 6, 3),
            occasion="exit",
            answers={q.pk: 4 for q in data.survey.questions.all()},
        )
        after = due_list(intervention=data.insats, today=D(2024, 6, 5))
    mine = [(i.instrument.name, i.occasion) for i in before.items if i.code == "INS-20"]
    assert mine == [(data.survey.name, "exit")]
    assert [i for i in after.items if i.code == "INS-20"] == []


@pytest.mark.django_db
def test_due_counts_per_insats_for_the_overview(world: World) -> None:
    data = setup(world)
    with scopes_disabled():
        counts = due_counts(association=world.own, today=D(2024, 3, 1))
    # On the start day: the assessment and the screening are due this week; the
    # neighbouring insats uses no instruments.
    assert counts == {data.insats.pk: (0, 2)}


@pytest.mark.django_db
def test_screening_coverage_against_the_target(world: World) -> None:
    data = setup(world)
    with scopes_disabled():
        second = participant(data.insats, "INS-10", D(2024, 2, 1))
        participant(data.insats, "INS-11", D(2025, 1, 10))  # not in 2024
        services.response_record(
            actor=None,
            participant=second,
            instrument=data.screening,
            date=D(2024, 2, 1),
            occasion="start",
        )
        services.response_record(
            actor=None,
            participant=second,
            instrument=data.screening,
            date=D(2024, 11, 1),
            occasion="follow_up",
        )
        (coverage,) = screening_coverage(intervention=data.insats, year=2024, today=D(2025, 2, 1))
    assert coverage.instrument == data.screening
    assert (coverage.participants, coverage.screened_at_start) == (2, 1)
    assert coverage.share_at_start == Decimal("0.5")
    assert (coverage.active, coverage.screened_recently) == (2, 1)
    assert coverage.target == 90
    assert coverage.meets_target is False
