"""The budget arithmetic, without a database: the spec's example, the seed plans'
figures, and properties that must hold for any plan."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stegvis.finance.budget import (
    Budget,
    Line,
    Member,
    Rules,
    Tier,
    equity_cap,
    findings,
    largest_remainder,
    split_contributions,
    year_figures,
)

EXAMPLE_MEMBERS = (
    Member("Försäkringskassan", "state"),
    Member("Arbetsförmedlingen", "state"),
    Member("Region Exempel", "region"),
    Member("Exempels kommun", "municipality", 50210),
    Member("Grannby kommun", "municipality", 12044),
)


def example_budget() -> Budget:
    split = split_contributions(total=8_000_000, members=EXAMPLE_MEMBERS)
    revenues = (
        *tuple(
            Line(f"Bidrag {name}", "contribution", {2024: amount}, member=name)
            for name, amount in split.items()
        ),
        Line("ESF-medel", "grant", {2024: 300000, 2025: 300000}),
    )
    costs = (
        Line("Förbundschef", "administration", {2024: 1_400_000, 2025: 1_000_000, 2026: 1_000_000}),
        Line("Kontorshyra", "premises", {2024: 50_000}),
        Line("Steget", "individual", {2024: 2_051_000}, intervention="Steget"),
    )
    return Budget((2024, 2025, 2026), 1_500_000, EXAMPLE_MEMBERS, revenues, costs)


def test_the_specs_example_first_year() -> None:
    first = year_figures(example_budget())[0]
    assert (first.contributions, first.other_revenues, first.revenues) == (
        8_000_000,
        300_000,
        8_300_000,
    )
    assert (first.disposable, first.costs, first.result) == (9_800_000, 3_501_000, 4_799_000)
    assert (first.closing_equity, first.equity_cap, first.admin_share) == (
        6_299_000,
        1_595_000,
        Decimal("0.4142"),
    )
    assert first.costs_by_category == {
        "administration": 1_400_000,
        "premises": 50_000,
        "individual": 2_051_000,
    }


def test_the_specs_example_contributions_and_findings() -> None:
    assert split_contributions(total=8_000_000, members=EXAMPLE_MEMBERS) == {
        "Försäkringskassan": 4_000_000,
        "Region Exempel": 2_000_000,
        "Exempels kommun": 1_613_069,
        "Grannby kommun": 386_931,
    }
    first_year = [f for f in findings(example_budget()) if f.year == 2024]
    assert [(f.rule, f.value, f.limit) for f in first_year] == [
        ("equity_cap", 6_299_000, 1_595_000),
        ("admin_share", Decimal("0.4142"), Decimal("0.15")),
    ]
    assert first_year[0].message == "Eget kapital 6 299 tkr överstiger taket 1 595 tkr"


def test_samspelet_seed_budget() -> None:
    """Verksamhetsplan 2024 för Samspelet: summa budget, kostnader and ej budgeterat."""
    members = (
        Member("Försäkringskassan", "state"),
        Member("Region Värmland", "region"),
        Member("Karlstads kommun", "municipality"),
        Member("Hammarö kommun", "municipality"),
        Member("Grums kommun", "municipality"),
        Member("Kristinehamns kommun", "municipality"),
    )
    paid = {
        "Försäkringskassan": 5_014_000,
        "Region Värmland": 2_507_000,
        "Karlstads kommun": 1_637_273,
        "Hammarö kommun": 288_405,
        "Grums kommun": 158_041,
        "Kristinehamns kommun": 423_281,
    }
    years = (2024, 2025, 2026)
    revenues = (
        *tuple(
            Line(name, "contribution", dict.fromkeys(years, amount), member=name)
            for name, amount in paid.items()
        ),
        Line("ESF", "grant", {2024: 144000, 2025: 144000, 2026: 108000}),
    )
    cost_rows = {
        "Administration": ("administration", (1_350, 1_350, 1_350)),
        "Processtöd": ("structural", (460, 600, 600)),
        "Styrelse o revision": ("board", (250, 250, 250)),
        "Kompetensutveckling": ("competence", (200, 200, 200)),
        "Jämställdhet": ("structural", (50, 50, 50)),
        "Stegen Karlstad": ("individual", (4_100, 4_100, 4_100)),
        "Stegen Kristinehamn": ("individual", (2_350, 1_900, 1_900)),
        "TRIS Karlstad": ("individual", (1_200, 0, 0)),
        "Tillitsbyrå": ("structural", (500, 375, 0)),
        "Lärlingsutbildning": ("individual", (691, 0, 0)),
    }
    costs = tuple(
        Line(name, category, {y: t * 1000 for y, t in zip(years, tkr, strict=True)})
        for name, (category, tkr) in cost_rows.items()
    )
    rules = Rules(
        equity_cap_base="contributions", tiers=(Tier(Decimal("0.20")),), equity_min=700_000
    )
    # Eget kapital 1 034 tkr + buffert 700 tkr + preliminärt överskott 2023 200 tkr.
    figures = year_figures(Budget(years, 1_934_000, members, revenues, costs, rules))
    assert [f.disposable for f in figures] == [12_106_000, 11_127_000, 12_438_000]
    assert [f.costs for f in figures] == [11_151_000, 8_825_000, 8_450_000]
    assert [f.unbudgeted for f in figures] == [255_000, 1_602_000, 3_288_000]
    assert [f.contributions for f in figures] == [10_028_000] * 3
    assert figures[0].equity_cap == 2_005_600  # 20 % av tilldelade medel


def test_blekinge_cap_is_2_8_mkr_at_its_revenue_level() -> None:
    """20 % up to 7 Mkr and 15 % above: 2 800 000 kr at revenues of 16 333 333 kr."""
    assert equity_cap(base=16_333_333, tiers=Rules().tiers) == 2_800_000


@given(st.integers(0, 10**10), st.lists(st.integers(0, 10**6), min_size=1, max_size=30))
def test_largest_remainder_never_loses_a_krona(total: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights[0] = 1
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    assert all(part >= 0 for part in parts)
    exact = [total * w / sum(weights) for w in weights]
    assert all(abs(part - share) < 1 for part, share in zip(parts, exact, strict=True))


@given(
    st.integers(0, 10**9),
    st.lists(st.integers(1, 10**6), min_size=1, max_size=12),
    st.sampled_from(["population", "equal", "shares"]),
)
def test_contribution_parts_add_up_to_the_total(
    total: int, populations: list[int], key: str
) -> None:
    members = [Member("FK", "state"), Member("AF", "state"), Member("Region", "region")] + [
        Member(f"Kommun {i}", "municipality", p) for i, p in enumerate(populations)
    ]
    shares = {f"Kommun {i}": p for i, p in enumerate(populations)}
    split = split_contributions(total=total, members=members, municipal_key=key, shares=shares)
    assert sum(split.values()) == total
    assert "AF" not in split  # the state's half is booked on the first state member
    assert abs(split["FK"] - total / 2) <= 1


amounts = st.dictionaries(
    st.sampled_from([2024, 2025, 2026, 2027]), st.integers(0, 10**8), max_size=4
)


@given(
    st.integers(-(10**8), 10**8),
    st.lists(st.tuples(st.sampled_from(["contribution", "grant", "other"]), amounts), max_size=8),
    st.lists(
        st.tuples(st.sampled_from(["board", "administration", "individual", "other"]), amounts),
        max_size=8,
    ),
)
def test_closing_equity_of_a_year_is_the_opening_of_the_next(
    opening: int,
    revenue_rows: list[tuple[str, dict[int, int]]],
    cost_rows: list[tuple[str, dict[int, int]]],
) -> None:
    budget = Budget(
        years=(2024, 2025, 2026, 2027),
        opening_equity=opening,
        members=(),
        revenues=tuple(Line(f"r{i}", kind, a) for i, (kind, a) in enumerate(revenue_rows)),
        costs=tuple(Line(f"c{i}", kind, a) for i, (kind, a) in enumerate(cost_rows)),
    )
    figures = year_figures(budget)
    assert figures[0].opening_equity == opening
    for before, after in itertools.pairwise(figures):
        assert after.opening_equity == before.closing_equity
    for year in figures:
        assert year.closing_equity == year.opening_equity + year.revenues - year.costs
        assert year.costs == sum(year.costs_by_category.values())
        assert year.disposable == year.opening_equity + year.revenues


@given(st.integers(0, 10**10), st.integers(0, 10**10))
def test_equity_cap_grows_with_its_base(a: int, b: int) -> None:
    low, high = sorted((a, b))
    tiers = Rules().tiers
    assert equity_cap(base=low, tiers=tiers) <= equity_cap(base=high, tiers=tiers)
