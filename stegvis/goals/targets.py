"""An insats's mätpunkter (`interventions.Target`) computed like goal indicators.

Each mätpunkt is computed with `metrics.metric_compute` over a period, filtered to
its insats (`intervention` = the insats's name, besides its own extra keys),
suppressed below the förbund's min cell and given a status against its own target
(`evaluation.status_of`). The participant counts are computed once for all the
mätpunkter of the insats.

A mätpunkt for another year than the period's still shows the period's value but no
status: its target applies to its own year only ("Gäller 2024").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django_scopes import scope

from stegvis.goals import metrics
from stegvis.goals.evaluation import (
    Status,
    format_target,
    format_value,
    status_of,
    suppress_result,
)
from stegvis.goals.metrics import MetricResult
from stegvis.goals.models import IndicatorTarget
from stegvis.goals.periods import Period
from stegvis.interventions.models import Intervention, Target


@dataclass
class TargetEvaluation:
    target: Target
    period: Period
    result: MetricResult  # already suppressed
    status: Status | None  # None when the target is for another year than the period's
    applies: bool  # the target's year is the period's (or it has none)

    @property
    def value_text(self) -> str:
        return format_value(self.result)

    @property
    def target_text(self) -> str:
        return format_target(_goal_target(self.target), self.result.unit)

    @property
    def note(self) -> str:
        """Why there is no status or value: another year's target, or the reason."""
        if not self.applies:
            return gettext("Gäller %(year)s") % {"year": self.target.year}
        if self.result.value is None:
            return self.result.reason
        return ""


def _goal_target(target: Target) -> IndicatorTarget | None:
    """The mätpunkt's comparison as an (unsaved) IndicatorTarget, for the status and
    the formatting the goal map uses; None when it has no target value."""
    if not target.op or target.value is None:
        return None
    return IndicatorTarget(year=target.year, op=target.op, value=target.value)


def intervention_targets_evaluate(
    *, intervention: Intervention, period: Period, min_cell: int
) -> list[TargetEvaluation]:
    """Every mätpunkt of the insats evaluated over the period, in their order."""
    association = intervention.association
    with scope(association=association):
        targets = list(Target.objects.filter(intervention=intervention).order_by("position", "pk"))
        if not targets:
            return []
        interventions = {intervention.name: intervention.pk}
        counts: metrics.ParticipantCounts | None = None
        evaluations = []
        for target in targets:
            params = {**(target.params or {}), "intervention": intervention.name}
            if target.metric in metrics.COUNT_METRICS and counts is None:
                counts = metrics.participant_counts(association=association, period=period)
            raw = metrics.metric_compute(
                association=association,
                metric=target.metric,
                params=params,
                period=period,
                counts=counts,
                interventions=interventions,
            )
            result = suppress_result(raw, target.metric, min_cell)
            applies = target.year is None or target.year == period.year
            evaluations.append(
                TargetEvaluation(
                    target=target,
                    period=period,
                    result=result,
                    status=status_of(result, _goal_target(target)) if applies else None,
                    applies=applies,
                )
            )
    return evaluations
