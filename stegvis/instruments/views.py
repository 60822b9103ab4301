"""The instrument pages.

* Definitions (instruments, their questions, which insatser use them): anyone who sees
  the insatser reads them; the kansli (`MANAGE_FOLLOW_UP`) changes them.
* The due list of an insats and a participant's follow-ups list participant codes, so
  they need the rows (`participants.access`): another insats's answers 404, and every
  view or export is written to the audit log as a read. Recording a response needs
  registering in that insats (its deltagaransvarig); seeing the rows without that is 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.audit.services import audit_read
from stegvis.core.exporters import Table, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.instruments import due as due_module
from stegvis.instruments import services
from stegvis.instruments.defaults import install_defaults
from stegvis.instruments.forms import AttachForm, InstrumentForm, QuestionForm, ResponseForm
from stegvis.instruments.models import Instrument, InstrumentQuestion, Response
from stegvis.participants import access
from stegvis.participants.models import Participant


def _instrument(request: AssociationRequest, pk: int) -> Instrument:
    """The förbund's instrument (404 for another förbund's)."""
    return get_object_or_404(Instrument.objects.filter(association=request.association), pk=pk)


def _question(request: AssociationRequest, pk: int, question_pk: int) -> InstrumentQuestion:
    return get_object_or_404(
        InstrumentQuestion.objects.filter(instrument=_instrument(request, pk)), pk=question_pk
    )


def _to_instrument(request: AssociationRequest, instrument: Instrument) -> HttpResponse:
    return redirect(
        "instruments:detail", association_slug=request.association.slug, pk=instrument.pk
    )


def _can_manage(request: AssociationRequest) -> bool:
    return Permission.MANAGE_FOLLOW_UP in request.permissions


# ---------------------------------------------------------------------------
# Definitions


@association_view(Permission.VIEW_INTERVENTIONS)
def instrument_list(request: AssociationRequest) -> HttpResponse:
    association = request.association
    every = list(
        Instrument.objects.filter(association=association)
        .prefetch_related("questions", "uses__intervention")
        .order_by("kind", "name")
    )
    # Collaboration surveys are answered by staff, managers and board, not by
    # participants: listed apart, under the follow-up instruments.
    instruments = [each for each in every if not each.is_collaboration]
    collaboration = [each for each in every if each.is_collaboration]
    row_interventions = list(access.row_interventions(request))
    counts = due_module.due_counts(association=association) if row_interventions else {}
    return render(
        request,
        "instruments/list.html",
        {
            "instruments": instruments,
            "collaboration_instruments": collaboration,
            "can_manage": _can_manage(request),
            "due_rows": [
                (intervention, *counts.get(intervention.pk, (0, 0)))
                for intervention in row_interventions
            ],
        },
    )


@association_view(Permission.MANAGE_FOLLOW_UP)
@require_POST
def defaults_install(request: AssociationRequest) -> HttpResponse:
    install_defaults(association=request.association, actor=request.user)
    messages.success(request, _("Standardinstrumenten finns nu i förbundet."))
    return redirect("instruments:list", association_slug=request.association.slug)


def _instrument_fields(form: InstrumentForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in form.fields}


@association_view(Permission.MANAGE_FOLLOW_UP)
def instrument_create(request: AssociationRequest) -> HttpResponse:
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = _instrument_fields(form)
        fields["description"] = fields.get("description") or ""
        try:
            instrument = services.instrument_create(
                actor=request.user, association=request.association, **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Instrumentet är skapat. Lägg till frågorna."))
            return _to_instrument(request, instrument)
    return render(request, "instruments/form.html", {"form": form, "instrument": None})


@association_view(Permission.MANAGE_FOLLOW_UP)
def instrument_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    instrument = _instrument(request, pk)
    form = InstrumentForm(request.POST or None, instance=Instrument.objects.get(pk=instrument.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.instrument_update(
                actor=request.user, instrument=instrument, **_instrument_fields(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ändringen är sparad."))
            return _to_instrument(request, instrument)
    return render(request, "instruments/form.html", {"form": form, "instrument": instrument})


@association_view(Permission.VIEW_INTERVENTIONS)
def instrument_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The förbund's instruments as defined (never any answers): a row per instrument
    (CSV and Excel), and every question (Excel)."""
    instruments = list(
        Instrument.objects.filter(association=request.association)
        .prefetch_related("questions", "uses__intervention")
        .order_by("kind", "name")
    )
    definitions = Table(
        title=_("Instrument"),
        columns=[
            _("Instrument"),
            _("Kod"),
            _("Slag"),
            _("Skalans lägsta värde"),
            _("Skalans högsta värde"),
            _("Instämmer från och med"),
            _("Svaren sparas"),
            _("Vid start"),
            _("Första gången efter (månader)"),
            _("Därefter var (månader)"),
            _("Vid avslut"),
            _("Mål för täckning (%)"),
            _("Används"),
            _("Frågor"),
            _("Används i"),
        ],
        rows=[
            [
                each.name,
                each.code,
                each.get_kind_display(),
                each.scale_min,
                each.scale_max,
                each.agree_from,
                each.records_answers,
                each.at_start,
                each.first_after_months,
                each.every_months,
                each.at_exit,
                each.coverage_target,
                each.active,
                len(each.questions.all()),
                ", ".join(use.intervention.name for use in each.uses.all()),
            ]
            for each in instruments
        ],
    )
    questions = Table(
        title=_("Frågor"),
        columns=[_("Instrument"), _("Nr"), _("Fråga"), _("Kort namn"), _("Kod")],
        rows=[
            [each.name, number, question.text, question.short_label, question.code]
            for each in instruments
            for number, question in enumerate(each.questions.all(), start=1)
        ],
    )
    return TableExporter(
        definitions, questions, filename=f"{request.association.slug}-instrument"
    ).response(fmt)


@association_view(Permission.VIEW_INTERVENTIONS)
def instrument_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    instrument = _instrument(request, pk)
    return _detail(request, instrument)


def _detail(
    request: AssociationRequest,
    instrument: Instrument,
    *,
    question_form: QuestionForm | None = None,
    attach_form: AttachForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = _can_manage(request)
    uses = instrument.uses.select_related("intervention").order_by("intervention__name")
    attachable = can_manage and not instrument.is_collaboration
    free = request.association.interventions.exclude(
        pk__in=[use.intervention_id for use in uses]
    ).order_by("name")
    return render(
        request,
        "instruments/detail.html",
        {
            "instrument": instrument,
            "questions": list(instrument.questions.all()),
            "uses": uses,
            "can_manage": can_manage,
            "has_responses": instrument.responses.exists(),
            "survey_rounds": (
                instrument.survey_rounds.order_by("-opens_on")
                if instrument.is_collaboration
                else None
            ),
            "question_form": question_form or (QuestionForm() if can_manage else None),
            "attach_form": attach_form or (AttachForm(interventions=free) if attachable else None),
        },
        status=status,
    )


@association_view(Permission.MANAGE_FOLLOW_UP)
@require_POST
def question_add(request: AssociationRequest, pk: int) -> HttpResponse:
    instrument = _instrument(request, pk)
    form = QuestionForm(request.POST, prefix=None)
    if form.is_valid():
        try:
            services.question_add(
                actor=request.user,
                instrument=instrument,
                text=form.cleaned_data["text"],
                short_label=form.cleaned_data.get("short_label") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Frågan är tillagd."))
            return _to_instrument(request, instrument)
    return _detail(request, instrument, question_form=form, status=400)


@association_view(Permission.MANAGE_FOLLOW_UP)
def question_edit(request: AssociationRequest, pk: int, question_pk: int) -> HttpResponse:
    question = _question(request, pk, question_pk)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=request.user,
                question=question,
                text=form.cleaned_data["text"],
                short_label=form.cleaned_data.get("short_label") or "",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Frågan är ändrad."))
            return _to_instrument(request, question.instrument)
    return render(
        request,
        "instruments/question_form.html",
        {"form": form, "question": question, "instrument": question.instrument},
    )


@association_view(Permission.MANAGE_FOLLOW_UP)
@require_POST
def question_move(request: AssociationRequest, pk: int, question_pk: int) -> HttpResponse:
    question = _question(request, pk, question_pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.question_move(actor=request.user, question=question, step=step)
    return _to_instrument(request, question.instrument)


@association_view(Permission.MANAGE_FOLLOW_UP)
@require_POST
def question_delete(request: AssociationRequest, pk: int, question_pk: int) -> HttpResponse:
    question = _question(request, pk, question_pk)
    try:
        services.question_delete(actor=request.user, question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Frågan är borttagen."))
    return _to_instrument(request, question.instrument)


@association_view(Permission.MANAGE_FOLLOW_UP)
@require_POST
def attach(request: AssociationRequest, pk: int) -> HttpResponse:
    instrument = _instrument(request, pk)
    form = AttachForm(request.POST, interventions=request.association.interventions.all())
    if not form.is_valid():
        return _detail(request, instrument, attach_form=form, status=400)
    intervention = form.cleaned_data["intervention"]
    try:
        services.instrument_attach(
            actor=request.user, instrument=instrument, intervention=intervention
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, instrument, attach_form=form, status=400)
    messages.success(
        request,
        _("%(insats)s använder nu %(instrument)s.")
        % {"insats": intervention.name, "instrument": instrument.name},
    )
    return _to_instrument(request, instrument)


@association_view(Permission.MANAGE_FOLLOW_UP)
@require_POST
def detach(request: AssociationRequest, pk: int, intervention_pk: int) -> HttpResponse:
    instrument = _instrument(request, pk)
    intervention = get_object_or_404(request.association.interventions, pk=intervention_pk)
    services.instrument_detach(actor=request.user, instrument=instrument, intervention=intervention)
    messages.success(
        request,
        _("%(insats)s använder inte längre %(instrument)s.")
        % {"insats": intervention.name, "instrument": instrument.name},
    )
    return _to_instrument(request, instrument)


# ---------------------------------------------------------------------------
# The due list of an insats


@association_view(Permission.VIEW_PARTICIPANT_ROWS)
def due(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = access.intervention_with_rows(request, pk)
    result = due_module.due_list(intervention=intervention)
    audit_read(
        request=request,
        action="participants.due_list_viewed",
        obj=intervention,
        detail={"rows": len(result)},
    )
    today = result.today
    return render(
        request,
        "instruments/due.html",
        {
            "intervention": intervention,
            "result": result,
            "groups": [
                ("overdue", _("Försenade"), result.overdue),
                ("this_week", _("Denna vecka"), result.this_week),
                (
                    "upcoming",
                    _("Kommande %(days)s dagar") % {"days": due_module.UPCOMING_DAYS},
                    result.upcoming,
                ),
            ],
            "can_register": access.can_register(request, intervention),
            "coverage": due_module.screening_coverage(
                intervention=intervention, year=today.year, today=today
            ),
            "year": today.year,
        },
    )


@association_view(Permission.VIEW_PARTICIPANT_ROWS)
def due_export(request: AssociationRequest, pk: int, fmt: str) -> HttpResponse:
    intervention = access.intervention_with_rows(request, pk)
    result = due_module.due_list(intervention=intervention)
    table = Table(
        title=_("Att göra"),
        columns=[_("Status"), _("Datum"), _("Kod"), _("Instrument"), _("Tillfälle")],
        rows=[
            [item.status_label, item.due, item.code, item.instrument.name, item.occasion_label]
            for item in result.items
        ],
        notes=[
            _("%(insats)s, uttaget %(today)s.")
            % {"insats": intervention.name, "today": result.today.isoformat()}
        ],
    )
    response = TableExporter(table, filename=f"att-gora-{result.today.isoformat()}").response(fmt)
    audit_read(
        request=request,
        action="participants.due_list_exported",
        obj=intervention,
        detail={"rows": len(result), "format": fmt},
    )
    return response


# ---------------------------------------------------------------------------
# A participant's follow-ups


def _registrable(request: AssociationRequest, participant: Participant) -> Participant:
    """The participant, when this person registers in their insats: 404 beyond the
    rows one may see, 403 for rows one only sees."""
    if not access.can_register(request, participant.intervention):
        raise PermissionDenied
    return participant


@association_view(Permission.VIEW_PARTICIPANT_ROWS)
def participant_follow_up(request: AssociationRequest, pk: int) -> HttpResponse:
    participant = access.participant_with_rows(request, pk)
    responses = list(
        Response.objects.filter(participant=participant)
        .select_related("instrument")
        .prefetch_related("answers__question")
        .order_by("-date", "instrument__name")
    )
    uses = list(
        participant.intervention.instrument_uses.select_related("instrument").order_by(
            "instrument__kind", "instrument__name"
        )
    )
    done: dict[int, dict[str, Any]] = {}
    for response in responses:
        latest = done.setdefault(response.instrument_id, {})
        latest.setdefault(response.occasion, response.date)
    next_due = {
        use.instrument_id: due_module.next_occasions(
            schedule=due_module.Schedule.of(use.instrument),
            start=participant.start,
            exit=participant.exit,
            done=due_module.Done(done.get(use.instrument_id, {})),
        )
        for use in uses
    }
    audit_read(
        request=request,
        action="participant.follow_up_viewed",
        obj=participant,
        detail={"responses": len(responses)},
    )
    return render(
        request,
        "instruments/participant.html",
        {
            "participant": participant,
            "intervention": participant.intervention,
            "responses": responses,
            "instruments": [
                (
                    use.instrument,
                    [
                        (str(Response.Occasion(occasion).label), day, occasion)
                        for occasion, day in next_due[use.instrument_id]
                    ],
                )
                for use in uses
                if use.instrument.active
            ],
            "can_register": access.can_register(request, participant.intervention),
            "today": timezone.localdate(),
        },
    )


@association_view(Permission.VIEW_PARTICIPANT_ROWS)
def response_create(request: AssociationRequest, pk: int, instrument_pk: int) -> HttpResponse:
    participant = _registrable(request, access.participant_with_rows(request, pk))
    instrument: Instrument = get_object_or_404(
        Instrument.objects.filter(
            association=request.association, uses__intervention=participant.intervention
        ),
        pk=instrument_pk,
    )
    questions = list(instrument.questions.all())
    initial: dict[str, Any] = {"date": timezone.localdate()}
    if request.GET.get("tillfalle") in Response.Occasion.values:
        initial["occasion"] = request.GET["tillfalle"]
    form = ResponseForm(
        request.POST or None, instrument=instrument, questions=questions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_record(
                actor=request.user,
                participant=participant,
                instrument=instrument,
                date=form.cleaned_data["date"],
                occasion=form.cleaned_data["occasion"],
                answers=form.answers(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(instrument)s för %(code)s är registrerad.")
                % {"instrument": instrument.name, "code": participant.code},
            )
            return redirect(
                "instruments:participant_follow_up",
                association_slug=request.association.slug,
                pk=participant.pk,
            )
    audit_read(request=request, action="participant.response_form_viewed", obj=participant)
    return render(
        request,
        "instruments/response_form.html",
        {
            "participant": participant,
            "intervention": participant.intervention,
            "instrument": instrument,
            "form": form,
        },
    )


@association_view(Permission.VIEW_PARTICIPANT_ROWS)
@require_POST
def response_delete(request: AssociationRequest, pk: int, response_pk: int) -> HttpResponse:
    participant = _registrable(request, access.participant_with_rows(request, pk))
    response: Response = get_object_or_404(
        Response.objects.filter(participant=participant).select_related("instrument"),
        pk=response_pk,
    )
    services.response_delete(actor=request.user, response=response)
    messages.success(request, _("Svaret är borttaget."))
    return redirect(
        "instruments:participant_follow_up",
        association_slug=request.association.slug,
        pk=participant.pk,
    )
