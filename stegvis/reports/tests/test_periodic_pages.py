"""The delårsrapport and verksamhetsberättelse pages, their PDF and Excel file, and
`stegvis report interim|annual`."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from stegvis.reports.tests.pdf_support import pdf_text
from stegvis.reports.tests.test_periodic import flat
from stegvis.reports.tests.test_periodic_support import YEAR, fake_structural, fill, no_structural

__all__ = ["fake_structural", "no_structural"]  # fixtures

pytestmark = pytest.mark.django_db

INTERIM = f"/f/eget/rapporter/delarsrapport/{YEAR}/1/"
ANNUAL = f"/f/eget/rapporter/verksamhetsberattelse/{YEAR}/"


def test_the_board_reads_the_interim_report_with_status_in_words(
    world: Any, client_as: Any, fake_structural: Any
) -> None:
    fill(world)
    response = client_as("reader").get(INTERIM)
    assert response.status_code == 200
    page = flat(response.content.decode())
    assert "Delårsrapport tertial 1 2024" in page
    for heading in ("Deltagare efter kön", "Avslutsorsaker", "Budget mot utfall"):
        assert heading in page
    assert "Uppnått" in page and "Ej uppnått" in page
    # The charts are inline SVG with their figures for screen readers.
    assert page.count('<svg role="img"') >= 4
    for link in ("1.pdf", "1.xlsx", "/2/", "verksamhetsberattelse/2024/"):
        assert link in page


def test_the_pdf_and_the_excel_file_hold_the_same_figures(
    world: Any, client_as: Any, fake_structural: Any
) -> None:
    fill(world)
    client = client_as("chief")
    response = client.get(f"/f/eget/rapporter/verksamhetsberattelse/{YEAR}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="verksamhetsberattelse-eget-2024.pdf"' in response["Content-Disposition"]
    text = flat(pdf_text(response.content))
    assert "Deltagare under året 20" in text
    response = client.get(f"/f/eget/rapporter/verksamhetsberattelse/{YEAR}.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == [
        "Deltagare efter kön",
        "Avslutsorsaker",
        "Deltagare per insats",
    ]
    sheet = workbook["Deltagare efter kön"]
    assert [cell.value for cell in sheet[2]] == ["Deltagare under året", None, None, 0, 20]
    budget = workbook["Budget mot utfall"]
    rows = {row[0].value: [cell.value for cell in row] for row in budget.iter_rows(min_row=2)}
    # Helår, in kronor: budget, actual, share of budget, deviation.
    assert rows["Summa kostnader"][1:4] == [11_151_000, 8_120_000, 72.8]


@pytest.mark.parametrize(
    "path",
    [
        f"/f/eget/rapporter/delarsrapport/{YEAR}/3/",
        f"/f/eget/rapporter/delarsrapport/{YEAR}/0.pdf",
        f"/f/eget/rapporter/delarsrapport/{YEAR}/3.xlsx",
    ],
)
def test_a_tertial_other_than_1_or_2_is_not_found(client_as: Any, path: str) -> None:
    assert client_as("chief").get(path).status_code == 404


def test_an_empty_forbund_page_says_there_is_nothing_to_report(
    world: Any, client_as: Any, no_structural: None
) -> None:
    response = client_as("chief").get(ANNUAL)
    assert response.status_code == 200
    page = flat(response.content.decode())
    assert "Inga uppgifter för perioden." in page
    assert "Inga deltagare är registrerade för perioden." in page
    response = client_as("chief").get(f"/f/eget/rapporter/verksamhetsberattelse/{YEAR}.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Inga uppgifter"]


def test_another_forbunds_figures_are_not_in_the_report(
    world: Any, client_as: Any, no_structural: None
) -> None:
    """The other förbund's chief reads their own (empty) report: none of ours."""
    fill(world)
    response = client_as("outsider").get(f"/f/annat/rapporter/verksamhetsberattelse/{YEAR}/")
    assert response.status_code == 200
    page = flat(response.content.decode())
    assert "Inga uppgifter för perioden." in page
    assert "Stegen" not in page
    assert client_as("outsider").get(ANNUAL).status_code == 404


# ---------------------------------------------------------------------------
# The command line


def test_the_interim_report_is_written_from_the_command_line(
    world: Any, tmp_path: Path, fake_structural: Any
) -> None:
    fill(world)
    output = tmp_path / "delarsrapport.pdf"
    out = io.StringIO()
    call_command(
        "report", "interim", "Samordningsförbundet Eget", "2024", "--tertial", "1",
        "--output", str(output), stdout=out,
    )  # fmt: skip
    assert "Delårsrapport tertial 1 2024" in out.getvalue()
    assert str(output) in out.getvalue()
    text = flat(pdf_text(output.read_bytes()))
    assert "Deltagare under perioden 15" in text
    annual = tmp_path / "verksamhetsberattelse.pdf"
    call_command("report", "annual", "eget", "2024", "-o", str(annual), stdout=io.StringIO())
    assert "Deltagare under året 20" in flat(pdf_text(annual.read_bytes()))


def test_the_command_line_refuses_an_unknown_forbund_with_exit_2(
    world: Any, tmp_path: Path
) -> None:
    with pytest.raises(CommandError) as error:
        call_command("report", "annual", "Finns inte", "2024", "--output", str(tmp_path / "x.pdf"))
    assert error.value.returncode == 2
    assert "Förbundet ”Finns inte” finns inte." in str(error.value)
    with pytest.raises(CommandError) as error:
        call_command(
            "report", "annual", "eget", "2024", "--output", str(tmp_path / "saknas" / "x.pdf")
        )
    assert error.value.returncode == 2
    assert "finns inte" in str(error.value)
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_line_takes_only_tertial_1_or_2(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command(
            "report", "interim", "eget", "2024", "--tertial", "3", "--output",
            str(tmp_path / "x.pdf"),
        )  # fmt: skip
    with pytest.raises(CommandError):
        call_command("report", "interim", "eget", "2024", "--output", str(tmp_path / "x.pdf"))
