"""The due list: which assessments, screenings and surveys staff should do next
(DOMAIN.md §4, "with a list of assessments due").

Each instrument an insats uses has a schedule (`Instrument.at_start`,
`first_after_months`, `every_months`, `at_exit`). For each participant still in the
insats, and for one who has left but not yet answered an at-exit instrument, the
next occasion of each instrument is due:

* at start: on the start date, until a response "vid start" is recorded;
* the first follow-up: start + `first_after_months`, until a follow-up is recorded;
* repeating: the latest response (or the start) + `every_months`, again and again;
* at exit: on the exit date, until a response "vid avslut" is recorded.

A participant who has left is due nothing but the at-exit occasion. Months are
calendar months; a day that the target month lacks becomes its last day
(31 January + 1 month = 28 or 29 February).

The schedule itself (`next_occasions`) is plain Python on dates, so it is tested
without a database; `due_list` and `due_counts` read the rows in a few queries.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association
from stegvis.instruments.models import Instrument, InterventionInstrument, Response
from stegvis.interventions.models import Intervention
from stegvis.participants.models import Participant

Occasion = Response.Occasion

# How far ahead "kommande" looks.
UPCOMING_DAYS = 30


class Status:
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    UPCOMING = "upcoming"

    LABELS = {
        OVERDUE: _("försenad"),
        THIS_WEEK: _("denna vecka"),
        UPCOMING: _("kommande"),
    }


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Schedule:
    """An instrument's schedule as plain values."""

    at_start: bool = False
    first_after_months: int | None = None
    every_months: int | None = None
    at_exit: bool = False

    @classmethod
    def of(cls, instrument: Instrument) -> Schedule:
        return cls(
            at_start=instrument.at_start,
            first_after_months=instrument.first_after_months,
            every_months=instrument.every_months,
            at_exit=instrument.at_exit,
        )


@dataclass(frozen=True)
class Done:
    """What a participant has answered of one instrument: the latest date per occasion."""

    latest: Mapping[str, datetime.date] = field(default_factory=dict)

    @property
    def last_any(self) -> datetime.date | None:
        return max(self.latest.values(), default=None)


def next_occasions(
    *,
    schedule: Schedule,
    start: datetime.date,
    exit: datetime.date | None,
    done: Done,
) -> list[tuple[str, datetime.date]]:
    """The occasions of one instrument now due for one participant, with their dates."""
    due: list[tuple[str, datetime.date]] = []
    if exit is not None:
        if schedule.at_exit and Occasion.EXIT not in done.latest:
            due.append((Occasion.EXIT.value, exit))
        return due
    if schedule.at_start and Occasion.START not in done.latest:
        due.append((Occasion.START.value, start))
    if schedule.first_after_months and Occasion.FOLLOW_UP not in done.latest:
        due.append((Occasion.FOLLOW_UP.value, add_months(start, schedule.first_after_months)))
    elif schedule.every_months:
        last = done.last_any or start
        due.append((Occasion.FOLLOW_UP.value, add_months(last, schedule.every_months)))
    return due


def status_of(due: datetime.date, today: datetime.date) -> str | None:
    """Försenad before today; denna vecka up to Sunday of today's ISO week; kommande
    within UPCOMING_DAYS; nothing further ahead."""
    if due < today:
        return Status.OVERDUE
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    if due <= sunday:
        return Status.THIS_WEEK
    if due <= today + datetime.timedelta(days=UPCOMING_DAYS):
        return Status.UPCOMING
    return None


@dataclass(frozen=True)
class DueItem:
    intervention_id: int
    participant_id: int
    code: str
    instrument: Instrument
    occasion: str
    due: datetime.date
    status: str

    @property
    def occasion_label(self) -> str:
        return str(Occasion(self.occasion).label)

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])


@dataclass
class DueList:
    intervention: Intervention
    today: datetime.date
    overdue: list[DueItem] = field(default_factory=list)
    this_week: list[DueItem] = field(default_factory=list)
    upcoming: list[DueItem] = field(default_factory=list)

    @property
    def items(self) -> list[DueItem]:
        return [*self.overdue, *self.this_week, *self.upcoming]

    def __len__(self) -> int:
        return len(self.overdue) + len(self.this_week) + len(self.upcoming)


# ---------------------------------------------------------------------------
# Reading the rows


@dataclass(frozen=True)
class _Row:
    pk: int
    intervention_id: int
    code: str
    start: datetime.date
    exit: datetime.date | None


def _pending_participants(
    interventions: Q, instrument_uses: Iterable[InterventionInstrument]
) -> list[_Row]:
    """Participants who may be due something: no exit, or an exit while an at-exit
    instrument is attached to their insats."""
    with_exit = {use.intervention_id for use in instrument_uses if use.instrument.at_exit}
    rows = (
        Participant.objects.filter(interventions)
        .filter(Q(exit__isnull=True) | Q(intervention_id__in=with_exit))
        .values_list("pk", "intervention_id", "code", "start", "exit")
        .order_by("code")
    )
    return [_Row(*row) for row in rows]


def _done(participants: Q) -> dict[tuple[int, int], dict[str, datetime.date]]:
    """(participant, instrument) → {occasion: latest date}, for the participants the
    filter selects (a join rather than a list of ids, which grows with the förbund)."""
    done: dict[tuple[int, int], dict[str, datetime.date]] = defaultdict(dict)
    latest = (
        Response.objects.filter(participants)
        .values_list("participant_id", "instrument_id", "occasion")
        .annotate(last=Max("date"))
        .order_by()
    )
    for participant_id, instrument_id, occasion, last in latest:
        done[(participant_id, instrument_id)][occasion] = last
    return done


def _items(
    participants: list[_Row],
    uses: list[InterventionInstrument],
    today: datetime.date,
    done: dict[tuple[int, int], dict[str, datetime.date]],
) -> Iterable[DueItem]:
    by_intervention: dict[int, list[Instrument]] = defaultdict(list)
    for use in uses:
        if use.instrument.active:
            by_intervention[use.intervention_id].append(use.instrument)
    schedules = {
        instrument.pk: Schedule.of(instrument)
        for instruments in by_intervention.values()
        for instrument in instruments
    }
    for row in participants:
        for instrument in by_intervention.get(row.intervention_id, []):
            occasions = next_occasions(
                schedule=schedules[instrument.pk],
                start=row.start,
                exit=row.exit,
                done=Done(done.get((row.pk, instrument.pk), {})),
            )
            for occasion, due in occasions:
                status = status_of(due, today)
                if status is not None:
                    yield DueItem(
                        row.intervention_id, row.pk, row.code, instrument, occasion, due, status
                    )


def due_list(*, intervention: Intervention, today: datetime.date | None = None) -> DueList:
    """What is due in one insats: overdue, this week and the coming 30 days, each by
    date, then code."""
    today = today or timezone.localdate()
    uses = list(
        InterventionInstrument.objects.filter(intervention=intervention).select_related(
            "instrument"
        )
    )
    participants = _pending_participants(Q(intervention=intervention), uses)
    done = _done(Q(participant__intervention=intervention))
    result = DueList(intervention=intervention, today=today)
    buckets = {
        Status.OVERDUE: result.overdue,
        Status.THIS_WEEK: result.this_week,
        Status.UPCOMING: result.upcoming,
    }
    for item in _items(participants, uses, today, done):
        buckets[item.status].append(item)
    for bucket in buckets.values():
        bucket.sort(key=lambda item: (item.due, item.code, item.instrument.name))
    return result


def due_counts(
    *, association: Association, today: datetime.date | None = None
) -> dict[int, tuple[int, int]]:
    """Per insats id: (overdue, due this week), for the förbund's overview. Insatser
    with nothing due are left out."""
    today = today or timezone.localdate()
    uses = list(
        InterventionInstrument.objects.filter(association=association).select_related("instrument")
    )
    if not uses:
        return {}
    ids = {use.intervention_id for use in uses}
    participants = _pending_participants(Q(association=association, intervention_id__in=ids), uses)
    done = _done(Q(participant__association=association, participant__intervention_id__in=ids))
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for item in _items(participants, uses, today, done):
        if item.status == Status.OVERDUE:
            counts[item.intervention_id][0] += 1
        elif item.status == Status.THIS_WEEK:
            counts[item.intervention_id][1] += 1
    return {key: (value[0], value[1]) for key, value in counts.items()}


# ---------------------------------------------------------------------------
# Screening coverage


@dataclass(frozen=True)
class Coverage:
    """How many of an insats's participants an instrument has reached.

    `at_start`: of those who took part in the year (started on or before 31 December,
    not left before 1 January), the share with a response "vid start".
    `current`: of those still in the insats on the reference day (31 December, or
    today during the year), the share whose latest response is at most one interval
    (`every_months`) old. Not suppressed: the insats's own figures."""

    instrument: Instrument
    participants: int
    screened_at_start: int
    active: int
    screened_recently: int
    target: int | None

    @property
    def share_at_start(self) -> Decimal | None:
        return _share(self.screened_at_start, self.participants)

    @property
    def share_recently(self) -> Decimal | None:
        return _share(self.screened_recently, self.active)

    @property
    def meets_target(self) -> bool | None:
        share = self.share_at_start
        if self.target is None or share is None:
            return None
        return share * 100 >= self.target


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def screening_coverage(
    *, intervention: Intervention, year: int, today: datetime.date | None = None
) -> list[Coverage]:
    """Coverage of each screening (or other instrument with a coverage target) the
    insats uses, in the year."""
    today = today or timezone.localdate()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    reference = min(last, today)
    instruments = [
        use.instrument
        for use in InterventionInstrument.objects.filter(intervention=intervention)
        .select_related("instrument")
        .order_by("instrument__name")
        if use.instrument.kind == Instrument.Kind.SCREENING
        or use.instrument.coverage_target is not None
    ]
    if not instruments:
        return []
    participants = list(
        Participant.objects.filter(intervention=intervention, start__lte=last)
        .filter(Q(exit__isnull=True) | Q(exit__gte=first))
        .values_list("pk", "start", "exit")
    )
    ids = [pk for pk, _start, _exit in participants]
    done = _done(Q(participant_id__in=ids))
    result = []
    for instrument in instruments:
        at_start = sum(1 for pk in ids if Occasion.START in done.get((pk, instrument.pk), {}))
        active = [
            pk
            for pk, start, exit in participants
            if start <= reference and (exit is None or exit >= reference)
        ]
        interval = instrument.every_months or instrument.first_after_months
        since = add_months(reference, -interval) if interval else first
        recent = sum(
            1
            for pk in active
            if (latest := Done(done.get((pk, instrument.pk), {})).last_any) is not None
            and since <= latest <= reference
        )
        result.append(
            Coverage(
                instrument=instrument,
                participants=len(ids),
                screened_at_start=at_start,
                active=len(active),
                screened_recently=recent,
                target=instrument.coverage_target,
            )
        )
    return result
