"""The participant file (spec/participant-file.md): every column's rule with its row
and column, all or nothing, updates by code, dry runs, CSV and XLSX."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django_scopes import scopes_disabled
from openpyxl import Workbook, load_workbook

from stegvis.associations.models import Member
from stegvis.associations.tests.factories import MemberFactory
from stegvis.audit.models import AuditEntry
from stegvis.core.exporters import table_to_csv, table_to_xlsx
from stegvis.participants.importing import (
    participants_export_rows,
    participants_import,
    template_workbook,
)
from stegvis.participants.models import Participant
from stegvis.participants.tests.factories import ParticipantFactory, follow_up

TODAY = datetime.date(2025, 6, 1)
HEADER = "kod;kön;födelseår;startdatum"


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    text = "\n".join(lines) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def run(world: Any, data: bytes, filename: str = "deltagare.csv", **kwargs: Any) -> Any:
    insats = follow_up(world).insats
    kwargs.setdefault("today", TODAY)
    return participants_import(
        actor=world.users["participant_registrar"],
        intervention=insats,
        data=data,
        filename=filename,
        **kwargs,
    )


def messages(result: Any) -> list[str]:
    return [str(problem) for problem in result.problems]


def stored(world: Any) -> dict[str, Participant]:
    with scopes_disabled():
        return {p.code: p for p in Participant.objects.filter(intervention=follow_up(world).insats)}


def one_problem(world: Any, header: str, row: str) -> str:
    result = run(world, csv_bytes(header, row))
    assert len(result.problems) == 1, messages(result)
    return str(result.problems[0])


# --- storing -----------------------------------------------------------------------


def test_valid_file_stores_every_row(world: Any) -> None:
    result = run(
        world,
        csv_bytes(
            "kod;kön;födelseår;kommun;remitterande part;startdatum;försörjning vid start;"
            "sysselsättning vid start;utbildningsnivå;månader utan arbete;slutdatum;"
            "avslutsorsak;försörjning vid slut;sysselsättning vid slut;överlämning till;samtycke",
            "A1;kvinna;1990;Egna kommun;egen anmälan;2024-03-01;sjukpenning, ekonomiskt bistånd;"
            "ingen sysselsättning;gymnasial;18;2024-11-15;studier;studiemedel;studier;"
            "Region Egen;2024-03-01",
            "A2;man;1985;;Region Egen;2024-04-01;;;;;;;;;;",
        ),
    )
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    rows = stored(world)
    first = rows["A1"]
    assert first.gender == "kvinna" and first.birth_year == 1990
    assert first.municipality.name == "Egna kommun"
    assert first.referrer_other == "egen anmälan" and first.referring_member is None
    assert first.support_at_start == ["sjukpenning", "ekonomiskt bistånd"]
    assert first.exit == datetime.date(2024, 11, 15) and first.outcome == "studier"
    assert first.step_progress
    assert first.handover_to.name == "Region Egen"
    assert first.consent == datetime.date(2024, 3, 1)
    assert rows["A2"].referring_member.name == "Region Egen"
    assert result.summary == "Stegen: 2 rader – 2 nya, 0 ändrade, 0 oförändrade."


def test_import_is_audited_with_counts_only(world: Any) -> None:
    run(world, csv_bytes(HEADER, "SECRETCODE1;kvinna;1990;2024-03-01"))
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="participants.imported")
    assert entry.changes == {"rows": 1, "created": 1, "updated": 0, "unchanged": 0}
    assert "SECRETCODE1" not in str(entry.changes) + entry.object_repr


def test_any_error_stores_nothing_and_reports_every_row(world: Any) -> None:
    result = run(
        world,
        csv_bytes(
            HEADER,
            "OK1;kvinna;1990;2024-03-01",
            "BAD1;kvinnor;1990;2024-03-01",
            "OK2;man;1990;2024-03-01",
            "BAD2;man;1990;2024-13-01",
        ),
    )
    assert not result.ok
    assert messages(result) == [
        "rad 3, kön: ”kvinnor” är inget tillåtet värde. Tillåtna värden: kvinna, man, ej angivet.",
        "rad 5, startdatum: ”2024-13-01” är inget datum som finns.",
    ]
    assert stored(world) == {}
    assert result.summary == "Stegen: 2 fel i filen – inget sparat."


def test_dry_run_stores_nothing_but_counts(world: Any) -> None:
    result = run(world, csv_bytes(HEADER, "A1;kvinna;1990;2024-03-01"), dry_run=True)
    assert result.ok and result.created == 1
    assert result.summary.startswith("Provkörning – inget sparat. Stegen: 1 rad")
    assert stored(world) == {}


def test_existing_code_updates_and_absent_columns_stay(world: Any) -> None:
    with scopes_disabled():
        ParticipantFactory(
            intervention=follow_up(world).insats,
            code="A1",
            education="gymnasial",
            months_without_work=7,
        )
        ParticipantFactory(intervention=follow_up(world).insats, code="A2")
    result = run(
        world,
        csv_bytes(
            "kod;kön;födelseår;startdatum;månader utan arbete",
            "a1;man;1990;2024-03-01;",  # kön changed, months cleared, case of kod ignored
            "A2;kvinna;1990;2024-03-01;",
            "A3;kvinna;1990;2024-03-01;2",
        ),
    )
    assert result.ok, messages(result)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    actions = {row.code: (row.action, row.changed) for row in result.rows}
    assert actions["a1"] == ("ändras", ["kön", "månader utan arbete"])
    assert actions["A2"] == ("oförändrad", [])
    assert actions["A3"] == ("ny", [])
    rows = stored(world)
    assert set(rows) == {"A1", "A2", "A3"}
    assert rows["A1"].gender == "man"
    assert rows["A1"].months_without_work is None  # present but empty clears
    assert rows["A1"].education == "gymnasial"  # absent column leaves it


def test_participants_of_another_insats_are_not_touched(world: Any) -> None:
    with scopes_disabled():
        other = ParticipantFactory(intervention=follow_up(world).neighbour, code="A1")
    result = run(world, csv_bytes(HEADER, "A1;man;1980;2024-03-01"))
    assert result.created == 1
    with scopes_disabled():
        other.refresh_from_db()
    assert other.gender == "kvinna"


# --- the file and its header ---------------------------------------------------------


def test_comma_separated_file_with_bom_and_semicolon_inside_cells(world: Any) -> None:
    result = run(
        world,
        csv_bytes(
            "kod,kön,födelseår,startdatum,försörjning vid start",
            'A1,kvinna,1990,2024-03-01,"lön; studiemedel"',
            bom=True,
        ),
    )
    assert result.ok, messages(result)
    assert stored(world)["A1"].support_at_start == ["lön", "studiemedel"]


def test_semicolon_file_separates_codes_with_comma_only(world: Any) -> None:
    message = one_problem(
        world,
        "kod;kön;födelseår;startdatum;försörjning vid start",
        'A1;kvinna;1990;2024-03-01;"lön; studiemedel"',
    )
    assert message.startswith("rad 2, försörjning vid start: ”lön; studiemedel” är inget")


def test_headers_in_any_order_case_and_spaces(world: Any) -> None:
    result = run(world, csv_bytes(" STARTDATUM ;Kön; Kod;FÖDELSEÅR", "2024-03-01;MAN ; b7 ;1990"))
    assert result.ok, messages(result)
    assert stored(world)["b7"].gender == "man"


def test_unknown_duplicate_and_missing_columns(world: Any) -> None:
    result = run(world, csv_bytes("kod;kön;kön;födelsår;startdatum", "A1;man;man;1990;2024-03-01"))
    assert "rad 1, kön: Kolumnen finns mer än en gång." in messages(result)
    assert any(m.startswith("rad 1, födelsår: Okänd kolumn.") for m in messages(result))
    assert "rad 1, födelseår: Kolumnen saknas; den är obligatorisk." in messages(result)
    assert stored(world) == {}


def test_empty_rows_are_skipped_and_rows_keep_spreadsheet_numbers(world: Any) -> None:
    result = run(
        world, csv_bytes(HEADER, "A1;man;1990;2024-03-01", ";;;", "", "A2;x;1990;2024-03-01")
    )
    assert [p.row for p in result.problems] == [5]


def test_values_without_a_header_are_an_error(world: Any) -> None:
    message = one_problem(world, HEADER, "A1;man;1990;2024-03-01;överbliven")
    assert message == "rad 1, kolumn E: Kolumnen har värden men ingen rubrik."


def test_empty_and_unreadable_files(world: Any) -> None:
    assert messages(run(world, b"")) == ["Filen är tom."]
    assert messages(run(world, b"PK\x03\x04trasig", filename="x.xlsx")) == [
        "Filen kunde inte läsas som en Excelfil (.xlsx)."
    ]


def xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_date_cells_and_numeric_cells(world: Any) -> None:
    data = xlsx(
        [
            [
                "kod",
                "kön",
                "födelseår",
                "startdatum",
                "månader utan arbete",
                "försörjning vid start",
            ],
            [1001, "kvinna", 1990.0, datetime.datetime(2024, 3, 1), 3.0, "lön; studiemedel"],
            ["A2", "man", "1991", "2024-04-01", None, "sjukpenning,lön"],
        ]
    )
    result = run(world, data, filename="deltagare.xlsx")
    assert result.ok, messages(result)
    rows = stored(world)
    assert rows["1001"].start == datetime.date(2024, 3, 1)
    assert rows["1001"].months_without_work == 3
    assert rows["1001"].support_at_start == ["lön", "studiemedel"]
    assert rows["A2"].support_at_start == ["sjukpenning", "lön"]


# --- each column's rule --------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    ["850099-9876", "8500999876", "19850099-9876", "198500999876"],
)
def test_personnummer_as_code_is_refused_without_repeating_it(world: Any, code: str) -> None:
    message = one_problem(world, HEADER, f"{code};man;1990;2024-03-01")
    assert message.startswith("rad 2, kod: Värdet ser ut som ett personnummer")
    assert code not in message and code.replace("-", "") not in message


def test_personnummer_in_another_column_is_not_repeated(world: Any) -> None:
    message = one_problem(world, HEADER, "A1;19850099-9876;1990;2024-03-01")
    assert "9876" not in message and message.startswith("rad 2, kön:")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("", "rad 2, kod: Värde saknas; kolumnen är obligatorisk."),
        ("x" * 41, "rad 2, kod: Koden får vara högst 40 tecken."),
        ("Åsa-1", "rad 2, kod: Koden får bara innehålla"),
        ("A 1", "rad 2, kod: Koden får bara innehålla"),
    ],
)
def test_code_rules(world: Any, code: str, expected: str) -> None:
    assert one_problem(world, HEADER, f"{code};man;1990;2024-03-01").startswith(expected)


def test_code_of_40_allowed_characters_is_accepted(world: Any) -> None:
    code = "Ab-_9" * 8
    assert run(world, csv_bytes(HEADER, f"{code};man;1990;2024-03-01")).ok


def test_code_twice_in_the_file(world: Any) -> None:
    result = run(world, csv_bytes(HEADER, "A1;man;1990;2024-03-01", "a1;man;1990;2024-03-01"))
    assert messages(result) == [
        "rad 3, kod: Koden finns redan på rad 2; varje deltagare ska stå en gång."
    ]


@pytest.mark.parametrize(
    ("birth_year", "ok"),
    [("2009", True), ("2010", False), ("1954", True), ("1953", False)],
)
def test_age_15_to_70_at_start(world: Any, birth_year: str, ok: bool) -> None:
    result = run(world, csv_bytes(HEADER, f"A1;man;{birth_year};2024-03-01"))
    assert result.ok is ok
    if not ok:
        assert messages(result)[0].startswith("rad 2, födelseår: Deltagaren är ")


def test_birth_year_must_be_a_year(world: Any) -> None:
    assert one_problem(world, HEADER, "A1;man;90;2024-03-01").startswith(
        "rad 2, födelseår: ”90” är inget årtal."
    )


def test_dates_must_be_iso(world: Any) -> None:
    assert one_problem(world, HEADER, "A1;man;1990;1/3/2024") == (
        "rad 2, startdatum: ”1/3/2024” är inget datum. Skriv datum som ÅÅÅÅ-MM-DD, "
        "t.ex. 2024-03-01."
    )


def test_kommun_must_be_a_municipality_member(world: Any) -> None:
    header = "kod;kön;födelseår;startdatum;kommun"
    assert run(world, csv_bytes(header, "A1;man;1990;2024-03-01; egna KOMMUN ")).ok
    message = one_problem(world, header, "A2;man;1990;2024-03-01;Region Egen")
    assert message.startswith("rad 2, kommun: ”Region Egen” är ingen kommun")


def test_referrer_and_handover(world: Any) -> None:
    header = "kod;kön;födelseår;startdatum;remitterande part;överlämning till"
    assert run(world, csv_bytes(header, "A1;man;1990;2024-03-01;ANNAN;region egen")).ok
    result = run(world, csv_bytes(header, "A2;man;1990;2024-03-01;grannen;egen anmälan"))
    assert [p.column for p in result.problems] == ["remitterande part", "överlämning till"]


def test_members_of_another_association_are_unknown(world: Any) -> None:
    message = one_problem(
        world, "kod;kön;födelseår;startdatum;kommun", "A1;man;1990;2024-03-01;Andra kommun"
    )
    assert message.startswith("rad 2, kommun: ”Andra kommun” är ingen kommun")


@pytest.mark.parametrize(
    ("value", "ok"), [("0", True), ("12", True), ("-1", False), ("2,5", False), ("tre", False)]
)
def test_months_without_work(world: Any, value: str, ok: bool) -> None:
    result = run(
        world,
        csv_bytes(
            "kod;kön;födelseår;startdatum;månader utan arbete", f"A1;man;1990;2024-03-01;{value}"
        ),
    )
    assert result.ok is ok
    if not ok:
        assert messages(result)[0].startswith("rad 2, månader utan arbete:")


EXIT_HEADER = "kod;kön;födelseår;startdatum;slutdatum;avslutsorsak"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            "2024-02-01;arbete",
            "rad 2, slutdatum: Slutdatum 2024-02-01 är före startdatum 2024-03-01.",
        ),
        ("2025-06-02;arbete", "rad 2, slutdatum: Slutdatum 2025-06-02 har inte varit än."),
        (
            "2024-06-01;",
            "rad 2, avslutsorsak: Avslutsorsak saknas; den ska anges när slutdatum finns.",
        ),
        (
            ";arbete",
            "rad 2, avslutsorsak: Avslutsorsak anges bara när deltagaren har avslutats: slutdatum saknas.",
        ),
        ("2024-06-01;jobb", "rad 2, avslutsorsak: ”jobb” är inget tillåtet värde."),
    ],
)
def test_exit_rules(world: Any, cells: str, expected: str) -> None:
    assert one_problem(world, EXIT_HEADER, f"A1;man;1990;2024-03-01;{cells}").startswith(expected)


def test_exit_on_start_day_and_today_is_fine(world: Any) -> None:
    result = run(
        world,
        csv_bytes(
            EXIT_HEADER,
            "A1;man;1990;2024-03-01;2024-03-01;avbrott",
            "A2;man;1990;2024-03-01;2025-06-01;Annan Rehabilitering",
        ),
    )
    assert result.ok, messages(result)
    assert stored(world)["A2"].outcome == "annan rehabilitering"


def test_exit_without_outcome_column_is_checked_against_the_stored_outcome(world: Any) -> None:
    with scopes_disabled():
        ParticipantFactory(intervention=follow_up(world).insats, code="A1")
    result = run(
        world,
        csv_bytes("kod;kön;födelseår;startdatum;slutdatum", "A1;kvinna;1990;2024-03-01;2024-05-01"),
    )
    assert messages(result) == [
        "rad 2, avslutsorsak: Avslutsorsak saknas; den ska anges när slutdatum finns."
    ]


# --- template and export --------------------------------------------------------------


def test_template_has_the_header_lists_and_instructions(world: Any) -> None:
    content = template_workbook(association=world.own)
    workbook = load_workbook(io.BytesIO(content))
    first = workbook.worksheets[0]
    assert [cell.value for cell in first[1]] == [
        "kod",
        "kön",
        "födelseår",
        "kommun",
        "remitterande part",
        "startdatum",
        "försörjning vid start",
        "sysselsättning vid start",
        "utbildningsnivå",
        "månader utan arbete",
        "slutdatum",
        "avslutsorsak",
        "försörjning vid slut",
        "sysselsättning vid slut",
        "överlämning till",
        "samtycke",
    ]
    assert first.max_row == 1  # no example row that would be imported
    assert workbook.sheetnames[1] == "Instruktioner"
    assert len(first.data_validations.dataValidation) >= 8
    # The empty template imports as nothing.
    assert run(world, content, filename="mall.xlsx").ok


def test_export_round_trips_through_import(world: Any) -> None:
    with scopes_disabled():
        MemberFactory(association=world.own, name="Andra kommunen", kind=Member.Kind.MUNICIPALITY)
    original = run(
        world,
        csv_bytes(
            "kod;kön;födelseår;kommun;remitterande part;startdatum;försörjning vid start;"
            "slutdatum;avslutsorsak;samtycke",
            "A1;kvinna;1990;Andra kommunen;Region Egen;2024-03-01;lön, studiemedel;"
            "2024-09-01;arbete;2024-03-01",
            "A2;ej angivet;1970;;egen anmälan;2023-01-10;;;;",
        ),
    )
    assert original.ok, messages(original)
    table = participants_export_rows(intervention=follow_up(world).insats)
    for data, name in ((table_to_csv(table), "x.csv"), (table_to_xlsx([table]), "x.xlsx")):
        again = run(world, data, filename=name)
        assert again.ok, messages(again)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
