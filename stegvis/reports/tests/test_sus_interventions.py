"""The insats report (/rapporter/insatsrapport/): chosen variables over a chosen period
for chosen insatser side by side and year over year; participant variables are the
goal map's metrics (one code path), suppressed as a group over the insatser; budget
and utfall per insats pro rata for a tertial; the page, PDF and Excel agree."""

from __future__ import annotations

import datetime
import io
from fractions import Fraction
from typing import Any

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from stegvis.conftest import World
from stegvis.goals import metrics
from stegvis.goals.periods import Period, period_from_code, range_period, year_period
from stegvis.interventions.tests.factories import InterventionFactory
from stegvis.participants.tests.factories import FollowUp, ParticipantFactory
from stegvis.reports.sus.common import budget_fraction, compared_periods, shift_period
from stegvis.reports.sus.interventions import (
    InterventionsReport,
    interventions_report,
    variables_for,
)
from stegvis.reports.tests import test_sus_support as support
from stegvis.reports.tests.pdf_support import pdf_text, save_pages
from stegvis.reports.tests.test_sus_support import exited, line, sheet

data = support.data  # the fixture

D = datetime.date
NBSP = "\u00a0"
URL = "/f/eget/rapporter/insatsrapport/"


def report(
    world: World,
    data: FollowUp,
    keys: list[str],
    period: Period | None = None,
    *,
    min_cell: int = 5,
    earlier: int = 0,
    chosen: list[Any] | None = None,
    gender: str | None = None,
) -> InterventionsReport:
    variables = {each.key: each for each in variables_for(world.own)}
    return interventions_report(
        association=world.own,
        period=period or year_period(2024),
        chosen=chosen if chosen is not None else [data.neighbour, data.insats],
        variables=[variables[key] for key in keys],
        gender=gender,
        min_cell=min_cell,
        earlier_years=earlier,
        draw=False,
    )


PARTICIPANT_KEYS = [
    "deltagare",
    "paborjade",
    "avslutade",
    "stegforflyttning",
    "avslut-arbete",
    "overlamning",
]


@pytest.mark.parametrize("gender", [None, "kvinna"])
def test_participant_variables_are_the_goal_maps_metrics(
    world: World, data: FollowUp, gender: str | None
) -> None:
    result = report(world, data, PARTICIPANT_KEYS, min_cell=1, gender=gender)
    by_key = {each.key: each for each in result.variables}
    for index, key in enumerate(PARTICIPANT_KEYS):
        variable = by_key[key]
        cells = result.table.lines[index].cells
        for column, name in enumerate(["Grannen", "Stegen", ""]):
            params = dict(variable.params)
            if name:
                params["intervention"] = name
            if gender:
                params["gender"] = gender
            expected = metrics.metric_compute(
                association=world.own,
                metric=variable.metric,
                params=params,
                period=year_period(2024),
            )
            assert cells[column].value == (
                None if expected.value is None else float(expected.value)
            ), (key, name)
    if gender is None:
        assert line(result.table, "Deltagare under perioden") == [8, 12, 20]
        assert line(result.table, "Andel avslutade med stegförflyttning") == [0.75, 0.5833, 0.65]
    else:
        assert line(result.table, "Deltagare under perioden") == [6, 7, 13]


def test_counts_and_shares_are_suppressed_as_a_group_whichever_insatser_are_chosen(
    world: World, data: FollowUp
) -> None:
    with scopes_disabled():
        small = InterventionFactory(association=world.own, owner=data.kommun, name="Lilla")
    exited(small, "kvinna", 3, outcome="arbete")
    keys = ["avslutade", "stegforflyttning"]
    everything = report(world, data, keys, chosen=[data.neighbour, small, data.insats])
    assert line(everything.table, "Avslutade under perioden") == [None, None, 12, 23]
    # Grannen hides with Lilla; its share goes with its count.
    assert line(everything.table, "Andel avslutade med stegförflyttning") == [
        None,
        None,
        0.5833,
        0.6957,
    ]
    # Choosing only Grannen shows it as hidden all the same.
    alone = report(world, data, keys, chosen=[data.neighbour])
    assert line(alone.table, "Avslutade under perioden") == [None, 23]
    assert everything.table.has_hidden


def test_budget_utfall_and_per_participant_for_a_tertial(world: World, data: FollowUp) -> None:
    support.money(world, data)
    tertial = period_from_code(association=world.own, code="2024-t1")
    keys = ["deltagare", "budget", "utfall", "budget-per-deltagare", "utfall-per-deltagare"]
    result = report(world, data, keys, tertial)
    assert line(result.table, "Deltagare under perioden") == [8, 12, 20]
    # 4/12 of the year's budget.
    assert line(result.table, "Budget för perioden") == [200_000, 400_000, 600_000]
    assert line(result.table, "Utfall för perioden") == [None, 350_000, 350_000]
    per_budget = line(result.table, "Budget per deltagare")
    assert per_budget == [25_000, pytest.approx(400_000 / 12), 30_000]
    # All insatser: over those with utfall (Stegen's 12 deltagare), not all 20.
    assert line(result.table, "Utfall per deltagare")[1:] == [
        pytest.approx(350_000 / 12),
        pytest.approx(350_000 / 12),
    ]
    cells = {each.label: each.cells for each in result.table.lines}
    assert cells["Budget för perioden"][1].text == "400"  # tkr
    assert cells["Budget per deltagare"][1].text == f"33{NBSP}333"  # kr


def test_own_dates_have_budget_pro_rata_and_no_utfall(world: World, data: FollowUp) -> None:
    support.money(world, data)
    days = range_period(D(2024, 3, 1), D(2024, 3, 10))
    result = report(world, data, ["budget", "utfall"], days)
    assert line(result.table, "Budget för perioden")[1] == round(1_200_000 * 10 / 366)
    assert line(result.table, "Utfall för perioden") == [None, None, None]
    assert any("inte för egna datum" in note for note in result.notes)


def test_years_compare_the_same_period(world: World, data: FollowUp) -> None:
    support.money(world, data)
    with scopes_disabled():
        for _ in range(6):
            ParticipantFactory(
                intervention=data.insats, start=D(2023, 2, 1), exit=D(2023, 5, 1), outcome="flytt"
            )
    result = report(world, data, ["deltagare", "stegforflyttning", "budget"], earlier=1)
    assert [each.label for each in result.periods] == ["Helår 2023", "Helår 2024"]
    participants, shares, budgets = (each.table for each in result.years)
    assert participants.columns == ["Helår 2023", "Helår 2024", "Förändring mot föregående år"]
    assert line(participants, "Stegen") == [6, 12, 6]
    assert line(shares, "Stegen") == [0.0, 0.5833, 0.5833]  # in percentage points
    assert line(budgets, "Stegen") == [None, 1_200_000, None]  # no budget for 2023
    assert line(participants, "Alla insatser") == [6, 20, 14]


def test_page_pdf_and_excel_show_the_reports_figures(
    world: World, data: FollowUp, client_as: Any
) -> None:
    support.money(world, data)
    query = (
        f"?year=2024&period=helar&insats={data.insats.pk}&insats={data.neighbour.pk}"
        "&variabel=deltagare&variabel=stegforflyttning&variabel=budget&variabel=utfall"
        "&variabel=utfall-per-deltagare&jamfor=1&kon="
    )
    client = client_as("intervention_owner")
    page = client.get(URL + query)
    assert page.status_code == 200
    result = page.context["report"]
    assert [each.name for each in result.interventions] == ["Grannen", "Stegen"]
    html = page.content.decode()
    assert "Insatsrapport: Helår 2024" in html
    assert f"58,3{NBSP}%" in html
    assert f"91{NBSP}667" in html  # 1 100 000 kr / 12 deltagare

    pdf = client.get(URL + "rapport.pdf" + query)
    assert pdf.status_code == 200
    save_pages(pdf.content, "sus-insatser")
    text = " ".join(pdf_text(pdf.content).split())
    assert "Deltagare under perioden 8 12 20" in text
    assert "Andel avslutade med stegförflyttning 75,0 % 58,3 % 65,0 %" in text
    assert "Utfall för perioden – 1 100 1 100" in text
    assert "Jämförelse med tidigare år" in text

    workbook = load_workbook(io.BytesIO(client.get(URL + "export.xlsx" + query).content))
    main = sheet(workbook, "Insatserna sida vid sida")
    rows = {row[0]: list(row[1:]) for row in main.iter_rows(min_row=2, values_only=True)}
    assert rows["Deltagare under perioden"] == [8, 12, 20]
    assert rows["Utfall för perioden"] == [None, 1_100_000, 1_100_000]
    assert "Deltagare under perioden per år" in [name[:31] for name in workbook.sheetnames]


def test_a_forbund_without_insatser_says_there_is_nothing(world: World, client_as: Any) -> None:
    client = client_as("chief")
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Inga uppgifter" in html and "Förbundet har inga insatser än" in html
    assert "Inga uppgifter" in pdf_text(client.get(URL + "rapport.pdf").content)
    workbook = load_workbook(io.BytesIO(client.get(URL + "export.xlsx").content))
    assert workbook.sheetnames == ["Insatsrapport"]


def test_another_forbunds_insats_is_not_found(world: World, data: FollowUp, client_as: Any) -> None:
    client = client_as("reader")
    other = f"?insats={data.insats.pk}&insats={data.other_insats.pk}"
    assert client.get(URL + other).status_code == 404
    assert client.get(URL + "rapport.pdf" + other).status_code == 404
    assert client.get(URL + "export.csv" + other).status_code == 404


def test_no_insats_chosen_is_an_error_beside_the_field(
    world: World, data: FollowUp, client_as: Any
) -> None:
    page = client_as("reader").get(URL + "?year=2024&period=helar&variabel=deltagare")
    assert "Välj minst en insats." in page.content.decode()
    # Meanwhile every insats of the förbund is shown.
    assert {each.name for each in page.context["report"].interventions} == {"Grannen", "Stegen"}


def test_budget_fraction_counts_months_in_twelfths_and_other_days_in_days() -> None:
    assert budget_fraction(year_period(2024), 2024) == 1
    assert budget_fraction(range_period(D(2024, 1, 1), D(2024, 4, 30)), 2024) == Fraction(4, 12)
    assert budget_fraction(range_period(D(2024, 3, 1), D(2024, 3, 10)), 2024) == Fraction(10, 366)
    across = range_period(D(2023, 11, 1), D(2024, 2, 29))
    assert budget_fraction(across, 2023) == Fraction(2, 12)
    assert budget_fraction(across, 2024) == Fraction(2, 12)
    assert budget_fraction(across, 2025) == 0


def test_the_same_period_earlier_years(world: World) -> None:
    tertial = period_from_code(association=world.own, code="2024-t2")
    assert shift_period(tertial, -1).code == "2023-t2"
    assert shift_period(tertial, -1).end == D(2023, 8, 31)
    own = range_period(D(2024, 1, 1), D(2024, 4, 30))
    assert shift_period(own, -1) == range_period(D(2023, 1, 1), D(2023, 4, 30))
    leap = range_period(D(2024, 2, 1), D(2024, 2, 29))
    assert shift_period(leap, -1) == range_period(D(2023, 2, 1), D(2023, 2, 28))
    assert [each.code for each in compared_periods(year_period(2024), 2)] == [
        "2022",
        "2023",
        "2024",
    ]


def test_variables_offer_the_forbunds_surveys_and_screenings(world: World) -> None:
    from stegvis.instruments.models import Instrument, InstrumentQuestion

    with scopes_disabled():
        survey = Instrument.objects.create(
            association=world.own,
            name="Deltagarenkät",
            kind=Instrument.Kind.SURVEY,
            scale_min=1,
            scale_max=5,
            agree_from=4,
        )
        InstrumentQuestion.objects.create(
            association=world.own, instrument=survey, text="Jag får stöd", short_label="Stöd"
        )
        Instrument.objects.create(
            association=world.own, name="Våld i nära relationer", kind=Instrument.Kind.SCREENING
        )
    labels = [each.label for each in variables_for(world.own)]
    assert "Instämmer: Stöd" in labels
    assert "Screenade: Våld i nära relationer" in labels
    assert labels[-4:] == [
        "Budget för perioden",
        "Utfall för perioden",
        "Budget per deltagare",
        "Utfall per deltagare",
    ]
