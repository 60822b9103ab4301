"""Reads of the collaboration surveys: a round's links and response rate per group, its
results per question and group, the chart and the export tables, and the counts the
goal map's `survey_agree_share` metric takes from collaboration questions.

Suppression (DOMAIN.md §9, `participants.suppression`): the people behind a figure are
those who answered the question (not "vet ej"). A group's share and mean for a
question are shown only when at least the förbund's minimum cell size answered it;
with complementary suppression over the groups and the total ("alla svarande"), so
that no hidden group's figures follow from the total and the shown groups. The number
of links sent and answered per group is always shown: it tells the kansli whom to
remind and says nothing about what anyone answered. A group below the limit thus
shows how many answered, but no result.

Agree = a value at or above the instrument's `agree_from`; the mean is over the
values given, to one decimal.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.core.exporters import DECIMAL, PERCENT, Table
from stegvis.finance.charts import GRID, INK, svg_text
from stegvis.instruments.models import Instrument, InstrumentQuestion
from stegvis.participants.suppression import suppress
from stegvis.structural.models.surveys import (
    RespondentGroup,
    SurveyAnswer,
    SurveyResponse,
    SurveyRound,
    SurveyToken,
)
from stegvis.structural.services_surveys import AnswerRefused, round_state

TOTAL = "total"
SHARE_PLACES = Decimal("0.0001")
MEAN_PLACES = Decimal("0.1")

# Colour and marker per group: apart for colour-blind readers (Okabe–Ito) and by shape,
# so the chart never rests on colour alone.
GROUP_STYLE = {
    RespondentGroup.STAFF.value: ("#0072b2", "o"),
    RespondentGroup.MANAGERS.value: ("#d55e00", "s"),
    RespondentGroup.BOARD.value: ("#009e73", "^"),
    RespondentGroup.REFERRERS.value: ("#cc79a7", "D"),
    TOTAL: (INK, "|"),
}


def total_label() -> str:
    return _("Alla svarande")


def _ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------
# Rounds and their links


STATUS_LABELS = {
    AnswerRefused.NOT_OPEN: _("Inte öppnad"),
    "open": _("Öppen"),
    AnswerRefused.CLOSED: _("Stängd"),
}


def round_status(survey_round: SurveyRound, today: datetime.date | None = None) -> str:
    return round_state(survey_round, today or timezone.localdate())


def round_status_label(survey_round: SurveyRound, today: datetime.date | None = None) -> str:
    return str(STATUS_LABELS[round_status(survey_round, today)])


@dataclass(frozen=True)
class GroupCount:
    """One group's links (or all groups', `group` TOTAL) and how many were answered."""

    group: str
    label: str
    issued: int
    responses: int

    @property
    def rate(self) -> Decimal | None:
        return _ratio(self.responses, self.issued)

    @property
    def unused(self) -> int:
        return max(self.issued - self.responses, 0)


def round_counts(survey_round: SurveyRound) -> list[GroupCount]:
    """Per group of the round its links and responses, then the total. A response is
    a used link, so the two agree; both are counted from their own tables."""
    issued = dict(
        SurveyToken.objects.filter(round=survey_round)
        .values("group")
        .annotate(n=Count("id"))
        .values_list("group", "n")
    )
    answered = dict(
        SurveyResponse.objects.filter(round=survey_round)
        .values("group")
        .annotate(n=Count("id"))
        .values_list("group", "n")
    )
    rows = [
        GroupCount(group, label, issued.get(group, 0), answered.get(group, 0))
        for group, label in survey_round.group_labels()
    ]
    rows.append(
        GroupCount(
            TOTAL,
            total_label(),
            sum(row.issued for row in rows),
            sum(row.responses for row in rows),
        )
    )
    return rows


@dataclass(frozen=True)
class RoundRow:
    survey_round: SurveyRound
    status: str
    status_label: str
    issued: int
    responses: int

    @property
    def rate(self) -> Decimal | None:
        return _ratio(self.responses, self.issued)


def round_list(*, association: Association, today: datetime.date | None = None) -> list[RoundRow]:
    """The förbund's rounds, latest first, with their links and responses."""
    today = today or timezone.localdate()
    rounds = (
        SurveyRound.objects.filter(association=association)
        .select_related("instrument")
        .annotate(
            issued=_count_of(SurveyToken.objects.all()),
            answered=_count_of(SurveyResponse.objects.all()),
        )
        .order_by("-opens_on", "title")
    )
    return [
        RoundRow(
            survey_round=each,
            status=round_status(each, today),
            status_label=round_status_label(each, today),
            issued=each.issued,
            responses=each.answered,
        )
        for each in rounds
    ]


def _count_of(rows: QuerySet[Any]) -> Coalesce:
    """The number of `rows` of each round, as a subquery (two joins would multiply)."""
    counted = (
        rows.filter(round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# ---------------------------------------------------------------------------
# Results of a round


@dataclass(frozen=True)
class Figure:
    """One question's result in one column (a group or all): None where hidden."""

    answered: int | None
    agree: int | None
    share: Decimal | None
    mean: Decimal | None

    @property
    def hidden(self) -> bool:
        return self.answered is None


@dataclass
class QuestionResult:
    question: InstrumentQuestion
    figures: list[Figure]  # in the order of RoundResults.columns

    @property
    def label(self) -> str:
        return str(self.question)


@dataclass
class RoundResults:
    survey_round: SurveyRound
    instrument: Instrument
    min_cell: int
    columns: list[tuple[str, str]]  # (group code or TOTAL, label)
    counts: list[GroupCount]
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return self.counts[-1].responses if self.counts else 0

    @property
    def any_hidden(self) -> bool:
        return any(figure.hidden for row in self.questions for figure in row.figures)

    @property
    def all_hidden(self) -> bool:
        return all(figure.hidden for row in self.questions for figure in row.figures)


def _mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)


def round_results(*, survey_round: SurveyRound, min_cell: int) -> RoundResults:
    """The round's figures per question and group, suppressed below `min_cell`."""
    instrument = survey_round.instrument
    questions = list(instrument.questions.all())
    columns = [*survey_round.group_labels(), (TOTAL, total_label())]
    agree_from = instrument.agree_from
    # (question, group) → [answered, agree, sum of values]
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    # Without an "agree" value nothing agrees (the share is then not shown at all).
    agrees = Q(value__gte=agree_from) if agree_from is not None else Q(pk__in=[])
    rows = (
        SurveyAnswer.objects.filter(response__round=survey_round)
        .values("question_id", "response__group")
        .annotate(n=Count("id"), agree=Count("id", filter=agrees), total=Sum("value"))
        .values_list("question_id", "response__group", "n", "agree", "total")
        .order_by()
    )
    for question_id, group, n, agree, total in rows:
        sums[(question_id, group)] = [n, agree, total or 0]
    groups = [code for code, _label in columns if code != TOTAL]
    results = RoundResults(
        survey_round=survey_round,
        instrument=instrument,
        min_cell=min_cell,
        columns=columns,
        counts=round_counts(survey_round),
    )
    for question in questions:
        raw = {group: sums[(question.pk, group)] for group in groups}
        raw[TOTAL] = [sum(values[i] for values in raw.values()) for i in range(3)]
        cells: dict[Hashable, int] = {code: raw[code][0] for code, _label in columns}
        shown = suppress(cells, [[code for code, _label in columns]], min_cell)
        figures = []
        for code, _label in columns:
            answered, agree, total = raw[code]
            if shown[code] is None or answered < min_cell:
                figures.append(Figure(None, None, None, None))
                continue
            figures.append(
                Figure(
                    answered=answered,
                    agree=agree if agree_from is not None else None,
                    share=_ratio(agree, answered) if agree_from is not None else None,
                    mean=_mean(total, answered),
                )
            )
        results.questions.append(QuestionResult(question=question, figures=figures))
    return results


# ---------------------------------------------------------------------------
# Chart


def results_chart_svg(results: RoundResults) -> str:
    """The share who agree per question, one marker per group and a bar mark for all
    who answered: a dot plot, compact enough for eight questions and four groups.
    Empty when nothing can be shown."""
    if results.instrument.agree_from is None or results.all_hidden or not results.questions:
        return ""
    points = tuple(
        (
            row.label,
            tuple(None if figure.share is None else float(figure.share) for figure in row.figures),
        )
        for row in results.questions
    )
    columns = tuple(results.columns)
    svg = _dot_plot(points, columns)
    summary = "; ".join(
        f"{row.label}: "
        + ", ".join(
            f"{label} {_percent_text(figure.share)}"
            for (_code, label), figure in zip(results.columns, row.figures, strict=True)
        )
        for row in results.questions
    )
    label = _("Andel som instämmer per fråga och grupp. %(summary)s.") % {"summary": summary}
    quoted = escape(label, {'"': "&quot;"})
    return svg.replace("<svg ", f'<svg role="img" aria-label="{quoted}" class="chart" ', 1)


def _percent_text(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{(value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}\u00a0%"


def _dot_plot(
    points: tuple[tuple[str, tuple[float | None, ...]], ...],
    columns: tuple[tuple[str, str], ...],
) -> str:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    with matplotlib.rc_context(
        {
            "svg.hashsalt": "stegvis",
            "svg.fonttype": "path",
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.edgecolor": GRID,
            "axes.labelcolor": INK,
            "xtick.color": INK,
            "ytick.color": INK,
            "text.color": INK,
        }
    ):
        height = 1.3 + 0.42 * len(points)
        figure = MplFigure(figsize=(7.2, height), layout="constrained")
        axes = figure.add_subplot()
        ys = list(range(len(points)))[::-1]
        for index, (code, label) in enumerate(columns):
            colour, marker = GROUP_STYLE.get(code, (INK, "o"))
            xs = [values[index] for _label, values in points]
            shown = [(x, y) for x, y in zip(xs, ys, strict=True) if x is not None]
            if not shown:
                continue
            axes.scatter(
                [x for x, _y in shown],
                [y for _x, y in shown],
                marker=marker,
                s=220 if code == TOTAL else 55,
                linewidths=2.2 if code == TOTAL else 0.8,
                color=colour,
                # the bar mark of all who answered is a line, and has no edge
                edgecolors=None if code == TOTAL else "white",
                label=label,
                zorder=4 if code == TOTAL else 3,
            )
        for y in ys:
            axes.axhline(y, color=GRID, linewidth=0.8, zorder=1)
        axes.set_yticks(ys, [_short(label) for label, _values in points])
        axes.set_xlim(-0.03, 1.03)
        axes.set_ylim(-0.6, len(points) - 0.4)
        axes.xaxis.set_major_locator(MultipleLocator(0.25))
        axes.xaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: f"{value * 100:.0f}\u00a0%")
        )
        axes.grid(axis="x", color=GRID, linewidth=0.8, zorder=0)
        axes.set_axisbelow(True)
        axes.spines[["top", "right", "left"]].set_visible(False)
        axes.tick_params(axis="y", length=0)
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.08),
            ncols=min(len(columns), 3),
            frameon=False,
            handletextpad=0.3,
            columnspacing=1.2,
        )
        return svg_text(figure)


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------------------
# Export


def results_tables(results: RoundResults) -> list[Table]:
    """The response rate and the results per question, as the page shows them (hidden
    figures empty), for Excel (two sheets) and CSV (the results)."""
    survey_round = results.survey_round
    notes = [
        _("%(title)s, %(opens)s–%(closes)s. Enkät: %(instrument)s.")
        % {
            "title": survey_round.title,
            "opens": survey_round.opens_on.isoformat(),
            "closes": survey_round.closes_on.isoformat(),
            "instrument": results.instrument.name,
        },
        _(
            "Andel som instämmer: svar %(agree)s eller högre på skalan %(low)s–%(high)s. "
            "”Vet ej” räknas inte. Tomma celler: färre än %(k)s har svarat, eller döljs "
            "för att de inte ska kunna räknas fram ur totalen."
        )
        % {
            "agree": results.instrument.agree_from
            if results.instrument.agree_from is not None
            else "–",
            "low": results.instrument.scale_min,
            "high": results.instrument.scale_max,
            "k": results.min_cell,
        },
    ]
    rate = Table(
        title=_("Svarsfrekvens"),
        columns=[_("Grupp"), _("Utskickade länkar"), _("Svar"), _("Svarsfrekvens")],
        rows=[[row.label, row.issued, row.responses, row.rate] for row in results.counts],
        notes=notes[:1],
        formats={3: PERCENT},
    )
    columns = [_("Fråga"), _("Kod")]
    formats: dict[int, str] = {}
    for _code, label in results.columns:
        formats[len(columns)] = PERCENT
        formats[len(columns) + 1] = DECIMAL
        columns += [
            _("Andel som instämmer – %(group)s") % {"group": label},
            _("Medelvärde – %(group)s") % {"group": label},
            _("Antal svar – %(group)s") % {"group": label},
        ]
    rows: list[list[Any]] = []
    for row in results.questions:
        line: list[Any] = [row.question.text, row.question.code]
        for figure in row.figures:
            line += [figure.share, figure.mean, figure.answered]
        rows.append(line)
    per_question = Table(
        title=_("Resultat per fråga"),
        columns=columns,
        rows=rows,
        notes=notes,
        formats=formats,
    )
    return [per_question, rate]


# ---------------------------------------------------------------------------
# The goal map's survey_agree_share on collaboration questions


def parse_groups(value: Any) -> tuple[list[str], list[str]]:
    """The respondent groups an indicator's `group` names ("styrelse", or several
    separated by commas): (known codes, unknown words)."""
    words = [word.strip() for word in str(value or "").split(",") if word.strip()]
    known = [word for word in words if word in RespondentGroup.values]
    return known, [word for word in words if word not in RespondentGroup.values]


def collaboration_agree_counts(
    *,
    association: Association,
    questions: Iterable[InstrumentQuestion],
    start: datetime.date,
    end: datetime.date,
    groups: Sequence[str] = (),
) -> tuple[int, int]:
    """(answers, answers that agree) to the collaboration questions, submitted from
    `start` to `end`, of the given respondent groups (all when none); "vet ej" is no
    answer."""
    agree = Q()
    wanted = [q for q in questions if q.instrument.agree_from is not None]
    if not wanted:
        return 0, 0
    for question in wanted:
        agree |= Q(question=question, value__gte=question.instrument.agree_from)
    with scope(association=association):
        answers = SurveyAnswer.objects.filter(
            association=association,
            question__in=wanted,
            response__submitted_on__gte=start,
            response__submitted_on__lte=end,
        )
        if groups:
            answers = answers.filter(response__group__in=list(groups))
        totals = answers.aggregate(n=Count("id"), agree=Count("id", filter=agree))
    return totals["n"] or 0, totals["agree"] or 0
