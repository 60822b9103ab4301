"""Every URL × every role × own/other förbund (STYLE.md, after pretix's test_permissions).

The expected access is written out here, not derived from roles.py, so that a
change to a role's permissions shows up as a failing row someone must look at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from stegvis.conftest import PEOPLE, World

ASSOCIATION_STAFF = {
    "chief",
    "intervention_owner",
    "participant_registrar",
    "reader",
    "system_admin",
}
MANAGERS = {"chief", "system_admin"}
EVERYONE_LOGGED_IN = set(PEOPLE) - {"anonymous"}


@dataclass(frozen=True)
class Case:
    name: str  # namespaced URL name
    path: Callable[[World], str]
    allowed: frozenset[str]
    method: str = "get"
    ok: int = 200
    data: Callable[[World], dict[str, Any]] | None = None


def f(world: World, rest: str = "") -> str:
    return f"/f/{world.own.slug}/{rest}"


CASES = [
    Case("core:home", lambda w: "/", frozenset(EVERYONE_LOGGED_IN), ok=302),
    Case("core:picker", lambda w: "/forbund/", frozenset(EVERYONE_LOGGED_IN)),
    Case("core:association_create", lambda w: "/forbund/nytt/", frozenset({"system_admin"})),
    Case("core:national", lambda w: "/nationellt/", frozenset({"national_reader"})),
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
]


def expected_status(case: Case, person: str) -> int | set[int]:
    tenant = case.name.split(":")[0] in {"associations", "audit"}
    if case.name == "accounts:login":
        return 200 if person == "anonymous" else 302  # logged-in users go on to the start page
    if person in case.allowed:
        return case.ok
    if person == "anonymous":
        return 302  # to the login page
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
    if (
        person == "anonymous"
        and expected == 302
        and case.name.split(":")[0] in {"associations", "audit"}
    ):
        assert response["Location"].startswith("/konto/logga-in/")


OTHER_ASSOCIATION_OBJECTS = [
    ("member_edit", lambda w: f(w, f"installningar/medlemmar/{w.other_member.pk}/")),
    ("group_detail", lambda w: f(w, f"installningar/organisation/{w.other_group.pk}/")),
    ("group_edit", lambda w: f(w, f"installningar/organisation/{w.other_group.pk}/andra/")),
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
