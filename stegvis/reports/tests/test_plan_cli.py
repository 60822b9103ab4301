"""`stegvis report plan ASSOCIATION YEAR --output FILE.pdf`."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stegvis.conftest import World
from stegvis.finance.tests.factories import samspelet_document, store
from stegvis.reports.tests.pdf_support import pdf_text

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_writes_the_plan_as_pdf_by_name_or_slug(world: World, tmp_path: Path) -> None:
    store(world.own, samspelet_document(name=world.own.name))
    output = tmp_path / "plan.pdf"
    said = run("plan", "Samordningsförbundet Eget", "2024", "--output", str(output))
    assert said.strip() == (
        f"Verksamhetsplan 2024 för Samordningsförbundet Eget skriven till {output}."
    )
    content = output.read_bytes()
    assert content.startswith(b"%PDF")
    text = pdf_text(content).replace("\u00a0", " ")
    assert "Budget 2024 med plan för 2025–2026" in text
    assert "Medel att disponera" in text
    # The slug works too.
    run("plan", world.own.slug, "2024", "-o", str(tmp_path / "igen.pdf"))
    assert (tmp_path / "igen.pdf").read_bytes().startswith(b"%PDF")


def test_a_förbund_without_a_plan_gets_a_pdf_that_says_so(world: World, tmp_path: Path) -> None:
    output = tmp_path / "tom.pdf"
    said = run("plan", world.other.slug, "2030", "--output", str(output))
    assert "Förbundet har inga uppgifter för året." in said
    assert "Inga uppgifter" in pdf_text(output.read_bytes())


def test_an_unknown_förbund_exits_2_with_a_swedish_message(world: World, tmp_path: Path) -> None:
    output = tmp_path / "plan.pdf"
    with pytest.raises(CommandError) as error:
        run("plan", "Samordningsförbundet Okänt", "2024", "--output", str(output))
    assert error.value.returncode == 2
    assert str(error.value) == "Förbundet ”Samordningsförbundet Okänt” finns inte."
    assert not output.exists()


def test_a_year_out_of_range_exits_2(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        run("plan", world.own.slug, "24", "--output", str(tmp_path / "plan.pdf"))
    assert error.value.returncode == 2
    assert "Året ska ligga mellan 2000 och 2100, inte 24." in str(error.value)


def test_an_unwritable_file_exits_2(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        run("plan", world.own.slug, "2024", "--output", str(tmp_path / "saknas" / "plan.pdf"))
    assert error.value.returncode == 2
    assert "Kunde inte skriva" in str(error.value)
