"""The plan as an Excel workbook: the template, the layout, and problems that name
the sheet, row and column."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from stegvis.plans.document import PlanDocument, PlanFileError
from stegvis.plans.excel import SHEETS
from stegvis.plans.reader import read_plan
from stegvis.plans.writer import plan_template_xlsx, write_plan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example() -> PlanDocument:
    return read_plan((EXAMPLES / "exempel.yaml").read_bytes(), filename="exempel.yaml")[0]


def edited(change: Callable[[Workbook], None], data: bytes | None = None) -> bytes:
    workbook = load_workbook(io.BytesIO(data or plan_template_xlsx()))
    change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(data: bytes) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        read_plan(data, filename="plan.xlsx")
    return [str(p) for p in caught.value.problems]


def test_the_template_has_every_sheet_and_reads_as_the_example() -> None:
    data = plan_template_xlsx()
    workbook = load_workbook(io.BytesIO(data))
    assert tuple(workbook.sheetnames) == SHEETS
    assert [c.value for c in workbook["Kostnader"][1]] == [
        "Namn",
        "Kategori",
        2024,
        2025,
        2026,
        "Insats",
        "Enhet",
    ]
    readme = [row[2] for row in workbook["Läs mig"].iter_rows(values_only=True)]
    assert any(isinstance(text, str) and "Exempelraderna" in text for text in readme)
    document, warnings = read_plan(data, filename="mall.xlsx")
    assert document == example()
    assert len(warnings) == 1  # person_centred; support is a default survey question


def test_the_template_is_the_same_every_time() -> None:
    assert plan_template_xlsx() == plan_template_xlsx()


def test_a_bad_number_names_sheet_row_and_column() -> None:
    def change(workbook: Workbook) -> None:
        costs = workbook["Kostnader"]
        costs["A5"] = "Extra"
        costs["B5"] = "other"
        costs["D5"] = "1 3O0"

    assert problems(edited(change)) == [
        'costs[3].amounts.2025: inte ett tal: "1 3O0" (blad Kostnader, rad 5, kolumn D)'
    ]


def test_missing_and_unknown_values_name_their_cell() -> None:
    def change(workbook: Workbook) -> None:
        workbook["Kostnader"]["B3"] = None
        workbook["Medlemmar"]["B2"] = "staten"
        workbook["Plan"]["B2"] = "stegvis-plan/9"

    assert problems(edited(change)) == [
        'format: okänt format "stegvis-plan/9" – ska vara "stegvis-plan/1" (blad Plan, rad 2, kolumn B)',
        'association.members[0].kind: okänt slag "staten" – ska vara state, region eller '
        'municipality (menade du "state"?) (blad Medlemmar, rad 2, kolumn B)',
        "costs[1].category: saknas (blad Kostnader, rad 3, kolumn B)",
    ]


def test_unknown_sheets_columns_and_rows_are_errors() -> None:
    def change(workbook: Workbook) -> None:
        workbook.create_sheet("Kostander")["A1"] = "Namn"
        workbook["Intäkter"]["H1"] = "Kommentar"
        workbook["Plan"]["A7"] = "Kontaktperson"
        workbook["Plan"]["B7"] = "Anna"

    found = problems(edited(change))
    assert (
        'okänt blad "Kostander" – bladen heter Plan, Medlemmar, Avgifter, Regler, Intäkter, Kostnader, Insatser, Mål'
        in found
    )
    assert 'revenues: okänd kolumn "Kommentar" (blad Intäkter, rad 1, kolumn H)' in found
    assert 'okänd rad "Kontaktperson" (blad Plan, rad 7, kolumn A)' in found


def test_an_empty_extra_sheet_is_ignored() -> None:
    def change(workbook: Workbook) -> None:
        workbook.create_sheet("Blad1")

    assert read_plan(edited(change), filename="plan.xlsx")[0] == example()


def test_rows_without_a_name_add_targets_to_the_insats_above() -> None:
    def change(workbook: Workbook) -> None:
        sheet = workbook["Insatser"]
        sheet["G4"] = "Minst 10 avslut"
        sheet["H4"] = "participants_exited"
        sheet["I4"] = "="  # Excel would take "==" for a formula
        sheet["I4"].data_type = "s"
        sheet["J4"] = 10

    document = read_plan(edited(change), filename="plan.xlsx")[0]
    assert document.interventions[0]["targets"][-1] == {
        "text": "Minst 10 avslut",
        "metric": "participants_exited",
        "op": "==",
        "value": 10,
    }


def test_years_and_lists_may_be_written_in_one_cell() -> None:
    def change(workbook: Workbook) -> None:
        plan = workbook["Plan"]
        plan["B5"] = "2024–2026"
        plan["C5"] = plan["D5"] = None
        workbook["Insatser"]["D2"] = "Exempels kommun, Region Exempel"

    document = read_plan(edited(change), filename="plan.xlsx")[0]
    assert document.years == [2024, 2025, 2026]
    assert document.interventions[0]["members"] == ["Exempels kommun", "Region Exempel"]


def test_numbers_typed_as_swedish_text_are_numbers() -> None:
    def change(workbook: Workbook) -> None:
        workbook["Kostnader"]["C2"] = "1 400,5"

    assert read_plan(edited(change), filename="plan.xlsx")[0].costs[0].amounts[2024] == 1_400_500


def test_no_contribution_total_means_no_contributions_block() -> None:
    def change(workbook: Workbook) -> None:
        for cell in ("B2", "C2", "D2"):
            workbook["Avgifter"][cell] = None

    assert read_plan(edited(change), filename="plan.xlsx")[0].contributions is None


def test_no_admin_categories_is_written_as_inga() -> None:
    document = example()
    document.rules.admin_categories = []
    data = write_plan(document, fmt="xlsx")
    rules = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(data))["Regler"].iter_rows(values_only=True)
    }
    assert rules["Administrativa kategorier"] == "inga"
    assert read_plan(data, filename="plan.xlsx")[0].rules.admin_categories == []


def _with_cached_value(data: bytes, sheet: str, cell: str, value: str | None) -> bytes:
    """A workbook as Excel saves it: the formula with its last computed value."""
    source = zipfile.ZipFile(io.BytesIO(data))
    index = load_workbook(io.BytesIO(data)).sheetnames.index(sheet) + 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == f"xl/worksheets/sheet{index}.xml" and value is not None:
                content = re.sub(
                    rf'(<c r="{cell}"[^>]*>)<f>(.*?)</f><v\s*/?>(</v>)?'.encode(),
                    rb"\1<f>\2</f><v>" + value.encode() + b"</v>",
                    content,
                )
            target.writestr(info, content)
    return out.getvalue()


def test_a_formula_is_read_by_its_computed_value() -> None:
    def change(workbook: Workbook) -> None:
        workbook["Kostnader"]["C2"] = "=1000+400"

    data = _with_cached_value(edited(change), "Kostnader", "C2", "1400")
    assert read_plan(data, filename="plan.xlsx")[0] == example()


def test_a_formula_without_a_computed_value_is_an_error() -> None:
    def change(workbook: Workbook) -> None:
        workbook["Kostnader"]["C2"] = "=1000+400"

    assert problems(edited(change)) == [
        "formeln i blad Kostnader, cell C2 har inget beräknat värde – öppna och spara filen i Excel"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "filen är ingen Excel-arbetsbok (.xlsx) som går att läsa"),
        (b"format: stegvis-plan/1\n", "filen heter .xlsx men är ingen Excel-arbetsbok"),
    ],
)
def test_a_broken_workbook_is_an_error(data: bytes, message: str) -> None:
    assert problems(data)[0].startswith(message)


def test_a_text_that_starts_with_equals_stays_a_text(tmp_path: Any) -> None:
    document = example()
    document.costs[0].name = "=SUMMA(A1)"
    data = write_plan(document, fmt="xlsx")
    assert read_plan(data, filename="plan.xlsx")[0].costs[0].name == "=SUMMA(A1)"
