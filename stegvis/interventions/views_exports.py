"""Exports of the insatser's lists that are not on the insatser page itself: the
application rounds, the board's decisions and the cases waiting for them, and the
målgrupper. Each goes through the one exporter (`core.exporters`)."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpResponse
from django.utils.translation import gettext as _

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import AMOUNT, Table, TableExporter
from stegvis.interventions import selectors
from stegvis.interventions.models import ApplicationRound, Decision


def _slug(request: AssociationRequest) -> str:
    return request.association.slug


@association_view(Permission.VIEW_INTERVENTIONS)
def round_list_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The rounds as on the page, amounts in whole kronor."""
    rounds = ApplicationRound.objects.filter(association=request.association).order_by("-opens")
    rows = []
    for round in rounds:
        summary = selectors.round_summary(round)
        rows.append(
            [
                round.name,
                round.opens,
                round.closes,
                summary.available,
                summary.applied,
                summary.recommended,
                summary.granted,
                summary.remaining,
                len(summary.rows),
            ]
        )
    table = Table(
        title=_("Ansökningsomgångar"),
        columns=[
            _("Omgång"),
            _("Öppnar"),
            _("Stänger"),
            _("Tillgängligt (kr)"),
            _("Sökt (kr)"),
            _("Föreslaget (kr)"),
            _("Beviljat (kr)"),
            _("Kvar (kr)"),
            _("Ansökningar"),
        ],
        rows=rows,
        formats=dict.fromkeys(range(3, 9), AMOUNT),
    )
    return TableExporter(table, filename=f"{_slug(request)}-ansokningsomgangar").response(fmt)


@association_view(Permission.VIEW_INTERVENTIONS)
def meeting_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The board's list: the decisions made (CSV and Excel) and the applications
    waiting for a decision, a row per year (Excel), amounts in whole kronor."""
    waiting = selectors.applications_to_decide(association=request.association)
    to_decide = Table(
        title=_("Ärenden att besluta"),
        columns=[
            _("Ansökan"),
            _("Sökande"),
            _("Delar behovet"),
            _("Ansökningsomgång"),
            _("Kansliets förslag"),
            _("År"),
            _("Sökt (kr)"),
            _("Föreslaget (kr)"),
            _("Planerade deltagare"),
        ],
        rows=[
            [
                row.title,
                row.applicant,
                ", ".join(row.sharing_members),
                row.application.round.name,
                row.application.get_recommendation_display(),
                year,
                requested,
                row.recommended.get(year),
                row.planned_participants.get(year, 0),
            ]
            for row in waiting
            for year, requested in sorted(row.requested.items())
        ],
        formats={6: AMOUNT, 7: AMOUNT},
    )
    decisions = (
        Decision.objects.filter(association=request.association)
        .select_related("application", "application__applicant")
        .prefetch_related("years")
        .order_by("-meeting_date", "paragraph")
    )
    made = Table(
        title=_("Fattade beslut"),
        columns=[
            _("Sammanträde"),
            _("Paragraf"),
            _("Diarienummer"),
            _("Ansökan"),
            _("Sökande"),
            _("Beslut"),
            _("Beviljat (kr)"),
        ],
        rows=[
            [
                decision.meeting_date,
                decision.paragraph,
                decision.reference,
                decision.application.title,
                decision.application.applicant.name,
                decision.get_outcome_display(),
                sum(year.granted for year in decision.years.all()),
            ]
            for decision in decisions
        ],
        formats={6: AMOUNT},
    )
    return TableExporter(made, to_decide, filename=f"{_slug(request)}-styrelsens-beslut").response(
        fmt
    )


@association_view(Permission.VIEW_INTERVENTIONS)
def target_group_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The målgrupper with how many insatser and applications chose each."""
    groups = request.association.target_groups.annotate(
        insatser=Count("intervention", distinct=True),
        ansokningar=Count("application", distinct=True),
    ).order_by("name")
    table = Table(
        title=_("Målgrupper"),
        columns=[_("Målgrupp"), _("Insatser"), _("Ansökningar")],
        rows=[[group.name, group.insatser, group.ansokningar] for group in groups],
    )
    return TableExporter(table, filename=f"{request.association.slug}-malgrupper").response(fmt)
