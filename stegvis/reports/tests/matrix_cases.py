"""This app's rows of the permission matrix (collected by core/tests/test_permissions.py):
the reports for everyone who may read them (kansli, insatsansvarig, styrelse/läsare)."""

from __future__ import annotations

from collections.abc import Callable

from stegvis.conftest import World
from stegvis.core.tests.matrix import Case, f

REPORT_READERS = frozenset({"chief", "intervention_owner", "reader"})
REPORT_EDITORS = frozenset({"chief"})

CASES: list[Case] = [
    Case("reports:home", lambda w: f(w, "rapporter/"), REPORT_READERS),
    # The verksamhetsplan, its PDF and its texts (views_plan.py).
    Case("reports:plan", lambda w: f(w, "rapporter/verksamhetsplan/2024/"), REPORT_READERS),
    Case("reports:plan_pdf", lambda w: f(w, "rapporter/verksamhetsplan/2024.pdf"), REPORT_READERS),
    Case(
        "reports:plan_texts",
        lambda w: f(w, "rapporter/verksamhetsplan/2024/texter/"),
        REPORT_EDITORS,
    ),
    Case(
        "reports:plan_texts",
        lambda w: f(w, "rapporter/verksamhetsplan/2024/texter/"),
        REPORT_EDITORS,
        method="post",
        ok=302,
        data=lambda w: {"version": 0, "vision": "Rätt stöd i rätt tid."},
    ),
    Case("reports:finsam", lambda w: f(w, "rapporter/uppfoljning-finsam/2024/"), REPORT_READERS),
    Case(
        "reports:finsam_xlsx",
        lambda w: f(w, "rapporter/uppfoljning-finsam/2024.xlsx"),
        REPORT_READERS,
    ),
    # Delårsrapport and verksamhetsberättelse (views_periodic.py).
    Case("reports:interim", lambda w: f(w, "rapporter/delarsrapport/2024/1/"), REPORT_READERS),
    Case(
        "reports:interim_pdf", lambda w: f(w, "rapporter/delarsrapport/2024/2.pdf"), REPORT_READERS
    ),
    Case(
        "reports:interim_xlsx",
        lambda w: f(w, "rapporter/delarsrapport/2024/1.xlsx"),
        REPORT_READERS,
    ),
    Case("reports:annual", lambda w: f(w, "rapporter/verksamhetsberattelse/2024/"), REPORT_READERS),
    Case(
        "reports:annual_pdf",
        lambda w: f(w, "rapporter/verksamhetsberattelse/2024.pdf"),
        REPORT_READERS,
    ),
    Case(
        "reports:annual_xlsx",
        lambda w: f(w, "rapporter/verksamhetsberattelse/2024.xlsx"),
        REPORT_READERS,
    ),
    # The SUS reports: deltagarrapport, insatsrapport, kostnadsrapport (views_sus.py).
    Case("reports:sus_participants", lambda w: f(w, "rapporter/deltagarrapport/"), REPORT_READERS),
    Case(
        "reports:sus_participants_pdf",
        lambda w: f(w, "rapporter/deltagarrapport/rapport.pdf"),
        REPORT_READERS,
    ),
    Case(
        "reports:sus_participants_export",
        lambda w: f(w, "rapporter/deltagarrapport/export.xlsx"),
        REPORT_READERS,
    ),
    Case("reports:sus_interventions", lambda w: f(w, "rapporter/insatsrapport/"), REPORT_READERS),
    Case(
        "reports:sus_interventions_pdf",
        lambda w: f(w, "rapporter/insatsrapport/rapport.pdf"),
        REPORT_READERS,
    ),
    Case(
        "reports:sus_interventions_export",
        lambda w: f(w, "rapporter/insatsrapport/export.csv"),
        REPORT_READERS,
    ),
    Case("reports:sus_costs", lambda w: f(w, "rapporter/kostnadsrapport/"), REPORT_READERS),
    Case(
        "reports:sus_costs_pdf",
        lambda w: f(w, "rapporter/kostnadsrapport/rapport.pdf"),
        REPORT_READERS,
    ),
    Case(
        "reports:sus_costs_export",
        lambda w: f(w, "rapporter/kostnadsrapport/export.xlsx"),
        REPORT_READERS,
    ),
]


def _other_insats(world: World) -> int:
    from stegvis.participants.tests.factories import follow_up

    return follow_up(world).other_insats.pk


OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    (
        "sus_participants_insats",
        lambda w: f(w, f"rapporter/deltagarrapport/?insats={_other_insats(w)}"),
    ),
    (
        "sus_interventions_insats",
        lambda w: f(w, f"rapporter/insatsrapport/rapport.pdf?insats={_other_insats(w)}"),
    ),
]
