"""The goal map's `deviations` metric ("rapporterade avvikelser") counts the avvikelser
reported in a period, not the guldkorn, and the learning overview counts the same
cases by period. Hand-computed on this data:

| reported   | kind         | insats | category               | closed     |
|------------|--------------|--------|------------------------|------------|
| 2024-01-15 | avvikelse    | Stegen | Remiss och överlämning | 2024-03-01 |
| 2024-04-30 | avvikelse    | –      | Roller och ansvar      |            |
| 2024-05-02 | avvikelse    | Stegen | Remiss och överlämning | 2024-09-10 |
| 2024-06-10 | guldkorn     | Stegen | Information/kommun…    | 2024-06-20 |
| 2024-11-03 | avvikelse    | –      | Tillgänglighet         |            |
| 2025-01-07 | avvikelse    | –      | Regelverk              |            |

Tertial 1 2024 (jan–apr): 2 avvikelser; tertial 2 (jan–aug): 3 avvikelser, 1 guldkorn;
helår 2024: 4 avvikelser, 1 guldkorn; Stegen helår: 2.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.goals import metrics
from stegvis.goals.evaluation import Status
from stegvis.goals.periods import period_from_code
from stegvis.goals.tests.factories import (
    GoalFactory,
    GoalMapFactory,
    IndicatorFactory,
    TargetFactory,
)
from stegvis.structural.selectors_deviations import deviation_count, learning_overview
from stegvis.structural.tests.factories_deviations import case, insats

D = datetime.date


@pytest.fixture
def data(world: World) -> dict[str, Any]:
    stegen = insats(world, "Stegen")
    case(
        world.own,
        reported_on=D(2024, 1, 15),
        intervention=stegen,
        status="closed",
        closed_on=D(2024, 3, 1),
        measures="Ny rutin för remisser.",
        learning="Remisser behöver en mottagare.",
        members=[world.member],
    )
    case(world.own, reported_on=D(2024, 4, 30), category_name="Roller och ansvar")
    case(
        world.own,
        reported_on=D(2024, 5, 2),
        intervention=stegen,
        status="closed",
        closed_on=D(2024, 9, 10),
        learning="Överlämningar bokas i förväg.",
    )
    case(
        world.own,
        kind="good_example",
        title="Gemensamt trepartssamtal",
        description="Alla tre parter träffade deltagaren samtidigt.",
        reported_on=D(2024, 6, 10),
        intervention=stegen,
        category_name="Information/kommunikation",
        status="closed",
        closed_on=D(2024, 6, 20),
    )
    case(world.own, reported_on=D(2024, 11, 3), category_name="Tillgänglighet")
    case(world.own, reported_on=D(2025, 1, 7), category_name="Regelverk")
    case(world.other, reported_on=D(2024, 2, 1))  # another förbund's: never counted
    return {"stegen": stegen}


def compute(world: World, code: str, **params: Any) -> metrics.MetricResult:
    period = period_from_code(association=world.own, code=code)
    with scopes_disabled():
        return metrics.metric_compute(
            association=world.own, metric="deviations", params=params, period=period
        )


@pytest.mark.parametrize(
    ("code", "params", "expected"),
    [
        ("2024-t1", {}, 2),
        ("2024-t2", {}, 3),
        ("2024", {}, 4),
        ("2025", {}, 1),
        ("2024", {"intervention": "Stegen"}, 2),
        ("2024-04-30_2024-05-02", {}, 2),
    ],
)
def test_the_metric_counts_deviations_reported_in_the_period(
    world: World, data: Any, code: str, params: dict[str, Any], expected: int
) -> None:
    result = compute(world, code, **params)
    assert result.measurable and result.unit == "count"
    assert result.value == Decimal(expected)


def test_guldkorn_are_shown_beside_but_not_counted(world: World, data: Any) -> None:
    result = compute(world, "2024")
    assert result.breakdown == [
        ("Rapporterade avvikelser under perioden", 4),
        ("Guldkorn under perioden (räknas inte)", 1),
    ]


def test_deviations_are_not_counted_by_kön(world: World, data: Any) -> None:
    result = compute(world, "2024", gender="kvinna")
    assert not result.measurable and "per kön" in result.reason


def test_the_selector_counts_both_ends_of_the_period(world: World, data: Any) -> None:
    with scopes_disabled():
        assert deviation_count(association=world.own, start=D(2024, 1, 15), end=D(2024, 4, 30)) == 2
        assert deviation_count(association=world.own, start=D(2024, 1, 16), end=D(2024, 4, 29)) == 0


def test_the_metric_feeds_the_goal_map(world: World, data: Any, client_as: Any) -> None:
    with scopes_disabled():
        goal_map = GoalMapFactory(association=world.own, year=2024)
        goal = GoalFactory(
            goal_map=goal_map, perspective="Samverkan", text="Brister i samverkan blir synliga"
        )
        documented = IndicatorFactory(
            goal=goal, text="Brister dokumenteras som avvikelser", metric="deviations"
        )
        TargetFactory(indicator=documented, op=">=", value=Decimal(3))
    response = client_as("reader").get(f"/f/{world.own.slug}/mal/2024/?period=2024-t1")
    rows = {
        row.indicator.text: row
        for section in response.context["page"].sections
        for goal_row in section.goals
        for row in goal_row.indicators
    }
    row = rows["Brister dokumenteras som avvikelser"]
    assert (row.value, row.evaluation.status) == ("2", Status.NOT_ACHIEVED)
    helar = client_as("reader").get(f"/f/{world.own.slug}/mal/2024/?period=2024")
    assert "Uppnått" in helar.content.decode()


def test_the_learning_overview_counts_by_period(world: World, data: Any) -> None:
    with scopes_disabled():
        t1 = learning_overview(
            association=world.own, period=period_from_code(association=world.own, code="2024-t1")
        )
        year = learning_overview(
            association=world.own, period=period_from_code(association=world.own, code="2024")
        )
    assert (t1.reported.deviations, t1.reported.good_examples) == (2, 0)
    assert (year.reported.deviations, year.reported.good_examples) == (4, 1)
    categories = {row.label: (row.deviations, row.good_examples) for row in year.by_category}
    assert categories["Remiss och överlämning"] == (2, 0)
    assert categories["Information/kommunikation"] == (0, 1)
    assert categories["Regelverk"] == (0, 0)  # 2025's
    statuses = {row.label: row.total for row in year.by_status}
    assert statuses == {"Rapporterad": 2, "Under hantering": 0, "Avslutad": 3}
    interventions = {row.label: row.deviations for row in year.by_intervention}
    assert interventions == {"Stegen": 2, "Ingen särskild insats": 2}
    assert [(row.label, row.deviations) for row in year.by_member] == [("Egna kommun", 1)]
    # Closed in tertial 1: the January case, with its learning; mean 46 days to close.
    assert [case.learning for case in t1.learnings] == ["Remisser behöver en mottagare."]
    assert t1.mean_days_to_close == 46
    assert year.mean_days_to_close == round((46 + 131) / 2)
    assert year.open_deviations == 2
    assert [case.title for case in year.good_examples] == ["Gemensamt trepartssamtal"]
    # The year's periods side by side: (reported, closed) avvikelser and guldkorn.
    assert [
        (period.code, reported.deviations, reported.good_examples, closed.total)
        for period, reported, closed in year.by_period
    ] == [("2024-t1", 2, 0, 1), ("2024-t2", 3, 1, 2), ("2024", 4, 1, 3)]


def test_the_board_reads_the_learning_page_without_reporters(
    world: World, data: Any, client_as: Any
) -> None:
    with scopes_disabled():
        for deviation in world.own.deviations.all():
            deviation.reported_by = world.users["participant_registrar"]
            deviation.save()
    client = client_as("reader")
    page = client.get(f"/f/{world.own.slug}/samverkan/avvikelser/larande/?period=2024").content
    text = page.decode()
    assert "Remisser behöver en mottagare." in text
    assert "Alla tre parter träffade deltagaren samtidigt." in text  # the guldkorn's story
    assert "Överlämningen mellan parterna dröjde." not in text  # an avvikelse's details
    assert "participant_registrar" not in text and "Rapporterad av" not in text
    assert '/samverkan/avvikelser/"' not in text  # no way to the list of cases
    workbook = client.get(
        f"/f/{world.own.slug}/samverkan/avvikelser/larande/export.xlsx?period=2024"
    )
    assert workbook.status_code == 200
    csv = client.get(f"/f/{world.own.slug}/samverkan/avvikelser/larande/export.csv?period=2024")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Kategori;Avvikelser;Guldkorn;Totalt"
    assert "Remiss och överlämning;2;0;2" in lines


def test_the_start_page_card_counts_this_years_cases(world: World, data: Any) -> None:
    from stegvis.structural.selectors_deviations import deviation_card

    with scopes_disabled():
        board = deviation_card(
            association=world.own,
            user=world.users["reader"],
            permissions={"view_collaboration"},
            today=D(2024, 12, 1),
        )
        kansli = deviation_card(
            association=world.own,
            user=world.users["chief"],
            permissions={"view_collaboration", "report_deviations", "manage_collaboration"},
            today=D(2024, 12, 1),
        )
    assert (board.deviations, board.good_examples, board.open_deviations) == (4, 1, 3)
    assert (board.waiting, board.latest) == (0, [])  # the board opens no cases
    assert kansli.waiting == 3
    assert [case.reported_on for case in kansli.latest] == [
        D(2025, 1, 7),
        D(2024, 11, 3),
        D(2024, 6, 10),
    ]
