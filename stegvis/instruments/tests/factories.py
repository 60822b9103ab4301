"""Data for the instrument tests: the participant tests' insatser (`follow_up`), the
default instruments attached to the deltagaransvarig's insats, and participants."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django_scopes import scopes_disabled

from stegvis.instruments.defaults import ASSESSMENT, SCREENING, SURVEY, attach_defaults
from stegvis.instruments.models import Instrument
from stegvis.interventions.models import Intervention
from stegvis.participants.models import Participant
from stegvis.participants.tests.factories import ParticipantFactory, follow_up


@dataclass
class Setup:
    insats: Intervention  # the deltagaransvarig's own, with the default instruments
    neighbour: Intervention  # the same förbund's, not theirs
    other_insats: Intervention  # the other förbund's
    assessment: Instrument
    screening: Instrument
    survey: Instrument
    participant: Participant  # in `insats`, started 2024-03-01
    neighbour_participant: Participant
    other_participant: Participant
    other_instrument: Instrument


def setup(world: Any) -> Setup:
    """Made once per test database; found by name after that."""
    data = follow_up(world)
    with scopes_disabled():
        if not Participant.objects.filter(code="INS-1").exists():
            attach_defaults(intervention=data.insats)
            attach_defaults(intervention=data.other_insats)
            ParticipantFactory(intervention=data.insats, code="INS-1")
            ParticipantFactory(intervention=data.neighbour, code="INS-2")
            ParticipantFactory(intervention=data.other_insats, code="INS-3")
        by_name = {i.name: i for i in Instrument.objects.filter(association=world.own)}
        return Setup(
            insats=data.insats,
            neighbour=data.neighbour,
            other_insats=data.other_insats,
            assessment=by_name[ASSESSMENT.name],
            screening=by_name[SCREENING.name],
            survey=by_name[SURVEY.name],
            participant=Participant.objects.get(code="INS-1"),
            neighbour_participant=Participant.objects.get(code="INS-2"),
            other_participant=Participant.objects.get(code="INS-3"),
            other_instrument=Instrument.objects.get(association=world.other, name=ASSESSMENT.name),
        )


def participant(insats: Intervention, code: str, start: datetime.date, **kwargs: Any) -> Any:
    with scopes_disabled():
        return ParticipantFactory(intervention=insats, code=code, start=start, **kwargs)
