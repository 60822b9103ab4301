"""The Deltagare pages: the start page, an insats's participants, one participant
(register, change, exit, remove, answers), anonymous participants, and the förbund's
rules and kompletterande frågor.

Rows are shown only to those `participants.access` lets see them: another insats's
participant answers 404, also to someone who may register in their own insats.
Every page that shows rows writes a read to the audit log (`audit_read`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.audit.services import audit_read
from stegvis.core.exporters import Table, TableExporter
from stegvis.core.forms import add_service_errors
from stegvis.interventions.models import Intervention
from stegvis.participants import access, selectors, services
from stegvis.participants.forms import (
    AnonymousCountForm,
    ExitForm,
    FollowUpAnswerForm,
    ParticipantFilterForm,
    ParticipantForm,
    PolicyForm,
    QuestionForm,
)
from stegvis.participants.models import Participant, Question
from stegvis.participants.vocabulary import GENDERS, Gender, Support


def to_intervention(request: AssociationRequest, intervention: Intervention) -> HttpResponse:
    return redirect(
        "participants:intervention",
        association_slug=request.association.slug,
        pk=intervention.pk,
    )


def to_participant(request: AssociationRequest, participant: Participant) -> HttpResponse:
    return redirect(
        "participants:participant_detail",
        association_slug=request.association.slug,
        pk=participant.pk,
    )


def participant_to_register(request: AssociationRequest, pk: int) -> Participant:
    """A participant this person may change: 404 for one whose rows they do not see,
    403 for one they see (the kansli, by the förbund's choice) but do not register."""
    participant = access.participant_with_rows(request, pk)
    if not access.can_register(request, participant.intervention):
        raise PermissionDenied
    return participant


def participant_read(request: AssociationRequest, participant: Participant, action: str) -> None:
    """A page about to show the participant's row (its detail, or a form filled with
    it, also when a POST comes back with errors) writes the read to the audit log."""
    audit_read(
        request=request,
        action=action,
        obj=participant,
        detail={"code": participant.code, "insats": participant.intervention.name},
    )


# ---------------------------------------------------------------------------
# The start page and an insats's list


@association_view(Permission.VIEW_AGGREGATES)
def home(request: AssociationRequest) -> HttpResponse:
    association = request.association
    row_interventions = access.row_interventions(request)
    figures = selectors.intervention_figures(interventions=row_interventions)
    registrable = set(access.registrable_interventions(request).values_list("pk", flat=True))
    policy = access.policy_for(association)
    context: dict[str, Any] = {
        "figures": [(item, item.intervention.pk in registrable) for item in figures],
        "sees_rows": Permission.VIEW_PARTICIPANT_ROWS in request.permissions,
        "manages": Permission.MANAGE_FOLLOW_UP in request.permissions,
        "policy": policy,
        "year": timezone.localdate().year,
    }
    if context["manages"] and policy.recognise_persons:
        unique = selectors.unique_individuals(association=association, year=context["year"])
        # A count that leaves the insatser is suppressed like every other.
        context["unique_individuals"] = unique if unique == 0 or unique >= policy.min_cell else None
    return render(request, "participants/home.html", context)


@association_view(Permission.VIEW_PARTICIPANT_ROWS)
def intervention_participants(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = access.intervention_with_rows(request, pk)
    form = ParticipantFilterForm(
        request.GET or None, years=selectors.years_of(intervention=intervention)
    )
    filters = form.filters()
    rows = list(selectors.participant_rows(intervention=intervention, **filters))
    summary = selectors.summary(rows)
    audit_read(
        request=request,
        action="participants.list_viewed",
        obj=intervention,
        detail={"rows": len(rows), **{key: value for key, value in filters.items() if value}},
    )
    return render(
        request,
        "participants/intervention.html",
        {
            "intervention": intervention,
            "form": form,
            "rows": [(row, selectors.step_progress_label(row)) for row in rows],
            "summary": summary,
            "summary_line": summary.line(selectors.status_noun(filters["status"], summary.total)),
            "filtered": request.GET.urlencode() != "",
            "can_register": access.can_register(request, intervention),
            "anonymous": selectors.anonymous_counts(intervention=intervention)[:1],
        },
    )


# ---------------------------------------------------------------------------
# One participant


def _form_page(request: AssociationRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    # A form with errors comes back as an ordinary page (200), its messages on the fields.
    return render(request, template, context)


@association_view(Permission.REGISTER_PARTICIPANTS)
def participant_create(request: AssociationRequest, pk: int) -> HttpResponse:
    intervention = access.intervention_to_register(request, pk)
    policy = access.policy_for(request.association)
    questions = services.questions_for(intervention=intervention, occasion=Question.Occasion.START)
    form = ParticipantForm(
        request.POST or None, intervention=intervention, policy=policy, questions=questions
    )
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_create(
                actor=request.user, intervention=intervention, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Deltagare %(code)s är registrerad i %(insats)s.")
                % {"code": participant.code, "insats": intervention.name},
            )
            if "another" in request.POST:
                return redirect(
                    "participants:participant_create",
                    association_slug=request.association.slug,
                    pk=intervention.pk,
                )
            return to_participant(request, participant)
    return _form_page(
        request, "participants/participant_form.html", {"form": form, "intervention": intervention}
    )


@association_view(Permission.VIEW_PARTICIPANT_ROWS)
def participant_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    participant = access.participant_with_rows(request, pk)
    intervention = participant.intervention
    participant_read(request, participant, "participant.viewed")
    can_register = access.can_register(request, intervention)
    follow_up_questions = services.questions_for(
        intervention=intervention, occasion=Question.Occasion.FOLLOW_UP
    )
    return render(
        request,
        "participants/participant_detail.html",
        {
            "participant": participant,
            "intervention": intervention,
            "answers": selectors.answers_of(participant=participant),
            "can_register": can_register,
            "step_progress": selectors.step_progress_label(participant),
            "support_at_start": _support_labels(participant.support_at_start),
            "support_at_exit": _support_labels(participant.support_at_exit),
            "asks_follow_up": can_register and bool(follow_up_questions),
        },
    )


def _support_labels(codes: list[str]) -> str:
    labels = [str(Support(code).label) for code in codes if code in Support.values]
    return ", ".join(labels)


@association_view(Permission.REGISTER_PARTICIPANTS)
def participant_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    participant = participant_to_register(request, pk)
    intervention = participant.intervention
    policy = access.policy_for(request.association)
    questions = services.questions_for(intervention=intervention, occasion=Question.Occasion.START)
    form = ParticipantForm(
        request.POST or None,
        intervention=intervention,
        policy=policy,
        questions=questions,
        answers=selectors.current_answers(
            participant=participant, occasion=Question.Occasion.START
        ),
        participant=participant,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                actor=request.user, participant=participant, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Deltagare %(code)s är sparad.") % {"code": form.cleaned_data["code"]},
            )
            return to_participant(request, participant)
    participant_read(request, participant, "participant.edit_form_viewed")
    return _form_page(
        request,
        "participants/participant_form.html",
        {"form": form, "intervention": intervention, "participant": participant},
    )


@association_view(Permission.REGISTER_PARTICIPANTS)
def participant_exit(request: AssociationRequest, pk: int) -> HttpResponse:
    participant = participant_to_register(request, pk)
    intervention = participant.intervention
    questions = services.questions_for(intervention=intervention, occasion=Question.Occasion.EXIT)
    form = ExitForm(
        request.POST or None,
        participant=participant,
        questions=questions,
        answers=selectors.current_answers(participant=participant, occasion=Question.Occasion.EXIT),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_exit(
                actor=request.user, participant=participant, **form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Deltagare %(code)s är avslutad: %(outcome)s.")
                % {
                    "code": participant.code,
                    "outcome": dict(form.fields["outcome"].choices)[  # type: ignore[attr-defined]
                        form.cleaned_data["outcome"]
                    ],
                },
            )
            return to_participant(request, participant)
    participant_read(request, participant, "participant.exit_form_viewed")
    return _form_page(
        request,
        "participants/participant_exit.html",
        {"form": form, "intervention": intervention, "participant": participant},
    )


@association_view(Permission.REGISTER_PARTICIPANTS)
def participant_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    participant = participant_to_register(request, pk)
    intervention = participant.intervention
    if request.method == "POST":
        code = participant.code
        services.participant_delete(actor=request.user, participant=participant)
        messages.success(request, _("Deltagare %(code)s är borttagen.") % {"code": code})
        return to_intervention(request, intervention)
    participant_read(request, participant, "participant.delete_form_viewed")
    return render(
        request,
        "participants/participant_delete.html",
        {"participant": participant, "intervention": intervention},
    )


@association_view(Permission.REGISTER_PARTICIPANTS)
def participant_answer(request: AssociationRequest, pk: int) -> HttpResponse:
    """Answers to the kompletterande frågor asked at a follow-up, on a date."""
    participant = participant_to_register(request, pk)
    questions = services.questions_for(
        intervention=participant.intervention, occasion=Question.Occasion.FOLLOW_UP
    )
    form = FollowUpAnswerForm(request.POST or None, participant=participant, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for question, value in form.answers().items():
                    if value:
                        services.answer_set(
                            actor=request.user,
                            participant=participant,
                            question=question,
                            occasion=Question.Occasion.FOLLOW_UP,
                            date=form.cleaned_data["date"],
                            value=value,
                        )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Svaren är sparade."))
            return to_participant(request, participant)
    participant_read(request, participant, "participant.answer_form_viewed")
    return _form_page(
        request,
        "participants/participant_answer.html",
        {"form": form, "intervention": participant.intervention, "participant": participant},
    )


# ---------------------------------------------------------------------------
# Anonymous participants


@association_view(Permission.REGISTER_PARTICIPANTS)
def anonymous(request: AssociationRequest, pk: int) -> HttpResponse:
    """Participants without consent or with protected identity: counted by year and
    kön, never registered as rows."""
    intervention = access.intervention_to_register(request, pk)
    form = AnonymousCountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            with transaction.atomic():
                for gender, count in form.counts().items():
                    services.anonymous_count_set(
                        actor=request.user,
                        intervention=intervention,
                        year=year,
                        gender=gender,
                        count=count,
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Anonyma deltagare %(year)s är sparade.") % {"year": year})
            return redirect(
                "participants:anonymous", association_slug=request.association.slug, pk=pk
            )
    return render(
        request,
        "participants/anonymous.html",
        {
            "intervention": intervention,
            "form": form,
            "years": selectors.anonymous_counts(intervention=intervention),
            "genders": [Gender(code).label for code in GENDERS],
        },
    )


# ---------------------------------------------------------------------------
# The förbund's rules and kompletterande frågor


@association_view(Permission.MANAGE_FOLLOW_UP)
def policy(request: AssociationRequest) -> HttpResponse:
    association = request.association
    current = access.policy_for(association)
    form = PolicyForm.for_policy(current, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, association=association, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reglerna för deltagaruppgifter är sparade."))
            return redirect("participants:policy", association_slug=association.slug)
    return render(
        request,
        "participants/policy.html",
        {"form": form, "policy": current},
    )


@association_view(Permission.MANAGE_FOLLOW_UP)
def question_list(request: AssociationRequest) -> HttpResponse:
    return render(
        request,
        "participants/question_list.html",
        {"questions": selectors.question_list(association=request.association)},
    )


@association_view(Permission.MANAGE_FOLLOW_UP)
def question_export(request: AssociationRequest, fmt: str) -> HttpResponse:
    """The förbund's kompletterande frågor as on the page (never any answers)."""
    questions = selectors.question_list(association=request.association)
    table = Table(
        title=_("Kompletterande frågor"),
        columns=[
            _("Fråga"),
            _("Svarstyp"),
            _("Svarsalternativ"),
            _("När"),
            _("Insatser"),
            _("Svar"),
            _("Används"),
        ],
        rows=[
            [
                question.text,
                question.get_answer_type_display(),
                ", ".join(line.strip() for line in question.choices.splitlines() if line.strip()),
                question.get_occasion_display(),
                ", ".join(each.name for each in question.interventions.all())
                or _("Alla individinriktade"),
                question.answer_count,  # type: ignore[attr-defined]
                question.active,
            ]
            for question in questions
        ],
    )
    return TableExporter(
        table, filename=f"{request.association.slug}-kompletterande-fragor"
    ).response(fmt)


@association_view(Permission.MANAGE_FOLLOW_UP)
def question_create(request: AssociationRequest) -> HttpResponse:
    association = request.association
    form = QuestionForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(
                actor=request.user, association=association, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Frågan är tillagd."))
            return redirect("participants:question_list", association_slug=association.slug)
    return render(
        request,
        "participants/question_form.html",
        {"form": form},
    )


@association_view(Permission.MANAGE_FOLLOW_UP)
def question_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    association = request.association
    question: Question = get_object_or_404(Question.objects.filter(association=association), pk=pk)
    form = QuestionForm(request.POST or None, association=association, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(actor=request.user, question=question, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Frågan är sparad."))
            return redirect("participants:question_list", association_slug=association.slug)
    return render(
        request,
        "participants/question_form.html",
        {"form": form, "question": question, "answered": question.answers.exists()},
    )
