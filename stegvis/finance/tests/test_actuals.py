"""Recording actuals, the follow-up page, forecasts and periods, as the kansli and the
board use them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope
from openpyxl import load_workbook

from stegvis.conftest import World
from stegvis.finance import actuals
from stegvis.finance.models import Actual, Forecast, ReportingPeriod
from stegvis.finance.tests.test_actuals_support import (
    actuals_data,
    actuals_path,
    audit_entries,
    line,
    period,
)

NBSP = "\u00a0"


@pytest.fixture
def data(world: World) -> Any:
    return actuals_data(world)


def record(world: World, data: Any, code: str, amounts: dict[str, int | None]) -> None:
    with scope(association=world.own):
        actuals.actuals_record(
            actor=world.users["chief"],
            plan=data.plan,
            year=2024,
            period=period(world.own, code),
            amounts={line(data.plan, name).pk: amount for name, amount in amounts.items()},
        )


def stored(world: World, code: str) -> dict[str, int]:
    with scope(association=world.own):
        return dict(
            Actual.objects.filter(period__code=code, year=2024).values_list("line__name", "amount")
        )


def form_data(data: Any, unit: str, amounts: dict[str, str]) -> dict[str, str]:
    with scope(association=data.plan.association):
        lines = {line.name: line.pk for line in data.plan.lines.all()}
    return {"unit": unit, **{f"line_{lines[name]}": value for name, value in amounts.items()}}


# -- Periods ------------------------------------------------------------------------


def test_a_foerbund_gets_the_default_periods_on_first_use(world: World) -> None:
    with scope(association=world.own):
        assert not ReportingPeriod.objects.filter(association=world.own).exists()
        made = actuals.periods_ensure(association=world.own)
        again = actuals.periods_ensure(association=world.own)
    assert [(p.code, p.name, p.end_month) for p in made] == [
        ("t1", "Tertial 1 (jan–apr)", 4),
        ("t2", "Tertial 2 (jan–aug)", 8),
        ("year", "Helår", 12),
    ]
    assert again == made


def test_a_period_in_use_cannot_be_removed_and_the_page_says_why(
    world: World, data: Any, client_as: Any
) -> None:
    record(world, data, "t1", {"Administration": 100})
    t1 = data.period
    with scope(association=world.own), pytest.raises(ValidationError) as refused:
        actuals.period_remove(actor=world.users["chief"], period=t1)
    assert refused.value.messages == [
        "Perioden ”Tertial 1 (jan–apr)” kan inte tas bort eftersom utfall är registrerat för "
        "den (1 belopp). Ta bort utfallet först eller behåll perioden."
    ]
    response = client_as("chief").post(
        actuals_path(world, f"perioder/{t1.pk}/ta-bort/"), follow=True
    )
    assert "kan inte tas bort eftersom utfall är registrerat" in response.content.decode()
    with scope(association=world.own):
        assert ReportingPeriod.objects.filter(pk=t1.pk).exists()


def test_a_period_without_actuals_is_added_renamed_and_removed(
    world: World, data: Any, client_as: Any
) -> None:
    client = client_as("chief")
    assert (
        client.post(
            actuals_path(world, "perioder/ny/"), {"name": "Delår (jan–jun)", "end_month": 6}
        ).status_code
        == 302
    )
    with scope(association=world.own):
        added = ReportingPeriod.objects.get(association=world.own, end_month=6)
    assert added.code == "delar-janjun"
    clash = client.post(actuals_path(world, "perioder/ny/"), {"name": "Juni", "end_month": 6})
    assert clash.context["form"].errors == {
        "end_month": ["Perioden ”Delår (jan–jun)” slutar redan med den månaden."]
    }
    client.post(actuals_path(world, f"perioder/{added.pk}/"), {"name": "Delår 1", "end_month": 7})
    added.refresh_from_db()
    assert (added.name, added.end_month) == ("Delår 1", 7)
    client.post(actuals_path(world, f"perioder/{added.pk}/ta-bort/"))
    with scope(association=world.own):
        assert not ReportingPeriod.objects.filter(pk=added.pk).exists()
    actions = [e.action for e in audit_entries(action__startswith="reporting_period.")]
    assert actions[-3:] == [
        "reporting_period.created",
        "reporting_period.updated",
        "reporting_period.removed",
    ]


def test_a_used_period_keeps_its_end_month_but_may_be_renamed(
    world: World, data: Any, client_as: Any
) -> None:
    record(world, data, "t1", {"Administration": 100})
    path = actuals_path(world, f"perioder/{data.period.pk}/")
    moved = client_as("chief").post(path, {"name": "T1", "end_month": 5})
    assert "kan inte få en annan slutmånad" in moved.context["form"].errors["end_month"][0]
    client_as("chief").post(path, {"name": "T1", "end_month": 4})
    data.period.refresh_from_db()
    assert (data.period.name, data.period.end_month) == ("T1", 4)


# -- Recording ----------------------------------------------------------------------


def test_recording_stores_whole_kronor_and_logs_each_amount(
    world: World, data: Any, client_as: Any
) -> None:
    page = client_as("chief").get(actuals_path(world, "2024/t2/registrera/"))
    html = page.content.decode()
    # Every line, revenues first, grouped like the budget, with the year's budget.
    assert html.index("Medlemsavgifter") < html.index("Administration") < html.index("Processtöd")
    assert "Kostnader: Individinriktade insatser" in html
    assert f"2{NBSP}400{NBSP}000" in html

    response = client_as("chief").post(
        actuals_path(world, "2024/t2/registrera/"),
        form_data(
            data, "tkr", {"Administration": "1 234,5", "Styrelse o revision": "160", "ESF": ""}
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == actuals_path(world, "2024/t2/")
    assert stored(world, "t2") == {"Administration": 1_234_500, "Styrelse o revision": 160_000}
    entries = audit_entries(action="actual.recorded")
    assert [(e.object_repr, e.changes) for e in entries] == [
        ("Styrelse o revision, Tertial 2 (jan–aug) 2024", {"amount": [None, 160_000]}),
        ("Administration, Tertial 2 (jan–aug) 2024", {"amount": [None, 1_234_500]}),
    ]
    assert entries[0].actor == world.users["chief"]


def test_recording_again_replaces_and_an_emptied_field_removes(
    world: World, data: Any, client_as: Any
) -> None:
    path = actuals_path(world, "2024/t2/registrera/")
    client = client_as("chief")
    client.post(path, form_data(data, "kr", {"Administration": "800 000", "Processtöd": "90000"}))
    page = client.get(path + "?enhet=kr").content.decode()
    assert 'value="800 000"' in page
    client.post(path, form_data(data, "kr", {"Administration": "810 000", "Processtöd": ""}))
    assert stored(world, "t2") == {"Administration": 810_000}
    changes = {
        (e.action, e.object_repr.split(",")[0]): e.changes
        for e in audit_entries(action__startswith="actual.")
    }
    assert changes[("actual.recorded", "Administration")] == {"amount": [800_000, 810_000]}
    assert changes[("actual.removed", "Processtöd")] == {"amount": [90_000, None]}


def test_bad_amounts_name_the_line_and_nothing_is_stored(
    world: World, data: Any, client_as: Any
) -> None:
    response = client_as("chief").post(
        actuals_path(world, "2024/t1/registrera/"),
        form_data(data, "tkr", {"Administration": "12x", "ESF": "1.234,5", "Processtöd": "50"}),
    )
    assert response.status_code == 200
    errors = sorted(error for _id, error in response.context["field_errors"])
    assert errors == [
        "Utfall för ”Administration”: ”12x” är inte ett belopp (skriv till exempel 1 234,5).",
        "Utfall för ”ESF”: ”1.234,5” är inte ett belopp (skriv till exempel 1 234,5).",
    ]
    assert "2 belopp behöver rättas. Inget är sparat." in response.content.decode()
    assert stored(world, "t1") == {}


def test_amounts_are_shown_in_the_unit_chosen(world: World, data: Any, client_as: Any) -> None:
    record(world, data, "t1", {"Administration": 1_234_500})
    path = actuals_path(world, "2024/t1/registrera/")
    assert 'value="1 234,5"' in client_as("chief").get(path).content.decode()  # the plan's tkr
    assert 'value="1 234 500"' in client_as("chief").get(path + "?enhet=kr").content.decode()


# -- Follow-up ----------------------------------------------------------------------


def test_t2_actual_of_800_of_a_1200_budget_is_on_course(world: World, data: Any) -> None:
    record(world, data, "t2", {"Administration": 800_000})
    with scope(association=world.own):
        result = actuals.followup(plan=data.plan, year=2024, period=period(world.own, "t2"))
    row = next(row for row in result.rows if row.line.name == "Administration")
    assert row.figures == actuals.Figures(budget=1_200_000, actual=800_000, prognosis=1_200_000)
    assert (row.figures.deviation, row.figures.deviation_share) == (0, 0)
    assert row.prognosis.source == actuals.Source.EXTRAPOLATED
    assert row.basis == "Utfall Tertial 2 (jan–aug) × 12/8"
    assert row.flag is None
    assert result.year_share == actuals.year_share(8)


def test_categories_and_totals_add_up_and_the_equity_follows_the_prognosis(
    world: World, data: Any
) -> None:
    record(
        world,
        data,
        "t1",
        {
            "Medlemsavgifter": 800_000,
            "Administration": 500_000,  # × 3 = 1 500 000: 25 % over budget
            "Stegen Karlstad": 200_000,
            "Lärlingsutbildning": 0,
        },
    )
    with scope(association=world.own):
        result = actuals.followup(plan=data.plan, year=2024, period=data.period)
    individual = next(group for group in result.groups if group.key == "individual")
    assert individual.total == actuals.Figures(budget=900_000, actual=200_000, prognosis=600_000)
    admin = next(row for row in result.rows if row.line.name == "Administration")
    assert admin.flag == actuals.Flag.OVER
    assert admin.figures.deviation == 300_000
    # ESF, Styrelse and Processtöd have no actual: their budget stands.
    assert result.revenues == actuals.Figures(2_520_000, 800_000, 2_520_000)
    assert result.costs == actuals.Figures(
        2_520_000, 700_000, 1_500_000 + 240_000 + 600_000 + 180_000
    )
    assert result.result.prognosis == 2_520_000 - 2_520_000
    assert (result.lines, result.recorded, result.missing) == (7, 4, 3)
    assert result.opening_equity == 500_000
    assert result.closing_budget == 500_000
    assert result.closing_prognosis == 500_000 + result.result.prognosis


def test_the_followup_page_marks_overspending_in_words(
    world: World, data: Any, client_as: Any
) -> None:
    record(
        world, data, "t1", {"Administration": 500_000, "Medlemsavgifter": 800_000, "ESF": 10_000}
    )
    html = client_as("reader").get(actuals_path(world, "2024/t1/")).content.decode()
    assert "⚠&nbsp;Över budget" in html
    assert "⚠&nbsp;Under budget" in html  # ESF: 30 000 of 120 000
    assert f"1{NBSP}500{NBSP}000" in html
    assert f"+25,0{NBSP}%" in html
    assert "Utfall jan–apr" in html
    assert "4 av årets 12 månader har gått (33,3" in html
    # Lines without an actual say what their prognosis rests on.
    assert "Budgeten – inget utfall ännu" in html
    # The board reads; it does not edit.
    assert "ändra prognosen för" not in html
    assert "Registrera utfall" not in html
    chief = client_as("chief").get(actuals_path(world, "2024/t1/")).content.decode()
    assert "ändra prognosen för Administration" in chief


def test_the_kanslis_forecast_overrides_until_helar(
    world: World, data: Any, client_as: Any
) -> None:
    record(world, data, "t2", {"Administration": 800_000})
    record(world, data, "year", {"Administration": 1_190_000})
    client = client_as("chief")
    path = actuals_path(world, "2024/t2/prognos/{line}/")
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"amount": "1 300", "unit": "tkr", "comment": "Ny tjänst från juni"}
    )
    assert response.status_code == 302
    with scope(association=world.own):
        assert Forecast.objects.get(line=data.line, year=2024).amount == 1_300_000
        t2 = actuals.followup(plan=data.plan, year=2024, period=period(world.own, "t2"))
        year = actuals.followup(plan=data.plan, year=2024, period=period(world.own, "year"))
    row = next(row for row in t2.rows if row.line == data.line)
    assert (row.figures.prognosis, row.prognosis.source, row.forecast_comment) == (
        1_300_000,
        actuals.Source.FORECAST,
        "Ny tjänst från juni",
    )
    assert row.flag == actuals.Flag.OVER
    helar = next(row for row in year.rows if row.line == data.line)
    assert (helar.figures.prognosis, helar.prognosis.source) == (1_190_000, actuals.Source.ACTUAL)
    [entry] = audit_entries(action="forecast.set")
    assert entry.changes == {"amount": [None, 1_300_000], "comment": ["", "Ny tjänst från juni"]}

    client.post(actuals_path(world, "2024/t2/prognos/{line}/ta-bort/"))
    with scope(association=world.own):
        assert not Forecast.objects.filter(line=data.line).exists()
    assert audit_entries(action="forecast.removed")


def test_a_bad_forecast_amount_is_refused_on_the_field(
    world: World, data: Any, client_as: Any
) -> None:
    response = client_as("chief").post(
        actuals_path(world, "2024/t1/prognos/{line}/"), {"amount": "mycket", "unit": "kr"}
    )
    assert response.context["form"].errors["amount"] == [
        "”mycket” är inte ett belopp (skriv till exempel 1 234,5)."
    ]


def test_the_followup_exports_to_excel(world: World, data: Any, client_as: Any) -> None:
    record(world, data, "t2", {"Administration": 800_000})
    response = client_as("reader").get(actuals_path(world, "2024/t2/export.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:6] == (
        "Grupp",
        "Budgetrad",
        "Budget 2024 (kr)",
        "Utfall t.o.m. Tertial 2 (jan–aug) (kr)",
        "Andel av budget (%)",
        "Prognos helår (kr)",
    )
    admin = next(row for row in values if row[1] == "Administration")
    assert admin[:9] == (
        "Kansli/administration",
        "Administration",
        1_200_000,
        800_000,
        66.7,
        1_200_000,
        "Utfall Tertial 2 (jan–aug) × 12/8",
        0,
        0,
    )
    assert any(row[1] == "Resultat (intäkter − kostnader)" for row in values)


def test_the_overview_counts_recorded_lines_per_period(
    world: World, data: Any, client_as: Any
) -> None:
    record(world, data, "t1", {"Administration": 1, "ESF": 2})
    html = client_as("reader").get(actuals_path(world, "")).content.decode()
    assert "2 av 7 rader har utfall" in html
    assert "Inget utfall ännu" in html
    assert "Budget 2024, plan 2025–2026" in html


# -- Another förbund, unknown years and periods -------------------------------------


@pytest.mark.parametrize(
    "rest",
    [
        "2024/t1/prognos/{other_line}/",
        "2024/t1/prognos/{other_line}/ta-bort/",
        "2030/t1/",
        "2024/finns-inte/",
        "2030/importmall.xlsx",
        "perioder/999999/",
    ],
)
def test_other_foerbunds_lines_and_unknown_years_or_periods_are_404(
    rest: str, world: World, data: Any, client_as: Any
) -> None:
    client = client_as("chief")
    path = actuals_path(world, rest)
    response = client.post(path) if rest.endswith("ta-bort/") else client.get(path)
    assert response.status_code == 404


def test_another_foerbunds_period_is_404(world: World, data: Any, client_as: Any) -> None:
    other_t1 = period(world.other, "t1")
    assert (
        client_as("chief").get(actuals_path(world, f"perioder/{other_t1.pk}/")).status_code == 404
    )
    # Only the förbund's own plan is followed up, whatever other förbund have.
    response = client_as("outsider").get(f"/f/{world.other.slug}/ekonomi/utfall/2024/t1/")
    assert response.status_code == 200
    assert response.context["plan"] == data.other_plan
