"""Måluppfyllelse and strukturövergripande aktiviteter in the delårsrapport and the
verksamhetsberättelse."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.goals import selectors as goal_selectors
from stegvis.goals.evaluation import Status
from stegvis.goals.periods import Period
from stegvis.goals.selectors import GoalMapPage
from stegvis.participants.charts import bar_chart_svg
from stegvis.reports.periodic.charts import scoped_ids
from stegvis.structural.selectors import activities_by_kind


@dataclass
class GoalPart:
    page: GoalMapPage
    chart: str = ""

    @property
    def measured(self) -> int:
        return sum(
            count
            for status, count in self.page.status_counts
            if status in (Status.ACHIEVED, Status.PARTLY, Status.NOT_ACHIEVED)
        )

    @property
    def achieved(self) -> int:
        return dict(self.page.status_counts).get(Status.ACHIEVED, 0)

    @property
    def indicators(self) -> int:
        return sum(count for _status, count in self.page.status_counts)


def goal_part(
    *, association: Association, period: Period, min_cell: int, charts: bool
) -> GoalPart | None:
    goal_map = goal_selectors.goal_map_for(association=association, year=period.year)
    if goal_map is None:
        return None
    page = goal_selectors.goal_map_page(
        goal_map=goal_map, period=period, min_cell=min_cell, charts=False
    )
    if not page.sections:
        return None
    part = GoalPart(page=page)
    if charts and part.indicators:
        part.chart = scoped_ids(
            "mal",
            bar_chart_svg(
                title=_("Indikatorer efter status"),
                categories=[str(status.label) for status, _count in page.status_counts],
                series=[(_("Indikatorer"), [count for _status, count in page.status_counts])],
                horizontal=True,
                size=(4.4, 2.8),
            ),
        )
    return part


@dataclass(frozen=True)
class ActivityRow:
    kind: str
    activities: int
    participants: int


@dataclass
class StructuralPart:
    rows: list[ActivityRow]
    chart: str = ""

    @property
    def activities(self) -> int:
        return sum(row.activities for row in self.rows)

    @property
    def participants(self) -> int:
        return sum(row.participants for row in self.rows)


def structural_part(
    *, association: Association, period: Period, charts: bool
) -> tuple[StructuralPart | None, str]:
    """The structural app's activities by kind over the period (its own selector), or
    None and why: none were held."""
    with scope(association=association):
        items = activities_by_kind(association=association, start=period.start, end=period.end)
    rows = [
        ActivityRow(str(item.kind), int(item.activities), int(item.participants))
        for item in items
        if item.activities or item.participants
    ]
    if not rows:
        return None, _("Inga strukturövergripande aktiviteter är registrerade för perioden.")
    part = StructuralPart(rows=rows)
    if charts:
        part.chart = scoped_ids(
            "struktur",
            bar_chart_svg(
                title=_("Deltagare per slag av aktivitet"),
                categories=[row.kind for row in rows],
                series=[(_("Deltagare"), [row.participants for row in rows])],
                horizontal=True,
                size=(4.4, max(2.6, 0.5 * len(rows) + 1.6)),
            ),
        )
    return part, ""
