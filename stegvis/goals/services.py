"""Writes to the goal map (målkarta): goals, indicators, their targets and the values
entered by hand (DOMAIN.md §5, plan-format.md `goals` and "Metrics").

Every write runs in a transaction and is logged with its changed fields. An
indicator's definition is its metric and params: changing either raises `version`,
so the values recorded for past periods keep the version that produced them.

The plan file's `goals` section is read into and written out of these models by
`goals.plan_file` (through `goal_map_from_plan` and `goal_map_to_plan` here), so the
goal map has one home whether it is typed in or imported.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.goals.models import (
    Goal,
    GoalMap,
    Indicator,
    IndicatorTarget,
    ManualValue,
    Op,
)
from stegvis.participants.vocabulary import Gender
from stegvis.plans.vocabulary import EXTRA_KEYS, METRICS

YEAR_RANGE = (2000, 2100)
# Filters an indicator may have besides the metric's extra keys: one insats (by
# name) and one kön. The plan file has no words for them, so they stay in Stegvis.
FILTER_KEYS = ("intervention", "gender")
# The largest value a DecimalField(max_digits=14, decimal_places=4) holds.
MAX_VALUE = Decimal("9999999999.9999")

GOAL_FIELDS = ("perspective", "text", "activities", "responsible", "source", "order")
INDICATOR_FIELDS = ("text", "metric", "params", "responsible", "source", "order")
LIMITS = {"perspective": 60, "responsible": 120, "source": 200, "text": 300}

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def clean_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _year_check(errors: Errors, year: Any, field: str = "year") -> int | None:
    if year is None or year == "":
        return None
    try:
        number = int(year)
    except (TypeError, ValueError):
        number = 0
    if isinstance(year, bool) or not YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        _add(
            errors,
            field,
            _("Året ska ligga mellan %(first)s och %(last)s, inte %(year)s.")
            % {"first": YEAR_RANGE[0], "last": YEAR_RANGE[1], "year": year},
        )
        return None
    return number


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text.replace("−", "-"))
        except InvalidOperation:
            return None
    return number if number.is_finite() else None


def _value_check(errors: Errors, value: Any, *, share: bool, field: str = "value") -> Decimal:
    number = _decimal(value)
    if number is None:
        _add(errors, field, _("Ange ett tal, inte ”%(value)s”.") % {"value": value})
        return Decimal(0)
    if abs(number) > MAX_VALUE or number != number.quantize(Decimal("0.0001")):
        _add(
            errors,
            field,
            _("Talet ”%(value)s” är för stort eller har fler än fyra decimaler.")
            % {"value": value},
        )
    if share and not Decimal(0) <= number <= Decimal(1):
        _add(
            errors,
            field,
            _("En andel skrivs som decimaltal mellan 0 och 1 (80 %% = 0,80), inte %(value)s.")
            % {"value": value},
        )
    return number


def metric_is_share(metric: str) -> bool:
    known = METRICS.get(metric)
    return known is not None and known.share


def definition_check(
    *, metric: Any, params: Mapping[str, Any] | None, source: Any = ""
) -> tuple[str, dict[str, str], str]:
    """An indicator's definition as the plan file's metric table has it: a known
    metric, the extra keys it requires (`exit_outcome_share` its `outcome`,
    `survey_agree_share` its `question`, `screening_coverage` its `instrument`,
    `manual` its `source`) and no keys it does not take, plus the filters `intervention`
    (an insats's name) and `gender` (a kön code). A code the installation does not know
    yet is allowed: the indicator shows "kan inte mätas än" until it is.

    For `manual` the source is both the `source` key and the indicator's source.
    Returns (metric, params, source); raises ValidationError keyed by the field
    (`metric`, or the key: `question`, `outcome` …)."""
    errors: Errors = {}
    code = clean_text(metric)
    known = METRICS.get(code)
    if known is None:
        _add(
            errors,
            "metric",
            _("Okänt mått ”%(metric)s”. Välj ett av: %(known)s.")
            % {"metric": code, "known": ", ".join(METRICS)},
        )
    cleaned: dict[str, str] = {}
    for key, item in (params or {}).items():
        text = clean_text(item)
        if not text:
            continue
        if key not in EXTRA_KEYS and key not in FILTER_KEYS:
            _add(errors, "params", _("Okänd nyckel ”%(key)s”.") % {"key": key})
            continue
        if len(text) > 200:
            _add(errors, key, _("Högst 200 tecken."))
            continue
        cleaned[key] = text
    source_text = clean_text(source)
    if known is not None:
        if known.code == "manual":
            cleaned.setdefault("source", source_text)
            if not cleaned["source"]:
                del cleaned["source"]
            source_text = cleaned.get("source", "")
        for key in EXTRA_KEYS:
            if key in cleaned and key not in known.extra_keys:
                _add(
                    errors,
                    key,
                    _("Nyckeln ”%(key)s” hör inte till måttet %(metric)s.")
                    % {"key": key, "metric": known.code},
                )
        for key in known.required:
            if key not in cleaned:
                _add(
                    errors,
                    key,
                    _("Saknas – måttet %(metric)s kräver %(key)s.")
                    % {"metric": known.code, "key": key},
                )
    gender = cleaned.get("gender")
    if gender is not None and gender not in Gender.values:
        _add(
            errors,
            "gender",
            _("Okänt kön ”%(gender)s”. Välj ett av: %(known)s.")
            % {"gender": gender, "known": ", ".join(Gender.values)},
        )
    if len(source_text) > LIMITS["source"]:
        _add(errors, "source", _("Högst %(limit)s tecken.") % {"limit": LIMITS["source"]})
    _raise(errors)
    ordered = {key: cleaned[key] for key in (*EXTRA_KEYS, *FILTER_KEYS) if key in cleaned}
    return code, ordered, source_text


def _lengths_check(errors: Errors, values: Mapping[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        limit = LIMITS.get(field)
        if limit and len(clean_text(values.get(field))) > limit:
            _add(errors, field, _("Högst %(limit)s tecken.") % {"limit": limit})


# ---------------------------------------------------------------------------
# The goal map and its goals


@transaction.atomic
def goal_map_ensure(*, actor: Any, association: Association, year: int) -> GoalMap:
    """The förbund's goal map of the year, made empty (with the default perspectives)
    when it has none."""
    errors: Errors = {}
    checked = _year_check(errors, year)
    _raise(errors)
    assert checked is not None
    with scope(association=association):
        goal_map = GoalMap.objects.filter(association=association, year=checked).first()
        if goal_map is not None:
            return goal_map
        goal_map = GoalMap.objects.create(association=association, year=checked)
        audit_log(
            action="goal_map.created",
            actor=actor,
            association=association,
            obj=goal_map,
            changes={"year": checked},
        )
    return goal_map


def _perspective_ensure(goal_map: GoalMap, perspective: str) -> None:
    """A goal's perspective becomes one of the map's (perspectives are configurable:
    a plan may add its own, e.g. Samverkan)."""
    if perspective and perspective not in goal_map.perspectives:
        goal_map.perspectives = [*goal_map.perspectives, perspective]
        goal_map.save(update_fields=["perspectives"])


def _goal_check(values: Mapping[str, Any]) -> None:
    errors: Errors = {}
    if not clean_text(values.get("text")):
        _add(errors, "text", _("Skriv målet."))
    if not clean_text(values.get("perspective")):
        _add(errors, "perspective", _("Välj ett perspektiv."))
    _lengths_check(errors, values, ("perspective", "responsible", "source"))
    _raise(errors)


@transaction.atomic
def goal_create(
    *,
    actor: Any,
    goal_map: GoalMap,
    perspective: str,
    text: str,
    activities: str = "",
    responsible: str = "",
    source: str = "",
) -> Goal:
    """A goal last in the map, under one of its perspectives."""
    values = {
        "perspective": clean_text(perspective),
        "text": clean_text(text),
        "activities": clean_text(activities),
        "responsible": clean_text(responsible),
        "source": clean_text(source),
    }
    _goal_check(values)
    last = goal_map.goals.aggregate(last=Max("order"))["last"]
    goal = Goal.objects.create(
        association=goal_map.association,
        goal_map=goal_map,
        order=0 if last is None else last + 1,
        **values,
    )
    _perspective_ensure(goal_map, goal.perspective)
    audit_log(
        action="goal.created",
        actor=actor,
        association=goal_map.association,
        obj=goal,
        changes={"year": goal_map.year, **snapshot(goal, GOAL_FIELDS)},
    )
    return goal


@transaction.atomic
def goal_update(*, actor: Any, goal: Goal, **fields: Any) -> Goal:
    """Change any of perspective, text, activities, responsible, source, order."""
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"goal_update: unknown fields {sorted(unknown)}")
    before = snapshot(goal, GOAL_FIELDS)
    values = {
        field: (value if field == "order" else clean_text(value)) for field, value in fields.items()
    }
    _goal_check({**before, **values})
    for field, value in values.items():
        setattr(goal, field, value)
    changes = diff(before, snapshot(goal, GOAL_FIELDS))
    if changes:
        goal.save()
        _perspective_ensure(goal.goal_map, goal.perspective)
        audit_log(
            action="goal.updated",
            actor=actor,
            association=goal.association,
            obj=goal,
            changes=changes,
        )
    return goal


@transaction.atomic
def goal_delete(*, actor: Any, goal: Goal) -> None:
    """Remove a goal with its indicators, their targets and values."""
    audit_log(
        action="goal.deleted",
        actor=actor,
        association=goal.association,
        obj=goal,
        changes={"text": goal.text, "indicators": goal.indicators.count()},
    )
    goal.delete()


# ---------------------------------------------------------------------------
# Indicators


def _indicator_check(values: Mapping[str, Any]) -> None:
    errors: Errors = {}
    if not clean_text(values.get("text")):
        _add(errors, "text", _("Skriv indikatorn."))
    _lengths_check(errors, values, ("text", "responsible"))
    _raise(errors)


@transaction.atomic
def indicator_create(
    *,
    actor: Any,
    goal: Goal,
    text: str,
    metric: str,
    params: Mapping[str, Any] | None = None,
    responsible: str = "",
    source: str = "",
) -> Indicator:
    """An indicator last under the goal: computed from a metric of the plan file's
    table with its extra keys and filters in `params`, or `manual` (entered by hand
    per period, with its source)."""
    _indicator_check({"text": text, "responsible": responsible})
    code, checked, source_text = definition_check(metric=metric, params=params, source=source)
    last = goal.indicators.aggregate(last=Max("order"))["last"]
    indicator = Indicator.objects.create(
        association=goal.association,
        goal=goal,
        text=clean_text(text),
        metric=code,
        params=checked,
        responsible=clean_text(responsible),
        source=source_text,
        order=0 if last is None else last + 1,
    )
    audit_log(
        action="indicator.created",
        actor=actor,
        association=goal.association,
        obj=indicator,
        changes={"goal": goal.text, **snapshot(indicator, INDICATOR_FIELDS)},
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, **fields: Any) -> Indicator:
    """Change any of text, metric, params, responsible, source, order. A change of the
    definition (metric or params) raises the version: values recorded for past periods
    keep the version that produced them, and the pages say which one that was."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"indicator_update: unknown fields {sorted(unknown)}")
    before = snapshot(indicator, INDICATOR_FIELDS)
    current = {**before, **fields}
    _indicator_check(current)
    metric = clean_text(current["metric"])
    params = dict(current["params"] or {})
    if "params" not in fields:
        if "metric" in fields and metric in METRICS:
            # Keys the new metric does not take go with the old one.
            keep = (*METRICS[metric].extra_keys, *FILTER_KEYS)
            params = {key: item for key, item in params.items() if key in keep}
        if metric == "manual" and "source" in fields:
            # A manual indicator's source is its `source` key too.
            params["source"] = fields["source"]
    code, checked, source_text = definition_check(
        metric=metric, params=params, source=current["source"]
    )
    indicator.text = clean_text(current["text"])
    indicator.responsible = clean_text(current["responsible"])
    indicator.order = current["order"]
    indicator.metric, indicator.params = code, checked
    indicator.source = source_text if code == "manual" else clean_text(current["source"])
    if (code, checked) != (before["metric"], before["params"]):
        indicator.version += 1
    after = snapshot(indicator, INDICATOR_FIELDS)
    changes = diff(before, after)
    if changes:
        indicator.save()
        audit_log(
            action="indicator.updated",
            actor=actor,
            association=indicator.association,
            obj=indicator,
            changes={**changes, "version": indicator.version},
        )
    return indicator


@transaction.atomic
def indicator_delete(*, actor: Any, indicator: Indicator) -> None:
    audit_log(
        action="indicator.deleted",
        actor=actor,
        association=indicator.association,
        obj=indicator,
        changes={"text": indicator.text, "metric": indicator.metric},
    )
    indicator.delete()


# ---------------------------------------------------------------------------
# Targets and values entered by hand


def target_values_check(
    *, metric: str, year: Any, op: Any, value: Any
) -> tuple[int | None, str, Decimal]:
    errors: Errors = {}
    checked_year = _year_check(errors, year)
    if op not in Op.values:
        _add(
            errors,
            "op",
            _("Okänd jämförelse ”%(op)s”. Välj ett av: %(known)s.")
            % {"op": op, "known": ", ".join(Op.values)},
        )
    number = _value_check(errors, value, share=metric_is_share(metric))
    _raise(errors)
    return checked_year, str(op), number


@transaction.atomic
def target_set(
    *, actor: Any, indicator: Indicator, year: int | None, op: str, value: Any
) -> IndicatorTarget:
    """The indicator's målvärde for one year (or for every year when `year` is None),
    replacing the one it had: a share as a decimal between 0 and 1."""
    checked_year, checked_op, number = target_values_check(
        metric=indicator.metric, year=year, op=op, value=value
    )
    target = IndicatorTarget.objects.filter(indicator=indicator, year=checked_year).first()
    before = snapshot(target, ("op", "value")) if target is not None else {}
    if target is None:
        target = IndicatorTarget(
            association=indicator.association, indicator=indicator, year=checked_year
        )
    target.op, target.value = checked_op, number
    target.save()
    changes = diff(before, snapshot(target, ("op", "value")))
    if changes:
        audit_log(
            action="indicator_target.set",
            actor=actor,
            association=indicator.association,
            obj=indicator,
            changes={"year": checked_year, **changes},
        )
    return target


@transaction.atomic
def target_delete(*, actor: Any, target: IndicatorTarget) -> None:
    audit_log(
        action="indicator_target.deleted",
        actor=actor,
        association=target.association,
        obj=target.indicator,
        changes={"year": target.year, "op": target.op, "value": target.value},
    )
    target.delete()


@transaction.atomic
def manual_value_set(
    *,
    actor: Any,
    indicator: Indicator,
    period_start: datetime.date,
    period_end: datetime.date,
    value: Any,
    source: str,
    comment: str = "",
) -> ManualValue:
    """A value entered by hand for a period, with its source ("Gruppdialog på
    chefsmöte") and a comment, replacing one entered for the same period. Meant for
    `manual` indicators, and allowed for any other whose metric cannot be computed
    from Stegvis's data yet."""
    errors: Errors = {}
    if period_start > period_end:
        _add(errors, "period_end", _("Perioden slutar före den börjar."))
    for field, day in (("period_start", period_start), ("period_end", period_end)):
        if not YEAR_RANGE[0] <= day.year <= YEAR_RANGE[1]:
            _add(
                errors,
                field,
                _("Året ska ligga mellan %(first)s och %(last)s.")
                % {"first": YEAR_RANGE[0], "last": YEAR_RANGE[1]},
            )
    number = _value_check(errors, value, share=metric_is_share(indicator.metric))
    if not clean_text(source):
        _add(errors, "source", _("Ange källan till värdet."))
    _lengths_check(errors, {"source": source}, ("source",))
    _raise(errors)
    record = ManualValue.objects.filter(
        indicator=indicator, period_start=period_start, period_end=period_end
    ).first()
    fields = ("value", "source", "comment")
    before = snapshot(record, fields) if record is not None else {}
    if record is None:
        record = ManualValue(
            association=indicator.association,
            indicator=indicator,
            period_start=period_start,
            period_end=period_end,
        )
    record.value, record.source, record.comment = number, clean_text(source), clean_text(comment)
    record.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    record.save()
    changes = diff(before, snapshot(record, fields))
    if changes:
        audit_log(
            action="manual_value.set",
            actor=actor,
            association=indicator.association,
            obj=indicator,
            changes={
                "period": f"{period_start.isoformat()}–{period_end.isoformat()}",
                **changes,
            },
        )
    return record


@transaction.atomic
def manual_value_delete(*, actor: Any, manual_value: ManualValue) -> None:
    audit_log(
        action="manual_value.deleted",
        actor=actor,
        association=manual_value.association,
        obj=manual_value.indicator,
        changes={
            "period": f"{manual_value.period_start.isoformat()}–"
            f"{manual_value.period_end.isoformat()}",
            "value": manual_value.value,
        },
    )
    manual_value.delete()


# ---------------------------------------------------------------------------
# The plan file's `goals` section


def goal_map_from_plan(
    *, actor: Any, association: Association, year: int, goals: list[dict[str, Any]]
) -> GoalMap:
    """Replace the year's goal map by the plan file's `goals` (see goals.plan_file)."""
    from stegvis.goals.plan_file import goal_map_import

    return goal_map_import(actor=actor, association=association, year=year, goals=goals)


def goal_map_to_plan(*, goal_map: GoalMap) -> list[dict[str, Any]]:
    """The goal map as the plan file's `goals` section (see goals.plan_file)."""
    from stegvis.goals.plan_file import goal_map_export

    return goal_map_export(goal_map=goal_map)
