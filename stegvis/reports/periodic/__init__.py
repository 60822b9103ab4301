"""The delårsrapport and the verksamhetsberättelse (DOMAIN.md §8, issue 7): one document,
built once here and shown as a page, a PDF and an Excel file.

A delårsrapport covers a tertial counted from 1 January, as Swedish delårsrapporter
are: tertial 1 is januari–april, tertial 2 januari–augusti. The verksamhetsberättelse
covers the whole year. Each part comes from its app's own selectors, so the document
never disagrees with the app's pages:

* Deltagare: `goals.metrics.participant_counts` over the period (for helår the same
  counts as the participant report's `year_counts`, anonymous and retained included),
  by kön — deltagare, påbörjade, pågående at the period's end, avslutade, avslutade
  with stegförflyttning — with avslutsorsaker and the deltagare of each insats. All
  cells are suppressed together below the förbund's minimum cell size, with
  complementary suppression (`participants.suppression`), so no hidden count can be
  worked out from the figures shown anywhere in the document.
* Måluppfyllelse: the year's goal map evaluated over the period
  (`goals.selectors.goal_map_page`), status in words.
* Ekonomi: the follow-up of the förbund's `ReportingPeriod` that ends with the period
  (april, augusti, december): budget against actuals per category, the kansli's
  comments and the prognosis for the year (`finance.actuals.followup`).
* Strukturövergripande aktiviteter: `structural.selectors.activities_by_kind`.

A part whose data is missing is left out with a note that says why; a förbund with
no data at all gets a document that says so.
"""

from stegvis.reports.periodic.document import (
    ANNUAL,
    INTERIM,
    TERTIALS,
    PeriodicReport,
    periodic_pdf,
    periodic_report,
    report_period,
    report_years,
)
from stegvis.reports.periodic.participants import (
    COUNT_ROWS,
    EXITED,
    ONGOING,
    PARTICIPANTS,
    STARTED,
    STEP_PROGRESS,
    PeriodCounts,
    count_cells,
    count_groups,
    period_counts,
    suppress_counts,
    suppress_with_totals,
)

__all__ = [
    "ANNUAL",
    "COUNT_ROWS",
    "EXITED",
    "INTERIM",
    "ONGOING",
    "PARTICIPANTS",
    "STARTED",
    "STEP_PROGRESS",
    "TERTIALS",
    "PeriodCounts",
    "PeriodicReport",
    "count_cells",
    "count_groups",
    "period_counts",
    "periodic_pdf",
    "periodic_report",
    "report_period",
    "report_years",
    "suppress_counts",
    "suppress_with_totals",
]
