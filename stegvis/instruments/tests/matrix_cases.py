"""This app's rows of the permission matrix (collected by core/tests/test_permissions.py).

The matrix's förbund lets the kansli see participant rows (`Policy.kansli_sees_rows`),
so the förbundschef reads the due list and a participant's follow-ups (200) but does
not register (403); without that setting the rows answer 404 to the kansli
(test_pages.py). The deltagaransvarig works on the insats."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.core.tests.matrix import INTERVENTION_VIEWERS, KANSLI, Case, f
from stegvis.instruments import services
from stegvis.instruments.models import Response
from stegvis.instruments.tests.factories import Setup, setup
from stegvis.participants.access import policy_for

ROWS = frozenset({"chief", "participant_registrar"})
REGISTRAR = frozenset({"participant_registrar"})


def _data(world: World) -> tuple[Setup, Response]:
    data = setup(world)
    with scopes_disabled():
        policy = policy_for(world.own)
        if not policy.kansli_sees_rows:
            policy.kansli_sees_rows = True
            policy.save()
        response = Response.objects.filter(participant=data.participant).first()
        if response is None:
            response = services.response_record(
                actor=None,
                participant=data.participant,
                instrument=data.screening,
                date=datetime.date(2024, 3, 4),
                occasion="start",
            )
    return data, response


def path(rest: str) -> Callable[[World], str]:
    """/f/<own>/instrument/<rest>, with {instrument} (the assessment), {question} (its
    first), {free_question} (the survey's last, without answers), {survey},
    {insats}, {neighbour}, {participant}, {response} and the other förbund's
    {other_instrument}, {other_insats}, {other_participant}."""

    def make(world: World) -> str:
        data, response = _data(world)
        with scopes_disabled():
            values: dict[str, Any] = {
                "instrument": data.assessment.pk,
                "question": data.assessment.questions.first().pk,
                "free_question": data.survey.questions.last().pk,
                "survey": data.survey.pk,
                "insats": data.insats.pk,
                "neighbour": data.neighbour.pk,
                "participant": data.participant.pk,
                "response": response.pk,
                "other_instrument": data.other_instrument.pk,
                "other_insats": data.other_insats.pk,
                "other_participant": data.other_participant.pk,
            }
        return f(world, "instrument/" + rest.format(**values))

    return make


def _neighbour(world: World) -> dict[str, Any]:
    return {"intervention": setup(world).neighbour.pk}


CASES: list[Case] = [
    Case("instruments:list", path(""), frozenset(INTERVENTION_VIEWERS)),
    Case("instruments:defaults_install", path("standard/"), KANSLI, method="post", ok=302),
    Case("instruments:create", path("ny/"), KANSLI),
    Case("instruments:detail", path("{instrument}/"), frozenset(INTERVENTION_VIEWERS)),
    Case("instruments:export", path("export.xlsx"), frozenset(INTERVENTION_VIEWERS)),
    Case("instruments:edit", path("{instrument}/andra/"), KANSLI),
    Case(
        "instruments:question_add",
        path("{instrument}/fragor/"),
        KANSLI,
        method="post",
        ok=302,
        data=lambda w: {"text": "Hur mår du i dag?", "short_label": "I dag"},
    ),
    Case("instruments:question_edit", path("{instrument}/fragor/{question}/"), KANSLI),
    Case(
        "instruments:question_move",
        path("{instrument}/fragor/{question}/flytta/"),
        KANSLI,
        method="post",
        ok=302,
        data=lambda w: {"direction": "down"},
    ),
    Case(
        "instruments:question_delete",
        path("{survey}/fragor/{free_question}/ta-bort/"),
        KANSLI,
        method="post",
        ok=302,
    ),
    Case(
        "instruments:attach",
        path("{instrument}/insatser/"),
        KANSLI,
        method="post",
        ok=302,
        data=_neighbour,
    ),
    Case(
        "instruments:detach",
        path("{instrument}/insatser/{insats}/ta-bort/"),
        KANSLI,
        method="post",
        ok=302,
    ),
    Case("instruments:due", path("insats/{insats}/att-gora/"), ROWS),
    Case("instruments:due_export", path("insats/{insats}/att-gora.xlsx"), ROWS),
    Case("instruments:participant_follow_up", path("deltagare/{participant}/"), ROWS),
    Case(
        "instruments:response_create",
        path("deltagare/{participant}/instrument/{instrument}/"),
        REGISTRAR,
    ),
    Case(
        "instruments:response_delete",
        path("deltagare/{participant}/svar/{response}/ta-bort/"),
        REGISTRAR,
        method="post",
        ok=302,
    ),
]

# (name, path) of another förbund's objects reached through the own förbund's URLs: 404.
OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    ("instrument_detail", path("{other_instrument}/")),
    ("instrument_edit", path("{other_instrument}/andra/")),
    ("instrument_due_list", path("insats/{other_insats}/att-gora/")),
    ("instrument_due_export", path("insats/{other_insats}/att-gora.xlsx")),
    ("participant_follow_up", path("deltagare/{other_participant}/")),
]
