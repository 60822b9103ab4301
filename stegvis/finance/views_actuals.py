"""The actuals pages: follow-up (budget against actuals and prognosis), recording and
importing actuals, the kansli's forecasts and the förbund's follow-up periods."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import AMOUNT, DECIMAL, XLSX_TYPE, Table, TableExporter, download
from stegvis.core.forms import add_service_errors
from stegvis.finance import actuals
from stegvis.finance.forms_actuals import (
    ActualsForm,
    ForecastForm,
    ImportConfirmForm,
    ImportForm,
    PeriodForm,
    UnitSwitchForm,
)
from stegvis.finance.models import BudgetLine, Plan, ReportingPeriod, Unit


def _back(request: AssociationRequest, name: str, **kwargs: Any) -> HttpResponse:
    return redirect(f"actuals:{name}", association_slug=request.association.slug, **kwargs)


def _context(request: AssociationRequest, year: int, period: str) -> tuple[Plan, ReportingPeriod]:
    """The plan a year is followed up against and the period, both of this förbund."""
    association = request.association
    found = {p.code: p for p in actuals.periods(association=association)}
    plan = actuals.plan_for_year(association=association, year=year)
    if plan is None or period not in found:
        raise Http404
    return plan, found[period]


def _line(plan: Plan, pk: int) -> BudgetLine:
    line = plan.lines.filter(pk=pk).first()
    if line is None:
        raise Http404
    return line


def _unit(request: AssociationRequest, plan: Plan) -> str:
    unit = request.GET.get("enhet", "")
    return unit if unit in Unit.values else plan.unit


def _common(request: AssociationRequest, plan: Plan, year: int, period: ReportingPeriod) -> dict:
    """What every page of one year and period shows around its content."""
    association = request.association
    return {
        "plan": plan,
        "year": year,
        "period": period,
        "span": actuals.period_span(period.end_month),
        "periods": actuals.periods(association=association),
        "years": [y for y, _plan in actuals.plan_years(association=association)],
    }


@association_view(Permission.VIEW_BUDGET)
def index(request: AssociationRequest) -> HttpResponse:
    association = request.association
    return render(
        request,
        "finance/actuals_index.html",
        {"overview": actuals.actuals_overview(association=association)},
    )


@association_view(Permission.VIEW_BUDGET)
def index_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The overview: per year, the budget it is followed up against and how many of its
    lines have an actual for each period."""
    association = request.association
    overview = actuals.actuals_overview(association=association)
    periods = actuals.periods(association=association)
    table = Table(
        title=_("Utfall per år och period"),
        columns=[
            _("År"),
            _("Följs upp mot"),
            _("Budgetrader"),
            *[_("Rader med utfall, %(period)s") % {"period": p.name} for p in periods],
        ],
        rows=[
            [
                status.year,
                str(status.plan),
                status.lines,
                *[each.recorded for each in status.periods],
            ]
            for status in overview
        ],
    )
    return TableExporter(table, filename=f"{association.slug}-utfall").response(fmt)


@association_view(Permission.VIEW_BUDGET)
def followup(request: AssociationRequest, year: int, period: str) -> HttpResponse:
    plan, chosen = _context(request, year, period)
    return render(
        request,
        "finance/actuals_followup.html",
        {
            **_common(request, plan, year, chosen),
            "followup": actuals.followup(plan=plan, year=year, period=chosen),
        },
    )


def _percent(value: Any) -> float | None:
    return None if value is None else round(float(value) * 100, 1)


@association_view(Permission.VIEW_BUDGET)
def followup_export(request: AssociationRequest, year: int, period: str, fmt: str) -> HttpResponse:
    plan, chosen = _context(request, year, period)
    result = actuals.followup(plan=plan, year=year, period=chosen)

    def figures(label: str, kind: str, f: actuals.Figures, note: str = "") -> list[Any]:
        return [
            kind,
            label,
            f.budget,
            f.actual,
            _percent(f.used_share),
            f.prognosis,
            "",
            f.deviation,
            _percent(f.deviation_share),
            note,
        ]

    rows: list[list[Any]] = []
    for group in result.groups:
        for row in group.lines:
            line = figures(
                row.line.name,
                group.label,
                row.figures,
                "; ".join(
                    part
                    for part in (
                        actuals.flag_label(side=row.line.side, flag=row.flag),
                        row.forecast_comment,
                    )
                    if part
                ),
            )
            line[6] = row.basis
            rows.append(line)
        if len(group.lines) > 1:
            rows.append(
                figures(
                    _("Summa %(group)s") % {"group": group.label.lower()},
                    group.label,
                    group.total,
                    actuals.flag_label(side=group.side, flag=group.flag),
                )
            )
        if group.side == BudgetLine.Side.REVENUE and group is result.revenue_groups[-1]:
            rows.append(figures(_("Summa intäkter"), "", result.revenues))
    rows.append(figures(_("Summa kostnader"), "", result.costs))
    rows.append(figures(_("Resultat (intäkter − kostnader)"), "", result.result))
    table = Table(
        title=_("Utfall %(year)d %(period)s") % {"year": year, "period": chosen.name},
        columns=[
            _("Grupp"),
            _("Budgetrad"),
            _("Budget %(year)d (kr)") % {"year": year},
            _("Utfall t.o.m. %(period)s (kr)") % {"period": chosen.name},
            _("Andel av budget (%)"),
            _("Prognos helår (kr)"),
            _("Prognosen bygger på"),
            _("Avvikelse prognos − budget (kr)"),
            _("Avvikelse (%)"),
            _("Notering"),
        ],
        rows=rows,
        notes=[
            _("Andel av året: %(months)d av 12 månader (%(share)s %%).")
            % {"months": chosen.end_month, "share": _percent(result.year_share)},
            _("Ingående eget kapital %(year)d: %(amount)d kr.")
            % {"year": year, "amount": result.opening_equity},
            _("Utgående eget kapital enligt budget: %(amount)d kr.")
            % {"amount": result.closing_budget},
            _("Utgående eget kapital enligt prognos: %(amount)d kr.")
            % {"amount": result.closing_prognosis},
        ],
        formats={2: AMOUNT, 3: AMOUNT, 4: DECIMAL, 5: AMOUNT, 7: AMOUNT, 8: DECIMAL},
    )
    return TableExporter(
        table, filename=f"{request.association.slug}-utfall-{year}-{chosen.code}"
    ).response(fmt)


@association_view(Permission.EDIT_BUDGET)
def record(request: AssociationRequest, year: int, period: str) -> HttpResponse:
    plan, chosen = _context(request, year, period)
    lines = actuals.plan_lines(plan=plan)
    current = actuals.actuals_for(plan=plan, year=year, period=chosen)
    unit = _unit(request, plan)
    form = ActualsForm(request.POST or None, lines=lines, current=current, unit=unit)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        try:
            result = actuals.actuals_record(
                actor=request.user, plan=plan, year=year, period=chosen, amounts=form.amounts
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Utfallet för %(period)s %(year)d är sparat: %(changed)d belopp ändrade.")
                % {"period": chosen.name, "year": year, "changed": result.changed},
            )
            return _back(request, "followup", year=year, period=chosen.code)
    elif request.method == "POST":
        unit = form.data.get("unit", unit)
    earlier = [
        p
        for p in actuals.periods(association=request.association)
        if p.end_month < chosen.end_month
    ]
    previous = earlier[-1] if earlier else None
    previous_amounts = (
        actuals.actuals_for(plan=plan, year=year, period=previous) if previous else {}
    )
    budgets = actuals.budget_for_year(plan=plan, year=year)
    groups = [
        (
            group,
            [
                (
                    line,
                    budgets.get(line.pk, 0),
                    previous_amounts.get(line.pk),
                    form[ActualsForm.field_name(line)],
                )
                for line in group.lines
            ],
        )
        for group in actuals.line_groups(lines)
    ]
    return render(
        request,
        "finance/actuals_record.html",
        {
            **_common(request, plan, year, chosen),
            "form": form,
            "groups": groups,
            "unit": unit,
            "unit_form": UnitSwitchForm(initial={"enhet": unit}),
            "previous": previous,
            "field_errors": [
                (form[name].id_for_label, error)
                for name, errors in form.errors.items()
                if name in form.fields
                for error in errors
            ],
        },
    )


@association_view(Permission.EDIT_BUDGET)
def import_upload(request: AssociationRequest, year: int, period: str) -> HttpResponse:
    """Upload a sheet; what it would change is shown before anything is stored."""
    plan, chosen = _context(request, year, period)
    form = ImportForm(request.POST or None, request.FILES or None, initial={"unit": plan.unit})
    context = _common(request, plan, year, chosen)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        unit = form.cleaned_data["unit"]
        try:
            preview = actuals.actuals_import(
                actor=request.user,
                plan=plan,
                year=year,
                period=chosen,
                content=content,
                filename=upload.name,
                unit=unit,
                dry_run=True,
            )
        except ValidationError as error:
            context["import_errors"] = error.messages
        else:
            confirm = ImportConfirmForm(
                initial={
                    "content": ImportConfirmForm.encode(content),
                    "filename": upload.name,
                    "unit": unit,
                }
            )
            return render(
                request,
                "finance/actuals_import_preview.html",
                {
                    **context,
                    "preview": preview,
                    "confirm": confirm,
                    "filename": upload.name,
                    "unit": unit,
                },
            )
    return render(request, "finance/actuals_import.html", {**context, "form": form})


@association_view(Permission.EDIT_BUDGET)
@require_POST
def import_confirm(request: AssociationRequest, year: int, period: str) -> HttpResponse:
    plan, chosen = _context(request, year, period)
    confirm = ImportConfirmForm(request.POST)
    context = _common(request, plan, year, chosen)
    errors: list[str] = []
    if confirm.is_valid():
        try:
            result = actuals.actuals_import(
                actor=request.user,
                plan=plan,
                year=year,
                period=chosen,
                content=confirm.cleaned_data["content"],
                filename=confirm.cleaned_data["filename"],
                unit=confirm.cleaned_data["unit"],
                dry_run=False,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Utfallet är importerat från %(file)s: %(changed)d belopp ändrade.")
                % {"file": confirm.cleaned_data["filename"], "changed": result.changed},
            )
            return _back(request, "followup", year=year, period=chosen.code)
    else:
        errors = [str(error) for field_errors in confirm.errors.values() for error in field_errors]
    return render(
        request,
        "finance/actuals_import.html",
        {**context, "form": ImportForm(initial={"unit": plan.unit}), "import_errors": errors},
        status=400,
    )


@association_view(Permission.EDIT_BUDGET)
def import_template(request: AssociationRequest, year: int) -> HttpResponse:
    plan = actuals.plan_for_year(association=request.association, year=year)
    if plan is None:
        raise Http404
    unit = _unit(request, plan)
    return download(
        actuals.import_template(plan=plan, year=year, unit=unit),
        filename=f"{request.association.slug}-utfall-{year}-mall-{unit}.xlsx",
        content_type=XLSX_TYPE,
    )


@association_view(Permission.EDIT_BUDGET)
def forecast_edit(
    request: AssociationRequest, year: int, period: str, line_pk: int
) -> HttpResponse:
    plan, chosen = _context(request, year, period)
    line = _line(plan, line_pk)
    existing = line.forecasts.filter(year=year).first()
    result = actuals.followup(plan=plan, year=year, period=chosen)
    row = next(row for row in result.rows if row.line.pk == line.pk)
    initial_amount = existing.amount if existing else row.prognosis.amount
    form = ForecastForm(
        request.POST or None,
        initial={
            "amount": actuals.format_amount(initial_amount, unit=plan.unit),
            "unit": plan.unit,
            "comment": existing.comment if existing else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actuals.forecast_set(
                actor=request.user,
                line=line,
                year=year,
                amount=form.cleaned_data["amount"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Prognosen för %(line)s är sparad.") % {"line": line.name})
            return _back(request, "followup", year=year, period=chosen.code)
    return render(
        request,
        "finance/actuals_forecast.html",
        {
            **_common(request, plan, year, chosen),
            "form": form,
            "line": line,
            "row": row,
            "existing": existing,
        },
    )


@association_view(Permission.EDIT_BUDGET)
@require_POST
def forecast_remove(
    request: AssociationRequest, year: int, period: str, line_pk: int
) -> HttpResponse:
    plan, chosen = _context(request, year, period)
    line = _line(plan, line_pk)
    if actuals.forecast_remove(actor=request.user, line=line, year=year):
        messages.success(
            request,
            _("Prognosen för %(line)s är borttagen; prognosen räknas nu fram från utfallet.")
            % {"line": line.name},
        )
    return _back(request, "followup", year=year, period=chosen.code)


def _period(request: AssociationRequest, pk: int) -> ReportingPeriod:
    found = next((p for p in actuals.periods(association=request.association) if p.pk == pk), None)
    if found is None:
        raise Http404
    return found


def _period_page(request: AssociationRequest, form: PeriodForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "finance/actuals_periods.html",
        {
            "rows": [
                (period, used, MONTHS[period.end_month])
                for period, used in actuals.period_usage(association=request.association)
            ],
            "form": form,
        },
        status=status,
    )


@association_view(Permission.EDIT_BUDGET)
def period_list(request: AssociationRequest) -> HttpResponse:
    return _period_page(request, PeriodForm())


@association_view(Permission.EDIT_BUDGET)
@require_POST
def period_create(request: AssociationRequest) -> HttpResponse:
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            period = actuals.period_create(
                actor=request.user, association=request.association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perioden %(name)s är tillagd.") % {"name": period.name})
            return _back(request, "period_list")
    return _period_page(request, form, status=400)


@association_view(Permission.EDIT_BUDGET)
def period_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    form = PeriodForm(
        request.POST or None, initial={"name": period.name, "end_month": period.end_month}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actuals.period_update(actor=request.user, period=period, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Perioden är sparad."))
            return _back(request, "period_list")
    return render(
        request,
        "finance/actuals_period_form.html",
        {"form": form, "period": period, "used": period.actuals.count()},
    )


@association_view(Permission.EDIT_BUDGET)
@require_POST
def period_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    try:
        actuals.period_remove(actor=request.user, period=period)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Perioden %(name)s är borttagen.") % {"name": period.name})
    return _back(request, "period_list")
