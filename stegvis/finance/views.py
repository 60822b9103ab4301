"""The Ekonomi pages: the multi-year budget with its findings and chart, its lines and
rules, the contributions, and the plan file in and out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import (
    AMOUNT,
    PERCENT,
    XLSX_TYPE,
    Table,
    TableExporter,
    download,
)
from stegvis.core.forms import add_service_errors
from stegvis.finance import charts, selectors, services
from stegvis.finance.forms import (
    BudgetLineForm,
    ContributionTotalForm,
    PlanCreateForm,
    PlanEditForm,
    PlanUploadForm,
    RulesForm,
)
from stegvis.finance.models import BudgetLine, Plan
from stegvis.plans.document import PlanFileError, Problem

SESSION_UPLOAD_WARNINGS = "finance_upload_warnings"
SIDES = {"intakt": BudgetLine.Side.REVENUE, "kostnad": BudgetLine.Side.COST}
PLAN_FILE_TYPES = {
    "yaml": "application/yaml; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": XLSX_TYPE,
}


def _plan(request: AssociationRequest, year: int) -> Plan:
    return get_object_or_404(selectors.plans(association=request.association), first_year=year)


def _to_plan(plan: Plan) -> HttpResponse:
    return redirect(
        "finance:plan_detail", association_slug=plan.association.slug, year=plan.first_year
    )


def _context(request: AssociationRequest, plan: Plan | None, **extra: Any) -> dict[str, Any]:
    return {
        "plan": plan,
        "plans": list(selectors.plans(association=request.association)),
        "can_edit": Permission.EDIT_BUDGET in request.permissions,
        **extra,
    }


# ---------------------------------------------------------------------------
# The budget


@association_view(Permission.VIEW_BUDGET)
def budget(request: AssociationRequest) -> HttpResponse:
    """The latest plan's budget, or a start when the förbund has none."""
    plan = selectors.latest_plan(association=request.association)
    if plan is None:
        return render(request, "finance/empty.html", _context(request, None))
    return _budget_page(request, plan)


@association_view(Permission.VIEW_BUDGET)
def plan_detail(request: AssociationRequest, year: int) -> HttpResponse:
    return _budget_page(request, _plan(request, year))


def _budget_page(request: AssociationRequest, plan: Plan) -> HttpResponse:
    upload = request.session.get(SESSION_UPLOAD_WARNINGS)
    if upload and upload.get("year") == plan.first_year:
        del request.session[SESSION_UPLOAD_WARNINGS]
    else:
        upload = None
    table = selectors.budget_table(plan)
    chart = charts.budget_chart_svg(table.figures, buffer=table.rules.equity_min)
    return render(
        request,
        "finance/budget.html",
        _context(
            request,
            plan,
            table=table,
            chart=chart,
            upload_warnings=upload,
            cap_rule=selectors.cap_rule_text(table.rules),
            admin_categories=selectors.admin_categories_text(table.rules),
        ),
    )


@association_view(Permission.VIEW_BUDGET)
def budget_export(request: AssociationRequest, year: int, fmt: str) -> HttpResponse:
    """The budget table as on the page, in tkr; `?enhet=kr` gives whole kronor."""
    plan = _plan(request, year)
    unit = "kr" if request.GET.get("enhet") == "kr" else "tkr"
    table = selectors.budget_table(plan)
    columns = [
        _("Belopp i %(unit)s") % {"unit": unit},
        *[
            (_("Budget %(year)s") if year == plan.first_year else _("Plan %(year)s"))
            % {"year": year}
            for year in table.years
        ],
    ]
    notes = [
        f"{finding.year}: {finding.label}. {finding.message}. {finding.rule_text}"
        for finding in table.findings
    ]

    def scaled(amount: int) -> int:
        return amount if unit == "kr" else selectors.rounded_tkr(amount)

    tables = [
        Table(
            title=_("Budget %(years)s") % {"years": _years(plan)},
            columns=columns,
            rows=table.export_rows(unit=unit),
            notes=notes,
        ),
        Table(
            title=_("Kontroll mot reglerna"),
            columns=[_("År"), _("Regel"), _("Värde"), _("Gräns"), _("Avvikelse"), _("Regeln")],
            rows=[
                [f.year, f.label, f.value, f.limit, f.message, f.rule_text] for f in table.findings
            ],
        ),
        Table(
            title=_("Diagram"),
            columns=[
                _("År"),
                _("Intäkter (%(unit)s)") % {"unit": unit},
                _("Kostnader (%(unit)s)") % {"unit": unit},
                _("Utgående eget kapital (%(unit)s)") % {"unit": unit},
            ],
            rows=[
                [f.year, scaled(f.revenues), scaled(f.costs), scaled(f.closing_equity)]
                for f in table.figures
            ],
        ),
    ]
    # Excel gets every table as a sheet of its own; CSV the budget table.
    return TableExporter(
        *tables,
        filename=f"{request.association.slug}-budget-{plan.first_year}"
        + ("-kr" if unit == "kr" else ""),
    ).response(fmt)


def _years(plan: Plan) -> str:
    return (
        f"{plan.first_year}–{plan.last_year}"
        if plan.last_year > plan.first_year
        else str(plan.first_year)
    )


# ---------------------------------------------------------------------------
# Plans


@association_view(Permission.EDIT_BUDGET)
def plan_create(request: AssociationRequest) -> HttpResponse:
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user, association=request.association, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(plan)s är skapad.") % {"plan": plan})
            return _to_plan(plan)
    return render(request, "finance/plan_form.html", _context(request, None, form=form))


@association_view(Permission.EDIT_BUDGET)
def plan_edit(request: AssociationRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    form = PlanEditForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Planen är sparad."))
            return _to_plan(plan)
    return render(request, "finance/plan_form.html", _context(request, plan, form=form))


def _problems(error: ValidationError) -> list[Problem]:
    if hasattr(error, "error_dict"):
        return [
            Problem(path, message)
            for path, errors in error.message_dict.items()
            for message in errors
        ]
    return [Problem("", message) for message in error.messages]


@association_view(Permission.EDIT_BUDGET)
def plan_upload(request: AssociationRequest) -> HttpResponse:
    """Read a plan file and store it; when it cannot be used, list every problem
    (`path: message`) and store nothing."""
    from stegvis.plans.reader import read_plan

    association = request.association
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document, warnings = read_plan(upload.read(), filename=upload.name)
            replaced = (
                selectors.plans(association=association)
                .filter(first_year=document.years[0])
                .exists()
            )
            plan = services.plan_store(
                actor=request.user, association=association, document=document
            )
        except PlanFileError as error:
            problems = list(error.problems)
        except ValidationError as error:
            problems = _problems(error)
        else:
            if replaced:
                messages.success(
                    request,
                    _(
                        "%(plan)s är inläst från %(file)s och har ersatt den tidigare "
                        "versionen, som finns kvar i historiken."
                    )
                    % {"plan": plan, "file": upload.name},
                )
            else:
                messages.success(
                    request,
                    _("%(plan)s är inläst från %(file)s.") % {"plan": plan, "file": upload.name},
                )
            if document.association.strip().casefold() != association.name.strip().casefold():
                messages.warning(
                    request,
                    _("Filen gäller ”%(file)s” men lästes in i %(association)s.")
                    % {"file": document.association, "association": association.name},
                )
            if warnings:
                # Shown once, as a list beside the plan they concern.
                request.session[SESSION_UPLOAD_WARNINGS] = {
                    "year": plan.first_year,
                    "file": upload.name,
                    "warnings": [str(warning) for warning in warnings],
                }
            return _to_plan(plan)
    status = 400 if problems or form.errors else 200
    return render(
        request,
        "finance/upload.html",
        _context(request, None, form=form, problems=problems),
        status=status,
    )


@association_view(Permission.EDIT_BUDGET)
def plan_template(request: AssociationRequest) -> HttpResponse:
    """The empty Excel workbook to fill in a plan."""
    from stegvis.plans.writer import plan_template_xlsx

    return download(plan_template_xlsx(), filename="stegvis-plan-mall.xlsx", content_type=XLSX_TYPE)


@association_view(Permission.VIEW_BUDGET)
def plan_export(request: AssociationRequest, year: int, fmt: str) -> HttpResponse:
    """The stored plan as a `stegvis-plan/1` file (YAML, JSON or Excel)."""
    from stegvis.plans.writer import write_plan

    if fmt not in PLAN_FILE_TYPES:
        raise Http404
    plan = _plan(request, year)
    document = selectors.plan_document(association=request.association, first_year=plan.first_year)
    return download(
        write_plan(document, fmt=fmt),
        filename=f"{request.association.slug}-plan-{plan.first_year}.{fmt}",
        content_type=PLAN_FILE_TYPES[fmt],
    )


# ---------------------------------------------------------------------------
# Lines


@association_view(Permission.EDIT_BUDGET)
def line_create(request: AssociationRequest, year: int, side: str) -> HttpResponse:
    if side not in SIDES:
        raise Http404
    plan = _plan(request, year)
    data = selectors.plan_data(plan)
    form = BudgetLineForm(request.POST or None, data_of_plan=data, side=SIDES[side])
    if request.method == "POST" and form.is_valid():
        try:
            line = services.budget_line_create(
                actor=request.user, plan=plan, side=SIDES[side], **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Raden %(name)s är tillagd.") % {"name": line.name})
            return _to_plan(plan)
    return render(
        request,
        "finance/line_form.html",
        _context(request, plan, form=form, side=SIDES[side], line=None),
    )


@association_view(Permission.EDIT_BUDGET)
def line_edit(request: AssociationRequest, year: int, pk: int) -> HttpResponse:
    plan = _plan(request, year)
    line = get_object_or_404(plan.lines, pk=pk)
    if line.generated:
        messages.info(
            request,
            _("Raden räknas fram från medlemsavgifternas totalbelopp. Ändra totalbeloppet här."),
        )
        return redirect(
            "finance:contribution_total_edit",
            association_slug=request.association.slug,
            year=plan.first_year,
        )
    data = selectors.plan_data(plan)
    line = next(row for row in data.lines if row.pk == line.pk)
    form = BudgetLineForm(request.POST or None, data_of_plan=data, side=line.side, line=line)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_update(actor=request.user, line=line, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Raden %(name)s är sparad.") % {"name": line.name})
            return _to_plan(plan)
    return render(
        request,
        "finance/line_form.html",
        _context(request, plan, form=form, side=line.side, line=line),
    )


@association_view(Permission.EDIT_BUDGET)
@require_POST
def line_delete(request: AssociationRequest, year: int, pk: int) -> HttpResponse:
    plan = _plan(request, year)
    line = get_object_or_404(plan.lines, pk=pk)
    try:
        services.budget_line_delete(actor=request.user, line=line)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Raden %(name)s är borttagen.") % {"name": line.name})
    return _to_plan(plan)


# ---------------------------------------------------------------------------
# Rules


@association_view(Permission.EDIT_BUDGET)
def rules_edit(request: AssociationRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    data = selectors.plan_data(plan)
    form = RulesForm(request.POST or None, rules=data.rules)
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(actor=request.user, plan=plan, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reglerna är sparade."))
            return _to_plan(plan)
    return render(request, "finance/rules_form.html", _context(request, plan, form=form))


# ---------------------------------------------------------------------------
# Contributions


@association_view(Permission.VIEW_BUDGET)
def contributions(request: AssociationRequest, year: int) -> HttpResponse:
    plan = _plan(request, year)
    data = selectors.plan_data(plan)
    return render(
        request,
        "finance/contributions.html",
        _context(
            request,
            plan,
            table=selectors.contribution_table(plan, data),
            members=data.members,
        ),
    )


@association_view(Permission.VIEW_BUDGET)
def contributions_export(request: AssociationRequest, year: int, fmt: str) -> HttpResponse:
    plan = _plan(request, year)
    table = selectors.contribution_table(plan)
    columns = [_("Medlem"), _("Slag")]
    for each in table.years:
        columns += [
            _("%(year)s (kr)") % {"year": each},
            _("%(year)s andel") % {"year": each},
        ]
    notes = [
        _("Kommunernas fjärdedel fördelas efter: %(key)s.") % {"key": table.municipal_key_label}
    ]
    for row in table.kinds:
        for cell in row.cells:
            if cell.flagged:
                notes.append(
                    _("%(year)s: %(who)s står för %(share)s, ska vara %(expected)s.")
                    % {
                        "year": cell.year,
                        "who": row.label,
                        "share": f"{cell.share * 100:.1f} %".replace(".", ",")
                        if cell.share is not None
                        else "–",
                        "expected": f"{(cell.expected or 0) * 100:.0f} %",
                    }
                )
    municipal = Table(
        title=_("Kommunernas fjärdedel"),
        columns=[
            _("Kommun"),
            _("Folkmängd %(year)s") % {"year": plan.first_year},
            _("Andel av kommunernas folkmängd"),
            _("Egen andel"),
            _("Andel av kommunernas avgifter %(year)s") % {"year": plan.first_year},
        ],
        rows=[
            [
                row.name,
                row.population,
                float(row.population_share) if row.population_share is not None else None,
                row.own_share,
                float(row.contribution_share) if row.contribution_share is not None else None,
            ]
            for row in table.municipalities
        ],
        formats={1: AMOUNT, 2: PERCENT, 4: PERCENT},
    )
    return TableExporter(
        Table(
            title=_("Medlemsavgifter %(years)s") % {"years": _years(plan)},
            columns=columns,
            rows=table.export_rows(),
            notes=notes,
            formats={
                2 + 2 * index + offset: number_format
                for index in range(len(table.years))
                for offset, number_format in enumerate((AMOUNT, PERCENT))
            },
        ),
        municipal,
        filename=f"{request.association.slug}-medlemsavgifter-{plan.first_year}",
    ).response(fmt)


@association_view(Permission.EDIT_BUDGET)
def contribution_total_edit(request: AssociationRequest, year: int) -> HttpResponse:
    """The yearly totals and the municipal key; the lines per member are made again."""
    plan = _plan(request, year)
    data = selectors.plan_data(plan)
    form = ContributionTotalForm(request.POST or None, data_of_plan=data)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_total_update(
                actor=request.user, plan=plan, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Medlemsavgifterna är fördelade på nytt."))
            return redirect(
                "finance:contributions",
                association_slug=request.association.slug,
                year=plan.first_year,
            )
    written = [
        line
        for line in data.revenue_lines
        if line.category == BudgetLine.RevenueKind.CONTRIBUTION and not line.generated
    ]
    return render(
        request,
        "finance/contribution_form.html",
        _context(request, plan, form=form, members=data.members, written=written),
    )
