"""The metrics an indicator computes itself (plan-format.md, "Metrics"), over any
`Period`, raw (before suppression; `goals.evaluation` suppresses for the viewer).

Participant metrics generalise the year definitions of spec/participant-file.md to a
period [start, end]:

* participants: enrolled at any time in the period (started on or before its end,
  not exited before its start); for a whole calendar year also the year's anonymous
  participants (`AnonymousCount`) and the counts kept by retention (`RetainedCount`),
  exactly as the participant report counts them. Those two only know years, so a
  shorter period counts rows alone;
* participants_started / participants_exited: started / exited in the period (with
  retained counts for a whole year);
* step_progress_share: exited in the period with stegförflyttning / exited;
* exit_outcome_share (`outcome`): exited with that outcome / exited;
* handover_share: exited with a planned hand-over (`handover_to`) / exited. Retained
  counts do not keep the hand-over, so they are left out of both counts.

Every participant metric takes the filters `intervention` (an insats's name; default
the whole förbund) and `gender` (a kön code). They are derived in Python from
`ParticipantCounts`, a handful of aggregate queries per period, so a goal map with
many indicators costs the same few queries.

Other sources:

* survey_agree_share (`question`): answers dated in the period to the questions with
  that code (`InstrumentQuestion.code` where the installation has it, else the
  question's short label slugified); agree = value ≥ the instrument's `agree_from`.
  A question of a collaboration survey counts the answers submitted in the period
  through its rounds' links (`structural.surveys`), of the respondent groups in
  `group` ("styrelse", or several separated by commas; default all); "vet ej" is no
  answer, and the insats and kön filters do not apply.
* screening_coverage (`instrument`: its code or name): of the participants who
  started in the period in the insatser that use the instrument (all insatser when
  none is attached), the share with a response of the instrument dated from their
  start to the end of the period.
* equity_ratio, admin_share: from the budget of the plan governing the period's year
  (closing equity / revenues; admin costs / costs), budget-based, not actuals.
* budget_adherence: actual costs to the end of the finance period that ends with the
  period / the year's budgeted costs pro rata for the months (helår: all of it).
* activities (`kind`: an activity kind's code or name): structural activities held
  (not cancelled) whose first day is in the period (`structural.selectors`), for one
  insats with the `intervention` filter; an unknown kind is not measurable.
* deviations: avvikelser (not guldkorn) reported in the period
  (`structural.selectors_deviations`), for one insats with the `intervention` filter;
  they are not counted by kön.
* full_year_equivalents: not measurable yet.
* manual: the value entered for exactly the period, or for a whole year the latest
  value entered for a period within it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.goals.periods import Period
from stegvis.participants.models import AnonymousCount, Participant, RetainedCount
from stegvis.participants.vocabulary import GENDERS, OUTCOMES, is_step_progress

Unit = Literal["share", "count", "ratio", "amount"]
SHARE_PLACES = Decimal("0.0001")

PARTICIPANTS = "participants"
STARTED = "participants_started"
EXITED = "participants_exited"
STEP_PROGRESS = "step_progress_share"
EXIT_OUTCOME = "exit_outcome_share"
HANDOVER = "handover_share"
SURVEY = "survey_agree_share"
SCREENING = "screening_coverage"
ACTIVITIES = "activities"
DEVIATIONS = "deviations"
EQUITY_RATIO = "equity_ratio"
ADMIN_SHARE = "admin_share"
BUDGET_ADHERENCE = "budget_adherence"
FULL_YEAR_EQUIVALENTS = "full_year_equivalents"
MANUAL = "manual"

FILTERS = ("intervention", "gender")


@dataclass
class MetricResult:
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    measurable: bool
    reason: str
    unit: Unit
    suppressed: bool = False
    # Labelled counts behind the value, e.g. [("Avslutade", 37), ("med stegförflyttning", 22)].
    breakdown: list[tuple[str, int | None]] = field(default_factory=list)


@dataclass(frozen=True)
class MetricSpec:
    label: Any  # a lazy Swedish string
    unit: Unit
    needs: tuple[str, ...] = ()  # required extra keys
    optional: tuple[str, ...] = ()  # optional extra keys (besides the filters)
    measurable_now: bool = True
    participant_based: bool = False  # suppressed below the förbund's min cell

    def __getitem__(self, key: str) -> Any:  # METRICS[code]["label"] reads as well
        return getattr(self, key)


METRICS: dict[str, MetricSpec] = {
    PARTICIPANTS: MetricSpec(_("Deltagare under perioden"), "count", participant_based=True),
    STARTED: MetricSpec(_("Påbörjade under perioden"), "count", participant_based=True),
    EXITED: MetricSpec(_("Avslutade under perioden"), "count", participant_based=True),
    STEP_PROGRESS: MetricSpec(
        _("Andel avslutade med stegförflyttning"), "share", participant_based=True
    ),
    EXIT_OUTCOME: MetricSpec(
        _("Andel avslutade med en avslutsorsak"),
        "share",
        needs=("outcome",),
        participant_based=True,
    ),
    HANDOVER: MetricSpec(
        _("Andel avslutade med planerad överlämning"), "share", participant_based=True
    ),
    SURVEY: MetricSpec(
        _("Andel svar som instämmer"),
        "share",
        needs=("question",),
        optional=("group",),
        participant_based=True,
    ),
    SCREENING: MetricSpec(
        _("Andel påbörjade som screenats"), "share", needs=("instrument",), participant_based=True
    ),
    ACTIVITIES: MetricSpec(
        _("Samverkansaktiviteter under perioden"),
        "count",
        optional=("kind",),
    ),
    DEVIATIONS: MetricSpec(_("Rapporterade avvikelser"), "count"),
    EQUITY_RATIO: MetricSpec(_("Eget kapital i förhållande till intäkterna"), "share"),
    ADMIN_SHARE: MetricSpec(_("Andel administrationskostnader"), "share"),
    BUDGET_ADHERENCE: MetricSpec(_("Utfall i förhållande till budget (kostnader)"), "share"),
    FULL_YEAR_EQUIVALENTS: MetricSpec(
        _("Helårsekvivalenter (SCB)"),
        "ratio",
        optional=("municipality",),
        measurable_now=False,
    ),
    MANUAL: MetricSpec(_("Inmatat värde"), "ratio", optional=("source", "unit")),
}

NOT_YET: dict[str, Any] = {
    FULL_YEAR_EQUIVALENTS: _("Statistik från SCB finns inte i Stegvis än."),
}


def metric_label(code: str) -> str:
    spec = METRICS.get(code)
    return str(spec.label) if spec is not None else code


def metric_unit(code: str, params: Mapping[str, Any] | None = None) -> Unit:
    if code == MANUAL and params and params.get("unit") in ("share", "count", "ratio", "amount"):
        return params["unit"]
    spec = METRICS.get(code)
    return spec.unit if spec is not None else "ratio"


def is_participant_based(code: str) -> bool:
    spec = METRICS.get(code)
    return spec is not None and spec.participant_based


def ratio(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def not_measurable(unit: Unit, reason: str | Promise) -> MetricResult:
    return MetricResult(
        value=None,
        numerator=None,
        denominator=None,
        measurable=False,
        reason=str(reason),
        unit=unit,
    )


def share_result(
    numerator: int, denominator: int, breakdown: list[tuple[str, int | None]], empty_reason: str
) -> MetricResult:
    if denominator == 0:
        return MetricResult(
            value=None,
            numerator=0,
            denominator=0,
            measurable=False,
            reason=empty_reason,
            unit="share",
            breakdown=breakdown,
        )
    return MetricResult(
        value=ratio(numerator, denominator),
        numerator=numerator,
        denominator=denominator,
        measurable=True,
        reason="",
        unit="share",
        breakdown=breakdown,
    )


def count_result(number: int, breakdown: list[tuple[str, int | None]]) -> MetricResult:
    return MetricResult(
        value=Decimal(number),
        numerator=number,
        denominator=None,
        measurable=True,
        reason="",
        unit="count",
        breakdown=breakdown,
    )


# ---------------------------------------------------------------------------
# Participant counts of a period


@dataclass
class ParticipantCounts:
    """A period's participant counts by (insats id, kön): enrolled, started, and the
    exits by outcome and hand-over. Retained and anonymous counts are included for a
    whole year as the participant report does."""

    period: Period
    enrolled: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    started: dict[tuple[int, str], int] = field(default_factory=lambda: defaultdict(int))
    # (insats id, kön, outcome, handed over) → n; handed over is None for retained counts
    exited: dict[tuple[int, str, str, bool | None], int] = field(
        default_factory=lambda: defaultdict(int)
    )

    def _match(self, key: tuple[Any, ...], intervention_id: int | None, gender: str | None) -> bool:
        return (intervention_id is None or key[0] == intervention_id) and (
            gender is None or key[1] == gender
        )

    def total(
        self, table: Mapping[tuple[Any, ...], int], intervention_id: int | None, gender: str | None
    ) -> int:
        return sum(n for key, n in table.items() if self._match(key, intervention_id, gender))

    def exits(
        self,
        intervention_id: int | None,
        gender: str | None,
        keep: Callable[[str, bool | None], bool] = lambda outcome, handed: True,
    ) -> int:
        return sum(
            n
            for key, n in self.exited.items()
            if self._match(key, intervention_id, gender) and keep(key[2], key[3])
        )


def participant_counts(*, association: Association, period: Period) -> ParticipantCounts:
    """The period's counts in four aggregate queries (two for a period shorter than a year)."""
    counts = ParticipantCounts(period=period)
    with scope(association=association):
        enrolled = Participant.objects.filter(
            association=association, start__lte=period.end
        ).filter(Q(exit__isnull=True) | Q(exit__gte=period.start))
        for intervention_id, gender, n, started in (
            enrolled.values("intervention_id", "gender")
            .annotate(n=Count("id"), started=Count("id", filter=Q(start__gte=period.start)))
            .values_list("intervention_id", "gender", "n", "started")
        ):
            counts.enrolled[(intervention_id, gender)] += n
            counts.started[(intervention_id, gender)] += started
        for intervention_id, gender, outcome, n, handed in (
            Participant.objects.filter(
                association=association, exit__gte=period.start, exit__lte=period.end
            )
            .values("intervention_id", "gender", "outcome")
            .annotate(n=Count("id"), handed=Count("id", filter=Q(handover_to__isnull=False)))
            .values_list("intervention_id", "gender", "outcome", "n", "handed")
        ):
            if handed:
                counts.exited[(intervention_id, gender, outcome, True)] += handed
            if n - handed:
                counts.exited[(intervention_id, gender, outcome, False)] += n - handed
        if period.is_full_year:
            year = period.year
            for (
                intervention_id,
                gender,
                start_year,
                exit_year,
                outcome,
                n,
            ) in RetainedCount.objects.filter(
                association=association, start_year__lte=year, exit_year__gte=year
            ).values_list(
                "intervention_id", "gender", "start_year", "exit_year", "outcome", "count"
            ):
                counts.enrolled[(intervention_id, gender)] += n
                if start_year == year:
                    counts.started[(intervention_id, gender)] += n
                if exit_year == year:
                    counts.exited[(intervention_id, gender, outcome, None)] += n
            for intervention_id, gender, n in (
                AnonymousCount.objects.filter(association=association, year=year)
                .values("intervention_id", "gender")
                .annotate(n=Sum("count"))
                .values_list("intervention_id", "gender", "n")
            ):
                counts.enrolled[(intervention_id, gender)] += n or 0
    return counts


# ---------------------------------------------------------------------------
# Filters


@dataclass(frozen=True)
class Filters:
    intervention_id: int | None
    gender: str | None
    problem: str = ""  # why the filters cannot be applied ("" when they can)


def resolve_filters(
    *, association: Association, params: Mapping[str, Any], interventions: Mapping[str, int] | None
) -> Filters:
    """The insats (by name) and kön of an indicator's params."""
    name = (params.get("intervention") or "").strip()
    gender = params.get("gender") or None
    if gender is not None and gender not in GENDERS:
        return Filters(None, None, gettext("Okänt kön: ”%(code)s”.") % {"code": gender})
    if not name:
        return Filters(None, gender)
    if interventions is None:
        interventions = intervention_ids(association=association)
    if name not in interventions:
        return Filters(
            None, gender, gettext("Insatsen ”%(name)s” finns inte i förbundet.") % {"name": name}
        )
    return Filters(interventions[name], gender)


def intervention_ids(*, association: Association) -> dict[str, int]:
    from stegvis.interventions.models import Intervention

    with scope(association=association):
        return dict(Intervention.objects.filter(association=association).values_list("name", "pk"))


# ---------------------------------------------------------------------------
# The metrics


def participant_metric(
    *, metric: str, params: Mapping[str, Any], counts: ParticipantCounts, filters: Filters
) -> MetricResult:
    unit = metric_unit(metric)
    if filters.problem:
        return not_measurable(unit, filters.problem)
    iid, gender = filters.intervention_id, filters.gender
    if metric == PARTICIPANTS:
        n = counts.total(counts.enrolled, iid, gender)
        return count_result(n, [(gettext("Deltagare under perioden"), n)])
    if metric == STARTED:
        n = counts.total(counts.started, iid, gender)
        return count_result(n, [(gettext("Påbörjade under perioden"), n)])
    if metric == EXITED:
        n = counts.exits(iid, gender)
        return count_result(n, [(gettext("Avslutade under perioden"), n)])
    no_exits = gettext("Ingen deltagare avslutades under perioden.")
    if metric == STEP_PROGRESS:
        exited = counts.exits(iid, gender)
        part = counts.exits(iid, gender, lambda outcome, _h: is_step_progress(outcome))
        return share_result(
            part,
            exited,
            [(gettext("Avslutade"), exited), (gettext("med stegförflyttning"), part)],
            no_exits,
        )
    if metric == EXIT_OUTCOME:
        outcome = params.get("outcome") or ""
        if outcome not in OUTCOMES:
            return not_measurable(
                unit, gettext("Avslutsorsaken ”%(code)s” finns inte.") % {"code": outcome}
            )
        exited = counts.exits(iid, gender)
        part = counts.exits(iid, gender, lambda code, _h: code == outcome)
        return share_result(
            part,
            exited,
            [
                (gettext("Avslutade"), exited),
                (gettext("med avslutsorsak %(code)s") % {"code": outcome}, part),
            ],
            no_exits,
        )
    if metric == HANDOVER:
        exited = counts.exits(iid, gender, lambda _o, handed: handed is not None)
        part = counts.exits(iid, gender, lambda _o, handed: handed is True)
        return share_result(
            part,
            exited,
            [(gettext("Avslutade"), exited), (gettext("med planerad överlämning"), part)],
            no_exits,
        )
    raise ValueError(f"not a participant count metric: {metric}")


COUNT_METRICS = frozenset({PARTICIPANTS, STARTED, EXITED, STEP_PROGRESS, EXIT_OUTCOME, HANDOVER})


def _questions(association: Association, code: str) -> list[Any]:
    """The survey questions a `question` code names: by `code` where the installation
    has that field, else by the short label (or text) slugified."""
    from stegvis.instruments.models import InstrumentQuestion

    has_code = any(f.name == "code" for f in InstrumentQuestion._meta.get_fields())
    wanted = slugify(code)
    with scope(association=association):
        questions = list(
            InstrumentQuestion.objects.filter(association=association).select_related("instrument")
        )
    by_code = [q for q in questions if has_code and getattr(q, "code", "") == code]
    if by_code:
        return by_code
    return [
        q
        for q in questions
        if wanted
        and (
            slugify(q.short_label) == wanted
            or (has_code and slugify(getattr(q, "code", "")) == wanted)
        )
    ]


def survey_agree_share(
    *, association: Association, params: Mapping[str, Any], period: Period, filters: Filters
) -> MetricResult:
    from stegvis.instruments.models import ResponseAnswer

    if filters.problem:
        return not_measurable("share", filters.problem)
    code = str(params.get("question") or "")
    questions = [q for q in _questions(association, code) if q.instrument.agree_from is not None]
    if not questions:
        return not_measurable(
            "share",
            gettext("Frågan ”%(code)s” finns inte i något instrument med en gräns för instämmer.")
            % {"code": code},
        )
    # Collaboration surveys (samverkansenkät) are answered through anonymous links by
    # respondent groups (`group`), never by participants: no insats, no kön.
    collaboration = [q for q in questions if q.instrument.kind == "collaboration"]
    questions = [q for q in questions if q.instrument.kind != "collaboration"]
    total = part = 0
    if collaboration:
        from stegvis.structural.surveys import collaboration_agree_counts, parse_groups

        groups, unknown = parse_groups(params.get("group"))
        if unknown:
            return not_measurable(
                "share",
                gettext("Okänd svarsgrupp: ”%(code)s”.") % {"code": ", ".join(unknown)},
            )
        if filters.intervention_id is not None or filters.gender is not None:
            return not_measurable(
                "share",
                gettext(
                    "Samverkansenkäter besvaras anonymt och kan inte delas upp på insats eller kön."
                ),
            )
        total, part = collaboration_agree_counts(
            association=association,
            questions=collaboration,
            start=period.start,
            end=period.end,
            groups=groups,
        )
    elif params.get("group"):
        return not_measurable(
            "share", gettext("Svarsgrupp gäller bara påståenden i samverkansenkäter.")
        )
    if questions:
        agree = Q()
        for question in questions:
            agree |= Q(question=question, value__gte=question.instrument.agree_from)
        with scope(association=association):
            answers = ResponseAnswer.objects.filter(
                association=association,
                question__in=questions,
                response__date__gte=period.start,
                response__date__lte=period.end,
            )
            if filters.intervention_id is not None:
                answers = answers.filter(
                    response__participant__intervention_id=filters.intervention_id
                )
            if filters.gender is not None:
                answers = answers.filter(response__participant__gender=filters.gender)
            totals = answers.aggregate(n=Count("id"), agree=Count("id", filter=agree))
        total, part = total + (totals["n"] or 0), part + (totals["agree"] or 0)
    return share_result(
        part,
        total,
        [(gettext("Svar"), total), (gettext("som instämmer"), part)],
        gettext("Inga svar på frågan under perioden."),
    )


def _instrument(association: Association, code: str) -> Any:
    from stegvis.instruments.models import Instrument

    has_code = any(f.name == "code" for f in Instrument._meta.get_fields())
    with scope(association=association):
        instruments = list(Instrument.objects.filter(association=association))
    for instrument in instruments:
        if has_code and getattr(instrument, "code", "") == code:
            return instrument
    for instrument in instruments:
        if instrument.name == code or slugify(instrument.name) == slugify(code):
            return instrument
    return None


def screening_participants(
    *, association: Association, instrument: Any, period: Period, filters: Filters
) -> QuerySet[Participant]:
    """The participants a coverage is counted over: started in the period, in the
    insatser that use the instrument (all when none is attached)."""
    from stegvis.instruments.models import InterventionInstrument

    started = Participant.objects.filter(
        association=association, start__gte=period.start, start__lte=period.end
    )
    users = list(
        InterventionInstrument.objects.filter(instrument=instrument).values_list(
            "intervention_id", flat=True
        )
    )
    if users:
        started = started.filter(intervention_id__in=users)
    if filters.intervention_id is not None:
        started = started.filter(intervention_id=filters.intervention_id)
    if filters.gender is not None:
        started = started.filter(gender=filters.gender)
    return started


def screening_coverage(
    *, association: Association, params: Mapping[str, Any], period: Period, filters: Filters
) -> MetricResult:
    from stegvis.instruments.models import Response

    if filters.problem:
        return not_measurable("share", filters.problem)
    code = str(params.get("instrument") or "")
    instrument = _instrument(association, code)
    if instrument is None:
        return not_measurable(
            "share", gettext("Instrumentet ”%(code)s” finns inte.") % {"code": code}
        )
    with scope(association=association):
        started = screening_participants(
            association=association, instrument=instrument, period=period, filters=filters
        )
        screened = Response.objects.filter(
            participant=OuterRef("pk"),
            instrument=instrument,
            date__gte=OuterRef("start"),
            date__lte=period.end,
        )
        totals = started.aggregate(n=Count("id"), covered=Count("id", filter=Exists(screened)))
    covered = totals["covered"] or 0
    total = totals["n"] or 0
    return share_result(
        covered,
        total,
        [
            (gettext("Påbörjade under perioden"), total),
            (gettext("screenade med %(name)s") % {"name": instrument.name}, covered),
        ],
        gettext("Ingen deltagare påbörjade under perioden."),
    )


def _plan_figures(association: Association, year: int) -> Any:
    from stegvis.finance import actuals, budget

    with scope(association=association):
        plan = actuals.plan_for_year(association=association, year=year)
        if plan is None:
            return None, None
        figures = {f.year: f for f in budget.year_figures(actuals.plan_budget(plan=plan))}
    return plan, figures.get(year)


def equity_ratio(*, association: Association, period: Period) -> MetricResult:
    plan, figures = _plan_figures(association, period.year)
    if figures is None:
        return not_measurable(
            "share", gettext("Det finns ingen budget för %(year)s.") % {"year": period.year}
        )
    value = ratio(figures.closing_equity, figures.revenues)
    if value is None:
        return not_measurable("share", gettext("Budgeten har inga intäkter för året."))
    return MetricResult(
        value=value,
        numerator=figures.closing_equity,
        denominator=figures.revenues,
        measurable=True,
        reason=gettext("Enligt budgeten (%(plan)s), inte utfallet.") % {"plan": plan},
        unit="share",
        breakdown=[
            (gettext("Utgående eget kapital (kr)"), figures.closing_equity),
            (gettext("Intäkter (kr)"), figures.revenues),
        ],
    )


def admin_share(*, association: Association, period: Period) -> MetricResult:
    plan, figures = _plan_figures(association, period.year)
    if figures is None:
        return not_measurable(
            "share", gettext("Det finns ingen budget för %(year)s.") % {"year": period.year}
        )
    if figures.admin_share is None:
        return not_measurable("share", gettext("Budgeten har inga kostnader för året."))
    from stegvis.finance.actuals import plan_rules

    with scope(association=association):
        rules = plan_rules(plan=plan)
    admin = sum(v for k, v in figures.costs_by_category.items() if k in rules.admin_categories)
    return MetricResult(
        value=figures.admin_share,
        numerator=admin,
        denominator=figures.costs,
        measurable=True,
        reason=gettext("Enligt budgeten (%(plan)s), inte utfallet.") % {"plan": plan},
        unit="share",
        breakdown=[
            (gettext("Administrationskostnader (kr)"), admin),
            (gettext("Kostnader (kr)"), figures.costs),
        ],
    )


def budget_adherence(*, association: Association, period: Period) -> MetricResult:
    from stegvis.finance import actuals
    from stegvis.finance.models import BudgetLine, ReportingPeriod

    month = period.end_month
    if month is None:
        return not_measurable(
            "share",
            gettext("Utfall följs upp från januari till en periods slut, inte för valfria datum."),
        )
    with scope(association=association):
        finance_period = ReportingPeriod.objects.filter(
            association=association, end_month=month
        ).first()
        plan = actuals.plan_for_year(association=association, year=period.year)
        if finance_period is None or plan is None:
            return not_measurable("share", gettext("Det finns inget utfall för perioden."))
        cost_lines = set(
            BudgetLine.objects.filter(plan=plan, side=BudgetLine.Side.COST).values_list(
                "pk", flat=True
            )
        )
        recorded = actuals.actuals_for(plan=plan, year=period.year, period=finance_period)
        budgeted = actuals.budget_for_year(plan=plan, year=period.year)
    actual_costs = [amount for line, amount in recorded.items() if line in cost_lines]
    if not actual_costs:
        return not_measurable("share", gettext("Det finns inget utfall för perioden."))
    actual = sum(actual_costs)
    year_budget = sum(amount for line, amount in budgeted.items() if line in cost_lines)
    planned = int((Decimal(year_budget) * month / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    value = ratio(actual, planned)
    if value is None:
        return not_measurable("share", gettext("Budgeten har inga kostnader för året."))
    return MetricResult(
        value=value,
        numerator=actual,
        denominator=planned,
        measurable=True,
        reason=(
            ""
            if month == 12
            else gettext("Budgeten räknad i proportion till periodens %(months)s månader.")
            % {"months": month}
        ),
        unit="share",
        breakdown=[
            (gettext("Kostnader, utfall (kr)"), actual),
            (gettext("Kostnader, budget för perioden (kr)"), planned),
        ],
    )


def activities(
    *, association: Association, params: Mapping[str, Any], period: Period, filters: Filters
) -> MetricResult:
    """Structural activities held in the period, of one kind (`kind`) when given."""
    from stegvis.structural import selectors as structural

    if filters.problem:
        return not_measurable("count", filters.problem)
    code = str(params.get("kind") or "").strip()
    kind = structural.kind_for_code(association=association, code=code) if code else None
    if code and kind is None:
        return not_measurable(
            "count",
            gettext(
                "Slaget ”%(code)s” finns inte bland förbundets slag av aktiviteter "
                "(Samverkan › Aktiviteter › Slag av aktiviteter)."
            )
            % {"code": code},
        )
    choice: dict[str, Any] = {
        "association": association,
        "start": period.start,
        "end": period.end,
        "kind_code": kind[0] if kind else None,
        "intervention_id": filters.intervention_id,
    }
    n, participants = structural.activity_totals(**choice)
    label = (
        gettext("%(kind)s under perioden") % {"kind": kind[1]}
        if kind
        else gettext("Aktiviteter under perioden")
    )
    return count_result(n, [(label, n), (gettext("Deltagare i dem"), participants)])


def deviations(*, association: Association, period: Period, filters: Filters) -> MetricResult:
    """Avvikelser reported in the period; the guldkorn beside them for context."""
    from stegvis.structural import selectors_deviations as structural_deviations

    if filters.problem:
        return not_measurable("count", filters.problem)
    if filters.gender is not None:
        return not_measurable("count", gettext("Avvikelser räknas inte per kön."))
    choice: dict[str, Any] = {
        "association": association,
        "start": period.start,
        "end": period.end,
        "intervention_id": filters.intervention_id,
    }
    with scope(association=association):
        n = structural_deviations.deviation_count(**choice)
        good = structural_deviations.good_example_count(**choice)
    return count_result(
        n,
        [
            (gettext("Rapporterade avvikelser under perioden"), n),
            (gettext("Guldkorn under perioden (räknas inte)"), good),
        ],
    )


def manual_value_for(indicator_id: int, period: Period, values: list[Any]) -> Any:
    """The ManualValue for the period among `values` (one indicator's, any order)."""
    exact = [v for v in values if v.period_start == period.start and v.period_end == period.end]
    if exact:
        return exact[0]
    if period.is_full_year:
        within = [
            v for v in values if v.period_start >= period.start and v.period_end <= period.end
        ]
        if within:
            return max(within, key=lambda v: (v.period_end, v.period_start))
    return None


def manual_result(value: Any, params: Mapping[str, Any]) -> MetricResult:
    unit = metric_unit(MANUAL, params)
    if value is None:
        return not_measurable(unit, gettext("Inget värde inmatat för perioden."))
    return MetricResult(
        value=Decimal(value.value),
        numerator=None,
        denominator=None,
        measurable=True,
        reason=gettext("Inmatat värde, källa: %(source)s") % {"source": value.source},
        unit=unit,
    )


def metric_compute(
    *,
    association: Association,
    metric: str,
    params: Mapping[str, Any] | None,
    period: Period,
    counts: ParticipantCounts | None = None,
    interventions: Mapping[str, int] | None = None,
    indicator: Any = None,
) -> MetricResult:
    """The metric's raw value over the period. `counts` (the period's participant
    counts) and `interventions` (name → id) may be passed in when many metrics are
    computed together; `indicator` is needed for `manual`."""
    params = params or {}
    spec = METRICS.get(metric)
    if spec is None:
        return not_measurable("ratio", gettext("Okänt mått: ”%(code)s”.") % {"code": metric})
    if not spec.measurable_now:
        return not_measurable(spec.unit, NOT_YET[metric])
    if metric == MANUAL:
        if indicator is None:
            return not_measurable(spec.unit, gettext("Inget värde inmatat för perioden."))
        with scope(association=association):
            values = list(indicator.manual_values.all())
        return manual_result(manual_value_for(indicator.pk, period, values), params)
    if metric == EQUITY_RATIO:
        return equity_ratio(association=association, period=period)
    if metric == ADMIN_SHARE:
        return admin_share(association=association, period=period)
    if metric == BUDGET_ADHERENCE:
        return budget_adherence(association=association, period=period)
    filters = resolve_filters(association=association, params=params, interventions=interventions)
    if metric == ACTIVITIES:
        return activities(association=association, params=params, period=period, filters=filters)
    if metric == DEVIATIONS:
        return deviations(association=association, period=period, filters=filters)
    if metric == SURVEY:
        return survey_agree_share(
            association=association, params=params, period=period, filters=filters
        )
    if metric == SCREENING:
        return screening_coverage(
            association=association, params=params, period=period, filters=filters
        )
    if counts is None:
        counts = participant_counts(association=association, period=period)
    return participant_metric(metric=metric, params=params, counts=counts, filters=filters)


def rows_behind(
    *, association: Association, metric: str, params: Mapping[str, Any] | None, period: Period
) -> QuerySet[Participant] | None:
    """The participant rows a participant metric counts (the denominator's rows for a
    share), for drill-down by staff allowed to see rows; None for other metrics.
    Retained and anonymous counts have no rows. Call inside the förbund's scope."""
    params = params or {}
    if metric not in COUNT_METRICS and metric != SCREENING:
        return None
    filters = resolve_filters(association=association, params=params, interventions=None)
    if filters.problem:
        return Participant.objects.none()
    if metric == SCREENING:
        instrument = _instrument(association, str(params.get("instrument") or ""))
        if instrument is None:
            return Participant.objects.none()
        return screening_participants(
            association=association, instrument=instrument, period=period, filters=filters
        )
    rows = Participant.objects.filter(association=association)
    if metric == PARTICIPANTS:
        rows = rows.filter(start__lte=period.end).filter(
            Q(exit__isnull=True) | Q(exit__gte=period.start)
        )
    elif metric == STARTED:
        rows = rows.filter(start__gte=period.start, start__lte=period.end)
    else:
        rows = rows.filter(exit__gte=period.start, exit__lte=period.end)
    if filters.intervention_id is not None:
        rows = rows.filter(intervention_id=filters.intervention_id)
    if filters.gender is not None:
        rows = rows.filter(gender=filters.gender)
    return rows.select_related("intervention")
