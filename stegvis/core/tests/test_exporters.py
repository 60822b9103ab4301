"""The one exporter: any table as XLSX (numbers stay numbers, dates stay dates) and as
the semicolon CSV Swedish Excel opens (UTF-8 with BOM, decimal comma)."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.http import Http404
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from stegvis.core.exporters import (
    AMOUNT,
    PERCENT,
    XLSX_TYPE,
    Exporter,
    Table,
    TableExporter,
    table_response,
    table_to_csv,
    table_to_xlsx,
)

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def table(**extra: Any) -> Table:
    return Table(
        title="Insatser",
        columns=["Insats", "Budget (kr)", "Andel", "Start", "Beviljad", "ESF"],
        rows=[
            ["Stegen", 1_637_273, 0.4142, datetime.date(2024, 3, 1), Decimal("12.5"), True],
            ["Grannen", None, None, None, None, False],
        ],
        **extra,
    )


def workbook(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_xlsx_keeps_numbers_as_numbers_and_dates_as_dates() -> None:
    book = workbook(TableExporter(table(), filename="x").xlsx())
    sheet = book["Insatser"]
    assert [c.value for c in sheet[1]] == [
        "Insats",
        "Budget (kr)",
        "Andel",
        "Start",
        "Beviljad",
        "ESF",
    ]
    assert sheet["B2"].value == 1_637_273 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == pytest.approx(0.4142) and sheet["C2"].data_type == "n"
    assert sheet["D2"].is_date and sheet["D2"].value == datetime.datetime(2024, 3, 1)
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["E2"].value == 12.5 and sheet["E2"].data_type == "n"
    assert (sheet["F2"].value, sheet["F3"].value) == ("Ja", "Nej")
    assert sheet["B3"].value is None
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.auto_filter.ref == "A1:F3"


def test_xlsx_number_formats_notes_and_one_sheet_per_table() -> None:
    second = Table(title="Insatser", columns=["År"], rows=[[2024]])
    book = workbook(
        TableExporter(
            table(formats={1: AMOUNT, 2: PERCENT}, notes=["Belopp i kronor."]),
            second,
            filename="x",
        ).xlsx()
    )
    assert book.sheetnames == ["Insatser", "Insatser (2)"]  # unique sheet names
    sheet = book["Insatser"]
    assert (sheet["B2"].number_format, sheet["C2"].number_format) == ("#,##0", "0.0%")
    assert sheet["A5"].value == "Belopp i kronor." and sheet["A5"].font.italic
    assert book["Insatser (2)"]["A2"].value == 2024  # a year stays a plain number
    assert book["Insatser (2)"]["A2"].number_format == "General"


def test_a_time_is_written_in_stegvis_time_zone() -> None:
    moment = datetime.datetime(2024, 6, 1, 10, 30, tzinfo=datetime.UTC)
    exported = TableExporter(Table("Logg", ["Tid"], [[moment]]), filename="logg")
    assert workbook(exported.xlsx())["Logg"]["A2"].value == datetime.datetime(2024, 6, 1, 12, 30)
    assert csv_rows(exported.csv())[1] == ["2024-06-01 12:30:00"]


def test_csv_is_what_swedish_excel_opens() -> None:
    content = TableExporter(table(), filename="x").csv()
    assert content.startswith(b"\xef\xbb\xbfInsats;Budget (kr);")
    assert b"\r\n" in content
    rows = csv_rows(content)
    assert rows[1] == ["Stegen", "1637273", "0,4142", "2024-03-01", "12,5", "Ja"]
    assert rows[2] == ["Grannen", "", "", "", "", "Nej"]


def test_text_that_a_spreadsheet_would_run_stays_text() -> None:
    risky = Table(
        "Logg", ["Text", "Tal"], [['=HYPERLINK("http://x")', "-12"], ["@SUM(A1)", "- punkt"]]
    )
    exported = TableExporter(risky, filename="x")
    sheet = workbook(exported.xlsx())["Logg"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x")'
    rows = csv_rows(exported.csv())
    assert rows[1] == ['\'=HYPERLINK("http://x")', "-12"]
    assert rows[2] == ["'@SUM(A1)", "'- punkt"]


def test_control_characters_do_not_break_the_workbook() -> None:
    exported = TableExporter(Table("T", ["Kod"], [["A\x07B"]]), filename="t")
    assert workbook(exported.xlsx())["T"]["A2"].value == "AB"
    assert csv_rows(exported.csv())[1] == ["A\x07B"]


def test_lazy_text_and_other_values_become_text() -> None:
    rows = csv_rows(
        TableExporter(
            Table("T", ["Namn"], [[gettext_lazy("Kvinna")], [Path("a")]]),
            filename="t",
        ).csv()
    )
    assert rows == [["Namn"], ["Kvinna"], ["a"]]


def test_the_response_is_a_download_and_an_unknown_format_is_404() -> None:
    exporter = TableExporter(table(), filename="eget-insatser")
    response = exporter.response("xlsx")
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="eget-insatser.xlsx"'
    response = exporter.response("csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="eget-insatser.csv"'
    with pytest.raises(Http404):
        exporter.response("pdf")


def test_csv_holds_the_chosen_table() -> None:
    first, second = table(), Table("Lång", ["Rad"], [["a"], ["b"]])
    assert csv_rows(TableExporter(first, second, filename="x").csv())[0][0] == "Insats"
    assert csv_rows(TableExporter(first, second, filename="x", csv=second).csv()) == [
        ["Rad"],
        ["a"],
        ["b"],
    ]


def test_a_subclass_gives_its_tables_once(tmp_path: Path) -> None:
    class Counting(Exporter):
        filename = "räkna"
        calls = 0

        def tables(self) -> list[Table]:
            self.calls += 1
            return [table(), Table("Två", ["A"], [[1]])]

        def csv_table(self) -> Table:
            return self._tables()[1]

    exporter = Counting()
    assert exporter.write(tmp_path / "räkna.xlsx").exists()
    exporter.write(tmp_path / "räkna.csv")
    assert exporter.calls == 1
    assert workbook((tmp_path / "räkna.xlsx").read_bytes()).sheetnames == ["Insatser", "Två"]
    assert (tmp_path / "räkna.csv").read_bytes() == "\ufeffA\r\n1\r\n".encode()


def test_the_old_functions_give_the_same_files() -> None:
    one = table()
    assert table_to_csv(one) == TableExporter(one, filename="x").csv()
    book = workbook(table_to_xlsx([one]))
    assert book["Insatser"]["B2"].value == 1_637_273
    assert table_response(one, fmt="csv", filename="x").content == table_to_csv(one)


cell_values = st.one_of(
    st.none(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(min_value=-(10**9), max_value=10**9, places=2),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
)


@given(st.lists(st.lists(cell_values, min_size=3, max_size=3), max_size=8))
def test_any_table_round_trips_through_both_formats(rows: list[list[Any]]) -> None:
    exported = TableExporter(Table("T", ["a", "b", "c"], rows), filename="t")
    sheet = workbook(exported.xlsx())["T"]
    for index, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            kept = sheet.cell(row=index, column=column).value
            if isinstance(value, datetime.date):
                assert kept == datetime.datetime.combine(value, datetime.time())
            elif isinstance(value, Decimal):
                assert Decimal(str(kept)) == value
            elif isinstance(value, str):
                # Control characters cannot be in a workbook; empty text is no value;
                # XML reads every line ending back as a line feed.
                legal = ILLEGAL_CHARACTERS_RE.sub("", value)
                assert kept == (legal.replace("\r\n", "\n").replace("\r", "\n") or None)
            else:
                assert kept == value
    parsed = csv_rows(exported.csv())
    assert len(parsed) == len(rows) + 1
    for row, written in zip(rows, parsed[1:], strict=True):
        for value, text in zip(row, written, strict=True):
            if value is None:
                assert text == ""
            elif isinstance(value, int):
                assert text == str(value)
            elif isinstance(value, Decimal):
                assert Decimal(text.replace(",", ".")) == value
            elif isinstance(value, datetime.date):
                assert text == value.isoformat()
            else:
                assert text.removeprefix("'") == value


def test_times_use_the_configured_zone(settings: Any) -> None:
    assert settings.TIME_ZONE == "Europe/Stockholm"
    moment = datetime.datetime(2024, 1, 15, 8, 0, tzinfo=STOCKHOLM)
    rows = csv_rows(TableExporter(Table("T", ["t"], [[moment]]), filename="t").csv())
    assert rows[1] == ["2024-01-15 08:00:00"]
