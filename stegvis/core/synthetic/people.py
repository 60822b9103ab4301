"""Synthetic participants and their follow-up events, in plain Python.

Nothing here touches the database: `participant_generate` draws one participant
from distributions that look like a Finsam insats's list (kön about 55/43/2, ages
16–64 at start with many young adults, about 60 % exited, stegförflyttning among
the exits about 58 %, support and sysselsättning at start and at exit that fit
together), and `follow_up_due` / `follow_up_answers` give the occasions an
instrument's schedule asks for and plausible answers. The same draws feed the
database generator (`synthetic.build`) and the import benchmark's files
(`participant_file_rows`), so both show the same picture.

Codes are `SYN-000123`: never a name, never shaped like a personnummer.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from stegvis.participants.vocabulary import (
    Education,
    Employment,
    Gender,
    Outcome,
    Referrer,
    Support,
    is_step_progress,
)

FIRST_START = datetime.date(2021, 1, 1)
CODE_PREFIX = "SYN-"

GENDER_WEIGHTS = [(Gender.WOMAN.value, 55), (Gender.MAN.value, 43), (Gender.UNSPECIFIED.value, 2)]
# Stegförflyttning (the first four) ≈ 58 % of exits.
OUTCOME_WEIGHTS = [
    (Outcome.WORK.value, 21),
    (Outcome.STUDIES.value, 10),
    (Outcome.JOB_SEEKING.value, 15),
    (Outcome.OTHER_REHABILITATION.value, 12),
    (Outcome.DROPOUT.value, 24),
    (Outcome.MOVED.value, 6),
    (Outcome.OTHER.value, 12),
]
EDUCATION_WEIGHTS = [
    (Education.COMPULSORY.value, 30),
    (Education.UPPER_SECONDARY.value, 44),
    (Education.POST_SECONDARY.value, 12),
    (Education.UNKNOWN.value, 14),
]
EMPLOYMENT_AT_START_WEIGHTS = [
    (Employment.NONE.value, 46),
    (Employment.JOB_SEEKING.value, 32),
    (Employment.WORK.value, 6),  # employed but on sick leave
    (Employment.SUBSIDISED_WORK.value, 4),
    (Employment.STUDIES.value, 5),
    (Employment.OTHER.value, 3),
]
# Försörjning that goes with each sysselsättning (the first one drawn by weight).
SUPPORT_FOR_EMPLOYMENT: dict[str, list[tuple[str, int]]] = {
    Employment.NONE.value: [
        (Support.SOCIAL_ASSISTANCE.value, 36),
        (Support.SICKNESS_BENEFIT.value, 22),
        (Support.ACTIVITY_COMPENSATION.value, 16),
        (Support.SICKNESS_COMPENSATION.value, 5),
        (Support.NONE.value, 12),
        (Support.ESTABLISHMENT_ALLOWANCE.value, 4),
        (Support.OTHER.value, 5),
    ],
    Employment.JOB_SEEKING.value: [
        (Support.ACTIVITY_GRANT.value, 42),
        (Support.UNEMPLOYMENT_BENEFIT.value, 20),
        (Support.SOCIAL_ASSISTANCE.value, 28),
        (Support.ESTABLISHMENT_ALLOWANCE.value, 6),
        (Support.NONE.value, 4),
    ],
    Employment.WORK.value: [(Support.SICKNESS_BENEFIT.value, 80), (Support.SALARY.value, 20)],
    Employment.SUBSIDISED_WORK.value: [(Support.SALARY.value, 100)],
    Employment.STUDIES.value: [(Support.STUDENT_AID.value, 75), (Support.NONE.value, 25)],
    Employment.OTHER.value: [(Support.OTHER.value, 60), (Support.SOCIAL_ASSISTANCE.value, 40)],
}
# What a person lives on and does after each avslutsorsak.
EMPLOYMENT_AFTER: dict[str, list[tuple[str, int]]] = {
    Outcome.WORK.value: [(Employment.WORK.value, 78), (Employment.SUBSIDISED_WORK.value, 22)],
    Outcome.STUDIES.value: [(Employment.STUDIES.value, 100)],
    Outcome.JOB_SEEKING.value: [(Employment.JOB_SEEKING.value, 100)],
    Outcome.OTHER_REHABILITATION.value: [
        (Employment.NONE.value, 70),
        (Employment.OTHER.value, 30),
    ],
}
SUPPORT_AFTER: dict[str, list[tuple[str, int]]] = {
    Employment.WORK.value: [(Support.SALARY.value, 100)],
    Employment.SUBSIDISED_WORK.value: [(Support.SALARY.value, 100)],
    Employment.STUDIES.value: [(Support.STUDENT_AID.value, 100)],
    Employment.JOB_SEEKING.value: [
        (Support.ACTIVITY_GRANT.value, 55),
        (Support.UNEMPLOYMENT_BENEFIT.value, 15),
        (Support.SOCIAL_ASSISTANCE.value, 30),
    ],
}


def weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    total = sum(weight for _value, weight in choices)
    point = rng.random() * total
    for value, weight in choices:
        point -= weight
        if point < 0:
            return value
    return choices[-1][0]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    days_in_month = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return datetime.date(year, month, min(day.day, days_in_month[month - 1]))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def participant_code(number: int) -> str:
    return f"{CODE_PREFIX}{number:06d}"


@dataclass(frozen=True)
class Places:
    """The members a participant may be linked to, by name (the file) or key (the database).

    `municipalities` are weighted by population; `state` holds Försäkringskassan
    and Arbetsförmedlingen, in that order.
    """

    municipalities: Sequence[tuple[str, int]]
    state: Sequence[str]
    region: str


@dataclass
class SyntheticParticipant:
    code: str
    gender: str
    birth_year: int
    start: datetime.date
    municipality: str | None
    referring_member: str | None
    referrer_other: str
    support_at_start: list[str]
    employment_at_start: str
    education: str
    months_without_work: int | None
    exit: datetime.date | None = None
    outcome: str = ""
    support_at_exit: list[str] = field(default_factory=list)
    employment_at_exit: str = ""
    handover_to: str | None = None
    consent: datetime.date | None = None

    @property
    def step_progress(self) -> bool:
        return self.exit is not None and is_step_progress(self.outcome)


def _age(rng: random.Random) -> int:
    """16–64, most between 20 and 35 (many insatser are for young adults)."""
    if rng.random() < 0.55:
        return min(64, max(16, round(rng.gauss(25, 5))))
    return rng.randint(16, 64)


def _start(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A start day between `first` and `last`, more of them in recent years: insatser
    grow, and the density rises to e² ≈ 7 times its first value over the span."""
    span = (last - first).days
    if span <= 0:
        return first
    growth = 2.0
    offset = math.log(1 + rng.random() * (math.exp(growth) - 1)) / growth * span
    return first + datetime.timedelta(days=min(span, int(offset)))


def _duration_days(rng: random.Random) -> int:
    """Time in the insats: median about a year, a few up to four years."""
    months = min(48.0, max(0.5, rng.lognormvariate(math.log(13), 0.75)))
    return int(months * 30.4)


def _supports(rng: random.Random, employment: str) -> list[str]:
    first = weighted(rng, SUPPORT_FOR_EMPLOYMENT[employment])
    found = [first]
    # Some have two at once: aktivitetsstöd topped up with ekonomiskt bistånd, etc.
    if first in {Support.ACTIVITY_GRANT.value, Support.SICKNESS_BENEFIT.value} and (
        rng.random() < 0.18
    ):
        found.append(Support.SOCIAL_ASSISTANCE.value)
    return found


def participant_generate(
    rng: random.Random,
    *,
    number: int,
    places: Places,
    first: datetime.date,
    last: datetime.date,
    today: datetime.date,
    closes: datetime.date | None = None,
) -> SyntheticParticipant:
    """One participant who starts between `first` and `last` (≤ today). Exits lie
    on or before today, and on or before `closes` when the insats has ended."""
    gender = weighted(rng, GENDER_WEIGHTS)
    start = _start(rng, first, min(last, today))
    # Born 1960–2008 and 16–64 years old in the start year.
    earliest, latest = max(1960, start.year - 64), min(2008, start.year - 16)
    birth_year = min(latest, max(earliest, start.year - _age(rng)))
    employment = weighted(rng, EMPLOYMENT_AT_START_WEIGHTS)
    if start.year - birth_year < 19 and employment in {
        Employment.WORK.value,
        Employment.SUBSIDISED_WORK.value,
    }:
        employment = Employment.NONE.value
    support = _supports(rng, employment)
    if start.year - birth_year < 30 and support[0] == Support.SICKNESS_COMPENSATION.value:
        support[0] = Support.ACTIVITY_COMPENSATION.value  # young people get aktivitetsersättning
    if employment in {Employment.WORK.value, Employment.SUBSIDISED_WORK.value}:
        months_without_work: int | None = 0
    else:
        months_without_work = min(240, int(rng.expovariate(1 / 30)))
    municipality = weighted(rng, places.municipalities) if places.municipalities else None
    referrer_draw = rng.random()
    referring_member: str | None
    referrer_other = ""
    if referrer_draw < 0.27:
        referring_member = places.state[0]
    elif referrer_draw < 0.55:
        referring_member = places.state[1]
    elif referrer_draw < 0.85:
        referring_member = municipality
    elif referrer_draw < 0.95:
        referring_member = places.region
    else:
        referring_member = None
        referrer_other = Referrer.SELF.value if referrer_draw < 0.99 else Referrer.OTHER.value
    participant = SyntheticParticipant(
        code=participant_code(number),
        gender=gender,
        birth_year=birth_year,
        start=start,
        municipality=municipality if rng.random() < 0.96 else None,
        referring_member=referring_member,
        referrer_other=referrer_other,
        support_at_start=support if rng.random() < 0.95 else [],
        employment_at_start=employment if rng.random() < 0.95 else "",
        education=weighted(rng, EDUCATION_WEIGHTS),
        months_without_work=months_without_work if rng.random() < 0.85 else None,
        consent=(start - datetime.timedelta(days=rng.randint(0, 14)))
        if rng.random() < 0.93
        else None,
    )
    exit = start + datetime.timedelta(days=_duration_days(rng))
    limit = min(today, closes) if closes else today
    if exit > limit:
        if closes is None or closes > today:
            return participant  # still in the insats
        exit = max(start, closes)  # the insats ended: everyone left by then
    _exit(rng, participant, exit, places)
    return participant


def _exit(
    rng: random.Random, participant: SyntheticParticipant, exit: datetime.date, places: Places
) -> None:
    outcome = weighted(rng, OUTCOME_WEIGHTS)
    participant.exit = exit
    participant.outcome = outcome
    if outcome in EMPLOYMENT_AFTER:
        employment = weighted(rng, EMPLOYMENT_AFTER[outcome])
    else:
        employment = participant.employment_at_start
    if employment in SUPPORT_AFTER:
        support = [weighted(rng, SUPPORT_AFTER[employment])]
    else:
        support = list(participant.support_at_start)
    if outcome == Outcome.MOVED.value and rng.random() < 0.5:
        employment, support = "", []  # not known after a move
    participant.employment_at_exit = employment if rng.random() < 0.95 else ""
    participant.support_at_exit = support if rng.random() < 0.95 else []
    receiver = {
        Outcome.JOB_SEEKING.value: places.state[1],
        Outcome.WORK.value: places.state[1],
        Outcome.OTHER_REHABILITATION.value: places.region,
        Outcome.STUDIES.value: participant.municipality,
    }.get(outcome)
    if receiver is not None and rng.random() < 0.9:
        participant.handover_to = receiver


# Follow-up events --------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """What an instrument asks for (the fields of `instruments.Instrument`)."""

    key: int
    kind: str
    at_start: bool
    first_after_months: int | None
    every_months: int | None
    at_exit: bool
    questions: Sequence[int] = ()
    scale_min: int | None = None
    scale_max: int | None = None
    agree_from: int | None = None


def follow_up_due(
    schedule: Schedule, participant: SyntheticParticipant, today: datetime.date
) -> list[tuple[datetime.date, str]]:
    """The (date, occasion) pairs the schedule asks for while the participant is in
    the insats; occasions are the codes of `instruments.Response.Occasion`."""
    end = participant.exit or today
    due: list[tuple[datetime.date, str]] = []
    if schedule.at_start:
        due.append((participant.start, "start"))
    step = schedule.first_after_months or schedule.every_months
    if step:
        day = add_months(participant.start, step)
        while day < end:
            due.append((day, "follow_up"))
            if not schedule.every_months:
                break
            day = add_months(day, schedule.every_months)
    if schedule.at_exit and participant.exit is not None:
        due.append((participant.exit, "exit"))
    return due


def follow_up_date(
    rng: random.Random,
    due: datetime.date,
    occasion: str,
    participant: SyntheticParticipant,
    today: datetime.date,
) -> datetime.date:
    """The day it was done: on the day at start, up to a fortnight late later on,
    never after the exit or today."""
    if occasion == "start":
        return due
    if occasion == "exit":
        return max(participant.start, due - datetime.timedelta(days=rng.randint(0, 7)))
    done = due + datetime.timedelta(days=rng.randint(0, 14))
    return min(done, participant.exit or today, today)


def follow_up_answers(
    rng: random.Random,
    schedule: Schedule,
    participant: SyntheticParticipant,
    when: datetime.date,
    baseline: float,
) -> list[tuple[int, int]]:
    """(question key, value) for one response. Assessments rise over time, more for
    those who leave with stegförflyttning; surveys mostly agree."""
    low, high = schedule.scale_min, schedule.scale_max
    if low is None or high is None or not schedule.questions:
        return []
    answers = []
    if schedule.kind == "assessment":
        years = (when - participant.start).days / 365
        rise = 2.5 if participant.step_progress else 1.0
        level = baseline + rise * years
        random_ = rng.random
        for index, question in enumerate(schedule.questions):
            # Some questions a little above, some below; noise of about ±1.5 steps.
            value = level + (index % 3 - 1) * 0.6 + (random_() + random_() - 1) * 1.5
            answers.append((question, int(min(high, max(low, round(value))))))
        return answers
    agree_from = schedule.agree_from if schedule.agree_from is not None else high
    agree = 0.85 if participant.step_progress else 0.7
    for question in schedule.questions:
        if rng.random() < agree:
            value = rng.randint(agree_from, high)
        else:
            value = rng.randint(low, max(low, agree_from - 1))
        answers.append((question, value))
    return answers


def assessment_baseline(rng: random.Random, schedule: Schedule) -> float:
    low = schedule.scale_min if schedule.scale_min is not None else 1
    high = schedule.scale_max if schedule.scale_max is not None else 10
    return low + (high - low) * rng.uniform(0.15, 0.5)


# The participant file ----------------------------------------------------------

FILE_COLUMNS = [
    "kod",
    "kön",
    "födelseår",
    "kommun",
    "remitterande part",
    "startdatum",
    "försörjning vid start",
    "sysselsättning vid start",
    "utbildningsnivå",
    "månader utan arbete",
    "slutdatum",
    "avslutsorsak",
    "försörjning vid slut",
    "sysselsättning vid slut",
    "överlämning till",
    "samtycke",
]


def participant_file_row(participant: SyntheticParticipant, *, separator: str = ",") -> list[str]:
    """The participant as a row of the participant file (spec/participant-file.md);
    `separator` joins several försörjning codes in one cell."""

    def day(value: datetime.date | None) -> str:
        return value.isoformat() if value else ""

    return [
        participant.code,
        participant.gender,
        str(participant.birth_year),
        participant.municipality or "",
        participant.referring_member or participant.referrer_other,
        day(participant.start),
        separator.join(participant.support_at_start),
        participant.employment_at_start,
        participant.education,
        "" if participant.months_without_work is None else str(participant.months_without_work),
        day(participant.exit),
        participant.outcome,
        separator.join(participant.support_at_exit),
        participant.employment_at_exit,
        participant.handover_to or "",
        day(participant.consent),
    ]


def participant_file_rows(
    *,
    count: int,
    seed: int,
    places: Places,
    today: datetime.date,
    first: datetime.date = FIRST_START,
    first_number: int = 1,
    separator: str = ",",
) -> list[list[str]]:
    """`count` rows of a participant file (without the header, see `FILE_COLUMNS`)."""
    rng = random.Random(seed)  # noqa: S311 - made-up data
    return [
        participant_file_row(
            participant_generate(
                rng,
                number=first_number + index,
                places=places,
                first=first,
                last=today,
                today=today,
            ),
            separator=separator,
        )
        for index in range(count)
    ]
