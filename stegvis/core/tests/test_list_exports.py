"""Every list exports: the lists that had no Excel or CSV get one through the exporter,
with the same rows as the page (numbers as numbers, never participant answers)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from stegvis.finance import actuals
from stegvis.finance.tests.factories import line_of, plan_for
from stegvis.goals.tests.matrix_cases import MATRIX_GOAL, goal_objects
from stegvis.instruments.defaults import install_defaults
from stegvis.interventions.models import Decision
from stegvis.interventions.tests.factories import (
    InterventionFactory,
    TargetGroupFactory,
    decide,
    plan_of,
    prepared,
    round_of,
)
from stegvis.participants.models import Question


def rows_of_csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def book_of(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def values(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def test_organisation_lists_every_group_with_its_seats(world: Any, client_as: Any) -> None:
    rows = rows_of_csv(client_as("reader").get("/f/eget/installningar/organisation/export.csv"))
    assert rows[0] == ["Grupp", "Slag", "Namn", "Funktion", "Utsedd av", "Från", "Till"]
    assert rows[1][0] == "Styrelse" and rows[1][2:5] == ["Anna Ledamot", "Ledamot", "Egna kommun"]
    page = client_as("reader").get("/f/eget/installningar/organisation/")
    assert 'href="/f/eget/installningar/organisation/export.xlsx"' in page.content.decode()


def test_people_and_roles(world: Any, client_as: Any) -> None:
    book = book_of(client_as("chief").get("/f/eget/installningar/personer/export.xlsx"))
    sheet = values(book["Personer och roller"])
    assert sheet[0] == ("Person", "Användarnamn", "Roll", "Medlem", "Befattning")
    assert {row[1] for row in sheet[1:]} == {
        "chief",
        "intervention_owner",
        "participant_registrar",
        "reader",
    }


def test_actuals_overview(world: Any, client_as: Any) -> None:
    plan = plan_for(world)
    with scopes_disabled():
        periods = {p.code: p for p in actuals.periods_ensure(association=world.own)}
        actuals.actuals_record(
            actor=None,
            plan=plan,
            year=2024,
            period=periods["t1"],
            amounts={line_of(world).pk: 90_000},
        )
    rows = rows_of_csv(client_as("reader").get("/f/eget/ekonomi/utfall/export.csv"))
    assert rows[0][:4] == [
        "År",
        "Följs upp mot",
        "Budgetrader",
        "Rader med utfall, Tertial 1 (jan–apr)",
    ]
    assert rows[1:] == [
        ["2025", str(plan), "1", "0", "0", "0"],
        ["2024", str(plan), "1", "1", "0", "0"],
    ]


def test_application_rounds_in_kronor(world: Any, client_as: Any) -> None:
    round_of(world, name="Höstens omgång")
    book = book_of(client_as("reader").get("/f/eget/insatser/ansokningsomgangar/export.xlsx"))
    sheet = book["Ansökningsomgångar"]
    row = values(sheet)[1]
    assert row[:4] == (
        "Höstens omgång",
        datetime.datetime(2025, 9, 1),
        datetime.datetime(2025, 10, 31),
        3_000_000,
    )
    assert sheet["D2"].number_format == "#,##0"


def test_the_boards_decisions_and_what_waits(world: Any, client_as: Any) -> None:
    plan_of(world)
    decided = prepared(world, title="Stegen")
    decide(world, decided)
    prepared(
        world,
        title="Vägen",
        recommendation="partial",
        recommended={2026: 500_000, 2027: 400_000},
    )
    book = book_of(client_as("reader").get("/f/eget/insatser/styrelsen/export.xlsx"))
    assert book.sheetnames == ["Fattade beslut", "Ärenden att besluta"]
    made = values(book["Fattade beslut"])
    assert made[1][3:] == ("Stegen", "Egna kommun", str(Decision.Outcome.APPROVE.label), 2_200_000)
    waiting = values(book["Ärenden att besluta"])
    assert [row[5:8] for row in waiting[1:]] == [
        (2026, 1_200_000, 500_000),
        (2027, 1_000_000, 400_000),
    ]
    csv_rows = rows_of_csv(client_as("reader").get("/f/eget/insatser/styrelsen/export.csv"))
    assert csv_rows[0][0] == "Sammanträde" and csv_rows[1][3] == "Stegen"


def test_target_groups_with_their_use(world: Any, client_as: Any) -> None:
    with scopes_disabled():
        group = TargetGroupFactory(association=world.own, name="Unga vuxna")
        InterventionFactory(association=world.own, owner=world.member, target_group=group)
    rows = rows_of_csv(client_as("reader").get("/f/eget/insatser/malgrupper/export.csv"))
    assert rows[0] == ["Målgrupp", "Insatser", "Ansökningar"]
    assert ["Unga vuxna", "1", "0"] in rows


def test_supplementary_questions_without_answers(world: Any, client_as: Any) -> None:
    with scopes_disabled():
        Question.objects.create(
            association=world.own,
            text="Har du körkort?",
            answer_type="choice",
            choices="Ja\nNej\n",
            occasion="start",
        )
    rows = rows_of_csv(client_as("chief").get("/f/eget/deltagare/fragor/export.csv"))
    assert rows[0] == ["Fråga", "Svarstyp", "Svarsalternativ", "När", "Insatser", "Svar", "Används"]
    assert rows[1] == [
        "Har du körkort?",
        "Val ur lista",
        "Ja, Nej",
        "Vid start",
        "Alla individinriktade",
        "0",
        "Ja",
    ]


def test_an_indicators_values_per_period(world: Any, client_as: Any) -> None:
    objects = goal_objects(world)
    response = client_as("reader").get(f"/f/eget/mal/indikator/{objects.indicator.pk}/export.xlsx")
    book = book_of(response)
    assert book.sheetnames == [
        f"Värde per period {objects.year}",
        "Utveckling per år",
        "Inmatade värden",
    ]
    sheet = values(book[f"Värde per period {objects.year}"])
    assert sheet[0][:5] == ("Period", "Från", "Till", "Värde", "Värde (tal)")
    assert sheet[1][0] == str(objects.year) or sheet[1][1] == datetime.datetime(objects.year, 1, 1)
    assert (f"Individ: {MATRIX_GOAL}",) in [row[:1] for row in sheet]


def test_instruments_with_their_questions(world: Any, client_as: Any) -> None:
    with scope(association=world.own):
        install_defaults(association=world.own)
    book = book_of(client_as("reader").get("/f/eget/instrument/export.xlsx"))
    assert book.sheetnames == ["Instrument", "Frågor"]
    definitions = values(book["Instrument"])
    assert len(definitions) >= 4 and definitions[0][:3] == ("Instrument", "Kod", "Slag")
    assert all(isinstance(row[3], int) for row in definitions[1:] if row[3] is not None)
    questions = values(book["Frågor"])
    assert questions[0] == ("Instrument", "Nr", "Fråga", "Kort namn", "Kod")
    assert len(questions) > 3


def test_the_national_overview(world: Any, client_as: Any) -> None:
    rows = rows_of_csv(client_as("national_reader").get("/nationellt/export.csv"))
    assert rows[0] == ["Förbund", "Organisationsnummer", "Medlemmar", "Kommuner"]
    assert [row[0] for row in rows[1:]] == [
        "Samordningsförbundet Annat",
        "Samordningsförbundet Eget",
    ]
    assert rows[2][2:] == ["1", "1"]
