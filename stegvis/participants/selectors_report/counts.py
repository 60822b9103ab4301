"""The tables of deltagare by kön (under the year, started, exited, with
stegförflyttning) and of avslutsorsaker, from the suppressed yearly report."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stegvis.participants.report import COLUMNS, COUNT_ROWS, SuppressedReport
from stegvis.participants.selectors_report.cells import Cell, Line, ReportTable, gender_headings
from stegvis.participants.vocabulary import OUTCOMES, Outcome


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
