"""The arithmetic of the follow-up, without a database: extrapolation, prognosis,
deviation, totals, amounts as people type them, and the import sheet."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stegvis.finance.actuals import (
    AmountError,
    Figures,
    Flag,
    LineName,
    SheetRow,
    Source,
    difference,
    extrapolate,
    flag,
    format_amount,
    parse_amount,
    period_span,
    prognosis,
    read_sheet,
    sheet_amounts,
    sheet_name,
    total,
    year_share,
)

amounts = st.integers(min_value=-(10**10), max_value=10**10)
months = st.integers(min_value=1, max_value=12)
figures = st.builds(
    Figures,
    budget=st.integers(min_value=0, max_value=10**10),
    actual=st.none() | amounts,
    prognosis=amounts,
)


# -- Extrapolation and prognosis ------------------------------------------------


def test_t2_actual_of_800_is_a_year_of_1200() -> None:
    assert extrapolate(actual=800_000, end_month=8) == 1_200_000


def test_extrapolation_rounds_to_whole_kronor_half_away_from_zero() -> None:
    assert extrapolate(actual=1, end_month=8) == 2  # 1.5
    assert extrapolate(actual=-1, end_month=8) == -2
    assert extrapolate(actual=100, end_month=7) == 171  # 171.43


@given(actual=amounts, end_month=months)
def test_extrapolation_is_within_half_a_krona_of_the_exact_value(
    actual: int, end_month: int
) -> None:
    exact = Decimal(actual * 12) / Decimal(end_month)
    assert abs(extrapolate(actual=actual, end_month=end_month) - exact) <= Decimal("0.5")


@given(a=amounts, b=amounts, end_month=months)
def test_extrapolation_is_monotonic(a: int, b: int, end_month: int) -> None:
    low, high = sorted((a, b))
    assert extrapolate(actual=low, end_month=end_month) <= extrapolate(
        actual=high, end_month=end_month
    )


@given(actual=amounts)
def test_twelve_months_need_no_extrapolation(actual: int) -> None:
    assert extrapolate(actual=actual, end_month=12) == actual


def test_extrapolation_refuses_a_month_outside_the_year() -> None:
    with pytest.raises(ValueError):
        extrapolate(actual=1, end_month=0)


@given(budget=amounts, actual=amounts, forecast=st.none() | amounts, earlier=amounts)
def test_helar_prognosis_is_the_actual_whatever_was_forecast(
    budget: int, actual: int, forecast: int | None, earlier: int
) -> None:
    result = prognosis(
        budget_amount=budget, actuals={4: earlier, 12: actual}, end_month=12, forecast=forecast
    )
    assert result.amount == actual
    assert result.source == Source.ACTUAL


def test_the_kanslis_forecast_beats_the_extrapolation_before_helar() -> None:
    result = prognosis(budget_amount=1000, actuals={8: 800}, end_month=8, forecast=1500)
    assert (result.amount, result.source) == (1500, Source.FORECAST)


def test_the_latest_actual_up_to_the_period_is_drawn_out() -> None:
    result = prognosis(budget_amount=1000, actuals={4: 100, 8: 800}, end_month=8, forecast=None)
    assert (result.amount, result.source, result.from_month) == (1200, Source.EXTRAPOLATED, 8)
    # T2 not recorded for the line: T1 is the latest information there is.
    earlier = prognosis(budget_amount=1000, actuals={4: 100}, end_month=8, forecast=None)
    assert (earlier.amount, earlier.from_month) == (300, 4)
    # An actual of a later period is not known at the end of an earlier one.
    assert prognosis(budget_amount=1000, actuals={8: 800}, end_month=4, forecast=None).source == (
        Source.BUDGET
    )


def test_without_any_actual_the_budget_stands() -> None:
    result = prognosis(budget_amount=1000, actuals={}, end_month=4, forecast=None)
    assert (result.amount, result.source) == (1000, Source.BUDGET)


# -- Deviation, shares, totals ---------------------------------------------------


def test_deviation_in_kronor_and_share_of_the_budget() -> None:
    row = Figures(budget=1_200_000, actual=800_000, prognosis=1_200_000)
    assert (row.deviation, row.deviation_share) == (0, Decimal("0"))
    assert row.used_share == Decimal("0.6667")
    over = Figures(budget=1000, actual=None, prognosis=1100)
    assert (over.deviation, over.deviation_share, over.used_share) == (100, Decimal("0.1"), None)
    assert Figures(budget=0, actual=5, prognosis=5).deviation_share is None


@given(row=figures)
def test_budget_plus_deviation_is_the_prognosis(row: Figures) -> None:
    assert row.budget + row.deviation == row.prognosis


def test_share_of_the_year() -> None:
    assert year_share(4) == Decimal("0.3333")
    assert year_share(8) == Decimal("0.6667")
    assert year_share(12) == Decimal("1")


@given(rows=st.lists(figures, max_size=12))
def test_totals_are_the_sums_of_the_lines(rows: list[Figures]) -> None:
    summed = total(rows)
    assert summed.budget == sum(row.budget for row in rows)
    assert summed.prognosis == sum(row.prognosis for row in rows)
    assert summed.deviation == sum(row.deviation for row in rows)
    known = [row.actual for row in rows if row.actual is not None]
    assert summed.actual == (sum(known) if known else None)


@given(revenues=st.lists(figures, max_size=6), costs=st.lists(figures, max_size=6))
def test_the_result_is_revenues_minus_costs_column_by_column(
    revenues: list[Figures], costs: list[Figures]
) -> None:
    result = difference(total(revenues), total(costs))
    assert result.budget == sum(r.budget for r in revenues) - sum(c.budget for c in costs)
    assert result.prognosis == sum(r.prognosis for r in revenues) - sum(c.prognosis for c in costs)
    # Grouping lines differently never changes the total.
    halves = total([total(revenues[:2]), total(revenues[2:])])
    assert halves == total(revenues)


def test_more_than_five_percent_over_budget_is_flagged() -> None:
    assert flag(side="cost", figures=Figures(1000, None, 1050)) is None
    assert flag(side="cost", figures=Figures(1000, None, 1051)) == Flag.OVER
    assert flag(side="cost", figures=Figures(0, None, 1)) == Flag.OVER
    assert flag(side="cost", figures=Figures(1000, None, 100)) is None
    assert flag(side="revenue", figures=Figures(1000, None, 949)) == Flag.UNDER
    assert flag(side="revenue", figures=Figures(1000, None, 950)) is None


# -- Amounts as typed ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "kronor"),
    [
        ("1 234,5", "tkr", 1_234_500),
        ("1\u00a0234,5", "tkr", 1_234_500),
        ("1234.5", "tkr", 1_234_500),
        ("  300 ", "kr", 300),
        ("1 234,50", "kr", 1_235),
        ("\u2212300", "kr", -300),
        ("-0,4", "kr", 0),
        ("", "kr", None),
        ("   ", "tkr", None),
        (1234.5, "tkr", 1_234_500),
        (1200, "kr", 1200),
    ],
)
def test_amounts_are_read_the_swedish_way(text: object, unit: str, kronor: int | None) -> None:
    assert parse_amount(text, unit=unit) == kronor


@pytest.mark.parametrize("text", ["12x", "1.234,5", "1,2,3", "kr 100", "--1", True, "1e5"])
def test_what_is_not_an_amount_is_refused(text: object) -> None:
    with pytest.raises(AmountError):
        parse_amount(text, unit="kr")


def test_an_absurd_amount_is_refused() -> None:
    with pytest.raises(AmountError, match="orimligt"):
        parse_amount("999 999 999 999", unit="tkr")


@given(kronor=amounts, unit=st.sampled_from(["tkr", "kr"]))
def test_a_formatted_amount_reads_back_to_the_same_kronor(kronor: int, unit: str) -> None:
    assert parse_amount(format_amount(kronor, unit=unit), unit=unit) == kronor


def test_amounts_are_written_for_forms_in_swedish_format() -> None:
    assert format_amount(1_234_500, unit="tkr") == "1 234,5"
    assert format_amount(1_234_000, unit="tkr") == "1 234"
    assert format_amount(-1_234_567, unit="kr") == "-1 234 567"
    assert format_amount(None, unit="kr") == ""


# -- The import sheet -------------------------------------------------------------

LINES = [
    LineName(1, "Medlemsavgifter", "revenue"),
    LineName(2, "Administration", "cost"),
    LineName(3, "Styrelse o revision", "cost"),
    LineName(4, "Övrigt", "revenue"),
    LineName(5, "Övrigt", "cost"),
]


def rows(*cells: tuple[object, ...]) -> list[SheetRow]:
    return [SheetRow(number, row) for number, row in enumerate(cells, start=1)]


def test_names_match_case_insensitively_and_a_header_is_skipped() -> None:
    result = sheet_amounts(
        rows(
            ("Budgetrad", "Utfall (tkr)"),
            ("  administration ", "1 234,5"),
            ("MEDLEMSAVGIFTER", 800),
        ),
        lines=LINES,
        unit="tkr",
    )
    assert result.errors == []
    assert result.amounts == {2: 1_234_500, 1: 800_000}
    assert result.rows == {2: 2, 1: 3}


def test_every_bad_row_is_reported_by_row_and_column() -> None:
    result = sheet_amounts(
        rows(
            ("Administration", "100"),
            ("Admnistration", "5"),
            ("Styrelse o revision", "12 x"),
            ("administration", "7"),
            ("", "9"),
            ("Övrigt", "1"),
            ("Medlemsavgifter", "1", "extra"),
        ),
        lines=LINES,
        unit="kr",
    )
    assert result.errors == [
        "rad 2, kolumn A: ”Admnistration” finns inte bland budgetens rader. "
        "Menar du ”Administration”?",
        "rad 3, kolumn B: ”12 x” är inte ett belopp (skriv till exempel 1 234,5)",
        "rad 4, kolumn A: ”administration” finns redan på rad 1",
        "rad 5, kolumn A: budgetradens namn saknas",
        "rad 6, kolumn A: ”Övrigt” finns både som intäkt och kostnad; skriv ”Övrigt (intäkt)” "
        "eller ”Övrigt (kostnad)”.",
        "rad 7, kolumn C: filen ska ha två kolumner (budgetrad och belopp), här finns ”extra”. "
        "Står ett belopp med decimalkomma i en kommaseparerad fil: sätt det inom citattecken "
        "eller använd semikolon.",
    ]


def test_a_header_naming_another_unit_is_refused() -> None:
    result = sheet_amounts(
        rows(("Budgetrad", "Utfall kr"), ("Administration", 5)), lines=LINES, unit="tkr"
    )
    assert result.errors == [
        "rad 1, kolumn B: rubriken ”Utfall kr” anger kr men beloppen läses som tkr"
    ]


def test_rows_without_an_amount_are_skipped_and_said_so() -> None:
    result = sheet_amounts(
        rows(("Administration", None), ("Medlemsavgifter", 5)), lines=LINES, unit="kr"
    )
    assert (result.errors, result.amounts, result.empty) == ([], {1: 5}, [1])


def test_lines_sharing_a_name_are_told_apart_in_the_template() -> None:
    assert [sheet_name(line, LINES) for line in LINES[3:]] == [
        "Övrigt (intäkt)",
        "Övrigt (kostnad)",
    ]
    assert sheet_name(LINES[1], LINES) == "Administration"


def test_csv_with_semicolons_comma_or_windows_encoding() -> None:
    assert read_sheet(b"Budgetrad;Utfall\nLokaler;1 234,5\n\n") == rows(
        ("Budgetrad", "Utfall"), ("Lokaler", "1 234,5")
    )
    assert read_sheet(b'Lokaler,"1 234,5"\r\n')[0].cells == ("Lokaler", "1 234,5")
    assert read_sheet("Kompetensutveckling;5\n".encode("cp1252"))[0].cells == (
        "Kompetensutveckling",
        "5",
    )
    assert read_sheet("\ufeffLokaler\t5\n".encode())[0].cells == ("Lokaler", "5")


def test_blank_rows_keep_the_spreadsheets_row_numbers() -> None:
    assert [row.number for row in read_sheet(b"a;1\n;\nb;2\n")] == [1, 3]


def test_period_spans_for_headings() -> None:
    assert [period_span(month) for month in (1, 4, 8, 12)] == [
        "januari",
        "jan–apr",
        "jan–aug",
        "helår",
    ]
