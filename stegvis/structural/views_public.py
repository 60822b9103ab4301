"""The answer page of a collaboration survey: `/enkat/<token>/`, for anyone holding the
link (no login, outside every förbund's address).

The secret in the link is the only key: an unknown one answers 404, a used one says
so, a round outside its dates says when it opens or that it has closed. An answer is
stored by `services_surveys.response_submit` with nothing about who sent it; these
views write no messages, nothing in the session and nothing to the audit log. The
pages are never cached and ask search engines to stay away.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_scopes import scope

from stegvis.associations.tenancy import public_view
from stegvis.core.forms import add_service_errors
from stegvis.structural import services_surveys as services
from stegvis.structural.forms_surveys import AnswerForm
from stegvis.structural.models.surveys import RespondentGroup, SurveyRound, SurveyToken

AnswerRefused = services.AnswerRefused

# The status of a page that refuses an answer: 404 unknown, 410 used up, 403 closed.
REFUSED_STATUS = {
    AnswerRefused.UNKNOWN: 404,
    AnswerRefused.USED: 410,
    AnswerRefused.NOT_OPEN: 403,
    AnswerRefused.CLOSED: 403,
}


def _no_index(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(
    request: HttpRequest, reason: str, survey_round: SurveyRound | None, *, posted: bool
) -> HttpResponse:
    """The page for a link that takes no answer. Opening a used or closed link is no
    error (200); sending an answer through it is (410, 403); an unknown link is 404."""
    status = REFUSED_STATUS[reason] if posted or reason == AnswerRefused.UNKNOWN else 200
    return _no_index(
        render(
            request,
            "structural/public/refused.html",
            {
                "reason": reason,
                "survey_round": survey_round,
                "association": survey_round.association if survey_round else None,
            },
            status=status,
        )
    )


@public_view
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    row: SurveyToken | None = services.token_find(token)
    posted = request.method == "POST"
    if row is None:
        return _refused(request, AnswerRefused.UNKNOWN, None, posted=posted)
    survey_round = row.round
    with scope(association=row.association):
        if row.used:
            return _refused(request, AnswerRefused.USED, survey_round, posted=posted)
        state = services.round_state(survey_round, timezone.localdate())
        if state != "open":
            return _refused(request, state, survey_round, posted=posted)
        instrument = survey_round.instrument
        questions = list(instrument.questions.all())
        form = AnswerForm(request.POST or None, instrument=instrument, questions=questions)
        if posted and form.is_valid():
            try:
                services.response_submit(token=token, answers=form.answers())
            except AnswerRefused as refused:
                return _refused(request, refused.reason, survey_round, posted=True)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("survey:thanks", token=token)
        return _no_index(
            render(
                request,
                "structural/public/answer.html",
                {
                    "survey_round": survey_round,
                    "association": row.association,
                    "instrument": instrument,
                    "group_label": RespondentGroup(row.group).label,
                    "form": form,
                },
            )
        )


@public_view
@never_cache
@require_http_methods(["GET"])
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    row = services.token_find(token)
    if row is None:
        return _refused(request, AnswerRefused.UNKNOWN, None, posted=False)
    if not row.used:
        return redirect("survey:answer", token=token)
    return _no_index(
        render(
            request,
            "structural/public/thanks.html",
            {"survey_round": row.round, "association": row.association},
        )
    )
