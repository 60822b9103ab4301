"""The Konsultationsteam pages (Samverkan): the teams, a team with its representatives,
meetings and attendance per member over time; the meeting form with attendance and
case counts; the financing basis of a period with its export; the rates.

Viewing needs VIEW_COLLABORATION, changing MANAGE_COLLABORATION. The financing basis
is money paid to the members, so it needs VIEW_BUDGET as well (a deltagaransvarig
sees the teams but not what their staff earn). Another förbund's team, meeting,
representative or rate answers 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import FORMATS, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.structural import selectors_teams as selectors
from stegvis.structural import services_teams as services
from stegvis.structural.forms_teams import (
    CancelForm,
    EndForm,
    MeetingForm,
    RateForm,
    ReplaceForm,
    RepresentativeForm,
    TeamForm,
)
from stegvis.structural.models import (
    ConsultationTeam,
    FinancingRate,
    TeamMeeting,
    TeamRepresentative,
)


def _team(request: AssociationRequest, pk: int) -> ConsultationTeam:
    team = (
        ConsultationTeam.objects.filter(association=request.association, pk=pk)
        .select_related("working_group", "intervention")
        .first()
    )
    if team is None:
        raise Http404
    return team


def _meeting(request: AssociationRequest, pk: int) -> TeamMeeting:
    meeting = (
        TeamMeeting.objects.filter(association=request.association, pk=pk)
        .select_related("team")
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _representative(request: AssociationRequest, pk: int) -> TeamRepresentative:
    representative = (
        TeamRepresentative.objects.filter(association=request.association, pk=pk)
        .select_related("team", "member")
        .first()
    )
    if representative is None:
        raise Http404
    return representative


def _rate(request: AssociationRequest, pk: int) -> FinancingRate:
    rate = FinancingRate.objects.filter(association=request.association, pk=pk).first()
    if rate is None:
        raise Http404
    return rate


def _can_manage(request: AssociationRequest) -> bool:
    return Permission.MANAGE_COLLABORATION in request.permissions


def _can_see_financing(request: AssociationRequest) -> bool:
    return {Permission.VIEW_BUDGET, Permission.VIEW_COLLABORATION} <= request.permissions


def _team_url(request: AssociationRequest, team: ConsultationTeam, anchor: str = "") -> str:
    url = reverse(
        "structural:team_detail",
        kwargs={"association_slug": request.association.slug, "pk": team.pk},
    )
    return f"{url}#{anchor}" if anchor else url


def _meeting_url(request: AssociationRequest, meeting: TeamMeeting) -> str:
    return reverse(
        "structural:meeting_detail",
        kwargs={"association_slug": request.association.slug, "pk": meeting.pk},
    )


# ---------------------------------------------------------------------------
# Teams


@association_view(Permission.VIEW_COLLABORATION)
def team_list(request: AssociationRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "structural/team_list.html",
        {
            "rows": selectors.team_rows(association=request.association, today=today),
            "year": today.year,
            "can_manage": _can_manage(request),
            "can_see_financing": _can_see_financing(request),
        },
    )


@association_view(Permission.MANAGE_COLLABORATION)
def team_create(request: AssociationRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, association=request.association)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=request.user, association=request.association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Konsultationsteamet %(name)s är skapat. Lägg till parternas representanter.")
                % {"name": team.name},
            )
            return redirect(_team_url(request, team))
    return render(request, "structural/team_form.html", {"form": form})


@association_view(Permission.MANAGE_COLLABORATION)
def team_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form = TeamForm(request.POST or None, association=request.association, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Konsultationsteamet är sparat."))
            return redirect(_team_url(request, team))
    return render(request, "structural/team_form.html", {"form": form, "team": team})


@association_view(Permission.VIEW_COLLABORATION)
def team_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    today = timezone.localdate()
    choice = selectors.period_choice(
        association=request.association, query=request.GET, today=today
    )
    page = selectors.team_page(team=team, period=choice.period, today=today)
    return render(
        request,
        "structural/team_detail.html",
        {
            "page": page,
            "team": team,
            "choice": choice,
            "today": today,
            "can_manage": _can_manage(request),
            "can_see_financing": _can_see_financing(request),
        },
    )


@association_view(Permission.VIEW_COLLABORATION)
def team_export(request: AssociationRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    team = _team(request, pk)
    today = timezone.localdate()
    choice = selectors.period_choice(
        association=request.association, query=request.GET, today=today
    )
    page = selectors.team_page(team=team, period=choice.period, today=today)
    return TableExporter(
        *selectors.team_tables(page), filename=f"konsultationsteam-{team.pk}-{choice.period.code}"
    ).response(fmt)


# ---------------------------------------------------------------------------
# Representatives


@association_view(Permission.MANAGE_COLLABORATION)
def representative_create(request: AssociationRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    form = RepresentativeForm(
        request.POST or None,
        association=request.association,
        initial={"valid_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            representative = services.representative_add(
                actor=request.user, team=team, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s är representant för %(member)s.")
                % {"name": representative.name, "member": representative.member},
            )
            return redirect(_team_url(request, team, "representanter"))
    return render(request, "structural/team_representative_form.html", {"form": form, "team": team})


@association_view(Permission.MANAGE_COLLABORATION)
def representative_replace(request: AssociationRequest, pk: int) -> HttpResponse:
    representative = _representative(request, pk)
    form = ReplaceForm(
        request.POST or None,
        initial={"on": timezone.localdate(), "title": representative.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.representative_replace(
                actor=request.user, representative=representative, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(new)s ersätter %(old)s för %(member)s från %(date)s.")
                % {
                    "new": successor.name,
                    "old": representative.name,
                    "member": representative.member,
                    "date": successor.valid_from.isoformat(),
                },
            )
            return redirect(_team_url(request, representative.team, "representanter"))
    return render(
        request,
        "structural/team_representative_replace.html",
        {"form": form, "representative": representative, "team": representative.team},
    )


@association_view(Permission.MANAGE_COLLABORATION)
def representative_end(request: AssociationRequest, pk: int) -> HttpResponse:
    representative = _representative(request, pk)
    form = EndForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.representative_end(
                actor=request.user, representative=representative, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s är representant till och med %(date)s.")
                % {"name": representative.name, "date": form.cleaned_data["on"].isoformat()},
            )
            return redirect(_team_url(request, representative.team, "representanter"))
    return render(
        request,
        "structural/team_representative_end.html",
        {"form": form, "representative": representative, "team": representative.team},
    )


# ---------------------------------------------------------------------------
# Meetings


def _day_from_query(request: AssociationRequest) -> datetime.date:
    """The date a new meeting's form starts from (`?datum=2025-03-14`), else today."""
    try:
        return datetime.date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        return timezone.localdate()


@association_view(Permission.MANAGE_COLLABORATION)
def meeting_create(request: AssociationRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    day = _day_from_query(request)
    form = MeetingForm(request.POST or None, team=team, day=day)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, team=team, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Mötet %(date)s är sparat.") % {"date": meeting.date.isoformat()},
            )
            return redirect(_meeting_url(request, meeting))
    return render(request, "structural/meeting_form.html", {"form": form, "team": team})


@association_view(Permission.VIEW_COLLABORATION)
def meeting_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    attendance = selectors.meeting_attendance(meeting)
    cases = selectors.meeting_cases(meeting)
    return render(
        request,
        "structural/meeting_detail.html",
        {
            "meeting": meeting,
            "team": meeting.team,
            "attendance": attendance,
            "present": sum(1 for row in attendance if row.attended),
            "cases": cases,
            "cases_new": sum(row.new_cases for row in cases),
            "cases_follow_up": sum(row.follow_up_cases for row in cases),
            "today": timezone.localdate(),
            "can_manage": _can_manage(request),
        },
    )


@association_view(Permission.MANAGE_COLLABORATION)
def meeting_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, team=meeting.team, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Mötet är sparat."))
            return redirect(_meeting_url(request, meeting))
    return render(
        request,
        "structural/meeting_form.html",
        {"form": form, "team": meeting.team, "meeting": meeting},
    )


@association_view(Permission.MANAGE_COLLABORATION)
def meeting_cancel(request: AssociationRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Mötet %(date)s är inställt. Det ger ingen ersättning.")
                % {"date": meeting.date.isoformat()},
            )
            return redirect(_meeting_url(request, meeting))
    return render(
        request,
        "structural/meeting_cancel.html",
        {"form": form, "meeting": meeting, "team": meeting.team},
    )


# ---------------------------------------------------------------------------
# Financing


def _financing_team(request: AssociationRequest) -> ConsultationTeam | None:
    text = request.GET.get("team", "")
    if not text:
        return None
    if not text.isdigit():
        raise Http404
    return _team(request, int(text))


def _financing_check(request: AssociationRequest) -> None:
    # The view is declared with VIEW_BUDGET; the teams themselves need this too.
    if Permission.VIEW_COLLABORATION not in request.permissions:
        raise PermissionDenied


@association_view(Permission.VIEW_BUDGET)
def financing(request: AssociationRequest) -> HttpResponse:
    _financing_check(request)
    team = _financing_team(request)
    choice = selectors.period_choice(
        association=request.association, query=request.GET, today=timezone.localdate()
    )
    page = selectors.financing_page(
        association=request.association, period=choice.period, team=team
    )
    query = choice.query + (f"&team={team.pk}" if team else "")
    return render(
        request,
        "structural/financing.html",
        {
            "page": page,
            "choice": choice,
            "team": team,
            "teams": ConsultationTeam.objects.filter(association=request.association).order_by(
                "name"
            ),
            "query": query,
            "can_manage": _can_manage(request),
        },
    )


@association_view(Permission.VIEW_BUDGET)
def financing_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    _financing_check(request)
    if fmt not in FORMATS:
        raise Http404
    team = _financing_team(request)
    choice = selectors.period_choice(
        association=request.association, query=request.GET, today=timezone.localdate()
    )
    page = selectors.financing_page(
        association=request.association, period=choice.period, team=team
    )
    return selectors.FinancingBasisExporter(page, association=request.association).response(fmt)


@association_view(Permission.MANAGE_COLLABORATION)
def rates(request: AssociationRequest) -> HttpResponse:
    form = RateForm(
        request.POST or None,
        association=request.association,
        initial={"valid_from": timezone.localdate().replace(month=1, day=1)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            rate = services.rate_create(
                actor=request.user, association=request.association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Ersättningen %(rate)s gäller från %(date)s.")
                % {"rate": selectors.rate_text(rate), "date": rate.valid_from.isoformat()},
            )
            return redirect("structural:rates", association_slug=request.association.slug)
    return render(
        request,
        "structural/rates.html",
        {
            "form": form,
            "rates": selectors.rate_rows(
                association=request.association, today=timezone.localdate()
            ),
            "today": timezone.localdate(),
        },
    )


@association_view(Permission.MANAGE_COLLABORATION)
@require_POST
def rate_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    rate = _rate(request, pk)
    services.rate_delete(actor=request.user, rate=rate)
    messages.success(request, _("Ersättningen är borttagen."))
    return redirect("structural:rates", association_slug=request.association.slug)
