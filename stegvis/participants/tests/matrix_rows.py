"""Rows of the permission matrix for this part of the participants app: the start
page, an insats's rows, one participant, anonymous counts, the rules and the
kompletterande frågor.

The deltagaransvarig works on "Stegen" (`factories.follow_up`). The förbundschef holds
the row permissions but sees no rows while the förbund's policy keeps them from the
kansli (the default): the insats boundary answers 404, as for any insats one does not
work on. Everyone else of the förbund lacks the permission: 403.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.core.tests.matrix import INTERVENTION_VIEWERS, KANSLI, Case, f
from stegvis.participants.models import Participant, Question
from stegvis.participants.tests.factories import ParticipantFactory, follow_up

REGISTRAR = frozenset({"participant_registrar"})
# The chief holds the permission, not the insats.
BOUNDARY = {"chief": 404}
AGGREGATE_VIEWERS = frozenset(INTERVENTION_VIEWERS)  # chief, owner, registrar, reader


@dataclass
class RowData:
    participant: Participant
    question: Question
    other_participant: Participant
    other_question: Question


def rows_data(world: World) -> RowData:
    """A participant of Stegen and a question of the own förbund; the same of the
    other förbund (made on first use, found by code after that)."""
    data = follow_up(world)
    with scopes_disabled():
        participant = Participant.objects.filter(intervention=data.insats, code="MX-001").first()
        if participant is None:
            participant = ParticipantFactory(
                intervention=data.insats, code="MX-001", start=datetime.date(2024, 2, 1)
            )
            ParticipantFactory(
                intervention=data.other_insats, code="MX-901", start=datetime.date(2024, 2, 1)
            )
            Question.objects.create(association=world.own, text="Har du körkort?")
            Question.objects.create(association=world.other, text="Har du bil?")
        return RowData(
            participant=participant,
            question=Question.objects.get(association=world.own, text="Har du körkort?"),
            other_participant=Participant.objects.get(
                intervention=data.other_insats, code="MX-901"
            ),
            other_question=Question.objects.get(association=world.other, text="Har du bil?"),
        )


def insats(world: World, rest: str = "") -> str:
    return f(world, f"deltagare/insats/{follow_up(world).insats.pk}/{rest}")


def participant(world: World, rest: str = "") -> str:
    return f(world, f"deltagare/{rows_data(world).participant.pk}/{rest}")


CASES: list[Case] = [
    Case("participants:home", lambda w: f(w, "deltagare/"), AGGREGATE_VIEWERS),
    Case("participants:intervention", lambda w: insats(w), REGISTRAR, denied=BOUNDARY),
    Case(
        "participants:participant_create",
        lambda w: insats(w, "ny/"),
        REGISTRAR,
        denied=BOUNDARY,
    ),
    Case("participants:anonymous", lambda w: insats(w, "anonyma/"), REGISTRAR, denied=BOUNDARY),
    Case(
        "participants:participant_detail",
        lambda w: participant(w),
        REGISTRAR,
        denied=BOUNDARY,
    ),
    Case(
        "participants:participant_edit",
        lambda w: participant(w, "andra/"),
        REGISTRAR,
        denied=BOUNDARY,
    ),
    Case(
        "participants:participant_exit",
        lambda w: participant(w, "avsluta/"),
        REGISTRAR,
        denied=BOUNDARY,
    ),
    Case(
        "participants:participant_answer",
        lambda w: participant(w, "svar/"),
        REGISTRAR,
        denied=BOUNDARY,
    ),
    Case(
        "participants:participant_delete",
        lambda w: participant(w, "ta-bort/"),
        REGISTRAR,
        method="post",
        ok=302,
        denied=BOUNDARY,
    ),
    Case("participants:policy", lambda w: f(w, "deltagare/installningar/"), frozenset(KANSLI)),
    Case("participants:question_list", lambda w: f(w, "deltagare/fragor/"), frozenset(KANSLI)),
    Case(
        "participants:question_export",
        lambda w: f(w, "deltagare/fragor/export.xlsx"),
        frozenset(KANSLI),
    ),
    Case("participants:question_create", lambda w: f(w, "deltagare/fragor/ny/"), frozenset(KANSLI)),
    Case(
        "participants:question_edit",
        lambda w: f(w, f"deltagare/fragor/{rows_data(w).question.pk}/"),
        frozenset(KANSLI),
    ),
]

OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    (
        "participants_intervention",
        lambda w: f(w, f"deltagare/insats/{follow_up(w).other_insats.pk}/"),
    ),
    (
        "participants_participant_create",
        lambda w: f(w, f"deltagare/insats/{follow_up(w).other_insats.pk}/ny/"),
    ),
    (
        "participants_participant_detail",
        lambda w: f(w, f"deltagare/{rows_data(w).other_participant.pk}/"),
    ),
    (
        "participants_participant_edit",
        lambda w: f(w, f"deltagare/{rows_data(w).other_participant.pk}/andra/"),
    ),
    (
        "participants_question_edit",
        lambda w: f(w, f"deltagare/fragor/{rows_data(w).other_question.pk}/"),
    ),
]
