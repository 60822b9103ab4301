"""The report pages' tables (DOMAIN.md §4 and §8, as SUS showed them): deltagare by kön
with avslutsorsaker and stegförflyttning, försörjning and sysselsättning before → after
with flow tables, survey agree shares and assessment progress — each suppressed with
the rules of `participants.suppression` when figures leave the insats.

Every table is a `ReportTable` of `Cell`s: the value (None when not shown) and its
text in Swedish format, so one template and one exporter show them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.instruments.models import Instrument, ResponseAnswer
from stegvis.interventions.models import Intervention
from stegvis.participants.report import (
    COLUMNS,
    COUNT_ROWS,
    TOTAL,
    SuppressedReport,
    exited_in,
    participants_of,
    suppress_report,
    year_bounds,
    year_counts,
)
from stegvis.participants.suppression import share, suppress, suppress_mean, table_groups
from stegvis.participants.vocabulary import GENDERS, OUTCOMES, Employment, Gender, Outcome, Support

MISSING = ""  # no answer recorded: a row and a column of its own, so tables add up
NBSP = "\u00a0"
MINUS = "\u2212"


# --- Cells and tables -------------------------------------------------------------


def format_count(value: int) -> str:
    return f"{value:,}".replace(",", NBSP)


def format_decimal(value: float, places: int = 1, *, signed: bool = False) -> str:
    quantum = Decimal(1).scaleb(-places)
    shown = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(shown)}".replace(".", ",")
    if shown < 0:
        return MINUS + text
    return ("+" + text) if signed and shown > 0 else text


def format_share(value: float) -> str:
    return format_decimal(value * 100, 1) + NBSP + "%"


@dataclass(frozen=True)
class Cell:
    """One figure of a table: `value` None when it is not shown (suppressed or, for a
    share or a mean, not computable)."""

    value: int | float | None
    kind: str = "count"  # count, share, mean, change, percent_change, blank

    @property
    def hidden(self) -> bool:
        return self.value is None and self.kind != "blank"

    @property
    def text(self) -> str:
        value = self.value
        if self.kind == "blank":
            return ""
        if value is None:
            return "–"
        if self.kind == "share":
            return format_share(float(value))
        if self.kind == "mean":
            return format_decimal(float(value), 1)
        if self.kind == "change":
            return format_decimal(float(value), 1 if isinstance(value, float) else 0, signed=True)
        if self.kind == "percent_change":
            return format_decimal(float(value) * 100, 1, signed=True) + NBSP + "%"
        return format_count(int(value))

    @property
    def export_value(self) -> int | float | None:
        return self.value


@dataclass
class Line:
    label: str
    cells: list[Cell]
    total: bool = False  # a sum row, shown in bold


@dataclass
class ReportTable:
    key: str
    title: str
    row_heading: str
    columns: list[str]
    lines: list[Line]
    note: str = ""
    column_groups: list[tuple[str, int]] = field(default_factory=list)  # (heading, span)

    @property
    def has_hidden(self) -> bool:
        return any(
            cell.hidden and cell.kind == "count" for line in self.lines for cell in line.cells
        )


def gender_headings() -> list[str]:
    return [str(Gender(code).label) for code in GENDERS] + [_("Totalt")]


# --- Deltagare by kön, avslutsorsaker --------------------------------------------


def count_labels() -> dict[str, str]:
    return {
        "participants": _("Deltagare under året"),
        "started": _("Påbörjade"),
        "exited": _("Avslutade"),
        "step_progress": _("Avslutade med stegförflyttning"),
    }


def counts_table(report: SuppressedReport) -> ReportTable:
    labels = count_labels()
    lines = [
        Line(labels[row], [Cell(report.counts[row][column]) for column in COLUMNS])
        for row in COUNT_ROWS
    ]
    lines.append(
        Line(
            _("Andel stegförflyttning av avslutade"),
            [Cell(report.step_progress_share[column], "share") for column in COLUMNS],
        )
    )
    return ReportTable(
        key="counts",
        title=_("Deltagare efter kön"),
        row_heading=_("Antal"),
        columns=gender_headings(),
        lines=lines,
        note=_(
            "Deltagare under året: inskrivna någon gång under året, anonyma deltagare "
            "inräknade. Stegförflyttning: avslut till arbete, studier, arbetssökande "
            "eller annan rehabilitering."
        ),
    )


def outcomes_table(report: SuppressedReport) -> ReportTable:
    lines = [
        Line(str(Outcome(code).label), [Cell(report.outcomes[code][column]) for column in COLUMNS])
        for code in OUTCOMES
    ]
    lines.append(
        Line(_("Avslutade"), [Cell(report.counts["exited"][column]) for column in COLUMNS], True)
    )
    return ReportTable(
        key="outcomes",
        title=_("Avslutsorsaker"),
        row_heading=_("Avslutsorsak"),
        columns=gender_headings(),
        lines=lines,
    )


# --- Försörjning and sysselsättning before → after ------------------------------


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


# --- Surveys and assessments ------------------------------------------------------


def _answers(
    *,
    association: Association,
    intervention: Intervention | None,
    kind: str,
    date_filter: Q,
) -> list[tuple[int, int, str, Any, int, int, int]]:
    """(instrument, participant, kön, date, response, question, value) of the förbund's
    or the insats's participants for instruments of one kind."""
    queryset = ResponseAnswer.objects.filter(
        date_filter, association=association, response__instrument__kind=kind
    )
    if intervention is not None:
        queryset = queryset.filter(response__participant__intervention=intervention)
    return list(
        queryset.values_list(
            "response__instrument_id",
            "response__participant_id",
            "response__participant__gender",
            "response__date",
            "response_id",
            "question_id",
            "value",
        )
    )


def _question_labels(instrument: Instrument) -> list[tuple[int, str]]:
    return [(question.pk, str(question)) for question in instrument.questions.all()]


def survey_tables(
    *, association: Association, year: int, intervention: Intervention | None, min_cell: int
) -> list[ReportTable]:
    """Agree shares per question of each survey: of the participants who answered in
    the year (their latest answer of the year counts), the share who answered at or
    above the instrument's "agree" value, by kön."""
    first, last = year_bounds(year)
    with scope(association=association):
        answers = _answers(
            association=association,
            intervention=intervention,
            kind=Instrument.Kind.SURVEY,
            date_filter=Q(response__date__gte=first, response__date__lte=last),
        )
        instruments = {
            instrument.pk: instrument
            for instrument in Instrument.objects.filter(
                association=association, pk__in={row[0] for row in answers}
            ).prefetch_related("questions")
        }
        # The latest answer of the year per (instrument, participant, question).
        latest: dict[tuple[int, int, int], tuple[Any, int, str, int]] = {}
        for instrument_id, participant_id, gender, date, response_id, question_id, value in answers:
            key = (instrument_id, participant_id, question_id)
            if key not in latest or (date, response_id) > latest[key][:2]:
                latest[key] = (date, response_id, gender, value)
        tables = []
        for instrument in sorted(instruments.values(), key=lambda each: each.name):
            if instrument.agree_from is None:
                continue
            questions = _question_labels(instrument)
            cells: dict[Hashable, int] = {}
            for question_id, _label in questions:
                for measure in ("agree", "disagree", "answered"):
                    for column in COLUMNS:
                        cells[(measure, question_id, column)] = 0
            for (instrument_id, _participant, question_id), (
                _d,
                _r,
                gender,
                value,
            ) in latest.items():
                if instrument_id != instrument.pk or ("answered", question_id, gender) not in cells:
                    continue
                measure = "agree" if value >= instrument.agree_from else "disagree"
                for column in (gender, TOTAL):
                    cells[(measure, question_id, column)] += 1
                    cells[("answered", question_id, column)] += 1
            groups: list[list[Hashable]] = []
            for question_id, _label in questions:
                for measure in ("agree", "disagree", "answered"):
                    groups.append([(measure, question_id, column) for column in COLUMNS])
                for column in COLUMNS:
                    groups.append(
                        [(m, question_id, column) for m in ("agree", "disagree", "answered")]
                    )
            shown = suppress(cells, groups, min_cell)
            lines = []
            for question_id, label in questions:
                answered = [Cell(shown[("answered", question_id, column)]) for column in COLUMNS]
                agree = [Cell(shown[("agree", question_id, column)]) for column in COLUMNS]
                shares = [
                    Cell(
                        share(
                            shown[("agree", question_id, c)],
                            shown[("answered", question_id, c)],
                            min_cell,
                        ),
                        "share",
                    )
                    for c in COLUMNS
                ]
                lines.append(Line(label, [*shares, *agree, *answered]))
            tables.append(
                ReportTable(
                    key=f"survey_{instrument.pk}",
                    title=instrument.name,
                    row_heading=_("Fråga"),
                    columns=[*gender_headings(), *gender_headings(), *gender_headings()],
                    lines=lines,
                    note=_(
                        "Andel som instämmer: svar %(agree)s eller högre. Varje deltagares "
                        "senaste svar under året räknas."
                    )
                    % {"agree": instrument.agree_from},
                    column_groups=[
                        (_("Andel som instämmer"), len(COLUMNS)),
                        (_("Antal som instämmer"), len(COLUMNS)),
                        (_("Antal som svarat"), len(COLUMNS)),
                    ],
                )
            )
    return tables


def _mean(values: Sequence[float]) -> float | None:
    if not values:
        return None
    return float(
        (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )


def assessment_tables(
    *, association: Association, year: int, intervention: Intervention | None, min_cell: int
) -> list[ReportTable]:
    """Progress per question of each assessment: for the participants whose latest
    assessment is from the year and who have at least two, the first score against the
    latest — mean change and the share who improved, by kön."""
    first_day, last_day = year_bounds(year)
    with scope(association=association):
        answers = _answers(
            association=association,
            intervention=intervention,
            kind=Instrument.Kind.ASSESSMENT,
            date_filter=Q(response__date__lte=last_day),
        )
        instruments = {
            instrument.pk: instrument
            for instrument in Instrument.objects.filter(
                association=association, pk__in={row[0] for row in answers}
            ).prefetch_related("questions")
        }
        series: dict[tuple[int, int, int], list[tuple[Any, int, int]]] = defaultdict(list)
        genders: dict[int, str] = {}
        for instrument_id, participant_id, gender, date, response_id, question_id, value in answers:
            series[(instrument_id, participant_id, question_id)].append((date, response_id, value))
            genders[participant_id] = gender
        tables = []
        for instrument in sorted(instruments.values(), key=lambda each: each.name):
            questions = _question_labels(instrument)
            cells: dict[Hashable, int] = {}
            changes: dict[tuple[int, str], list[int]] = defaultdict(list)
            firsts: dict[tuple[int, str], list[int]] = defaultdict(list)
            latests: dict[tuple[int, str], list[int]] = defaultdict(list)
            for question_id, _label in questions:
                for measure in ("improved", "not_improved", "assessed"):
                    for column in COLUMNS:
                        cells[(measure, question_id, column)] = 0
            for (instrument_id, participant_id, question_id), points in series.items():
                if instrument_id != instrument.pk or ("assessed", question_id, TOTAL) not in cells:
                    continue
                points.sort()
                if len(points) < 2 or points[-1][0] < first_day:
                    continue
                start_value, end_value = points[0][2], points[-1][2]
                measure = "improved" if end_value > start_value else "not_improved"
                for column in (genders[participant_id], TOTAL):
                    cells[(measure, question_id, column)] += 1
                    cells[("assessed", question_id, column)] += 1
                    changes[(question_id, column)].append(end_value - start_value)
                    firsts[(question_id, column)].append(start_value)
                    latests[(question_id, column)].append(end_value)
            groups: list[list[Hashable]] = []
            for question_id, _label in questions:
                for measure in ("improved", "not_improved", "assessed"):
                    groups.append([(measure, question_id, column) for column in COLUMNS])
                for column in COLUMNS:
                    groups.append(
                        [(m, question_id, column) for m in ("improved", "not_improved", "assessed")]
                    )
            shown = suppress(cells, groups, min_cell)
            lines = []
            for question_id, label in questions:
                assessed = {column: shown[("assessed", question_id, column)] for column in COLUMNS}
                mean_change = [
                    Cell(
                        suppress_mean(_mean(changes[(question_id, c)]), assessed[c], min_cell),
                        "change",
                    )
                    for c in COLUMNS
                ]
                improved_share = [
                    Cell(share(shown[("improved", question_id, c)], assessed[c], min_cell), "share")
                    for c in COLUMNS
                ]
                means = [
                    Cell(
                        suppress_mean(
                            _mean(firsts[(question_id, TOTAL)]), assessed[TOTAL], min_cell
                        ),
                        "mean",
                    ),
                    Cell(
                        suppress_mean(
                            _mean(latests[(question_id, TOTAL)]), assessed[TOTAL], min_cell
                        ),
                        "mean",
                    ),
                ]
                lines.append(
                    Line(
                        label,
                        [
                            *means,
                            *mean_change,
                            *improved_share,
                            *(Cell(assessed[c]) for c in COLUMNS),
                        ],
                    )
                )
            scale = (
                _("Skala %(low)s–%(high)s.")
                % {"low": instrument.scale_min, "high": instrument.scale_max}
                if instrument.scale_min is not None
                else ""
            )
            tables.append(
                ReportTable(
                    key=f"assessment_{instrument.pk}",
                    title=instrument.name,
                    row_heading=_("Fråga"),
                    columns=[
                        _("Första"),
                        _("Senaste"),
                        *gender_headings(),
                        *gender_headings(),
                        *gender_headings(),
                    ],
                    lines=lines,
                    note=(
                        _(
                            "Deltagare vars senaste bedömning är från året och som har "
                            "bedömts minst två gånger: första mot senaste värdet."
                        )
                        + (" " + scale if scale else "")
                    ),
                    column_groups=[
                        (_("Medelvärde, totalt"), 2),
                        (_("Förändring i medelvärde"), len(COLUMNS)),
                        (_("Andel som förbättrats"), len(COLUMNS)),
                        (_("Antal bedömda"), len(COLUMNS)),
                    ],
                )
            )
    return tables


# --- The whole page ---------------------------------------------------------------


@dataclass
class ReportPage:
    association: Association
    year: int
    intervention: Intervention | None
    min_cell: int
    report: SuppressedReport
    counts: ReportTable
    outcomes: ReportTable
    employment: Transition
    support: Transition
    surveys: list[ReportTable]
    assessments: list[ReportTable]

    @property
    def tables(self) -> list[ReportTable]:
        return [
            self.counts,
            self.outcomes,
            self.support.before_after,
            self.support.flow,
            self.employment.before_after,
            self.employment.flow,
            *self.surveys,
            *self.assessments,
        ]

    @property
    def suppressed(self) -> bool:
        return any(table.has_hidden for table in self.tables)


def report_page(
    *,
    association: Association,
    year: int,
    intervention: Intervention | None,
    min_cell: int,
) -> ReportPage:
    report = suppress_report(
        year_counts(association=association, year=year, intervention=intervention), min_cell
    )
    rows = exit_rows(association=association, year=year, intervention=intervention)
    return ReportPage(
        association=association,
        year=year,
        intervention=intervention,
        min_cell=min_cell,
        report=report,
        counts=counts_table(report),
        outcomes=outcomes_table(report),
        employment=employment_transition(rows, report, min_cell),
        support=support_transition(rows, min_cell),
        surveys=survey_tables(
            association=association, year=year, intervention=intervention, min_cell=min_cell
        ),
        assessments=assessment_tables(
            association=association, year=year, intervention=intervention, min_cell=min_cell
        ),
    )


def report_years(*, association: Association, intervention: Intervention | None) -> list[int]:
    """The years a report can be asked for: from the first start to this year."""
    import datetime

    from django.db.models import Min

    with scope(association=association):
        earliest = participants_of(association, intervention).aggregate(first=Min("start"))["first"]
    this_year = datetime.date.today().year
    first_year = earliest.year if earliest else this_year
    return list(range(this_year, min(first_year, this_year) - 1, -1))
