"""Reads of the konsultationsteam: the team list, a team's page (representatives,
meetings, attendance and representation per member over time, case counts), a
meeting, and the financing basis of a period with its export.

The arithmetic is `stegvis.structural.financing` on plain values; this module loads
them from the database and shapes what the pages and files show.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member
from stegvis.core.exporters import AMOUNT, PERCENT, Exporter, Table
from stegvis.goals.periods import Period, period_from_code, periods_for, range_period
from stegvis.goals.selectors import PeriodChoice
from stegvis.structural import financing
from stegvis.structural.charts_teams import presence_chart_svg
from stegvis.structural.models import (
    ConsultationTeam,
    FinancingRate,
    MeetingAttendance,
    MeetingCases,
    TeamMeeting,
    TeamRepresentative,
)

NBSP = "\u00a0"
KRONOR_WITH_ORE = "#,##0.00"
HOURS = "#,##0.00"
MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "maj",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
]


# ---------------------------------------------------------------------------
# Formatting


def kronor_text(amount: Decimal | int | None) -> str:
    """1250 → '1 250 kr', 1237.5 → '1 237,50 kr': whole kronor without öre."""
    if amount is None:
        return "–"
    value = Decimal(amount)
    sign = "\u2212" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    text = f"{whole:,}".replace(",", NBSP)
    cents = (value - whole).quantize(Decimal("0.01"))
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return f"{sign}{text}{NBSP}kr"


def hours_text(hours: Decimal) -> str:
    """2 → '2', 1.5 → '1,5', 1.25 → '1,25'."""
    text = f"{hours.normalize():f}" if hours == hours.to_integral_value() else f"{hours:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def share_text(share: Decimal | None) -> str:
    if share is None:
        return "–"
    return f"{(share * 100).quantize(Decimal(1))}{NBSP}%"


def rate_text(rate: financing.Rate | FinancingRate | None) -> str:
    if rate is None:
        return _("Ingen ersättning")
    if rate.unit == financing.PER_HOUR:
        return _("%(amount)s per timme") % {"amount": kronor_text(rate.amount)}
    return _("%(amount)s per möte") % {"amount": kronor_text(rate.amount)}


def month_label(month: datetime.date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


# ---------------------------------------------------------------------------
# The period a page shows


def period_choice(
    *, association: Association, query: Mapping[str, Any], today: datetime.date
) -> PeriodChoice:
    """The period in the query string: one of the förbund's periods (tertial, helår) of
    this year or last year (`period=2025-t1`), any date range (`fran`, `till`), else
    this year's helår."""
    this_year = periods_for(association=association, year=today.year)
    periods = this_year + periods_for(association=association, year=today.year - 1)
    default = this_year[-1]  # helår
    start_text = str(query.get("fran", "") or "").strip()
    end_text = str(query.get("till", "") or "").strip()
    if start_text or end_text:
        try:
            period = range_period(
                datetime.date.fromisoformat(start_text), datetime.date.fromisoformat(end_text)
            )
        except ValueError:
            return PeriodChoice(
                default,
                periods,
                custom=True,
                start=start_text,
                end=end_text,
                error=_("Ange ett datumintervall med från-datum före till-datum (ÅÅÅÅ-MM-DD)."),
            )
        return PeriodChoice(period, periods, custom=True, start=start_text, end=end_text)
    code = str(query.get("period", "") or "").strip()
    if code:
        try:
            period = period_from_code(association=association, code=code)
        except ValueError:
            return PeriodChoice(default, periods, error=_("Okänd period."))
        if period not in periods:
            periods = [*periods, period]
        return PeriodChoice(period, periods)
    return PeriodChoice(default, periods)


# ---------------------------------------------------------------------------
# Loading plain values


@dataclass
class Inputs:
    meetings: list[financing.Meeting]
    representatives: list[financing.Representative]
    attendance: list[financing.Attendance]
    rates: list[financing.Rate]


def _plain_rate(rate: FinancingRate) -> financing.Rate:
    return financing.Rate(
        amount=rate.amount,
        unit=rate.unit,
        valid_from=rate.valid_from,
        valid_to=rate.valid_to,
        team=rate.team_id,
        member=rate.member_id,
        id=rate.pk,
    )


def inputs_for(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    team: ConsultationTeam | None = None,
) -> Inputs:
    meetings = TeamMeeting.objects.filter(association=association, date__gte=start, date__lte=end)
    representatives = TeamRepresentative.objects.filter(association=association)
    if team is not None:
        meetings = meetings.filter(team=team)
        representatives = representatives.filter(team=team)
    plain_meetings = [
        financing.Meeting(m.pk, m.team_id, m.date, m.hours, m.cancelled) for m in meetings
    ]
    attendance = MeetingAttendance.objects.filter(
        association=association, meeting__in=[m.id for m in plain_meetings]
    ).values_list("meeting_id", "representative_id", "attended", "hours")
    return Inputs(
        meetings=plain_meetings,
        representatives=[
            financing.Representative(r.pk, r.team_id, r.member_id, r.valid_from, r.valid_to)
            for r in representatives
        ],
        attendance=[financing.Attendance(*row) for row in attendance],
        rates=[_plain_rate(rate) for rate in FinancingRate.objects.filter(association=association)],
    )


def members_by_pk(association: Association) -> dict[int, Member]:
    """The förbund's members in the plans' order (staten, region, kommuner)."""
    return {member.pk: member for member in Member.objects.filter(association=association)}


# ---------------------------------------------------------------------------
# The team list


@dataclass
class TeamRow:
    team: ConsultationTeam
    representatives: int
    members: int
    held: int
    cancelled: int
    next_meeting: TeamMeeting | None


def team_rows(*, association: Association, today: datetime.date) -> list[TeamRow]:
    teams = list(
        ConsultationTeam.objects.filter(association=association).select_related(
            "working_group", "intervention"
        )
    )
    year_start, year_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    current = Q(representatives__valid_from__lte=today) & (
        Q(representatives__valid_to__isnull=True) | Q(representatives__valid_to__gte=today)
    )
    counts = {
        row["pk"]: row
        for row in ConsultationTeam.objects.filter(association=association)
        .annotate(
            people=Count("representatives", filter=current, distinct=True),
            member_count=Count("representatives__member", filter=current, distinct=True),
        )
        .values("pk", "people", "member_count")
    }
    meetings = {
        row["team"]: row
        for row in TeamMeeting.objects.filter(
            association=association, date__gte=year_start, date__lte=min(today, year_end)
        )
        .values("team")
        .annotate(
            held=Count("pk", filter=Q(cancelled=False)),
            cancelled=Count("pk", filter=Q(cancelled=True)),
        )
    }
    upcoming: dict[int, TeamMeeting] = {}
    for meeting in TeamMeeting.objects.filter(
        association=association, date__gt=today, cancelled=False
    ).order_by("date", "starts_at"):
        upcoming.setdefault(meeting.team_id, meeting)
    return [
        TeamRow(
            team=team,
            representatives=counts[team.pk]["people"],
            members=counts[team.pk]["member_count"],
            held=meetings.get(team.pk, {}).get("held", 0),
            cancelled=meetings.get(team.pk, {}).get("cancelled", 0),
            next_meeting=upcoming.get(team.pk),
        )
        for team in teams
    ]


def coming_meetings(
    *, association: Association, today: datetime.date, limit: int = 10
) -> QuerySet[TeamMeeting]:
    """The meetings from today on, for a calendar of what is coming."""
    return (
        TeamMeeting.objects.filter(association=association, date__gte=today)
        .select_related("team")
        .order_by("date", "starts_at")[:limit]
    )


# ---------------------------------------------------------------------------
# A team's page


@dataclass
class RepresentativeRow:
    representative: TeamRepresentative
    current: bool
    starts_later: bool
    successor: TeamRepresentative | None


@dataclass
class MeetingRow:
    meeting: TeamMeeting
    present: int
    appointed: int
    new_cases: int
    follow_up_cases: int

    @property
    def held(self) -> bool:
        return not self.meeting.cancelled


@dataclass
class PresenceRow:
    member: Member
    names: list[str]
    presence: financing.Presence

    @property
    def share_text(self) -> str:
        return share_text(self.presence.share)


@dataclass
class MonthCell:
    presence: financing.Presence

    @property
    def text(self) -> str:
        presence = self.presence
        if not presence.represented:
            return _("ej representerad")
        if not presence.expected:
            return "–"
        return _("%(attended)s av %(expected)s") % {
            "attended": presence.attended,
            "expected": presence.expected,
        }


@dataclass
class MonthRow:
    month: datetime.date
    label: str
    cells: list[MonthCell]


@dataclass
class CasesRow:
    member: Member
    new_cases: int
    follow_up_cases: int

    @property
    def total(self) -> int:
        return self.new_cases + self.follow_up_cases


@dataclass
class TeamPage:
    team: ConsultationTeam
    period: Period
    representatives: list[RepresentativeRow]
    meetings: list[MeetingRow]
    upcoming: list[MeetingRow]
    presence: list[PresenceRow]
    month_members: list[Member]
    months: list[MonthRow]
    chart: str
    cases: list[CasesRow]
    cases_total: tuple[int, int] = (0, 0)
    held: int = 0
    cancelled: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def member_months(self) -> list[tuple[Member, list[MonthCell]]]:
        """The month table turned: a row per member, a column per month."""
        return [
            (member, [row.cells[index] for row in self.months])
            for index, member in enumerate(self.month_members)
        ]


def _meeting_rows(meetings: Sequence[TeamMeeting]) -> list[MeetingRow]:
    pks = [meeting.pk for meeting in meetings]
    present = dict(
        MeetingAttendance.objects.filter(meeting__in=pks, attended=True)
        .values("meeting")
        .annotate(n=Count("pk"))
        .values_list("meeting", "n")
    )
    cases = {
        row["meeting"]: row
        for row in MeetingCases.objects.filter(meeting__in=pks)
        .values("meeting")
        .annotate(new=Sum("new_cases"), follow=Sum("follow_up_cases"))
    }
    rows = []
    for meeting in meetings:
        appointed = _appointed_count(meeting)
        rows.append(
            MeetingRow(
                meeting=meeting,
                present=present.get(meeting.pk, 0),
                appointed=appointed,
                new_cases=cases.get(meeting.pk, {}).get("new", 0) or 0,
                follow_up_cases=cases.get(meeting.pk, {}).get("follow", 0) or 0,
            )
        )
    return rows


def _appointed_count(meeting: TeamMeeting) -> int:
    day = meeting.date
    return sum(
        1
        for rep in meeting.team.representatives.all()
        if rep.valid_from <= day and (rep.valid_to is None or day <= rep.valid_to)
    )


def team_page(*, team: ConsultationTeam, period: Period, today: datetime.date) -> TeamPage:
    association = team.association
    members = members_by_pk(association)
    representatives = list(
        TeamRepresentative.objects.filter(association=association, team=team).select_related(
            "member", "replaced_by"
        )
    )
    representative_rows = [
        RepresentativeRow(
            representative=rep,
            current=rep.valid_on(today),
            starts_later=rep.valid_from > today,
            successor=getattr(rep, "replaced_by", None),
        )
        for rep in representatives
    ]
    meetings = list(
        TeamMeeting.objects.filter(
            association=association, team=team, date__gte=period.start, date__lte=period.end
        )
        .select_related("team")
        .prefetch_related("team__representatives")
        .order_by("date", "starts_at")
    )
    upcoming = list(
        TeamMeeting.objects.filter(association=association, team=team, date__gt=today)
        .select_related("team")
        .prefetch_related("team__representatives")
        .order_by("date", "starts_at")[:5]
    )
    inputs = inputs_for(association=association, start=period.start, end=period.end, team=team)
    presence = financing.presence(
        meetings=inputs.meetings,
        representatives=inputs.representatives,
        attendance=inputs.attendance,
        start=period.start,
        end=period.end,
    )
    names: dict[int, list[str]] = {}
    for rep in representatives:
        if rep.valid_from <= period.end and (rep.valid_to is None or period.start <= rep.valid_to):
            names.setdefault(rep.member_id, []).append(rep.name)
    presence_rows = [
        PresenceRow(member, names.get(pk, []), presence[pk])
        for pk, member in members.items()
        if pk in presence
    ]
    # Representation over time: at most up to today (a future month says nothing).
    chart_end = min(period.end, max(today, period.start))
    by_month = financing.presence_by_month(
        meetings=inputs.meetings,
        representatives=inputs.representatives,
        attendance=inputs.attendance,
        start=period.start,
        end=chart_end,
    )
    month_members = [member for pk, member in members.items() if pk in presence]
    one_year = period.start.year == chart_end.year
    month_rows = [
        MonthRow(
            month=month.month,
            label=MONTHS[month.month.month - 1] if one_year else month_label(month.month),
            cells=[
                MonthCell(month.presence.get(member.pk, financing.Presence(member.pk, 0, 0, False)))
                for member in month_members
            ],
        )
        for month in by_month
    ]
    chart = presence_chart_svg(
        months=[row.label for row in month_rows],
        ticks=[MONTHS[row.month.month - 1][0].upper() for row in month_rows],
        series=[
            (
                member.name,
                [
                    row.cells[index].presence.share if row.cells[index].presence.expected else None
                    for row in month_rows
                ],
            )
            for index, member in enumerate(month_members)
        ],
        title=_("Närvaro per medlem och månad, %(team)s") % {"team": team.name},
    )
    cases_by_member = {
        row["member"]: row
        for row in MeetingCases.objects.filter(
            meeting__in=[m.pk for m in meetings if not m.cancelled]
        )
        .values("member")
        .annotate(new=Sum("new_cases"), follow=Sum("follow_up_cases"))
    }
    cases_rows = [
        CasesRow(member, cases_by_member[pk]["new"] or 0, cases_by_member[pk]["follow"] or 0)
        for pk, member in members.items()
        if pk in cases_by_member
    ]
    return TeamPage(
        team=team,
        period=period,
        representatives=representative_rows,
        meetings=_meeting_rows(meetings),
        upcoming=_meeting_rows(upcoming),
        presence=presence_rows,
        month_members=month_members,
        months=month_rows,
        chart=chart,
        cases=cases_rows,
        cases_total=(
            sum(row.new_cases for row in cases_rows),
            sum(row.follow_up_cases for row in cases_rows),
        ),
        held=sum(1 for m in meetings if not m.cancelled and m.date <= today),
        cancelled=sum(1 for m in meetings if m.cancelled),
    )


def team_tables(page: TeamPage) -> list[Table]:
    """The team page's tables for Excel: meetings, attendance per member, per month,
    and the case counts."""
    period = page.period.label
    meetings = Table(
        title=_("Möten"),
        columns=[
            _("Datum"),
            _("Starttid"),
            _("Längd (min)"),
            _("Status"),
            _("Närvarande"),
            _("Representanter"),
            _("Nya ärenden"),
            _("Uppföljningsärenden"),
        ],
        rows=[
            [
                row.meeting.date,
                row.meeting.starts_at.strftime("%H:%M") if row.meeting.starts_at else None,
                row.meeting.duration_minutes,
                _("Inställt") if row.meeting.cancelled else _("Hållet"),
                row.present,
                row.appointed,
                row.new_cases,
                row.follow_up_cases,
            ]
            for row in page.meetings
        ],
        notes=[f"{page.team.name}, {period}"],
    )
    presence = Table(
        title=_("Närvaro per medlem"),
        columns=[
            _("Medlem"),
            _("Representanter"),
            _("Möten med representant"),
            _("Möten med närvaro"),
            _("Närvaro"),
        ],
        rows=[
            [
                row.member.name,
                ", ".join(row.names),
                row.presence.expected,
                row.presence.attended,
                row.presence.share,
            ]
            for row in page.presence
        ],
        formats={4: PERCENT},
        notes=[
            _(
                "Närvaro: andelen av de hållna mötena där medlemmen hade en representant "
                "som minst en av medlemmens representanter var närvarande på."
            )
        ],
    )
    months = Table(
        title=_("Närvaro per månad"),
        columns=[_("Månad"), *[member.name for member in page.month_members]],
        rows=[[row.label, *[cell.text for cell in row.cells]] for row in page.months],
    )
    cases = Table(
        title=_("Ärenden"),
        columns=[_("Remitterande medlem"), _("Nya ärenden"), _("Uppföljningsärenden")],
        rows=[[row.member.name, row.new_cases, row.follow_up_cases] for row in page.cases],
        formats={1: AMOUNT, 2: AMOUNT},
    )
    return [meetings, presence, months, cases]


# ---------------------------------------------------------------------------
# A meeting


@dataclass
class AttendanceRow:
    representative: TeamRepresentative
    attended: bool
    hours: Decimal | None
    recorded: bool
    meeting_hours: Decimal

    @property
    def hours_text(self) -> str:
        """The hours recorded, else the meeting's length (said so)."""
        if self.hours is not None:
            return hours_text(self.hours)
        return _("%(hours)s (mötets längd)") % {"hours": hours_text(self.meeting_hours)}


def meeting_attendance(meeting: TeamMeeting) -> list[AttendanceRow]:
    """Everyone appointed on the meeting's date, with what was recorded for them."""
    recorded = {
        row.representative_id: row
        for row in MeetingAttendance.objects.filter(meeting=meeting).select_related(
            "representative__member"
        )
    }
    appointed = (
        TeamRepresentative.objects.filter(
            association=meeting.association_id, team=meeting.team_id, valid_from__lte=meeting.date
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=meeting.date))
        .select_related("member")
    )
    rows = []
    seen = set()
    for rep in appointed:
        row = recorded.get(rep.pk)
        seen.add(rep.pk)
        rows.append(
            AttendanceRow(
                rep,
                attended=bool(row and row.attended),
                hours=row.hours if row else None,
                recorded=row is not None,
                meeting_hours=meeting.hours,
            )
        )
    # A row for someone no longer appointed on the date (the date changed): shown as is.
    for pk, row in recorded.items():
        if pk not in seen:
            rows.append(
                AttendanceRow(row.representative, row.attended, row.hours, True, meeting.hours)
            )
    return rows


def meeting_cases(meeting: TeamMeeting) -> list[MeetingCases]:
    return list(MeetingCases.objects.filter(meeting=meeting).select_related("member"))


# ---------------------------------------------------------------------------
# The financing basis


@dataclass
class BasisLine:
    rate: financing.Rate | None
    meetings: int
    hours: Decimal
    amount: Decimal

    @property
    def rate_text(self) -> str:
        return rate_text(self.rate)

    @property
    def amount_text(self) -> str:
        return kronor_text(self.amount)


@dataclass
class BasisRow:
    member: Member
    presence: financing.Presence | None
    meetings: int
    hours: Decimal
    amount: Decimal
    lines: list[BasisLine]

    @property
    def share_text(self) -> str:
        return share_text(self.presence.share if self.presence else None)

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)

    @property
    def amount_text(self) -> str:
        return kronor_text(self.amount)


@dataclass
class TeamTotal:
    team: ConsultationTeam
    meetings: int
    amount: Decimal

    @property
    def amount_text(self) -> str:
        return kronor_text(self.amount)


@dataclass
class EarningRow:
    earning: financing.Earning
    team: ConsultationTeam
    member: Member
    representative: TeamRepresentative

    @property
    def rate_text(self) -> str:
        return rate_text(self.earning.rate)

    @property
    def hours_text(self) -> str:
        return hours_text(self.earning.hours)

    @property
    def amount_text(self) -> str:
        return kronor_text(self.earning.amount)


@dataclass
class FinancingPage:
    period: Period
    team: ConsultationTeam | None
    rows: list[BasisRow]
    teams: list[TeamTotal]
    earnings: list[EarningRow]
    total: Decimal
    meetings: int
    hours: Decimal
    held: int
    cancelled: int

    @property
    def total_text(self) -> str:
        return kronor_text(self.total)

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)


def financing_page(
    *, association: Association, period: Period, team: ConsultationTeam | None = None
) -> FinancingPage:
    """Per member: the attended meetings and hours of its staff in the period, the
    rates they earned, the amount; per team; and every attendance behind it."""
    inputs = inputs_for(association=association, start=period.start, end=period.end, team=team)
    basis = financing.basis(
        meetings=inputs.meetings,
        representatives=inputs.representatives,
        attendance=inputs.attendance,
        rates=inputs.rates,
        start=period.start,
        end=period.end,
    )
    presence = financing.presence(
        meetings=inputs.meetings,
        representatives=inputs.representatives,
        attendance=inputs.attendance,
        start=period.start,
        end=period.end,
    )
    members = members_by_pk(association)
    rows = []
    for pk, member in members.items():
        earned = basis.members.get(pk)
        if earned is None and pk not in presence:
            continue
        rows.append(
            BasisRow(
                member=member,
                presence=presence.get(pk),
                meetings=earned.meetings if earned else 0,
                hours=earned.hours if earned else Decimal(0),
                amount=earned.amount if earned else Decimal(0),
                lines=[
                    BasisLine(line.rate, line.meetings, line.hours, line.amount)
                    for line in (earned.lines if earned else [])
                ],
            )
        )
    teams = {
        t.pk: t for t in ConsultationTeam.objects.filter(association=association).order_by("name")
    }
    team_totals = []
    for pk, each in teams.items():
        if team is not None and pk != team.pk:
            continue
        count = sum(1 for earning in basis.earnings if earning.team == pk)
        if count or pk in basis.teams:
            team_totals.append(TeamTotal(each, count, basis.teams.get(pk, Decimal(0))))
    people = {
        rep.pk: rep
        for rep in TeamRepresentative.objects.filter(
            association=association, pk__in={e.representative for e in basis.earnings}
        )
    }
    earnings = [
        EarningRow(e, teams[e.team], members[e.member], people[e.representative])
        for e in basis.earnings
    ]
    held = [m for m in inputs.meetings if not m.cancelled]
    return FinancingPage(
        period=period,
        team=team,
        rows=rows,
        teams=team_totals,
        earnings=earnings,
        total=basis.total,
        meetings=basis.meetings,
        hours=basis.hours,
        held=len(held),
        cancelled=len(inputs.meetings) - len(held),
    )


class FinancingBasisExporter(Exporter):
    """The basis for payment of a period: per member (the CSV), and every attendance
    behind it (a second sheet in Excel)."""

    def __init__(self, page: FinancingPage, *, association: Association) -> None:
        self.page = page
        self.association = association
        scope = f"-{page.team.pk}" if page.team else ""
        self.filename = f"finansieringsunderlag-{page.period.code}{scope}"

    def _notes(self) -> list[str]:
        page = self.page
        notes = [
            _(
                "%(association)s, konsultationsteam: %(team)s. Period %(period)s (%(start)s – %(end)s)."
            )
            % {
                "association": self.association.name,
                "team": page.team.name if page.team else _("alla"),
                "period": page.period.label,
                "start": page.period.start.isoformat(),
                "end": page.period.end.isoformat(),
            },
            _(
                "Närvaro på hållna möten räknas med den ersättning som gällde på mötesdagen; "
                "inställda möten ger ingen ersättning."
            ),
        ]
        return notes

    def summary(self) -> Table:
        rows: list[list[Any]] = []
        for row in self.page.rows:
            lines = row.lines or [BasisLine(None, 0, Decimal(0), Decimal(0))]
            for line in lines:
                rows.append(
                    [
                        row.member.name,
                        row.member.organisation_number or None,
                        line.meetings,
                        line.hours,
                        line.rate.amount if line.rate else None,
                        _unit_label(line.rate),
                        line.amount,
                    ]
                )
        rows.append(
            [
                _("Summa"),
                None,
                self.page.meetings,
                self.page.hours,
                None,
                None,
                self.page.total,
            ]
        )
        return Table(
            title=_("Underlag per medlem"),
            columns=[
                _("Medlem"),
                _("Organisationsnummer"),
                _("Närvarotillfällen"),
                _("Timmar"),
                _("Ersättning (kr)"),
                _("Enhet"),
                _("Belopp (kr)"),
            ],
            rows=rows,
            formats={2: AMOUNT, 3: HOURS, 4: AMOUNT, 6: KRONOR_WITH_ORE},
            notes=self._notes(),
        )

    def details(self) -> Table:
        return Table(
            title=_("Närvaro bakom underlaget"),
            columns=[
                _("Datum"),
                _("Konsultationsteam"),
                _("Medlem"),
                _("Representant"),
                _("Timmar"),
                _("Ersättning (kr)"),
                _("Enhet"),
                _("Belopp (kr)"),
            ],
            rows=[
                [
                    row.earning.date,
                    row.team.name,
                    row.member.name,
                    row.representative.name,
                    row.earning.hours,
                    row.earning.rate.amount if row.earning.rate else None,
                    _unit_label(row.earning.rate),
                    row.earning.amount,
                ]
                for row in self.page.earnings
            ],
            formats={4: HOURS, 5: AMOUNT, 7: KRONOR_WITH_ORE},
        )

    def tables(self) -> Sequence[Table]:
        return [self.summary(), self.details()]


def _unit_label(rate: financing.Rate | None) -> str:
    if rate is None:
        return _("ingen ersättning")
    return str(FinancingRate.Unit(rate.unit).label)


# ---------------------------------------------------------------------------
# Rates


@dataclass
class RateRow:
    rate: FinancingRate
    current: bool
    ended: bool

    @property
    def text(self) -> str:
        return rate_text(self.rate)


def rate_rows(*, association: Association, today: datetime.date) -> list[RateRow]:
    """The förbund's rates, current ones first within each team and member."""
    rates = FinancingRate.objects.filter(association=association).select_related("team", "member")
    return [
        RateRow(
            rate=rate,
            current=rate.valid_from <= today and (rate.valid_to is None or today <= rate.valid_to),
            ended=rate.valid_to is not None and rate.valid_to < today,
        )
        for rate in rates
    ]
