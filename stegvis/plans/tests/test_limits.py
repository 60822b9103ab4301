"""The plan file is bounded (stegvis.core.uploads.PLAN_FILE): a file over the size
limit or a workbook that unpacks to too much is refused with the limit named, before
it is read and without storing anything: `plan check`, `plan import` and the upload
page alike."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_scopes import scopes_disabled

from stegvis.associations.tests.factories import AssociationFactory
from stegvis.conftest import World
from stegvis.core.tests.upload_files import MB, bomb, large_file, peak_memory
from stegvis.core.uploads import PLAN_FILE
from stegvis.finance.models import Plan
from stegvis.plans.document import PlanFileError
from stegvis.plans.reader import read_plan

OVER = "filen är 5,1 MB; högst 5 MB tas emot"
BOMB = "excelfilen packas upp till 256,1 MB; högst 10 MB tas emot"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("plan", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def plans() -> int:
    with scopes_disabled():
        return Plan.objects.count()


def test_check_refuses_a_file_over_the_limit_by_its_size_on_disk(tmp_path: Path) -> None:
    path = large_file(tmp_path / "plan.yaml", PLAN_FILE.max_bytes + 1)
    (code, out, err), peak = peak_memory(lambda: run("check", str(path)))
    assert (code, out, err) == (2, "", f"{path}: {OVER}\n")
    assert peak < MB  # the file was never read


def test_check_reads_standard_input_no_further_than_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdin = io.BytesIO(b"#" * (PLAN_FILE.max_bytes * 2))
    monkeypatch.setattr("sys.stdin", type("Stdin", (), {"buffer": stdin})())
    assert run("check", "-") == (2, "", f"-: {OVER}\n")
    assert stdin.tell() == PLAN_FILE.max_bytes + 1


def test_import_refuses_a_file_over_the_limit_and_stores_nothing(db: Any, tmp_path: Path) -> None:
    AssociationFactory(name="Samordningsförbundet Exempel", slug="exempel")
    path = large_file(tmp_path / "plan.xlsx", PLAN_FILE.max_bytes + 1)
    assert run("import", str(path)) == (2, "", f"{path}: {OVER}\n")
    assert plans() == 0


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking(tmp_path: Path) -> None:
    data = bomb(256)

    def read() -> list[str]:
        with pytest.raises(PlanFileError) as refused:
            read_plan(data, filename="plan.xlsx")
        return [str(problem) for problem in refused.value.problems]

    problems, peak = peak_memory(read)
    assert problems == [BOMB]
    assert peak < 20 * MB
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    assert run("check", str(path)) == (2, "", f"{path}: {BOMB}\n")


def test_upload_page_refuses_a_file_over_the_limit_and_a_zip_bomb(
    world: World, client_as: Any
) -> None:
    page = f"/f/{world.own.slug}/ekonomi/ladda-upp/"
    client = client_as("chief")
    assert "(.yaml, .yml, .json, .xlsx), högst 5 MB." in client.get(page).content.decode()
    large = SimpleUploadedFile("plan.yaml", b"#" * (PLAN_FILE.max_bytes + 1))
    response = client.post(page, {"file": large})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["Filen är 5,1 MB; högst 5 MB tas emot."]
    response = client.post(page, {"file": SimpleUploadedFile("plan.xlsx", bomb(256))})
    assert response.status_code == 400
    assert [str(problem) for problem in response.context["problems"]] == [BOMB]
    with scopes_disabled():
        assert not Plan.objects.filter(association=world.own).exists()
