"""Every URL × every role × own/other förbund (STYLE.md, after pretix's test_permissions).

The expected access is written out here, not derived from roles.py, so that a
change to a role's permissions shows up as a failing row someone must look at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from stegvis.conftest import PEOPLE, World
from stegvis.core.tests.matrix import (
    APPLICANTS,
    ASSOCIATION_STAFF,
    BUDGET_EDITORS,
    BUDGET_VIEWERS,
    EVERYONE_LOGGED_IN,
    INTERVENTION_EDITORS,
    INTERVENTION_VIEWERS,
    KANSLI,
    MANAGERS,
    TENANT_NAMESPACES,
    Case,
    f,
)
from stegvis.finance.tests.factories import line_of, other_line, other_plan, plan_for
from stegvis.finance.tests.test_actuals_support import actuals_path
from stegvis.goals.tests import matrix_cases as goal_rows
from stegvis.instruments.tests import matrix_cases as instrument_rows
from stegvis.interventions.tests.access import interventions_path
from stegvis.participants.tests import matrix_cases as participant_rows
from stegvis.reports.tests import matrix_cases as report_rows
from stegvis.structural.tests import matrix_cases as structural_rows


def own_plan_year(world: World) -> int:
    return plan_for(world).first_year


CASES = [
    Case("core:home", lambda w: "/", frozenset(EVERYONE_LOGGED_IN), ok=302),
    Case("core:picker", lambda w: "/forbund/", frozenset(EVERYONE_LOGGED_IN)),
    Case("core:association_create", lambda w: "/forbund/nytt/", frozenset({"system_admin"})),
    Case("core:national", lambda w: "/nationellt/", frozenset({"national_reader"})),
    Case(
        "core:national_export",
        lambda w: "/nationellt/export.xlsx",
        frozenset({"national_reader"}),
    ),
    Case("core:healthz", lambda w: "/healthz", frozenset(PEOPLE)),
    Case("accounts:account", lambda w: "/konto/", frozenset(EVERYONE_LOGGED_IN)),
    Case("accounts:login", lambda w: "/konto/logga-in/", frozenset({"anonymous"})),
    Case("accounts:logout", lambda w: "/konto/logga-ut/", frozenset(PEOPLE), method="post", ok=302),
    Case("accounts:verify", lambda w: "/konto/tvafaktor/", frozenset(EVERYONE_LOGGED_IN), ok=302),
    Case("accounts:enrol", lambda w: "/konto/tvafaktor/aktivera/", frozenset(EVERYONE_LOGGED_IN)),
    Case("accounts:password_change", lambda w: "/konto/losenord/", frozenset(EVERYONE_LOGGED_IN)),
    Case(
        "set_language",
        lambda w: "/i18n/setlang/",
        frozenset(PEOPLE),
        method="post",
        ok=302,
        data=lambda w: {"language": "en", "next": "/"},
    ),
    Case("associations:overview", lambda w: f(w), frozenset(ASSOCIATION_STAFF)),
    Case("associations:edit", lambda w: f(w, "installningar/forbundet/"), frozenset(MANAGERS)),
    Case(
        "associations:member_list",
        lambda w: f(w, "installningar/medlemmar/"),
        frozenset(ASSOCIATION_STAFF),
    ),
    Case(
        "associations:member_export",
        lambda w: f(w, "installningar/medlemmar/export.xlsx"),
        frozenset(ASSOCIATION_STAFF),
    ),
    Case(
        "associations:member_create",
        lambda w: f(w, "installningar/medlemmar/ny/"),
        frozenset(MANAGERS),
    ),
    Case(
        "associations:member_edit",
        lambda w: f(w, f"installningar/medlemmar/{w.member.pk}/"),
        frozenset(MANAGERS),
    ),
    Case(
        "associations:population_set",
        lambda w: f(w, f"installningar/medlemmar/{w.member.pk}/folkmangd/"),
        frozenset(MANAGERS),
        method="post",
        ok=302,
        data=lambda w: {"year": 2025, "population": 12_400},
    ),
    Case(
        "associations:group_list",
        lambda w: f(w, "installningar/organisation/"),
        frozenset(ASSOCIATION_STAFF),
    ),
    Case(
        "associations:group_export",
        lambda w: f(w, "installningar/organisation/export.csv"),
        frozenset(ASSOCIATION_STAFF),
    ),
    Case(
        "associations:group_create",
        lambda w: f(w, "installningar/organisation/ny/"),
        frozenset(MANAGERS),
    ),
    Case(
        "associations:group_detail",
        lambda w: f(w, f"installningar/organisation/{w.group.pk}/"),
        frozenset(ASSOCIATION_STAFF),
    ),
    Case(
        "associations:group_edit",
        lambda w: f(w, f"installningar/organisation/{w.group.pk}/andra/"),
        frozenset(MANAGERS),
    ),
    Case(
        "associations:group_delete",
        lambda w: f(w, f"installningar/organisation/{w.group.pk}/ta-bort/"),
        frozenset(MANAGERS),
        method="post",
        ok=302,
    ),
    Case(
        "associations:seat_create",
        lambda w: f(w, f"installningar/organisation/{w.group.pk}/platser/"),
        frozenset(MANAGERS),
        method="post",
        ok=302,
        data=lambda w: {"person_name": "Ny Ledamot", "function": "deputy", "member": w.member.pk},
    ),
    Case(
        "associations:seat_delete",
        lambda w: f(w, f"installningar/organisation/{w.group.pk}/platser/{w.seat.pk}/ta-bort/"),
        frozenset(MANAGERS),
        method="post",
        ok=302,
    ),
    Case(
        "associations:person_list", lambda w: f(w, "installningar/personer/"), frozenset(MANAGERS)
    ),
    Case(
        "associations:person_export",
        lambda w: f(w, "installningar/personer/export.xlsx"),
        frozenset(MANAGERS),
    ),
    Case(
        "associations:person_add", lambda w: f(w, "installningar/personer/ny/"), frozenset(MANAGERS)
    ),
    Case(
        "associations:person_edit",
        lambda w: f(w, f"installningar/personer/{w.membership.pk}/"),
        frozenset(MANAGERS),
    ),
    Case(
        "associations:person_remove",
        lambda w: f(w, f"installningar/personer/{w.membership.pk}/ta-bort/"),
        frozenset(MANAGERS),
        method="post",
        ok=302,
    ),
    Case("audit:entry_list", lambda w: f(w, "installningar/logg/"), frozenset(MANAGERS)),
    Case(
        "audit:entry_export", lambda w: f(w, "installningar/logg/export.xlsx"), frozenset(MANAGERS)
    ),
    Case("finance:budget", lambda w: f(w, "ekonomi/"), frozenset(BUDGET_VIEWERS)),
    Case(
        "finance:plan_detail",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/"),
        frozenset(BUDGET_VIEWERS),
    ),
    Case("finance:plan_create", lambda w: f(w, "ekonomi/ny/"), frozenset(BUDGET_EDITORS)),
    Case("finance:plan_upload", lambda w: f(w, "ekonomi/ladda-upp/"), frozenset(BUDGET_EDITORS)),
    Case(
        "finance:plan_template", lambda w: f(w, "ekonomi/planmall.xlsx"), frozenset(BUDGET_EDITORS)
    ),
    Case(
        "finance:plan_edit",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/andra/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "finance:budget_export",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/budget.xlsx"),
        frozenset(BUDGET_VIEWERS),
    ),
    Case(
        "finance:plan_export",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/planfil.yaml"),
        frozenset(BUDGET_VIEWERS),
    ),
    Case(
        "finance:line_create",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/rader/ny/kostnad/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "finance:line_edit",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/rader/{line_of(w).pk}/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "finance:line_delete",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/rader/{line_of(w).pk}/ta-bort/"),
        frozenset(BUDGET_EDITORS),
        method="post",
        ok=302,
    ),
    Case(
        "finance:rules_edit",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/regler/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "finance:contributions",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/medlemsavgifter/"),
        frozenset(BUDGET_VIEWERS),
    ),
    Case(
        "finance:contributions_export",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/medlemsavgifter/export.xlsx"),
        frozenset(BUDGET_VIEWERS),
    ),
    Case(
        "finance:contribution_total_edit",
        lambda w: f(w, f"ekonomi/{plan_for(w).first_year}/medlemsavgifter/andra/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case("actuals:index", lambda w: actuals_path(w, ""), frozenset(BUDGET_VIEWERS)),
    Case(
        "actuals:index_export", lambda w: actuals_path(w, "export.xlsx"), frozenset(BUDGET_VIEWERS)
    ),
    Case("actuals:followup", lambda w: actuals_path(w, "2024/t1/"), frozenset(BUDGET_VIEWERS)),
    Case(
        "actuals:followup_export",
        lambda w: actuals_path(w, "2024/t1/export.xlsx"),
        frozenset(BUDGET_VIEWERS),
    ),
    Case(
        "actuals:record",
        lambda w: actuals_path(w, "2024/t1/registrera/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "actuals:import_upload",
        lambda w: actuals_path(w, "2024/t1/import/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "actuals:import_confirm",
        lambda w: actuals_path(w, "2024/t1/import/spara/"),
        frozenset(BUDGET_EDITORS),
        method="post",
        ok=302,
        # "Administration;100" as the preview page carries it (base64).
        data=lambda w: {
            "content": "QWRtaW5pc3RyYXRpb247MTAwCg==",
            "filename": "u.csv",
            "unit": "kr",
        },
    ),
    Case(
        "actuals:import_template",
        lambda w: actuals_path(w, "2024/importmall.xlsx"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "actuals:forecast_edit",
        lambda w: actuals_path(w, "2024/t1/prognos/{line}/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "actuals:forecast_remove",
        lambda w: actuals_path(w, "2024/t1/prognos/{line}/ta-bort/"),
        frozenset(BUDGET_EDITORS),
        method="post",
        ok=302,
    ),
    Case("actuals:period_list", lambda w: actuals_path(w, "perioder/"), frozenset(BUDGET_EDITORS)),
    Case(
        "actuals:period_create",
        lambda w: actuals_path(w, "perioder/ny/"),
        frozenset(BUDGET_EDITORS),
        method="post",
        ok=302,
        data=lambda w: {"name": "Delår (jan–jun)", "end_month": 6},
    ),
    Case(
        "actuals:period_edit",
        lambda w: actuals_path(w, "perioder/{period}/"),
        frozenset(BUDGET_EDITORS),
    ),
    Case(
        "actuals:period_delete",
        lambda w: actuals_path(w, "perioder/{period}/ta-bort/"),
        frozenset(BUDGET_EDITORS),
        method="post",
        ok=302,
    ),
    Case(
        "interventions:list", lambda w: interventions_path(w, ""), frozenset(INTERVENTION_VIEWERS)
    ),
    Case(
        "interventions:export",
        lambda w: interventions_path(w, "export.xlsx"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case("interventions:create", lambda w: interventions_path(w, "ny/"), frozenset(KANSLI)),
    Case(
        "interventions:target_groups",
        lambda w: interventions_path(w, "malgrupper/"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:target_group_export",
        lambda w: interventions_path(w, "malgrupper/export.csv"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:detail",
        lambda w: interventions_path(w, "{insats}/"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:edit",
        lambda w: interventions_path(w, "{insats}/andra/"),
        frozenset(INTERVENTION_EDITORS),
    ),
    Case(
        "interventions:status",
        lambda w: interventions_path(w, "{insats}/status/"),
        frozenset(INTERVENTION_EDITORS),
        method="post",
        ok=302,
        data=lambda w: {"status": "prepared"},
    ),
    Case(
        "interventions:planned_set",
        lambda w: interventions_path(w, "{insats}/planerade-deltagare/"),
        frozenset(INTERVENTION_EDITORS),
        method="post",
        ok=302,
        data=lambda w: {"year": 2026, "count": 12},
    ),
    Case(
        "interventions:target_add",
        lambda w: interventions_path(w, "{insats}/matpunkter/"),
        frozenset(INTERVENTION_EDITORS),
        method="post",
        ok=302,
        data=lambda w: {"text": "Minst 30 deltar", "metric": "participants"},
    ),
    Case(
        "interventions:target_delete",
        lambda w: interventions_path(w, "{insats}/matpunkter/{target}/ta-bort/"),
        frozenset(INTERVENTION_EDITORS),
        method="post",
        ok=302,
    ),
    Case(
        "interventions:document_add",
        lambda w: interventions_path(w, "{insats}/handlingar/"),
        frozenset(INTERVENTION_EDITORS),
        method="post",
        ok=302,
        data=lambda w: {"reference": "Dnr 9", "title": "Rapport"},
    ),
    Case(
        "interventions:document_delete",
        lambda w: interventions_path(w, "{insats}/handlingar/{document}/ta-bort/"),
        frozenset(INTERVENTION_EDITORS),
        method="post",
        ok=302,
    ),
    Case(
        "interventions:seat_add",
        lambda w: interventions_path(w, "{insats}/styrgrupp/"),
        frozenset(INTERVENTION_EDITORS),
        method="post",
        ok=302,
        data=lambda w: {"person_name": "Ny Ledamot", "function": "participant"},
    ),
    Case(
        "interventions:seat_delete",
        lambda w: interventions_path(w, "{insats}/styrgrupp/{seat}/ta-bort/"),
        frozenset(INTERVENTION_EDITORS),
        method="post",
        ok=302,
    ),
    Case(
        "interventions:staff_add",
        lambda w: interventions_path(w, "{insats}/personal/"),
        frozenset(MANAGERS),
        method="post",
        ok=302,
        data=lambda w: {"user": w.users["reader"].pk},
    ),
    Case(
        "interventions:staff_remove",
        lambda w: interventions_path(w, "{insats}/personal/{staff_user}/ta-bort/"),
        frozenset(MANAGERS),
        method="post",
        ok=302,
    ),
    Case(
        "interventions:round_list",
        lambda w: interventions_path(w, "ansokningsomgangar/"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:round_list_export",
        lambda w: interventions_path(w, "ansokningsomgangar/export.xlsx"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:round_create",
        lambda w: interventions_path(w, "ansokningsomgangar/ny/"),
        frozenset(KANSLI),
    ),
    Case(
        "interventions:round_detail",
        lambda w: interventions_path(w, "ansokningsomgangar/{round}/"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:round_edit",
        lambda w: interventions_path(w, "ansokningsomgangar/{round}/andra/"),
        frozenset(KANSLI),
    ),
    Case(
        "interventions:round_export",
        lambda w: interventions_path(w, "ansokningsomgangar/{round}/export.xlsx"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:application_create",
        lambda w: interventions_path(w, "ansokningsomgangar/{round}/ansok/"),
        frozenset(APPLICANTS),
    ),
    Case(
        "interventions:application_detail",
        lambda w: interventions_path(w, "ansokningar/{application}/"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:application_prepare",
        lambda w: interventions_path(w, "ansokningar/{application}/beredning/"),
        frozenset(KANSLI),
    ),
    Case(
        "interventions:decision_create",
        lambda w: interventions_path(w, "ansokningar/{prepared}/beslut/"),
        frozenset(KANSLI),
    ),
    Case(
        "interventions:meeting",
        lambda w: interventions_path(w, "styrelsen/"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:meeting_export",
        lambda w: interventions_path(w, "styrelsen/export.xlsx"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:decision_detail",
        lambda w: interventions_path(w, "beslut/{decision}/"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:decision_pdf",
        lambda w: interventions_path(w, "beslut/{decision}/protokollsutdrag.pdf"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    Case(
        "interventions:decision_export",
        lambda w: interventions_path(w, "beslut/{decision}/beslut.xlsx"),
        frozenset(INTERVENTION_VIEWERS),
    ),
    *participant_rows.CASES,
    *instrument_rows.CASES,
    *goal_rows.CASES,
    *structural_rows.CASES,
    *report_rows.CASES,
]


def expected_status(case: Case, person: str) -> int | set[int]:
    tenant = case.name.split(":")[0] in TENANT_NAMESPACES
    if case.name == "accounts:login":
        return 200 if person == "anonymous" else 302  # logged-in users go on to the start page
    if person in case.allowed:
        return case.ok
    if person == "anonymous":
        return 302  # to the login page
    if person in case.denied:
        return case.denied[person]
    if tenant:
        # Not of this förbund: 404, existence not confirmed. Of it, without permission: 403.
        return 404 if person in {"outsider", "national_reader"} else 403
    return 403


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_matrix_covers_every_url() -> None:
    assert all_url_names() == {case.name for case in CASES}


def test_every_view_declares_its_permission() -> None:
    def walk(patterns: list[Any]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            else:
                assert hasattr(pattern.callback, "required_permission"), pattern.name

    walk(get_resolver().url_patterns)


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_access(case: Case, person: str, world: World, client_as: Any) -> None:
    client = client_as(person)
    path = case.path(world)
    data = case.data(world) if case.data else {}
    response = getattr(client, case.method)(path, data)
    expected = expected_status(case, person)
    assert response.status_code == expected, f"{person} {case.method.upper()} {path}"
    if person == "anonymous" and expected == 302 and case.name.split(":")[0] in TENANT_NAMESPACES:
        assert response["Location"].startswith("/konto/logga-in/")


OTHER_ASSOCIATION_OBJECTS = [
    ("member_edit", lambda w: f(w, f"installningar/medlemmar/{w.other_member.pk}/")),
    ("finance_plan_only_the_other_has", lambda w: f(w, f"ekonomi/{other_plan(w).first_year}/")),
    (
        "finance_line_of_other_plan",
        lambda w: f(w, f"ekonomi/{own_plan_year(w)}/rader/{other_line(w).pk}/"),
    ),
    ("group_detail", lambda w: f(w, f"installningar/organisation/{w.other_group.pk}/")),
    ("group_edit", lambda w: f(w, f"installningar/organisation/{w.other_group.pk}/andra/")),
    ("actuals_forecast_of_other_line", lambda w: actuals_path(w, "2024/t1/prognos/{other_line}/")),
    ("intervention_detail", lambda w: interventions_path(w, "{other_insats}/")),
    ("intervention_edit", lambda w: interventions_path(w, "{other_insats}/andra/")),
    ("application_detail", lambda w: interventions_path(w, "ansokningar/{other_application}/")),
    (
        "application_prepare",
        lambda w: interventions_path(w, "ansokningar/{other_application}/beredning/"),
    ),
    ("decision_detail", lambda w: interventions_path(w, "beslut/{other_decision}/")),
    (
        "decision_pdf",
        lambda w: interventions_path(w, "beslut/{other_decision}/protokollsutdrag.pdf"),
    ),
    *participant_rows.OTHER_ASSOCIATION_OBJECTS,
    *instrument_rows.OTHER_ASSOCIATION_OBJECTS,
    *goal_rows.OTHER_ASSOCIATION_OBJECTS,
    *structural_rows.OTHER_ASSOCIATION_OBJECTS,
    *report_rows.OTHER_ASSOCIATION_OBJECTS,
]


@pytest.mark.parametrize(("name", "path"), OTHER_ASSOCIATION_OBJECTS)
def test_other_associations_object_through_own_url_is_404(
    name: str, path: Callable[[World], str], world: World, client_as: Any
) -> None:
    response = client_as("chief").get(path(world))
    assert response.status_code == 404


def test_outsider_gets_404_for_other_associations_pages(world: World, client_as: Any) -> None:
    client = client_as("outsider")
    assert client.get(f"/f/{world.own.slug}/").status_code == 404
    assert client.get(f"/f/{world.other.slug}/").status_code == 200
    assert client.get("/f/finns-inte/").status_code == 404
