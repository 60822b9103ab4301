"""Demo collaboration surveys (samverkansenkät) for a demo förbund: last autumn's round,
closed, answered by every group — with the referrers too few to be shown, so the
suppression is seen at work — and this year's round, open now, with its first answers
(enough for the goal map's "80 % upplever att finansierade insatser bidrar till bättre
samverkan" to have a value). Made through the services and the links, as a
respondent would answer; the answers are drawn from a fixed seed, so every demo is
the same. Made once: a round whose title exists is left alone."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.instruments.defaults import install_collaboration_defaults
from stegvis.structural import services_surveys as services
from stegvis.structural.models.surveys import RespondentGroup, SurveyRound

STAFF = RespondentGroup.STAFF.value
MANAGERS = RespondentGroup.MANAGERS.value
BOARD = RespondentGroup.BOARD.value
REFERRERS = RespondentGroup.REFERRERS.value


@dataclass(frozen=True)
class DemoGroup:
    group: str
    links: int
    answers: int
    # How the group leans: the chance of each value 1–5 (before "vet ej").
    weights: tuple[int, int, int, int, int]
    dont_know: float = 0.05


AUTUMN = [
    DemoGroup(STAFF, links=26, answers=18, weights=(1, 2, 5, 10, 7)),
    DemoGroup(MANAGERS, links=12, answers=8, weights=(1, 2, 4, 7, 3), dont_know=0.1),
    DemoGroup(BOARD, links=9, answers=7, weights=(0, 1, 3, 8, 6), dont_know=0.08),
    DemoGroup(REFERRERS, links=14, answers=4, weights=(1, 3, 4, 5, 2), dont_know=0.15),
]
NOW = [
    DemoGroup(STAFF, links=24, answers=9, weights=(0, 2, 4, 11, 8)),
    DemoGroup(MANAGERS, links=12, answers=5, weights=(1, 1, 4, 8, 4), dont_know=0.1),
    DemoGroup(BOARD, links=9, answers=2, weights=(0, 1, 2, 8, 7)),
    DemoGroup(REFERRERS, links=14, answers=0, weights=(1, 3, 4, 5, 2)),
]


def _round(
    association: Association,
    *,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    introduction: str,
    groups: list[DemoGroup],
    seed: int,
    today: datetime.date,
) -> bool:
    if SurveyRound.objects.filter(association=association, title=title).exists():
        return False
    instrument = next(
        each
        for each in install_collaboration_defaults(association=association)
        if each.is_collaboration
    )
    survey_round = services.round_create(
        actor=None,
        association=association,
        title=title,
        instrument=instrument,
        groups=[demo.group for demo in groups],
        opens_on=opens_on,
        closes_on=closes_on,
        introduction=introduction,
    )
    questions = list(instrument.questions.all())
    chance = random.Random(seed)  # noqa: S311 - demo answers, the same every time
    last_day = min(closes_on, today)
    days = max((last_day - opens_on).days, 0)
    for demo in groups:
        issued = services.tokens_issue(
            actor=None, survey_round=survey_round, counts={demo.group: demo.links}, today=opens_on
        )
        for link in issued[: demo.answers]:
            answers: dict[int, int | None] = {}
            for question in questions:
                if chance.random() < demo.dont_know:
                    answers[question.pk] = None
                else:
                    answers[question.pk] = chance.choices(range(1, 6), weights=demo.weights)[0]
            day = opens_on + datetime.timedelta(days=chance.randint(0, days))
            services.response_submit(token=link.token, answers=answers, today=day)
    return True


def demo_surveys_load(association: Association, *, today: datetime.date | None = None) -> list[str]:
    """The förbund's two demo rounds (see the module's docstring); what was made, for
    the log."""
    today = today or timezone.localdate()
    last_autumn = today.year - 1
    made = []
    with scope(association=association):
        if _round(
            association,
            title=f"Samverkansenkät hösten {last_autumn}",
            opens_on=datetime.date(last_autumn, 10, 1),
            closes_on=datetime.date(last_autumn, 10, 31),
            introduction=(
                "Varje höst frågar förbundet personal, chefer, styrelse och remittenter hur "
                "samverkan mellan parterna fungerar. Resultatet följs upp i målkartan och "
                "diskuteras i beredningsgruppen."
            ),
            groups=AUTUMN,
            seed=last_autumn,
            today=today,
        ):
            made.append(f"{association.name}: samverkansenkät hösten {last_autumn}")
        if _round(
            association,
            title=f"Samverkansenkät {today.year}",
            # within this year, so its answers count in this year's goal map
            opens_on=max(today - datetime.timedelta(days=10), datetime.date(today.year, 1, 1)),
            closes_on=today + datetime.timedelta(days=20),
            introduction=(
                "Hur fungerar samverkan mellan parterna i år? Enkäten tar några minuter "
                "och svaren är anonyma."
            ),
            groups=NOW,
            seed=today.year,
            today=today,
        ):
            made.append(f"{association.name}: samverkansenkät {today.year} (öppen)")
    return made
