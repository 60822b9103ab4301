from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_scopes import scope, scopes_disabled

from stegvis.associations.demo import demo_code, demo_load
from stegvis.associations.models import Association, Member
from stegvis.associations.roles import Role


def test_demo_has_two_associations_and_a_login_per_role_and_loads_twice_harmlessly(db: Any) -> None:
    first = demo_load()
    counts = (get_user_model().objects.count(), Association.objects.count())
    second = demo_load()
    assert [login.username for login in first] == [login.username for login in second]
    assert (get_user_model().objects.count(), Association.objects.count()) == counts
    assert set(Association.objects.values_list("slug", flat=True)) == {"samspelet", "blekinge"}
    roles = {login.role for login in first}
    assert roles == {str(role.label) for role in Role}


def test_samspelet_has_its_four_municipalities_with_population(db: Any) -> None:
    demo_load()
    samspelet = Association.objects.get(slug="samspelet")
    with scope(association=samspelet):
        municipalities = set(
            samspelet.members.filter(kind=Member.Kind.MUNICIPALITY).values_list("name", flat=True)
        )
        assert municipalities == {
            "Karlstads kommun",
            "Kristinehamns kommun",
            "Grums kommun",
            "Hammarö kommun",
        }
        assert samspelet.populations.filter(year=2024).count() == 4


def test_demo_code_is_six_digits(db: Any) -> None:
    demo_load()
    with scopes_disabled():
        assert len(demo_code("chef.samspelet")) == 6
