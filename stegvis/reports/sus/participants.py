"""The participant report as SUS showed it: over the whole förbund or one insats and any
period, deltagare by kön, avslutsorsaker, försörjning and sysselsättning before → after
with the change in number and %, and the flow tables — the participant report's own
tables (`participants.selectors_report`) — and, to compare, the key figures with one row
per insats and one row per year.

Counts over a period are the goal map's (`goals.metrics.participant_counts`: for a
whole year the participant report's definitions, retained and anonymous participants
included), so the same period gives the same figures everywhere. Before → after rests
on the rows of those who exited in the period (retention keeps only counts).

Key figures, per row of the comparison tables:

* I arbete eller studier: sysselsättning arbete, subventionerat arbete or studier;
* Offentlig försörjning: försörjning from sjukpenning, aktivitetsersättning,
  sjukersättning, arbetslöshetsersättning, aktivitetsstöd, ekonomiskt bistånd or
  etableringsersättning (the benefits SCB counts in helårsekvivalenter);

each as a share of those who exited, at start and at exit, with the change in
percentage points. Counts are suppressed below the förbund's minimum cell size; the
insats rows and the förbund's row add up, so they are suppressed together
(complementary), and a share is shown only when its counts are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields

from django.db.models import Min, Q
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.goals.metrics import ParticipantCounts, participant_counts
from stegvis.goals.periods import Period
from stegvis.interventions.models import Intervention, Kind
from stegvis.participants.models import Participant
from stegvis.participants.report import SuppressedReport, YearCounts, suppress_report
from stegvis.participants.selectors_report import (
    ExitRow,
    Line,
    ReportTable,
    Transition,
    counts_table,
    employment_transition,
    gender_headings,
    outcomes_table,
    support_transition,
)
from stegvis.participants.suppression import share, suppress
from stegvis.participants.vocabulary import Employment, Support
from stegvis.reports.sus import charts
from stegvis.reports.sus.common import ChartTable, Figure, SusTable, compared_periods

WORK_OR_STUDIES = frozenset(
    {Employment.WORK.value, Employment.SUBSIDISED_WORK.value, Employment.STUDIES.value}
)
PUBLIC_SUPPORT = frozenset(
    {
        Support.SICKNESS_BENEFIT.value,
        Support.ACTIVITY_COMPENSATION.value,
        Support.SICKNESS_COMPENSATION.value,
        Support.UNEMPLOYMENT_BENEFIT.value,
        Support.ACTIVITY_GRANT.value,
        Support.SOCIAL_ASSISTANCE.value,
        Support.ESTABLISHMENT_ALLOWANCE.value,
    }
)


# ---------------------------------------------------------------------------
# Counts and rows of a period


def period_year_counts(counts: ParticipantCounts, intervention_id: int | None) -> YearCounts:
    """The period's counts as the participant report holds a year's: by kön, for the
    förbund (None) or one insats."""
    raw = YearCounts()
    for (iid, gender), number in counts.enrolled.items():
        if intervention_id is None or iid == intervention_id:
            raw.counts["participants"][gender] += number
    for (iid, gender), number in counts.started.items():
        if intervention_id is None or iid == intervention_id:
            raw.counts["started"][gender] += number
    for (iid, gender, outcome, _handed), number in counts.exited.items():
        if intervention_id is None or iid == intervention_id:
            raw.add_exit(gender, outcome, number)
    return raw


def exit_rows_by_intervention(
    *, association: Association, period: Period
) -> dict[int, list[ExitRow]]:
    """Those who exited in the period, per insats, with försörjning and sysselsättning
    at start and at exit (one query)."""
    result: dict[int, list[ExitRow]] = defaultdict(list)
    with scope(association=association):
        values = Participant.objects.filter(
            association=association, exit__gte=period.start, exit__lte=period.end
        ).values_list(
            "intervention_id",
            "gender",
            "support_at_start",
            "support_at_exit",
            "employment_at_start",
            "employment_at_exit",
        )
        for iid, gender, start, end, employment_start, employment_end in values:
            result[iid].append(
                ExitRow(
                    gender, list(start or []), list(end or []), employment_start, employment_end
                )
            )
    return result


def rows_of(rows: dict[int, list[ExitRow]], intervention_id: int | None) -> list[ExitRow]:
    if intervention_id is not None:
        return list(rows.get(intervention_id, []))
    return [row for each in rows.values() for row in each]


# ---------------------------------------------------------------------------
# Key figures


@dataclass(frozen=True)
class KeyFigures:
    """Raw counts behind one row of the comparison tables."""

    participants: int
    started: int
    exited: int
    step_progress: int
    described: int  # exited with a row: the base of before → after
    work_start: int
    work_exit: int
    public_start: int
    public_exit: int

    @property
    def empty(self) -> bool:
        return not (self.participants or self.exited or self.described)


KEY_FIELDS = [f.name for f in fields(KeyFigures)]


def key_figures(raw: YearCounts, rows: Sequence[ExitRow]) -> KeyFigures:
    counts = raw.counts
    return KeyFigures(
        participants=sum(counts["participants"].values()),
        started=sum(counts["started"].values()),
        exited=sum(counts["exited"].values()),
        step_progress=sum(counts["step_progress"].values()),
        described=len(rows),
        work_start=sum(1 for row in rows if row.employment_at_start in WORK_OR_STUDIES),
        work_exit=sum(1 for row in rows if row.employment_at_exit in WORK_OR_STUDIES),
        public_start=sum(1 for row in rows if PUBLIC_SUPPORT & set(row.support_at_start)),
        public_exit=sum(1 for row in rows if PUBLIC_SUPPORT & set(row.support_at_exit)),
    )


def _points(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    return round(after - before, 4)


def key_headings() -> tuple[list[str], list[tuple[str, int]]]:
    columns = [
        _("Deltagare"),
        _("Påbörjade"),
        _("Avslutade"),
        _("Andel stegförflyttning"),
        _("Vid start"),
        _("Vid avslut"),
        _("Förändring"),
        _("Vid start"),
        _("Vid avslut"),
        _("Förändring"),
    ]
    groups = [
        (_("Antal"), 3),
        (_("Av avslutade"), 1),
        (_("I arbete eller studier"), 3),
        (_("Offentlig försörjning"), 3),
    ]
    return columns, groups


def key_table(
    *,
    key: str,
    title: str,
    row_heading: str,
    rows: Sequence[tuple[str, KeyFigures]],
    min_cell: int,
    adds_up: bool,
    note: str,
    highlight: str = "",
) -> SusTable:
    """The key figures, a row each. With `adds_up` the last row is the total of the
    others (the förbund and its insatser), and each column is suppressed as a group."""
    cells = {
        (index, name): getattr(figures, name)
        for index, (_label, figures) in enumerate(rows)
        for name in KEY_FIELDS
    }
    groups = (
        [[(index, name) for index in range(len(rows))] for name in KEY_FIELDS] if adds_up else []
    )
    shown = suppress(cells, groups, min_cell)
    lines = []
    for index, (label, _figures) in enumerate(rows):

        def get(name: str, index: int = index) -> int | None:
            return shown[(index, name)]

        step = share(get("step_progress"), get("exited"), min_cell)
        work = (
            share(get("work_start"), get("described"), min_cell),
            share(get("work_exit"), get("described"), min_cell),
        )
        public = (
            share(get("public_start"), get("described"), min_cell),
            share(get("public_exit"), get("described"), min_cell),
        )
        lines.append(
            Line(
                label,
                [
                    Figure(get("participants")),
                    Figure(get("started")),
                    Figure(get("exited")),
                    Figure(step, "share"),
                    Figure(work[0], "share"),
                    Figure(work[1], "share"),
                    Figure(_points(*work), "points"),
                    Figure(public[0], "share"),
                    Figure(public[1], "share"),
                    Figure(_points(*public), "points"),
                ],
                total=adds_up and index == len(rows) - 1,
            )
        )
    columns, column_groups = key_headings()
    return SusTable(
        key=key,
        title=title,
        row_heading=row_heading,
        columns=columns,
        lines=lines,
        note=note,
        column_groups=column_groups,
        highlight=highlight,
    )


def key_note() -> str:
    return _(
        "Andelar av dem som avslutades under perioden. I arbete eller studier: "
        "sysselsättning arbete, subventionerat arbete eller studier. Offentlig "
        "försörjning: sjukpenning, aktivitets- eller sjukersättning, "
        "arbetslöshetsersättning, aktivitetsstöd, ekonomiskt bistånd eller "
        "etableringsersättning. Förändring i procentenheter (p.e.)."
    )


# ---------------------------------------------------------------------------
# The report


@dataclass
class ParticipantsReport:
    association: Association
    period: Period
    intervention: Intervention | None
    min_cell: int
    report: SuppressedReport
    counts: ReportTable
    outcomes: ReportTable
    support: Transition
    employment: Transition
    by_intervention: SusTable
    by_year: SusTable
    years: list[Period]
    empty: bool
    figures: KeyFigures

    @property
    def scope_label(self) -> str:
        return self.intervention.name if self.intervention else _("Hela förbundet")

    @property
    def tables(self) -> list[ReportTable]:
        return [
            self.counts,
            self.outcomes,
            self.support.before_after,
            self.support.flow,
            self.employment.before_after,
            self.employment.flow,
            self.by_intervention,
            self.by_year,
        ]

    @property
    def suppressed(self) -> bool:
        return any(table.has_hidden for table in self.tables)


def _period_wording(report: ParticipantsReport) -> None:
    """The participant report speaks of a year; over another period, of the period."""
    period = report.period
    if period.is_full_year:
        return
    report.counts.lines[0].label = _("Deltagare under perioden")
    report.counts.note = _(
        "Deltagare under perioden: inskrivna någon gång under perioden. Anonyma deltagare "
        "räknas per helår och ingår bara i helårets siffror. Stegförflyttning: avslut till "
        "arbete, studier, arbetssökande eller annan rehabilitering."
    )
    for transition in (report.support, report.employment):
        transition.before_after.note = _(
            "De som avslutades under perioden. Förändring: antal vid avslut − antal vid "
            "start, och i procent av antalet vid start."
        )


def report_interventions(association: Association) -> list[Intervention]:
    """The insatser a participant report can be asked for: the individual ones and any
    other that has participants."""
    return list(
        Intervention.objects.filter(
            Q(kind=Kind.INDIVIDUAL) | Q(participants__isnull=False), association=association
        )
        .distinct()
        .order_by("name")
    )


def participants_report(
    *,
    association: Association,
    period: Period,
    intervention: Intervention | None,
    min_cell: int,
    earlier_years: int = 4,
) -> ParticipantsReport:
    """Every table of the report for the förbund (or one insats) and period, suppressed
    at `min_cell`, with the same period of up to `earlier_years` earlier years."""
    with scope(association=association):
        counts = participant_counts(association=association, period=period)
        rows = exit_rows_by_intervention(association=association, period=period)
        names = dict(Intervention.objects.filter(association=association).values_list("pk", "name"))
    scope_id = intervention.pk if intervention else None
    raw = period_year_counts(counts, scope_id)
    report = suppress_report(raw, min_cell)
    scope_rows = rows_of(rows, scope_id)
    figures = key_figures(raw, scope_rows)

    # One row per insats with anything in the period, then the förbund (their total).
    by_insats: list[tuple[str, KeyFigures]] = []
    for iid in sorted(names, key=lambda pk: names[pk].casefold()):
        each = key_figures(period_year_counts(counts, iid), rows_of(rows, iid))
        if not each.empty:
            by_insats.append((names[iid], each))
    whole = key_figures(period_year_counts(counts, None), rows_of(rows, None))
    by_insats.append((_("Hela förbundet"), whole))
    by_intervention = key_table(
        key="by_intervention",
        title=_("Insatserna jämförda: %(period)s") % {"period": period.label},
        row_heading=_("Insats"),
        rows=by_insats,
        min_cell=min_cell,
        adds_up=True,
        note=key_note(),
        highlight=intervention.name if intervention else "",
    )

    years = compared_periods(
        period, _earlier_years(counts_first_year(association), period, earlier_years)
    )
    by_year_rows: list[tuple[str, KeyFigures]] = []
    for each_period in years:
        if each_period == period:
            by_year_rows.append((each_period.label, figures))
            continue
        with scope(association=association):
            each_counts = participant_counts(association=association, period=each_period)
            each_rows = exit_rows_by_intervention(association=association, period=each_period)
        by_year_rows.append(
            (
                each_period.label,
                key_figures(
                    period_year_counts(each_counts, scope_id), rows_of(each_rows, scope_id)
                ),
            )
        )
    scope_name = intervention.name if intervention else _("hela förbundet")
    by_year = key_table(
        key="by_year",
        title=_("Samma period tidigare år: %(scope)s") % {"scope": scope_name},
        row_heading=_("Period"),
        rows=by_year_rows,
        min_cell=min_cell,
        adds_up=False,
        note=key_note(),
        highlight=period.label,
    )
    result = ParticipantsReport(
        association=association,
        period=period,
        intervention=intervention,
        min_cell=min_cell,
        report=report,
        counts=counts_table(report),
        outcomes=outcomes_table(report),
        support=support_transition(scope_rows, min_cell),
        employment=employment_transition(scope_rows, report, min_cell),
        by_intervention=by_intervention,
        by_year=by_year,
        years=years,
        empty=figures.empty,
        figures=figures,
    )
    _period_wording(result)
    return result


def counts_first_year(association: Association) -> int | None:
    with scope(association=association):
        first = Participant.objects.filter(association=association).aggregate(first=Min("start"))
    return first["first"].year if first["first"] else None


def _earlier_years(first_year: int | None, period: Period, wanted: int) -> int:
    """How many earlier years to compare: those since the first participant started."""
    if first_year is None:
        return 0
    return max(0, min(wanted, period.start.year - first_year))


# ---------------------------------------------------------------------------
# Charts


def report_charts(report: ParticipantsReport) -> list[ChartTable]:
    """Each chart with the table its numbers come from, in the report's order."""
    genders = gender_headings()
    result = [
        ChartTable(
            "counts",
            charts.table_chart(
                report.counts,
                title=report.counts.title,
                columns=range(len(genders)),
                lines=report.counts.lines[:4],
            ),
            report.counts,
            _("Deltagare, påbörjade, avslutade och avslutade med stegförflyttning, per kön."),
            title=_("Deltagare efter kön"),
        ),
        ChartTable(
            "outcomes",
            charts.table_chart(
                report.outcomes,
                title=report.outcomes.title,
                columns=range(len(genders)),
                horizontal=True,
            ),
            report.outcomes,
            _("Avslutade under perioden efter avslutsorsak och kön."),
            title=_("Avslutsorsaker"),
        ),
    ]
    total = len(genders) - 1  # the Totalt column of each side
    for key, transition, caption, title in (
        (
            "support",
            report.support,
            _("Antal avslutade med varje försörjning vid start och vid avslut."),
            _("Försörjning före och efter"),
        ),
        (
            "employment",
            report.employment,
            _("Antal avslutade med varje sysselsättning vid start och vid avslut."),
            _("Sysselsättning före och efter"),
        ),
    ):
        table = transition.before_after
        result.append(
            ChartTable(
                key,
                charts.table_chart(
                    table,
                    title=table.title,
                    columns=[total, 2 * len(genders) - 1],
                    names=[_("Vid start"), _("Vid avslut")],
                    horizontal=True,
                ),
                table,
                caption,
                extra=[transition.flow],
                title=title,
            )
        )
    result.append(
        ChartTable(
            "by_intervention",
            charts.table_chart(
                report.by_intervention,
                title=_("I arbete eller studier vid start och vid avslut"),
                columns=[4, 5],
                lines=report.by_intervention.lines,
                names=[_("Vid start"), _("Vid avslut")],
                percent=True,
                horizontal=True,
            ),
            report.by_intervention,
            _("Andel av de avslutade i arbete eller studier, per insats och för hela förbundet."),
            title=_("Insatserna jämförda"),
        )
    )
    result.append(
        ChartTable(
            "by_year",
            charts.table_chart(
                report.by_year,
                title=_("Nyckeltal per år"),
                columns=[3, 5, 8],
                names=[
                    _("Stegförflyttning"),
                    _("I arbete eller studier vid avslut"),
                    _("Offentlig försörjning vid avslut"),
                ],
                percent=True,
            ),
            report.by_year,
            _("Andel stegförflyttning och läget vid avslut, samma period varje år."),
            title=_("Samma period tidigare år"),
        )
    )
    return result
