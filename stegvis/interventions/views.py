"""The Insatser pages: the list of insatser and each insats with its budget, decisions,
styrgrupp, mätpunkter and documents. Rounds, applications and decisions are in
views_applications.py.

Every page declares its permission; an insats is changed only by those who may change
that insats (`selectors.can_edit_intervention`): others get 403."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stegvis.associations import services as association_services
from stegvis.associations.forms import SeatForm
from stegvis.associations.models import Seat
from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import Table, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.finance import selectors as finance_selectors
from stegvis.finance.actuals import plan_for_year
from stegvis.goals.periods import current_period
from stegvis.goals.targets import intervention_targets_evaluate
from stegvis.interventions import selectors, services
from stegvis.interventions.forms import (
    DocumentForm,
    InterventionFilterForm,
    InterventionForm,
    PlannedParticipantsForm,
    StaffForm,
    TargetForm,
)
from stegvis.interventions.models import Intervention
from stegvis.participants.access import policy_for
from stegvis.plans.vocabulary import METRICS

Status = Intervention.Status
# Steps of the status machine that are the board's to take: a grant or a rejection
# is a decision; the insats's own people move it on once it runs.
BOARD_STEPS = frozenset({Status.GRANTED, Status.REJECTED})


def metric_label(code: str) -> str:
    metric = METRICS.get(code)
    return metric.label[:1].upper() + metric.label[1:] if metric else code


def to_intervention(request: AssociationRequest, intervention: Intervention) -> HttpResponse:
    return redirect(
        "interventions:detail", association_slug=request.association.slug, pk=intervention.pk
    )


def get_intervention(request: AssociationRequest, pk: int) -> Intervention:
    """The förbund's insats (404 for another förbund's)."""
    return get_object_or_404(
        request.association.interventions.select_related("owner", "target_group"),
        pk=pk,
    )


def can_edit(request: AssociationRequest, intervention: Intervention) -> bool:
    return selectors.can_edit_intervention(
        request_or_user=request, role=request.role, intervention=intervention
    )


def editable_intervention(request: AssociationRequest, pk: int) -> Intervention:
    """The insats, if this person may change it: 403 for someone else's."""
    intervention = get_intervention(request, pk)
    if not can_edit(request, intervention):
        raise PermissionDenied
    return intervention


def next_statuses(request: AssociationRequest, intervention: Intervention) -> list[Status]:
    """The steps this person may take from the insats's status."""
    steps = services.TRANSITIONS[intervention.status]
    may_decide = Permission.RECORD_DECISIONS in request.permissions
    return [
        Status(status)
        for status in Status.values
        if status in steps and (may_decide or status not in BOARD_STEPS)
    ]


# ---------------------------------------------------------------------------
# The list


def _filtered(request: AssociationRequest) -> tuple[InterventionFilterForm, list[Any]]:
    association = request.association
    plan_years = [
        year for plan in finance_selectors.plans(association=association) for year in plan.years
    ]
    every = selectors.intervention_rows(association=association)
    years = set(plan_years)
    for row in every:
        years |= set(row.budget_by_year) | set(row.planned_by_year)
    form = InterventionFilterForm(request.GET or None, association=association, years=years)
    filters = form.filters()
    rows = selectors.intervention_rows(association=association, **filters) if filters else every
    return form, rows


def _table_years(rows: list[Any], totals: Any, year: int | None) -> list[int]:
    if year is not None:
        return [year]
    return sorted(set(totals.budget_by_year) | set(totals.planned_by_year))


@association_view(Permission.VIEW_INTERVENTIONS)
def intervention_list(request: AssociationRequest) -> HttpResponse:
    form, rows = _filtered(request)
    totals = selectors.totals(rows)
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    years = _table_years(rows, totals, year)
    return render(
        request,
        "interventions/list.html",
        {
            "form": form,
            "rows": [(row, [row.budget_by_year.get(each) for each in years]) for row in rows],
            "totals": totals,
            "total_cells": [totals.budget_by_year.get(each, 0) for each in years],
            "per_year": [
                (each, totals.budget_by_year.get(each, 0), totals.planned_by_year.get(each, 0))
                for each in years
            ],
            "year": year,
            "years": years,
            "query": request.GET.urlencode(),
            "filtered": bool(form.is_bound and form.is_valid() and any(form.filters().values())),
            "can_create": Permission.PREPARE_APPLICATIONS in request.permissions,
            "can_apply": Permission.APPLY_FOR_MEMBER in request.permissions,
            "open_rounds": selectors.open_rounds(association=request.association),
            "my_interventions": selectors.interventions_for_user(
                association=request.association, user=request.user
            ),
        },
    )


@association_view(Permission.VIEW_INTERVENTIONS)
def intervention_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The list as on the page, with the same filters, amounts in whole kronor."""
    form, rows = _filtered(request)
    totals = selectors.totals(rows)
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
    years = _table_years(rows, totals, year)
    columns = [
        _("Insats"),
        _("Slag"),
        _("Status"),
        _("Projektägare"),
        _("Samverkande medlemmar"),
        _("Målgrupp"),
        _("Startdatum"),
        _("Slutdatum"),
        _("ESF-medfinansierad"),
        _("Diarienummer"),
        *[_("Budget %(year)s (kr)") % {"year": each} for each in years],
        *[_("Planerade deltagare %(year)s") % {"year": each} for each in years],
    ]
    table_rows: list[list[Any]] = [
        [
            row.name,
            row.kind_label,
            row.status_label,
            row.owner,
            ", ".join(row.members),
            row.target_group,
            row.start,
            row.end,
            _("Ja") if row.esf_funded else _("Nej"),
            row.intervention.reference,
            *[row.budget_by_year.get(each, 0) for each in years],
            *[row.planned_by_year.get(each, 0) for each in years],
        ]
        for row in rows
    ]
    table_rows.append(
        [
            _("Summa (%(count)s insatser)") % {"count": totals.count},
            *[""] * 9,
            *[totals.budget_by_year.get(each, 0) for each in years],
            *[totals.planned_by_year.get(each, 0) for each in years],
        ]
    )
    notes = []
    if form.is_bound and form.is_valid():
        chosen = [
            f"{form.fields[name].label}: {_choice_label(form, name)}"
            for name, value in form.cleaned_data.items()
            if value not in (None, "")
        ]
        if chosen:
            notes.append(_("Urval: %(filters)s") % {"filters": "; ".join(chosen)})
    table = Table(title=_("Insatser"), columns=columns, rows=table_rows, notes=notes)
    return TableExporter(table, filename=f"{request.association.slug}-insatser").response(fmt)


def _choice_label(form: BaseForm, name: str) -> str:
    value = form.cleaned_data[name]
    for key, label in getattr(form.fields[name], "choices", []):
        if str(key) == str(getattr(value, "pk", value)):
            return str(label)
    return str(value)


# ---------------------------------------------------------------------------
# One insats


def _detail(
    request: AssociationRequest,
    intervention: Intervention,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    association = request.association
    editable = can_edit(request, intervention)
    budget: dict[int, int] = {}
    budget_rows: list[tuple[int, int, Any]] = []
    if Permission.VIEW_BUDGET in request.permissions:
        budget = selectors.intervention_budget(intervention)
        budget_rows = [
            (year, amount, plan_for_year(association=association, year=year))
            for year, amount in budget.items()
        ]
    planned = selectors.planned_participants(intervention)
    seats = []
    if intervention.steering_group_id:
        seats = list(
            intervention.steering_group.seats.select_related("member").order_by(  # type: ignore[union-attr]
                "member__name", Seat.function_order(), "person_name"
            )
        )
    decisions = (
        intervention.decisions.select_related("application")
        .prefetch_related("years")
        .order_by("-meeting_date", "paragraph")
    )
    may_manage_staff = Permission.MANAGE_PEOPLE in request.permissions
    # The mätpunkter's values for the year to date, suppressed below the min cell
    # for everyone on this page.
    period = current_period(association=association)
    context = {
        "intervention": intervention,
        "members": intervention.members.order_by("name"),
        "can_edit": editable,
        "budget_rows": budget_rows,
        "budget_total": sum(budget.values()),
        "planned": sorted(planned.items()),
        "decisions": [
            (decision, sum(row.granted for row in decision.years.all())) for decision in decisions
        ],
        "applications": intervention.applications.select_related("round").order_by("-submitted_at"),
        "seats": seats,
        "targets": [
            (evaluation, metric_label(evaluation.target.metric))
            for evaluation in intervention_targets_evaluate(
                intervention=intervention,
                period=period,
                min_cell=policy_for(association).min_cell,
            )
        ],
        "targets_period": period,
        "documents": intervention.documents.all(),
        "staff": intervention.staff.select_related("user").order_by("user__first_name"),
        "next_statuses": next_statuses(request, intervention) if editable else [],
        "can_manage_staff": may_manage_staff,
    }
    if editable:
        context.update(
            planned_form=PlannedParticipantsForm(),
            target_form=TargetForm(),
            document_form=DocumentForm(),
            seat_form=SeatForm(association=association),
        )
    if may_manage_staff:
        context["staff_form"] = StaffForm(association=association)
    context.update(forms)
    return render(request, "interventions/detail.html", context, status=status)


@association_view(Permission.VIEW_INTERVENTIONS)
def intervention_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    return _detail(request, get_intervention(request, pk))


@association_view(Permission.PREPARE_APPLICATIONS)
def intervention_create(request: AssociationRequest) -> HttpResponse:
    """Register an insats directly: one that runs already, or before its application
    is in Stegvis."""
    association = request.association
    form = InterventionForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.intervention_create(
                actor=request.user, association=association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Insatsen %(name)s är registrerad.") % {"name": intervention.name}
            )
            return to_intervention(request, intervention)
    return render(request, "interventions/form.html", {"form": form})


@association_view(Permission.EDIT_OWN_INTERVENTION)
def intervention_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk)
    form = InterventionForm(
        request.POST or None, association=request.association, intervention=intervention
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.intervention_update(
                actor=request.user, intervention=intervention, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Insatsen är sparad."))
            return to_intervention(request, intervention)
    return render(request, "interventions/form.html", {"form": form, "intervention": intervention})


@association_view(Permission.EDIT_OWN_INTERVENTION)
@require_POST
def intervention_status(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk)
    status = request.POST.get("status", "")
    if status not in next_statuses(request, intervention):
        if status in services.TRANSITIONS[intervention.status]:
            raise PermissionDenied  # a grant or a rejection is the board's
        messages.error(
            request,
            _("En insats med status %(status)s kan inte få den statusen.")
            % {"status": intervention.get_status_display().lower()},
        )
        return to_intervention(request, intervention)
    try:
        services.intervention_set_status(
            actor=request.user, intervention=intervention, status=status
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Insatsen har status %(status)s.") % {"status": Status(status).label.lower()},
        )
    return to_intervention(request, intervention)


@association_view(Permission.EDIT_OWN_INTERVENTION)
@require_POST
def planned_set(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk)
    form = PlannedParticipantsForm(request.POST)
    if form.is_valid():
        try:
            services.planned_participants_set(
                actor=request.user, intervention=intervention, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Planerade deltagare %(year)s är sparade.") % {"year": form.cleaned_data["year"]},
            )
            return to_intervention(request, intervention)
    return _detail(request, intervention, planned_form=form, status=400)


@association_view(Permission.EDIT_OWN_INTERVENTION)
@require_POST
def target_add(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            services.target_add(
                actor=request.user, intervention=intervention, **form.service_values()
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError(
                    {TargetForm.field_of(key): value for key, value in error.error_dict.items()}
                )
            add_service_errors(form, error)
        else:
            messages.success(request, _("Mätpunkten är tillagd."))
            return to_intervention(request, intervention)
    return _detail(request, intervention, target_form=form, status=400)


@association_view(Permission.EDIT_OWN_INTERVENTION)
@require_POST
def target_delete(request: AssociationRequest, pk: int, target_pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk)
    target = get_object_or_404(intervention.targets, pk=target_pk)
    services.target_delete(actor=request.user, target=target)
    messages.success(request, _("Mätpunkten är borttagen."))
    return to_intervention(request, intervention)


@association_view(Permission.EDIT_OWN_INTERVENTION)
@require_POST
def document_add(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.document_add(
                actor=request.user, intervention=intervention, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Handlingen är tillagd."))
            return to_intervention(request, intervention)
    return _detail(request, intervention, document_form=form, status=400)


@association_view(Permission.EDIT_OWN_INTERVENTION)
@require_POST
def document_delete(request: AssociationRequest, pk: int, document_pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk)
    document = get_object_or_404(intervention.documents, pk=document_pk)
    services.document_delete(actor=request.user, document=document)
    messages.success(request, _("Handlingen är borttagen."))
    return to_intervention(request, intervention)


@association_view(Permission.EDIT_OWN_INTERVENTION)
@require_POST
def seat_add(request: AssociationRequest, pk: int) -> HttpResponse:
    """A person in the insats's styrgrupp, for a member; the group is made on first use."""
    intervention = editable_intervention(request, pk)
    form = SeatForm(request.POST, association=request.association)
    if form.is_valid():
        try:
            services.steering_seat_add(
                actor=request.user, intervention=intervention, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s är tillagd i styrgruppen.")
                % {"name": form.cleaned_data["person_name"]},
            )
            return to_intervention(request, intervention)
    return _detail(request, intervention, seat_form=form, status=400)


@association_view(Permission.EDIT_OWN_INTERVENTION)
@require_POST
def seat_delete(request: AssociationRequest, pk: int, seat_pk: int) -> HttpResponse:
    intervention = editable_intervention(request, pk)
    if intervention.steering_group_id is None:
        raise PermissionDenied
    seat = get_object_or_404(
        request.association.seats, pk=seat_pk, group_id=intervention.steering_group_id
    )
    association_services.seat_delete(actor=request.user, seat=seat)
    messages.success(
        request, _("%(name)s är borttagen ur styrgruppen.") % {"name": seat.person_name}
    )
    return to_intervention(request, intervention)


@association_view(Permission.MANAGE_PEOPLE)
@require_POST
def staff_add(request: AssociationRequest, pk: int) -> HttpResponse:
    """Who works with the insats: an insatsansvarig may then change it."""
    intervention = get_intervention(request, pk)
    form = StaffForm(request.POST, association=request.association)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.staff_add(actor=request.user, intervention=intervention, user=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s arbetar nu med insatsen.")
                % {"user": user.get_full_name() or user.get_username()},
            )
            return to_intervention(request, intervention)
    return _detail(request, intervention, staff_form=form, status=400)


@association_view(Permission.MANAGE_PEOPLE)
@require_POST
def staff_remove(request: AssociationRequest, pk: int, user_pk: int) -> HttpResponse:
    intervention = get_intervention(request, pk)
    staff = get_object_or_404(intervention.staff.select_related("user"), user_id=user_pk)
    services.staff_remove(actor=request.user, intervention=intervention, user=staff.user)
    user: Any = staff.user
    messages.success(
        request,
        _("%(user)s arbetar inte längre med insatsen.")
        % {"user": user.get_full_name() or user.get_username()},
    )
    return to_intervention(request, intervention)


class TargetGroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Ny målgrupp"), max_length=200)


@association_view(Permission.VIEW_INTERVENTIONS)
def target_group_list(request: AssociationRequest) -> HttpResponse:
    """The förbund's list of målgrupper, which the kansli extends with its own."""
    association = request.association
    can_manage = Permission.PREPARE_APPLICATIONS in request.permissions
    form = TargetGroupForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                group = services.target_group_create(
                    actor=request.user, association=association, name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Målgruppen %(name)s är tillagd.") % {"name": group.name}
                )
                return redirect("interventions:target_groups", association_slug=association.slug)
    groups = association.target_groups.order_by("name")
    return render(request, "interventions/target_groups.html", {"groups": groups, "form": form})
