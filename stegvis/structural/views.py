"""The Samverkan start page: what is coming in the next 60 days (activities,
konsultationsteam meetings, survey rounds opening and closing) as a calendar grouped
by week, and a card with a key number for each part of the structural work."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.structural import selectors
from stegvis.structural.models.activities import Activity
from stegvis.structural.selectors import CalendarEntry

HORIZON_DAYS = 60
# How far back the start page looks for activities whose attendance is missing.
ATTENDANCE_LOOKBACK_DAYS = 60


@dataclass
class ActivityFigures:
    held: int  # this year up to today
    participants: int
    coming: int  # in the coming days
    missing_attendance: list[Activity] = field(default_factory=list)


def _url(association: Association, name: str, **kwargs: object) -> str:
    return reverse(f"structural:{name}", kwargs={"association_slug": association.slug, **kwargs})


def _end_time(start: datetime.time | None, minutes: int) -> datetime.time | None:
    if start is None:
        return None
    end = datetime.datetime.combine(datetime.date.min, start) + datetime.timedelta(minutes=minutes)
    return end.time() if end.date() == datetime.date.min else None


def calendar_entries(
    association: Association, start: datetime.date, end: datetime.date
) -> list[CalendarEntry]:
    """Everything coming from `start` to `end`: activities (one that began earlier and
    still runs shows on `start`), konsultationsteam meetings, and survey rounds on the
    days they open and close."""
    entries = [
        CalendarEntry(
            date=max(activity.date, start),
            time=activity.starts_at if activity.date >= start else None,
            end_time=None if activity.is_multi_day else activity.ends_at,
            category="activity",
            label=activity.kind.name,
            title=activity.title,
            url=_url(association, "activity_detail", pk=activity.pk),
            place=activity.place,
            cancelled=activity.cancelled,
            end_date=activity.end_date,
        )
        for activity in selectors.upcoming_activities(association=association, start=start, end=end)
    ]
    entries += [
        CalendarEntry(
            date=meeting.date,
            time=meeting.starts_at,
            end_time=_end_time(meeting.starts_at, meeting.duration_minutes),
            category="meeting",
            label=_("Konsultationsteam"),
            title=meeting.team.name,
            url=_url(association, "meeting_detail", pk=meeting.pk),
            cancelled=meeting.cancelled,
        )
        for meeting in selectors.coming_meetings(association=association, start=start, end=end)
    ]
    for survey_round in selectors.coming_survey_rounds(
        association=association, start=start, end=end
    ):
        url = _url(association, "survey_round", pk=survey_round.pk)
        if start <= survey_round.opens_on <= end:
            entries.append(
                CalendarEntry(
                    date=survey_round.opens_on,
                    time=None,
                    category="survey",
                    label=_("Enkäten öppnar"),
                    title=survey_round.title,
                    url=url,
                )
            )
        if start <= survey_round.closes_on <= end:
            entries.append(
                CalendarEntry(
                    date=survey_round.closes_on,
                    time=None,
                    category="survey",
                    label=_("Enkäten stänger"),
                    title=survey_round.title,
                    url=url,
                )
            )
    return entries


def _activity_figures(
    association: Association, today: datetime.date, end: datetime.date, manager: bool
) -> ActivityFigures:
    held, participants = selectors.activity_totals(
        association=association, start=datetime.date(today.year, 1, 1), end=today
    )
    return ActivityFigures(
        held=held,
        participants=participants,
        coming=selectors.activity_count(
            association=association, start=today + datetime.timedelta(days=1), end=end
        ),
        # The kansli is reminded of activities held without any attendance recorded.
        missing_attendance=(
            selectors.without_attendance(
                association=association,
                start=today - datetime.timedelta(days=ATTENDANCE_LOOKBACK_DAYS),
                end=today,
            )
            if manager
            else []
        ),
    )


@association_view(Permission.VIEW_COLLABORATION)
def home(request: AssociationRequest) -> HttpResponse:
    association = request.association
    today = timezone.localdate()
    end = today + datetime.timedelta(days=HORIZON_DAYS)
    manager = Permission.MANAGE_COLLABORATION in request.permissions
    return render(
        request,
        "structural/home.html",
        {
            "today": today,
            "end": end,
            "horizon": HORIZON_DAYS,
            "weeks": selectors.calendar_weeks(calendar_entries(association, today, end)),
            "activities": _activity_figures(association, today, end, manager),
            "teams": selectors.team_figures(association=association, today=today, end=end),
            "deviations": selectors.deviation_figures(association=association, today=today),
            "surveys": selectors.survey_figures(association=association, today=today, end=end),
            "can_manage": manager,
            "can_report": Permission.REPORT_DEVIATIONS in request.permissions,
        },
    )
