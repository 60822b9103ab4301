"""Importing actuals from a two-column sheet, on the page and on the command line:
all or nothing, every problem named by row and column, a dry run first."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import ManagementUtility, call_command
from django.core.management import base as management_base
from django.core.management.base import CommandError
from django_scopes import scope
from openpyxl import Workbook, load_workbook

from stegvis.conftest import World
from stegvis.finance import actuals
from stegvis.finance.models import Actual
from stegvis.finance.tests.test_actuals_support import (
    actuals_data,
    actuals_path,
    audit_entries,
    make_plan,
    period,
)

BAD_ROWS = "Budgetrad;Utfall (tkr)\nAdministration;400\nAdmin;5\nProcesstöd;tio\nADMINISTRATION;7\n"
BAD_MESSAGES = [
    "rad 3, kolumn A: ”Admin” finns inte bland budgetens rader.",
    "rad 4, kolumn B: ”tio” är inte ett belopp (skriv till exempel 1 234,5)",
    "rad 5, kolumn A: ”ADMINISTRATION” finns redan på rad 2",
]


@pytest.fixture
def data(world: World) -> Any:
    return actuals_data(world)


def xlsx(*rows: tuple[Any, ...]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stored(world: World, code: str = "t1") -> dict[str, int]:
    with scope(association=world.own):
        return dict(
            Actual.objects.filter(period__code=code, year=2024).values_list("line__name", "amount")
        )


def run_import(world: World, data: Any, content: bytes, **options: Any) -> actuals.ImportResult:
    with scope(association=world.own):
        return actuals.actuals_import(
            actor=world.users["chief"],
            plan=data.plan,
            year=2024,
            period=data.period,
            content=content,
            filename=options.pop("filename", "utfall.xlsx"),
            unit=options.pop("unit", "tkr"),
            dry_run=options.pop("dry_run", False),
        )


def test_an_excel_sheet_is_previewed_then_stored(world: World, data: Any, client_as: Any) -> None:
    with scope(association=world.own):
        actuals.actuals_record(
            actor=None,
            plan=data.plan,
            year=2024,
            period=data.period,
            amounts={data.line.pk: 300_000},
        )
    content = xlsx(
        ("Budgetrad", "Utfall (tkr)"),
        (" administration ", 412.5),
        ("Medlemsavgifter", "1 200"),
        ("Styrelse o revision", None),
    )
    client = client_as("chief")
    preview = client.post(
        actuals_path(world, "2024/t1/import/"),
        {"file": SimpleUploadedFile("utfall.xlsx", content), "unit": "tkr"},
    )
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Inget är sparat ännu" in html
    assert [(c.line.name, c.old, c.new) for c in preview.context["preview"].changes] == [
        ("Medlemsavgifter", None, 1_200_000),
        ("Administration", 300_000, 412_500),
    ]
    assert "+112\u00a0500" in html
    assert stored(world) == {"Administration": 300_000}  # nothing yet

    confirm = client.post(
        actuals_path(world, "2024/t1/import/spara/"),
        {field.name: field.value() for field in preview.context["confirm"]},
    )
    assert confirm.status_code == 302
    assert stored(world) == {"Administration": 412_500, "Medlemsavgifter": 1_200_000}
    assert [e.changes for e in audit_entries(action="actual.recorded")][-2:] == [
        {"amount": [None, 1_200_000]},
        {"amount": [300_000, 412_500]},
    ]
    [summary] = audit_entries(action="actuals.imported")
    assert summary.object_repr == "Utfall Tertial 1 (jan–apr) 2024 från utfall.xlsx"


def test_every_bad_row_is_reported_and_nothing_is_stored(
    world: World, data: Any, client_as: Any
) -> None:
    response = client_as("chief").post(
        actuals_path(world, "2024/t1/import/"),
        {"file": SimpleUploadedFile("utfall.csv", BAD_ROWS.encode()), "unit": "tkr"},
    )
    assert response.status_code == 200
    assert [error.split(" Menar")[0] for error in response.context["import_errors"]] == (
        BAD_MESSAGES
    )
    assert "Filen har 3 fel. Inget är sparat." in response.content.decode()
    assert stored(world) == {}


def test_a_dry_run_stores_nothing(world: World, data: Any) -> None:
    result = run_import(world, data, b"Administration,400\n", filename="u.csv", dry_run=True)
    assert result.dry_run
    assert [(c.line.name, c.old, c.new, c.kind) for c in result.changes] == [
        ("Administration", None, 400_000, "new")
    ]
    assert len(result.untouched) == 6
    assert stored(world) == {}
    assert audit_entries(action__startswith="actual") == []


def test_amounts_in_kronor_and_a_header_that_disagrees(world: World, data: Any) -> None:
    run_import(world, data, b"Administration;412 345,60\n", filename="u.csv", unit="kr")
    assert stored(world) == {"Administration": 412_346}
    with pytest.raises(ValidationError) as refused:
        run_import(world, data, xlsx(("Rad", "Belopp i kr"), ("ESF", 5)), unit="tkr")
    assert refused.value.messages == [
        "rad 1, kolumn B: rubriken ”Belopp i kr” anger kr men beloppen läses som tkr"
    ]


def test_a_file_that_is_no_sheet_is_refused_in_one_sentence(world: World, data: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        run_import(world, data, b"PK\x03\x04 not really a workbook", filename="u.xlsx")
    assert refused.value.messages == ["Filen kunde inte läsas som en Excelfil (.xlsx)."]
    with pytest.raises(ValidationError) as empty:
        run_import(world, data, b"\n\n", filename="u.csv")
    assert empty.value.messages == ["Filen innehåller inga rader."]


def test_the_template_lists_the_plans_lines(world: World, data: Any, client_as: Any) -> None:
    response = client_as("chief").get(actuals_path(world, "2024/importmall.xlsx?enhet=kr"))
    assert response.status_code == 200
    values = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert values[0] == ("Budgetrad", "Utfall (kr)")
    assert [row[0] for row in values[1:]] == [
        "Medlemsavgifter",
        "ESF",
        "Styrelse o revision",
        "Administration",
        "Stegen Karlstad",
        "Lärlingsutbildning",
        "Processtöd",
    ]
    # The filled-in template imports as it is.
    workbook = load_workbook(io.BytesIO(response.content))
    workbook.worksheets[0]["B2"] = 1000
    buffer = io.BytesIO()
    workbook.save(buffer)
    run_import(world, data, buffer.getvalue(), unit="kr")
    assert stored(world) == {"Medlemsavgifter": 1000}


# -- Command line ------------------------------------------------------------------


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "utfall.csv"
    path.write_text("Administration;400\nESF;40\n", encoding="utf-8")
    return path


def cli(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("actuals", "import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_says_what_changed(world: World, data: Any, sheet: Path) -> None:
    out, _err = cli("eget", "2024", "t1", str(sheet), "--dry-run")
    assert "Administration: – → 400 000 kr" in out
    assert "Provkörning – inget sparades." in out
    assert stored(world) == {}
    out, _err = cli("eget", "2024", "t1", str(sheet), "--unit", "tkr")
    assert "Utfallet är sparat. 2 belopp ändras" in out
    assert stored(world) == {"Administration": 400_000, "ESF": 40_000}
    assert audit_entries(action="actual.recorded")[0].actor is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("finns-inte", "2024", "t1"), "Förbundet finns-inte finns inte."),
        (("eget", "2031", "t1"), "Samordningsförbundet Eget har ingen budget som omfattar 2031."),
        (
            ("eget", "2024", "t3"),
            "Perioden t3 finns inte. Förbundets perioder: t1 (Tertial 1 (jan–apr)), "
            "t2 (Tertial 2 (jan–aug)), year (Helår).",
        ),
    ],
)
def test_unknown_association_year_or_period_exits_2_with_a_message(
    args: tuple[str, ...], message: str, world: World, data: Any, sheet: Path
) -> None:
    with pytest.raises(CommandError) as failed:
        cli(*args, str(sheet))
    assert str(failed.value) == message
    assert failed.value.returncode == 2


def test_bad_rows_exit_2_listing_every_row_without_a_traceback(
    world: World,
    data: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Run as from the shell; the command's closing of connections would end the test's
    # own transaction.
    monkeypatch.setattr(management_base.connections, "close_all", lambda: None)
    path = tmp_path / "fel.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(
            ["stegvis", "actuals", "import", "eget", "2024", "t1", str(path), "--unit", "tkr"]
        ).execute()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    for message in BAD_MESSAGES:
        assert message in err
    assert "Inget sparades: 3 fel i fel.csv." in err
    assert "Traceback" not in err
    assert stored(world) == {}


def test_a_missing_file_is_named(world: World, data: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"kunde inte läsas") as failed:
        cli("eget", "2024", "t1", str(tmp_path / "saknas.xlsx"))
    assert failed.value.returncode == 2


def test_the_command_follows_the_plan_that_covers_the_year(world: World, data: Any) -> None:
    with scope(association=world.own):
        newer = make_plan(world.own, first_year=2025, last_year=2027)
        assert actuals.plan_for_year(association=world.own, year=2025) == newer
        assert actuals.plan_for_year(association=world.own, year=2024) == data.plan
        assert period(world.own, "year").end_month == 12
