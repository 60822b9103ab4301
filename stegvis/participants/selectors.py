"""Reads for the participant pages: an insats's rows with filters and a summary of
them, the start page's figures per insats, anonymous counts, answers to the
kompletterande frågor, and the number of unique individuals.

These are the rows as their own staff see them (unsuppressed): only the views that
have checked `participants.access` call them. Figures that leave the insats go
through `participants.report` and its suppression.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention
from stegvis.participants.models import AnonymousCount, Answer, Participant, Question
from stegvis.participants.vocabulary import GENDERS, Gender

ACTIVE, EXITED, ALL = "active", "exited", "all"
STATUSES = (ACTIVE, EXITED, ALL)


def enrolled_in(year: int) -> Q:
    """Participants enrolled at any time in the year (spec: started on or before
    31 December and not exited before 1 January)."""
    return Q(start__lte=datetime.date(year, 12, 31)) & (
        Q(exit__isnull=True) | Q(exit__gte=datetime.date(year, 1, 1))
    )


def participant_rows(
    *,
    intervention: Intervention,
    status: str = ACTIVE,
    gender: str = "",
    year: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Participant]:
    """The insats's participants: active (not exited by today), exited or all; of one
    kön; enrolled in a year."""
    today = today or timezone.localdate()
    rows = Participant.objects.filter(intervention=intervention).select_related(
        "municipality", "referring_member", "handover_to"
    )
    if status == ACTIVE:
        rows = rows.filter(Q(exit__isnull=True) | Q(exit__gt=today))
    elif status == EXITED:
        rows = rows.filter(exit__isnull=False, exit__lte=today)
    if gender:
        rows = rows.filter(gender=gender)
    if year is not None:
        rows = rows.filter(enrolled_in(year))
    return rows.order_by("code")


def status_noun(status: str, count: int) -> str:
    """The noun of the list's summary line: "aktiva deltagare", "avslutad deltagare"."""
    if status == ACTIVE:
        return ngettext("aktiv deltagare", "aktiva deltagare", count)
    if status == EXITED:
        return ngettext("avslutad deltagare", "avslutade deltagare", count)
    return pgettext("participants, any status", "deltagare")


@dataclass
class Summary:
    total: int
    by_gender: dict[str, int]
    step_progress: int = 0
    exited: int = 0

    def line(self, noun: str = "") -> str:
        """ "23 aktiva deltagare, 12 kvinnor, 10 män, 1 ej angivet"."""
        head = ngettext("%(count)s deltagare", "%(count)s deltagare", self.total) % {
            "count": self.total
        }
        if noun:
            head = f"{self.total} {noun}"
        parts = [head]
        women, men, unspecified = (self.by_gender.get(code, 0) for code in GENDERS)
        parts.append(ngettext("%(n)s kvinna", "%(n)s kvinnor", women) % {"n": women})
        parts.append(ngettext("%(n)s man", "%(n)s män", men) % {"n": men})
        if unspecified:
            parts.append(_("%(n)s ej angivet") % {"n": unspecified})
        return ", ".join(parts)


def summary(rows: Iterable[Participant]) -> Summary:
    """Counts of a list of participants by kön, with how many exited and how many of
    those with stegförflyttning."""
    genders: Counter[str] = Counter()
    exited = step = 0
    total = 0
    for participant in rows:
        total += 1
        genders[participant.gender] += 1
        if participant.exit is not None:
            exited += 1
            step += participant.step_progress
    return Summary(
        total=total,
        by_gender={code: genders.get(code, 0) for code in GENDERS},
        step_progress=step,
        exited=exited,
    )


@dataclass
class InterventionFigures:
    intervention: Intervention
    active: int = 0
    started: int = 0
    exited: int = 0
    step_progress: int = 0
    by_gender: dict[str, int] = field(default_factory=dict)

    @property
    def active_line(self) -> str:
        return Summary(total=self.active, by_gender=self.by_gender).line(
            ngettext("aktiv deltagare", "aktiva deltagare", self.active)
        )


def intervention_figures(
    *, interventions: Iterable[Intervention], today: datetime.date | None = None
) -> list[InterventionFigures]:
    """For the start page: per insats, active participants by kön, and how many
    started and exited this year (two queries)."""
    today = today or timezone.localdate()
    interventions = list(interventions)
    figures = {each.pk: InterventionFigures(each) for each in interventions}
    if not figures:
        return []
    year_start = datetime.date(today.year, 1, 1)
    base = Participant.objects.filter(intervention_id__in=figures)
    active = (
        base.filter(Q(exit__isnull=True) | Q(exit__gt=today))
        .values("intervention_id", "gender")
        .annotate(n=Count("pk"))
    )
    for row in active:
        item = figures[row["intervention_id"]]
        item.by_gender[row["gender"]] = row["n"]
        item.active += row["n"]
    yearly = base.values("intervention_id").annotate(
        started=Count("pk", filter=Q(start__gte=year_start, start__lte=today)),
        exited=Count("pk", filter=Q(exit__gte=year_start, exit__lte=today)),
    )
    for row in yearly:
        item = figures[row["intervention_id"]]
        item.started, item.exited = row["started"], row["exited"]
    return [figures[each.pk] for each in interventions]


def years_of(*, intervention: Intervention) -> list[int]:
    """The years the insats has participants in, newest first (for the year filter)."""
    starts = Participant.objects.filter(intervention=intervention).values_list("start", "exit")
    years: set[int] = set()
    this_year = timezone.localdate().year
    for start, exit in starts:
        last = exit.year if exit else max(this_year, start.year)
        years.update(range(start.year, last + 1))
    return sorted(years, reverse=True)


@dataclass
class AnonymousYear:
    year: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(code, 0) for code in GENDERS]


def anonymous_counts(*, intervention: Intervention) -> list[AnonymousYear]:
    years: dict[int, dict[str, int]] = {}
    for record in AnonymousCount.objects.filter(intervention=intervention):
        years.setdefault(record.year, {})[record.gender] = record.count
    return [AnonymousYear(year, counts) for year, counts in sorted(years.items(), reverse=True)]


@dataclass
class AnsweredQuestion:
    question: Question
    occasion_label: str
    date: datetime.date
    value: str


def answers_of(*, participant: Participant) -> list[AnsweredQuestion]:
    answers = Answer.objects.filter(participant=participant).select_related("question")
    return [
        AnsweredQuestion(
            question=answer.question,
            occasion_label=str(Question.Occasion(answer.occasion).label),
            date=answer.date,
            value=answer.value,
        )
        for answer in answers.order_by("date", "question__order", "question_id")
    ]


def current_answers(*, participant: Participant, occasion: str) -> dict[int, str]:
    """{question pk: value} of the answers given at start or exit (to fill the form)."""
    return dict(
        Answer.objects.filter(participant=participant, occasion=occasion).values_list(
            "question_id", "value"
        )
    )


def unique_individuals(*, association: Association, year: int) -> int:
    """How many different people took part in the förbund's insatser in a year: the
    distinct recognition keys among those enrolled that year, plus every participant
    registered without one (who cannot be matched, so counts as a person of their own)."""
    enrolled = Participant.objects.filter(association=association).filter(enrolled_in(year))
    keyed = enrolled.exclude(person_key="").values("person_key").distinct().count()
    return keyed + enrolled.filter(person_key="").count()


def question_list(*, association: Association) -> QuerySet[Question]:
    return (
        Question.objects.filter(association=association)
        .prefetch_related("interventions")
        .annotate(answer_count=Count("answers"))
        .order_by("order", "pk")
    )


def gender_label(code: str) -> str:
    return str(Gender(code).label) if code in Gender.values else code


def step_progress_label(participant: Participant) -> str:
    if participant.exit is None:
        return ""
    return _("Ja") if participant.step_progress else _("Nej")


def members_label(members: Iterable[Any]) -> str:
    return ", ".join(str(member) for member in members)
