"""Small-cell suppression (spec/participant-file.md "Suppression"): pure functions,
property-based tests on random tables that add up, and hand-worked examples."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from stegvis.participants.report import (
    COLUMNS,
    COUNT_ROWS,
    YearCounts,
    report_cells,
    report_groups,
    suppress_report,
)
from stegvis.participants.suppression import (
    lone_hidden_groups,
    round_share,
    share,
    suppress,
    table_groups,
)
from stegvis.participants.vocabulary import GENDERS, OUTCOMES

# --- Random tables whose groups add up -------------------------------------------


@st.composite
def cross_tables(draw: Any) -> tuple[dict[Any, int], list[list[Any]]]:
    """A table of counts with a total column and a total row."""
    rows = draw(st.integers(min_value=1, max_value=5))
    columns = draw(st.integers(min_value=1, max_value=5))
    counts = st.one_of(st.integers(0, 12), st.integers(0, 3), st.just(0))
    cells: dict[Any, int] = {}
    for r in range(rows):
        for c in range(columns):
            cells[(r, c)] = draw(counts)
        cells[(r, "T")] = sum(cells[(r, c)] for c in range(columns))
    for c in [*range(columns), "T"]:
        cells[("T", c)] = sum(cells[(r, c)] for r in range(rows))
    groups = table_groups(list(range(rows)), list(range(columns)), total_column="T", total_row="T")
    return cells, groups


@st.composite
def year_counts(draw: Any) -> YearCounts:
    """The report's raw counts, consistent: outcomes add up to the exited."""
    raw = YearCounts()
    small = st.one_of(st.integers(0, 4), st.integers(0, 40))
    for gender in GENDERS:
        for code in OUTCOMES:
            raw.outcomes[code][gender] = draw(small)
        raw.counts["exited"][gender] = sum(raw.outcomes[code][gender] for code in OUTCOMES)
        raw.counts["step_progress"][gender] = sum(
            raw.outcomes[code][gender]
            for code in ("arbete", "studier", "arbetssökande", "annan rehabilitering")
        )
        raw.counts["started"][gender] = draw(small)
        raw.counts["participants"][gender] = (
            raw.counts["started"][gender] + raw.counts["exited"][gender] + draw(small)
        )
    return raw


def _check(
    cells: dict[Any, int], groups: list[list[Any]], shown: dict[Any, int | None], k: int
) -> None:
    for key, value in shown.items():
        if value is not None:
            assert value == cells[key], "a shown cell equals the raw one"
            assert not 0 < value < k, "no count from 1 to min_cell − 1 is shown"
        else:
            assert cells[key] != 0 or k == 1, "0 is never hidden"
    assert lone_hidden_groups(shown, groups) == [], "no group holds exactly one hidden cell"


@given(cross_tables(), st.integers(min_value=2, max_value=11))
def test_suppressed_cross_tables_hide_small_counts_and_leave_no_lone_hidden_cell(
    table: tuple[dict[Any, int], list[list[Any]]], min_cell: int
) -> None:
    cells, groups = table
    _check(cells, groups, suppress(cells, groups, min_cell), min_cell)


@given(year_counts(), st.integers(min_value=2, max_value=11))
def test_suppressed_report_hides_small_counts_and_leaves_no_lone_hidden_cell(
    raw: YearCounts, min_cell: int
) -> None:
    cells = report_cells(raw)
    groups = report_groups()
    shown = suppress(cells, groups, min_cell)
    _check(cells, groups, shown, min_cell)
    report = suppress_report(raw, min_cell)
    for column in COLUMNS:
        exited = report.counts["exited"][column]
        share_value = report.step_progress_share[column]
        if exited is None or report.counts["step_progress"][column] is None:
            assert share_value is None


@given(cross_tables())
def test_min_cell_one_shows_everything(table: tuple[dict[Any, int], list[list[Any]]]) -> None:
    cells, groups = table
    assert suppress(cells, groups, 1) == cells


@given(year_counts())
def test_report_without_suppression_is_the_raw_counts(raw: YearCounts) -> None:
    report = suppress_report(raw, 1)
    for row in COUNT_ROWS:
        for gender in GENDERS:
            assert report.counts[row][gender] == raw.counts[row][gender]
        assert report.counts[row]["total"] == sum(raw.counts[row].values())


@given(cross_tables(), st.integers(min_value=2, max_value=11))
def test_suppression_is_deterministic(
    table: tuple[dict[Any, int], list[list[Any]]], min_cell: int
) -> None:
    cells, groups = table
    assert suppress(cells, groups, min_cell) == suppress(dict(cells), list(groups), min_cell)


# --- Hand-worked examples ------------------------------------------------------------


def row(kvinna: int, man: int, ej: int) -> tuple[dict[str, int], list[list[str]]]:
    cells = {"kvinna": kvinna, "man": man, "ej angivet": ej, "total": kvinna + man + ej}
    return cells, [["kvinna", "man", "ej angivet", "total"]]


def test_a_small_count_is_hidden_and_the_smallest_other_cell_with_it() -> None:
    # 3 is hidden; total 20 − 10 − 7 would give it away, so the smallest shown
    # non-zero cell of the row (7) is hidden too.
    cells, groups = row(10, 7, 3)
    assert suppress(cells, groups, 5) == {
        "kvinna": 10,
        "man": None,
        "ej angivet": None,
        "total": 20,
    }


def test_zero_is_shown_and_never_chosen_as_complement() -> None:
    cells, groups = row(12, 0, 2)
    # 2 hidden; 0 is not hidden and not chosen; the smallest non-zero shown is 12.
    assert suppress(cells, groups, 5) == {
        "kvinna": None,
        "man": 0,
        "ej angivet": None,
        "total": 14,
    }


def test_ties_take_the_first_cell_in_the_groups_order() -> None:
    cells, groups = row(8, 8, 1)
    assert suppress(cells, groups, 5) == {"kvinna": None, "man": 8, "ej angivet": None, "total": 17}


def test_two_small_counts_need_no_complement() -> None:
    cells, groups = row(9, 2, 1)
    assert suppress(cells, groups, 5) == {"kvinna": 9, "man": None, "ej angivet": None, "total": 12}


def test_a_small_total_hides_its_parts() -> None:
    cells, groups = row(2, 1, 0)
    assert suppress(cells, groups, 5) == {
        "kvinna": None,
        "man": None,
        "ej angivet": 0,
        "total": None,
    }


def test_complementary_suppression_repeats_across_groups() -> None:
    # Two rows and their column totals: hiding a cell in one row forces one in its
    # column, which forces another in that cell's row, and so on.
    cells: dict[Any, int] = {
        ("a", 0): 3,
        ("a", 1): 10,
        ("a", "T"): 13,
        ("b", 0): 6,
        ("b", 1): 20,
        ("b", "T"): 26,
        ("T", 0): 9,
        ("T", 1): 30,
        ("T", "T"): 39,
    }
    groups: list[list[Any]] = list(
        table_groups(["a", "b"], [0, 1], total_column="T", total_row="T")
    )
    shown = suppress(cells, groups, 5)
    assert shown == {
        ("a", 0): None,
        ("a", 1): None,
        ("a", "T"): 13,
        ("b", 0): None,
        ("b", 1): None,
        ("b", "T"): 26,
        ("T", 0): 9,
        ("T", 1): 30,
        ("T", "T"): 39,
    }


def test_pinned_cells_are_hidden_or_kept_as_another_table_shows_them() -> None:
    cells, groups = row(10, 7, 3)
    shown = suppress(cells, groups, 5, keep={"man"})
    assert shown["man"] == 7
    assert shown["kvinna"] is None
    shown = suppress(cells, groups, 5, hidden={"total"})
    assert shown["total"] is None
    assert shown["ej angivet"] is None


def test_shares_are_rounded_half_up_to_four_decimals() -> None:
    assert round_share(13, 19) == 0.6842
    assert round_share(7, 12) == 0.5833
    assert round_share(1, 8) == 0.125
    assert round_share(13687, 20000) == 0.6844  # 0.68435 → up
    assert round_share(2, 3) == 0.6667


def test_shares_are_hidden_when_a_count_is_hidden_or_the_denominator_is_small() -> None:
    assert share(None, 20, 5) is None
    assert share(3, None, 5) is None
    assert share(0, 0, 5) is None
    assert share(0, 0, 1) is None
    assert share(3, 4, 1) == 0.75
    assert share(0, 6, 5) == 0.0
