"""Participants and follow-up for the insatser of one förbund, drawn by
`synthetic.people` and written as plain rows (`synthetic.storage`)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stegvis.associations.models import Association, Member, Population
from stegvis.core.synthetic.people import (
    Places,
    Schedule,
    SyntheticParticipant,
    assessment_baseline,
    follow_up_answers,
    follow_up_date,
    follow_up_due,
    participant_generate,
)
from stegvis.core.synthetic.storage import RawTable, next_id
from stegvis.instruments.models import (
    Instrument,
    InstrumentQuestion,
    Response,
    ResponseAnswer,
)
from stegvis.interventions.models import Intervention
from stegvis.participants.models import AnonymousCount, Participant
from stegvis.participants.vocabulary import Gender


@dataclass
class Summary:
    associations: int = 0
    interventions: int = 0
    participants: int = 0
    exited: int = 0
    step_progress: int = 0
    responses: int = 0
    answers: int = 0
    anonymous: int = 0
    users: int = 0
    seconds: float = 0.0
    largest: str = ""  # slug of the förbund with most participants
    largest_participants: int = 0
    slugs: list[str] = field(default_factory=list)

    def add(self, other: Summary) -> None:
        for name in (
            "interventions",
            "participants",
            "exited",
            "step_progress",
            "responses",
            "answers",
            "anonymous",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# Instruments ---------------------------------------------------------------------


def instruments_install(association: Association) -> None:
    """The förbund's default instruments (instruments.defaults)."""
    from stegvis.instruments.defaults import install_defaults

    install_defaults(association=association)


def instruments_attach(intervention: Intervention) -> None:
    from stegvis.instruments.defaults import attach_defaults

    attach_defaults(intervention=intervention)


def schedules_for(intervention: Intervention) -> list[Schedule]:
    """The schedules of the active instruments the insats uses."""
    instruments = Instrument.objects.filter(uses__intervention=intervention, active=True).order_by(
        "pk"
    )
    questions: dict[int, list[int]] = {}
    for instrument_id, question_id in (
        InstrumentQuestion.objects.filter(instrument__in=instruments)
        .order_by("instrument_id", "order", "pk")
        .values_list("instrument_id", "pk")
    ):
        questions.setdefault(instrument_id, []).append(question_id)
    return [
        Schedule(
            key=instrument.pk,
            kind=instrument.kind,
            at_start=instrument.at_start,
            first_after_months=instrument.first_after_months,
            every_months=instrument.every_months,
            at_exit=instrument.at_exit,
            questions=tuple(questions.get(instrument.pk, ())) if instrument.records_answers else (),
            scale_min=instrument.scale_min,
            scale_max=instrument.scale_max,
            agree_from=instrument.agree_from,
        )
        for instrument in instruments
    ]


# Participants and their follow-up ------------------------------------------------

PARTICIPANT_COLUMNS = [
    "id",
    "association_id",
    "intervention_id",
    "code",
    "gender",
    "birth_year",
    "municipality_id",
    "referring_member_id",
    "referrer_other",
    "start",
    "support_at_start",
    "employment_at_start",
    "education",
    "months_without_work",
    "exit",
    "outcome",
    "support_at_exit",
    "employment_at_exit",
    "handover_to_id",
    "consent",
]
RESPONSE_COLUMNS = ["id", "association_id", "participant_id", "instrument_id", "date", "occasion"]
ANSWER_COLUMNS = ["association_id", "response_id", "question_id", "value"]


@dataclass
class Batch:
    """One insats's participants to make: how many, when, and with what."""

    intervention: Intervention
    count: int
    first: datetime.date
    last: datetime.date
    closes: datetime.date | None
    schedules: list[Schedule]


class Writer:
    """Draws participants and follow-up for insatser of one förbund and writes them."""

    def __init__(self, *, association: Association, today: datetime.date) -> None:
        self.association = association
        self.today = today
        members = list(Member.objects.filter(association=association))
        self.member_ids = {member.name: member.pk for member in members}
        populations = dict(
            Population.objects.filter(association=association)
            .order_by("year")
            .values_list("member__name", "population")
        )
        municipalities = [
            (member.name, populations.get(member.name, 10_000))
            for member in members
            if member.kind == Member.Kind.MUNICIPALITY
        ]
        state = [m.name for m in members if m.kind == Member.Kind.STATE]
        state.sort(key=lambda name: name != "Försäkringskassan")
        region = next((m.name for m in members if m.kind == Member.Kind.REGION), "")
        while len(state) < 2:
            state.append(state[0] if state else region)
        self.places = Places(municipalities=municipalities, state=state, region=region)

    def write(
        self,
        rng: random.Random,
        batches: Sequence[Batch],
        *,
        responses_per_participant: float,
        first_number: int,
    ) -> Summary:
        summary = Summary()
        today = self.today
        drawn: list[tuple[Batch, list[SyntheticParticipant]]] = []
        due: list[list[list[tuple[datetime.date, str]]]] = []  # per person, per schedule
        number = first_number
        candidates = 0
        for batch in batches:
            people = []
            for _ in range(batch.count):
                people.append(
                    participant_generate(
                        rng,
                        number=number,
                        places=self.places,
                        first=batch.first,
                        last=batch.last,
                        today=today,
                        closes=batch.closes,
                    )
                )
                number += 1
            for person in people:
                occasions = [follow_up_due(schedule, person, today) for schedule in batch.schedules]
                candidates += sum(len(found) for found in occasions)
                due.append(occasions)
            drawn.append((batch, people))
        total_people = sum(len(people) for _batch, people in drawn)
        # Not every due occasion is done: keep a share that gives the wanted number.
        keep = min(1.0, responses_per_participant * total_people / max(1, candidates))

        participant_id = next_id(Participant)
        response_id = next_id(Response)
        association_id = self.association.pk
        ids = self.member_ids
        participant_rows: list[tuple[Any, ...]] = []
        response_rows: list[tuple[Any, ...]] = []
        answer_rows: list[tuple[Any, ...]] = []
        occasions_of = iter(due)
        for batch, people in drawn:
            for person in people:
                occasions = next(occasions_of)
                participant_rows.append(
                    (
                        participant_id,
                        association_id,
                        batch.intervention.pk,
                        person.code,
                        person.gender,
                        person.birth_year,
                        ids.get(person.municipality or ""),
                        ids.get(person.referring_member or ""),
                        person.referrer_other,
                        person.start,
                        person.support_at_start,
                        person.employment_at_start,
                        person.education,
                        person.months_without_work,
                        person.exit,
                        person.outcome,
                        person.support_at_exit,
                        person.employment_at_exit,
                        ids.get(person.handover_to or ""),
                        person.consent,
                    )
                )
                summary.exited += person.exit is not None
                summary.step_progress += person.step_progress
                for schedule, scheduled in zip(batch.schedules, occasions, strict=True):
                    baseline = assessment_baseline(rng, schedule)
                    days: set[datetime.date] = set()  # one response a day per instrument
                    for day, occasion in scheduled:
                        if rng.random() >= keep:
                            continue
                        when = follow_up_date(rng, day, occasion, person, today)
                        if when in days:
                            continue
                        days.add(when)
                        response_rows.append(
                            (
                                response_id,
                                association_id,
                                participant_id,
                                schedule.key,
                                when,
                                occasion,
                            )
                        )
                        for question, value in follow_up_answers(
                            rng, schedule, person, when, baseline
                        ):
                            answer_rows.append((association_id, response_id, question, value))
                        response_id += 1
                participant_id += 1
        summary.participants = RawTable(Participant, PARTICIPANT_COLUMNS).insert(participant_rows)
        summary.responses = RawTable(Response, RESPONSE_COLUMNS).insert(response_rows)
        summary.answers = RawTable(ResponseAnswer, ANSWER_COLUMNS).insert(answer_rows)
        return summary


def anonymous_counts(
    rng: random.Random, intervention: Intervention, first: datetime.date, last: datetime.date
) -> list[AnonymousCount]:
    """A few anonymous participants (no consent, protected identity) per year."""
    rows = []
    for year in range(first.year, last.year + 1):
        for gender in (Gender.WOMAN, Gender.MAN, Gender.UNSPECIFIED):
            mean = 0.2 if gender == Gender.UNSPECIFIED else 1.5
            count = int(rng.expovariate(1 / mean))
            if count:
                rows.append(
                    AnonymousCount(
                        association=intervention.association,
                        intervention=intervention,
                        year=year,
                        gender=gender.value,
                        count=count,
                    )
                )
    return rows
