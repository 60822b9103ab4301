"""The actuals import is bounded (stegvis.core.uploads.ACTUALS_SHEET): a sheet over the
size limit or a workbook that unpacks to too much is refused with the limit named,
before it is read and without storing anything, on the page and on the command line."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scope

from stegvis.conftest import World
from stegvis.core.tests.upload_files import MB, bomb, large_file, peak_memory
from stegvis.core.uploads import ACTUALS_SHEET
from stegvis.finance import actuals
from stegvis.finance.models import Actual
from stegvis.finance.tests.test_actuals_support import actuals_data, actuals_path

OVER = "Filen är 1,1 MB; högst 1 MB tas emot."
BOMB = "Excelfilen packas upp till 256,1 MB; högst 20 MB tas emot."


@pytest.fixture
def data(world: World) -> Any:
    return actuals_data(world)


def stored(world: World) -> int:
    with scope(association=world.own):
        return Actual.objects.count()


def cli(*args: str) -> str:
    out = io.StringIO()
    call_command("actuals", "import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_refuses_a_sheet_over_the_limit_by_its_size_on_disk(
    world: World, data: Any, tmp_path: Path
) -> None:
    path = large_file(tmp_path / "utfall.csv", ACTUALS_SHEET.max_bytes + 1)

    def run() -> str:
        with pytest.raises(CommandError) as failed:
            cli("eget", "2024", "t1", str(path))
        assert failed.value.returncode == 2
        return str(failed.value)

    message, peak = peak_memory(run)
    assert message == f"utfall.csv: {OVER}"
    assert peak < MB  # the file was never read
    assert stored(world) == 0


def test_page_refuses_a_sheet_over_the_limit(world: World, data: Any, client_as: Any) -> None:
    upload = SimpleUploadedFile("utfall.csv", b"Administration;1\n" * (MB // 17 + 1))
    assert upload.size is not None and upload.size > ACTUALS_SHEET.max_bytes
    response = client_as("chief").post(
        actuals_path(world, "2024/t1/import/"), {"file": upload, "unit": "tkr"}
    )
    assert OVER in response.content.decode()
    assert "preview" not in (response.context or {})
    assert stored(world) == 0


def test_the_page_tells_the_limit(world: World, data: Any, client_as: Any) -> None:
    response = client_as("chief").get(actuals_path(world, "2024/t1/import/"))
    assert "En rubrikrad överst får finnas. Högst 1 MB." in response.content.decode()


def test_a_file_sent_back_to_be_saved_is_held_to_the_same_limit(
    world: World, data: Any, client_as: Any
) -> None:
    content = base64.b64encode(b"Administration;1\n" * (MB // 17 + 1)).decode()
    response = client_as("chief").post(
        actuals_path(world, "2024/t1/import/spara/"),
        {"content": content, "filename": "utfall.csv", "unit": "tkr"},
    )
    assert response.status_code == 400
    assert OVER in response.content.decode()
    assert stored(world) == 0


def test_a_zip_bomb_is_refused_without_unpacking(world: World, data: Any) -> None:
    def run() -> list[str]:
        with scope(association=world.own), pytest.raises(ValidationError) as refused:
            actuals.actuals_import(
                actor=world.users["chief"],
                plan=data.plan,
                year=2024,
                period=data.period,
                content=bomb(256),
                filename="utfall.xlsx",
                unit="tkr",
                dry_run=False,
            )
        return refused.value.messages

    bomb(256)  # built before the measuring starts
    messages, peak = peak_memory(run)
    assert messages == [BOMB]
    assert peak < 20 * MB
    assert stored(world) == 0


def test_command_and_page_refuse_a_zip_bomb(
    world: World, data: Any, client_as: Any, tmp_path: Path
) -> None:
    path = tmp_path / "utfall.xlsx"
    path.write_bytes(bomb(256))
    with pytest.raises(CommandError):
        call_command("actuals", "import", "eget", "2024", "t1", str(path), stderr=io.StringIO())
    response = client_as("chief").post(
        actuals_path(world, "2024/t1/import/"),
        {"file": SimpleUploadedFile("utfall.xlsx", bomb(256)), "unit": "tkr"},
    )
    assert response.context["import_errors"] == [BOMB]
    assert stored(world) == 0


def test_a_sheet_of_more_rows_than_a_plan_has_lines_is_refused(world: World, data: Any) -> None:
    content = "".join(f"Rad {n};1\n" for n in range(ACTUALS_SHEET.max_rows + 1)).encode()
    with scope(association=world.own), pytest.raises(ValidationError) as refused:
        actuals.actuals_import(
            actor=None,
            plan=data.plan,
            year=2024,
            period=data.period,
            content=content,
            filename="utfall.csv",
            unit="tkr",
            dry_run=True,
        )
    assert refused.value.messages == [
        "Filen har fler än 2\u00a0000 rader; högst 2\u00a0000 tas emot."
    ]
