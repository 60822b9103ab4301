"""Försörjning and sysselsättning before → after: for those who exited in the year, the
counts at start and at exit by kön with the change, and the flow table from each value at
start to each at exit, suppressed together so no hidden figure can be uncovered."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention
from stegvis.participants.report import COLUMNS, TOTAL, SuppressedReport, exited_in, participants_of
from stegvis.participants.selectors_report.cells import Cell, Line, ReportTable, gender_headings
from stegvis.participants.suppression import suppress, table_groups
from stegvis.participants.vocabulary import GENDERS, Employment, Support

MISSING = ""  # no answer recorded: a row and a column of its own, so tables add up


@dataclass
class ExitRow:
    gender: str
    support_at_start: list[str]
    support_at_exit: list[str]
    employment_at_start: str
    employment_at_exit: str


def exit_rows(
    *, association: Association, year: int, intervention: Intervention | None
) -> list[ExitRow]:
    """Those who exited in the year, with what they lived on and did at start and exit
    (rows only: participants removed by retention keep only their counts)."""
    with scope(association=association):
        values = exited_in(participants_of(association, intervention), year).values_list(
            "gender",
            "support_at_start",
            "support_at_exit",
            "employment_at_start",
            "employment_at_exit",
        )
        return [
            ExitRow(gender, list(start or []), list(end or []), employment_start, employment_end)
            for gender, start, end, employment_start, employment_end in values
        ]


@dataclass
class Transition:
    """Before → after of one variable: a table of counts at start and at exit by kön
    with the change, and the flow table from each value at start to each at exit."""

    before_after: ReportTable
    flow: ReportTable


def _codes_with_missing(codes: Iterable[str]) -> list[str]:
    return [*codes, MISSING]


def _code_label(choices: Any, code: str) -> str:
    return _("Uppgift saknas") if code == MISSING else str(choices(code).label)


def _change_cells(before: int | None, after: int | None) -> list[Cell]:
    if before is None or after is None:
        return [Cell(None, "change"), Cell(None, "percent_change")]
    percent = (
        None
        if before == 0
        else float(
            (Decimal(after - before) / Decimal(before)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        )
    )
    return [Cell(after - before, "change"), Cell(percent, "percent_change")]


def _before_after_table(
    *,
    key: str,
    title: str,
    row_heading: str,
    codes: list[str],
    choices: Any,
    shown: dict[Hashable, int | None],
    note: str,
    total_line: dict[str, int | None] | None = None,
) -> ReportTable:
    columns = [*gender_headings(), *gender_headings(), _("Antal"), "%"]
    lines = []
    for code in codes:
        before = [Cell(shown[("before", code, column)]) for column in COLUMNS]
        after = [Cell(shown[("after", code, column)]) for column in COLUMNS]
        change = _change_cells(before[-1].value, after[-1].value)  # type: ignore[arg-type]
        lines.append(Line(_code_label(choices, code), [*before, *after, *change]))
    if total_line is not None:
        cells = [Cell(total_line[column]) for column in COLUMNS]
        lines.append(
            Line(_("Avslutade"), [*cells, *cells, Cell(None, "blank"), Cell(None, "blank")], True)
        )
    return ReportTable(
        key=key,
        title=title,
        row_heading=row_heading,
        columns=columns,
        lines=lines,
        note=note,
        column_groups=[
            (_("Vid start"), len(COLUMNS)),
            (_("Vid avslut"), len(COLUMNS)),
            (_("Förändring, totalt"), 2),
        ],
    )


def _flow_table(
    *,
    key: str,
    title: str,
    codes: list[str],
    choices: Any,
    shown: dict[Hashable, int | None],
    row_total: Any,
    column_total: Any,
    grand_total: Hashable,
    note: str,
) -> ReportTable:
    columns = [_code_label(choices, code) for code in codes] + [_("Summa")]
    lines = [
        Line(
            _code_label(choices, start),
            [Cell(shown[("flow", start, end)]) for end in codes] + [Cell(shown[row_total(start)])],
        )
        for start in codes
    ]
    lines.append(
        Line(
            _("Summa"),
            [Cell(shown[column_total(end)]) for end in codes] + [Cell(shown[grand_total])],
            True,
        )
    )
    return ReportTable(
        key=key,
        title=title,
        row_heading=_("Vid start ↓ / vid avslut →"),
        columns=columns,
        lines=lines,
        note=note,
    )


def employment_transition(
    rows: Sequence[ExitRow], report: SuppressedReport, min_cell: int
) -> Transition:
    """Sysselsättning is one value per person: the before → after table and the flow
    table add up to the number who exited, and are suppressed together with it (the
    exited cells are pinned as the main table shows them, so the tables cannot be
    combined to uncover a hidden figure)."""
    codes = _codes_with_missing(Employment.values)
    cells: dict[Hashable, int] = {}
    for side in ("before", "after"):
        for code in codes:
            for column in COLUMNS:
                cells[(side, code, column)] = 0
    for start in codes:
        for end in codes:
            cells[("flow", start, end)] = 0
    exited = dict.fromkeys(COLUMNS, 0)
    for row in rows:
        start, end = row.employment_at_start or MISSING, row.employment_at_exit or MISSING
        for column in (row.gender, TOTAL):
            cells[("before", start, column)] += 1
            cells[("after", end, column)] += 1
            exited[column] += 1
        cells[("flow", start, end)] += 1
    for column in COLUMNS:
        cells[("exited", column)] = exited[column]

    groups: list[list[Hashable]] = []
    for side in ("before", "after"):
        groups += [[(side, code, column) for column in COLUMNS] for code in codes]
        groups += [
            [*((side, code, column) for code in codes), ("exited", column)] for column in COLUMNS
        ]
    groups += [
        [*(("flow", start, end) for end in codes), ("before", start, TOTAL)] for start in codes
    ]
    groups += [[*(("flow", start, end) for start in codes), ("after", end, TOTAL)] for end in codes]

    # Pin the exited cells to the main table's, when these rows are all of them.
    raw_exited = {column: report.raw.counts["exited"].get(column, 0) for column in GENDERS}
    raw_exited[TOTAL] = sum(raw_exited.values())
    hidden: set[Hashable] = set()
    keep: set[Hashable] = set()
    if raw_exited == exited:
        for column in COLUMNS:
            key = ("exited", column)
            (hidden if report.counts["exited"][column] is None else keep).add(key)
    shown = suppress(cells, groups, min_cell, hidden=hidden, keep=keep)
    note = _(
        "De som avslutades under året. Förändring: antal vid avslut − antal vid start, "
        "och i procent av antalet vid start."
    )
    return Transition(
        before_after=_before_after_table(
            key="employment",
            title=_("Sysselsättning vid start och vid avslut"),
            row_heading=_("Sysselsättning"),
            codes=codes,
            choices=Employment,
            shown=shown,
            note=note,
            total_line={column: shown[("exited", column)] for column in COLUMNS},
        ),
        flow=_flow_table(
            key="employment_flow",
            title=_("Sysselsättning: från start till avslut"),
            codes=codes,
            choices=Employment,
            shown=shown,
            row_total=lambda start: ("before", start, TOTAL),
            column_total=lambda end: ("after", end, TOTAL),
            grand_total=("exited", TOTAL),
            note=_(
                "Antal deltagare med sysselsättningen i raden vid start och i kolumnen vid avslut."
            ),
        ),
    )


def support_transition(rows: Sequence[ExitRow], min_cell: int) -> Transition:
    """Försörjning may be several sources at once: a person counts once for each
    source at start and at exit, and in the flow table once for each pair of a source
    at start and a source at exit (its sums are pairs, not people)."""
    codes = _codes_with_missing(Support.values)
    cells: dict[Hashable, int] = {}
    for side in ("before", "after"):
        for code in codes:
            for column in COLUMNS:
                cells[(side, code, column)] = 0
    flow: dict[tuple[Hashable, Hashable], int] = {}
    for start in [*codes, TOTAL]:
        for end in [*codes, TOTAL]:
            flow[(start, end)] = 0
    for row in rows:
        starts = [code for code in codes if code in row.support_at_start] or [MISSING]
        ends = [code for code in codes if code in row.support_at_exit] or [MISSING]
        for column in (row.gender, TOTAL):
            for code in starts:
                cells[("before", code, column)] += 1
            for code in ends:
                cells[("after", code, column)] += 1
        for start in starts:
            for end in ends:
                for key in ((start, end), (start, TOTAL), (TOTAL, end), (TOTAL, TOTAL)):
                    flow[key] += 1
    for (flow_start, flow_end), number in flow.items():
        cells[("flow", flow_start, flow_end)] = number
    groups: list[list[Hashable]] = []
    for side in ("before", "after"):
        groups += [[(side, code, column) for column in COLUMNS] for code in codes]
    groups += [
        [("flow", start, end) for start, end in group]
        for group in table_groups(codes, codes, total_column=TOTAL, total_row=TOTAL)
    ]
    shown = suppress(cells, groups, min_cell)
    return Transition(
        before_after=_before_after_table(
            key="support",
            title=_("Försörjning vid start och vid avslut"),
            row_heading=_("Försörjning"),
            codes=codes,
            choices=Support,
            shown=shown,
            note=_(
                "De som avslutades under året. En deltagare med flera försörjningskällor "
                "räknas en gång för varje källa."
            ),
        ),
        flow=_flow_table(
            key="support_flow",
            title=_("Försörjning: från start till avslut"),
            codes=codes,
            choices=Support,
            shown=shown,
            row_total=lambda start: ("flow", start, TOTAL),
            column_total=lambda end: ("flow", TOTAL, end),
            grand_total=("flow", TOTAL, TOTAL),
            note=_(
                "Antal deltagare med försörjningen i raden vid start och i kolumnen vid "
                "avslut. Den som hade flera källor räknas för varje par, så summorna är "
                "antal par."
            ),
        ),
    )
