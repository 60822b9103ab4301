"""Page-level reads of the goal map: the map of a year with every indicator evaluated
for a chosen period, one indicator with its values per period, history and trend, and
the map as a table for Excel/CSV (also the table of the PDF reports).

The figures come from `evaluation` (which reads the other apps through their
selectors) already suppressed for the viewer: a value resting on participant counts
below the förbund's minimum cell size is not shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.associations.models import Association
from stegvis.core.exporters import Table
from stegvis.goals import charts as goal_charts
from stegvis.goals import evaluation, metrics
from stegvis.goals.evaluation import Evaluation, Status
from stegvis.goals.models import Goal, GoalMap, Indicator, IndicatorTarget, ManualValue
from stegvis.goals.periods import (
    Period,
    period_from_code,
    periods_for,
    range_period,
    year_period,
)
from stegvis.participants.report import association_min_cell

TREND_YEARS = 5
# The order in which the status summary and the legend list the statuses.
STATUS_ORDER = [
    Status.ACHIEVED,
    Status.PARTLY,
    Status.NOT_ACHIEVED,
    Status.NOT_MEASURABLE,
    Status.NO_TARGET,
]
# Parameter keys of an indicator as the pages name them.
PARAM_LABELS = {
    "outcome": gettext_lazy("Avslutsorsak"),
    "question": gettext_lazy("Enkätfråga"),
    "group": gettext_lazy("Svarsgrupp"),
    "instrument": gettext_lazy("Instrument"),
    "kind": gettext_lazy("Slag av aktivitet"),
    "municipality": gettext_lazy("Kommun"),
    "source": gettext_lazy("Källa"),
    "intervention": gettext_lazy("Insats"),
    "gender": gettext_lazy("Kön"),
}


def min_cell_for(association: Association) -> int:
    """The förbund's minimum cell size: the goal pages always suppress below it."""
    return association_min_cell(association)


# ---------------------------------------------------------------------------
# Numbers as the pages write them


def is_share(unit: str) -> bool:
    return unit == "share"


format_number = evaluation.format_number


def unit_of(indicator: Indicator) -> str:
    return str(metrics.metric_unit(indicator.metric, indicator.params or {}))


def target_text(target: IndicatorTarget | None, unit: str) -> str:
    """ "≥ 80,0 %" """
    return evaluation.format_target(target, unit)


def metric_label(code: str) -> str:
    return str(metrics.metric_label(code))


def params_display(indicator: Indicator) -> list[tuple[str, str]]:
    return [
        (str(PARAM_LABELS.get(key, key)), str(value))
        for key, value in (indicator.params or {}).items()
        # A manual indicator's source is shown once, as the indicator's source.
        if value not in (None, "") and key != "source"
    ]


# ---------------------------------------------------------------------------
# The period a page shows


@dataclass
class PeriodChoice:
    period: Period
    periods: list[Period]
    custom: bool = False
    start: str = ""
    end: str = ""
    error: str = ""

    @property
    def query(self) -> str:
        if self.custom:
            return f"fran={self.start}&till={self.end}"
        return f"period={self.period.code}"


def period_choice(*, association: Association, year: int, query: Mapping[str, Any]) -> PeriodChoice:
    """The period asked for in the query string: one of the förbund's periods of the
    year (`period=2025-t1`), any date range (`fran=…&till=…`), else helår."""
    periods = periods_for(association=association, year=year)
    default = periods[-1]
    start_text = str(query.get("fran", "") or "").strip()
    end_text = str(query.get("till", "") or "").strip()
    if start_text or end_text:
        try:
            start = datetime.date.fromisoformat(start_text)
            end = datetime.date.fromisoformat(end_text)
            period = range_period(start, end)
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
        return PeriodChoice(period, periods)
    return PeriodChoice(default, periods)


# ---------------------------------------------------------------------------
# The goal map of a year


@dataclass
class IndicatorRow:
    evaluation: Evaluation
    value: str
    target: str
    trend: list[tuple[int, str]]
    sparkline: str

    @property
    def indicator(self) -> Indicator:
        return self.evaluation.indicator

    @property
    def metric(self) -> str:
        return metric_label(self.indicator.metric)


@dataclass
class GoalRow:
    goal: Goal
    indicators: list[IndicatorRow]


@dataclass
class PerspectiveSection:
    name: str
    goals: list[GoalRow]


@dataclass
class GoalMapPage:
    goal_map: GoalMap
    period: Period
    sections: list[PerspectiveSection]
    status_counts: list[tuple[Status, int]]
    min_cell: int
    evaluations: list[Evaluation] = field(default_factory=list)


def goal_map_for(*, association: Association, year: int) -> GoalMap | None:
    return GoalMap.objects.filter(association=association, year=year).first()


def goal_map_years(*, association: Association) -> list[int]:
    return list(
        GoalMap.objects.filter(association=association)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def trend_years(year: int) -> list[int]:
    return list(range(year - TREND_YEARS + 1, year + 1))


def _trim(points: list[tuple[int, Decimal | None]]) -> list[tuple[int, Decimal | None]]:
    """Leading years without a value are left out (the indicator did not exist yet)."""
    while len(points) > 1 and points[0][1] is None:
        points = points[1:]
    return points


def map_trends(*, goal_map: GoalMap, min_cell: int) -> dict[int, list[tuple[int, Decimal | None]]]:
    """Every indicator's full-year value over the last years, by indicator: one
    evaluation of the whole map per year, so the participant counts are computed once
    per year and not once per indicator and year."""
    by_indicator: dict[int, list[tuple[int, Decimal | None]]] = {}
    for year in trend_years(goal_map.year):
        evaluated = evaluation.goal_map_evaluate(
            goal_map=goal_map, period=year_period(year), min_cell=min_cell
        )
        for _goal, evaluations in evaluated:
            for each in evaluations:
                by_indicator.setdefault(each.indicator.pk, []).append((year, each.result.value))
    return {pk: _trim(points) for pk, points in by_indicator.items()}


def _chart_points(
    points: list[tuple[int, Decimal | None]], unit: str
) -> list[tuple[str, float | None, str]]:
    return [
        (str(year), None if value is None else float(value), format_number(value, unit))
        for year, value in points
    ]


def goal_map_page(
    *, goal_map: GoalMap, period: Period, min_cell: int, charts: bool = True
) -> GoalMapPage:
    """The map with every indicator evaluated over the period, its trend over the last
    years and (with `charts`) a sparkline of it."""
    evaluated = evaluation.goal_map_evaluate(goal_map=goal_map, period=period, min_cell=min_cell)
    trends = map_trends(goal_map=goal_map, min_cell=min_cell)
    draw = charts
    by_perspective: dict[str, list[GoalRow]] = {}
    everything: list[Evaluation] = []
    for goal, evaluations in evaluated:
        rows = []
        for each in evaluations:
            everything.append(each)
            unit = each.result.unit
            chart_points = _chart_points(trends.get(each.indicator.pk, []), unit)
            rows.append(
                IndicatorRow(
                    evaluation=each,
                    value=evaluation.format_value(each.result),
                    target=target_text(each.target, each.result.unit),
                    trend=[(year, text) for year, _value, text in _as_years(chart_points)],
                    sparkline=goal_charts.sparkline_svg(
                        points=chart_points,
                        title=_("Utveckling per år för %(indicator)s")
                        % {"indicator": each.indicator.text},
                    )
                    if draw
                    else "",
                )
            )
        by_perspective.setdefault(goal.perspective, []).append(GoalRow(goal, rows))
    names = [*goal_map.perspectives]
    names += [name for name in by_perspective if name not in names]
    sections = [PerspectiveSection(name, by_perspective.get(name, [])) for name in names]
    counts = evaluation.status_counts(everything)
    return GoalMapPage(
        goal_map=goal_map,
        period=period,
        sections=[section for section in sections if section.goals],
        status_counts=[(status, counts.get(status, 0)) for status in STATUS_ORDER],
        min_cell=min_cell,
        evaluations=everything,
    )


def _as_years(points: list[tuple[str, float | None, str]]) -> list[tuple[int, float | None, str]]:
    return [(int(year), value, text) for year, value, text in points]


def goal_map_table(*, page: GoalMapPage) -> Table:
    """The goal map with its values for the page's period, one line per indicator (a
    goal without indicators gets one line of its own)."""
    rows: list[list[Any]] = []
    for section in page.sections:
        for goal_row in section.goals:
            goal = goal_row.goal
            head = [section.name, goal.text, goal.activities, goal.responsible, goal.source]
            if not goal_row.indicators:
                rows.append([*head, "", "", "", "", "", "", None])
            for row in goal_row.indicators:
                each = row.evaluation
                rows.append(
                    [
                        *head,
                        each.indicator.text,
                        metric_label(each.indicator.metric),
                        row.value if each.result.value is not None else "",
                        row.target,
                        str(each.status.label),
                        "; ".join(f"{year}: {text}" for year, text in row.trend),
                        each.definition_version,
                    ]
                )
    period = page.period
    return Table(
        title=_("Målkarta %(year)s") % {"year": page.goal_map.year},
        columns=[
            _("Perspektiv"),
            _("Mål"),
            _("Aktiviteter"),
            _("Ansvarig"),
            _("Källa"),
            _("Indikator"),
            _("Mått"),
            _("Värde"),
            _("Målvärde"),
            _("Status"),
            _("Utveckling per år"),
            _("Definitionens version"),
        ],
        rows=rows,
        notes=[
            _("Period: %(label)s (%(start)s – %(end)s).")
            % {"label": period.label, "start": period.start, "end": period.end},
            _("Värden som vilar på färre än %(k)s deltagare visas inte.") % {"k": page.min_cell},
        ],
    )


# ---------------------------------------------------------------------------
# One indicator


@dataclass
class VersionNote:
    version: int
    changed: datetime.datetime | None


@dataclass
class IndicatorPage:
    indicator: Indicator
    goal_map: GoalMap
    unit: str
    evaluations: list[Evaluation]
    chosen: Evaluation
    targets: list[tuple[IndicatorTarget, str]]
    trend: list[tuple[int, str]]
    chart: str
    manual_values: list[tuple[ManualValue, str]]
    versions: list[VersionNote]
    params: list[tuple[str, str]]

    @property
    def current_version(self) -> VersionNote | None:
        return self.versions[0] if self.versions else None


def indicator_for(*, association: Association, pk: int) -> Indicator | None:
    return (
        Indicator.objects.filter(association=association, pk=pk)
        .select_related("goal", "goal__goal_map")
        .first()
    )


def versions_of(indicator: Indicator) -> list[VersionNote]:
    """Each definition version with the time it came into force, newest first."""
    first_seen: dict[int, datetime.datetime | None] = {}
    history = indicator.history.order_by("history_date")
    for version, when in history.values_list("version", "history_date"):
        first_seen.setdefault(version, when)
    first_seen.setdefault(indicator.version, None)
    return [
        VersionNote(version, first_seen[version]) for version in sorted(first_seen, reverse=True)
    ]


def indicator_page(*, indicator: Indicator, period: Period, min_cell: int) -> IndicatorPage:
    goal_map = indicator.goal.goal_map
    unit = unit_of(indicator)
    evaluations = [
        evaluation.indicator_evaluate(indicator=indicator, period=each, min_cell=min_cell)
        for each in periods_for(association=indicator.association, year=goal_map.year)
    ]
    chosen = next((each for each in evaluations if each.period == period), None)
    if chosen is None:
        chosen = evaluation.indicator_evaluate(
            indicator=indicator, period=period, min_cell=min_cell
        )
    points = evaluation.indicator_trend(
        indicator=indicator, years=trend_years(goal_map.year), min_cell=min_cell
    )
    chart_points = _chart_points(_trim(points), unit)
    target = evaluation.target_for(indicator, goal_map.year)
    return IndicatorPage(
        indicator=indicator,
        goal_map=goal_map,
        unit=unit,
        evaluations=evaluations,
        chosen=chosen,
        targets=[(each, target_text(each, unit)) for each in indicator.targets.all()],
        trend=[(int(year), text) for year, _value, text in chart_points],
        chart=goal_charts.trend_chart_svg(
            points=chart_points,
            title=_("%(indicator)s per år") % {"indicator": indicator.text},
            percent=is_share(unit),
            target=None if target is None else float(target.value),
            target_text=target_text(target, unit),
        ),
        manual_values=[
            (each, format_number(each.value, unit))
            for each in indicator.manual_values.order_by("-period_end", "-period_start")
        ],
        versions=versions_of(indicator),
        params=params_display(indicator),
    )


def rows_behind(
    *, indicator: Indicator, period: Period, interventions: QuerySet[Any]
) -> list[tuple[str, str]] | None:
    """The participant codes behind a participant metric (with their insats), only in
    the insatser given (those whose rows the viewer may see); None for a metric that
    does not rest on participants."""
    rows = metrics.rows_behind(
        association=indicator.association,
        metric=indicator.metric,
        params=indicator.params or {},
        period=period,
    )
    if rows is None:
        return None
    return list(
        rows.filter(intervention__in=interventions)
        .order_by("intervention__name", "code")
        .values_list("code", "intervention__name")
    )
