"""The arithmetic of attendance-based financing (`structural.financing`), on plain
values: a hand-computed year with a representative replaced mid-period and a
cancelled meeting, the choice of rate, and properties that hold for any data."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stegvis.structural import financing
from stegvis.structural.financing import (
    PER_HOUR,
    PER_MEETING,
    Attendance,
    Meeting,
    Rate,
    Representative,
)

D = datetime.date
TWO = Decimal(2)

# Members and representatives of one team (1).
FK, AF, REGION, KOMMUN = 1, 2, 3, 4
ANNA, BERTIL, CECILIA, DAVID, EVA = 11, 12, 13, 14, 15
REPRESENTATIVES = [
    Representative(ANNA, 1, FK, D(2024, 1, 1), D(2024, 3, 15)),  # replaced by Bertil
    Representative(BERTIL, 1, FK, D(2024, 3, 16)),
    Representative(CECILIA, 1, AF, D(2024, 1, 1)),
    Representative(DAVID, 1, REGION, D(2024, 1, 1)),
    Representative(EVA, 1, KOMMUN, D(2024, 1, 1)),
]
MEETINGS = [
    Meeting(1, 1, D(2024, 1, 10), TWO),
    Meeting(2, 1, D(2024, 2, 14), TWO),
    Meeting(3, 1, D(2024, 3, 13), TWO),
    Meeting(4, 1, D(2024, 3, 27), TWO, cancelled=True),
    Meeting(5, 1, D(2024, 4, 10), TWO),
    Meeting(6, 1, D(2024, 5, 8), TWO),
]
ATTENDANCE = [
    *[Attendance(1, rep) for rep in (ANNA, CECILIA, DAVID, EVA)],
    Attendance(2, ANNA),
    Attendance(2, CECILIA, attended=False),
    Attendance(2, DAVID, hours=Decimal("1.5")),
    Attendance(2, EVA),
    Attendance(3, ANNA),
    Attendance(3, CECILIA),
    Attendance(3, DAVID, attended=False),
    Attendance(3, EVA, attended=False),
    # The cancelled meeting: everyone "came", nobody earns.
    *[Attendance(4, rep) for rep in (BERTIL, CECILIA, DAVID, EVA)],
    # Anna is no longer the representative on 10 April: her row does not count.
    *[Attendance(5, rep) for rep in (ANNA, BERTIL, CECILIA, DAVID, EVA)],
    Attendance(6, BERTIL),
    Attendance(6, DAVID),
]
RATES = [
    Rate(1500, PER_MEETING, D(2024, 1, 1), id=1),  # every member, every team
    Rate(600, PER_HOUR, D(2024, 1, 1), member=REGION, id=2),
    Rate(0, PER_MEETING, D(2024, 1, 1), member=KOMMUN, id=3),  # the kommun is not funded
    Rate(1800, PER_MEETING, D(2024, 4, 1), member=FK, id=4),
]


def basis_of(start: datetime.date, end: datetime.date) -> financing.Basis:
    return financing.basis(
        meetings=MEETINGS,
        representatives=REPRESENTATIVES,
        attendance=ATTENDANCE,
        rates=RATES,
        start=start,
        end=end,
    )


def test_tertial_one_by_hand() -> None:
    basis = basis_of(D(2024, 1, 1), D(2024, 4, 30))
    # FK: Anna at meetings 1–3 (1 500 each), Bertil at meeting 5 (FK's own rate 1 800
    # from April).
    fk = basis.members[FK]
    assert (fk.meetings, fk.amount) == (4, Decimal(6300))
    assert [(line.rate.id if line.rate else None, line.meetings) for line in fk.lines] == [
        (1, 3),
        (4, 1),
    ]
    # AF: absent on 14 February.
    assert (basis.members[AF].meetings, basis.members[AF].amount) == (3, Decimal(4500))
    # Region per hour: 2 + 1,5 + 2 hours at 600 kr.
    region = basis.members[REGION]
    assert (region.meetings, region.hours, region.amount) == (3, Decimal("5.5"), Decimal(3300))
    # The kommun's attendance counts, at 0 kr.
    assert (basis.members[KOMMUN].meetings, basis.members[KOMMUN].amount) == (3, Decimal(0))
    assert basis.total == Decimal(14100)
    assert basis.teams == {1: Decimal(14100)}
    assert basis.meetings == 13


def test_replaced_representative_earns_only_while_appointed() -> None:
    basis = basis_of(D(2024, 1, 1), D(2024, 12, 31))
    by_person: dict[int, Decimal] = {}
    for earning in basis.earnings:
        by_person[earning.representative] = by_person.get(earning.representative, Decimal(0)) + (
            earning.amount
        )
    assert by_person[ANNA] == Decimal(4500)  # 10 Jan, 14 Feb, 13 Mar; not 10 Apr
    assert by_person[BERTIL] == Decimal(3600)  # 10 Apr and 8 May, not the cancelled 27 Mar
    assert not [e for e in basis.earnings if e.representative == ANNA and e.meeting == 5]


def test_cancelled_meeting_earns_nothing() -> None:
    basis = basis_of(D(2024, 3, 1), D(2024, 3, 31))
    assert {earning.meeting for earning in basis.earnings} == {3}
    assert basis.total == Decimal(3000)  # Anna and Cecilia on 13 March


def test_the_year_is_its_tertial_and_the_rest() -> None:
    year = basis_of(D(2024, 1, 1), D(2024, 12, 31))
    assert year.total == Decimal(14100) + Decimal(1800) + Decimal(1200)
    assert year.members[FK].amount == Decimal(8100)


def test_attendance_rate_by_hand() -> None:
    presence = financing.presence(
        meetings=MEETINGS,
        representatives=REPRESENTATIVES,
        attendance=ATTENDANCE,
        start=D(2024, 1, 1),
        end=D(2024, 4, 30),
    )
    # Four held meetings: the cancelled one is not expected of anyone.
    assert {m: (p.attended, p.expected) for m, p in presence.items()} == {
        FK: (4, 4),
        AF: (3, 4),
        REGION: (3, 4),
        KOMMUN: (3, 4),
    }
    assert presence[FK].share == Decimal(1)
    assert presence[AF].share == Decimal("0.75")


def test_representation_per_month_by_hand() -> None:
    months = financing.presence_by_month(
        meetings=MEETINGS,
        representatives=REPRESENTATIVES,
        attendance=ATTENDANCE,
        start=D(2024, 1, 1),
        end=D(2024, 6, 30),
    )
    assert [m.month for m in months] == [D(2024, month, 1) for month in range(1, 7)]
    table = [{member: (p.attended, p.expected) for member, p in m.presence.items()} for m in months]
    assert table[1] == {FK: (1, 1), AF: (0, 1), REGION: (1, 1), KOMMUN: (1, 1)}
    assert table[2] == {FK: (1, 1), AF: (1, 1), REGION: (0, 1), KOMMUN: (0, 1)}
    assert table[5] == {FK: (0, 0), AF: (0, 0), REGION: (0, 0), KOMMUN: (0, 0)}  # no meeting
    assert months[5].presence[FK].share is None


def test_a_month_without_a_representative_is_not_represented() -> None:
    people = [Representative(1, 1, FK, D(2024, 3, 1), D(2024, 3, 31))]
    months = financing.presence_by_month(
        meetings=[Meeting(1, 1, D(2024, 3, 5), TWO)],
        representatives=people,
        attendance=[Attendance(1, 1)],
        start=D(2024, 2, 1),
        end=D(2024, 4, 30),
    )
    assert [m.presence[FK].represented for m in months] == [False, True, False]
    assert months[1].presence[FK].share == Decimal(1)


def test_the_most_specific_rate_wins_then_the_latest() -> None:
    rates = [
        Rate(100, PER_MEETING, D(2024, 1, 1), id=1),
        Rate(200, PER_MEETING, D(2024, 1, 1), member=7, id=2),
        Rate(300, PER_MEETING, D(2024, 1, 1), team=5, id=3),
        Rate(400, PER_MEETING, D(2024, 1, 1), team=5, member=7, id=4),
        Rate(500, PER_MEETING, D(2024, 6, 1), id=5),
    ]
    on = D(2024, 7, 1)
    assert financing.rate_for(rates, team=5, member=7, on=on).id == 4
    assert financing.rate_for(rates, team=5, member=8, on=on).id == 3
    assert financing.rate_for(rates, team=6, member=7, on=on).id == 2
    assert financing.rate_for(rates, team=6, member=8, on=on).id == 5
    assert financing.rate_for(rates, team=6, member=8, on=D(2024, 3, 1)).id == 1
    assert financing.rate_for(rates, team=6, member=8, on=D(2023, 12, 31)) is None


def test_hourly_rate_is_exact_in_ore() -> None:
    rate = Rate(455, PER_HOUR, D(2024, 1, 1))
    assert financing.earned(rate, Decimal("1.25")) == Decimal("568.75")
    assert financing.earned(None, Decimal(3)) == Decimal(0)


def test_months_are_cut_to_the_period() -> None:
    assert financing.months(D(2024, 1, 15), D(2024, 3, 10)) == [
        (D(2024, 1, 15), D(2024, 1, 31)),
        (D(2024, 2, 1), D(2024, 2, 29)),
        (D(2024, 3, 1), D(2024, 3, 10)),
    ]


# ---------------------------------------------------------------------------
# Properties

YEAR_START, YEAR_END = D(2024, 1, 1), D(2024, 12, 31)
days = st.integers(min_value=0, max_value=365).map(lambda n: YEAR_START + datetime.timedelta(n))
hours = st.sampled_from([Decimal("0.5"), Decimal(1), Decimal("1.25"), Decimal(2), Decimal(3)])


@st.composite
def worlds(draw: st.DrawFn) -> dict[str, list]:
    representatives = []
    for pk in range(1, draw(st.integers(min_value=1, max_value=8)) + 1):
        start = draw(days)
        end = draw(st.none() | days.filter(lambda day, start=start: day >= start))
        representatives.append(
            Representative(
                pk,
                draw(st.sampled_from([1, 2])),
                draw(st.sampled_from([FK, AF, REGION, KOMMUN])),
                start,
                end,
            )
        )
    meetings = [
        Meeting(pk, draw(st.sampled_from([1, 2])), draw(days), draw(hours), draw(st.booleans()))
        for pk in range(1, draw(st.integers(min_value=0, max_value=12)) + 1)
    ]
    attendance = [
        Attendance(
            meeting.id,
            person.id,
            attended=draw(st.booleans()),
            hours=draw(st.none() | hours),
        )
        for meeting in meetings
        for person in representatives
        if draw(st.booleans())
    ]
    rates = []
    for pk in range(1, draw(st.integers(min_value=0, max_value=6)) + 1):
        start = draw(days)
        rates.append(
            Rate(
                draw(st.integers(min_value=0, max_value=5000)),
                draw(st.sampled_from([PER_MEETING, PER_HOUR])),
                start,
                draw(st.none() | days.filter(lambda day, start=start: day >= start)),
                team=draw(st.none() | st.sampled_from([1, 2])),
                member=draw(st.none() | st.sampled_from([FK, AF, REGION, KOMMUN])),
                id=pk,
            )
        )
    return {
        "meetings": meetings,
        "representatives": representatives,
        "attendance": attendance,
        "rates": rates,
    }


@given(worlds())
def test_total_is_the_sum_over_members_and_over_teams(world: dict) -> None:
    basis = financing.basis(**world, start=YEAR_START, end=YEAR_END)
    assert basis.total == sum((m.amount for m in basis.members.values()), Decimal(0))
    assert basis.total == sum(basis.teams.values(), Decimal(0))
    assert basis.total == sum((m.amount for m in basis.team_members.values()), Decimal(0))
    assert basis.meetings == sum(m.meetings for m in basis.members.values())
    for member in basis.members.values():
        assert member.amount == sum((line.amount for line in member.lines), Decimal(0))
        assert member.meetings == sum(line.meetings for line in member.lines)


@given(worlds())
def test_nothing_is_ever_negative(world: dict) -> None:
    basis = financing.basis(**world, start=YEAR_START, end=YEAR_END)
    assert basis.total >= 0
    assert all(earning.amount >= 0 and earning.hours > 0 for earning in basis.earnings)
    assert all(amount >= 0 for amount in basis.teams.values())


@given(worlds(), st.sampled_from([1, 2]), days)
def test_a_cancelled_meeting_never_changes_the_totals(
    world: dict,
    team: int,
    day: datetime.date,
) -> None:
    before = financing.basis(**world, start=YEAR_START, end=YEAR_END)
    cancelled = Meeting(999, team, day, TWO, cancelled=True)
    everyone = [Attendance(999, person.id) for person in world["representatives"]]
    after = financing.basis(
        meetings=[*world["meetings"], cancelled],
        representatives=world["representatives"],
        attendance=[*world["attendance"], *everyone],
        rates=world["rates"],
        start=YEAR_START,
        end=YEAR_END,
    )
    assert after.total == before.total
    assert {k: v.amount for k, v in after.members.items()} == {
        k: v.amount for k, v in before.members.items()
    }
    presence_args = {k: world[k] for k in ("representatives",)}
    assert financing.presence(
        meetings=[*world["meetings"], cancelled],
        attendance=[*world["attendance"], *everyone],
        start=YEAR_START,
        end=YEAR_END,
        **presence_args,
    ) == financing.presence(
        meetings=world["meetings"],
        attendance=world["attendance"],
        start=YEAR_START,
        end=YEAR_END,
        **presence_args,
    )


@given(worlds(), days)
def test_a_period_split_in_two_adds_up_to_the_whole(
    world: dict,
    cut: datetime.date,
) -> None:
    whole = financing.basis(**world, start=YEAR_START, end=YEAR_END)
    first = financing.basis(**world, start=YEAR_START, end=cut)
    second = (
        financing.basis(**world, start=cut + datetime.timedelta(days=1), end=YEAR_END)
        if cut < YEAR_END
        else None
    )
    rest = second.total if second else Decimal(0)
    assert first.total + rest == whole.total
    for member, totals in whole.members.items():
        parts = [part.members.get(member) for part in (first, second) if part is not None]
        assert sum((p.amount for p in parts if p), Decimal(0)) == totals.amount
        assert sum(p.meetings for p in parts if p) == totals.meetings


@given(worlds())
def test_attendance_never_exceeds_what_was_expected(world: dict) -> None:
    presence = financing.presence(
        meetings=world["meetings"],
        representatives=world["representatives"],
        attendance=world["attendance"],
        start=YEAR_START,
        end=YEAR_END,
    )
    for each in presence.values():
        assert 0 <= each.attended <= each.expected
        assert each.share is None or Decimal(0) <= each.share <= Decimal(1)
