"""The limits every import holds (stegvis.core.uploads): what is refused, and that the
message names the limit."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from stegvis.core import uploads
from stegvis.core.tests.upload_files import MB, bomb, large_file, padded, peak_memory, workbook

SHEET = uploads.SheetLimit(max_bytes=MB, max_unpacked_bytes=100 * MB, max_rows=5, max_columns=3)


@pytest.mark.parametrize(
    ("size", "shown"),
    [(MB, "1 MB"), (MB + 1, "1,1 MB"), (25 * MB, "25 MB"), (34 * MB + MB // 3, "34,4 MB")],
)
def test_sizes_are_megabytes_rounded_up_with_a_decimal_comma(size: int, shown: str) -> None:
    assert uploads.megabytes(size) == shown


def test_a_file_over_the_limit_is_refused_by_its_size_on_disk(tmp_path: Path) -> None:
    path = large_file(tmp_path / "stor.csv", 34 * MB)
    with pytest.raises(uploads.FileRefused) as refused:
        uploads.check_path(path, uploads.PARTICIPANT_FILE)
    assert str(refused.value) == "Filen är 34 MB; högst 25 MB tas emot."
    uploads.check_path(large_file(tmp_path / "lagom.csv", 25 * MB), uploads.PARTICIPANT_FILE)


def test_a_stream_of_unknown_size_is_read_no_further_than_the_limit() -> None:
    stream = io.BytesIO(b"x" * (3 * MB))
    with pytest.raises(uploads.FileRefused, match="högst 1 MB tas emot"):
        uploads.read_limited(stream, SHEET)
    assert stream.tell() == MB + 1


def test_a_part_packed_more_than_a_spreadsheet_ever_is_is_refused() -> None:
    # 30 MB of sheet: under the unpacked limit, but packed about 1 000 to 1.
    data = padded(workbook([["a", "b"]]), megabytes=30)
    with pytest.raises(uploads.FileRefused) as refused:
        uploads.check_workbook(io.BytesIO(data), SHEET)
    message = str(refused.value)
    assert message.startswith("Excelfilens del xl/worksheets/sheet1.xml packas upp till ")
    assert message.endswith(" gånger sin storlek; högst 100 gånger tas emot.")


def test_an_ordinary_workbook_passes_and_its_stream_is_left_at_the_start() -> None:
    stream = io.BytesIO(workbook([[f"K{n}", "kvinna", n] for n in range(20_000)]))
    uploads.check_workbook(stream, SHEET)
    assert stream.tell() == 0


def test_a_workbook_of_too_many_parts_is_refused() -> None:
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for number in range(uploads.MAX_ZIP_MEMBERS + 1):
            archive.writestr(f"xl/media/image{number}.png", b"")
    with pytest.raises(uploads.FileRefused) as refused:
        uploads.check_workbook(target, SHEET)
    assert str(refused.value) == "Excelfilen har 1\u00a0001 delar; högst 1\u00a0000 tas emot."


def test_the_zip_directory_is_all_that_is_read() -> None:
    data = bomb(256)  # a quarter of a megabyte that unpacks to 256 MB
    message, peak = peak_memory(lambda: _refusal(data))
    assert message == "Excelfilen packas upp till 256,1 MB; högst 100 MB tas emot."
    assert peak < MB


def _refusal(data: bytes) -> str:
    try:
        uploads.check_workbook(io.BytesIO(data), SHEET)
    except uploads.FileRefused as refused:
        return str(refused)
    return ""


# --- CSV -----------------------------------------------------------------------------


def rows_of(data: bytes, delimiters: str = ";,") -> tuple[str, list[tuple[int, list[str]]]]:
    delimiter, rows = uploads.csv_rows(io.BytesIO(data), SHEET, delimiters=delimiters)
    return delimiter, list(rows)


def test_csv_in_utf8_with_a_byte_order_mark_and_the_delimiter_of_its_header() -> None:
    assert rows_of('\ufeff\nkod,kön\nA1,"man; kvinna"\n'.encode()) == (
        ",",
        [(1, []), (2, ["kod", "kön"]), (3, ["A1", "man; kvinna"])],
    )


def test_csv_in_windows_1252_as_swedish_excel_saves_it() -> None:
    data = "kod;kön\nÅ1;kvinna\n".encode("cp1252")
    assert rows_of(data) == (";", [(1, ["kod", "kön"]), (2, ["Å1", "kvinna"])])


def test_a_utf8_character_split_between_chunks_is_still_utf8() -> None:
    # The file is checked for UTF-8 a megabyte at a time; "å" straddles the first two.
    lines = (b"x" * 999 + b"\n") * (MB // 1000)
    data = lines + b"y" * (MB - 1 - len(lines)) + "å\n".encode()
    limit = uploads.SheetLimit(
        max_bytes=2 * MB, max_unpacked_bytes=MB, max_rows=2_000, max_columns=3
    )
    rows = list(uploads.csv_rows(io.BytesIO(data), limit, delimiters=";,")[1])
    assert rows[-1] == (MB // 1000 + 1, ["y" * (MB - 1 - len(lines)) + "å"])


def test_a_quoted_line_break_keeps_the_spreadsheets_row_numbers() -> None:
    _delimiter, rows = rows_of(b'kod;text\nA1;"rad ett\nrad tv\xc3\xa5"\nA2;x\n')
    assert rows == [(1, ["kod", "text"]), (2, ["A1", "rad ett\nrad två"]), (3, ["A2", "x"])]


def test_a_file_with_zero_bytes_is_no_csv() -> None:
    with pytest.raises(uploads.FileRefused) as refused:
        rows_of("kod;kön\n".encode("utf-16"))
    assert str(refused.value) == "Filen kunde inte läsas som Excel (.xlsx) eller CSV."


def test_rows_and_columns_over_the_limit_are_refused_as_they_are_read() -> None:
    with pytest.raises(uploads.FileRefused) as rows:
        rows_of(b"a\n" * 6)
    assert str(rows.value) == "Filen har fler än 5 rader; högst 5 tas emot."
    with pytest.raises(uploads.FileRefused) as columns:
        rows_of(b"a;b;c\na;b;c;d\n")
    assert str(columns.value) == "Rad 2 har värden i fler än 3 kolumner; högst 3 tas emot."
    # Empty cells past the last column are no values.
    assert rows_of(b"a;b;c;;;\n")[1] == [(1, ["a", "b", "c", "", "", ""])]


def test_more_problems_names_how_many_and_on_how_many_rows() -> None:
    assert uploads.more_problems(problems=2_345, rows=1) == (
        "…och 2\u00a0345 fel till på 1 rad, som inte visas. Rätta felen ovan och läs in filen igen."
    )
