"""The förbundschef's texts of the verksamhetsplan: saved together in one transaction,
every change a version with who and when, logged; the page and the form."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.reports import services
from stegvis.reports.models import PlanText
from stegvis.reports.plan import text_blocks

pytestmark = pytest.mark.django_db


def texts_of(world: World, year: int = 2026) -> dict[str, str]:
    with scopes_disabled():
        return dict(
            PlanText.objects.filter(association=world.own, year=year).values_list("section", "text")
        )


def versions(world: World, year: int = 2026) -> list[tuple[str, str, str, Any]]:
    with scopes_disabled():
        return list(
            PlanText.history.filter(association_id=world.own.pk, year=year)
            .order_by("history_id")
            .values_list("section", "history_type", "text", "history_user__username")
        )


def save(world: World, texts: dict[str, str], **kwargs: Any) -> list[str]:
    return services.plan_texts_save(
        actor=world.users["chief"], association=world.own, year=2026, texts=texts, **kwargs
    )


# ---------------------------------------------------------------------------
# The service


def test_saving_texts_keeps_each_change_as_a_version_with_who_saved_it(world: World) -> None:
    assert save(world, {"introduction": "Första versionen.", "vision": "Sömlös samverkan."}) == [
        "introduction",
        "vision",
    ]
    assert save(world, {"introduction": "Andra versionen.", "vision": "Sömlös samverkan."}) == [
        "introduction"
    ]
    assert texts_of(world) == {"introduction": "Andra versionen.", "vision": "Sömlös samverkan."}
    assert versions(world) == [
        ("introduction", "+", "Första versionen.", "chief"),
        ("vision", "+", "Sömlös samverkan.", "chief"),
        ("introduction", "~", "Andra versionen.", "chief"),
    ]
    with scopes_disabled():
        entries = list(
            AuditEntry.objects.filter(action="plan_text.saved")
            .order_by("pk")
            .values_list("actor__username", "changes")
        )
    assert entries == [
        (
            "chief",
            {
                "introduction": ["", "Första versionen."],
                "vision": ["", "Sömlös samverkan."],
            },
        ),
        ("chief", {"introduction": ["Första versionen.", "Andra versionen."]}),
    ]


def test_nothing_changed_makes_no_version_and_no_log_line(world: World) -> None:
    save(world, {"mission": "Uppdraget."})
    with scopes_disabled():
        logged = AuditEntry.objects.filter(action="plan_text.saved").count()
    assert save(world, {"mission": "Uppdraget.  \r\n"}) == []
    assert len(versions(world)) == 1
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="plan_text.saved").count() == logged


def test_an_emptied_section_is_removed_and_its_last_text_stays_in_history(world: World) -> None:
    save(world, {"target_group": "Unga vuxna.", "vision": "Vision."})
    assert save(world, {"target_group": "  ", "vision": "Vision."}) == ["target_group"]
    assert texts_of(world) == {"vision": "Vision."}
    assert versions(world)[-1] == ("target_group", "-", "Unga vuxna.", "chief")


def test_text_is_kept_as_plain_text_with_paragraphs(world: World) -> None:
    save(
        world, {"introduction": "  Första stycket.  \r\n\r\n\r\n\r\nAndra stycket.\r\n- en punkt\n"}
    )
    assert texts_of(world)["introduction"] == "Första stycket.\n\nAndra stycket.\n- en punkt"


def test_a_too_long_text_is_refused_naming_the_section(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        save(world, {"organisation": "x" * (services.MAX_TEXT + 1), "vision": "Kort."})
    messages = error.value.message_dict
    assert list(messages) == ["organisation"]
    assert messages["organisation"][0].startswith("Organisation: högst 20\u00a0000 tecken")
    assert texts_of(world) == {}  # nothing saved, not even the short one


def test_someone_elses_save_in_between_is_not_overwritten(world: World) -> None:
    opened = services.plan_texts_version(association=world.own, year=2026)
    assert opened == 0
    save(world, {"mission": "Kollegans text."})
    with pytest.raises(ValidationError, match="Någon annan har sparat texterna för 2026"):
        save(world, {"mission": "Min text."}, expected_version=opened)
    assert texts_of(world) == {"mission": "Kollegans text."}
    latest = services.plan_texts_version(association=world.own, year=2026)
    assert save(world, {"mission": "Min text."}, expected_version=latest) == ["mission"]


def test_another_förbunds_texts_are_its_own(world: World) -> None:
    save(world, {"vision": "Vår vision."})
    services.plan_texts_save(
        actor=world.users["outsider"],
        association=world.other,
        year=2026,
        texts={"vision": "Deras."},
    )
    assert texts_of(world) == {"vision": "Vår vision."}
    assert services.plan_texts_version(association=world.own, year=2026) != (
        services.plan_texts_version(association=world.other, year=2026)
    )


def test_text_blocks_make_paragraphs_and_lists() -> None:
    blocks = text_blocks(
        "Inledande stycke\nmed radbrytning.\n\nParterna:\n- Försäkringskassan\n• Region\n"
        "  fortsätter punkten\n\n1. Först\n2) Sedan"
    )
    assert [(b.kind, b.lines, b.items) for b in blocks] == [
        ("p", ["Inledande stycke", "med radbrytning."], []),
        ("p", ["Parterna:"], []),
        ("ul", [], ["Försäkringskassan", "Region fortsätter punkten"]),
        ("ol", [], ["Först", "Sedan"]),
    ]


# ---------------------------------------------------------------------------
# The pages


def url(world: World, rest: str = "") -> str:
    return f"/f/{world.own.slug}/rapporter/verksamhetsplan/2026/{rest}"


def test_the_chief_writes_the_texts_and_sees_them_on_the_plan(world: World, client_as: Any) -> None:
    client = client_as("chief")
    page = client.get(url(world, "texter/"))
    assert page.status_code == 200
    assert 'name="introduction"' in page.content.decode()
    response = client.post(
        url(world, "texter/"),
        {
            "version": 0,
            "introduction": "Förbundet finns för att parterna ska samverka.",
            "mission": "",
            "organisation": "",
            "target_group": "- Unga vuxna\n- Långtidssjukskrivna",
            "vision": "",
            "other": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(world)
    plan = client.get(url(world)).content.decode()
    assert "Förbundet finns för att parterna ska samverka." in plan
    assert "<li>Unga vuxna</li>" in plan
    assert "Texterna är sparade: inledning, målgrupp." in plan
    # The form lists the versions with who saved them.
    form = client.get(url(world, "texter/")).content.decode()
    assert "Versioner" in form
    chief = world.users["chief"]
    assert form.count(f"<td>{chief.get_full_name() or chief.get_username()}</td>") == 2


def test_a_stale_form_says_someone_else_saved(world: World, client_as: Any) -> None:
    save(world, {"vision": "Kollegans."})
    response = client_as("chief").post(
        url(world, "texter/"), {"version": 0, "vision": "Min.", "introduction": ""}
    )
    assert response.status_code == 200
    assert "Någon annan har sparat texterna för 2026" in response.content.decode()
    assert texts_of(world) == {"vision": "Kollegans."}


def test_a_reader_sees_the_plan_but_no_button_to_write(world: World, client_as: Any) -> None:
    save(world, {"vision": "Alla får rätt stöd."})
    page = client_as("reader").get(url(world)).content.decode()
    assert "Alla får rätt stöd." in page
    assert "Verksamhetsplanen som PDF" in page
    assert "Skriv texterna" not in page


def test_the_pdf_is_served_inline_with_a_file_name(world: World, client_as: Any) -> None:
    save(world, {"vision": "Alla får rätt stöd."})
    response = client_as("reader").get(f"/f/{world.own.slug}/rapporter/verksamhetsplan/2026.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="verksamhetsplan-eget-2026.pdf"'
    assert response.content.startswith(b"%PDF")


def test_a_year_out_of_range_is_not_found(world: World, client_as: Any) -> None:
    client = client_as("chief")
    assert client.get(f"/f/{world.own.slug}/rapporter/verksamhetsplan/1999/").status_code == 404
    assert client.get(f"/f/{world.own.slug}/rapporter/verksamhetsplan/2101.pdf").status_code == 404
