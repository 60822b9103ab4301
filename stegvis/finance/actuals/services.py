"""Writes of the follow-up: periods, actuals (recorded or imported from a sheet) and
the kansli's forecasts. Each is one transaction, with one audit line per changed
amount."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.audit.services import audit_log
from stegvis.core.exporters import Table, TableExporter
from stegvis.finance.actuals.selectors import _periods, periods, plan_lines
from stegvis.finance.actuals.sheet import (
    LineName,
    SheetError,
    read_sheet,
    sheet_amounts,
    sheet_name,
)
from stegvis.finance.models import (
    DEFAULT_PERIODS,
    Actual,
    BudgetLine,
    Forecast,
    Plan,
    ReportingPeriod,
    Unit,
)


def _period_code(association: Association, name: str) -> str:
    base = slugify(name)[:16].strip("-") or "period"
    taken = set(_periods(association).values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        code = f"{base}-{number}"
        number += 1
    return code


def periods_ensure(*, association: Association) -> list[ReportingPeriod]:
    """The förbund's periods, the defaults (tertial 1, tertial 2, helår) created the
    first time a förbund follows up anything."""
    if not _periods(association).exists():
        try:
            with transaction.atomic():
                for code, name, end_month in DEFAULT_PERIODS:
                    period = ReportingPeriod.objects.create(
                        association=association, code=code, name=name, end_month=end_month
                    )
                    audit_log(
                        action="reporting_period.created",
                        association=association,
                        obj=period,
                        changes={"name": name, "end_month": end_month},
                    )
        except IntegrityError:
            pass  # another request made them at the same moment
    return periods(association=association)


def _month_taken(association: Association, end_month: int, exclude: int | None = None) -> None:
    others = _periods(association).filter(end_month=end_month)
    clash = (others.exclude(pk=exclude) if exclude is not None else others).first()
    if clash is not None:
        raise ValidationError(
            {
                "end_month": _("Perioden ”%(name)s” slutar redan med den månaden.")
                % {"name": clash.name}
            }
        )


@transaction.atomic
def period_create(
    *, actor: Any, association: Association, name: str, end_month: int
) -> ReportingPeriod:
    """A follow-up period from January to the end of `end_month`."""
    _month_taken(association, end_month)
    period = ReportingPeriod(
        association=association,
        code=_period_code(association, name),
        name=name.strip(),
        end_month=end_month,
    )
    period.full_clean()
    period.save()
    audit_log(
        action="reporting_period.created",
        actor=actor,
        association=association,
        obj=period,
        changes={"name": period.name, "end_month": end_month},
    )
    return period


@transaction.atomic
def period_update(
    *, actor: Any, period: ReportingPeriod, name: str, end_month: int
) -> ReportingPeriod:
    """Rename a period; its end month may change only while no actual uses it,
    since the recorded amounts are amounts to that month."""
    changes: dict[str, Any] = {}
    if end_month != period.end_month:
        used = period.actuals.count()
        if used:
            raise ValidationError(
                {
                    "end_month": _(
                        "Perioden har utfall registrerat (%(count)d belopp) och kan inte få "
                        "en annan slutmånad. Lägg till en ny period i stället."
                    )
                    % {"count": used}
                }
            )
        _month_taken(period.association, end_month, exclude=period.pk)
        changes["end_month"] = [period.end_month, end_month]
        period.end_month = end_month
    name = name.strip()
    if name != period.name:
        changes["name"] = [period.name, name]
        period.name = name
    if changes:
        period.full_clean()
        period.save()
        audit_log(
            action="reporting_period.updated",
            actor=actor,
            association=period.association,
            obj=period,
            changes=changes,
        )
    return period


@transaction.atomic
def period_remove(*, actor: Any, period: ReportingPeriod) -> None:
    """Remove a period no actual uses; the förbund keeps at least one."""
    used = period.actuals.count()
    if used:
        raise ValidationError(
            _(
                "Perioden ”%(name)s” kan inte tas bort eftersom utfall är registrerat för den "
                "(%(count)d belopp). Ta bort utfallet först eller behåll perioden."
            )
            % {"name": period.name, "count": used}
        )
    if _periods(period.association).count() <= 1:
        raise ValidationError(_("Förbundet måste ha minst en uppföljningsperiod."))
    audit_log(
        action="reporting_period.removed",
        actor=actor,
        association=period.association,
        obj=period,
        changes={"name": period.name, "end_month": period.end_month},
    )
    period.delete()


@dataclass(frozen=True)
class Change:
    line: BudgetLine
    old: int | None
    new: int | None

    @property
    def difference(self) -> int | None:
        return (self.new or 0) - (self.old or 0) if self.kind != "unchanged" else None

    @property
    def kind(self) -> str:
        if self.old == self.new:
            return "unchanged"
        if self.old is None:
            return "new"
        if self.new is None:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class RecordResult:
    changes: list[Change]

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    @property
    def changed(self) -> int:
        return sum(1 for change in self.changes if change.kind != "unchanged")


def _check_context(plan: Plan, year: int, period: ReportingPeriod) -> None:
    if period.association_id != plan.association_id:
        raise ValueError("the period belongs to another förbund")
    if year not in plan.years:
        raise ValidationError(_("%(year)d ingår inte i %(plan)s.") % {"year": year, "plan": plan})


def _planned_changes(
    plan: Plan, year: int, period: ReportingPeriod, amounts: Mapping[int, int | None]
) -> tuple[list[Change], dict[int, Actual]]:
    lines = {line.pk: line for line in plan_lines(plan=plan)}
    unknown = set(amounts) - set(lines)
    if unknown:
        raise ValueError(f"lines {sorted(unknown)} are not lines of {plan}")
    existing = {
        actual.line_id: actual
        for actual in Actual.objects.filter(line__plan=plan, year=year, period=period)
    }
    changes = [
        Change(
            line,
            existing[line.pk].amount if line.pk in existing else None,
            amounts[line.pk],
        )
        for line in lines.values()
        if line.pk in amounts
    ]
    return changes, existing


@transaction.atomic
def actuals_record(
    *,
    actor: Any,
    plan: Plan,
    year: int,
    period: ReportingPeriod,
    amounts: Mapping[int, int | None],
) -> RecordResult:
    """Record the actuals of a year to the end of a period, line id → kronor, all in
    one transaction. An amount replaces the line's earlier one; None removes it;
    lines left out are untouched. Each change is one audit line."""
    _check_context(plan, year, period)
    changes, existing = _planned_changes(plan, year, period, amounts)
    for change in changes:
        if change.kind == "unchanged":
            continue
        label = _("%(line)s, %(period)s %(year)d") % {
            "line": change.line.name,
            "period": period.name,
            "year": year,
        }
        if change.new is None:
            actual = existing[change.line.pk]
            audit_log(
                action="actual.removed",
                actor=actor,
                association=plan.association,
                obj=actual,
                object_repr=label,
                changes={"amount": [change.old, None]},
            )
            actual.delete()
            continue
        actual = existing.get(change.line.pk) or Actual(
            association=plan.association, line=change.line, year=year, period=period
        )
        actual.amount = change.new
        actual.save()
        audit_log(
            action="actual.recorded",
            actor=actor,
            association=plan.association,
            obj=actual,
            object_repr=label,
            changes={"amount": [change.old, change.new]},
        )
    return RecordResult(changes)


@dataclass(frozen=True)
class ImportResult:
    changes: list[Change]
    untouched: list[BudgetLine]  # plan lines the file does not give an amount for
    empty_rows: list[int]
    dry_run: bool

    @property
    def changed(self) -> int:
        return sum(1 for change in self.changes if change.kind != "unchanged")


def sheet_lines(*, plan: Plan) -> list[LineName]:
    return [LineName(line.pk, line.name, line.side) for line in plan_lines(plan=plan)]


def actuals_import(
    *,
    actor: Any,
    plan: Plan,
    year: int,
    period: ReportingPeriod,
    content: bytes,
    filename: str,
    unit: str,
    dry_run: bool,
) -> ImportResult:
    """Import a two-column sheet (budget line | amount in `unit`) as the actuals to the
    end of `period`: all or nothing. Every unknown name, bad amount or duplicate is
    reported (ValidationError with one "rad N, kolumn X: …" message each) and nothing
    is stored; with `dry_run` nothing is stored either, and the result says what would
    change. A file over the limits of `uploads.ACTUALS_SHEET` is refused with the limit
    named."""
    _check_context(plan, year, period)
    if unit not in Unit.values:
        raise ValueError(f"unknown unit {unit!r}")
    try:
        rows = read_sheet(content, filename=filename)
    except SheetError as error:
        raise ValidationError(str(error)) from error
    if not rows:
        raise ValidationError(_("Filen innehåller inga rader."))
    matched = sheet_amounts(rows, lines=sheet_lines(plan=plan), unit=unit)
    if matched.errors:
        raise ValidationError(matched.errors)
    if not matched.amounts:
        raise ValidationError(_("Filen innehåller inga belopp."))
    amounts: dict[int, int | None] = dict(matched.amounts)
    with transaction.atomic():
        changes, _existing = _planned_changes(plan, year, period, amounts)
        if not dry_run:
            actuals_record(actor=actor, plan=plan, year=year, period=period, amounts=amounts)
            audit_log(
                action="actuals.imported",
                actor=actor,
                association=plan.association,
                obj=plan,
                object_repr=_("Utfall %(period)s %(year)d från %(file)s")
                % {"period": period.name, "year": year, "file": filename or "fil"},
                changes={},
            )
    return ImportResult(
        changes=changes,
        untouched=[line for line in plan_lines(plan=plan) if line.pk not in amounts],
        empty_rows=matched.empty,
        dry_run=dry_run,
    )


def import_template(*, plan: Plan, year: int, unit: str) -> bytes:
    """An .xlsx to fill in: a header row and the plan's line names in column A."""
    names = sheet_lines(plan=plan)
    table = Table(
        title=_("Utfall %(year)d") % {"year": year},
        columns=[_("Budgetrad"), _("Utfall (%(unit)s)") % {"unit": unit}],
        rows=[[sheet_name(line, names), None] for line in names],
    )
    return TableExporter(table, filename=table.title).xlsx()


@transaction.atomic
def forecast_set(
    *, actor: Any, line: BudgetLine, year: int, amount: int, comment: str = ""
) -> Forecast:
    """The kansli's own prognosis of a line's full year; it replaces the drawn-out
    actual until the helår actual is in."""
    if year not in line.plan.years:
        raise ValidationError(
            _("%(year)d ingår inte i %(plan)s.") % {"year": year, "plan": line.plan}
        )
    forecast = Forecast.objects.filter(line=line, year=year).first()
    old = (forecast.amount, forecast.comment) if forecast else (None, "")
    if forecast is None:
        forecast = Forecast(association=line.association, line=line, year=year)
    forecast.amount = amount
    forecast.comment = comment.strip()
    forecast.full_clean()
    forecast.save()
    changes: dict[str, list[Any]] = {}
    if old[0] != amount:
        changes["amount"] = [old[0], amount]
    if old[1] != forecast.comment:
        changes["comment"] = [old[1], forecast.comment]
    if changes:
        audit_log(
            action="forecast.set",
            actor=actor,
            association=line.association,
            obj=forecast,
            object_repr=_("Prognos %(year)d: %(line)s") % {"year": year, "line": line.name},
            changes=changes,
        )
    return forecast


@transaction.atomic
def forecast_remove(*, actor: Any, line: BudgetLine, year: int) -> bool:
    """Remove the kansli's prognosis: the line's prognosis is drawn out from its actual
    again. False when there was none."""
    forecast = Forecast.objects.filter(line=line, year=year).first()
    if forecast is None:
        return False
    audit_log(
        action="forecast.removed",
        actor=actor,
        association=line.association,
        obj=forecast,
        object_repr=_("Prognos %(year)d: %(line)s") % {"year": year, "line": line.name},
        changes={"amount": [forecast.amount, None], "comment": [forecast.comment, ""]},
    )
    forecast.delete()
    return True
