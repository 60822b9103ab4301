"""The arithmetic of attendance-based financing of konsultationsteam, on plain values
(no database), like finance/budget.py.

The förbund pays each member for its staff's attendance in its konsultationsteam
("en närvarobaserad modell för finansiering av Region Blekinges,
Arbetsförmedlingens och Försäkringskassans personal", seeds/000_… B2). The rules:

* An attendance earns when the representative came, the meeting was held (a
  cancelled meeting earns nothing), the meeting lies in the period, and the person
  was the member's representative in that team on the meeting's date (a
  representative replaced mid-period earns for the days they were appointed, their
  successor from then on).
* It earns the rate valid on the meeting's date: an amount per attended meeting, or
  per hour times the hours attended (the meeting's length unless other hours were
  recorded). The most specific rate wins: one team and one member, one team and all
  members, all teams and one member, all teams and all members; among equally
  specific rates, the one that started last. No rate: the attendance counts but earns
  nothing (a member the förbund does not fund, like the kommuner in Blekinge).
* Amounts are exact in kronor and öre (whole-krona rates times hours with at most two
  decimals); totals are sums of the attendances, so a member's total, a team's total
  and the whole are always the same money, and a period split in two adds up to the
  whole.

Attendance rate: of the held meetings where a member had a valid representative in
the team (expected), how many at least one of them attended.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PER_MEETING = "meeting"
PER_HOUR = "hour"
UNITS = (PER_MEETING, PER_HOUR)
CENT = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Representative:
    id: int
    team: int
    member: int
    valid_from: datetime.date
    valid_to: datetime.date | None = None

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def valid_during(self, start: datetime.date, end: datetime.date) -> bool:
        return self.valid_from <= end and (self.valid_to is None or start <= self.valid_to)


@dataclass(frozen=True)
class Meeting:
    id: int
    team: int
    date: datetime.date
    hours: Decimal  # the meeting's length
    cancelled: bool = False


@dataclass(frozen=True)
class Attendance:
    meeting: int
    representative: int
    attended: bool = True
    hours: Decimal | None = None  # when it differs from the meeting's length


@dataclass(frozen=True)
class Rate:
    amount: int  # whole kronor
    unit: str  # PER_MEETING | PER_HOUR
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    team: int | None = None  # None: every team
    member: int | None = None  # None: every member
    id: int | None = None

    def valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def specificity(self) -> int:
        return (2 if self.team is not None else 0) + (1 if self.member is not None else 0)


def rate_for(rates: Iterable[Rate], *, team: int, member: int, on: datetime.date) -> Rate | None:
    """The rate a member's attendance in a team earns on a day (see the module)."""
    candidates = [
        rate
        for rate in rates
        if rate.valid_on(on) and rate.team in (None, team) and rate.member in (None, member)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda rate: (rate.specificity, rate.valid_from, rate.id or 0))


def earned(rate: Rate | None, hours: Decimal) -> Decimal:
    if rate is None:
        return ZERO
    if rate.unit == PER_HOUR:
        return (Decimal(rate.amount) * hours).quantize(CENT, rounding=ROUND_HALF_UP)
    return Decimal(rate.amount).quantize(CENT)


# ---------------------------------------------------------------------------
# What was earned


@dataclass(frozen=True)
class Earning:
    """One representative's attendance at one held meeting."""

    meeting: int
    team: int
    member: int
    representative: int
    date: datetime.date
    hours: Decimal
    rate: Rate | None
    amount: Decimal


@dataclass
class RateLine:
    """A member's attendances that earned one rate."""

    rate: Rate | None
    meetings: int = 0
    hours: Decimal = ZERO
    amount: Decimal = ZERO


@dataclass
class MemberEarnings:
    member: int
    meetings: int = 0  # attendances: two representatives at one meeting count twice
    hours: Decimal = ZERO
    amount: Decimal = ZERO
    lines: list[RateLine] = field(default_factory=list)


@dataclass
class Basis:
    """The basis for payment of a period."""

    start: datetime.date
    end: datetime.date
    earnings: list[Earning]
    members: dict[int, MemberEarnings]
    teams: dict[int, Decimal]
    team_members: dict[tuple[int, int], MemberEarnings]

    @property
    def total(self) -> Decimal:
        return sum((earning.amount for earning in self.earnings), ZERO)

    @property
    def meetings(self) -> int:
        return len(self.earnings)

    @property
    def hours(self) -> Decimal:
        return sum((earning.hours for earning in self.earnings), ZERO)


def counted(
    *,
    meetings: Iterable[Meeting],
    representatives: Iterable[Representative],
    attendance: Iterable[Attendance],
    start: datetime.date,
    end: datetime.date,
) -> Iterator[tuple[Meeting, Representative, Attendance]]:
    """The attendances that count: the representative came to a held meeting in the
    period while appointed to that team. Each (meeting, representative) once."""
    held = {m.id: m for m in meetings if not m.cancelled and start <= m.date <= end}
    people = {r.id: r for r in representatives}
    seen: set[tuple[int, int]] = set()
    for row in attendance:
        meeting = held.get(row.meeting)
        person = people.get(row.representative)
        key = (row.meeting, row.representative)
        if (
            not row.attended
            or meeting is None
            or person is None
            or key in seen
            or person.team != meeting.team
            or not person.valid_on(meeting.date)
        ):
            continue
        seen.add(key)
        yield meeting, person, row


def _add(totals: MemberEarnings, earning: Earning) -> None:
    totals.meetings += 1
    totals.hours += earning.hours
    totals.amount += earning.amount
    for line in totals.lines:
        if line.rate == earning.rate:
            break
    else:
        line = RateLine(earning.rate)
        totals.lines.append(line)
    line.meetings += 1
    line.hours += earning.hours
    line.amount += earning.amount


def basis(
    *,
    meetings: Iterable[Meeting],
    representatives: Iterable[Representative],
    attendance: Iterable[Attendance],
    rates: Iterable[Rate],
    start: datetime.date,
    end: datetime.date,
) -> Basis:
    """What each member's staff have earned between `start` and `end` (both
    included), per member, per team and per team and member."""
    if start > end:
        raise ValueError(f"period start {start} is after its end {end}")
    rates = list(rates)
    earnings: list[Earning] = []
    for meeting, person, row in counted(
        meetings=meetings,
        representatives=representatives,
        attendance=attendance,
        start=start,
        end=end,
    ):
        hours = row.hours if row.hours is not None else meeting.hours
        rate = rate_for(rates, team=meeting.team, member=person.member, on=meeting.date)
        earnings.append(
            Earning(
                meeting=meeting.id,
                team=meeting.team,
                member=person.member,
                representative=person.id,
                date=meeting.date,
                hours=hours,
                rate=rate,
                amount=earned(rate, hours),
            )
        )
    earnings.sort(key=lambda e: (e.date, e.team, e.meeting, e.member, e.representative))
    members: dict[int, MemberEarnings] = {}
    teams: dict[int, Decimal] = {}
    team_members: dict[tuple[int, int], MemberEarnings] = {}
    for earning in earnings:
        _add(members.setdefault(earning.member, MemberEarnings(earning.member)), earning)
        key = (earning.team, earning.member)
        _add(team_members.setdefault(key, MemberEarnings(earning.member)), earning)
        teams[earning.team] = teams.get(earning.team, ZERO) + earning.amount
    for totals in (*members.values(), *team_members.values()):
        totals.lines.sort(key=lambda line: line.rate.valid_from if line.rate else datetime.date.min)
    return Basis(start, end, earnings, members, teams, team_members)


# ---------------------------------------------------------------------------
# Attendance and representation


@dataclass(frozen=True)
class Presence:
    member: int
    expected: int  # held meetings where the member had a representative in the team
    attended: int  # of those, the meetings at least one of its representatives came to
    represented: bool = True  # had a representative at some time in the period

    @property
    def share(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(self.attended) / Decimal(self.expected)).quantize(
            SHARE_PLACES, rounding=ROUND_HALF_UP
        )


def presence(
    *,
    meetings: Iterable[Meeting],
    representatives: Iterable[Representative],
    attendance: Iterable[Attendance],
    start: datetime.date,
    end: datetime.date,
) -> dict[int, Presence]:
    """Per member with a representative some time between `start` and `end`: the
    attendance rate over the held meetings of the period."""
    meetings = list(meetings)
    representatives = list(representatives)
    attendance = list(attendance)
    held = [m for m in meetings if not m.cancelled and start <= m.date <= end]
    came = {
        (meeting.id, person.member)
        for meeting, person, _row in counted(
            meetings=held,
            representatives=representatives,
            attendance=attendance,
            start=start,
            end=end,
        )
    }
    expected: dict[int, int] = {}
    attended: dict[int, int] = {}
    for person in representatives:
        if person.valid_during(start, end):
            expected.setdefault(person.member, 0)
            attended.setdefault(person.member, 0)
    for meeting in held:
        members = {
            person.member
            for person in representatives
            if person.team == meeting.team and person.valid_on(meeting.date)
        }
        for member in members:
            expected[member] = expected.get(member, 0) + 1
            if (meeting.id, member) in came:
                attended[member] = attended.get(member, 0) + 1
    return {
        member: Presence(member, expected[member], attended.get(member, 0)) for member in expected
    }


def months(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar months from `start` to `end`, cut to the period."""
    result = []
    first = start.replace(day=1)
    while first <= end:
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        result.append((max(first, start), min(following - datetime.timedelta(days=1), end)))
        first = following
    return result


@dataclass(frozen=True)
class MonthPresence:
    month: datetime.date  # the month's first day
    presence: dict[int, Presence]  # per member; represented False when it had nobody


def presence_by_month(
    *,
    meetings: Iterable[Meeting],
    representatives: Iterable[Representative],
    attendance: Iterable[Attendance],
    start: datetime.date,
    end: datetime.date,
) -> list[MonthPresence]:
    """Representation over time: per month and per member with a representative some
    time in the period, the month's attendance, and whether it was represented."""
    meetings = list(meetings)
    representatives = list(representatives)
    attendance = list(attendance)
    members = sorted(
        {person.member for person in representatives if person.valid_during(start, end)}
    )
    result = []
    for first, last in months(start, end):
        month = presence(
            meetings=meetings,
            representatives=representatives,
            attendance=attendance,
            start=first,
            end=last,
        )
        result.append(
            MonthPresence(
                first.replace(day=1),
                {
                    member: month.get(member, Presence(member, 0, 0, represented=False))
                    for member in members
                },
            )
        )
    return result
