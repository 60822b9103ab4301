"""The tables of the instruments: per question of each survey the share who agree, and
per question of each assessment the progress from the first score to the latest, by kön
and suppressed below the minimum cell size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.instruments.models import Instrument, ResponseAnswer
from stegvis.interventions.models import Intervention
from stegvis.participants.report import COLUMNS, TOTAL, year_bounds
from stegvis.participants.selectors_report.cells import Cell, Line, ReportTable, gender_headings
from stegvis.participants.suppression import share, suppress, suppress_mean


def _answers(
    *,
    association: Association,
    intervention: Intervention | None,
    kind: str,
    date_filter: Q,
) -> list[tuple[int, int, str, Any, int, int, int]]:
    """(instrument, participant, kön, date, response, question, value) of the förbund's
    or the insats's participants for instruments of one kind."""
    queryset = ResponseAnswer.objects.filter(
        date_filter, association=association, response__instrument__kind=kind
    )
    if intervention is not None:
        queryset = queryset.filter(response__participant__intervention=intervention)
    return list(
        queryset.values_list(
            "response__instrument_id",
            "response__participant_id",
            "response__participant__gender",
            "response__date",
            "response_id",
            "question_id",
            "value",
        )
    )


def _question_labels(instrument: Instrument) -> list[tuple[int, str]]:
    return [(question.pk, str(question)) for question in instrument.questions.all()]


def survey_tables(
    *, association: Association, year: int, intervention: Intervention | None, min_cell: int
) -> list[ReportTable]:
    """Agree shares per question of each survey: of the participants who answered in
    the year (their latest answer of the year counts), the share who answered at or
    above the instrument's "agree" value, by kön."""
    first, last = year_bounds(year)
    with scope(association=association):
        answers = _answers(
            association=association,
            intervention=intervention,
            kind=Instrument.Kind.SURVEY,
            date_filter=Q(response__date__gte=first, response__date__lte=last),
        )
        instruments = {
            instrument.pk: instrument
            for instrument in Instrument.objects.filter(
                association=association, pk__in={row[0] for row in answers}
            ).prefetch_related("questions")
        }
        # The latest answer of the year per (instrument, participant, question).
        latest: dict[tuple[int, int, int], tuple[Any, int, str, int]] = {}
        for instrument_id, participant_id, gender, date, response_id, question_id, value in answers:
            key = (instrument_id, participant_id, question_id)
            if key not in latest or (date, response_id) > latest[key][:2]:
                latest[key] = (date, response_id, gender, value)
        tables = []
        for instrument in sorted(instruments.values(), key=lambda each: each.name):
            if instrument.agree_from is None:
                continue
            questions = _question_labels(instrument)
            cells: dict[Hashable, int] = {}
            for question_id, _label in questions:
                for measure in ("agree", "disagree", "answered"):
                    for column in COLUMNS:
                        cells[(measure, question_id, column)] = 0
            for (instrument_id, _participant, question_id), (
                _d,
                _r,
                gender,
                value,
            ) in latest.items():
                if instrument_id != instrument.pk or ("answered", question_id, gender) not in cells:
                    continue
                measure = "agree" if value >= instrument.agree_from else "disagree"
                for column in (gender, TOTAL):
                    cells[(measure, question_id, column)] += 1
                    cells[("answered", question_id, column)] += 1
            groups: list[list[Hashable]] = []
            for question_id, _label in questions:
                for measure in ("agree", "disagree", "answered"):
                    groups.append([(measure, question_id, column) for column in COLUMNS])
                for column in COLUMNS:
                    groups.append(
                        [(m, question_id, column) for m in ("agree", "disagree", "answered")]
                    )
            shown = suppress(cells, groups, min_cell)
            lines = []
            for question_id, label in questions:
                answered = [Cell(shown[("answered", question_id, column)]) for column in COLUMNS]
                agree = [Cell(shown[("agree", question_id, column)]) for column in COLUMNS]
                shares = [
                    Cell(
                        share(
                            shown[("agree", question_id, c)],
                            shown[("answered", question_id, c)],
                            min_cell,
                        ),
                        "share",
                    )
                    for c in COLUMNS
                ]
                lines.append(Line(label, [*shares, *agree, *answered]))
            tables.append(
                ReportTable(
                    key=f"survey_{instrument.pk}",
                    title=instrument.name,
                    row_heading=_("Fråga"),
                    columns=[*gender_headings(), *gender_headings(), *gender_headings()],
                    lines=lines,
                    note=_(
                        "Andel som instämmer: svar %(agree)s eller högre. Varje deltagares "
                        "senaste svar under året räknas."
                    )
                    % {"agree": instrument.agree_from},
                    column_groups=[
                        (_("Andel som instämmer"), len(COLUMNS)),
                        (_("Antal som instämmer"), len(COLUMNS)),
                        (_("Antal som svarat"), len(COLUMNS)),
                    ],
                )
            )
    return tables


def _mean(values: Sequence[float]) -> float | None:
    if not values:
        return None
    return float(
        (Decimal(sum(values)) / Decimal(len(values))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )


def assessment_tables(
    *, association: Association, year: int, intervention: Intervention | None, min_cell: int
) -> list[ReportTable]:
    """Progress per question of each assessment: for the participants whose latest
    assessment is from the year and who have at least two, the first score against the
    latest — mean change and the share who improved, by kön."""
    first_day, last_day = year_bounds(year)
    with scope(association=association):
        answers = _answers(
            association=association,
            intervention=intervention,
            kind=Instrument.Kind.ASSESSMENT,
            date_filter=Q(response__date__lte=last_day),
        )
        instruments = {
            instrument.pk: instrument
            for instrument in Instrument.objects.filter(
                association=association, pk__in={row[0] for row in answers}
            ).prefetch_related("questions")
        }
        series: dict[tuple[int, int, int], list[tuple[Any, int, int]]] = defaultdict(list)
        genders: dict[int, str] = {}
        for instrument_id, participant_id, gender, date, response_id, question_id, value in answers:
            series[(instrument_id, participant_id, question_id)].append((date, response_id, value))
            genders[participant_id] = gender
        tables = []
        for instrument in sorted(instruments.values(), key=lambda each: each.name):
            questions = _question_labels(instrument)
            cells: dict[Hashable, int] = {}
            changes: dict[tuple[int, str], list[int]] = defaultdict(list)
            firsts: dict[tuple[int, str], list[int]] = defaultdict(list)
            latests: dict[tuple[int, str], list[int]] = defaultdict(list)
            for question_id, _label in questions:
                for measure in ("improved", "not_improved", "assessed"):
                    for column in COLUMNS:
                        cells[(measure, question_id, column)] = 0
            for (instrument_id, participant_id, question_id), points in series.items():
                if instrument_id != instrument.pk or ("assessed", question_id, TOTAL) not in cells:
                    continue
                points.sort()
                if len(points) < 2 or points[-1][0] < first_day:
                    continue
                start_value, end_value = points[0][2], points[-1][2]
                measure = "improved" if end_value > start_value else "not_improved"
                for column in (genders[participant_id], TOTAL):
                    cells[(measure, question_id, column)] += 1
                    cells[("assessed", question_id, column)] += 1
                    changes[(question_id, column)].append(end_value - start_value)
                    firsts[(question_id, column)].append(start_value)
                    latests[(question_id, column)].append(end_value)
            groups: list[list[Hashable]] = []
            for question_id, _label in questions:
                for measure in ("improved", "not_improved", "assessed"):
                    groups.append([(measure, question_id, column) for column in COLUMNS])
                for column in COLUMNS:
                    groups.append(
                        [(m, question_id, column) for m in ("improved", "not_improved", "assessed")]
                    )
            shown = suppress(cells, groups, min_cell)
            lines = []
            for question_id, label in questions:
                assessed = {column: shown[("assessed", question_id, column)] for column in COLUMNS}
                mean_change = [
                    Cell(
                        suppress_mean(_mean(changes[(question_id, c)]), assessed[c], min_cell),
                        "change",
                    )
                    for c in COLUMNS
                ]
                improved_share = [
                    Cell(share(shown[("improved", question_id, c)], assessed[c], min_cell), "share")
                    for c in COLUMNS
                ]
                means = [
                    Cell(
                        suppress_mean(
                            _mean(firsts[(question_id, TOTAL)]), assessed[TOTAL], min_cell
                        ),
                        "mean",
                    ),
                    Cell(
                        suppress_mean(
                            _mean(latests[(question_id, TOTAL)]), assessed[TOTAL], min_cell
                        ),
                        "mean",
                    ),
                ]
                lines.append(
                    Line(
                        label,
                        [
                            *means,
                            *mean_change,
                            *improved_share,
                            *(Cell(assessed[c]) for c in COLUMNS),
                        ],
                    )
                )
            scale = (
                _("Skala %(low)s–%(high)s.")
                % {"low": instrument.scale_min, "high": instrument.scale_max}
                if instrument.scale_min is not None
                else ""
            )
            tables.append(
                ReportTable(
                    key=f"assessment_{instrument.pk}",
                    title=instrument.name,
                    row_heading=_("Fråga"),
                    columns=[
                        _("Första"),
                        _("Senaste"),
                        *gender_headings(),
                        *gender_headings(),
                        *gender_headings(),
                    ],
                    lines=lines,
                    note=(
                        _(
                            "Deltagare vars senaste bedömning är från året och som har "
                            "bedömts minst två gånger: första mot senaste värdet."
                        )
                        + (" " + scale if scale else "")
                    ),
                    column_groups=[
                        (_("Medelvärde, totalt"), 2),
                        (_("Förändring i medelvärde"), len(COLUMNS)),
                        (_("Andel som förbättrats"), len(COLUMNS)),
                        (_("Antal bedömda"), len(COLUMNS)),
                    ],
                )
            )
    return tables
