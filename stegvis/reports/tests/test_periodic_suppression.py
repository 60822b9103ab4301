"""Suppression in the delårsrapport and the verksamhetsberättelse: a count under the
förbund's minimum cell size is printed as "–", and so are the cells that would give it
away (complementary suppression), across all of the document's participant tables."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django_scopes import scopes_disabled
from hypothesis import given
from hypothesis import strategies as st

from stegvis.participants.models import Policy
from stegvis.participants.report import TOTAL
from stegvis.participants.suppression import lone_hidden_groups
from stegvis.participants.tests.factories import ParticipantFactory, follow_up
from stegvis.participants.vocabulary import GENDERS, OUTCOMES
from stegvis.reports.periodic import (
    EXITED,
    ONGOING,
    PARTICIPANTS,
    STEP_PROGRESS,
    PeriodCounts,
    count_cells,
    count_groups,
    periodic_pdf,
    periodic_report,
    suppress_with_totals,
)
from stegvis.reports.tests.pdf_support import pdf_text
from stegvis.reports.tests.test_periodic import flat, lines_of, normalised
from stegvis.reports.tests.test_periodic_support import TODAY, YEAR, no_structural

__all__ = ["no_structural"]  # fixture


def _small_group(world: Any) -> None:
    """Tertial 1: 12 kvinnor and 3 män in Stegen; 6 kvinnor and the 3 män exit to work."""
    data = follow_up(world)
    day = datetime.date
    with scopes_disabled():
        for number in range(12):
            ParticipantFactory(
                intervention=data.insats,
                code=f"K{number}",
                start=day(YEAR, 1, 10),
                **({"exit": day(YEAR, 3, 1), "outcome": "arbete"} if number < 6 else {}),
            )
        for number in range(3):
            ParticipantFactory(
                intervention=data.insats,
                code=f"M{number}",
                gender="man",
                start=day(YEAR, 1, 10),
                exit=day(YEAR, 3, 1),
                outcome="arbete",
            )


@pytest.mark.django_db
def test_a_group_under_the_minimum_shows_a_dash_and_so_does_its_complement(
    world: Any, no_structural: None
) -> None:
    _small_group(world)
    report = periodic_report(association=world.own, year=YEAR, tertial=1, today=TODAY)
    part = report.participants
    assert part is not None
    shown = part.shown
    # Three män: not shown; the kvinnor beside them neither, or 15 − 12 gives them away.
    assert shown[("counts", PARTICIPANTS, "man")] is None
    assert shown[("counts", PARTICIPANTS, "kvinna")] is None
    assert shown[("counts", PARTICIPANTS, TOTAL)] == 15
    assert shown[("outcome", "arbete", "man")] is None
    assert shown[("outcome", "arbete", "kvinna")] is None
    lines = normalised(pdf_text(periodic_pdf(report)))
    assert "Deltagare under perioden – – 0 15" in lines
    assert "Arbete – – 0 9" in lines
    assert "Avslutade under perioden – – 0 9" in lines
    # The same in every table: the insats's row and the total row.
    assert "Stegen – – 0 15" in lines
    assert "Samtliga insatser – – 0 15" in lines
    # Not a 3 or a 12 printed in any of the participant tables.
    for table in part.tables:
        for row in table.lines:
            printed = [line for line in lines_of(lines, row.label) if line.count(" ") >= 4]
            assert printed, row.label
            for line in printed:
                assert " 3 " not in f" {line} " and " 12 " not in f" {line} "
    # Excel: the hidden cells are empty.
    counts = report.tables()[0]
    assert counts.rows[0][1:] == [None, None, 0, 15]


@pytest.mark.django_db
def test_the_forbunds_own_minimum_cell_size_is_used(world: Any, no_structural: None) -> None:
    _small_group(world)
    with scopes_disabled():
        Policy.objects.update_or_create(association=world.own, defaults={"min_cell": 3})
    report = periodic_report(association=world.own, year=YEAR, tertial=1, today=TODAY)
    assert report.min_cell == 3
    assert report.participants is not None
    assert report.participants.shown[("counts", PARTICIPANTS, "man")] == 3
    text = " ".join(normalised(pdf_text(periodic_pdf(report))))
    assert flat("Antal under 3 visas inte (–)") in text


@pytest.mark.django_db
def test_anonymous_and_ongoing_cannot_be_worked_out_from_the_totals(world: Any) -> None:
    """Pågående = deltagare − avslutade − anonymous: a small pågående count is hidden
    together with another cell of that sum."""
    raw = PeriodCounts()
    raw.counts[PARTICIPANTS] = {"kvinna": 20, "man": 14, "ej angivet": 0}
    raw.counts[EXITED] = {"kvinna": 18, "man": 7, "ej angivet": 0}
    raw.counts[STEP_PROGRESS] = {"kvinna": 10, "man": 5, "ej angivet": 0}
    raw.outcomes["arbete"] = {"kvinna": 10, "man": 5, "ej angivet": 0}
    raw.outcomes["avbrott"] = {"kvinna": 8, "man": 2, "ej angivet": 0}
    raw.counts[ONGOING] = {"kvinna": 2, "man": 7, "ej angivet": 0}
    raw.by_intervention = {1: dict(raw.counts[PARTICIPANTS])}
    shown, _keep = suppress_with_totals(raw, 5)
    assert shown[("counts", ONGOING, "kvinna")] is None
    group = [("counts", key, "kvinna") for key in (ONGOING, EXITED, PARTICIPANTS)]
    assert sum(1 for key in group if shown[key] is None) >= 2


counts = st.integers(min_value=0, max_value=30)


@st.composite
def period_counts(draw: Any) -> PeriodCounts:
    """Counts that add up as the document's: outcomes make the exits, deltagare are
    pågående + avslutade + anonymous, the insatser share the deltagare."""
    raw = PeriodCounts()
    for gender in GENDERS:
        for code in OUTCOMES:
            raw.outcomes[code][gender] = draw(counts) if draw(st.booleans()) else 0
        exited = sum(raw.outcomes[code][gender] for code in OUTCOMES)
        raw.counts[EXITED][gender] = exited
        raw.counts[STEP_PROGRESS][gender] = sum(
            raw.outcomes[code][gender]
            for code in ("arbete", "studier", "arbetssökande", "annan rehabilitering")
        )
        raw.counts[ONGOING][gender] = draw(counts)
        raw.anonymous[gender] = draw(st.sampled_from([0, 0, 0, 1, 2, 6]))
        raw.counts[PARTICIPANTS][gender] = (
            raw.counts[ONGOING][gender] + exited + raw.anonymous[gender]
        )
        raw.counts["started"][gender] = draw(
            st.integers(min_value=0, max_value=raw.counts[PARTICIPANTS][gender])
        )
    insatser = draw(st.integers(min_value=1, max_value=3))
    raw.by_intervention = {pk: dict.fromkeys(GENDERS, 0) for pk in range(1, insatser + 1)}
    for gender in GENDERS:
        left = raw.counts[PARTICIPANTS][gender]
        for pk in range(1, insatser):
            part = draw(st.integers(min_value=0, max_value=left))
            raw.by_intervention[pk][gender] = part
            left -= part
        raw.by_intervention[insatser][gender] = left
    return raw


@given(raw=period_counts(), min_cell=st.sampled_from([3, 5, 10]))
def test_no_hidden_count_can_be_worked_out_from_a_group(raw: PeriodCounts, min_cell: int) -> None:
    cells = count_cells(raw)
    groups = count_groups(raw)
    shown, keep = suppress_with_totals(raw, min_cell)
    for key, value in cells.items():
        if 0 < value < min_cell:
            assert shown[key] is None, key
        elif shown[key] is not None:
            assert shown[key] == value
    for key in keep:
        # Only the published totals and cells that were given away anyway are kept.
        assert key[-1] == TOTAL or cells[key] >= min_cell
    for group in lone_hidden_groups(shown, groups):
        # A lone hidden cell is left only where every other non-zero cell is kept.
        others = [key for key in group if shown[key]]
        assert all(key in keep for key in others), group
