"""The organisation pages as the kansli uses them: members, population, groups, people."""

from __future__ import annotations

from typing import Any

from django_scopes import scope

from stegvis.associations.models import Member, Membership, Population, Seat
from stegvis.conftest import World


def url(world: World, rest: str) -> str:
    return f"/f/{world.own.slug}/installningar/{rest}"


def test_members_page_lists_members_with_population_in_swedish_format(
    world: World, client_as: Any
) -> None:
    html = client_as("reader").get(url(world, "medlemmar/")).content.decode()
    assert "Egna kommun" in html
    assert "12\u00a0345" in html


def test_duplicate_member_name_is_refused_on_the_field(world: World, client_as: Any) -> None:
    response = client_as("chief").post(
        url(world, "medlemmar/ny/"), {"name": "egna kommun", "kind": "municipality"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["Förbundet har redan en medlem med det namnet."]
    }


def test_bad_organisation_number_is_refused_with_a_swedish_message(
    world: World, client_as: Any
) -> None:
    response = client_as("chief").post(
        url(world, "medlemmar/ny/"),
        {"name": "Nyby kommun", "kind": "municipality", "organisation_number": "212000-1820"},
    )
    assert response.context["form"].errors["organisation_number"] == [
        "Kontrollsiffran stämmer inte."
    ]
    with scope(association=world.own):
        assert not Member.objects.filter(name="Nyby kommun").exists()


def test_population_is_recorded_per_year_and_replaced_for_the_same_year(
    world: World, client_as: Any
) -> None:
    client = client_as("chief")
    path = url(world, f"medlemmar/{world.member.pk}/folkmangd/")
    assert client.post(path, {"year": 2025, "population": 12_500}).status_code == 302
    assert client.post(path, {"year": 2025, "population": 12_600}).status_code == 302
    bad = client.post(path, {"year": 2025, "population": -3})
    assert bad.status_code == 400
    assert "population" in bad.context["population_form"].errors
    with scope(association=world.own):
        values = dict(
            Population.objects.filter(member=world.member).values_list("year", "population")
        )
    assert values == {2024: 12_345, 2025: 12_600}


def test_population_cannot_be_given_to_a_state_member(world: World, client_as: Any) -> None:
    from stegvis.associations.tests.factories import MemberFactory

    with scope(association=world.own):
        state = MemberFactory(association=world.own, name="Försäkringskassan", kind="state")
    response = client_as("chief").post(
        url(world, f"medlemmar/{state.pk}/folkmangd/"), {"year": 2025, "population": 1}
    )
    assert response.status_code == 404


def test_board_seat_with_end_before_start_is_refused(world: World, client_as: Any) -> None:
    response = client_as("chief").post(
        url(world, f"organisation/{world.group.pk}/platser/"),
        {
            "person_name": "Per Ersättare",
            "function": "deputy",
            "member": world.member.pk,
            "start": "2024-06-01",
            "end": "2024-01-01",
        },
    )
    assert response.status_code == 400
    assert response.context["seat_form"].errors == {
        "end": ["Slutdatum kan inte vara före startdatum."]
    }


def test_board_shows_ledamot_and_ersattare_per_member(world: World, client_as: Any) -> None:
    client = client_as("chief")
    client.post(
        url(world, f"organisation/{world.group.pk}/platser/"),
        {"person_name": "Per Ersättare", "function": "deputy", "member": world.member.pk},
    )
    html = client.get(url(world, f"organisation/{world.group.pk}/")).content.decode()
    assert "Anna Ledamot" in html and "Ledamot" in html
    assert "Per Ersättare" in html and "Ersättare" in html
    with scope(association=world.own):
        assert Seat.objects.filter(group=world.group).count() == 2


def test_a_member_from_another_association_cannot_be_chosen_for_a_seat(
    world: World, client_as: Any
) -> None:
    response = client_as("chief").post(
        url(world, f"organisation/{world.group.pk}/platser/"),
        {"person_name": "Smyg", "function": "ordinary", "member": world.other_member.pk},
    )
    assert response.status_code == 400
    assert "member" in response.context["seat_form"].errors


def test_chief_gives_a_new_person_a_role(world: World, client_as: Any) -> None:
    response = client_as("chief").post(
        url(world, "personer/ny/"),
        {
            "username": "ny.person",
            "first_name": "Ny",
            "last_name": "Person",
            "role": "participant_registrar",
            "member": world.member.pk,
            "title": "Coach",
        },
    )
    assert response.status_code == 302
    with scope(association=world.own):
        membership = Membership.objects.get(user__username="ny.person")
    assert membership.role == "participant_registrar"
    assert membership.member == world.member
    assert not membership.user.has_usable_password()


def test_a_person_cannot_get_two_roles_in_one_association(world: World, client_as: Any) -> None:
    response = client_as("chief").post(
        url(world, "personer/ny/"), {"username": "reader", "role": "chief"}
    )
    assert response.context["form"].errors == {
        "username": ["Personen har redan en roll i förbundet."]
    }


def test_site_roles_cannot_be_given_inside_an_association(world: World, client_as: Any) -> None:
    response = client_as("chief").post(
        url(world, "personer/ny/"), {"username": "x", "role": "system_admin"}
    )
    assert "role" in response.context["form"].errors


def test_chief_cannot_remove_their_own_role(world: World, client_as: Any) -> None:
    with scope(association=world.own):
        own = Membership.objects.get(user=world.users["chief"])
    response = client_as("chief").post(url(world, f"personer/{own.pk}/ta-bort/"), follow=True)
    assert "Du kan inte ta bort din egen roll." in response.content.decode()
    with scope(association=world.own):
        assert Membership.objects.filter(pk=own.pk).exists()


def test_association_details_are_edited_and_logged(world: World, client_as: Any) -> None:
    response = client_as("chief").post(
        url(world, "forbundet/"),
        {
            "name": world.own.name,
            "organisation_number": world.own.organisation_number,
            "founded": "2009-01-01",
            "seat": "Karlstad",
        },
    )
    assert response.status_code == 302
    world.own.refresh_from_db()
    assert world.own.seat == "Karlstad"


def test_system_admin_creates_an_association_from_the_picker(world: World, client_as: Any) -> None:
    client = client_as("system_admin")
    assert "Nytt förbund" in client.get("/forbund/").content.decode()
    response = client.post(
        "/forbund/nytt/",
        {
            "name": "Samordningsförbundet Tredje",
            "slug": "tredje",
            "organisation_number": "222000-1677",
        },
    )
    assert response["Location"] == "/f/tredje/installningar/medlemmar/"
    taken = client.post(
        "/forbund/nytt/",
        {"name": "Dubblett", "slug": "tredje", "organisation_number": "222000-1636"},
    )
    assert "slug" in taken.context["form"].errors
