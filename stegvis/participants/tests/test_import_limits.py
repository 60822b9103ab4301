"""The participant import is bounded (stegvis.core.uploads.PARTICIPANT_FILE): a file
over the size limit or a workbook that unpacks to too much is refused with the limit
named, before it is read and without storing anything, on the page and on the
command line; a large file is read a row at a time; a file full of errors lists the
first thousand rows and counts the rest."""

from __future__ import annotations

import datetime
import io
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_scopes import scopes_disabled
from openpyxl import Workbook

from stegvis.core.tests.upload_files import MB, bomb, large_file, peak_memory, workbook
from stegvis.core.uploads import PARTICIPANT_FILE
from stegvis.participants.importing import participants_import
from stegvis.participants.models import Participant
from stegvis.participants.tests.factories import follow_up

TODAY = datetime.date(2025, 6, 1)
HEADER = "kod;kön;födelseår;kommun;remitterande part;startdatum;försörjning vid start;" + (
    "sysselsättning vid start;utbildningsnivå;månader utan arbete;slutdatum;avslutsorsak"
)


def csv_file(rows: int, *, good: bool = True) -> bytes:
    lines = [HEADER]
    for number in range(rows):
        gender = "kvinna" if good else "kvinnor"
        lines.append(
            f"K{number:06d};{gender};1990;Egna kommun;egen anmälan;2024-03-01;"
            "sjukpenning, ekonomiskt bistånd;ingen sysselsättning;gymnasial;18;2024-11-15;studier"
        )
    return ("\n".join(lines) + "\n").encode()


def run(world: Any, data: bytes, filename: str = "deltagare.csv", **kwargs: Any) -> Any:
    kwargs.setdefault("today", TODAY)
    return participants_import(
        actor=world.users["participant_registrar"],
        intervention=follow_up(world).insats,
        data=data,
        filename=filename,
        **kwargs,
    )


def stored(world: Any) -> int:
    with scopes_disabled():
        return Participant.objects.filter(intervention=follow_up(world).insats).count()


def command(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("participants", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def page(world: Any) -> str:
    return f"/f/{world.own.slug}/deltagare/insats/{follow_up(world).insats.pk}/import/"


# --- the size of the file ------------------------------------------------------------


def test_command_refuses_a_file_over_the_limit_by_its_size_on_disk(
    world: Any, tmp_path: Path
) -> None:
    follow_up(world)
    path = large_file(tmp_path / "deltagare.csv", PARTICIPANT_FILE.max_bytes + 1)
    (code, out, err), peak = peak_memory(lambda: command("import", "eget", "Stegen", str(path)))
    assert (code, out) == (2, "")
    # Rounded up: a file just over the limit never reads as the limit itself.
    assert err == "Filen är 25,1 MB; högst 25 MB tas emot.\n"
    assert peak < 5 * MB  # the file was never read
    assert stored(world) == 0


def test_page_refuses_a_file_over_the_limit_with_the_limit_named(
    world: Any, client_as: Any
) -> None:
    follow_up(world)
    upload = SimpleUploadedFile("deltagare.csv", b" " * (PARTICIPANT_FILE.max_bytes + 1))
    response = client_as("participant_registrar").post(page(world), {"file": upload})
    assert response.status_code == 400
    assert "Filen är 25,1 MB; högst 25 MB tas emot." in response.content.decode()
    assert stored(world) == 0


def test_the_page_tells_the_limit_before_the_upload(world: Any, client_as: Any) -> None:
    response = client_as("participant_registrar").get(page(world))
    assert "en rad per deltagare, högst 25 MB." in response.content.decode()


# --- workbooks that unpack to too much -----------------------------------------------


def test_a_zip_bomb_is_refused_from_its_directory_without_unpacking(world: Any) -> None:
    data = bomb(256)  # 256 MB of sheet in a file of a quarter of a megabyte
    assert len(data) < MB
    result, peak = peak_memory(lambda: run(world, data, filename="deltagare.xlsx"))
    assert [str(problem) for problem in result.problems] == [
        "Excelfilen packas upp till 256,1 MB; högst 200 MB tas emot."
    ]
    assert peak < 20 * MB
    assert stored(world) == 0


def test_command_and_page_refuse_a_zip_bomb(world: Any, client_as: Any, tmp_path: Path) -> None:
    follow_up(world)
    path = tmp_path / "deltagare.xlsx"
    path.write_bytes(bomb(256))
    code, _out, err = command("import", "eget", "Stegen", str(path))
    assert code == 2
    assert err == "Excelfilen packas upp till 256,1 MB; högst 200 MB tas emot.\n"
    upload = SimpleUploadedFile("deltagare.xlsx", bomb(256))
    response = client_as("participant_registrar").post(page(world), {"file": upload})
    assert "Excelfilen packas upp till 256,1 MB; högst 200 MB tas emot." in (
        response.content.decode()
    )
    assert stored(world) == 0


def test_a_sheet_that_claims_too_many_rows_is_refused_at_the_limit(world: Any) -> None:
    # A small file: one header and a value on row 300 000. Read to the end, the empty
    # rows between would be walked one by one.
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["kod", "kön", "födelseår", "startdatum"])
    sheet.cell(row=300_000, column=1, value="A1")
    buffer = io.BytesIO()
    book.save(buffer)
    result = run(world, buffer.getvalue(), filename="deltagare.xlsx")
    assert [str(problem) for problem in result.problems] == [
        "Filen har fler än 200\u00a0000 rader; högst 200\u00a0000 tas emot."
    ]
    assert stored(world) == 0


def test_a_value_beyond_the_last_column_allowed_is_refused(world: Any) -> None:
    row = ["A1", "man", 1990, "2024-03-01", *([None] * 96), "gömt"]
    result = run(
        world, workbook([["kod", "kön", "födelseår", "startdatum"], row]), filename="d.xlsx"
    )
    assert [str(problem) for problem in result.problems] == [
        "Rad 2 har värden i fler än 100 kolumner; högst 100 tas emot."
    ]


def test_a_line_longer_than_any_row_is_refused(world: Any) -> None:
    data = csv_file(1) + b"A2;" + b"x" * 20_000 + b"\n"
    assert [str(p) for p in run(world, data).problems] == [
        "Filen har en rad som är längre än 10\u00a0000 tecken; högst 10\u00a0000 tas emot."
    ]


# --- reading a row at a time ---------------------------------------------------------


def test_memory_does_not_grow_with_the_file(world: Any) -> None:
    """A dry run of 20 000 rows stays under a fixed bound, and each row beyond the first
    2 000 adds only the code kept for finding duplicates: the file is read a row at a
    time and handled a thousand rows at a time. Read whole, the 20 000 rows peaked at
    40 MB, 2 kB more for each row (its text, its cells and its parsed values)."""
    small = csv_file(2_000)
    large = csv_file(20_000)
    result, small_peak = peak_memory(lambda: run(world, small, dry_run=True))
    assert result.ok and result.created == 2_000
    result, large_peak = peak_memory(lambda: run(world, large, dry_run=True))
    assert result.ok and result.created == 20_000 and result.row_count == 20_000
    assert large_peak < 15 * MB, large_peak
    per_row = (large_peak - small_peak) / 18_000
    assert per_row < 500, (small_peak, large_peak)


def test_a_large_file_is_stored_whole_in_batches(world: Any) -> None:
    result = run(world, csv_file(2_500))
    assert result.ok and (result.created, result.updated) == (2_500, 0)
    assert stored(world) == 2_500
    result = run(world, csv_file(2_500))
    assert result.ok and (result.created, result.unchanged) == (0, 2_500)


def test_a_problem_in_the_last_batch_rolls_back_the_batches_written(world: Any) -> None:
    data = csv_file(2_500) + b"K000001;man;1990;;;2024-03-01;;;;;;\n"
    result = run(world, data)
    assert [str(problem) for problem in result.problems] == [
        "rad 2502, kod: Koden finns redan på rad 3; varje deltagare ska stå en gång."
    ]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert stored(world) == 0


# --- many problems -------------------------------------------------------------------


def test_problems_of_the_first_thousand_rows_are_listed_and_the_rest_counted(
    world: Any, client_as: Any, tmp_path: Path
) -> None:
    data = csv_file(1_200, good=False)
    result = run(world, data)
    assert len(result.problems) == 1_000
    assert str(result.problems[-1]).startswith("rad 1001, kön: ")
    assert result.problem_count == 1_200
    assert result.summary == "Stegen: 1200 fel i filen – inget sparat."
    more = "…och 200 fel till på 200 rader, som inte visas. Rätta felen ovan och läs in filen igen."
    assert result.more == more

    path = tmp_path / "deltagare.csv"
    path.write_bytes(data)
    code, _out, err = command("import", "eget", "Stegen", str(path))
    lines = err.splitlines()
    assert code == 2 and len(lines) == 1_001 and lines[-1] == more

    upload = SimpleUploadedFile("deltagare.csv", data)
    text = (
        client_as("participant_registrar")
        .post(page(world), {"file": upload, "dry_run": "on"})
        .content.decode()
    )
    assert "deltagare.csv har 1200 fel. Inget är sparat." in text
    assert text.count("<td>kön</td>") == 1_000
    assert more in text
    assert stored(world) == 0


def test_values_without_a_heading_found_as_the_rows_stream_keep_the_columns_order(
    world: Any,
) -> None:
    # The values come after the first batches: the header's problems are known only then.
    lines = ["kod;kön;;okänd;födelseår;startdatum"]
    lines += [f"A{number};man;;;1990;2024-03-01" for number in range(1_500)]
    lines.append("B1;man;x;y;1990;2024-03-01;z")
    problems = [str(problem) for problem in run(world, "\n".join(lines).encode()).problems]
    assert [problem.split(":")[0] for problem in problems] == [
        "rad 1, kolumn C",
        "rad 1, okänd",
        "rad 1, kolumn G",
    ]
    assert problems[0].endswith("Kolumnen har värden men ingen rubrik.")
