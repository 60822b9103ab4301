"""How money becomes an insats: application rounds, a member's application, the
kansli's beredning, the board's decision, and the decision's protocol extract.

Members' people apply for their own member; the kansli prepares and may register an
application for any member; the förbundschef records what the board decided; the
board and everyone else with the Insatser area read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import Table, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.interventions import pdf, selectors, services
from stegvis.interventions.forms_applications import (
    AMOUNT_HELP,
    PARTIAL_AMOUNT_HELP,
    ApplicationForm,
    DecisionForm,
    PrepareForm,
    RoundForm,
    application_years,
)
from stegvis.interventions.models import Application, ApplicationRound, Decision


def _slug(request: AssociationRequest) -> str:
    return request.association.slug


def get_round(request: AssociationRequest, pk: int) -> ApplicationRound:
    return get_object_or_404(
        ApplicationRound.objects.filter(association=request.association), pk=pk
    )


def get_application(request: AssociationRequest, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.filter(association=request.association).select_related(
            "round", "applicant", "target_group", "intervention"
        ),
        pk=pk,
    )


def get_decision(request: AssociationRequest, pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.filter(association=request.association).select_related(
            "application", "application__applicant", "application__round", "intervention"
        ),
        pk=pk,
    )


def decision_of(application: Application) -> Decision | None:
    try:
        return application.decision
    except Decision.DoesNotExist:
        return None


def is_open(round: ApplicationRound) -> bool:
    return round.opens <= timezone.localdate() <= round.closes


# ---------------------------------------------------------------------------
# Rounds


@association_view(Permission.VIEW_INTERVENTIONS)
def round_list(request: AssociationRequest) -> HttpResponse:
    rounds = [
        (round, selectors.round_summary(round))
        for round in ApplicationRound.objects.filter(association=request.association).order_by(
            "-opens"
        )
    ]
    return render(
        request,
        "interventions/round_list.html",
        {
            "rounds": rounds,
            "today": timezone.localdate(),
            "can_manage": Permission.PREPARE_APPLICATIONS in request.permissions,
            "can_apply": Permission.APPLY_FOR_MEMBER in request.permissions,
        },
    )


@association_view(Permission.PREPARE_APPLICATIONS)
def round_create(request: AssociationRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(
                actor=request.user, association=request.association, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s är skapad.") % {"name": round.name})
            return redirect(
                "interventions:round_detail", association_slug=_slug(request), pk=round.pk
            )
    return render(request, "interventions/round_form.html", {"form": form})


@association_view(Permission.PREPARE_APPLICATIONS)
def round_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    form = RoundForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, round=round, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ansökningsomgången är sparad."))
            return redirect(
                "interventions:round_detail", association_slug=_slug(request), pk=round.pk
            )
    return render(request, "interventions/round_form.html", {"form": form, "round": round})


@association_view(Permission.VIEW_INTERVENTIONS)
def round_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    round = get_round(request, pk)
    return render(
        request,
        "interventions/round_detail.html",
        {
            "round": round,
            "summary": selectors.round_summary(round),
            "years": application_years(round),
            "open": is_open(round),
            "can_manage": Permission.PREPARE_APPLICATIONS in request.permissions,
            "can_apply": Permission.APPLY_FOR_MEMBER in request.permissions,
        },
    )


@association_view(Permission.VIEW_INTERVENTIONS)
def round_export(request: AssociationRequest, pk: int, fmt: str) -> HttpResponse:
    round = get_round(request, pk)
    summary = selectors.round_summary(round)
    years = sorted({year for row in summary.rows for year in row.requested})
    columns = [
        _("Ansökan"),
        _("Sökande medlem"),
        _("Medlemmar som delar behovet"),
        _("Status"),
        _("Förslag till beslut"),
        _("Beslut"),
    ]
    for year in years:
        columns += [
            _("Sökt %(year)s (kr)") % {"year": year},
            _("Föreslaget %(year)s (kr)") % {"year": year},
            _("Beviljat %(year)s (kr)") % {"year": year},
        ]
    rows = []
    for row in summary.rows:
        application = row.application
        cells: list[Any] = [
            row.title,
            row.applicant,
            ", ".join(row.sharing_members),
            row.status_label,
            application.get_recommendation_display() if row.recommendation else "",
            row.decision.get_outcome_display() if row.decision else "",
        ]
        for year in years:
            cells += [
                row.requested.get(year),
                row.recommended.get(year),
                row.granted.get(year),
            ]
        rows.append(cells)
    notes = [
        _(
            "Tillgängligt: %(available)s kr. Sökt: %(applied)s kr. Föreslaget: %(recommended)s kr. "
            "Beviljat: %(granted)s kr. Kvar: %(remaining)s kr."
        )
        % {
            "available": summary.available,
            "applied": summary.applied,
            "recommended": summary.recommended,
            "granted": summary.granted,
            "remaining": summary.remaining,
        }
    ]
    table = Table(title=round.name, columns=columns, rows=rows, notes=notes)
    return TableExporter(
        table, filename=f"{_slug(request)}-ansokningar-{round.opens:%Y-%m-%d}"
    ).response(fmt)


# ---------------------------------------------------------------------------
# Applications


@association_view(Permission.APPLY_FOR_MEMBER)
def application_create(request: AssociationRequest, pk: int) -> HttpResponse:
    """A member's application in a round. The kansli registers one for any member,
    also after the round has closed if it came in on time; anyone else applies for
    the member they represent while the round is open."""
    association = request.association
    round = get_round(request, pk)
    kansli = Permission.PREPARE_APPLICATIONS in request.permissions
    own_member = request.membership.member if request.membership else None
    context: dict[str, Any] = {
        "round": round,
        "years": application_years(round),
        "amount_help": AMOUNT_HELP,
    }
    if not kansli and own_member is None:
        context["blocked"] = _(
            "Du företräder ingen medlem i förbundet och kan därför inte ansöka. "
            "Kontakta förbundets kansli."
        )
    elif not kansli and not is_open(round):
        context["blocked"] = _(
            "Ansökningsomgången är öppen %(opens)s–%(closes)s. Ansökningar tas emot bara "
            "medan den är öppen."
        ) % {"opens": f"{round.opens:%Y-%m-%d}", "closes": f"{round.closes:%Y-%m-%d}"}
    if "blocked" in context:
        return render(request, "interventions/application_form.html", context)

    form = ApplicationForm(
        request.POST or None,
        association=association,
        round=round,
        own_member=own_member,
        any_member=kansli,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                actor=request.user, association=association, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Ansökan om %(title)s är inlämnad. Kansliet bereder den inför styrelsen.")
                % {"title": application.title},
            )
            return redirect(
                "interventions:application_detail",
                association_slug=association.slug,
                pk=application.pk,
            )
    context["form"] = form
    return render(request, "interventions/application_form.html", context)


def _application_context(request: AssociationRequest, application: Application) -> dict[str, Any]:
    decision = decision_of(application)
    granted = {row.year: row.granted for row in decision.years.all()} if decision else {}
    years = [
        {
            "year": row.year,
            "requested": row.requested,
            "recommended": row.recommended,
            "granted": granted.get(row.year) if decision else None,
            "planned_participants": row.planned_participants,
        }
        for row in application.years.all()
    ]
    return {
        "application": application,
        "decision": decision,
        "sharing_members": application.sharing_members.order_by("name"),
        "years": years,
        "totals": {
            "requested": sum(row["requested"] for row in years),
            "recommended": sum(row["recommended"] or 0 for row in years),
            "granted": sum(granted.values()),
            "planned_participants": sum(row["planned_participants"] for row in years),
        },
        "prepared": application.status != Application.Status.SUBMITTED,
        "can_prepare": Permission.PREPARE_APPLICATIONS in request.permissions and decision is None,
        "can_decide": Permission.RECORD_DECISIONS in request.permissions
        and application.status == Application.Status.PREPARED,
    }


@association_view(Permission.VIEW_INTERVENTIONS)
def application_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    return render(
        request,
        "interventions/application_detail.html",
        _application_context(request, application),
    )


@association_view(Permission.PREPARE_APPLICATIONS)
def application_prepare(request: AssociationRequest, pk: int) -> HttpResponse:
    """The kansli's beredning: notes, a recommendation and an amount per year."""
    application = get_application(request, pk)
    form = PrepareForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_prepare(
                actor=request.user,
                application=application,
                notes=data.get("notes", ""),
                recommendation=data["recommendation"],
                recommended=data["amounts"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Ansökan är beredd och går vidare till styrelsen med förslaget %(proposal)s.")
                % {"proposal": Application.Recommendation(data["recommendation"]).label.lower()},
            )
            return redirect(
                "interventions:application_detail", association_slug=_slug(request), pk=pk
            )
    context = _application_context(request, application)
    context.update(form=form, amount_help=PARTIAL_AMOUNT_HELP)
    return render(request, "interventions/application_prepare.html", context)


# ---------------------------------------------------------------------------
# The board


@association_view(Permission.VIEW_INTERVENTIONS)
def meeting(request: AssociationRequest) -> HttpResponse:
    """The prepared applications with the kansli's recommendations, a decision form for
    each (for whoever records the board's decisions), and the decisions made."""
    rows = selectors.applications_to_decide(association=request.association)
    may_decide = Permission.RECORD_DECISIONS in request.permissions
    # What each application's round has left, beside the recommendation.
    summaries = {
        round.pk: selectors.round_summary(round)
        for round in {row.application.round for row in rows}
    }
    items = [
        (
            row,
            [
                (
                    year,
                    requested,
                    row.recommended.get(year),
                    row.planned_participants.get(year, 0),
                )
                for year, requested in sorted(row.requested.items())
            ],
            DecisionForm(application=row.application) if may_decide else None,
            summaries[row.application.round_id],
        )
        for row in rows
    ]
    decisions = (
        Decision.objects.filter(association=request.association)
        .select_related("application", "application__applicant")
        .prefetch_related("years")
        .order_by("-meeting_date", "paragraph")
    )
    return render(
        request,
        "interventions/meeting.html",
        {
            "items": items,
            "decisions": [
                (decision, sum(row.granted for row in decision.years.all()))
                for decision in decisions
            ],
            "amount_help": PARTIAL_AMOUNT_HELP,
        },
    )


@association_view(Permission.RECORD_DECISIONS)
def decision_create(request: AssociationRequest, pk: int) -> HttpResponse:
    """Record the board's decision on one application. The same decision sent twice
    (a double click, a reloaded page) is recorded once; a different one on a decided
    application is refused by the service, whose message is shown."""
    application = get_application(request, pk)
    earlier = decision_of(application)
    form = DecisionForm(request.POST or None, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(
                actor=request.user, application=application, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if earlier is not None:
                messages.info(
                    request, _("Beslutet var redan infört. Inget nytt beslut har skapats.")
                )
            else:
                messages.success(
                    request,
                    _("Styrelsens beslut om %(title)s är infört.") % {"title": application.title},
                )
            return redirect(
                "interventions:decision_detail", association_slug=_slug(request), pk=decision.pk
            )
    context = _application_context(request, application)
    context.update(form=form, amount_help=PARTIAL_AMOUNT_HELP, earlier=earlier)
    return render(request, "interventions/decision_form.html", context)


# ---------------------------------------------------------------------------
# A decision: page, protocol extract, Excel


@association_view(Permission.VIEW_INTERVENTIONS)
def decision_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk)
    return render(
        request,
        "interventions/decision_detail.html",
        {
            "decision": decision,
            "summary": pdf.decision_summary(decision),
            "application": decision.application,
            "sharing_members": decision.application.sharing_members.order_by("name"),
        },
    )


@association_view(Permission.VIEW_INTERVENTIONS)
def decision_pdf(request: AssociationRequest, pk: int) -> HttpResponse:
    decision = get_decision(request, pk)
    content = pdf.decision_pdf(
        decision,
        sharing_members=decision.application.sharing_members.order_by("name"),
        printed=timezone.localdate(),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.decision_filename(decision)}.pdf"'
    return response


@association_view(Permission.VIEW_INTERVENTIONS)
def decision_export(request: AssociationRequest, pk: int, fmt: str) -> HttpResponse:
    decision = get_decision(request, pk)
    summary = pdf.decision_summary(decision)
    application = decision.application
    facts = Table(
        title=_("Beslut"),
        columns=[_("Uppgift"), _("Värde")],
        rows=[
            [_("Förbund"), request.association.name],
            [_("Sammanträdesdatum"), decision.meeting_date],
            [_("Paragraf"), summary.paragraph],
            [_("Diarienummer"), decision.reference],
            [_("Ansökan"), application.title],
            [_("Sökande medlem"), application.applicant.name],
            [_("Ansökningsomgång"), application.round.name],
            [_("Beslut"), decision.get_outcome_display()],
            [_("Beslutstext"), summary.text],
            [_("Villkor"), decision.conditions],
            [_("Beviljat totalt (kr)"), summary.granted_total],
        ],
    )
    amounts = Table(
        title=_("Belopp per år"),
        columns=[_("År"), _("Sökt (kr)"), _("Föreslaget (kr)"), _("Beviljat (kr)")],
        rows=[[row.year, row.requested, row.recommended, row.granted] for row in summary.rows]
        + [[_("Summa"), summary.requested_total, None, summary.granted_total]],
    )
    # Excel gets the facts and the amounts; CSV the amounts.
    return TableExporter(
        facts,
        amounts,
        filename=f"{_slug(request)}-beslut-{decision.meeting_date:%Y-%m-%d}-{decision.pk}",
        csv=amounts,
    ).response(fmt)
