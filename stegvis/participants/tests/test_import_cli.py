"""`stegvis participants import|export|purge`: exit codes and output as the spec says."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from stegvis.participants.models import Participant, Policy, RetainedCount
from stegvis.participants.tests.factories import ParticipantFactory, follow_up


def run(*args: str) -> tuple[int, str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("participants", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str, name: str = "deltagare.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def count(world: Any) -> int:
    with scopes_disabled():
        return Participant.objects.filter(intervention=follow_up(world).insats).count()


def test_import_valid_file_exits_0_with_one_line(world: Any, tmp_path: Path) -> None:
    follow_up(world)
    path = write(tmp_path, "kod,kön,födelseår,startdatum\nA1,kvinna,1990,2024-03-01\n")
    code, out, err = run("import", "Samordningsförbundet Eget", "Stegen", path)
    assert (code, err) == (0, "")
    assert out == "Stegen: 1 rad – 1 nya, 0 ändrade, 0 oförändrade.\n"
    assert count(world) == 1


def test_import_accepts_the_slug_and_a_dry_run_stores_nothing(world: Any, tmp_path: Path) -> None:
    follow_up(world)
    path = write(tmp_path, "kod;kön;födelseår;startdatum\nA1;kvinna;1990;2024-03-01\n")
    code, out, _err = run("import", "eget", "Stegen", path, "--dry-run")
    assert code == 0 and out.startswith("Provkörning – inget sparat.")
    assert count(world) == 0


def test_import_with_problems_exits_2_with_every_problem_on_stderr(
    world: Any, tmp_path: Path
) -> None:
    follow_up(world)
    path = write(
        tmp_path,
        "kod;kön;födelseår;startdatum\nA1;kvinna;1990;2024-03-01\n"
        "A2;x;1990;2024-03-01\n198500999876;man;1990;2024-03-01\n",
    )
    code, out, err = run("import", "Samordningsförbundet Eget", "Stegen", path)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("rad 3, kön: ")
    assert lines[1].startswith("rad 4, kod: Värdet ser ut som ett personnummer")
    assert "198500999876" not in err
    assert count(world) == 0


@pytest.mark.parametrize(
    ("association", "insats", "message"),
    [
        ("Finns inte", "Stegen", "Förbundet Finns inte finns inte."),
        ("eget", "Annans steg", "Insatsen Annans steg finns inte i Samordningsförbundet Eget."),
    ],
)
def test_missing_association_or_insats_exits_2(
    world: Any, tmp_path: Path, association: str, insats: str, message: str
) -> None:
    follow_up(world)
    path = write(tmp_path, "kod;kön;födelseår;startdatum\n")
    code, _out, err = run("import", association, insats, path)
    assert (code, err.strip()) == (2, message)


def test_unreadable_file_exits_2(world: Any, tmp_path: Path) -> None:
    follow_up(world)
    code, _out, err = run("import", "eget", "Stegen", str(tmp_path / "saknas.csv"))
    assert code == 2 and err.startswith("Filen ") and "kunde inte läsas" in err
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(b"not a workbook")
    code, _out, err = run("import", "eget", "Stegen", str(broken))
    assert (code, err.strip()) == (2, "Filen kunde inte läsas som en Excelfil (.xlsx).")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_writes_a_file_that_imports_unchanged(
    world: Any, tmp_path: Path, suffix: str
) -> None:
    with scopes_disabled():
        ParticipantFactory(intervention=follow_up(world).insats, code="E1")
    target = tmp_path / f"ut{suffix}"
    code, out, _err = run("export", "eget", "Stegen", "--output", str(target))
    assert code == 0 and "1 deltagare" in out
    code, out, _err = run("import", "eget", "Stegen", str(target))
    assert (code, out.strip()) == (0, "Stegen: 1 rad – 0 nya, 0 ändrade, 1 oförändrade.")


def test_purge_uses_each_associations_policy(world: Any) -> None:
    with scopes_disabled():
        ParticipantFactory(
            intervention=follow_up(world).insats,
            start=datetime.date(2010, 1, 1),
            exit=datetime.date(2011, 1, 1),
            outcome="arbete",
        )
    code, out, _err = run("purge", "--dry-run")
    assert code == 0 and "Samordningsförbundet Eget: 0 deltagare" in out
    with scopes_disabled():
        Policy.objects.update_or_create(association=world.own, defaults={"retention_years": 5})
    code, out, _err = run("purge")
    assert "Samordningsförbundet Eget: 1 deltagare gallrade." in out
    assert count(world) == 0
    with scopes_disabled():
        assert RetainedCount.objects.get(association=world.own).count == 1
