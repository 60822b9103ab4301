"""Storing a plan document and reading it back: the services and selectors under the
plan file's import and export."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Member, Population
from stegvis.associations.tests.factories import AssociationFactory, MemberFactory
from stegvis.audit.models import AuditEntry
from stegvis.conftest import World
from stegvis.finance import budget, selectors, services
from stegvis.finance.models import (
    Actual,
    BudgetAmount,
    BudgetLine,
    Plan,
    PlanRules,
    ReportingPeriod,
)
from stegvis.finance.tests.factories import samspelet_document, store, tkr
from stegvis.plans.document import DocLine, DocMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def samspelet() -> Any:
    with scopes_disabled():
        return AssociationFactory(name="Samordningsförbundet Samspelet", slug="samspelet")


def test_stored_document_reads_back_equal(samspelet: Any) -> None:
    document = samspelet_document()
    store(samspelet, document)
    assert selectors.plan_document(association=samspelet, first_year=2024) == document


def test_round_trip_keeps_the_files_member_order_and_leaves_out_other_members(
    world: World,
) -> None:
    # The own förbund already has "Egna kommun", which the file does not list.
    document = samspelet_document(name=world.own.name)
    store(world.own, document)
    back = selectors.plan_document(association=world.own, first_year=2024)
    assert [m.name for m in back.members] == [m.name for m in document.members]
    assert back == document


def test_round_trip_without_contribution_total_and_with_written_contribution_lines(
    samspelet: Any,
) -> None:
    document = dataclasses.replace(
        samspelet_document(),
        contributions=None,
        revenues=[
            DocLine(
                "Bidrag Försäkringskassan", "contribution", tkr(5_014), member="Försäkringskassan"
            ),
            DocLine("Bidrag Region Värmland", "contribution", tkr(2_507), member="Region Värmland"),
            DocLine("ESF", "grant", tkr(144, 144, 108)),
        ],
    )
    store(samspelet, document)
    assert selectors.plan_document(association=samspelet, first_year=2024) == document


def test_store_creates_missing_members_and_records_first_years_population(
    samspelet: Any,
) -> None:
    with scopes_disabled():
        MemberFactory(association=samspelet, name="Försäkringskassan", kind="state")
    store(samspelet)
    with scope(association=samspelet):
        assert samspelet.members.count() == 7
        karlstad = samspelet.members.get(name="Karlstads kommun")
        assert Population.objects.get(member=karlstad, year=2024).population == 95_900
        assert AuditEntry.objects.filter(action="member.created").count() == 6


def test_generated_contributions_add_up_to_the_total_and_are_marked(samspelet: Any) -> None:
    plan = store(samspelet)
    with scope(association=samspelet):
        generated = plan.lines.filter(generated=True)
        assert generated.count() == 6  # Arbetsförmedlingen pays through Försäkringskassan
        total = sum(
            BudgetAmount.objects.filter(line__in=generated, year=2024).values_list(
                "amount", flat=True
            )
        )
    assert total == 10_028_000


def test_member_with_another_kind_is_refused_naming_the_path_and_nothing_is_stored(
    samspelet: Any,
) -> None:
    with scopes_disabled():
        MemberFactory(association=samspelet, name="Region Värmland", kind="municipality")
    with pytest.raises(ValidationError) as error:
        store(samspelet)
    assert list(error.value.message_dict) == ["association.members[2].kind"]
    assert "region" in error.value.message_dict["association.members[2].kind"][0]
    with scopes_disabled():
        assert not Plan.objects.filter(association=samspelet).exists()
        assert samspelet.members.count() == 1  # the members made before the error went too


def test_population_for_a_state_member_is_refused(samspelet: Any) -> None:
    document = samspelet_document()
    document.members[0] = DocMember("Försäkringskassan", "state", 10)
    with pytest.raises(ValidationError) as error:
        store(samspelet, document)
    assert "association.members[0].population" in error.value.message_dict


def test_storing_again_replaces_the_plan_in_place_and_keeps_history(samspelet: Any) -> None:
    first = store(samspelet)
    changed = samspelet_document()
    changed.opening_equity = 2_000_000
    changed.costs = [line for line in changed.costs if line.name != "Jämställdhet"]
    changed.costs[0] = dataclasses.replace(changed.costs[0], amounts=tkr(1_400, 1_400, 1_400))
    with scopes_disabled():
        versions = first.history.count()
        line_versions = BudgetLine.history.filter(plan_id=first.pk).count()
    second = store(samspelet, changed)
    assert second.pk == first.pk
    with scopes_disabled():
        assert Plan.history.filter(id=first.pk).count() == versions + 1
        assert Plan.history.filter(id=first.pk).earliest().opening_equity == 1_934_000
        # The removed line is gone from the plan, and its deletion is in the history.
        assert not second.lines.filter(name="Jämställdhet").exists()
        assert BudgetLine.history.filter(name="Jämställdhet", history_type="-").exists()
        assert BudgetLine.history.filter(plan_id=first.pk).count() > line_versions
        old_amounts = BudgetAmount.history.filter(
            line__name="Administration", year=2024
        ).values_list("amount", flat=True)
        assert set(old_amounts) == {1_350_000, 1_400_000}
        assert AuditEntry.objects.filter(action="plan.imported").count() == 2
        assert AuditEntry.objects.filter(action="plan.imported").latest("id").changes["replaced"]
    assert selectors.plan_document(association=samspelet, first_year=2024) == changed


def test_a_line_with_actuals_is_not_dropped_by_a_new_version(samspelet: Any) -> None:
    plan = store(samspelet)
    with scope(association=samspelet):
        period = ReportingPeriod.objects.create(
            association=samspelet, code="t1", name="Tertial 1", end_month=4
        )
        line = plan.lines.get(name="TRIS Karlstad")
        Actual.objects.create(
            association=samspelet, line=line, year=2024, period=period, amount=100_000
        )
    changed = samspelet_document()
    changed.costs = [line for line in changed.costs if line.name != "TRIS Karlstad"]
    with pytest.raises(ValidationError, match="TRIS Karlstad"):
        store(samspelet, changed)
    with scopes_disabled():
        assert plan.lines.filter(name="TRIS Karlstad").exists()


def test_plan_budget_gives_the_seeds_figures(samspelet: Any) -> None:
    plan = store(samspelet)
    with scope(association=samspelet):
        figures = budget.year_figures(selectors.plan_budget(plan))
    assert [f.disposable for f in figures] == [12_106_000, 11_127_000, 12_438_000]
    assert [f.costs for f in figures] == [11_151_000, 8_825_000, 8_450_000]
    assert [f.unbudgeted for f in figures] == [255_000, 1_602_000, 3_288_000]


def test_findings_are_attached_to_the_figures_they_concern(samspelet: Any) -> None:
    plan = store(samspelet)
    with scope(association=samspelet):
        table = selectors.budget_table(plan)
    rows = {row.label: row for section in table.sections for row in section.rows}
    closing = rows["Utgående eget kapital"]
    assert [[f.rule for f in c.findings] for c in closing.cells] == [
        [],
        ["equity_cap"],
        ["equity_cap"],
    ]
    admin = rows["Administrativ andel av kostnaderna"]
    assert [[f.rule for f in c.findings] for c in admin.cells] == [
        [],
        ["admin_share"],
        ["admin_share"],
    ]
    finding = admin.cells[1].findings[0]
    assert (finding.value, finding.limit) == ("18,1\u00a0%", "15\u00a0%")
    assert "högst 15\u00a0% av kostnaderna" in finding.rule_text


def test_contribution_split_finding_goes_to_the_contributions_row(samspelet: Any) -> None:
    document = dataclasses.replace(
        samspelet_document(),
        contributions=None,
        revenues=[
            DocLine("FK", "contribution", tkr(6_000, 6_000, 6_000), member="Försäkringskassan"),
            DocLine("Region", "contribution", tkr(2_000, 2_000, 2_000), member="Region Värmland"),
            DocLine(
                "Karlstad", "contribution", tkr(2_000, 2_000, 2_000), member="Karlstads kommun"
            ),
        ],
    )
    plan = store(samspelet, document)
    with scope(association=samspelet):
        table = selectors.budget_table(plan)
    row = table.sections[0].rows[0]
    assert row.label.startswith("Medlemsavgifter")
    assert [f.rule for f in row.cells[0].findings] == ["contribution_split"]


def test_budget_table_queries_do_not_grow_with_the_number_of_lines(samspelet: Any) -> None:
    def count_queries(cost_lines: int) -> int:
        document = samspelet_document()
        document.costs = [
            DocLine(f"Rad {n}", "individual", tkr(10, 10, 10)) for n in range(cost_lines)
        ]
        plan = store(samspelet, document)
        with scope(association=samspelet), CaptureQueriesContext(connection) as queries:
            selectors.budget_table(Plan.objects.get(pk=plan.pk))
            selectors.contribution_table(Plan.objects.get(pk=plan.pk))
        return len(queries)

    assert count_queries(2) == count_queries(25)


def test_contribution_total_update_makes_the_lines_again(samspelet: Any) -> None:
    plan = store(samspelet)
    with scope(association=samspelet):
        services.contribution_total_update(
            actor=None,
            plan=plan,
            total={2024: 8_000_000, 2025: 8_000_000},
            municipal_key="equal",
        )
        table = selectors.contribution_table(plan)
        amounts = {row.label: row.cells[0].amount for row in table.members}
        assert amounts["Försäkringskassan"] == 4_000_000
        assert amounts["Region Värmland"] == 2_000_000
        assert amounts["Karlstads kommun"] == 500_000
        assert table.members[0].cells[2].amount is None  # 2026 has no total now
        assert not table.flagged
        services.contribution_total_update(
            actor=None, plan=plan, total={}, municipal_key="population"
        )
        assert not plan.lines.filter(generated=True).exists()
        assert AuditEntry.objects.filter(action="plan.contributions_updated").count() == 2


def test_contribution_total_by_own_shares(samspelet: Any) -> None:
    plan = store(samspelet)
    with scope(association=samspelet):
        services.contribution_total_update(
            actor=None,
            plan=plan,
            total={2024: 4_000_000},
            municipal_key="shares",
            shares={"Karlstads kommun": 3, "Hammarö kommun": 1},
        )
        document = selectors.plan_document(association=samspelet, first_year=2024)
    assert document.contributions is not None
    assert document.contributions.shares == {"Karlstads kommun": 3, "Hammarö kommun": 1}
    lines = {line.name: line.amounts for line in document.generated_contributions()}
    assert lines["Medlemsavgift Karlstads kommun"] == {2024: 750_000}
    assert lines["Medlemsavgift Grums kommun"] == {2024: 0}


def test_contribution_total_without_population_says_what_is_missing(world: World) -> None:
    with scopes_disabled():
        MemberFactory(association=world.own, name="Staten", kind=Member.Kind.STATE)
        MemberFactory(association=world.own, name="Regionen", kind=Member.Kind.REGION)
        MemberFactory(association=world.own, name="Nyby kommun", kind=Member.Kind.MUNICIPALITY)
        plan = services.plan_create(
            actor=None, association=world.own, first_year=2024, last_year=2024
        )
    with scope(association=world.own), pytest.raises(ValidationError) as error:
        services.contribution_total_update(
            actor=None, plan=plan, total={2024: 1_000_000}, municipal_key="population"
        )
    assert "Nyby kommun" in str(error.value)


def test_plan_create_gives_default_rules_and_refuses_a_second_plan_for_the_year(
    world: World,
) -> None:
    with scope(association=world.own):
        plan = services.plan_create(
            actor=None, association=world.own, first_year=2025, last_year=2027
        )
        rules = PlanRules.objects.get(plan=plan)
        assert rules.equity_cap_tiers == [
            {"up_to": 7_000_000, "rate": "0.20"},
            {"up_to": None, "rate": "0.15"},
        ]
        assert selectors.plan_data(plan).rules == budget.Rules()
        with pytest.raises(ValidationError) as error:
            services.plan_create(actor=None, association=world.own, first_year=2025, last_year=2025)
    assert "first_year" in error.value.message_dict


def test_line_services_check_like_the_plan_file(world: World) -> None:
    with scope(association=world.own):
        plan = services.plan_create(
            actor=None, association=world.own, first_year=2024, last_year=2025
        )
        line = services.budget_line_create(
            actor=None,
            plan=plan,
            side="cost",
            name="Kansli",
            category="administration",
            amounts={2024: 100_000},
        )
        with pytest.raises(ValidationError) as error:
            services.budget_line_create(
                actor=None,
                plan=plan,
                side="cost",
                name="kansli",
                category="administration",
                amounts={2024: -1, 2030: 5},
            )
        assert error.value.message_dict == {
            "name": ["Budgeten har redan en kostnadsrad med det namnet."],
            "amount_2024": ["En kostnad kan inte vara negativ."],
            "amount_2030": ["Året 2030 ingår inte i planen."],
        }
        with pytest.raises(ValidationError) as error:
            services.budget_line_create(
                actor=None,
                plan=plan,
                side="revenue",
                name="Avgift",
                category="contribution",
                amounts={},
            )
        assert list(error.value.message_dict) == ["member"]
        services.budget_line_update(
            actor=None,
            line=line,
            name="Kansli",
            category="administration",
            amounts={2024: 150_000, 2025: 160_000},
        )
        assert dict(line.amounts.values_list("year", "amount")) == {2024: 150_000, 2025: 160_000}
        entry = AuditEntry.objects.filter(action="budget_line.updated").get()
        assert entry.changes["amounts"] == [{"2024": 100_000}, {"2024": 150_000, "2025": 160_000}]
        services.budget_line_delete(actor=None, line=line)
        assert not plan.lines.exists()
        assert AuditEntry.objects.filter(action="budget_line.deleted").exists()
