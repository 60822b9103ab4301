"""The import in the browser: problems by row and column, a dry run that stores
nothing until "Spara", the template and the export (audited reads)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.participants.models import Participant
from stegvis.participants.tests.factories import ParticipantFactory, follow_up

GOOD = "kod;kön;födelseår;startdatum\nA1;kvinna;1990;2024-03-01\nA2;man;1985;2024-04-01\n"


def page(world: Any, rest: str = "") -> str:
    return f"/f/{world.own.slug}/deltagare/insats/{follow_up(world).insats.pk}/import/{rest}"


def upload(client: Any, world: Any, content: str, *, dry_run: bool = True) -> Any:
    data: dict[str, Any] = {"file": SimpleUploadedFile("deltagare.csv", content.encode())}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(page(world), data)


def codes(world: Any) -> set[str]:
    with scopes_disabled():
        return set(
            Participant.objects.filter(intervention=follow_up(world).insats).values_list(
                "code", flat=True
            )
        )


def test_upload_page_offers_the_template_and_a_dry_run(world: Any, client_as: Any) -> None:
    response = client_as("participant_registrar").get(page(world))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Provkör först" in text and "checked" in text
    assert page(world, "mall.xlsx") in text


def test_problems_are_listed_by_row_and_column_and_nothing_is_stored(
    world: Any, client_as: Any
) -> None:
    response = upload(
        client_as("participant_registrar"),
        world,
        "kod;kön;födelseår;startdatum\nA1;kvinnor;1990;2024-03-01\n850312-1234;man;1990;2024-03-01\n",
    )
    text = response.content.decode()
    assert "har 2 fel. Inget är sparat." in text
    assert "<td>kön</td>" in text and "<td>kod</td>" in text
    assert "850312" not in text
    assert codes(world) == set()


def test_dry_run_shows_changes_and_saves_on_confirm(world: Any, client_as: Any) -> None:
    with scopes_disabled():
        ParticipantFactory(intervention=follow_up(world).insats, code="A1", gender="man")
    client = client_as("participant_registrar")
    response = upload(client, world, GOOD)
    text = response.content.decode()
    assert "Provkörning – inget sparat. Stegen: 2 rader – 1 nya, 1 ändrade, 0 oförändrade." in text
    assert codes(world) == {"A1"}
    digest = response.context["confirm"].initial["digest"]
    saved = client.post(page(world, "spara/"), {"digest": digest})
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"/deltagare/insats/{follow_up(world).insats.pk}/")
    assert codes(world) == {"A1", "A2"}
    # The tried file is used once.
    again = client.post(page(world, "spara/"), {"digest": digest})
    assert again.status_code == 302 and again["Location"].endswith("/import/")


def test_import_without_dry_run_saves_at_once(world: Any, client_as: Any) -> None:
    response = upload(client_as("participant_registrar"), world, GOOD, dry_run=False)
    assert response.status_code == 302
    assert codes(world) == {"A1", "A2"}


def test_the_insats_boundary_holds(world: Any, client_as: Any) -> None:
    neighbour = follow_up(world).neighbour
    client = client_as("participant_registrar")
    assert (
        client.get(f"/f/{world.own.slug}/deltagare/insats/{neighbour.pk}/import/").status_code
        == 404
    )
    assert (
        client.get(f"/f/{world.own.slug}/deltagare/insats/{neighbour.pk}/export.xlsx").status_code
        == 404
    )


def test_template_downloads_as_excel(world: Any, client_as: Any) -> None:
    response = client_as("participant_registrar").get(page(world, "mall.xlsx"))
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_export_is_the_import_format_and_is_audited(world: Any, client_as: Any) -> None:
    with scopes_disabled():
        ParticipantFactory(intervention=follow_up(world).insats, code="EX1")
    response = client_as("participant_registrar").get(
        f"/f/{world.own.slug}/deltagare/insats/{follow_up(world).insats.pk}/export.csv"
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("kod;kön;födelseår;kommun;remitterande part;startdatum")
    assert "EX1;kvinna;1990" in text
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="participants.exported")
    assert entry.kind == AuditEntry.Kind.READ and entry.changes == {"rows": 1, "format": "csv"}
