"""Data for the collaboration survey tests: each förbund's default collaboration
survey, an open round of the own förbund with two known links (one unused, one used),
a round of the other förbund, and helpers that make links and answer them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Association
from stegvis.instruments.defaults import install_collaboration_defaults
from stegvis.instruments.models import Instrument
from stegvis.structural import services_surveys as services
from stegvis.structural.models.surveys import RespondentGroup, SurveyRound, SurveyToken

# Known secrets, so that tests and the permission matrix can open the links.
OPEN_TOKEN = "matris-oanvand-0123456789"
USED_TOKEN = "matris-anvand-0123456789a"
OWN_ROUND = "Samverkansenkät hösten"
OTHER_ROUND = "Annan förbunds enkät"


@dataclass
class SurveySetup:
    instrument: Instrument  # the own förbund's default collaboration survey
    survey_round: SurveyRound  # own, open from a week ago for two weeks, all groups
    other_round: SurveyRound  # the other förbund's
    open_token: str  # an unused link of survey_round (personal)
    used_token: str  # a used link of survey_round (personal)


def collaboration_instrument(association: Association) -> Instrument:
    with scope(association=association):
        return install_collaboration_defaults(association=association)[0]


def make_round(
    association: Association,
    *,
    title: str,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    groups: Sequence[str] = tuple(RespondentGroup.values),
) -> SurveyRound:
    today = timezone.localdate()
    with scope(association=association):
        return services.round_create(
            actor=None,
            association=association,
            title=title,
            instrument=collaboration_instrument(association),
            groups=groups,
            opens_on=opens_on or today - datetime.timedelta(days=7),
            closes_on=closes_on or today + datetime.timedelta(days=14),
        )


def known_token(survey_round: SurveyRound, token: str, *, group: str) -> None:
    with scopes_disabled():
        SurveyToken.objects.get_or_create(
            token_hash=services.token_hash(token),
            defaults={
                "association": survey_round.association,
                "round": survey_round,
                "group": group,
                "created_on": timezone.localdate(),
            },
        )


def survey_setup(world: Any) -> SurveySetup:
    """Made once per test database; found by title after that."""
    with scopes_disabled():
        own = SurveyRound.objects.filter(association=world.own, title=OWN_ROUND).first()
        other = SurveyRound.objects.filter(association=world.other, title=OTHER_ROUND).first()
    if own is None:
        own = make_round(world.own, title=OWN_ROUND)
        known_token(own, OPEN_TOKEN, group=RespondentGroup.STAFF)
        known_token(own, USED_TOKEN, group=RespondentGroup.STAFF)
        answer(own, USED_TOKEN, None)  # "vet ej" to every statement
    if other is None:
        other = make_round(world.other, title=OTHER_ROUND)
    return SurveySetup(
        instrument=own.instrument,
        survey_round=own,
        other_round=other,
        open_token=OPEN_TOKEN,
        used_token=USED_TOKEN,
    )


def links(
    survey_round: SurveyRound, group: str, count: int, *, today: datetime.date | None = None
) -> list[str]:
    """`count` new links of the group (the secrets)."""
    with scope(association=survey_round.association):
        issued = services.tokens_issue(
            actor=None, survey_round=survey_round, counts={group: count}, today=today
        )
    return [link.token for link in issued]


def answer(
    survey_round: SurveyRound,
    token: str,
    values: Sequence[int | None] | int | None,
    *,
    today: datetime.date | None = None,
) -> Any:
    """Answer every question of the round through the link: `values` in question
    order (None for "vet ej"), or one value (or None) for all."""
    with scopes_disabled():
        questions = list(survey_round.instrument.questions.all())
    if values is None or isinstance(values, int):
        values = [values] * len(questions)
    return services.response_submit(
        token=token,
        answers={question.pk: value for question, value in zip(questions, values, strict=True)},
        today=today,
    )


def answered(
    survey_round: SurveyRound,
    group: str,
    rows: Sequence[Sequence[int | None] | int | None],
    *,
    today: datetime.date | None = None,
) -> None:
    """One link per row of the group, each answered with its values."""
    tokens = links(survey_round, group, len(rows), today=today)
    for token, values in zip(tokens, rows, strict=True):
        answer(survey_round, token, values, today=today)


def surveys_path(world: Any, rest: str) -> str:
    """/f/<own>/samverkan/enkater/<rest>, with {round} (the own förbund's open round)
    and {other_round} (the other förbund's)."""
    setup = survey_setup(world)
    values = {"round": setup.survey_round.pk, "other_round": setup.other_round.pk}
    return f"/f/{world.own.slug}/samverkan/enkater/" + rest.format(**values)


def answer_path(world: Any, *, used: bool = False, thanks: bool = False) -> str:
    """The public answer page of a known link (or its thank-you page)."""
    setup = survey_setup(world)
    token = setup.used_token if used else setup.open_token
    return f"/enkat/{token}/" + ("tack/" if thanks else "")
