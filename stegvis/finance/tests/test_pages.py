"""The Ekonomi pages as the kansli and the board use them."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from stegvis.associations.models import Member
from stegvis.associations.tests.factories import MemberFactory
from stegvis.conftest import World
from stegvis.finance import services
from stegvis.finance.models import BudgetAmount, BudgetLine, Plan, PlanRules
from stegvis.finance.tests.factories import line_of, plan_for, samspelet_document, store

EXAMPLES = Path(__file__).resolve().parents[2] / "plans" / "examples"
NBSP = "\u00a0"


def url(world: World, rest: str = "") -> str:
    return f"/f/{world.own.slug}/ekonomi/{rest}"


def text(response: Any) -> str:
    """The page's text without tags, spaces as in the page (non-breaking kept)."""
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def figures_in_row(page: str, label: str) -> list[str]:
    """The numbers that follow a row label in the page text."""
    start = page.index(label) + len(label)
    return re.findall(r"−?\d{1,3}(?:\u00a0\d{3})*", page[start : start + 200])


def samspelet_plan(world: World) -> Plan:
    return store(world.own, samspelet_document(name=world.own.name))


# ---------------------------------------------------------------------------
# The budget page


def test_budget_page_shows_the_seeds_table_in_tkr(world: World, client_as: Any) -> None:
    samspelet_plan(world)
    response = client_as("reader").get(url(world))
    assert response.status_code == 200
    page = text(response)
    assert "Budget 2024, plan 2025–2026" in page
    assert figures_in_row(page, "Medel att disponera")[:3] == [
        f"12{NBSP}106",
        f"11{NBSP}127",
        f"12{NBSP}438",
    ]
    assert figures_in_row(page, "Summa kostnader")[:3] == [
        f"11{NBSP}151",
        f"8{NBSP}825",
        f"8{NBSP}450",
    ]
    assert figures_in_row(page, "Ej budgeterat")[:3] == ["255", f"1{NBSP}602", f"3{NBSP}288"]
    assert "Stegen Karlstad" in page
    assert "−979" in page  # the result of 2024, with a real minus sign


def test_findings_are_marked_in_the_cell_and_listed_with_rule_and_limit(
    world: World, client_as: Any
) -> None:
    samspelet_plan(world)
    html = client_as("reader").get(url(world)).content.decode()
    # In the cell: a class for the colour, and words for those who do not see it.
    cell = re.search(r'<td class="num finding">\s*2\u00a0302.*?</td>', html, flags=re.S)
    assert cell is not None
    assert "över taket" in cell.group(0)
    assert 'href="#finding-1"' in cell.group(0)
    page = text(client_as("reader").get(url(world)))
    assert "Eget kapital 2 302 tkr överstiger taket 2 006 tkr" in page.replace(NBSP, " ")
    assert f"Regel: Eget kapital får vara högst 20{NBSP}% av medlemsavgifterna." in page
    assert f"Administrativa kostnader 18,1{NBSP}% av kostnaderna, högst 15{NBSP}%" in page


def test_budget_page_has_chart_with_its_table(world: World, client_as: Any) -> None:
    samspelet_plan(world)
    html = client_as("reader").get(url(world)).content.decode()
    assert '<svg role="img" aria-label="Intäkter, kostnader och eget kapital' in html
    assert "Diagrammets siffror (tkr)" in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    ).replace('xmlns:xlink="http://www.w3.org/1999/xlink"', "")


def test_year_switcher_lists_the_plans(world: World, client_as: Any) -> None:
    samspelet_plan(world)
    plan_2023 = samspelet_document(name=world.own.name)
    plan_2023.years = [2023]
    plan_2023.contributions = None
    plan_2023.revenues = []
    plan_2023.costs = [plan_2023.costs[0]]
    plan_2023.costs[0].amounts = {2023: 1_000_000}
    store(world.own, plan_2023)
    html = client_as("reader").get(url(world)).content.decode()
    assert f'href="/f/{world.own.slug}/ekonomi/2023/"' in html
    assert "Budget 2024, plan 2025–2026" in html  # the latest is shown by default
    older = client_as("reader").get(url(world, "2023/"))
    assert "<h1>Budget 2023</h1>" in older.content.decode()


def test_empty_state_offers_upload_and_create_to_the_chief_only(
    world: World, client_as: Any
) -> None:
    chief = client_as("chief").get(url(world)).content.decode()
    assert "Ladda upp en plan" in chief
    assert "Skapa budget" in chief
    reader = client_as("reader").get(url(world)).content.decode()
    assert "Ladda upp en plan" not in reader
    assert "ingen budget" in reader


def test_reader_sees_no_edit_links(world: World, client_as: Any) -> None:
    plan_for(world)
    html = client_as("reader").get(url(world)).content.decode()
    assert "/rader/" not in html
    assert "Lägg till kostnad" not in html
    chief = client_as("chief").get(url(world)).content.decode()
    assert "Lägg till kostnad" in chief


def test_ekonomi_is_in_the_main_menu_for_budget_readers_only(world: World, client_as: Any) -> None:
    html = client_as("reader").get(f"/f/{world.own.slug}/").content.decode()
    assert f'href="/f/{world.own.slug}/ekonomi/"' in html
    registrar = client_as("participant_registrar").get(f"/f/{world.own.slug}/").content.decode()
    assert "/ekonomi/" not in registrar


def test_plan_create_makes_an_empty_plan(world: World, client_as: Any) -> None:
    response = client_as("chief").post(
        url(world, "ny/"),
        {"first_year": 2025, "last_year": 2027, "opening_equity": "1 500", "unit": "tkr"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        plan = world.own.plans.get()
    assert (plan.first_year, plan.last_year, plan.opening_equity) == (2025, 2027, 1_500_000)
    bad = client_as("chief").post(
        url(world, "ny/"), {"first_year": 2025, "last_year": 2026, "unit": "tkr"}
    )
    assert bad.context["form"].errors["first_year"] == ["Det finns redan en budget för 2025."]


def test_plan_edit_changes_opening_equity(world: World, client_as: Any) -> None:
    plan = plan_for(world)
    response = client_as("chief").post(
        url(world, "2024/andra/"),
        {"last_year": 2025, "opening_equity": "1 034,5", "unit": "tkr"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.opening_equity == 1_034_500


# ---------------------------------------------------------------------------
# Lines


def test_line_is_added_with_amounts_in_tkr_and_kr(world: World, client_as: Any) -> None:
    plan = plan_for(world)
    with scopes_disabled():
        plan.interventions = [{"name": "Stegen", "kind": "individual"}]
        plan.save()
    client = client_as("chief")
    unknown = client.post(
        url(world, "2024/rader/ny/kostnad/"),
        {"name": "X", "category": "individual", "intervention_name": "Finns inte", "unit": "tkr"},
    )
    # A line may only name an insats the plan file can refer to.
    assert "intervention_name" in unknown.context["form"].errors
    response = client.post(
        url(world, "2024/rader/ny/kostnad/"),
        {
            "name": "Stegen",
            "category": "individual",
            "intervention_name": "Stegen",
            "unit": "tkr",
            "amount_2024": "4 100",
            "amount_2025": "12,5",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(
        url(world, "2024/rader/ny/kostnad/"),
        {"name": "Hyra", "category": "premises", "unit": "kr", "amount_2024": "50 000"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        stegen = BudgetLine.objects.get(name="Stegen")
        hyra = BudgetLine.objects.get(name="Hyra")
        assert dict(stegen.amounts.values_list("year", "amount")) == {
            2024: 4_100_000,
            2025: 12_500,
        }
        assert stegen.intervention_name == "Stegen"
        assert (hyra.unit, dict(hyra.amounts.values_list("year", "amount"))) == (
            "kr",
            {2024: 50_000},
        )


def test_negative_cost_is_refused_on_the_field_in_swedish(world: World, client_as: Any) -> None:
    plan_for(world)
    response = client_as("chief").post(
        url(world, "2024/rader/ny/kostnad/"),
        {"name": "Fel", "category": "board", "unit": "tkr", "amount_2024": "-5"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"amount_2024": ["En kostnad kan inte vara negativ."]}
    assert "En kostnad kan inte vara negativ." in response.content.decode()
    with scopes_disabled():
        assert not BudgetLine.objects.filter(name="Fel").exists()


def test_amount_that_is_not_a_number_is_quoted(world: World, client_as: Any) -> None:
    plan_for(world)
    response = client_as("chief").post(
        url(world, "2024/rader/ny/kostnad/"),
        {
            "name": "Fel",
            "category": "board",
            "unit": "kr",
            "amount_2024": "1 3O0",
            "amount_2025": "1,5",
        },
    )
    assert response.context["form"].errors == {
        "amount_2024": ["Inte ett tal: ”1 3O0”."],
        "amount_2025": ["Ange hela kronor."],
    }


def test_duplicate_line_name_is_refused(world: World, client_as: Any) -> None:
    plan_for(world)
    response = client_as("chief").post(
        url(world, "2024/rader/ny/kostnad/"),
        {"name": "kansli", "category": "administration", "unit": "tkr", "amount_2024": "1"},
    )
    assert response.context["form"].errors == {
        "name": ["Budgeten har redan en kostnadsrad med det namnet."]
    }
    # The same name on the other side of the budget is another line.
    response = client_as("chief").post(
        url(world, "2024/rader/ny/intakt/"),
        {"name": "Kansli", "category": "other", "unit": "tkr", "amount_2024": "1"},
    )
    assert response.status_code == 302


def test_contribution_line_needs_a_member(world: World, client_as: Any) -> None:
    plan_for(world)
    response = client_as("chief").post(
        url(world, "2024/rader/ny/intakt/"),
        {"name": "Avgift", "category": "contribution", "unit": "tkr", "amount_2024": "100"},
    )
    assert response.context["form"].errors == {
        "member": ["Ange vilken medlem som betalar avgiften."]
    }
    response = client_as("chief").post(
        url(world, "2024/rader/ny/intakt/"),
        {
            "name": "Avgift",
            "category": "contribution",
            "member": world.member.pk,
            "unit": "tkr",
            "amount_2024": "100",
        },
    )
    assert response.status_code == 302


def test_member_of_another_association_cannot_be_chosen(world: World, client_as: Any) -> None:
    plan_for(world)
    response = client_as("chief").post(
        url(world, "2024/rader/ny/intakt/"),
        {
            "name": "Avgift",
            "category": "contribution",
            "member": world.other_member.pk,
            "unit": "tkr",
            "amount_2024": "100",
        },
    )
    assert "member" in response.context["form"].errors


def test_line_edit_shows_amounts_and_saves_changes(world: World, client_as: Any) -> None:
    line = line_of(world)
    client = client_as("chief")
    page = client.get(url(world, f"2024/rader/{line.pk}/")).content.decode()
    assert 'value="300"' in page
    response = client.post(
        url(world, f"2024/rader/{line.pk}/"),
        {
            "name": "Kansli och ledning",
            "category": "administration",
            "unit": "tkr",
            "amount_2024": "320",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        line.refresh_from_db()
        assert line.name == "Kansli och ledning"
        assert dict(line.amounts.values_list("year", "amount")) == {2024: 320_000}


def test_line_delete(world: World, client_as: Any) -> None:
    line = line_of(world)
    assert client_as("chief").post(url(world, f"2024/rader/{line.pk}/ta-bort/")).status_code == 302
    with scopes_disabled():
        assert not BudgetLine.objects.filter(pk=line.pk).exists()
        assert not BudgetAmount.objects.filter(line_id=line.pk).exists()


def test_generated_line_is_changed_through_the_contribution_total(
    world: World, client_as: Any
) -> None:
    plan = samspelet_plan(world)
    with scopes_disabled():
        line = plan.lines.filter(generated=True).first()
    response = client_as("chief").get(url(world, f"2024/rader/{line.pk}/"))
    assert response.status_code == 302
    assert response["Location"].endswith("/medlemsavgifter/andra/")


# ---------------------------------------------------------------------------
# Rules


def test_rules_form_saves_tiers_buffer_and_admin_share(world: World, client_as: Any) -> None:
    plan = plan_for(world)
    client = client_as("chief")
    page = client.get(url(world, "2024/regler/")).content.decode()
    assert 'value="7 000"' in page and 'value="20"' in page
    response = client.post(
        url(world, "2024/regler/"),
        {
            "equity_cap_base": "contributions",
            "tier1_rate": "20",
            "tier1_up_to": "",
            "equity_min": "700",
            "admin_share_max": "12,5",
            "admin_categories": ["board", "administration"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        rules = PlanRules.objects.get(plan=plan)
    assert rules.equity_cap_base == "contributions"
    assert rules.equity_cap_tiers == [{"up_to": None, "rate": "0.2"}]
    assert rules.equity_min == 700_000
    assert str(rules.admin_share_max) == "0.1250"
    assert rules.admin_categories == ["board", "administration"]


def test_rules_form_refuses_tiers_out_of_order(world: World, client_as: Any) -> None:
    plan_for(world)
    response = client_as("chief").post(
        url(world, "2024/regler/"),
        {
            "equity_cap_base": "revenues",
            "tier1_rate": "20",
            "tier1_up_to": "7 000",
            "tier2_rate": "15",
            "tier2_up_to": "5 000",
            "tier3_rate": "10",
            "equity_min": "0",
            "admin_share_max": "150",
        },
    )
    errors = response.context["form"].errors
    assert errors["tier2_up_to"] == ["Stegens gränser ska öka uppåt."]
    assert errors["admin_share_max"] == ["Ange en andel mellan 0 och 100 %."]
    response = client_as("chief").post(
        url(world, "2024/regler/"),
        {
            "equity_cap_base": "revenues",
            "tier1_rate": "20",
            "tier2_rate": "15",
            "admin_share_max": "15",
        },
    )
    assert response.context["form"].errors["tier1_up_to"] == [
        "Alla steg utom det sista behöver en övre gräns."
    ]


# ---------------------------------------------------------------------------
# Contributions


def test_contributions_page_shows_each_members_share(world: World, client_as: Any) -> None:
    samspelet_plan(world)
    response = client_as("reader").get(url(world, "2024/medlemsavgifter/"))
    page = text(response)
    assert f"5{NBSP}014{NBSP}000" in page
    assert f"50,0{NBSP}%" in page
    assert "avviker" not in page


def test_contributions_page_flags_a_deviation_from_50_25_25(world: World, client_as: Any) -> None:
    plan = plan_for(world)
    with scope(association=world.own):
        state = MemberFactory(
            association=world.own, name="Försäkringskassan", kind=Member.Kind.STATE
        )
        region = MemberFactory(association=world.own, name="Regionen", kind=Member.Kind.REGION)
        for name, member, amount in [
            ("Avgift FK", state, 600_000),
            ("Avgift region", region, 200_000),
            ("Avgift kommun", world.member, 200_000),
        ]:
            services.budget_line_create(
                actor=None,
                plan=plan,
                side="revenue",
                name=name,
                category="contribution",
                member=member,
                amounts={2024: amount, 2025: amount if name != "Avgift FK" else 400_000},
            )
    response = client_as("reader").get(url(world, "2024/medlemsavgifter/"))
    html = response.content.decode()
    assert "Fördelningen avviker från 50/25/25." in html
    flagged = re.findall(r'<td class="num flagged">(.*?)</td>', html, flags=re.S)
    assert len(flagged) == 3  # 2024: state 60 %, region 20 %, municipalities 20 %
    assert "avviker +10,0 procentenheter" in flagged[0]
    assert "avviker −5,0 procentenheter" in flagged[1]
    # 2025 is 400/200/200: as it should be.
    budget_page = text(client_as("reader").get(url(world)))
    assert "Fördelning 50/25/25" in budget_page
    assert "ej 50/25/25" in budget_page


def test_contribution_total_form_splits_the_total(world: World, client_as: Any) -> None:
    plan = samspelet_plan(world)
    response = client_as("chief").post(
        url(world, "2024/medlemsavgifter/andra/"),
        {
            "unit": "tkr",
            "total_2024": "8 000",
            "total_2025": "8 000",
            "total_2026": "",
            "municipal_key": "equal",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        plan.refresh_from_db()
        assert plan.contribution_total == {"2024": 8_000_000, "2025": 8_000_000}
        karlstad = plan.lines.get(name="Medlemsavgift Karlstads kommun")
        assert dict(karlstad.amounts.values_list("year", "amount")) == {
            2024: 500_000,
            2025: 500_000,
        }


def test_contribution_total_form_needs_shares_with_own_key(world: World, client_as: Any) -> None:
    samspelet_plan(world)
    response = client_as("chief").post(
        url(world, "2024/medlemsavgifter/andra/"),
        {"unit": "tkr", "total_2024": "8 000", "municipal_key": "shares"},
    )
    assert response.status_code == 200
    assert any(
        "andelar" in message
        for messages in response.context["form"].errors.values()
        for message in messages
    )


# ---------------------------------------------------------------------------
# Exports


def test_budget_table_exports_to_excel(world: World, client_as: Any) -> None:
    samspelet_plan(world)
    response = client_as("reader").get(url(world, "2024/budget.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Medel att disponera"] == (12_106, 11_127, 12_438)
    assert rows["Ej budgeterat"] == (255, 1_602, 3_288)
    assert rows["    Stegen Karlstad"] == (4_100, 4_100, 4_100)
    in_kronor = client_as("reader").get(url(world, "2024/budget.xlsx") + "?enhet=kr")
    sheet = load_workbook(io.BytesIO(in_kronor.content)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["    Karlstads kommun"][0] == 1_648_415
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Budget 2024–2026", "Kontroll mot reglerna", "Diagram"]
    findings = list(book["Kontroll mot reglerna"].iter_rows(values_only=True))
    assert findings[1][:2] == (2025, "Tak för eget kapital")
    assert list(book["Diagram"].iter_rows(values_only=True))[1] == (2024, 10_172, 11_151, 955)
    csv = client_as("reader").get(url(world, "2024/budget.csv")).content.decode("utf-8-sig")
    assert "Medel att disponera;12106;11127;12438" in csv


def test_contributions_export_to_excel(world: World, client_as: Any) -> None:
    samspelet_plan(world)
    response = client_as("reader").get(url(world, "2024/medlemsavgifter/export.xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Medlem", "Slag", "2024 (kr)", "2024 andel")
    assert rows[1][:4] == ("Försäkringskassan", "Staten", 5_014_000, 0.5)
    municipal = list(load_workbook(io.BytesIO(response.content))["Kommunernas fjärdedel"].values)
    assert municipal[1][:2] == ("Karlstads kommun", 95_900)


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_plan_file_export_reads_back_as_the_stored_plan(
    fmt: str, world: World, client_as: Any
) -> None:
    from stegvis.plans.reader import read_plan

    document = samspelet_document(name=world.own.name)
    store(world.own, document)
    response = client_as("reader").get(url(world, f"2024/planfil.{fmt}"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="eget-plan-2024.{fmt}"'
    back, _warnings = read_plan(response.content, filename=f"plan.{fmt}")
    assert back == document
    if fmt == "xlsx":
        assert load_workbook(io.BytesIO(response.content)).sheetnames


def test_plan_template_is_a_workbook(world: World, client_as: Any) -> None:
    response = client_as("chief").get(url(world, "planmall.xlsx"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames


# ---------------------------------------------------------------------------
# Upload


def test_upload_refused_lists_every_problem_and_stores_nothing(
    world: World, client_as: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = (
        "format: stegvis-plan/1\n"
        "unit: tkr\n"
        "association:\n"
        "  name: Eget\n"
        "  members:\n"
        "    - {name: Egna kommun, kind: municipality}\n"
        "years: [2024]\n"
        "costs:\n"
        "  - {name: Kansli, category: administration, amounts: {2024: '1 3O0'}}\n"
        "  - {name: Hyra, category: premises, amounts: {2024: -5}}\n"
        "  - {name: Styrelse, category: bord, amounts: {2024: 5}}\n"
    )
    response = client_as("chief").post(
        url(world, "ladda-upp/"),
        {"file": SimpleUploadedFile("plan.yaml", bad.encode(), content_type="application/yaml")},
    )
    assert response.status_code == 400
    problems = [str(p) for p in response.context["problems"]]
    assert len(problems) >= 3
    assert any(p.startswith("costs[0].amounts.2024: ") and "1 3O0" in p for p in problems)
    assert any(p.startswith("costs[1].amounts.2024: ") for p in problems)
    assert any(p.startswith("costs[2].category: ") for p in problems)
    html = response.content.decode()
    assert "<code>costs[0].amounts.2024</code>:" in html
    assert "Ingenting har sparats." in html
    with scopes_disabled():
        assert not Plan.objects.filter(association=world.own).exists()


def test_upload_that_does_not_fit_the_association_is_refused_with_the_path(
    world: World, client_as: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stegvis.plans.writer import write_plan

    document = samspelet_document(name=world.own.name)
    # The file's region has the name of a member that is a municipality in the förbund.
    document.members[2].name = world.member.name
    data = write_plan(document, fmt="yaml")
    response = client_as("chief").post(
        url(world, "ladda-upp/"), {"file": SimpleUploadedFile("plan.yaml", data)}
    )
    assert response.status_code == 400
    assert [p.path for p in response.context["problems"]] == ["association.members[2].kind"]
    with scopes_disabled():
        assert not Plan.objects.filter(association=world.own).exists()
        assert world.own.members.count() == 1


def test_upload_accepted_stores_the_plan_and_shows_it(world: World, client_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stegvis.plans.writer import write_plan

    data = write_plan(samspelet_document(name=world.own.name), fmt="xlsx")
    client = client_as("chief")
    response = client.post(
        url(world, "ladda-upp/"), {"file": SimpleUploadedFile("plan.xlsx", data)}
    )
    assert response.status_code == 302
    assert response["Location"] == url(world, "2024/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "är inläst från plan.xlsx" in html
    assert figures_in_row(text(page), "Medel att disponera")[:1] == [f"12{NBSP}106"]
    # Again: the plan is replaced, and the message says so.
    response = client.post(
        url(world, "ladda-upp/"), {"file": SimpleUploadedFile("plan.xlsx", data)}
    )
    assert "har ersatt den tidigare versionen" in client.get(response["Location"]).content.decode()
    with scopes_disabled():
        assert world.own.plans.count() == 1


def test_upload_refuses_other_file_types(world: World, client_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as("chief").post(
        url(world, "ladda-upp/"), {"file": SimpleUploadedFile("plan.docx", b"PK")}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "”plan.docx”: filen ska vara .yaml, .yml, .json eller .xlsx."
    ]


@pytest.mark.skipif(
    not (EXAMPLES / "samspelet-2024.yaml").exists(),
    reason="the Samspelet example is not written yet",
)
def test_samspelet_example_file_shows_the_seeds_figures(world: World, client_as: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (EXAMPLES / "samspelet-2024.yaml").read_bytes()
    client = client_as("chief")
    response = client.post(
        url(world, "ladda-upp/"), {"file": SimpleUploadedFile("samspelet-2024.yaml", data)}
    )
    assert response.status_code == 302, response.context and response.context.get("problems")
    first = text(client.get(response["Location"]))
    # The file's warnings (codes the installation does not know yet) are listed once.
    assert "samspelet-2024.yaml lästes in med" in first
    assert "kan inte mätas" in first
    page = text(client.get(url(world)))
    assert "lästes in med" not in page
    assert figures_in_row(page, "Medel att disponera")[:3] == [
        f"12{NBSP}106",
        f"11{NBSP}127",
        f"12{NBSP}438",
    ]
    assert figures_in_row(page, "Ej budgeterat")[:3] == ["255", f"1{NBSP}602", f"3{NBSP}288"]


# ---------------------------------------------------------------------------
# Other förbund


def test_other_associations_plan_and_line_answer_404(world: World, client_as: Any) -> None:
    from stegvis.finance.tests.factories import other_line, other_plan

    plan_for(world)
    other_plan(world)
    line = other_line(world)
    client = client_as("chief")
    assert client.get(url(world, f"2024/rader/{line.pk}/")).status_code == 404
    assert client.post(url(world, f"2024/rader/{line.pk}/ta-bort/")).status_code == 404
    with scopes_disabled():
        assert BudgetLine.objects.filter(pk=line.pk).exists()
    assert client_as("outsider").get(url(world, "2024/")).status_code == 404
    assert client_as("outsider").get(url(world, "2024/budget.xlsx")).status_code == 404
