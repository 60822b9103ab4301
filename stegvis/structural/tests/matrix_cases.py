"""This app's rows of the permission matrix (collected by core/tests/test_permissions.py)."""

from __future__ import annotations

from collections.abc import Callable

from stegvis.conftest import PEOPLE, World
from stegvis.core.tests.matrix import Case, f
from stegvis.structural.tests.factories_activities import activities_path
from stegvis.structural.tests.factories_deviations import deviations_path
from stegvis.structural.tests.factories_surveys import answer_path, surveys_path
from stegvis.structural.tests.factories_teams import teams_path

COLLABORATION_VIEWERS = frozenset(
    {"chief", "intervention_owner", "participant_registrar", "reader"}
)
DEVIATION_REPORTERS = frozenset({"chief", "intervention_owner", "participant_registrar"})
COLLABORATION_MANAGERS = frozenset({"chief"})

# Aktiviteter: everyone in Samverkan sees them and their exports, the kansli registers
# them and keeps the förbund's list of kinds.
ACTIVITY_CASES: list[Case] = [
    Case("structural:activity_list", lambda w: activities_path(w, ""), COLLABORATION_VIEWERS),
    Case(
        "structural:activity_export",
        lambda w: activities_path(w, "export.xlsx"),
        COLLABORATION_VIEWERS,
    ),
    Case(
        "structural:activity_counts_export",
        lambda w: activities_path(w, "sammanstallning.csv"),
        COLLABORATION_VIEWERS,
    ),
    Case(
        "structural:activity_detail",
        lambda w: activities_path(w, "{activity}/"),
        COLLABORATION_VIEWERS,
    ),
    Case(
        "structural:activity_create",
        lambda w: activities_path(w, "ny/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:activity_edit",
        lambda w: activities_path(w, "{activity}/andra/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:activity_delete",
        lambda w: activities_path(w, "{activity}/ta-bort/"),
        COLLABORATION_MANAGERS,
        method="post",
        ok=302,
    ),
    Case(
        "structural:activity_kinds",
        lambda w: activities_path(w, "slag/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:activity_kind_edit",
        lambda w: activities_path(w, "slag/{kind}/andra/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:activity_kind_delete",
        lambda w: activities_path(w, "slag/{kind}/ta-bort/"),
        COLLABORATION_MANAGERS,
        method="post",
        ok=302,
    ),
]
ACTIVITY_OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    ("activity_detail", lambda w: activities_path(w, "{other_activity}/")),
    ("activity_edit", lambda w: activities_path(w, "{other_activity}/andra/")),
    ("activity_kind_edit", lambda w: activities_path(w, "slag/{other_kind}/andra/")),
]

# Avvikelser och guldkorn: the board goes from the list to Lärande; a case one neither
# reported nor works on through its insats answers 404 (factories_deviations).
DEVIATION_CASES: list[Case] = [
    Case(
        "structural:deviation_list",
        lambda w: deviations_path(w, ""),
        DEVIATION_REPORTERS,
        denied={"reader": 302},
    ),
    Case("structural:deviation_create", lambda w: deviations_path(w, "ny/"), DEVIATION_REPORTERS),
    Case(
        "structural:deviation_export",
        lambda w: deviations_path(w, "export.xlsx"),
        DEVIATION_REPORTERS,
    ),
    Case(
        "structural:deviation_detail",
        lambda w: deviations_path(w, "{reported}/"),
        DEVIATION_REPORTERS,
    ),
    Case(
        "structural:deviation_detail",
        lambda w: deviations_path(w, "{kansli}/"),
        COLLABORATION_MANAGERS,
        denied={"intervention_owner": 404, "participant_registrar": 404},
    ),
    Case(
        "structural:deviation_handle",
        lambda w: deviations_path(w, "{reported}/hantera/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:deviation_learning",
        lambda w: deviations_path(w, "larande/"),
        COLLABORATION_VIEWERS,
    ),
    Case(
        "structural:deviation_learning_export",
        lambda w: deviations_path(w, "larande/export.xlsx"),
        COLLABORATION_VIEWERS,
    ),
    Case(
        "structural:deviation_categories",
        lambda w: deviations_path(w, "kategorier/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:deviation_category_edit",
        lambda w: deviations_path(w, "kategorier/{category}/"),
        COLLABORATION_MANAGERS,
    ),
]
DEVIATION_OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    ("deviation_detail", lambda w: deviations_path(w, "{other}/")),
    ("deviation_handle", lambda w: deviations_path(w, "{other}/hantera/")),
    ("deviation_category_edit", lambda w: deviations_path(w, "kategorier/{other_category}/")),
]

# Samverkansenkäter: rounds and results for everyone in Samverkan, rounds and links for
# the kansli; the answer page through a link is public, for anyone with the link.
SURVEY_CASES: list[Case] = [
    Case("structural:survey_list", lambda w: surveys_path(w, ""), COLLABORATION_VIEWERS),
    Case("structural:survey_create", lambda w: surveys_path(w, "ny/"), COLLABORATION_MANAGERS),
    Case("structural:survey_round", lambda w: surveys_path(w, "{round}/"), COLLABORATION_VIEWERS),
    Case(
        "structural:survey_edit",
        lambda w: surveys_path(w, "{round}/andra/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:survey_tokens",
        lambda w: surveys_path(w, "{round}/lankar/"),
        COLLABORATION_MANAGERS,
        method="post",
        data=lambda w: {"styrelse": 2},
    ),
    Case(
        "structural:survey_results",
        lambda w: surveys_path(w, "{round}/resultat/"),
        COLLABORATION_VIEWERS,
    ),
    Case(
        "structural:survey_export",
        lambda w: surveys_path(w, "{round}/resultat.xlsx"),
        COLLABORATION_VIEWERS,
    ),
    Case("survey:answer", lambda w: answer_path(w), frozenset(PEOPLE)),
    Case("survey:thanks", lambda w: answer_path(w, used=True, thanks=True), frozenset(PEOPLE)),
]
SURVEY_OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    ("survey_round", lambda w: surveys_path(w, "{other_round}/")),
    ("survey_edit", lambda w: surveys_path(w, "{other_round}/andra/")),
    ("survey_results", lambda w: surveys_path(w, "{other_round}/resultat/")),
    ("survey_export", lambda w: surveys_path(w, "{other_round}/resultat.csv")),
]

# Konsultationsteam: everyone in Samverkan sees the teams and meetings, the kansli
# changes them; the financing basis is money paid to the members, so it also needs
# VIEW_BUDGET (the deltagaransvarig gets 403).
FINANCING_VIEWERS = frozenset({"chief", "intervention_owner", "reader"})
TEAM_CASES: list[Case] = [
    Case("structural:team_list", lambda w: teams_path(w, ""), COLLABORATION_VIEWERS),
    Case("structural:team_create", lambda w: teams_path(w, "nytt/"), COLLABORATION_MANAGERS),
    Case("structural:team_detail", lambda w: teams_path(w, "{team}/"), COLLABORATION_VIEWERS),
    Case(
        "structural:team_export",
        lambda w: teams_path(w, "{team}/export.xlsx"),
        COLLABORATION_VIEWERS,
    ),
    Case("structural:team_edit", lambda w: teams_path(w, "{team}/andra/"), COLLABORATION_MANAGERS),
    Case(
        "structural:representative_create",
        lambda w: teams_path(w, "{team}/representant/ny/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:representative_replace",
        lambda w: teams_path(w, "representant/{representative}/byt/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:representative_end",
        lambda w: teams_path(w, "representant/{representative}/avsluta/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:meeting_create",
        lambda w: teams_path(w, "{team}/mote/nytt/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:meeting_detail",
        lambda w: teams_path(w, "mote/{meeting}/"),
        COLLABORATION_VIEWERS,
    ),
    Case(
        "structural:meeting_edit",
        lambda w: teams_path(w, "mote/{meeting}/andra/"),
        COLLABORATION_MANAGERS,
    ),
    Case(
        "structural:meeting_cancel",
        lambda w: teams_path(w, "mote/{meeting}/stall-in/"),
        COLLABORATION_MANAGERS,
    ),
    Case("structural:financing", lambda w: teams_path(w, "finansiering/"), FINANCING_VIEWERS),
    Case(
        "structural:financing_export",
        lambda w: teams_path(w, "finansiering/export.xlsx"),
        FINANCING_VIEWERS,
    ),
    Case("structural:rates", lambda w: teams_path(w, "ersattning/"), COLLABORATION_MANAGERS),
    Case(
        "structural:rate_delete",
        lambda w: teams_path(w, "ersattning/{rate}/ta-bort/"),
        COLLABORATION_MANAGERS,
        method="post",
        ok=302,
    ),
]
TEAM_OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    ("team_detail", lambda w: teams_path(w, "{other_team}/")),
    ("team_edit", lambda w: teams_path(w, "{other_team}/andra/")),
    ("team_export", lambda w: teams_path(w, "{other_team}/export.xlsx")),
    ("team_meeting_create", lambda w: teams_path(w, "{other_team}/mote/nytt/")),
    ("team_representative_create", lambda w: teams_path(w, "{other_team}/representant/ny/")),
    ("representative_replace", lambda w: teams_path(w, "representant/{other_representative}/byt/")),
    ("representative_end", lambda w: teams_path(w, "representant/{other_representative}/avsluta/")),
    ("meeting_detail", lambda w: teams_path(w, "mote/{other_meeting}/")),
    ("meeting_edit", lambda w: teams_path(w, "mote/{other_meeting}/andra/")),
    ("meeting_cancel", lambda w: teams_path(w, "mote/{other_meeting}/stall-in/")),
    ("financing_of_other_team", lambda w: teams_path(w, "finansiering/?team={other_team}")),
]

CASES: list[Case] = [
    Case("structural:home", lambda w: f(w, "samverkan/"), COLLABORATION_VIEWERS),
    *ACTIVITY_CASES,
    *DEVIATION_CASES,
    *SURVEY_CASES,
    *TEAM_CASES,
]
OTHER_ASSOCIATION_OBJECTS: list[tuple[str, Callable[[World], str]]] = [
    *ACTIVITY_OTHER_ASSOCIATION_OBJECTS,
    *DEVIATION_OTHER_ASSOCIATION_OBJECTS,
    *SURVEY_OTHER_ASSOCIATION_OBJECTS,
    *TEAM_OTHER_ASSOCIATION_OBJECTS,
]
