"""The participant report: a year's figures by kön, suppressed (spec/participant-file.md,
"The report"). The JSON of `stegvis report participants --json` is `participants_report`;
the pages show the same figures (`selectors_report` adds the richer tables).

For year Y:
* participants: enrolled at any time in Y (started on or before 31 December and not
  exited before 1 January), plus the anonymous participants of Y (counted here only),
* started: started in Y; exited: exited in Y; step_progress: exited in Y with
  stegförflyttning (arbete, studier, arbetssökande, annan rehabilitering).

Participants removed by retention count through `RetainedCount`, so a past year's
report is the same after a purge. A handful of aggregate queries, whatever the size
of the förbund.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention
from stegvis.participants.models import AnonymousCount, Participant, Policy, RetainedCount
from stegvis.participants.suppression import share, suppress
from stegvis.participants.vocabulary import GENDERS, OUTCOMES, is_step_progress

REPORT_FORMAT = "stegvis-participants-report/1"
TOTAL = "total"
COLUMNS = [*GENDERS, TOTAL]  # kvinna, man, ej angivet, total
COUNT_ROWS = ["participants", "started", "exited", "step_progress"]

CellKey = tuple[str, str, str]  # ("counts", row, column) or ("outcome", code, column)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def enrolled_in(queryset: QuerySet[Participant], year: int) -> QuerySet[Participant]:
    """Enrolled at any time in the year: started on or before 31 December and not
    exited before 1 January."""
    first, last = year_bounds(year)
    return queryset.filter(Q(exit__isnull=True) | Q(exit__gte=first), start__lte=last)


def exited_in(queryset: QuerySet[Participant], year: int) -> QuerySet[Participant]:
    first, last = year_bounds(year)
    return queryset.filter(exit__gte=first, exit__lte=last)


def participants_of(
    association: Association, intervention: Intervention | None = None
) -> QuerySet[Participant]:
    queryset = Participant.objects.filter(association=association)
    if intervention is not None:
        queryset = queryset.filter(intervention=intervention)
    return queryset


@dataclass
class YearCounts:
    """A year's raw counts by kön (no totals): counts[row][kön], outcomes[code][kön]."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {row: dict.fromkeys(GENDERS, 0) for row in COUNT_ROWS}
    )
    outcomes: dict[str, dict[str, int]] = field(
        default_factory=lambda: {code: dict.fromkeys(GENDERS, 0) for code in OUTCOMES}
    )

    def add_exit(self, gender: str, outcome: str, number: int) -> None:
        self.counts["exited"][gender] += number
        if outcome in self.outcomes:
            self.outcomes[outcome][gender] += number
        if is_step_progress(outcome):
            self.counts["step_progress"][gender] += number


def year_counts(
    *, association: Association, year: int, intervention: Intervention | None = None
) -> YearCounts:
    """The year's counts over the förbund or one insats, before suppression."""
    first, _last = year_bounds(year)
    result = YearCounts()
    with scope(association=association):
        enrolled = enrolled_in(participants_of(association, intervention), year)
        for gender, participants, started in (
            enrolled.values("gender")
            .annotate(n=Count("id"), started=Count("id", filter=Q(start__gte=first)))
            .values_list("gender", "n", "started")
        ):
            result.counts["participants"][gender] += participants
            result.counts["started"][gender] += started
        for gender, outcome, number in (
            exited_in(participants_of(association, intervention), year)
            .values("gender", "outcome")
            .annotate(n=Count("id"))
            .values_list("gender", "outcome", "n")
        ):
            result.add_exit(gender, outcome, number)

        retained = RetainedCount.objects.filter(
            association=association, start_year__lte=year, exit_year__gte=year
        )
        anonymous = AnonymousCount.objects.filter(association=association, year=year)
        if intervention is not None:
            retained = retained.filter(intervention=intervention)
            anonymous = anonymous.filter(intervention=intervention)
        for gender, start_year, exit_year, outcome, number in retained.values_list(
            "gender", "start_year", "exit_year", "outcome", "count"
        ):
            result.counts["participants"][gender] += number
            if start_year == year:
                result.counts["started"][gender] += number
            if exit_year == year:
                result.add_exit(gender, outcome, number)
        for gender, number in (
            anonymous.values("gender").annotate(n=Sum("count")).values_list("gender", "n")
        ):
            result.counts["participants"][gender] += number or 0
    return result


def report_cells(raw: YearCounts) -> dict[CellKey, int]:
    cells: dict[CellKey, int] = {}
    for row in COUNT_ROWS:
        for gender in GENDERS:
            cells[("counts", row, gender)] = raw.counts[row][gender]
        cells[("counts", row, TOTAL)] = sum(raw.counts[row].values())
    for code in OUTCOMES:
        for gender in GENDERS:
            cells[("outcome", code, gender)] = raw.outcomes[code][gender]
        cells[("outcome", code, TOTAL)] = sum(raw.outcomes[code].values())
    return cells


def report_groups() -> list[list[CellKey]]:
    """The groups that add up (the spec): the three kön cells and the total of each
    row; and, for each kön column and the total column, the exit_outcomes cells and
    the exited cell."""
    groups: list[list[CellKey]] = [
        [("counts", row, column) for column in COLUMNS] for row in COUNT_ROWS
    ]
    groups += [[("outcome", code, column) for column in COLUMNS] for code in OUTCOMES]
    groups += [
        [*(("outcome", code, column) for code in OUTCOMES), ("counts", "exited", column)]
        for column in COLUMNS
    ]
    return groups


@dataclass
class SuppressedReport:
    """The report's figures as they may be shown (None: not shown)."""

    min_cell: int
    counts: dict[str, dict[str, int | None]]
    outcomes: dict[str, dict[str, int | None]]
    step_progress_share: dict[str, float | None]
    raw: YearCounts


def suppress_report(raw: YearCounts, min_cell: int) -> SuppressedReport:
    shown = suppress(report_cells(raw), report_groups(), min_cell)
    counts = {
        row: {column: shown[("counts", row, column)] for column in COLUMNS} for row in COUNT_ROWS
    }
    outcomes = {
        code: {column: shown[("outcome", code, column)] for column in COLUMNS} for code in OUTCOMES
    }
    shares = {
        column: share(counts["step_progress"][column], counts["exited"][column], min_cell)
        for column in COLUMNS
    }
    return SuppressedReport(
        min_cell=min_cell,
        counts=counts,
        outcomes=outcomes,
        step_progress_share=shares,
        raw=raw,
    )


def association_min_cell(association: Association) -> int:
    with scope(association=association):
        policy = Policy.objects.filter(association=association).first()
    return policy.min_cell if policy is not None else Policy._meta.get_field("min_cell").default


def participants_report(
    *,
    association: Association,
    year: int,
    intervention: Intervention | None = None,
    min_cell: int | None = None,
) -> dict[str, Any]:
    """The report as the spec's JSON (`stegvis-participants-report/1`), keys in the
    spec's order. `min_cell` None is the förbund's own (Policy.min_cell, default 5);
    1 turns suppression off, for the insats's own staff only."""
    if min_cell is None:
        min_cell = association_min_cell(association)
    report = suppress_report(
        year_counts(association=association, year=year, intervention=intervention), min_cell
    )
    return report_json(report, association=association, year=year, intervention=intervention)


def report_json(
    report: SuppressedReport,
    *,
    association: Association,
    year: int,
    intervention: Intervention | None,
) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "association": association.name,
        "intervention": intervention.name if intervention is not None else None,
        "year": year,
        "min_cell": report.min_cell,
        "counts": {row: dict(report.counts[row]) for row in COUNT_ROWS},
        "exit_outcomes": {code: dict(report.outcomes[code]) for code in OUTCOMES},
        "step_progress_share": dict(report.step_progress_share),
    }


def exited_by_gender(raw: YearCounts) -> dict[str, int]:
    """The exited row with its total, for tables that break the exited down further."""
    row = dict(raw.counts["exited"])
    row[TOTAL] = sum(raw.counts["exited"].values())
    return row


def hidden_exited(report: SuppressedReport) -> set[str]:
    return {column for column, value in report.counts["exited"].items() if value is None}
