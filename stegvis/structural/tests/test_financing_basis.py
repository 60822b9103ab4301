"""The financing basis page and its export, on the hand-counted year of
factories_teams.team_year: the page, the Excel file and the CSV file hold the same
figures, per member and in total."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django_scopes import scope
from openpyxl import load_workbook

from stegvis.conftest import World
from stegvis.goals.periods import period_from_code
from stegvis.structural import selectors_teams
from stegvis.structural.tests.factories_teams import TeamYear, team_year

NBSP = "\u00a0"


@pytest.fixture
def year(world: World) -> TeamYear:
    return team_year(world.own, kommun=world.member)


def url(world: World, rest: str) -> str:
    return f"/f/{world.own.slug}/samverkan/konsultationsteam/{rest}"


def test_the_basis_of_tertial_one_counted_by_hand(world: World, year: TeamYear) -> None:
    with scope(association=world.own):
        page = selectors_teams.financing_page(
            association=world.own, period=period_from_code(association=world.own, code="2024-t1")
        )
    rows = {row.member.name: (row.meetings, row.hours, row.amount) for row in page.rows}
    assert rows == {
        "Försäkringskassan": (4, Decimal(8), Decimal(6300)),
        "Arbetsförmedlingen": (3, Decimal(6), Decimal(4500)),
        "Region Test": (3, Decimal("5.5"), Decimal(3300)),
        world.member.name: (3, Decimal(6), Decimal(0)),
    }
    # Listed in the plans' order: the state, the region, the kommuner.
    assert [row.member.name for row in page.rows][:3] == [
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Region Test",
    ]
    assert page.total == Decimal(14100)
    assert (page.held, page.cancelled) == (4, 1)
    fk = next(row for row in page.rows if row.member.name == "Försäkringskassan")
    assert [(line.rate_text, line.meetings) for line in fk.lines] == [
        (f"1{NBSP}500{NBSP}kr per möte", 3),
        (f"1{NBSP}800{NBSP}kr per möte", 1),
    ]
    assert fk.share_text == f"100{NBSP}%"


def test_the_page_shows_each_members_amount_and_the_total(
    world: World, year: TeamYear, client_as: Any
) -> None:
    response = client_as("reader").get(url(world, "finansiering/?period=2024-t1"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        f"6{NBSP}300{NBSP}kr",
        f"4{NBSP}500{NBSP}kr",
        f"3{NBSP}300{NBSP}kr",
        f"14{NBSP}100{NBSP}kr",
        f"600{NBSP}kr per timme",
        "5,5",
        f"75{NBSP}%",
    ):
        assert text in html, text
    # The cancelled meeting is counted as cancelled, never paid.
    assert "Inställda möten" in html


def test_the_year_and_a_custom_range(world: World, year: TeamYear, client_as: Any) -> None:
    client = client_as("chief")
    assert (
        f"17{NBSP}100{NBSP}kr"
        in client.get(url(world, "finansiering/?period=2024")).content.decode()
    )
    march = client.get(url(world, "finansiering/?fran=2024-03-01&till=2024-03-31")).content.decode()
    assert f"3{NBSP}000{NBSP}kr" in march  # only 13 March: the 27th was cancelled
    broken = client.get(url(world, "finansiering/?fran=2024-03-31&till=2024-03-01"))
    assert "Ange ett datumintervall" in broken.content.decode()


def test_the_excel_basis_holds_the_same_figures(
    world: World, year: TeamYear, client_as: Any
) -> None:
    response = client_as("chief").get(url(world, "finansiering/export.xlsx?period=2024-t1"))
    assert response.status_code == 200
    assert 'filename="finansieringsunderlag-2024-t1.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Underlag per medlem", "Närvaro bakom underlaget"]
    summary = list(book["Underlag per medlem"].iter_rows(min_row=2, values_only=True))
    per_member: dict[str, Decimal] = {}
    for row in summary:
        if row[0] and row[6] is not None:
            per_member[str(row[0])] = per_member.get(str(row[0]), Decimal(0)) + Decimal(str(row[6]))
    assert per_member["Försäkringskassan"] == Decimal(6300)
    assert per_member["Region Test"] == Decimal(3300)
    assert per_member["Summa"] == Decimal(14100)
    fk_lines = [row for row in summary if row[0] == "Försäkringskassan"]
    assert [(row[2], row[4], row[5]) for row in fk_lines] == [
        (3, 1500, "per möte"),
        (1, 1800, "per möte"),
    ]
    details = list(book["Närvaro bakom underlaget"].iter_rows(min_row=2, values_only=True))
    assert len(details) == 13
    assert sum(Decimal(str(row[7])) for row in details) == Decimal(14100)
    assert {row[3] for row in details if row[2] == "Försäkringskassan"} == {
        "Anna Andersson",
        "Bertil Berg",
    }


def test_the_csv_basis_holds_the_same_figures(world: World, year: TeamYear, client_as: Any) -> None:
    response = client_as("reader").get(url(world, "finansiering/export.csv?period=2024-t1"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Medlem"
    total = next(row for row in rows if row[0] == "Summa")
    assert Decimal(total[6].replace(",", ".")) == Decimal(14100)
    assert Decimal(total[3].replace(",", ".")) == Decimal("25.5")  # 8 + 6 + 5,5 + 6
    region = next(row for row in rows if row[0] == "Region Test")
    assert (region[2], region[4], region[5]) == ("3", "600", "per timme")


def test_one_teams_basis(world: World, year: TeamYear, client_as: Any) -> None:
    with scope(association=world.own):
        from stegvis.structural import services_teams

        other = services_teams.team_create(actor=None, association=world.own, name="Team Syd")
    client = client_as("chief")
    only_other = client.get(url(world, f"finansiering/?period=2024&team={other.pk}"))
    assert "Ingen medlem hade en representant" in only_other.content.decode()
    mine = client.get(url(world, f"finansiering/export.csv?period=2024&team={year.team.pk}"))
    assert "17100" in mine.content.decode("utf-8-sig").replace(",00", "")


def test_an_unknown_format_answers_404(world: World, client_as: Any) -> None:
    assert client_as("chief").get(url(world, "finansiering/export.pdf")).status_code == 404
