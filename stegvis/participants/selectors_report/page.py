"""The whole report page: every table of a förbund's (or an insats's) year at one
minimum cell size, and the years a report can be asked for."""

from __future__ import annotations

from dataclasses import dataclass

from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention
from stegvis.participants.report import (
    SuppressedReport,
    participants_of,
    suppress_report,
    year_counts,
)
from stegvis.participants.selectors_report.cells import ReportTable
from stegvis.participants.selectors_report.counts import counts_table, outcomes_table
from stegvis.participants.selectors_report.instruments import assessment_tables, survey_tables
from stegvis.participants.selectors_report.transitions import (
    Transition,
    employment_transition,
    exit_rows,
    support_transition,
)


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
