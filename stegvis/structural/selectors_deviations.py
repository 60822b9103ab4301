"""Reads of avvikelser and guldkorn: who sees which case, the count that feeds the goal
map's `deviations` metric, the learning overview for the board ("Lärande") and the
tables for Excel.

Who sees what (the pages use these functions rather than comparing roles):

* the kansli (MANAGE_COLLABORATION) sees every case of the förbund and who reported it;
* staff who report (REPORT_DEVIATIONS) see the cases they reported themselves, and
  an insatsansvarig (EDIT_OWN_INTERVENTION) also the cases of the insatser they work
  with, whose styrgrupp they sit in; a case outside that answers 404;
* the board and other readers (VIEW_COLLABORATION) see the learning overview only:
  counts, closed cases' measures and learning, guldkorn, never who reported.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.associations.models import Association, WorkingGroup, ordered_by
from stegvis.associations.roles import Permission
from stegvis.core.exporters import Table
from stegvis.goals.periods import Period, periods_for
from stegvis.interventions.models import Intervention, InterventionStaff
from stegvis.structural.models import Deviation, DeviationCategory
from stegvis.structural.personal_data import known_words_of

Kind = Deviation.Kind
Status = Deviation.Status


# ---------------------------------------------------------------------------
# Access


def _staff_intervention_ids(association: Association, user: Any) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        InterventionStaff.objects.filter(association=association, user=user).values_list(
            "intervention_id", flat=True
        )
    )


def can_manage(permissions: Collection[str]) -> bool:
    return Permission.MANAGE_COLLABORATION in permissions


def visible_deviations(
    *, association: Association, user: Any, permissions: Collection[str]
) -> QuerySet[Deviation]:
    """The cases this person may open (see the module's docstring)."""
    cases = Deviation.objects.filter(association=association)
    if can_manage(permissions):
        return cases
    if Permission.REPORT_DEVIATIONS not in permissions or not user.is_authenticated:
        return cases.none()
    mine = Q(reported_by=user)
    if Permission.EDIT_OWN_INTERVENTION in permissions:
        mine |= Q(intervention_id__in=_staff_intervention_ids(association, user))
    return cases.filter(mine)


def deviation_for(
    *, association: Association, user: Any, permissions: Collection[str], pk: int
) -> Deviation | None:
    return (
        visible_deviations(association=association, user=user, permissions=permissions)
        .filter(pk=pk)
        .select_related("intervention", "category", "handled_by", "reported_by")
        .prefetch_related("members")
        .first()
    )


def reportable_interventions(
    *, association: Association, user: Any, permissions: Collection[str]
) -> QuerySet[Intervention]:
    """The insatser this person may report a case for: every insats for the kansli,
    the insatser one works with (InterventionStaff) for everyone else."""
    interventions = Intervention.objects.filter(association=association).order_by("name")
    if can_manage(permissions):
        return interventions.exclude(
            status__in=[Intervention.Status.APPLIED, Intervention.Status.REJECTED]
        )
    if Permission.REPORT_DEVIATIONS not in permissions:
        return interventions.none()
    return interventions.filter(pk__in=_staff_intervention_ids(association, user))


def categories(*, association: Association, active_only: bool = True) -> QuerySet[Any]:
    found = DeviationCategory.objects.filter(association=association)
    if active_only:
        found = found.filter(active=True)
    return found.order_by("position", "name")


def category_rows(*, association: Association) -> list[tuple[DeviationCategory, int]]:
    """Every category with the number of cases in it."""
    return [
        (category, category.n)
        for category in categories(association=association, active_only=False).annotate(
            n=Count("deviations")
        )
    ]


def handling_groups(*, association: Association) -> QuerySet[WorkingGroup]:
    """The groups a case may be handled by: styrgrupper first, then the others."""
    return WorkingGroup.objects.filter(association=association).order_by(
        ordered_by("kind", [WorkingGroup.Kind.STEERING]), "kind", "name"
    )


def known_words_for(association: Association) -> frozenset[str]:
    """The förbund's own names, which the personal data check does not take for a
    person's: members, insatser, groups, categories and the förbund itself."""
    names: list[str] = [association.name, association.seat]
    names += list(association.members.values_list("name", flat=True))
    names += list(
        Intervention.objects.filter(association=association).values_list("name", flat=True)
    )
    names += list(
        WorkingGroup.objects.filter(association=association).values_list("name", flat=True)
    )
    names += list(
        DeviationCategory.objects.filter(association=association).values_list("name", flat=True)
    )
    return known_words_of(names)


def deviation_years(*, association: Association) -> list[int]:
    dates = Deviation.objects.filter(association=association).dates("reported_on", "year")
    return sorted({date.year for date in dates}, reverse=True)


# ---------------------------------------------------------------------------
# The goal map's metric


def deviation_count(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    intervention_id: int | None = None,
) -> int:
    """Avvikelser (not guldkorn) reported from `start` to `end`, both included: the
    `deviations` metric of the plan file ("rapporterade avvikelser")."""
    cases = Deviation.objects.filter(
        association=association,
        kind=Kind.DEVIATION,
        reported_on__gte=start,
        reported_on__lte=end,
    )
    if intervention_id is not None:
        cases = cases.filter(intervention_id=intervention_id)
    return cases.count()


def good_example_count(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    intervention_id: int | None = None,
) -> int:
    cases = Deviation.objects.filter(
        association=association,
        kind=Kind.GOOD_EXAMPLE,
        reported_on__gte=start,
        reported_on__lte=end,
    )
    if intervention_id is not None:
        cases = cases.filter(intervention_id=intervention_id)
    return cases.count()


# ---------------------------------------------------------------------------
# The list


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    status: str | None = None
    category: DeviationCategory | None = None
    intervention: Intervention | None = None
    year: int | None = None

    def apply(self, cases: QuerySet[Deviation]) -> QuerySet[Deviation]:
        if self.kind:
            cases = cases.filter(kind=self.kind)
        if self.status:
            cases = cases.filter(status=self.status)
        if self.category is not None:
            cases = cases.filter(category=self.category)
        if self.intervention is not None:
            cases = cases.filter(intervention=self.intervention)
        if self.year is not None:
            cases = cases.filter(reported_on__year=self.year)
        return cases


def deviation_rows(cases: QuerySet[Deviation]) -> list[Deviation]:
    return list(
        cases.select_related("intervention", "category", "handled_by", "reported_by")
        .prefetch_related("members")
        .order_by("-reported_on", "-pk")
    )


def reporter_name(deviation: Deviation) -> str:
    user = deviation.reported_by
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def deviation_table(rows: Iterable[Deviation], *, with_reporter: bool, notes: list[str]) -> Table:
    columns = [
        _("Slag"),
        _("Status"),
        _("Rubrik"),
        _("Vad hände"),
        _("Inträffade"),
        _("Rapporterad"),
        _("Insats"),
        _("Berörda parter"),
        _("Kategori"),
        _("Hanteras av"),
        _("Åtgärder"),
        _("Lärdom"),
        _("Avslutad"),
    ]
    if with_reporter:
        columns.append(_("Rapporterad av"))
    table_rows: list[list[Any]] = []
    for case in rows:
        row: list[Any] = [
            case.get_kind_display(),
            case.get_status_display(),
            case.title,
            case.description,
            case.occurred_on,
            case.reported_on,
            case.intervention.name if case.intervention else "",
            ", ".join(member.name for member in case.members.all()),
            case.category.name,
            case.handled_by.name if case.handled_by else "",
            case.measures,
            case.learning,
            case.closed_on,
        ]
        if with_reporter:
            row.append(reporter_name(case))
        table_rows.append(row)
    return Table(title=_("Avvikelser och guldkorn"), columns=columns, rows=table_rows, notes=notes)


# ---------------------------------------------------------------------------
# The handling's history


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    status: str
    changed: list[str]


HISTORY_FIELDS = [
    ("status", gettext_lazy("status")),
    ("handled_by_id", gettext_lazy("hanteras av")),
    ("measures", gettext_lazy("åtgärder")),
    ("learning", gettext_lazy("lärdom")),
    ("closed_on", gettext_lazy("avslutad")),
]


def handling_history(deviation: Deviation) -> list[HistoryEntry]:
    """Every version of the case, oldest first: when, by whom, its status then and
    which handling fields changed."""
    entries: list[HistoryEntry] = []
    previous: Any = None
    labels = dict(Status.choices)
    for record in deviation.history.order_by("history_date", "history_id").select_related(
        "history_user"
    ):
        user = record.history_user
        who = (user.get_full_name() or user.get_username()) if user is not None else ""
        if previous is None:
            changed = []
        else:
            changed = [
                str(label)
                for name, label in HISTORY_FIELDS
                if getattr(record, name) != getattr(previous, name)
            ]
        if changed or previous is None:
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=who,
                    status=str(labels.get(record.status, record.status)),
                    changed=changed,
                )
            )
        previous = record
    return entries


# ---------------------------------------------------------------------------
# Lärande: the board's overview


@dataclass
class CaseSummary:
    """A case as the board sees it: never who reported it."""

    kind: str
    kind_label: str
    title: str
    text: str
    category: str
    intervention: str
    members: list[str]
    occurred_on: datetime.date
    reported_on: datetime.date
    closed_on: datetime.date | None
    handled_by: str
    measures: str
    learning: str


@dataclass
class CountRow:
    label: str
    deviations: int = 0
    good_examples: int = 0

    @property
    def total(self) -> int:
        return self.deviations + self.good_examples


@dataclass
class LearningOverview:
    period: Period
    reported: CountRow
    closed: CountRow
    open_deviations: int  # of the period's avvikelser, not closed yet
    mean_days_to_close: int | None  # avvikelser closed in the period
    by_category: list[CountRow] = field(default_factory=list)
    by_status: list[CountRow] = field(default_factory=list)
    by_intervention: list[CountRow] = field(default_factory=list)
    by_member: list[CountRow] = field(default_factory=list)
    by_period: list[tuple[Period, CountRow, CountRow]] = field(default_factory=list)
    learnings: list[CaseSummary] = field(default_factory=list)
    good_examples: list[CaseSummary] = field(default_factory=list)


def _summary(case: Deviation) -> CaseSummary:
    return CaseSummary(
        kind=case.kind,
        kind_label=case.get_kind_display(),
        title=case.title,
        # A guldkorn's story is the point; an avvikelse's details stay with the kansli.
        text=case.description if case.kind == Kind.GOOD_EXAMPLE else "",
        category=case.category.name,
        intervention=case.intervention.name if case.intervention else "",
        members=[member.name for member in case.members.all()],
        occurred_on=case.occurred_on,
        reported_on=case.reported_on,
        closed_on=case.closed_on,
        handled_by=case.handled_by.name if case.handled_by else "",
        measures=case.measures,
        learning=case.learning,
    )


def _count(rows: dict[str, CountRow], label: str, kind: str) -> None:
    row = rows.setdefault(label, CountRow(label))
    if kind == Kind.DEVIATION:
        row.deviations += 1
    else:
        row.good_examples += 1


def _kind_counts(kinds: Iterable[str], label: str) -> CountRow:
    counts = Counter(kinds)
    return CountRow(label, counts[Kind.DEVIATION], counts[Kind.GOOD_EXAMPLE])


def learning_overview(*, association: Association, period: Period) -> LearningOverview:
    """The period's cases for the board: reported in the period by kind, category,
    status (now), insats and member; what was closed in the period with its measures
    and learning; the guldkorn reported in the period; and the year's periods side by
    side. A case with several members counts once for each of them."""
    cases = Deviation.objects.filter(association=association)
    every = cases.select_related("intervention", "category", "handled_by")
    reported = list(
        every.filter(reported_on__gte=period.start, reported_on__lte=period.end)
        .prefetch_related("members")
        .order_by("reported_on", "pk")
    )
    closed = list(
        every.filter(status=Status.CLOSED, closed_on__gte=period.start, closed_on__lte=period.end)
        .prefetch_related("members")
        .order_by("closed_on", "pk")
    )
    by_category: dict[str, CountRow] = {
        category.name: CountRow(category.name) for category in categories(association=association)
    }
    by_status: dict[str, CountRow] = {
        str(label): CountRow(str(label)) for code, label in Status.choices
    }
    by_intervention: dict[str, CountRow] = {}
    by_member: dict[str, CountRow] = {}
    no_intervention = _("Ingen särskild insats")
    for case in reported:
        _count(by_category, case.category.name, case.kind)
        _count(by_status, case.get_status_display(), case.kind)
        _count(
            by_intervention,
            case.intervention.name if case.intervention else no_intervention,
            case.kind,
        )
        for member in case.members.all():
            _count(by_member, member.name, case.kind)
    closed_deviations = [case for case in closed if case.kind == Kind.DEVIATION]
    days = [
        (case.closed_on - case.reported_on).days
        for case in closed_deviations
        if case.closed_on is not None
    ]
    interventions = sorted(
        by_intervention.values(), key=lambda row: (row.label == no_intervention, row.label)
    )
    member_order = list(association.members.values_list("name", flat=True))
    members = sorted(
        by_member.values(),
        key=lambda row: member_order.index(row.label) if row.label in member_order else 999,
    )
    by_period = []
    for each in periods_for(association=association, year=period.year):
        in_each = cases.filter(reported_on__gte=each.start, reported_on__lte=each.end)
        closed_each = cases.filter(
            status=Status.CLOSED, closed_on__gte=each.start, closed_on__lte=each.end
        )
        by_period.append(
            (
                each,
                _kind_counts(in_each.values_list("kind", flat=True), _("Rapporterade")),
                _kind_counts(closed_each.values_list("kind", flat=True), _("Avslutade")),
            )
        )
    return LearningOverview(
        period=period,
        reported=_kind_counts((case.kind for case in reported), _("Rapporterade")),
        closed=_kind_counts((case.kind for case in closed), _("Avslutade")),
        open_deviations=sum(
            1 for case in reported if case.kind == Kind.DEVIATION and not case.is_closed
        ),
        mean_days_to_close=round(sum(days) / len(days)) if days else None,
        by_category=list(by_category.values()),
        by_status=list(by_status.values()),
        by_intervention=interventions,
        by_member=members,
        by_period=by_period,
        learnings=[_summary(case) for case in closed if case.learning or case.measures],
        good_examples=[_summary(case) for case in reported if case.kind == Kind.GOOD_EXAMPLE],
    )


def _count_table(title: str, first: str, rows: list[CountRow]) -> Table:
    return Table(
        title=title,
        columns=[first, _("Avvikelser"), _("Guldkorn"), _("Totalt")],
        rows=[[row.label, row.deviations, row.good_examples, row.total] for row in rows],
    )


def learning_tables(overview: LearningOverview) -> list[Table]:
    """The overview as Excel sheets: the counts, then the learnings and the guldkorn."""
    label = overview.period.label
    note = _("Ärenden rapporterade under %(period)s (%(start)s – %(end)s).") % {
        "period": label,
        "start": overview.period.start.isoformat(),
        "end": overview.period.end.isoformat(),
    }
    counts = _count_table(_("Per kategori"), _("Kategori"), overview.by_category)
    counts.notes = [note]
    tables = [
        counts,
        _count_table(_("Per status"), _("Status i dag"), overview.by_status),
        _count_table(_("Per insats"), _("Insats"), overview.by_intervention),
        _count_table(_("Per part"), _("Berörd part"), overview.by_member),
        Table(
            title=_("Per period"),
            columns=[
                _("Period"),
                _("Rapporterade avvikelser"),
                _("Rapporterade guldkorn"),
                _("Avslutade avvikelser"),
                _("Avslutade guldkorn"),
            ],
            rows=[
                [
                    each.label,
                    reported.deviations,
                    reported.good_examples,
                    closed.deviations,
                    closed.good_examples,
                ]
                for each, reported, closed in overview.by_period
            ],
        ),
        Table(
            title=_("Lärdomar"),
            columns=[
                _("Slag"),
                _("Rubrik"),
                _("Kategori"),
                _("Insats"),
                _("Berörda parter"),
                _("Hanterad av"),
                _("Avslutad"),
                _("Åtgärder"),
                _("Lärdom"),
            ],
            rows=[
                [
                    case.kind_label,
                    case.title,
                    case.category,
                    case.intervention,
                    ", ".join(case.members),
                    case.handled_by,
                    case.closed_on,
                    case.measures,
                    case.learning,
                ]
                for case in overview.learnings
            ],
            notes=[_("Ärenden avslutade under %(period)s.") % {"period": label}],
        ),
        Table(
            title=_("Guldkorn"),
            columns=[
                _("Rubrik"),
                _("Berättelse"),
                _("Kategori"),
                _("Insats"),
                _("Berörda parter"),
                _("Rapporterad"),
                _("Lärdom"),
            ],
            rows=[
                [
                    case.title,
                    case.text,
                    case.category,
                    case.intervention,
                    ", ".join(case.members),
                    case.reported_on,
                    case.learning,
                ]
                for case in overview.good_examples
            ],
        ),
    ]
    return tables


# ---------------------------------------------------------------------------
# The Samverkan start page's card


@dataclass
class DeviationCard:
    """What the start page says about avvikelser and guldkorn this year: counts of the
    förbund's cases (aggregates, for everyone who sees Samverkan), and for those who
    may open cases the ones waiting and the latest they may open."""

    year: int
    deviations: int
    good_examples: int
    open_deviations: int
    waiting: int  # reported, not yet taken up by the kansli (among those one may open)
    latest: list[Deviation] = field(default_factory=list)


def deviation_card(
    *,
    association: Association,
    user: Any,
    permissions: Collection[str],
    today: datetime.date,
    latest: int = 3,
) -> DeviationCard:
    this_year = Deviation.objects.filter(association=association, reported_on__year=today.year)
    kinds = Counter(this_year.values_list("kind", flat=True))
    visible = visible_deviations(association=association, user=user, permissions=permissions)
    return DeviationCard(
        year=today.year,
        deviations=kinds[Kind.DEVIATION],
        good_examples=kinds[Kind.GOOD_EXAMPLE],
        open_deviations=Deviation.objects.filter(association=association, kind=Kind.DEVIATION)
        .exclude(status=Status.CLOSED)
        .count(),
        waiting=visible.filter(status=Status.REPORTED).count(),
        latest=list(
            visible.select_related("intervention").order_by("-reported_on", "-pk")[:latest]
        ),
    )
