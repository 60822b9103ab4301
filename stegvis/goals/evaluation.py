"""An indicator's value, target and status for a period (DOMAIN.md §5, issue 6).

* The value: the recorded `IndicatorValue` when the period is closed and one was
  recorded (so a later change of the definition never rewrites it), else computed
  now (`goals.metrics`). Manual indicators always read their `ManualValue`.
* Suppression: a value resting on participant counts is not shown when a count is
  1 … min_cell − 1 or a share's denominator is below min_cell (the rules of
  `participants.suppression`); `min_cell` 1 shows everything.
* The status against the target of the period's year (the year's own, else the one
  for every year): uppnått when the operator holds; delvis uppnått within 10 % of
  the target (≥/>: value ≥ 0,9 × target; ≤/<: value ≤ 1,1 × target; =: within 10 %);
  ej uppnått otherwise; kan inte mätas än when there is no value to show; inget
  målvärde when the indicator has no target.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.goals import metrics
from stegvis.goals.metrics import MetricResult
from stegvis.goals.models import (
    Goal,
    GoalMap,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    ManualValue,
    Op,
)
from stegvis.goals.periods import Period, periods_for, year_period
from stegvis.participants.suppression import hide_small, share

PARTLY_MARGIN = Decimal("0.10")


class Status(models.TextChoices):
    ACHIEVED = "achieved", _("Uppnått")
    PARTLY = "partly", _("Delvis uppnått")
    NOT_ACHIEVED = "not_achieved", _("Ej uppnått")
    NOT_MEASURABLE = "not_measurable", _("Kan inte mätas än")
    NO_TARGET = "no_target", _("Inget målvärde")


@dataclass
class Evaluation:
    indicator: Indicator
    period: Period
    result: MetricResult  # already suppressed for the viewer
    target: IndicatorTarget | None
    status: Status
    definition_version: int
    recorded: bool  # the value came from an IndicatorValue of a closed period
    manual: ManualValue | None

    @property
    def value_text(self) -> str:
        return format_value(self.result)

    @property
    def target_text(self) -> str:
        return format_target(self.target, self.result.unit)


# ---------------------------------------------------------------------------
# Targets, status, formatting


def target_for(indicator: Indicator, year: int) -> IndicatorTarget | None:
    """The year's own target, else the one for every year. Uses prefetched targets
    when the indicator has them."""
    targets = list(indicator.targets.all())
    own = next((t for t in targets if t.year == year), None)
    if own is not None:
        return own
    return next((t for t in targets if t.year is None), None)


def _holds(op: str, value: Decimal, target: Decimal) -> bool:
    if op == Op.GE:
        return value >= target
    if op == Op.GT:
        return value > target
    if op == Op.LE:
        return value <= target
    if op == Op.LT:
        return value < target
    return value == target


def _partly(op: str, value: Decimal, target: Decimal) -> bool:
    if op in (Op.GE, Op.GT):
        return value >= (1 - PARTLY_MARGIN) * target
    if op in (Op.LE, Op.LT):
        return value <= (1 + PARTLY_MARGIN) * target
    return abs(value - target) <= PARTLY_MARGIN * abs(target)


def status_of(result: MetricResult, target: IndicatorTarget | None) -> Status:
    if not result.measurable or result.suppressed or result.value is None:
        return Status.NOT_MEASURABLE
    if target is None:
        return Status.NO_TARGET
    value, goal = Decimal(result.value), Decimal(target.value)
    if _holds(target.op, value, goal):
        return Status.ACHIEVED
    if _partly(target.op, value, goal):
        return Status.PARTLY
    return Status.NOT_ACHIEVED


def _swedish(number: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{number.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def format_number(value: Decimal | int | float | None, unit: str) -> str:
    """A value as the pages show it: share '72,0 %', count '12', amount '1 234 kr',
    ratio '0,18' (trailing zeros dropped, '4')."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    if unit == "share":
        return _swedish(number * 100, 1) + "\u00a0%"
    if unit == "count":
        return _swedish(number, 0)
    if unit == "amount":
        return _swedish(number, 0) + "\u00a0kr"
    text = _swedish(number, 2)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def format_value(result: MetricResult) -> str:
    return format_number(result.value, result.unit)


def format_target(target: IndicatorTarget | None, unit: str) -> str:
    if target is None:
        return ""
    return f"{Op(target.op).label}\u00a0{format_number(target.value, unit)}"


def status_counts(evaluations: Iterable[Evaluation]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for evaluation in evaluations:
        counts[evaluation.status] += 1
    return counts


# ---------------------------------------------------------------------------
# Suppression


def suppress_result(result: MetricResult, metric: str, min_cell: int) -> MetricResult:
    """The result as a viewer may see it: counts 1 … min_cell − 1 hidden, a share
    hidden when its counts are or its denominator is below min_cell."""
    if min_cell <= 1 or not metrics.is_participant_based(metric):
        return result
    breakdown = [
        (label, None if n is None else hide_small(n, min_cell)) for label, n in result.breakdown
    ]
    if result.unit == "share":
        numerator = None if result.numerator is None else hide_small(result.numerator, min_cell)
        denominator = (
            None if result.denominator is None else hide_small(result.denominator, min_cell)
        )
        suppressed = result.value is not None and (share(numerator, denominator, min_cell) is None)
        if suppressed:
            return replace(
                result,
                value=None,
                numerator=None,
                denominator=None,
                suppressed=True,
                reason=gettext("Döljs: vilar på färre än %(n)s personer.") % {"n": min_cell},
                breakdown=breakdown,
            )
        return replace(result, numerator=numerator, denominator=denominator, breakdown=breakdown)
    numerator = None if result.numerator is None else hide_small(result.numerator, min_cell)
    if result.value is not None and numerator is None:
        return replace(
            result,
            value=None,
            numerator=None,
            suppressed=True,
            reason=gettext("Döljs: färre än %(n)s personer.") % {"n": min_cell},
            breakdown=breakdown,
        )
    return replace(result, breakdown=breakdown)


# ---------------------------------------------------------------------------
# Recorded values


def result_from_record(record: IndicatorValue, metric: str, params: Any) -> MetricResult:
    detail = record.detail or {}
    unit = detail.get("unit") or metrics.metric_unit(metric, params)
    return MetricResult(
        value=record.value,
        numerator=record.numerator,
        denominator=record.denominator,
        measurable=record.measurable,
        reason=detail.get("reason", ""),
        unit=unit,
        breakdown=[(label, n) for label, n in detail.get("breakdown", [])],
    )


def _record_fields(result: MetricResult) -> dict[str, Any]:
    return {
        "value": result.value,
        "numerator": result.numerator,
        "denominator": result.denominator,
        "measurable": result.measurable,
        "detail": {
            "unit": result.unit,
            "reason": result.reason,
            "breakdown": [[label, n] for label, n in result.breakdown],
        },
    }


# ---------------------------------------------------------------------------
# Evaluation


class _Context:
    """What evaluating many indicators of one förbund over one period shares: the
    participant counts, insats ids, recorded values and manual values."""

    def __init__(
        self,
        *,
        association: Association,
        period: Period,
        indicators: Sequence[Indicator],
        today: datetime.date,
    ) -> None:
        self.association = association
        self.period = period
        self.today = today
        self._counts: metrics.ParticipantCounts | None = None
        self._interventions: dict[str, int] | None = None
        self._computed: dict[tuple[str, str], MetricResult] = {}
        ids = [indicator.pk for indicator in indicators]
        self.records: dict[int, IndicatorValue] = {}
        if period.closed(today):
            self.records = {
                record.indicator_id: record
                for record in IndicatorValue.objects.filter(
                    indicator_id__in=ids, period_start=period.start, period_end=period.end
                )
            }
        self.manual: dict[int, list[ManualValue]] = {}
        manual_ids = [i.pk for i in indicators if i.metric == metrics.MANUAL]
        if manual_ids:
            for value in ManualValue.objects.filter(
                indicator_id__in=manual_ids,
                period_start__gte=period.start,
                period_end__lte=period.end,
            ):
                self.manual.setdefault(value.indicator_id, []).append(value)

    @property
    def counts(self) -> metrics.ParticipantCounts:
        if self._counts is None:
            self._counts = metrics.participant_counts(
                association=self.association, period=self.period
            )
        return self._counts

    @property
    def interventions(self) -> dict[str, int]:
        if self._interventions is None:
            self._interventions = metrics.intervention_ids(association=self.association)
        return self._interventions

    def raw(self, indicator: Indicator) -> tuple[MetricResult, ManualValue | None]:
        """The raw result computed now."""
        params = indicator.params or {}
        if indicator.metric == metrics.MANUAL:
            value = metrics.manual_value_for(
                indicator.pk, self.period, self.manual.get(indicator.pk, [])
            )
            return metrics.manual_result(value, params), value
        if indicator.metric in metrics.COUNT_METRICS:
            filters = metrics.resolve_filters(
                association=self.association, params=params, interventions=self.interventions
            )
            return (
                metrics.participant_metric(
                    metric=indicator.metric, params=params, counts=self.counts, filters=filters
                ),
                None,
            )
        # Indicators with the same definition (the same share for two goals, the
        # budget's figures) are computed once per period.
        key = (indicator.metric, json.dumps(params, sort_keys=True, default=str))
        if key not in self._computed:
            self._computed[key] = metrics.metric_compute(
                association=self.association,
                metric=indicator.metric,
                params=params,
                period=self.period,
                interventions=self.interventions,
            )
        return replace(self._computed[key]), None

    def evaluate(self, indicator: Indicator, min_cell: int) -> Evaluation:
        record = self.records.get(indicator.pk)
        manual: ManualValue | None = None
        if record is not None and indicator.metric != metrics.MANUAL:
            raw = result_from_record(record, indicator.metric, indicator.params)
            version, recorded = record.definition_version, True
        else:
            raw, manual = self.raw(indicator)
            version, recorded = indicator.version, False
        result = suppress_result(raw, indicator.metric, min_cell)
        target = target_for(indicator, self.period.year)
        return Evaluation(
            indicator=indicator,
            period=self.period,
            result=result,
            target=target,
            status=status_of(result, target),
            definition_version=version,
            recorded=recorded,
            manual=manual,
        )


def indicator_evaluate(
    *,
    indicator: Indicator,
    period: Period,
    min_cell: int,
    today: datetime.date | None = None,
) -> Evaluation:
    today = today or timezone.localdate()
    association = indicator.association
    with scope(association=association):
        context = _Context(
            association=association, period=period, indicators=[indicator], today=today
        )
        return context.evaluate(indicator, min_cell)


def _indicators(goal_map: GoalMap) -> list[Goal]:
    return list(
        Goal.objects.filter(goal_map=goal_map)
        .select_related("association")
        .prefetch_related(
            models.Prefetch(
                "indicators",
                queryset=Indicator.objects.select_related("association").prefetch_related(
                    "targets"
                ),
            )
        )
        .order_by("order", "pk")
    )


def goal_map_evaluate(
    *,
    goal_map: GoalMap,
    period: Period,
    min_cell: int,
    today: datetime.date | None = None,
) -> list[tuple[Goal, list[Evaluation]]]:
    """Every goal of the map with its indicators evaluated over the period, in order.
    The participant counts are computed once for the period."""
    today = today or timezone.localdate()
    association = goal_map.association
    with scope(association=association):
        goals = _indicators(goal_map)
        indicators = [indicator for goal in goals for indicator in goal.indicators.all()]
        context = _Context(
            association=association, period=period, indicators=indicators, today=today
        )
        return [
            (goal, [context.evaluate(indicator, min_cell) for indicator in goal.indicators.all()])
            for goal in goals
        ]


def indicator_trend(
    *, indicator: Indicator, years: list[int], min_cell: int, today: datetime.date | None = None
) -> list[tuple[int, Decimal | None]]:
    """The indicator's full-year value for each year (suppressed; None when it cannot
    be shown)."""
    today = today or timezone.localdate()
    trend = []
    for year in years:
        evaluation = indicator_evaluate(
            indicator=indicator, period=year_period(year), min_cell=min_cell, today=today
        )
        trend.append((year, evaluation.result.value))
    return trend


def values_record(*, association: Association, today: datetime.date | None = None) -> int:
    """Store the raw value of every computed indicator for every closed period of its
    map's year that has none yet; returns how many were stored.

    Only measurable values are stored: a value that cannot be measured yet (say, the
    actuals for the year are not in) stays live until it can. Manual indicators are
    not recorded: their entered values are already kept, with history."""
    today = today or timezone.localdate()
    stored = 0
    with scope(association=association):
        maps = list(GoalMap.objects.filter(association=association, year__lte=today.year))
        for goal_map in maps:
            closed = [
                p
                for p in periods_for(association=association, year=goal_map.year)
                if p.closed(today)
            ]
            if not closed:
                continue
            indicators = [
                indicator
                for indicator in Indicator.objects.filter(goal__goal_map=goal_map)
                if indicator.metric != metrics.MANUAL
                and metrics.METRICS.get(indicator.metric) is not None
                and metrics.METRICS[indicator.metric].measurable_now
            ]
            if not indicators:
                continue
            for period in closed:
                context = _Context(
                    association=association, period=period, indicators=indicators, today=today
                )
                for indicator in indicators:
                    if indicator.pk in context.records:
                        continue
                    raw, _manual = context.raw(indicator)
                    if not raw.measurable:
                        continue
                    with transaction.atomic():
                        _record, created = IndicatorValue.objects.get_or_create(
                            association=association,
                            indicator=indicator,
                            period_start=period.start,
                            period_end=period.end,
                            defaults={
                                **_record_fields(raw),
                                "definition_version": indicator.version,
                            },
                        )
                    stored += int(created)
    return stored
