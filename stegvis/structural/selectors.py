"""Reads of the structural work: activities counted by kind and period (the goal map's
`activities` metric and the delårsrapport), the activity list of a year with its
participants per member, and for the Samverkan start page what is coming (activities,
konsultationsteam meetings, survey rounds opening and closing) and a few figures of
each part.

An activity counts in the period its first day falls in; cancelled activities never
count. Its participants are the staff per member plus the others.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django_scopes import scope

from stegvis.associations.models import Association, Member
from stegvis.goals.periods import Period, periods_for
from stegvis.structural.models.activities import (
    DEFAULT_KINDS,
    Activity,
    ActivityAttendance,
    ActivityKind,
)
from stegvis.structural.models.deviations import Deviation
from stegvis.structural.models.surveys import SurveyRound
from stegvis.structural.models.teams import ConsultationTeam, TeamMeeting


@dataclass(frozen=True)
class KindCount:
    """One kind's activities held in a period and their participants."""

    kind: str  # the kind's name, as the förbund calls it
    code: str
    activities: int
    participants: int


def held(
    *, association: Association, start: datetime.date, end: datetime.date
) -> QuerySet[Activity]:
    """The activities held (not cancelled) whose first day is in [start, end]."""
    return Activity.objects.filter(
        association=association, date__gte=start, date__lte=end, cancelled=False
    )


def _kinds(association: Association) -> list[ActivityKind]:
    return list(ActivityKind.objects.filter(association=association))


def activities_by_kind(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    include_empty: bool = False,
) -> list[KindCount]:
    """Activities held in [start, end] per kind, in the förbund's order of its kinds;
    kinds without any only with `include_empty`. Cancelled activities are left out.
    Participants: staff from the members plus the others."""
    with scope(association=association):
        activities = held(association=association, start=start, end=end)
        per_kind = {
            row["kind_id"]: (row["n"], row["others"] or 0)
            for row in activities.values("kind_id").annotate(
                n=Count("id"), others=Sum("other_participants")
            )
        }
        staff = dict(
            ActivityAttendance.objects.filter(activity__in=activities)
            .values("activity__kind_id")
            .annotate(n=Sum("participants"))
            .values_list("activity__kind_id", "n")
        )
        kinds = _kinds(association)
    result = []
    for kind in kinds:
        n, others = per_kind.get(kind.pk, (0, 0))
        if n or include_empty:
            result.append(
                KindCount(
                    kind=kind.name,
                    code=kind.code,
                    activities=n,
                    participants=(staff.get(kind.pk) or 0) + others,
                )
            )
    return result


def activity_count(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    kind_code: str | None = None,
    intervention_id: int | None = None,
) -> int:
    """How many activities were held in [start, end], of one kind (its code) and for
    one insats when given."""
    with scope(association=association):
        activities = held(association=association, start=start, end=end)
        if kind_code:
            activities = activities.filter(kind__code=kind_code)
        if intervention_id is not None:
            activities = activities.filter(intervention_id=intervention_id)
        return activities.count()


def activity_totals(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    kind_code: str | None = None,
    intervention_id: int | None = None,
) -> tuple[int, int]:
    """(activities, participants) held in the period, with the same choices as
    `activity_count`, in one query (the goal map computes it for every indicator)."""
    zero = Value(0, output_field=IntegerField())
    with scope(association=association):
        staff = (
            ActivityAttendance.objects.filter(activity=OuterRef("pk"))
            .values("activity")
            .annotate(n=Sum("participants"))
            .values("n")
        )
        activities = held(association=association, start=start, end=end)
        if kind_code:
            activities = activities.filter(kind__code=kind_code)
        if intervention_id is not None:
            activities = activities.filter(intervention_id=intervention_id)
        rows = list(
            activities.annotate(
                staff=Coalesce(Subquery(staff, output_field=IntegerField()), zero)
            ).values_list("other_participants", "staff")
        )
    return len(rows), sum(others + staff for others, staff in rows)


def activity_participants(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    kind_code: str | None = None,
    intervention_id: int | None = None,
) -> int:
    """Participants (staff from the members and others) of the activities held in the
    period, with the same choices as `activity_count`."""
    return activity_totals(
        association=association,
        start=start,
        end=end,
        kind_code=kind_code,
        intervention_id=intervention_id,
    )[1]


def kind_for_code(*, association: Association, code: str) -> tuple[str, str] | None:
    """(code, name) of the kind a plan file's `kind` names: a kind of the förbund by
    its code, or by its name written any way ("Frukostmöte", "frukostmöte"); a built-in
    kind also before the förbund has used activities. None when there is no such kind."""
    wanted = slugify(code.strip())
    if not wanted:
        return None
    with scope(association=association):
        kinds = _kinds(association)
    for kind in kinds:
        if kind.code == wanted or slugify(kind.name) == wanted:
            return kind.code, kind.name
    for default_code, name in DEFAULT_KINDS:
        if default_code == wanted or slugify(name) == wanted:
            return default_code, name
    return None


def kind_usage(*, association: Association) -> dict[int, int]:
    """kind id → how many activities (cancelled too) are of that kind."""
    return dict(
        Activity.objects.filter(association=association)
        .values("kind_id")
        .annotate(n=Count("id"))
        .values_list("kind_id", "n")
    )


# ---------------------------------------------------------------------------
# The activity list of a year


@dataclass(frozen=True)
class ListFilters:
    kind: ActivityKind | None = None
    intervention_id: int | None = None

    @property
    def active(self) -> bool:
        return self.kind is not None or self.intervention_id is not None


def _filtered(activities: QuerySet[Activity], filters: ListFilters) -> QuerySet[Activity]:
    if filters.kind is not None:
        activities = activities.filter(kind=filters.kind)
    if filters.intervention_id is not None:
        activities = activities.filter(intervention_id=filters.intervention_id)
    return activities


def with_totals(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Activities with `staff`, `women`, `men` (from the members) and `total` (staff
    and others) annotated."""
    zero = Value(0, output_field=IntegerField())
    return activities.annotate(
        staff=Coalesce(Sum("attendance__participants"), zero),
        women=Sum("attendance__women"),
        men=Sum("attendance__men"),
    ).annotate(
        total=Coalesce(Sum("attendance__participants"), zero) + Coalesce("other_participants", zero)
    )


def year_activities(*, association: Association, year: int, filters: ListFilters) -> list[Activity]:
    """The year's activities (cancelled too), earliest first, with their totals."""
    activities = _filtered(
        Activity.objects.filter(association=association, date__year=year), filters
    ).select_related("kind", "intervention")
    return list(with_totals(activities).order_by("date", "starts_at", "pk"))


def activity_years(*, association: Association, today: datetime.date) -> list[int]:
    """The years with activities, and this year and the next."""
    years = set(
        Activity.objects.filter(association=association)
        .values_list("date__year", flat=True)
        .distinct()
    )
    years |= {today.year, today.year + 1}
    return sorted(years)


@dataclass
class PeriodCell:
    activities: int = 0
    participants: int = 0


@dataclass
class KindRow:
    name: str
    code: str
    cells: list[PeriodCell]


@dataclass
class PeriodTable:
    """Activities and participants per kind for each of the förbund's periods of a
    year (tertial 1 jan–apr, tertial 2 jan–aug, helår), counted from 1 January."""

    periods: list[Period]
    rows: list[KindRow]
    totals: list[PeriodCell]

    @property
    def columns(self) -> int:
        return 1 + 2 * len(self.periods)


def period_table(
    *, association: Association, year: int, activities: Sequence[Activity]
) -> PeriodTable:
    """The counts of `activities` (with totals, see `with_totals`) per kind and period;
    cancelled ones left out. Kinds without activities in the year are left out."""
    periods = periods_for(association=association, year=year)
    by_kind: dict[int, KindRow] = {}
    totals = [PeriodCell() for _ in periods]
    for kind in _kinds(association):
        by_kind[kind.pk] = KindRow(kind.name, kind.code, [PeriodCell() for _ in periods])
    for activity in activities:
        if activity.cancelled:
            continue
        row = by_kind[activity.kind_id]
        for index, period in enumerate(periods):
            if period.start <= activity.date <= period.end:
                total = activity.total  # type: ignore[attr-defined]
                row.cells[index].activities += 1
                row.cells[index].participants += total
                totals[index].activities += 1
                totals[index].participants += total
    rows = [row for row in by_kind.values() if any(cell.activities for cell in row.cells)]
    return PeriodTable(periods=periods, rows=rows, totals=totals)


@dataclass
class MemberRow:
    member: Member
    activities: int = 0
    participants: int = 0
    women: int | None = None
    men: int | None = None


@dataclass
class MemberTable:
    rows: list[MemberRow]
    other_participants: int
    total: int
    activities: int  # held, the denominator of "activities attended"


def member_table(*, association: Association, activities: Sequence[Activity]) -> MemberTable:
    """Per member: how many of the held `activities` its staff attended, and how many
    came (kvinnor and män where recorded). Every member is listed."""
    held_ids = [activity.pk for activity in activities if not activity.cancelled]
    members = list(Member.objects.filter(association=association))
    rows = {member.pk: MemberRow(member) for member in members}
    for member_id, n, participants, women, men in (
        ActivityAttendance.objects.filter(activity_id__in=held_ids, participants__gt=0)
        .values("member_id")
        .annotate(
            n=Count("activity_id", distinct=True),
            participants=Sum("participants"),
            women=Sum("women"),
            men=Sum("men"),
        )
        .values_list("member_id", "n", "participants", "women", "men")
    ):
        row = rows[member_id]
        row.activities, row.participants, row.women, row.men = n, participants, women, men
    others = sum(a.other_participants for a in activities if not a.cancelled)
    staff = sum(row.participants for row in rows.values())
    return MemberTable(
        rows=list(rows.values()),
        other_participants=others,
        total=staff + others,
        activities=len(held_ids),
    )


# ---------------------------------------------------------------------------
# What is coming


@dataclass(frozen=True)
class CalendarEntry:
    date: datetime.date
    time: datetime.time | None
    category: str  # "activity", "meeting", "survey": the entry's style
    label: str  # what it is: the activity's kind, "Konsultationsteam", "Enkäten stänger"
    title: str
    url: str
    place: str = ""
    cancelled: bool = False
    end_date: datetime.date | None = None
    end_time: datetime.time | None = None


@dataclass
class CalendarWeek:
    year: int
    week: int
    monday: datetime.date
    sunday: datetime.date
    entries: list[CalendarEntry] = field(default_factory=list)


def calendar_weeks(entries: Iterable[CalendarEntry]) -> list[CalendarWeek]:
    """Entries in date and time order, grouped by ISO week."""
    weeks: dict[tuple[int, int], CalendarWeek] = {}
    ordered = sorted(
        entries, key=lambda e: (e.date, e.time or datetime.time.min, e.category, e.title)
    )
    for entry in ordered:
        year, week, weekday = entry.date.isocalendar()
        if (year, week) not in weeks:
            monday = entry.date - datetime.timedelta(days=weekday - 1)
            weeks[(year, week)] = CalendarWeek(
                year, week, monday, monday + datetime.timedelta(days=6)
            )
        weeks[(year, week)].entries.append(entry)
    return list(weeks.values())


def upcoming_activities(
    *, association: Association, start: datetime.date, end: datetime.date
) -> list[Activity]:
    """Activities (cancelled too) from `start` to `end`, and those that began before
    and last into it."""
    return list(
        Activity.objects.filter(association=association, date__lte=end)
        .filter(Q(date__gte=start) | Q(end_date__gte=start))
        .select_related("kind")
        .order_by("date", "starts_at")
    )


def without_attendance(
    *, association: Association, start: datetime.date, end: datetime.date
) -> list[Activity]:
    """Activities held in [start, end] with nobody recorded: attendance to register."""
    return list(
        held(association=association, start=start, end=end)
        .filter(other_participants=0)
        .exclude(attendance__participants__gt=0)
        .select_related("kind")
        .order_by("date")
    )


def member_attendance_by_activity(
    *, activities: Sequence[Activity]
) -> dict[int, dict[int, ActivityAttendance]]:
    """activity id → member id → attendance, for the export's member columns."""
    result: dict[int, dict[int, ActivityAttendance]] = defaultdict(dict)
    for row in ActivityAttendance.objects.filter(activity__in=[a.pk for a in activities]):
        result[row.activity_id][row.member_id] = row
    return result


def coming_meetings(
    *, association: Association, start: datetime.date, end: datetime.date
) -> list[TeamMeeting]:
    """Konsultationsteam meetings from `start` to `end` (cancelled too), with their team."""
    return list(
        TeamMeeting.objects.filter(association=association, date__gte=start, date__lte=end)
        .select_related("team")
        .order_by("date", "starts_at")
    )


def coming_survey_rounds(
    *, association: Association, start: datetime.date, end: datetime.date
) -> list[SurveyRound]:
    """Survey rounds that open or close from `start` to `end`."""
    return list(
        SurveyRound.objects.filter(association=association).filter(
            Q(opens_on__gte=start, opens_on__lte=end) | Q(closes_on__gte=start, closes_on__lte=end)
        )
    )


@dataclass(frozen=True)
class TeamFigures:
    teams: int
    held: int  # meetings held this year up to today
    coming: int  # meetings planned in the coming days


def team_figures(
    *, association: Association, today: datetime.date, end: datetime.date
) -> TeamFigures:
    meetings = TeamMeeting.objects.filter(association=association, cancelled=False)
    counts = meetings.aggregate(
        held=Count("pk", filter=Q(date__gte=datetime.date(today.year, 1, 1), date__lte=today)),
        coming=Count("pk", filter=Q(date__gt=today, date__lte=end)),
    )
    return TeamFigures(
        teams=ConsultationTeam.objects.filter(association=association, active=True).count(),
        held=counts["held"] or 0,
        coming=counts["coming"] or 0,
    )


@dataclass(frozen=True)
class DeviationFigures:
    open: int  # avvikelser not closed: reported or being handled
    reported: int  # avvikelser reported this year
    good_examples: int  # guldkorn reported this year


def deviation_figures(*, association: Association, today: datetime.date) -> DeviationFigures:
    """Counts for the whole förbund (as the board's learning overview has them); the
    cases themselves are shown only to those who may open them."""
    year = Q(reported_on__gte=datetime.date(today.year, 1, 1), reported_on__lte=today)
    counts = Deviation.objects.filter(association=association).aggregate(
        open=Count(
            "pk",
            filter=Q(kind=Deviation.Kind.DEVIATION) & ~Q(status=Deviation.Status.CLOSED),
        ),
        reported=Count("pk", filter=Q(kind=Deviation.Kind.DEVIATION) & year),
        good=Count("pk", filter=Q(kind=Deviation.Kind.GOOD_EXAMPLE) & year),
    )
    return DeviationFigures(
        open=counts["open"] or 0,
        reported=counts["reported"] or 0,
        good_examples=counts["good"] or 0,
    )


@dataclass(frozen=True)
class SurveyFigures:
    open: int  # rounds taking answers today
    closing: int  # of those and later ones, closing in the coming days
    this_year: int  # rounds opened this year


def survey_figures(
    *, association: Association, today: datetime.date, end: datetime.date
) -> SurveyFigures:
    counts = SurveyRound.objects.filter(association=association).aggregate(
        open=Count("pk", filter=Q(opens_on__lte=today, closes_on__gte=today)),
        closing=Count("pk", filter=Q(closes_on__gte=today, closes_on__lte=end)),
        this_year=Count("pk", filter=Q(opens_on__year=today.year)),
    )
    return SurveyFigures(
        open=counts["open"] or 0, closing=counts["closing"] or 0, this_year=counts["this_year"] or 0
    )
