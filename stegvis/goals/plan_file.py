"""The goal map as the plan file (`stegvis-plan/1`, `goals`) describes it.

Finance stores and reads a plan through `plan_store` and `plan_document`; the goal
map is this app's, so finance hands the document's `goals` to `goal_map_import`
and asks `goal_map_export` for them when it writes a plan out
(`finance.selectors.register_goals_store`, registered in `GoalsConfig.ready()`).
Finance never imports this app. The dicts are those `plans/validate/goals.py`
produces, so importing a file and exporting it again gives the same goals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log
from stegvis.goals import services
from stegvis.goals.models import Goal, GoalMap, Indicator, IndicatorTarget
from stegvis.plans.vocabulary import EXTRA_KEYS


def _plain_number(value: Decimal) -> int | float:
    """A value as the plan reader gives it: a whole number as int, else a float."""
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def _goal_specs(goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's goals checked as the services check them, errors keyed by the plan
    file path (`goals[0].indicators[1].question`), nothing stored when one fails."""
    errors: dict[str, list[str]] = {}
    specs: list[dict[str, Any]] = []
    for i, goal in enumerate(goals):
        path = f"goals[{i}]"
        spec: dict[str, Any] = {
            field: services.clean_text(goal.get(field))
            for field in ("perspective", "text", "activities", "responsible")
        }
        if not spec["text"]:
            errors.setdefault(f"{path}.text", []).append(_("Skriv målet."))
        for field in ("perspective", "responsible"):
            limit = services.LIMITS[field]
            if len(spec[field]) > limit:
                errors.setdefault(f"{path}.{field}", []).append(
                    _("Högst %(limit)s tecken.") % {"limit": limit}
                )
        spec["indicators"] = []
        for j, item in enumerate(goal.get("indicators") or []):
            item_path = f"{path}.indicators[{j}]"
            indicator: dict[str, Any] = {"text": services.clean_text(item.get("text"))}
            try:
                if not indicator["text"]:
                    raise ValidationError({"text": [_("Skriv indikatorn.")]})
                if len(indicator["text"]) > services.LIMITS["text"]:
                    raise ValidationError(
                        {
                            "text": [
                                _("Högst %(limit)s tecken.") % {"limit": services.LIMITS["text"]}
                            ]
                        }
                    )
                metric, params, source = services.definition_check(
                    metric=item.get("metric"),
                    params={key: item[key] for key in EXTRA_KEYS if key in item},
                )
                indicator.update(metric=metric, params=params, source=source, target=None)
                if "op" in item or "value" in item:
                    indicator["target"] = services.target_values_check(
                        metric=metric,
                        year=item.get("year"),
                        op=item.get("op"),
                        value=item.get("value"),
                    )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors.setdefault(f"{item_path}.{field}", []).extend(messages)
                continue
            spec["indicators"].append(indicator)
        specs.append(spec)
    if errors:
        raise ValidationError(errors)
    return specs


@transaction.atomic
def goal_map_import(
    *, actor: Any, association: Association, year: int, goals: list[dict[str, Any]]
) -> GoalMap:
    """Replace the year's goal map by the plan file's goals: goals, indicators and a
    target each from its op/value/year. A goal is kept when its text is the same and an
    indicator when its goal's and its own text are, so the values entered by hand and
    recorded for it stay; a kept indicator whose metric or params changed gets a new
    version, as when it is changed on the page. Goals and indicators the file no
    longer has are removed with their values."""
    specs = _goal_specs(goals)
    with scope(association=association):
        goal_map = services.goal_map_ensure(actor=actor, association=association, year=year)
        old_goals: dict[str, list[Goal]] = {}
        for goal in goal_map.goals.prefetch_related("indicators"):
            old_goals.setdefault(goal.text.casefold(), []).append(goal)
        counts = {"goals": 0, "indicators": 0, "kept_indicators": 0, "new_versions": 0}
        kept_goals: set[int] = set()
        for order, spec in enumerate(specs):
            matches = old_goals.get(spec["text"].casefold(), [])
            goal = matches.pop(0) if matches else Goal(association=association, goal_map=goal_map)
            old_indicators: dict[str, list[Indicator]] = {}
            if goal.pk is not None:
                for indicator in goal.indicators.all():
                    old_indicators.setdefault(indicator.text.casefold(), []).append(indicator)
            goal.perspective = spec["perspective"]
            goal.text = spec["text"]
            goal.activities = spec["activities"]
            goal.responsible = spec["responsible"]
            goal.order = order
            goal.save()
            kept_goals.add(goal.pk)
            counts["goals"] += 1
            if goal.perspective and goal.perspective not in goal_map.perspectives:
                goal_map.perspectives = [*goal_map.perspectives, goal.perspective]
            kept_indicators: set[int] = set()
            for position, item in enumerate(spec["indicators"]):
                same = old_indicators.get(item["text"].casefold(), [])
                indicator = same.pop(0) if same else Indicator(association=association, goal=goal)
                if indicator.pk is not None:
                    counts["kept_indicators"] += 1
                    if (indicator.metric, indicator.params) != (item["metric"], item["params"]):
                        indicator.version += 1
                        counts["new_versions"] += 1
                indicator.text = item["text"]
                indicator.metric = item["metric"]
                indicator.params = item["params"]
                if item["metric"] == "manual":
                    indicator.source = item["source"]
                indicator.order = position
                indicator.save()
                kept_indicators.add(indicator.pk)
                counts["indicators"] += 1
                _target_replace(indicator, item["target"])
            goal.indicators.exclude(pk__in=kept_indicators).delete()
        goal_map.goals.exclude(pk__in=kept_goals).delete()
        goal_map.save(update_fields=["perspectives"])
        audit_log(
            action="goal_map.imported",
            actor=actor,
            association=association,
            obj=goal_map,
            changes={"year": goal_map.year, **counts},
        )
    return goal_map


def _target_replace(indicator: Indicator, target: tuple[int | None, str, Decimal] | None) -> None:
    """The indicator's one target from the file (or none)."""
    if target is None:
        indicator.targets.all().delete()
        return
    year, op, value = target
    indicator.targets.exclude(year=year).delete()
    IndicatorTarget.objects.update_or_create(
        association=indicator.association,
        indicator=indicator,
        year=year,
        defaults={"op": op, "value": value},
    )


def _target_for_plan(indicator: Indicator, year: int) -> IndicatorTarget | None:
    """The target a plan file can hold for the indicator: the map's year's, else the
    one for every year, else the earliest."""
    targets = list(indicator.targets.all())
    for wanted in (year, None):
        for target in targets:
            if target.year == wanted:
                return target
    return targets[0] if targets else None


def goal_map_export(*, goal_map: GoalMap) -> list[dict[str, Any]]:
    """The goal map as the plan file's `goals`: the dicts `plans/validate/goals.py`
    produces. What the file has no words for stays behind: a goal's source, an
    indicator's responsible, source (other than a manual one's) and filters
    (`intervention`, `gender`), and all but one target."""
    result: list[dict[str, Any]] = []
    with scope(association=goal_map.association):
        goals = goal_map.goals.prefetch_related("indicators__targets").order_by("order", "pk")
        for goal in goals:
            out: dict[str, Any] = {}
            if goal.perspective:
                out["perspective"] = goal.perspective
            out["text"] = goal.text
            if goal.activities:
                out["activities"] = goal.activities
            if goal.responsible:
                out["responsible"] = goal.responsible
            indicators = []
            for indicator in goal.indicators.all():
                entry: dict[str, Any] = {"text": indicator.text, "metric": indicator.metric}
                params = dict(indicator.params or {})
                if indicator.metric == "manual" and not params.get("source") and indicator.source:
                    params["source"] = indicator.source
                entry.update({key: params[key] for key in EXTRA_KEYS if params.get(key)})
                target = _target_for_plan(indicator, goal_map.year)
                if target is not None:
                    entry["op"] = target.op
                    entry["value"] = _plain_number(target.value)
                    if target.year is not None:
                        entry["year"] = target.year
                indicators.append(entry)
            if indicators:
                out["indicators"] = indicators
            result.append(out)
    return result
