"""The delårsrapport and the verksamhetsberättelse: the figures printed in the PDF are
the selectors' figures, sections without data say why, an empty förbund gets a
document that says "inga uppgifter", and the periods run from 1 January."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django_scopes import scopes_disabled

from stegvis.finance import actuals
from stegvis.finance.models import ReportingPeriod
from stegvis.finance.tests.factories import store
from stegvis.goals import metrics
from stegvis.goals.periods import year_period
from stegvis.participants.report import year_counts
from stegvis.participants.tests.factories import ParticipantFactory, follow_up
from stegvis.reports.periodic import (
    EXITED,
    PARTICIPANTS,
    STARTED,
    STEP_PROGRESS,
    PeriodicReport,
    period_counts,
    periodic_pdf,
    periodic_report,
)
from stegvis.reports.tests.pdf_support import pdf_text, save_pages
from stegvis.reports.tests.test_periodic_support import (
    FAKE_ACTIVITIES,
    FORECAST,
    TODAY,
    YEAR,
    fake_structural,
    fill,
    no_structural,
)

__all__ = ["fake_structural", "no_structural"]  # fixtures

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    """Every run of blanks (also no-break spaces) as one space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def normalised(text: str) -> list[str]:
    """The PDF's lines, flattened."""
    return [flat(line) for line in text.splitlines()]


def lines_of(lines: list[str], label: str) -> list[str]:
    """The lines that start with the label (table rows, in the order printed)."""
    return [line for line in lines if line.startswith(label + " ") or line == label]


def line_of(lines: list[str], label: str) -> str:
    """The first line that starts with the label."""
    found = lines_of(lines, label)
    assert found, f"no line starts with {label!r}"
    return found[0]


def build(world: Any, tertial: int | None) -> tuple[PeriodicReport, list[str]]:
    report = periodic_report(association=world.own, year=YEAR, tertial=tertial, today=TODAY)
    pdf = periodic_pdf(report)
    assert pdf.startswith(b"%PDF")
    return report, normalised(pdf_text(pdf))


def test_the_interim_report_prints_the_selectors_participant_figures(
    world: Any, fake_structural: Any
) -> None:
    fill(world)
    report, lines = build(world, 1)
    counts = metrics.participant_counts(association=world.own, period=report.period)
    # The goal map's counts, the hand-computed figures of the fixture and the document agree.
    assert counts.total(counts.enrolled, None, None) == 15
    assert counts.total(counts.started, None, None) == 13
    assert counts.exits(None, None) == 5
    part = report.participants
    assert part is not None
    assert part.value(PARTICIPANTS) == 15
    assert part.value(STARTED) == 13
    assert part.value(EXITED) == 5
    for table in part.tables:
        for row in table.lines:
            expected = flat(" ".join([row.label, *(cell.text for cell in row.cells)]))
            assert expected in lines_of(lines, row.label)
    # The summary's key figure first, then the table's row.
    assert lines_of(lines, "Deltagare under perioden") == [
        "Deltagare under perioden 15",
        "Deltagare under perioden – – 0 15",
    ]


def test_the_interim_report_prints_budget_against_actuals_per_category(
    world: Any, fake_structural: Any
) -> None:
    filled = fill(world)
    report, lines = build(world, 1)
    finance = report.finance
    assert finance is not None
    with scopes_disabled():
        expected = actuals.followup(plan=filled.plan, year=YEAR, period=filled.periods["t1"])
    assert finance.followup.costs == expected.costs
    tkr = _tkr_text
    for row in finance.rows:
        numbers = [
            tkr(row.figures.budget),
            tkr(row.figures.actual),
            _percent_text(row.figures.used_share) if row.label != finance.rows[-1].label else "",
            tkr(row.figures.prognosis),
            ("+" if (row.deviation or 0) > 0 else "") + tkr(row.deviation),
        ]
        assert line_of(lines, row.label) == " ".join(part for part in [row.label, *numbers] if part)
    # Kostnader: 60 + 450 + 1 700 tkr to the end of April, 11 151 tkr budgeted.
    assert line_of(lines, "Summa kostnader") == "Summa kostnader 11 151 2 210 19,8 % 12 141 +990"
    # The kansli's forecast and its comment, and a line above budget.
    _name, _amount, comment = FORECAST
    text = " ".join(lines)
    assert f"Kansliets prognos: ”{comment}”" in text
    assert "Stegen Karlstad Individinriktade insatser ⚠ Över budget" in text
    # The structural app's activities for the period.
    shown = [kind for kind in FAKE_ACTIVITIES if kind.activities]
    for kind in shown:
        assert line_of(lines, kind.kind) == f"{kind.kind} {kind.activities} {kind.participants}"
    assert line_of(lines, "Totalt 5") == "Totalt 5 125"
    assert "Nätverk" not in text  # a kind without activities is left out


def test_goal_attainment_prints_each_indicator_with_its_status_in_words(
    world: Any, fake_structural: Any
) -> None:
    fill(world)
    report, lines = build(world, None)
    goals = report.goals
    assert goals is not None
    statuses = {}
    for section in goals.page.sections:
        for goal in section.goals:
            for row in goal.indicators:
                statuses[row.indicator.text] = row
                line = line_of(lines, row.indicator.text)
                # pdftotext may drop the narrow space in "≥ 4".
                assert flat(f"{row.value} {row.target}").replace(" ", "") in line.replace(" ", "")
                assert str(row.evaluation.status.label) in line
    # 20 deltagare ≥ 10; 8 of 13 exits with stegförflyttning < 70 %; the manual 4,2 ≥ 4.
    by_metric = {row.indicator.metric: row.evaluation.status.value for row in statuses.values()}
    assert by_metric == {
        "participants": "achieved",
        "step_progress_share": "not_achieved",
        "participants_exited": "not_achieved",
        "manual": "achieved",
    }
    assert line_of(lines, "✓ Uppnått") == "✓ Uppnått 2"
    assert line_of(lines, "✗ Ej uppnått") == "✗ Ej uppnått 2"
    # The plan's goal without indicators is in the document too.
    assert "God ekonomisk hushållning" in " ".join(lines)


def test_the_annual_report_counts_as_the_participant_report(
    world: Any, fake_structural: Any
) -> None:
    fill(world)
    raw = period_counts(association=world.own, period=year_period(YEAR))
    yearly = year_counts(association=world.own, year=YEAR)
    for row in (PARTICIPANTS, STARTED, EXITED, STEP_PROGRESS):
        assert raw.counts[row] == yearly.counts[row]
    assert raw.outcomes == yearly.outcomes
    report, lines = build(world, None)
    assert report.title == "Verksamhetsberättelse"
    assert line_of(lines, "Deltagare under året") == "Deltagare under året 20"
    assert line_of(lines, "Avslutade under året") == "Avslutade under året 13"
    assert line_of(lines, "Andel stegförflyttning av avslutade") == (
        "Andel stegförflyttning av avslutade 61,5 %"
    )
    part = report.participants
    assert part is not None
    for table in part.tables:
        for row in table.lines:
            expected = flat(" ".join([row.label, *(cell.text for cell in row.cells)]))
            assert expected in lines_of(lines, row.label)
    # Helår: the year's actuals, no prognosis column, and the lines still missing one.
    finance = report.finance
    assert finance is not None and finance.full_year
    assert line_of(lines, "Summa kostnader").startswith("Summa kostnader 11 151 8 120 72,8 %")
    assert "6 av 17 budgetrader saknar utfall för Helår" in " ".join(lines)


def test_an_empty_forbund_gets_a_document_that_says_inga_uppgifter(
    world: Any, no_structural: None
) -> None:
    for tertial in (1, 2, None):
        report = periodic_report(association=world.other, year=YEAR, tertial=tertial, today=TODAY)
        assert report.empty
        assert report.sections == []
        text = " ".join(normalised(pdf_text(periodic_pdf(report))))
        assert "Inga uppgifter för perioden." in text
        assert "Inga deltagare är registrerade för perioden." in text
        assert "Det finns ingen målkarta med mål för 2024." in text
        assert "det finns ingen budget för 2024" in text
        assert "Inga strukturövergripande aktiviteter är registrerade för perioden." in text
        tables = report.tables()
        assert [table.title for table in tables] == ["Inga uppgifter"]


def test_a_part_without_data_is_left_out_with_a_note(world: Any, fake_structural: Any) -> None:
    """Participants and a goal map but no actuals for tertial 2: Ekonomi says why."""
    filled = fill(world)
    report, lines = build(world, 2)
    assert report.finance is None
    assert report.finance_note == (
        "Ingen ekonomisk uppföljning för perioden: inget utfall är registrerat för "
        "Tertial 2 (jan–aug) 2024."
    )
    text = " ".join(lines)
    assert report.finance_note in text
    assert "Budget mot utfall" not in text
    # A förbund that does not follow up the economy in August.
    with scopes_disabled():
        filled.periods["t2"].delete()
    report = periodic_report(association=world.own, year=YEAR, tertial=2, today=TODAY)
    assert report.finance_note == (
        "Ingen ekonomisk uppföljning för perioden: förbundet följer inte upp ekonomin "
        "till och med augusti."
    )


def test_a_budget_without_any_follow_up_yet_says_no_actual_is_recorded(
    world: Any, no_structural: None
) -> None:
    store(world.own)  # the plan, and no follow-up period made yet
    report = periodic_report(association=world.own, year=YEAR, tertial=1, today=TODAY)
    assert report.finance_note == (
        "Ingen ekonomisk uppföljning för perioden: inget utfall är registrerat för Tertial 1 2024."
    )
    assert report.goals is not None  # the plan's goal map


def test_an_unfinished_period_is_marked_preliminary(world: Any, fake_structural: Any) -> None:
    fill(world)
    report = periodic_report(
        association=world.own, year=YEAR, tertial=2, today=datetime.date(2024, 6, 15)
    )
    assert report.ongoing
    text = " ".join(normalised(pdf_text(periodic_pdf(report))))
    assert "Perioden har inte tagit slut: uppgifterna gäller till och med 2024-06-15" in text


# ---------------------------------------------------------------------------
# Tertial boundaries


@pytest.mark.parametrize(
    ("tertial", "end"),
    [(1, datetime.date(YEAR, 4, 30)), (2, datetime.date(YEAR, 8, 31)), (None, None)],
)
def test_a_period_runs_from_1_january_to_the_end_of_its_tertial(
    world: Any, fake_structural: list[tuple[datetime.date, datetime.date]], tertial: Any, end: Any
) -> None:
    end = end or datetime.date(YEAR, 12, 31)
    report = periodic_report(association=world.own, year=YEAR, tertial=tertial, today=TODAY)
    assert (report.period.start, report.period.end) == (datetime.date(YEAR, 1, 1), end)
    assert fake_structural == [(datetime.date(YEAR, 1, 1), end)]


def test_exits_and_starts_count_in_the_tertial_their_date_falls_in(
    world: Any, no_structural: None
) -> None:
    data = follow_up(world)
    day = datetime.date
    with scopes_disabled():
        for number in range(6):  # exit on the last day of tertial 1
            ParticipantFactory(
                intervention=data.insats,
                code=f"T1-{number}",
                start=day(YEAR, 1, 10),
                exit=day(YEAR, 4, 30),
                outcome="arbete",
            )
        for number in range(7):  # exit on the first day after it
            ParticipantFactory(
                intervention=data.insats,
                code=f"T2-{number}",
                gender="man",
                start=day(YEAR, 1, 10),
                exit=day(YEAR, 5, 1),
                outcome="studier",
            )
        for number in range(5):  # start on the last day of tertial 2
            ParticipantFactory(intervention=data.insats, code=f"S-{number}", start=day(YEAR, 8, 31))
        ParticipantFactory(intervention=data.insats, code="LATE", start=day(YEAR, 9, 1))
    first = periodic_report(association=world.own, year=YEAR, tertial=1, today=TODAY)
    second = periodic_report(association=world.own, year=YEAR, tertial=2, today=TODAY)
    year = periodic_report(association=world.own, year=YEAR, tertial=None, today=TODAY)
    assert first.participants and second.participants and year.participants
    raw = first.participants.raw
    assert (raw.total(PARTICIPANTS), raw.total(STARTED), raw.total(EXITED)) == (13, 13, 6)
    raw = second.participants.raw
    assert (raw.total(PARTICIPANTS), raw.total(STARTED), raw.total(EXITED)) == (18, 18, 13)
    raw = year.participants.raw
    assert (raw.total(PARTICIPANTS), raw.total(STARTED), raw.total(EXITED)) == (19, 19, 13)
    assert raw.total("ongoing") == 6


def test_the_finance_part_follows_the_period_ending_with_the_tertial(
    world: Any, fake_structural: Any
) -> None:
    filled = fill(world)
    with scopes_disabled():
        months = {code: period.end_month for code, period in filled.periods.items()}
        assert months == {"t1": 4, "t2": 8, "year": 12}
        # The förbund's own name for April's period is used in the document.
        ReportingPeriod.objects.filter(pk=filled.periods["t1"].pk).update(name="Delår april")
    report = periodic_report(association=world.own, year=YEAR, tertial=1, today=TODAY)
    assert report.finance is not None
    assert report.finance.followup.period.end_month == 4
    assert report.period.label == "Delår april 2024"
    annual = periodic_report(association=world.own, year=YEAR, tertial=None, today=TODAY)
    assert annual.finance is not None
    assert annual.finance.followup.period.end_month == 12


def test_a_tertial_other_than_1_or_2_is_refused(world: Any) -> None:
    with pytest.raises(ValueError):
        periodic_report(association=world.own, year=YEAR, tertial=3)


# ---------------------------------------------------------------------------


def _tkr_text(value: int | None) -> str:
    from stegvis.core.templatetags.stegvis import tkr

    return tkr(value).replace("\u00a0", " ")


def _percent_text(value: Any) -> str:
    from stegvis.core.templatetags.stegvis import percent

    return percent(value).replace("\u00a0", " ")


def test_the_excel_file_holds_the_documents_tables(world: Any, fake_structural: Any) -> None:
    fill(world)
    report = periodic_report(association=world.own, year=YEAR, tertial=1, today=TODAY)
    titles = [table.title for table in report.tables()]
    assert titles == [
        "Deltagare efter kön",
        "Avslutsorsaker",
        "Deltagare per insats",
        "Målkarta 2024",
        "Budget mot utfall",
        "Kommentarer till utfallet",
        "Resultat och eget kapital",
        "Samverkansaktiviteter",
    ]
    counts = report.tables()[0]
    assert counts.rows[0][0] == "Deltagare under perioden"
    assert counts.columns[-1] == "Totalt"
    assert counts.rows[0][-1] == 15


def test_the_structural_apps_activities_are_counted_in_their_period(world: Any) -> None:
    """With the structural app's own selector and data: an activity on 30 April is
    in tertial 1, one on 2 May only in tertial 2 and the year."""
    from stegvis.structural.models.activities import ActivityKind
    from stegvis.structural.services_activities import (
        AttendanceRow,
        activity_create,
        install_default_kinds,
    )

    with scopes_disabled():
        install_default_kinds(world.own)
        kind = ActivityKind.objects.filter(association=world.own).order_by("position").first()
        assert kind is not None
        for day, others in ((datetime.date(YEAR, 4, 30), 5), (datetime.date(YEAR, 5, 2), 7)):
            activity_create(
                actor=None,
                association=world.own,
                kind=kind,
                title=f"Seminarium {day}",
                date=day,
                organiser="Kansliet",
                other_participants=others,
                attendance=[AttendanceRow(member=world.member, participants=10)],
            )
    first = periodic_report(association=world.own, year=YEAR, tertial=1, today=TODAY)
    second = periodic_report(association=world.own, year=YEAR, tertial=2, today=TODAY)
    assert first.structural is not None and second.structural is not None
    assert [(row.kind, row.activities, row.participants) for row in first.structural.rows] == [
        (kind.name, 1, 15)
    ]
    assert (second.structural.activities, second.structural.participants) == (2, 32)
    lines = normalised(pdf_text(periodic_pdf(first)))
    assert f"{kind.name} 1 15" in lines


def test_the_demo_forbund_gets_both_reports(db: Any) -> None:
    """Samspelet of the demo: its plan year and this year, all parts that have data."""
    from django.utils import timezone

    from stegvis.associations.models import Association
    from stegvis.core.demo import demo_everything

    demo_everything()
    with scopes_disabled():
        samspelet = Association.objects.get(slug="samspelet")
    this_year = timezone.localdate().year
    for year, tertial, name in (
        (2024, None, "verksamhetsberattelse"),
        (this_year, 1, "delarsrapport"),
        (this_year, None, ""),
    ):
        report = periodic_report(association=samspelet, year=year, tertial=tertial)
        assert report.goals is not None, year
        pdf = periodic_pdf(report)
        if name:  # to look at (test-artifacts/reports/)
            save_pages(pdf, name)
        text = " ".join(normalised(pdf_text(pdf)))
        assert f"{report.title} {report.subtitle}" in text
        if report.participants is not None:
            total = report.participants.value(PARTICIPANTS)
            label = "Deltagare under året" if tertial is None else "Deltagare under perioden"
            assert f"{label} {total}" in text
        for note in report.notes:
            assert flat(note) in text
    assert report.participants is not None  # this year's synthetic participants
