"""The report pages' tables (DOMAIN.md §4 and §8, as SUS showed them): deltagare by kön
with avslutsorsaker and stegförflyttning, försörjning and sysselsättning before → after
with flow tables, survey agree shares and assessment progress — each suppressed with
the rules of `participants.suppression` when figures leave the insats.

Every table is a `ReportTable` of `Cell`s: the value (None when not shown) and its
text in Swedish format, so one template and one exporter show them all.

The modules of this package divide the work: `cells` (cells, lines, tables and their
Swedish formatting), `counts` (deltagare by kön and avslutsorsaker), `transitions`
(försörjning and sysselsättning before → after, with flow tables), `instruments`
(surveys and assessments) and `page` (the whole page and its years).
"""

from stegvis.participants.selectors_report.cells import (
    MINUS,
    NBSP,
    Cell,
    Line,
    ReportTable,
    format_count,
    format_decimal,
    format_share,
    gender_headings,
)
from stegvis.participants.selectors_report.counts import (
    count_labels,
    counts_table,
    outcomes_table,
)
from stegvis.participants.selectors_report.instruments import assessment_tables, survey_tables
from stegvis.participants.selectors_report.page import ReportPage, report_page, report_years
from stegvis.participants.selectors_report.transitions import (
    MISSING,
    ExitRow,
    Transition,
    employment_transition,
    exit_rows,
    support_transition,
)

__all__ = [
    "MINUS",
    "MISSING",
    "NBSP",
    "Cell",
    "ExitRow",
    "Line",
    "ReportPage",
    "ReportTable",
    "Transition",
    "assessment_tables",
    "count_labels",
    "counts_table",
    "employment_transition",
    "exit_rows",
    "format_count",
    "format_decimal",
    "format_share",
    "gender_headings",
    "outcomes_table",
    "report_page",
    "report_years",
    "support_transition",
    "survey_tables",
]
