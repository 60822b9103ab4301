"""The document: the delårsrapport of a tertial or the verksamhetsberättelse of a year,
its parts, its table of contents, its summary and its PDF."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils import dates, timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.core.exporters import Table
from stegvis.finance import actuals
from stegvis.finance.charts import swedish
from stegvis.goals import selectors as goal_selectors
from stegvis.goals.periods import Period, periods_for, year_period
from stegvis.participants.models import Participant
from stegvis.participants.report import TOTAL, association_min_cell
from stegvis.participants.selectors_report import Cell
from stegvis.reports.pdf import Section
from stegvis.reports.periodic.finance import FinancePart, finance_part
from stegvis.reports.periodic.participants import (
    EXITED,
    PARTICIPANTS,
    STARTED,
    ParticipantPart,
    count_labels,
    participant_part,
)
from stegvis.reports.periodic.parts import GoalPart, StructuralPart, goal_part, structural_part

INTERIM = "interim"
ANNUAL = "annual"
# Tertial → the month it runs to, from 1 January.
TERTIALS = {1: 4, 2: 8}


@dataclass
class PeriodicReport:
    association: Association
    kind: str  # INTERIM or ANNUAL
    year: int
    tertial: int | None
    period: Period
    min_cell: int
    today: datetime.date
    participants: ParticipantPart | None
    participants_note: str
    goals: GoalPart | None
    goals_note: str
    finance: FinancePart | None
    finance_note: str
    structural: StructuralPart | None
    structural_note: str

    @property
    def title(self) -> str:
        return _("Delårsrapport") if self.kind == INTERIM else _("Verksamhetsberättelse")

    @property
    def subtitle(self) -> str:
        if self.kind == ANNUAL:
            return str(self.year)
        return _("Tertial %(tertial)s %(year)s, %(span)s") % {
            "tertial": self.tertial,
            "year": self.year,
            "span": self.span,
        }

    @property
    def span(self) -> str:
        """'1 januari – 30 april 2025'"""
        return _("%(start)s – %(end)s") % {
            "start": f"{self.period.start.day} {dates.MONTHS[self.period.start.month]}",
            "end": f"{self.period.end.day} {dates.MONTHS[self.period.end.month]} {self.year}",
        }

    @property
    def heading(self) -> str:
        """'Delårsrapport tertial 1 2025', 'Verksamhetsberättelse 2025'"""
        if self.kind == ANNUAL:
            return _("Verksamhetsberättelse %(year)s") % {"year": self.year}
        return _("Delårsrapport tertial %(tertial)s %(year)s") % {
            "tertial": self.tertial,
            "year": self.year,
        }

    @property
    def ongoing(self) -> bool:
        """The period has not ended: the figures are preliminary."""
        return not self.period.closed(self.today)

    @property
    def empty(self) -> bool:
        return not (self.participants or self.goals or self.finance or self.structural)

    @property
    def notes(self) -> list[str]:
        return [
            note
            for note in (
                self.participants_note,
                self.goals_note,
                self.finance_note,
                self.structural_note,
            )
            if note
        ]

    @property
    def key_figures(self) -> list[tuple[str, str]]:
        """The summary's figures as the document writes them (Swedish format, "–"
        for a count that is not shown)."""
        from stegvis.core.templatetags.stegvis import percent
        from stegvis.core.templatetags.stegvis import tkr as tkr_text

        rows: list[tuple[str, str]] = []
        if self.participants:
            labels = count_labels(self.period.is_full_year)
            for row in (PARTICIPANTS, STARTED, EXITED):
                rows.append((labels[row], Cell(self.participants.value(row)).text))
            share_text = percent(self.participants.step_share[TOTAL])
            rows.append((_("Andel stegförflyttning av avslutade"), share_text))
        if self.goals:
            rows.append(
                (
                    _("Uppnådda indikatorer"),
                    _("%(achieved)s av %(measured)s mätbara (%(all)s indikatorer)")
                    % {
                        "achieved": self.goals.achieved,
                        "measured": self.goals.measured,
                        "all": self.goals.indicators,
                    },
                )
            )
        if self.finance:
            result = self.finance.followup
            if self.finance.full_year:
                costs_label = _("Kostnader %(year)s") % {"year": self.year}
            else:
                costs_label = _("Kostnader t.o.m. %(period)s") % {"period": result.period.name}
            if self.finance.final:
                result_label = _("Årets resultat")
                equity_label = _("Eget kapital vid årets slut")
            else:
                result_label = _("Årets resultat, prognos")
                equity_label = _("Eget kapital vid årets slut, prognos")
            rows += [
                (
                    costs_label,
                    _("%(amount)s tkr (%(share)s av årets budget)")
                    % {
                        "amount": tkr_text(result.costs.actual),
                        "share": percent(result.costs.used_share),
                    },
                ),
                (
                    result_label,
                    _("%(amount)s tkr (budget %(budget)s tkr)")
                    % {
                        "amount": tkr_text(result.result.prognosis),
                        "budget": tkr_text(result.result.budget),
                    },
                ),
                (
                    equity_label,
                    _("%(amount)s tkr (budget %(budget)s tkr)")
                    % {
                        "amount": tkr_text(result.closing_prognosis),
                        "budget": tkr_text(result.closing_budget),
                    },
                ),
            ]
        if self.structural:
            rows.append(
                (
                    _("Strukturövergripande aktiviteter"),
                    _("%(activities)s aktiviteter, %(participants)s deltagare")
                    % {
                        "activities": swedish(self.structural.activities),
                        "participants": swedish(self.structural.participants),
                    },
                )
            )
        return rows

    @property
    def sections(self) -> list[Section]:
        """The chapters and, where there is something to show, their sub-headings: the
        table of contents of the PDF and the anchors of the page (none when the
        document has nothing to show)."""
        if self.empty:
            return []
        result = [Section("sammanfattning", _("Sammanfattning"))]
        result.append(Section("deltagare", _("Deltagare")))
        if self.participants:
            result += [
                Section("deltagare-kon", self.participants.counts.title, 2),
                Section("avslutsorsaker", self.participants.outcomes.title, 2),
                Section("deltagare-insats", self.participants.interventions.title, 2),
            ]
        result.append(Section("maluppfyllelse", _("Måluppfyllelse")))
        if self.goals:
            result += [
                Section(f"perspektiv-{index}", section.name, 2)
                for index, section in enumerate(self.goals.page.sections, start=1)
            ]
        result.append(Section("ekonomi", _("Ekonomi")))
        if self.finance:
            result.append(Section("budget-utfall", _("Budget mot utfall"), 2))
            if self.finance.comments:
                result.append(Section("kommentarer", _("Kommentarer till utfallet"), 2))
            result.append(Section("eget-kapital", _("Resultat och eget kapital"), 2))
        result.append(Section("struktur", _("Strukturövergripande aktiviteter")))
        return result

    def tables(self) -> list[Table]:
        """The document's tables for Excel, one sheet each, amounts in kronor."""
        from stegvis.reports.periodic.tables import document_tables

        return document_tables(self)


def report_period(*, association: Association, year: int, tertial: int | None) -> Period:
    """Tertial 1: 1 januari – 30 april, tertial 2: 1 januari – 31 augusti, named as the
    förbund names its follow-up period; None: the whole year."""
    if tertial is None:
        return year_period(year)
    month = TERTIALS[tertial]
    for period in periods_for(association=association, year=year):
        if period.end_month == month:
            return period
    return Period(
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, month, calendar.monthrange(year, month)[1]),
        code=f"{year}-t{tertial}",
        label=_("Tertial %(tertial)s %(year)s") % {"tertial": tertial, "year": year},
    )


def periodic_report(
    *,
    association: Association,
    year: int,
    tertial: int | None = None,
    charts: bool = True,
    today: datetime.date | None = None,
) -> PeriodicReport:
    """The delårsrapport of a tertial (1 or 2) or, with `tertial` None, the
    verksamhetsberättelse of the year, with every figure suppressed for the board."""
    if tertial is not None and tertial not in TERTIALS:
        raise ValueError(f"tertial must be 1 or 2, not {tertial}")
    today = today or timezone.localdate()
    with scope(association=association):
        min_cell = association_min_cell(association)
        period = report_period(association=association, year=year, tertial=tertial)
        participants = participant_part(
            association=association, period=period, min_cell=min_cell, charts=charts
        )
        goals = goal_part(association=association, period=period, min_cell=min_cell, charts=charts)
        finance, finance_note = finance_part(association=association, period=period, charts=charts)
        structural, structural_note = structural_part(
            association=association, period=period, charts=charts
        )
    return PeriodicReport(
        association=association,
        kind=INTERIM if tertial is not None else ANNUAL,
        year=year,
        tertial=tertial,
        period=period,
        min_cell=min_cell,
        today=today,
        participants=participants,
        participants_note="" if participants else _("Inga deltagare är registrerade för perioden."),
        goals=goals,
        goals_note=""
        if goals
        else _("Det finns ingen målkarta med mål för %(year)s.") % {"year": year},
        finance=finance,
        finance_note=finance_note,
        structural=structural,
        structural_note=structural_note,
    )


def report_years(*, association: Association, today: datetime.date | None = None) -> list[int]:
    """The years a report can be asked for, newest first: this year and every year
    with a plan, a goal map or participants."""
    today = today or timezone.localdate()
    years = {today.year}
    with scope(association=association):
        years |= {year for year, _plan in actuals.plan_years(association=association)}
        years |= set(goal_selectors.goal_map_years(association=association))
        for start in Participant.objects.filter(association=association).dates("start", "year"):
            years.add(start.year)
    return sorted((year for year in years if year <= today.year), reverse=True)


def periodic_pdf(report: PeriodicReport) -> bytes:
    """The document as PDF (reports/pdf/periodic.html on the shared base: title page,
    contents, page numbers)."""
    from stegvis.reports.pdf import render_pdf

    return render_pdf(
        "reports/pdf/periodic.html",
        {"report": report},
        association=report.association,
        title=report.title,
        subtitle=report.subtitle,
        sections=report.sections,
        printed=report.today,
        # An empty document says what is missing on its one page instead.
        notes=[] if report.empty else report.notes,
    )
