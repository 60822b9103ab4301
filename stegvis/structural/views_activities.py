"""The Aktiviteter pages of Samverkan: the year's activities with filters, their counts
by kind and period and participants per member; one activity; the form that registers
it with the attendance of every member; the förbund's kinds; Excel and CSV.

Everyone who may see Samverkan sees the activities; the kansli registers them.
Another förbund's activity or kind answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations.models import Association, Member
from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import DECIMAL, FORMATS, Table, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.structural import selectors
from stegvis.structural import services_activities as services
from stegvis.structural.forms_activities import (
    ActivityFilterForm,
    ActivityForm,
    KindForm,
    attendance_formset,
)
from stegvis.structural.models.activities import Activity, ActivityKind
from stegvis.structural.selectors import ListFilters

YEARS = (2000, 2100)


def _activity(request: AssociationRequest, pk: int) -> Activity:
    activity = (
        Activity.objects.filter(association=request.association, pk=pk)
        .select_related("kind", "intervention", "created_by")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def _kind(request: AssociationRequest, pk: int) -> ActivityKind:
    kind = ActivityKind.objects.filter(association=request.association, pk=pk).first()
    if kind is None:
        raise Http404
    return kind


def _can_manage(request: AssociationRequest) -> bool:
    return Permission.MANAGE_COLLABORATION in request.permissions


def _url(request: AssociationRequest, name: str, **kwargs: Any) -> str:
    return reverse(
        f"structural:{name}", kwargs={"association_slug": request.association.slug, **kwargs}
    )


# ---------------------------------------------------------------------------
# The list of a year


@dataclass
class Listing:
    form: ActivityFilterForm
    year: int
    filters: ListFilters
    activities: list[Activity]


def _listing(request: AssociationRequest) -> Listing:
    """The year and filters asked for in the query string (this year, everything, by
    default) and the activities they select."""
    association = request.association
    today = timezone.localdate()
    years = selectors.activity_years(association=association, today=today)
    asked = request.GET.get("year", "")
    if asked.isdigit() and YEARS[0] <= int(asked) <= YEARS[1] and int(asked) not in years:
        years = sorted([*years, int(asked)])
    form = ActivityFilterForm(
        request.GET or None,
        association=association,
        years=years,
        initial={"year": today.year},
    )
    year, filters = today.year, ListFilters()
    if form.is_bound and form.is_valid():
        year = form.cleaned_data.get("year") or today.year
        intervention = form.cleaned_data.get("intervention")
        filters = ListFilters(
            kind=form.cleaned_data.get("kind"),
            intervention_id=intervention.pk if intervention is not None else None,
        )
    activities = selectors.year_activities(association=association, year=year, filters=filters)
    return Listing(form, year, filters, activities)


def _mean_score(activities: list[Activity]) -> tuple[Decimal | None, int | None, int]:
    """The mean of the evaluated activities' means when they share one scale (mean,
    the scale's top), and how many were evaluated."""
    evaluated = [
        a
        for a in activities
        if not a.cancelled and a.evaluation_score is not None and a.evaluation_scale
    ]
    scales = {a.evaluation_scale for a in evaluated}
    if len(scales) != 1:
        return None, None, len(evaluated)
    total = sum((a.evaluation_score or Decimal(0) for a in evaluated), Decimal(0))
    mean = total / len(evaluated)
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), scales.pop(), len(evaluated)


@association_view(Permission.VIEW_COLLABORATION)
def activity_list(request: AssociationRequest) -> HttpResponse:
    association = request.association
    listing = _listing(request)
    today = timezone.localdate()
    held = [a for a in listing.activities if not a.cancelled]
    past = [a for a in held if a.date <= today]
    mean, scale, evaluated = _mean_score(listing.activities)
    return render(
        request,
        "structural/activity_list.html",
        {
            "listing": listing,
            "form": listing.form,
            "year": listing.year,
            "activities": listing.activities,
            "counts": selectors.period_table(
                association=association, year=listing.year, activities=listing.activities
            ),
            "members": selectors.member_table(
                association=association, activities=listing.activities
            ),
            "held_count": len(past),
            "planned_count": len(held) - len(past),
            "participants": sum(a.total for a in past),  # type: ignore[attr-defined]
            "mean_score": mean,
            "mean_scale": scale,
            "evaluated": evaluated,
            "today": today,
            "query": request.GET.urlencode(),
            "filtered": listing.filters.active,
            "can_manage": _can_manage(request),
        },
    )


@association_view(Permission.VIEW_COLLABORATION)
def activity_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The year's activities as on the page (same filters), one column per member."""
    if fmt not in FORMATS:
        raise Http404
    listing = _listing(request)
    members = selectors.member_table(
        association=request.association, activities=listing.activities
    ).rows
    attendance = selectors.member_attendance_by_activity(activities=listing.activities)
    columns = [
        _("Datum"),
        _("Slutdatum"),
        _("Börjar"),
        _("Slutar"),
        _("Slag"),
        _("Rubrik"),
        _("Arrangör"),
        _("Insats"),
        _("Plats"),
        _("Inställd"),
        _("Deltagare totalt"),
        _("Från medlemmarna"),
        _("varav kvinnor"),
        _("varav män"),
        _("Övriga deltagare"),
        *[_("Deltagare: %(member)s") % {"member": row.member.name} for row in members],
        _("Utvärdering, medelvärde"),
        _("Skala"),
        _("Antal svar"),
    ]
    rows: list[list[Any]] = []
    for activity in listing.activities:
        by_member = attendance.get(activity.pk, {})
        rows.append(
            [
                activity.date,
                activity.end_date,
                activity.starts_at.strftime("%H:%M") if activity.starts_at else None,
                activity.ends_at.strftime("%H:%M") if activity.ends_at else None,
                activity.kind.name,
                activity.title,
                activity.organiser,
                activity.intervention.name if activity.intervention else None,
                activity.place,
                activity.cancelled,
                activity.total,  # type: ignore[attr-defined]
                activity.staff,  # type: ignore[attr-defined]
                activity.women,  # type: ignore[attr-defined]
                activity.men,  # type: ignore[attr-defined]
                activity.other_participants,
                *[
                    by_member[row.member.pk].participants if row.member.pk in by_member else 0
                    for row in members
                ],
                activity.evaluation_score,
                activity.get_evaluation_scale_display() if activity.evaluation_scale else None,
                activity.evaluation_responses,
            ]
        )
    table = Table(
        title=_("Aktiviteter %(year)s") % {"year": listing.year},
        columns=columns,
        rows=rows,
        formats={len(columns) - 3: DECIMAL},
        notes=[
            _("Inställda aktiviteter finns med i listan men räknas inte i sammanställningen."),
            _("Kvinnor och män där det är känt; summan kan vara lägre än deltagarna."),
        ],
    )
    return TableExporter(table, filename=f"aktiviteter-{listing.year}").response(fmt)


def counts_tables(*, association: Association, listing: Listing) -> tuple[Table, Table]:
    """The page's two summaries as tables: per kind and period, per member."""
    counts = selectors.period_table(
        association=association, year=listing.year, activities=listing.activities
    )
    period_columns: list[str] = []
    for period in counts.periods:
        period_columns += [
            _("%(period)s: aktiviteter") % {"period": period.label},
            _("%(period)s: deltagare") % {"period": period.label},
        ]
    kind_rows: list[list[Any]] = [
        [
            row.name,
            row.code,
            *[n for cell in row.cells for n in (cell.activities, cell.participants)],
        ]
        for row in counts.rows
    ]
    kind_rows.append(
        [
            _("Summa"),
            "",
            *[n for cell in counts.totals for n in (cell.activities, cell.participants)],
        ]
    )
    by_kind = Table(
        title=_("Per slag och period %(year)s") % {"year": listing.year},
        columns=[_("Slag"), _("Kod"), *period_columns],
        rows=kind_rows,
        notes=[
            _("Perioderna räknas från 1 januari: tertial 2 omfattar januari–augusti."),
            _("Inställda aktiviteter räknas inte."),
        ],
    )
    members = selectors.member_table(association=association, activities=listing.activities)
    member_rows: list[list[Any]] = [
        [row.member.name, row.activities, row.participants, row.women, row.men]
        for row in members.rows
    ]
    member_rows.append(
        [_("Övriga, inte från medlemmarna"), None, members.other_participants, None, None]
    )
    member_rows.append([_("Summa"), None, members.total, None, None])
    by_member = Table(
        title=_("Per medlem %(year)s") % {"year": listing.year},
        columns=[
            _("Medlem"),
            _("Aktiviteter med deltagare"),
            _("Deltagare"),
            _("varav kvinnor"),
            _("varav män"),
        ],
        rows=member_rows,
        notes=[
            _("Genomförda aktiviteter under året: %(n)s.") % {"n": members.activities},
            _("Kvinnor och män där det är känt; summan kan vara lägre än deltagarna."),
        ],
    )
    return by_kind, by_member


@association_view(Permission.VIEW_COLLABORATION)
def activity_counts_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The counts per kind and period (and, in Excel, per member) with the page's filters."""
    if fmt not in FORMATS:
        raise Http404
    listing = _listing(request)
    by_kind, by_member = counts_tables(association=request.association, listing=listing)
    return TableExporter(
        by_kind,
        by_member,
        filename=f"aktiviteter-sammanstallning-{listing.year}",
        csv=by_kind,
    ).response(fmt)


# ---------------------------------------------------------------------------
# One activity


@association_view(Permission.VIEW_COLLABORATION)
def activity_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    attendance = list(
        activity.attendance.select_related("member").order_by(
            Member.kind_order("member__"), "member__name"
        )
    )
    staff = sum(row.participants for row in attendance)
    women = [row.women for row in attendance if row.women is not None]
    men = [row.men for row in attendance if row.men is not None]
    return render(
        request,
        "structural/activity_detail.html",
        {
            "activity": activity,
            "attendance": attendance,
            "staff": staff,
            "women": sum(women) if women else None,
            "men": sum(men) if men else None,
            "total": staff + activity.other_participants,
            "can_manage": _can_manage(request),
        },
    )


def _form_page(request: AssociationRequest, activity: Activity | None) -> HttpResponse:
    association = request.association
    data = request.POST if request.method == "POST" else None
    form = ActivityForm(data, association=association, activity=activity)
    attendance = attendance_formset(data, association=association, activity=activity)
    if request.method == "POST" and form.is_valid() and attendance.is_valid():
        try:
            if activity is None:
                saved = services.activity_create(
                    actor=request.user,
                    association=association,
                    attendance=attendance.rows(),
                    **form.service_data(),
                )
            else:
                saved = services.activity_update(
                    actor=request.user,
                    activity=activity,
                    attendance=attendance.rows(),
                    **form.service_data(),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Aktiviteten ”%(title)s” är registrerad.") % {"title": saved.title}
                if activity is None
                else _("Aktiviteten är sparad."),
            )
            return redirect(_url(request, "activity_detail", pk=saved.pk))
    return render(
        request,
        "structural/activity_form.html",
        {"form": form, "attendance": attendance, "activity": activity},
    )


@association_view(Permission.MANAGE_COLLABORATION)
def activity_create(request: AssociationRequest) -> HttpResponse:
    return _form_page(request, None)


@association_view(Permission.MANAGE_COLLABORATION)
def activity_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    return _form_page(request, _activity(request, pk))


@association_view(Permission.MANAGE_COLLABORATION)
@require_POST
def activity_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    year, title = activity.date.year, activity.title
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("Aktiviteten ”%(title)s” är borttagen.") % {"title": title})
    return redirect(f"{_url(request, 'activity_list')}?year={year}")


# ---------------------------------------------------------------------------
# The förbund's kinds


@association_view(Permission.MANAGE_COLLABORATION)
def activity_kinds(request: AssociationRequest) -> HttpResponse:
    association = request.association
    form = KindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.kind_create(
                actor=request.user, association=association, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Slaget ”%(name)s” är tillagt med koden %(code)s.")
                % {"name": kind.name, "code": kind.code},
            )
            return redirect(_url(request, "activity_kinds"))
    kinds = list(ActivityKind.objects.filter(association=association))
    used = selectors.kind_usage(association=association)
    return render(
        request,
        "structural/activity_kinds.html",
        {"form": form, "kinds": [(kind, used.get(kind.pk, 0)) for kind in kinds]},
    )


@association_view(Permission.MANAGE_COLLABORATION)
def activity_kind_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    kind = _kind(request, pk)
    if kind.builtin:
        messages.error(request, _("Ett inbyggt slag kan inte byta namn."))
        return redirect(_url(request, "activity_kinds"))
    form = KindForm(request.POST or None, initial={"name": kind.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.kind_rename(actor=request.user, kind=kind, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Slaget är sparat."))
            return redirect(_url(request, "activity_kinds"))
    return render(request, "structural/activity_kind_form.html", {"form": form, "kind": kind})


@association_view(Permission.MANAGE_COLLABORATION)
@require_POST
def activity_kind_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    kind = _kind(request, pk)
    try:
        services.kind_delete(actor=request.user, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Slaget ”%(name)s” är borttaget.") % {"name": kind.name})
    return redirect(_url(request, "activity_kinds"))
