"""Deltagare in the delårsrapport and the verksamhetsberättelse: the period's counts
by kön (deltagare, påbörjade, pågående at the period's end, avslutade, avslutade with
stegförflyttning), avslutsorsaker and the deltagare of each insats, all suppressed
together below the förbund's minimum cell size, with complementary suppression."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.goals import metrics
from stegvis.goals.periods import Period
from stegvis.interventions.models import Intervention
from stegvis.participants.models import AnonymousCount
from stegvis.participants.report import COLUMNS, TOTAL
from stegvis.participants.selectors_report import Cell, Line, ReportTable, gender_headings
from stegvis.participants.suppression import lone_hidden_groups, share, suppress
from stegvis.participants.vocabulary import (
    GENDERS,
    OUTCOMES,
    STEP_PROGRESS_OUTCOMES,
    Outcome,
    is_step_progress,
)
from stegvis.reports.periodic.charts import gender_chart

PARTICIPANTS = "participants"
STARTED = "started"
ONGOING = "ongoing"
EXITED = "exited"
STEP_PROGRESS = "step_progress"
COUNT_ROWS = [PARTICIPANTS, STARTED, ONGOING, EXITED, STEP_PROGRESS]

CellKey = tuple[Any, ...]


@dataclass
class PeriodCounts:
    """The period's raw counts by kön (no totals), before suppression."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {row: dict.fromkeys(GENDERS, 0) for row in COUNT_ROWS}
    )
    outcomes: dict[str, dict[str, int]] = field(
        default_factory=lambda: {code: dict.fromkeys(GENDERS, 0) for code in OUTCOMES}
    )
    # Anonymous participants (helår only): among the deltagare, never shown on their own.
    anonymous: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GENDERS, 0))
    # Deltagare per insats (id) and kön.
    by_intervention: dict[int, dict[str, int]] = field(default_factory=dict)

    def total(self, row: str) -> int:
        return sum(self.counts[row].values())

    @property
    def empty(self) -> bool:
        return self.total(PARTICIPANTS) == 0 and self.total(EXITED) == 0


def period_counts(*, association: Association, period: Period) -> PeriodCounts:
    """The counts behind the document's participant tables, from the goal map's
    `participant_counts` (so an indicator and the report agree). Pågående = enrolled
    at the period's end: deltagare − avslutade − anonymous (whose exit is not known)."""
    raw = metrics.participant_counts(association=association, period=period)
    result = PeriodCounts()
    for (intervention_id, gender), number in raw.enrolled.items():
        result.counts[PARTICIPANTS][gender] += number
        row = result.by_intervention.setdefault(intervention_id, dict.fromkeys(GENDERS, 0))
        row[gender] += number
    for (_intervention_id, gender), number in raw.started.items():
        result.counts[STARTED][gender] += number
    for (_intervention_id, gender, outcome, _handed), number in raw.exited.items():
        result.counts[EXITED][gender] += number
        if outcome in result.outcomes:
            result.outcomes[outcome][gender] += number
        if is_step_progress(outcome):
            result.counts[STEP_PROGRESS][gender] += number
    if period.is_full_year:
        with scope(association=association):
            for gender, number in AnonymousCount.objects.filter(
                association=association, year=period.year
            ).values_list("gender", "count"):
                result.anonymous[gender] += number
    for gender in GENDERS:
        result.counts[ONGOING][gender] = (
            result.counts[PARTICIPANTS][gender]
            - result.counts[EXITED][gender]
            - result.anonymous[gender]
        )
    result.by_intervention = {
        key: row for key, row in result.by_intervention.items() if any(row.values())
    }
    return result


def count_cells(raw: PeriodCounts) -> dict[CellKey, int]:
    cells: dict[CellKey, int] = {}
    for row in COUNT_ROWS:
        for gender in GENDERS:
            cells[("counts", row, gender)] = raw.counts[row][gender]
        cells[("counts", row, TOTAL)] = raw.total(row)
    for code in OUTCOMES:
        for gender in GENDERS:
            cells[("outcome", code, gender)] = raw.outcomes[code][gender]
        cells[("outcome", code, TOTAL)] = sum(raw.outcomes[code].values())
    for gender in GENDERS:
        cells[("anonymous", gender)] = raw.anonymous[gender]
    cells[("anonymous", TOTAL)] = sum(raw.anonymous.values())
    for intervention_id, by_gender in raw.by_intervention.items():
        for gender in GENDERS:
            cells[("insats", intervention_id, gender)] = by_gender[gender]
        cells[("insats", intervention_id, TOTAL)] = sum(by_gender.values())
    return cells


def count_groups(raw: PeriodCounts) -> list[list[CellKey]]:
    """Every set of cells that adds up anywhere in the document: each row's kön cells
    and total; avslutsorsaker per column with the avslutade; the stegförflyttning
    outcomes with their row; deltagare = pågående + avslutade + anonymous; each insats
    row, and each column of insatser with the förbund's deltagare."""
    rows: list[tuple[str, Any]] = [("counts", row) for row in COUNT_ROWS]
    rows += [("outcome", code) for code in OUTCOMES]
    rows += [("insats", intervention_id) for intervention_id in raw.by_intervention]
    groups: list[list[CellKey]] = [[(*row, column) for column in COLUMNS] for row in rows]
    groups.append([("anonymous", column) for column in COLUMNS])
    for column in COLUMNS:
        groups.append(
            [*(("outcome", code, column) for code in OUTCOMES), ("counts", EXITED, column)]
        )
        groups.append(
            [
                *(("outcome", code, column) for code in OUTCOMES if code in STEP_PROGRESS_OUTCOMES),
                ("counts", STEP_PROGRESS, column),
            ]
        )
        groups.append(
            [
                ("counts", ONGOING, column),
                ("counts", EXITED, column),
                ("anonymous", column),
                ("counts", PARTICIPANTS, column),
            ]
        )
        groups.append(
            [
                *(("insats", intervention_id, column) for intervention_id in raw.by_intervention),
                ("counts", PARTICIPANTS, column),
            ]
        )
    return groups


# The förbund's totals: the goal map (printed in the same document) and Uppföljning
# Finsam show them whenever they are not small, so they are never hidden only to
# protect another cell; the kön cells are hidden instead.
PUBLISHED_TOTALS = [("counts", row, TOTAL) for row in (PARTICIPANTS, STARTED, EXITED)]


def suppress_counts(raw: PeriodCounts, min_cell: int) -> dict[CellKey, int | None]:
    """Every participant cell of the document as it may be shown (None: not shown)."""
    return suppress_with_totals(raw, min_cell)[0]


def suppress_with_totals(
    raw: PeriodCounts, min_cell: int
) -> tuple[dict[CellKey, int | None], set[CellKey]]:
    """The cells as they may be shown, and the cells kept from complementary
    suppression: the published totals, and cells that could be worked out anyway.

    With the totals kept, a group can be left with one hidden cell that nothing else
    can cover (say avslutade: kvinna hidden, man 0, totalt 7): that cell can be worked
    out, so it is shown too and the suppression is run again, until every group that
    holds a hidden cell holds at least two, or only small cells that the kept cells
    give away themselves."""
    cells = count_cells(raw)
    groups = count_groups(raw)
    keep = set(PUBLISHED_TOTALS)
    while True:
        shown = suppress(cells, groups, min_cell, keep=keep)
        exposed = {
            key
            for group in lone_hidden_groups(shown, groups)
            for key in group
            if shown[key] is None and cells[key] >= min_cell and key not in keep
        }
        if not exposed:
            return shown, keep
        keep |= exposed


@dataclass
class ParticipantPart:
    raw: PeriodCounts
    shown: dict[CellKey, int | None]
    step_share: dict[str, float | None]
    counts: ReportTable
    outcomes: ReportTable
    interventions: ReportTable
    counts_chart: str = ""
    outcomes_chart: str = ""

    def value(self, row: str, column: str = TOTAL) -> int | None:
        return self.shown[("counts", row, column)]

    @property
    def tables(self) -> list[ReportTable]:
        return [self.counts, self.outcomes, self.interventions]

    @property
    def suppressed(self) -> bool:
        return any(table.has_hidden for table in self.tables)


def count_labels(full_year: bool) -> dict[str, str]:
    if full_year:
        return {
            PARTICIPANTS: _("Deltagare under året"),
            STARTED: _("Påbörjade under året"),
            ONGOING: _("Pågående vid årets slut"),
            EXITED: _("Avslutade under året"),
            STEP_PROGRESS: _("Avslutade med stegförflyttning"),
        }
    return {
        PARTICIPANTS: _("Deltagare under perioden"),
        STARTED: _("Påbörjade under perioden"),
        ONGOING: _("Pågående vid periodens slut"),
        EXITED: _("Avslutade under perioden"),
        STEP_PROGRESS: _("Avslutade med stegförflyttning"),
    }


def chart_labels() -> dict[str, str]:
    """Short names of the count rows, under the bars."""
    return {
        PARTICIPANTS: _("Deltagare"),
        STARTED: _("Påbörjade"),
        ONGOING: _("Pågående"),
        EXITED: _("Avslutade"),
        STEP_PROGRESS: _("Stegförflyttning"),
    }


def participant_part(
    *, association: Association, period: Period, min_cell: int, charts: bool
) -> ParticipantPart | None:
    raw = period_counts(association=association, period=period)
    if raw.empty:
        return None
    shown = suppress_counts(raw, min_cell)
    step_share = {
        column: share(
            shown[("counts", STEP_PROGRESS, column)], shown[("counts", EXITED, column)], min_cell
        )
        for column in COLUMNS
    }
    labels = count_labels(period.is_full_year)
    headings = gender_headings()
    counts = ReportTable(
        key="counts",
        title=_("Deltagare efter kön"),
        row_heading=_("Antal"),
        columns=headings,
        lines=[
            Line(labels[row], [Cell(shown[("counts", row, column)]) for column in COLUMNS])
            for row in COUNT_ROWS
        ]
        + [
            Line(
                _("Andel stegförflyttning av avslutade"),
                [Cell(step_share[column], "share") for column in COLUMNS],
            )
        ],
        note=_(
            "Deltagare: inskrivna någon gång under perioden. Pågående: inskrivna vid "
            "periodens slut. Stegförflyttning: avslut till arbete, studier, arbetssökande "
            "eller annan rehabilitering."
        )
        + (
            " " + _("Anonyma deltagare räknas bland deltagarna men inte som pågående.")
            if sum(raw.anonymous.values())
            else ""
        ),
    )
    outcomes = ReportTable(
        key="outcomes",
        title=_("Avslutsorsaker"),
        row_heading=_("Avslutsorsak"),
        columns=headings,
        lines=[
            Line(
                str(Outcome(code).label),
                [Cell(shown[("outcome", code, column)]) for column in COLUMNS],
            )
            for code in OUTCOMES
        ]
        + [
            Line(
                _("Avslutade"),
                [Cell(shown[("counts", EXITED, column)]) for column in COLUMNS],
                True,
            )
        ],
    )
    with scope(association=association):
        names = dict(
            Intervention.objects.filter(
                association=association, pk__in=list(raw.by_intervention)
            ).values_list("pk", "name")
        )
    order = sorted(raw.by_intervention, key=lambda pk: (names.get(pk, ""), pk))
    interventions = ReportTable(
        key="interventions",
        title=_("Deltagare per insats"),
        row_heading=_("Insats"),
        columns=headings,
        lines=[
            Line(
                names.get(pk, str(pk)), [Cell(shown[("insats", pk, column)]) for column in COLUMNS]
            )
            for pk in order
        ]
        + [
            Line(
                _("Samtliga insatser"),
                [Cell(shown[("counts", PARTICIPANTS, column)]) for column in COLUMNS],
                True,
            )
        ],
    )
    part = ParticipantPart(
        raw=raw,
        shown=shown,
        step_share=step_share,
        counts=counts,
        outcomes=outcomes,
        interventions=interventions,
    )
    if charts:
        part.counts_chart = gender_chart(
            "deltagare",
            counts.title,
            [str(label) for label in chart_labels().values()],
            [[shown[("counts", row, gender)] for row in COUNT_ROWS] for gender in GENDERS],
            horizontal=False,
        )
        part.outcomes_chart = gender_chart(
            "avslut",
            outcomes.title,
            [line.label for line in outcomes.lines[:-1]],
            [[shown[("outcome", code, gender)] for code in OUTCOMES] for gender in GENDERS],
            horizontal=True,
        )
    return part
