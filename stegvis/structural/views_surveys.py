"""The Samverkansenkäter pages of Samverkan: the rounds, a new round, one round with its
links (made here and shown once), the results per group and their export.

Everyone who may see Samverkan sees the rounds and their suppressed results; the
kansli (`MANAGE_COLLABORATION`) makes rounds and links. Another förbund's round
answers 404. The answer page itself is public: views_public.py.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.exporters import CONTENT_TYPES, FORMATS, Table, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.goals.selectors import min_cell_for
from stegvis.structural import services_surveys as services
from stegvis.structural import surveys
from stegvis.structural.forms_surveys import LinksForm, RoundForm
from stegvis.structural.models.surveys import SurveyRound


def _round(request: AssociationRequest, pk: int) -> SurveyRound:
    """The förbund's round (404 for another förbund's)."""
    survey_round = (
        SurveyRound.objects.filter(association=request.association, pk=pk)
        .select_related("instrument")
        .first()
    )
    if survey_round is None:
        raise Http404
    return survey_round


def _can_manage(request: AssociationRequest) -> bool:
    return Permission.MANAGE_COLLABORATION in request.permissions


def _instruments(request: AssociationRequest) -> Any:
    """The förbund's collaboration surveys. The default one is made with the förbund
    (`associations.services.association_create`; instruments migration 0004 for those
    made before), not here: a GET never writes."""
    return services.collaboration_instruments(request.association)


@association_view(Permission.VIEW_COLLABORATION)
def survey_list(request: AssociationRequest) -> HttpResponse:
    return render(
        request,
        "structural/survey_list.html",
        {
            "rows": surveys.round_list(association=request.association),
            "can_manage": _can_manage(request),
        },
    )


def _round_fields(form: RoundForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "instrument": data["instrument"],
        "groups": data["groups"],
        "opens_on": data["opens_on"],
        "closes_on": data["closes_on"],
        "introduction": data.get("introduction") or "",
    }


@association_view(Permission.MANAGE_COLLABORATION)
def survey_create(request: AssociationRequest) -> HttpResponse:
    instruments = _instruments(request)
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        instruments=instruments,
        initial={
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=21),
            "groups": [],
            "instrument": instruments.first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_round = services.round_create(
                actor=request.user, association=request.association, **_round_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Enkätomgången är skapad. Skapa nu svarslänkar för varje grupp.")
            )
            return redirect(
                "structural:survey_round",
                association_slug=request.association.slug,
                pk=survey_round.pk,
            )
    return render(request, "structural/survey_form.html", {"form": form, "survey_round": None})


@association_view(Permission.MANAGE_COLLABORATION)
def survey_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    survey_round = _round(request, pk)
    form = RoundForm(
        request.POST or None, instruments=_instruments(request), survey_round=survey_round
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                actor=request.user, survey_round=survey_round, **_round_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ändringen är sparad."))
            return redirect(
                "structural:survey_round",
                association_slug=request.association.slug,
                pk=survey_round.pk,
            )
    return render(
        request, "structural/survey_form.html", {"form": form, "survey_round": survey_round}
    )


def _detail(
    request: AssociationRequest,
    survey_round: SurveyRound,
    *,
    links_form: LinksForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    state = surveys.round_status(survey_round, today)
    can_make_links = _can_manage(request) and state != services.AnswerRefused.CLOSED
    return render(
        request,
        "structural/survey_round.html",
        {
            "survey_round": survey_round,
            "status": state,
            "status_label": surveys.round_status_label(survey_round, today),
            "counts": surveys.round_counts(survey_round),
            "questions": list(survey_round.instrument.questions.all()),
            "can_manage": _can_manage(request),
            "links_form": links_form
            or (LinksForm(survey_round=survey_round) if can_make_links else None),
            "max_links": services.MAX_LINKS_PER_GROUP,
        },
        status=status,
    )


@association_view(Permission.VIEW_COLLABORATION)
def survey_round(request: AssociationRequest, pk: int) -> HttpResponse:
    return _detail(request, _round(request, pk))


def _links_table(survey_round: SurveyRound, links: list[tuple[str, str]]) -> Table:
    return Table(
        title=_("Svarslänkar"),
        columns=[_("Grupp"), _("Länk")],
        rows=[[label, url] for label, url in links],
        notes=[
            _(
                "%(title)s: öppen %(opens)s–%(closes)s. Varje länk kan besvaras en gång. "
                "Stegvis sparar inte länkarna och kan inte visa dem igen."
            )
            % {
                "title": survey_round.title,
                "opens": survey_round.opens_on.isoformat(),
                "closes": survey_round.closes_on.isoformat(),
            }
        ],
    )


def _data_url(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


@association_view(Permission.MANAGE_COLLABORATION)
@require_POST
def survey_tokens(request: AssociationRequest, pk: int) -> HttpResponse:
    """Make links and show them, this once. The page carries its own Excel and CSV
    files (data: links), so the secrets never pass the server again."""
    survey_round = _round(request, pk)
    form = LinksForm(request.POST, survey_round=survey_round)
    if not form.is_valid():
        return _detail(request, survey_round, links_form=form, status=400)
    try:
        issued = services.tokens_issue(
            actor=request.user, survey_round=survey_round, counts=form.counts()
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, survey_round, links_form=form, status=400)
    links = [
        (
            link.group_label,
            request.build_absolute_uri(reverse("survey:answer", kwargs={"token": link.token})),
        )
        for link in issued
    ]
    exporter = TableExporter(
        _links_table(survey_round, links), filename=f"svarslankar-{survey_round.pk}"
    )
    by_group: dict[str, list[str]] = {}
    for label, url in links:
        by_group.setdefault(label, []).append(url)
    response = render(
        request,
        "structural/survey_links.html",
        {
            "survey_round": survey_round,
            "by_group": list(by_group.items()),
            "count": len(links),
            "xlsx_url": _data_url(exporter.xlsx(), CONTENT_TYPES["xlsx"]),
            "csv_url": _data_url(exporter.csv(), CONTENT_TYPES["csv"]),
            "filename": exporter.filename,
        },
    )
    # The secrets are in this page only: never kept by a cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


def _results_context(request: AssociationRequest, survey_round: SurveyRound) -> Any:
    return surveys.round_results(
        survey_round=survey_round, min_cell=min_cell_for(request.association)
    )


@association_view(Permission.VIEW_COLLABORATION)
def survey_results(request: AssociationRequest, pk: int) -> HttpResponse:
    survey_round = _round(request, pk)
    results = _results_context(request, survey_round)
    return render(
        request,
        "structural/survey_results.html",
        {
            "survey_round": survey_round,
            "results": results,
            "chart": surveys.results_chart_svg(results),
            "status_label": surveys.round_status_label(survey_round),
            "formats": FORMATS,
        },
    )


@association_view(Permission.VIEW_COLLABORATION)
def survey_export(request: AssociationRequest, pk: int, fmt: str) -> HttpResponse:
    survey_round = _round(request, pk)
    tables = surveys.results_tables(_results_context(request, survey_round))
    return TableExporter(*tables, filename=f"samverkansenkat-{survey_round.pk}-resultat").response(
        fmt
    )
