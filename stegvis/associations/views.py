from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations import selectors, services
from stegvis.associations.forms import (
    AssociationForm,
    MemberForm,
    MembershipForm,
    PersonAddForm,
    PopulationForm,
    SeatForm,
    WorkingGroupForm,
)
from stegvis.associations.models import Member, Seat
from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import Table, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.goals.overview import overview_data


def _back(request: AssociationRequest, name: str, **kwargs: Any) -> HttpResponse:
    return redirect(name, association_slug=request.association.slug, **kwargs)


SESSION_LAST_OVERVIEW_VISIT = "last_overview_visit"


@association_view(Permission.VIEW_ASSOCIATION)
def overview(request: AssociationRequest) -> HttpResponse:
    """The start page: each card as the role allows (goals.overview). The time of the
    previous visit, per förbund, is kept in the session for "Sedan ditt senaste
    besök"."""
    association = request.association
    visits = dict(request.session.get(SESSION_LAST_OVERVIEW_VISIT) or {})
    since = parse_datetime(visits.get(association.slug) or "")
    data = overview_data(request_or_user=request, association=association, since=since)
    visits[association.slug] = timezone.now().isoformat()
    request.session[SESSION_LAST_OVERVIEW_VISIT] = visits
    return render(request, "associations/overview.html", {"overview": data})


@association_view(Permission.MANAGE_ASSOCIATION)
def association_edit(request: AssociationRequest) -> HttpResponse:
    association = request.association
    form = AssociationForm(request.POST or None, instance=association)
    if request.method == "POST" and form.is_valid():
        try:
            services.association_update(
                actor=request.user, association=association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Förbundets uppgifter är sparade."))
            return _back(request, "associations:edit")
    return render(request, "associations/association_form.html", {"form": form})


@association_view(Permission.VIEW_ASSOCIATION)
def member_list(request: AssociationRequest) -> HttpResponse:
    association = request.association
    years, population = selectors.population_table(association=association)
    return render(
        request,
        "associations/member_list.html",
        {
            "rows": selectors.member_rows(association=association),
            "years": years,
            "population": population,
        },
    )


@association_view(Permission.VIEW_ASSOCIATION)
def member_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    association = request.association
    years, population = selectors.population_table(association=association)
    by_member = {member.pk: values for member, values in population}
    table = Table(
        title=_("Medlemmar"),
        columns=[_("Medlem"), _("Slag"), _("Organisationsnummer"), *[str(y) for y in years]],
        rows=[
            [
                row.member.name,
                row.member.get_kind_display(),
                row.member.organisation_number,
                *by_member.get(row.member.pk, [None] * len(years)),
            ]
            for row in selectors.member_rows(association=association)
        ],
    )
    return TableExporter(table, filename=f"{association.slug}-medlemmar").response(fmt)


@association_view(Permission.MANAGE_ASSOCIATION)
def member_create(request: AssociationRequest) -> HttpResponse:
    association = request.association
    form = MemberForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(
                actor=request.user, association=association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Medlemmen %(name)s är tillagd.") % {"name": member.name})
            return _back(request, "associations:member_list")
    return render(request, "associations/member_form.html", {"form": form})


@association_view(Permission.MANAGE_ASSOCIATION)
def member_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    member = get_object_or_404(association.members, pk=pk)
    form = MemberForm(request.POST or None, instance=member, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Medlemmen är sparad."))
            return _back(request, "associations:member_list")
    population_form = PopulationForm() if member.kind == Member.Kind.MUNICIPALITY else None
    return render(
        request,
        "associations/member_form.html",
        {
            "form": form,
            "member": member,
            "population_form": population_form,
            "populations": member.populations.order_by("-year"),
        },
    )


@association_view(Permission.MANAGE_ASSOCIATION)
@require_POST
def population_set(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    member = get_object_or_404(association.members, pk=pk, kind=Member.Kind.MUNICIPALITY)
    form = PopulationForm(request.POST)
    if form.is_valid():
        services.population_set(actor=request.user, member=member, **form.cleaned_data)
        messages.success(request, _("Folkmängden är sparad."))
        return _back(request, "associations:member_edit", pk=member.pk)
    return render(
        request,
        "associations/member_form.html",
        {
            "form": MemberForm(instance=member, association=association),
            "member": member,
            "population_form": form,
            "populations": member.populations.order_by("-year"),
        },
        status=400,
    )


@association_view(Permission.VIEW_ASSOCIATION)
def group_list(request: AssociationRequest) -> HttpResponse:
    association = request.association
    return render(
        request,
        "associations/group_list.html",
        {"groups": selectors.working_groups(association=association)},
    )


@association_view(Permission.VIEW_ASSOCIATION)
def group_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The organisation: every group with its seats, one row per seat."""
    association = request.association
    rows: list[list[Any]] = []
    for group in selectors.working_groups(association=association):
        seats = list(group.seats.all())
        for seat in seats:
            rows.append(
                [
                    group.name,
                    group.get_kind_display(),
                    seat.person_name,
                    seat.get_function_display(),
                    seat.member.name if seat.member else "",
                    seat.start,
                    seat.end,
                ]
            )
        if not seats:
            rows.append([group.name, group.get_kind_display(), "", "", "", None, None])
    table = Table(
        title=_("Organisation"),
        columns=[
            _("Grupp"),
            _("Slag"),
            _("Namn"),
            _("Funktion"),
            _("Utsedd av"),
            _("Från"),
            _("Till"),
        ],
        rows=rows,
    )
    return TableExporter(table, filename=f"{association.slug}-organisation").response(fmt)


@association_view(Permission.MANAGE_ASSOCIATION)
def group_create(request: AssociationRequest) -> HttpResponse:
    association = request.association
    form = WorkingGroupForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.working_group_create(
                actor=request.user, association=association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Gruppen är skapad."))
            return _back(request, "associations:group_detail", pk=group.pk)
    return render(request, "associations/group_form.html", {"form": form})


@association_view(Permission.VIEW_ASSOCIATION)
def group_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    group = get_object_or_404(association.working_groups, pk=pk)
    seats = group.seats.select_related("member").order_by(
        "member__name", Seat.function_order(), "person_name"
    )
    can_manage = Permission.MANAGE_ASSOCIATION in request.permissions
    return render(
        request,
        "associations/group_detail.html",
        {
            "group": group,
            "seats": seats,
            "seat_form": SeatForm(association=association) if can_manage else None,
        },
    )


@association_view(Permission.MANAGE_ASSOCIATION)
def group_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    group = get_object_or_404(association.working_groups, pk=pk)
    form = WorkingGroupForm(request.POST or None, instance=group, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            services.working_group_update(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Gruppen är sparad."))
            return _back(request, "associations:group_detail", pk=group.pk)
    return render(request, "associations/group_form.html", {"form": form, "group": group})


@association_view(Permission.MANAGE_ASSOCIATION)
@require_POST
def group_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    group = get_object_or_404(association.working_groups, pk=pk)
    services.working_group_delete(actor=request.user, group=group)
    messages.success(request, _("Gruppen %(name)s är borttagen.") % {"name": group.name})
    return _back(request, "associations:group_list")


@association_view(Permission.MANAGE_ASSOCIATION)
@require_POST
def seat_create(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    group = get_object_or_404(association.working_groups, pk=pk)
    form = SeatForm(request.POST, association=association)
    if form.is_valid():
        try:
            services.seat_create(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Platsen är tillagd."))
            return _back(request, "associations:group_detail", pk=group.pk)
    seats = group.seats.select_related("member")
    return render(
        request,
        "associations/group_detail.html",
        {"group": group, "seats": seats, "seat_form": form},
        status=400,
    )


@association_view(Permission.MANAGE_ASSOCIATION)
@require_POST
def seat_delete(request: AssociationRequest, pk: int, seat_pk: int) -> HttpResponse:
    association = request.association
    seat = get_object_or_404(association.seats, pk=seat_pk, group_id=pk)
    services.seat_delete(actor=request.user, seat=seat)
    messages.success(request, _("Platsen är borttagen."))
    return _back(request, "associations:group_detail", pk=pk)


@association_view(Permission.MANAGE_PEOPLE)
def person_list(request: AssociationRequest) -> HttpResponse:
    association = request.association
    return render(
        request,
        "associations/person_list.html",
        {"memberships": selectors.people(association=association)},
    )


@association_view(Permission.MANAGE_PEOPLE)
def person_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    association = request.association
    table = Table(
        title=_("Personer och roller"),
        columns=[_("Person"), _("Användarnamn"), _("Roll"), _("Medlem"), _("Befattning")],
        rows=[
            [
                membership.user.get_full_name() or membership.user.username,
                membership.user.username,
                membership.get_role_display(),
                membership.member.name if membership.member else "",
                membership.title,
            ]
            for membership in selectors.people(association=association)
        ],
    )
    return TableExporter(table, filename=f"{association.slug}-personer").response(fmt)


@association_view(Permission.MANAGE_PEOPLE)
def person_add(request: AssociationRequest) -> HttpResponse:
    association = request.association
    form = PersonAddForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.person_add(
                actor=request.user, association=association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s har fått rollen %(role)s.")
                % {"user": membership.user, "role": membership.get_role_display()},
            )
            return _back(request, "associations:person_list")
    return render(request, "associations/person_form.html", {"form": form})


@association_view(Permission.MANAGE_PEOPLE)
def person_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    membership = get_object_or_404(association.memberships.select_related("user"), pk=pk)
    form = MembershipForm(request.POST or None, instance=membership, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Rollen är sparad."))
            return _back(request, "associations:person_list")
    return render(
        request, "associations/person_form.html", {"form": form, "membership": membership}
    )


@association_view(Permission.MANAGE_PEOPLE)
@require_POST
def person_remove(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    membership = get_object_or_404(association.memberships.select_related("user"), pk=pk)
    if membership.user_id == request.user.pk:
        messages.error(request, _("Du kan inte ta bort din egen roll."))
    else:
        services.membership_remove(actor=request.user, membership=membership)
        messages.success(
            request,
            _("%(user)s har inte längre någon roll i förbundet.") % {"user": membership.user},
        )
    return _back(request, "associations:person_list")
