"""The Mål pages: the goal map with values, status, period choice and export; one
indicator's page with its counts, versions and the rows behind it; the forms.

Data: `participants_2024(world)` (see factories): 2024 has 13 exited, 8 with
stegförflyttning; tertial 1 has 5 exited, all with stegförflyttning; Grannen has 3
exited, fewer than the minimum cell size (5)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.goals.evaluation import Status
from stegvis.goals.models import Goal, GoalMap, Indicator, IndicatorTarget, ManualValue
from stegvis.goals.tests.factories import (
    GoalFactory,
    GoalMapFactory,
    IndicatorFactory,
    TargetFactory,
    participants_2024,
)
from stegvis.participants.access import policy_for

pytestmark = pytest.mark.django_db


def base(world: World) -> str:
    return f"/f/{world.own.slug}/mal/"


def make_map(world: World, year: int = 2024) -> dict[str, Any]:
    """A 2024 map: stegförflyttning ≥ 50 % (8/13 = 61,5 %), Grannen's exits (3, hidden)
    and a manual indicator ≥ 4 without a value yet."""
    participants_2024(world)
    with scopes_disabled():
        goal_map = GoalMapFactory(association=world.own, year=year)
        goal = GoalFactory(goal_map=goal_map, perspective="Individ", text="Närmare arbete")
        step = IndicatorFactory(
            goal=goal, text="Hälften gör stegförflyttning", metric="step_progress_share"
        )
        TargetFactory(indicator=step, op=">=", value=Decimal("0.5"))
        small = IndicatorFactory(
            goal=goal,
            text="Avslutade i Grannen",
            metric="participants_exited",
            params={"intervention": "Grannen"},
        )
        other_goal = GoalFactory(
            goal_map=goal_map, perspective="Arbetssätt", text="Bättre samverkan"
        )
        manual = IndicatorFactory(
            goal=other_goal,
            text="Minst 4 chefsmöten",
            metric="manual",
            params={"source": "Protokoll"},
            source="Protokoll",
        )
        TargetFactory(indicator=manual, op=">=", value=Decimal("4"))
    return {"map": goal_map, "goal": goal, "step": step, "small": small, "manual": manual}


def rows_of(response: Any) -> dict[str, Any]:
    page = response.context["page"]
    return {
        row.indicator.text: row
        for section in page.sections
        for goal_row in section.goals
        for row in goal_row.indicators
    }


def test_map_redirects_to_this_years_map(world: World, client_as: Any) -> None:
    year = timezone.localdate().year
    with scopes_disabled():
        GoalMapFactory(association=world.own, year=year)
    response = client_as("reader").get(base(world))
    assert response.status_code == 302
    assert response["Location"] == f"{base(world)}{year}/"


def test_without_a_map_the_chief_may_create_one_and_the_reader_is_told(
    world: World, client_as: Any
) -> None:
    year = timezone.localdate().year
    chief = client_as("chief").get(base(world))
    assert chief.status_code == 200
    assert f"Ingen målkarta för {year}" in chief.content.decode()
    assert "Skapa målkarta" in chief.content.decode()
    reader = client_as("reader").get(base(world))
    assert "Skapa målkarta" not in reader.content.decode()

    response = client_as("chief").post(f"{base(world)}{year}/ny/")
    assert response.status_code == 302
    with scopes_disabled():
        assert GoalMap.objects.filter(association=world.own, year=year).exists()


def test_map_shows_values_targets_and_status_for_the_year(world: World, client_as: Any) -> None:
    made = make_map(world)
    response = client_as("reader").get(f"{base(world)}2024/")
    assert response.status_code == 200
    rows = rows_of(response)
    step = rows["Hälften gör stegförflyttning"]
    assert step.value == "61,5\u00a0%"
    assert step.target.startswith("≥")
    assert step.evaluation.status == Status.ACHIEVED
    manual = rows["Minst 4 chefsmöten"]
    assert manual.evaluation.status == Status.NOT_MEASURABLE
    html = response.content.decode()
    assert "Uppnått" in html and "Kan inte mätas än" in html
    assert "Närmare arbete" in html and "Bättre samverkan" in html
    counts = dict(response.context["page"].status_counts)
    assert counts[Status.ACHIEVED] == 1
    assert f'href="{base(world)}indikator/{made["step"].pk}/?period=2024"' in html


def test_a_count_below_the_minimum_cell_is_not_shown(world: World, client_as: Any) -> None:
    make_map(world)
    for person in ("chief", "reader"):
        response = client_as(person).get(f"{base(world)}2024/")
        small = rows_of(response)["Avslutade i Grannen"]
        assert small.value == "–"
        assert small.evaluation.result.value is None


def test_the_period_picker_shows_tertial_1_and_any_date_range(world: World, client_as: Any) -> None:
    make_map(world)
    client = client_as("reader")
    tertial = client.get(f"{base(world)}2024/?period=2024-t1")
    assert tertial.context["page"].period.code == "2024-t1"
    assert rows_of(tertial)["Hälften gör stegförflyttning"].value == "100,0\u00a0%"
    custom = client.get(f"{base(world)}2024/?fran=2024-01-01&till=2024-03-31")
    assert custom.context["page"].period.start == datetime.date(2024, 1, 1)
    assert rows_of(custom)["Hälften gör stegförflyttning"].value == "100,0\u00a0%"
    wrong = client.get(f"{base(world)}2024/?fran=2024-05-01&till=2024-01-01")
    assert wrong.status_code == 200
    assert "datumintervall" in wrong.content.decode()


def test_export_has_one_line_per_indicator_with_its_value(world: World, client_as: Any) -> None:
    make_map(world)
    response = client_as("reader").get(f"{base(world)}2024/export.csv?period=2024")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Hälften gör stegförflyttning" in text
    assert "61,5" in text
    assert "Minst 4 chefsmöten" in text
    xlsx = client_as("reader").get(f"{base(world)}2024/export.xlsx")
    assert xlsx.status_code == 200
    assert client_as("reader").get(f"{base(world)}2024/export.pdf").status_code == 404


def test_manual_value_with_its_source_changes_the_status(world: World, client_as: Any) -> None:
    made = make_map(world)
    manual = made["manual"]
    client = client_as("chief")
    form = client.get(f"{base(world)}indikator/{manual.pk}/varde/?period=2024")
    assert form.status_code == 200
    missing = client.post(
        f"{base(world)}indikator/{manual.pk}/varde/", {"period": "2024", "value": "5"}
    )
    assert missing.status_code == 200
    assert missing.context["form"].errors["source"]
    response = client.post(
        f"{base(world)}indikator/{manual.pk}/varde/",
        {"period": "2024", "value": "5", "source": "Protokoll från chefsmöten", "comment": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"indikator/{manual.pk}/?period=2024")
    html = response.content.decode()
    assert "Kan inte mätas än → Uppnått" in html
    assert "Protokoll från chefsmöten" in html
    with scopes_disabled():
        value = ManualValue.objects.get(indicator=manual)
    assert value.value == Decimal("5")
    assert (value.period_start, value.period_end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )


def test_indicator_page_shows_definition_periods_counts_and_trend(
    world: World, client_as: Any
) -> None:
    made = make_map(world)
    response = client_as("reader").get(f"{base(world)}indikator/{made['step'].pk}/?period=2024")
    assert response.status_code == 200
    page = response.context["page"]
    assert [each.period.code for each in page.evaluations] == ["2024-t1", "2024-t2", "2024"]
    html = response.content.decode()
    assert "Version 1" in html
    assert "Andel avslutade med stegförflyttning" in html
    assert page.chosen.result.breakdown
    assert "<svg" in html  # the trend chart
    assert response.context["rows"] is None  # a reader never sees rows


def test_rows_behind_are_shown_to_the_kansli_only_when_allowed_and_logged(
    world: World, client_as: Any
) -> None:
    made = make_map(world)
    url = f"{base(world)}indikator/{made['step'].pk}/?period=2024"
    assert client_as("chief").get(url).context["rows"] is None
    with scopes_disabled():
        policy = policy_for(world.own)
        policy.kansli_sees_rows = True
        policy.save()
    response = client_as("chief").get(url)
    codes = [code for code, _insats in response.context["rows"]]
    assert len(codes) == 13 and "S0" in codes and "G0" in codes
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="goals.rows_viewed").count() == 1


def test_goal_create_edit_and_delete(world: World, client_as: Any) -> None:
    with scopes_disabled():
        GoalMapFactory(association=world.own, year=2025)
    client = client_as("chief")
    response = client.post(
        f"{base(world)}2025/mal/ny/",
        {"perspective": "Utveckling", "text": "Nya arbetssätt prövas", "responsible": "Kansliet"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        goal = Goal.objects.get(association=world.own, text="Nya arbetssätt prövas")
    assert response["Location"].endswith(f"2025/#mal-{goal.pk}")
    response = client.post(
        f"{base(world)}mal/{goal.pk}/andra/",
        {"perspective": "Ekonomi", "text": "Nya arbetssätt prövas och följs upp"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        goal.refresh_from_db()
    assert goal.perspective == "Ekonomi"
    assert client.post(f"{base(world)}mal/{goal.pk}/ta-bort/").status_code == 302
    with scopes_disabled():
        assert not Goal.objects.filter(pk=goal.pk).exists()


def test_a_goal_can_bring_a_new_perspective_to_the_map(world: World, client_as: Any) -> None:
    with scopes_disabled():
        goal_map = GoalMapFactory(association=world.own, year=2025)
    client = client_as("chief")
    response = client.post(f"{base(world)}2025/mal/ny/", {"text": "Utan perspektiv"})
    assert response.status_code == 200
    assert "Välj ett perspektiv eller skriv ett nytt." in response.content.decode()
    response = client.post(
        f"{base(world)}2025/mal/ny/",
        {"perspective": "Individ", "new_perspective": "Samverkan", "text": "Parterna möts"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        goal_map.refresh_from_db()
        goal = Goal.objects.get(association=world.own, text="Parterna möts")
    assert goal.perspective == "Samverkan"
    assert goal_map.perspectives[-1] == "Samverkan"
    assert "Samverkan" in client.get(f"{base(world)}2025/").content.decode()


def test_indicator_with_a_target_in_percent_and_a_new_version_on_metric_change(
    world: World, client_as: Any
) -> None:
    participants_2024(world)
    with scopes_disabled():
        goal: Goal = GoalFactory(goal_map=GoalMapFactory(association=world.own, year=2024))
    client = client_as("chief")
    data = {
        "text": "80 % gör stegförflyttning",
        "metric": "step_progress_share",
        "intervention": "Stegen",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-op": ">=",
        "targets-0-value": "80",
        "targets-0-year": "",
    }
    response = client.post(f"{base(world)}mal/{goal.pk}/indikator/ny/", data)
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        indicator = Indicator.objects.get(goal=goal)
        target = IndicatorTarget.objects.get(indicator=indicator)
    assert indicator.params == {"intervention": "Stegen"}
    assert target.value == Decimal("0.8") and target.year is None

    form = client.get(f"{base(world)}indikator/{indicator.pk}/andra/")
    assert form.status_code == 200
    assert "ny version" in form.content.decode()
    assert form.context["targets"].forms[0].initial["value"] == "80"
    changed = {
        **data,
        "metric": "exit_outcome_share",
        "outcome": "arbete",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "1",
        "targets-0-target_id": str(target.pk),
        "targets-0-value": "30",
        "targets-1-op": ">=",
        "targets-1-value": "35",
        "targets-1-year": "2025",
    }
    response = client.post(f"{base(world)}indikator/{indicator.pk}/andra/", changed, follow=True)
    assert "version 2" in response.content.decode()
    with scopes_disabled():
        indicator.refresh_from_db()
        targets = {t.year: t.value for t in indicator.targets.all()}
    assert indicator.version == 2
    assert indicator.params == {"outcome": "arbete", "intervention": "Stegen"}
    assert targets == {None: Decimal("0.3"), 2025: Decimal("0.35")}

    missing = client.post(
        f"{base(world)}indikator/{indicator.pk}/andra/",
        {**changed, "outcome": "", "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0"},
    )
    assert missing.status_code == 200
    assert missing.context["form"].errors["outcome"]

    assert client.post(f"{base(world)}indikator/{indicator.pk}/ta-bort/").status_code == 302
    with scopes_disabled():
        assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_manual_value_is_refused_for_a_computed_indicator(world: World, client_as: Any) -> None:
    made = make_map(world)
    response = client_as("chief").get(f"{base(world)}indikator/{made['step'].pk}/varde/")
    assert response.status_code == 404


def test_the_navigation_has_mal_for_goal_viewers(world: World, client_as: Any) -> None:
    with scopes_disabled():
        GoalMapFactory(association=world.own, year=2024)
    html = client_as("reader").get(f"{base(world)}2024/").content.decode()
    assert f'href="{base(world)}" aria-current="page">Mål</a>' in html
    registrar = client_as("participant_registrar").get(f"/f/{world.own.slug}/").content.decode()
    assert f'href="{base(world)}"' not in registrar
