"""`plan check`: the `--json` shape of the spec, the seed plans' figures, and the
arithmetic's properties."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stegvis.finance import budget
from stegvis.plans.check import check_report, check_summary
from stegvis.plans.document import PlanDocument
from stegvis.plans.reader import read_plan
from stegvis.plans.tests.strategies import documents

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# The spec's `--json` example (shared/spec/plan-format.md), first year only.
SPEC_FIRST_YEAR = json.loads("""
{
  "format": "stegvis-plan-check/1",
  "association": "Samordningsförbundet Exempel",
  "years": [
    {"year": 2024, "opening_equity": 1500000, "contributions": 8000000,
     "other_revenues": 300000, "revenues": 8300000, "disposable": 9800000,
     "costs": 3501000,
     "costs_by_category": {"administration": 1400000, "premises": 50000, "individual": 2051000},
     "result": 4799000, "closing_equity": 6299000, "equity_cap": 1595000,
     "admin_share": 0.4142}
  ],
  "contributions": [
    {"year": 2024, "member": "Försäkringskassan", "amount": 4000000},
    {"year": 2024, "member": "Region Exempel", "amount": 2000000},
    {"year": 2024, "member": "Exempels kommun", "amount": 1613069},
    {"year": 2024, "member": "Grannby kommun", "amount": 386931}
  ],
  "findings": [
    {"year": 2024, "rule": "equity_cap", "value": 6299000, "limit": 1595000,
     "message": "Eget kapital 6 299 tkr överstiger taket 1 595 tkr"},
    {"year": 2024, "rule": "admin_share", "value": 0.4142, "limit": 0.15,
     "message": "Administrativa kostnader 41,4 % av kostnaderna, högst 15 %"}
  ]
}
""")


def example(name: str) -> PlanDocument:
    return read_plan((EXAMPLES / name).read_bytes(), filename=name)[0]


def test_the_json_report_of_the_spec_example_matches_the_spec() -> None:
    report = json.loads(json.dumps(check_report(example("exempel.yaml"))))
    assert list(report) == ["format", "association", "years", "contributions", "findings"]
    assert report["format"] == SPEC_FIRST_YEAR["format"]
    assert report["association"] == SPEC_FIRST_YEAR["association"]
    assert report["years"][0] == SPEC_FIRST_YEAR["years"][0]
    assert list(report["years"][0]) == list(SPEC_FIRST_YEAR["years"][0])
    assert [c for c in report["contributions"] if c["year"] == 2024] == SPEC_FIRST_YEAR[
        "contributions"
    ]
    assert [f for f in report["findings"] if f["year"] == 2024] == SPEC_FIRST_YEAR["findings"]
    assert [y["year"] for y in report["years"]] == [2024, 2025, 2026]


def test_amounts_are_integers_and_shares_json_numbers() -> None:
    text = json.dumps(check_report(example("exempel.yaml")))
    assert '"admin_share": 0.4142' in text
    assert '"closing_equity": 6299000,' in text


def test_samspelet_comes_out_as_its_plan_says() -> None:
    """The budget table of Samspelet's Verksamhetsplan 2024 (shared/seeds/003_…)."""
    document = example("samspelet-2024.yaml")
    figures = budget.year_figures(document.to_budget())
    tkr = [
        [round(getattr(f, name) / 1000) for f in figures]
        for name in ("disposable", "costs", "unbudgeted")
    ]
    assert tkr == [[12_106, 11_127, 12_438], [11_151, 8_825, 8_450], [255, 1_602, 3_288]]
    assert [f.contributions for f in figures] == [10_028_000] * 3
    assert [f.closing_equity for f in figures] == [955_000, 2_302_000, 3_988_000]
    # "Eget kapital ska inte överstiga 20% av tilldelade medel"
    assert [f.equity_cap for f in figures] == [2_005_600] * 3
    report = check_report(document)
    assert [(f["year"], f["rule"]) for f in report["findings"]] == [
        (2025, "equity_cap"),
        (2025, "admin_share"),
        (2026, "equity_cap"),
        (2026, "admin_share"),
    ]
    assert report["contributions"][:6] == [
        {"year": 2024, "member": "Försäkringskassan", "amount": 5_014_000},
        {"year": 2024, "member": "Region Värmland", "amount": 2_507_000},
        {"year": 2024, "member": "Karlstads kommun", "amount": 1_637_273},
        {"year": 2024, "member": "Kristinehamns kommun", "amount": 423_281},
        {"year": 2024, "member": "Grums kommun", "amount": 158_041},
        {"year": 2024, "member": "Hammarö kommun", "amount": 288_405},
    ]


def test_blekinge_cap_is_two_point_eight_million() -> None:
    """Blekinge's plan (shared/seeds/000_…): 20 % up to 7 Mkr and 15 % above, on the
    revenues, "vilket … innebär 2 800 000 kronor"; lowest equity one million."""
    document = example("blekinge-2024.yaml")
    (figures,) = budget.year_figures(document.to_budget())
    assert figures.revenues == 16_333_333
    assert figures.equity_cap == 2_800_000
    assert document.rules.equity_min == 1_000_000
    assert 1_000_000 <= figures.closing_equity <= 2_800_000
    assert (
        sum(c.amounts[2024] for c in document.costs if c.kind in ("individual", "structural"))
        >= 9_500_000
    )
    assert check_report(document)["findings"] == []


def test_the_summary_reads_as_swedish() -> None:
    document = example("samspelet-2024.yaml")
    text = check_summary(document, warnings=[])
    assert "Samordningsförbundet Samspelet: Budget 2024, plan 2025–2026 (belopp i tkr)" in text
    assert "Medel att disponera" in text and "12 106" in text
    assert "Ej budgeterat (över 700 tkr)" in text
    assert "2025: Eget kapital 2 302 tkr överstiger taket 2 006 tkr [equity_cap]" in text


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(0, 10**11),
    populations=st.lists(st.integers(0, 10**6), min_size=1, max_size=12).filter(any),
)
def test_contribution_parts_add_up_to_the_total_to_the_krona(
    total: int, populations: list[int]
) -> None:
    members = [
        budget.Member("Försäkringskassan", budget.STATE),
        budget.Member("Arbetsförmedlingen", budget.STATE),
        budget.Member("Regionen", budget.REGION),
        *(budget.Member(f"Kommun {i}", budget.MUNICIPALITY, p) for i, p in enumerate(populations)),
    ]
    split = budget.split_contributions(total=total, members=members)
    assert sum(split.values()) == total
    assert "Arbetsförmedlingen" not in split
    assert abs(split["Försäkringskassan"] - total / 2) <= 1
    assert abs(split["Regionen"] - total / 4) <= 1


@settings(max_examples=100, deadline=None)
@given(document=documents())
def test_generated_contributions_add_up_and_equity_rolls_forward(document: PlanDocument) -> None:
    plan = document.to_budget()
    if document.contributions is not None:
        for year, total in document.contributions.total.items():
            generated = sum(
                line.amounts.get(year, 0) for line in document.generated_contributions()
            )
            assert generated == total
    figures = budget.year_figures(plan)
    assert figures[0].opening_equity == document.opening_equity
    for before, after in itertools.pairwise(figures):
        assert after.opening_equity == before.closing_equity
    for year in figures:
        assert year.closing_equity == year.opening_equity + year.revenues - year.costs
        assert year.disposable == year.opening_equity + year.revenues
        assert sum(year.costs_by_category.values()) == year.costs
    report = check_report(document)
    by_year: dict[int, int] = {}
    for row in report["contributions"]:
        by_year[row["year"]] = by_year.get(row["year"], 0) + row["amount"]
    for year in report["years"]:
        assert by_year.get(year["year"], 0) == year["contributions"]
    json.dumps(report)  # plain JSON all the way down
