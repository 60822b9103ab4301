"""The förbund's overview (Översikt), the start page: what a förbundschef wants to see
at a glance, each part only for the roles that may see it.

* Målkarta: the current year's goal map status for the year to date, and the
  indicators that are not achieved or cannot be measured yet (VIEW_GOALS).
* Budget: the plan's position this year and its findings (VIEW_BUDGET), as the
  budget page computes them (`finance.selectors.budget_table`).
* Deltagare i år: the year's participants by kön, started, exited and the
  stegförflyttning share (VIEW_AGGREGATES), suppressed with the förbund's min cell.
* Uppföljningar: follow-ups overdue and due this week, per insats for those who
  may see its rows, otherwise the förbund's totals, small totals hidden.
* Sedan ditt senaste besök: the förbund's changes (audit log writes, never reads)
  since the previous visit, grouped by area; only areas the role may see, and
  never a participant's code.

Everything reads through the other apps' selectors. The expensive parts (the goal
map's evaluation, the due follow-ups, the year's participant counts, the budget) are
kept in the cache under the förbund's *data version*: the id and time of its latest
write in the audit log, which every service writes. Any change made through Stegvis
makes a new version, so a cached part is never older than the förbund's data; the
day is part of the key too (due dates and the year to date move with it), and
CACHE_SECONDS bounds what a change made outside the services could leave behind.
Suppression and what the viewer may see are applied after the cache, per viewer
(see bench/overview.py for the timings).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_scopes import scope

from stegvis.associations.models import Association
from stegvis.associations.roles import Permission, permissions_for
from stegvis.associations.selectors import Overview as AssociationFigures
from stegvis.associations.selectors import association_overview
from stegvis.associations.tenancy import role_in_association
from stegvis.audit.models import AuditEntry
from stegvis.finance import selectors as finance_selectors
from stegvis.finance.actuals.selectors import plan_for_year
from stegvis.finance.budget import YearFigures
from stegvis.goals.evaluation import (
    Evaluation,
    Status,
    format_value,
    goal_map_evaluate,
    status_counts,
)
from stegvis.goals.models import GoalMap
from stegvis.goals.periods import Period, current_period
from stegvis.instruments.due import due_counts
from stegvis.interventions.models import Intervention
from stegvis.participants.access import row_interventions
from stegvis.participants.report import (
    TOTAL,
    YearCounts,
    association_min_cell,
    suppress_report,
    year_counts,
)
from stegvis.participants.suppression import hide_small
from stegvis.participants.vocabulary import Gender

# How many indicators needing attention, and how many recent changes, the cards list.
ATTENTION_LIMIT = 6
LATEST_CHANGES = 5
# Without a previous visit, "what changed" covers the last week.
FIRST_VISIT_DAYS = 7
CACHE_SECONDS = 10 * 60
# Log entries read at once for "what changed" (more: counted by the database).
CHANGES_SCAN = 300

STATUS_ORDER = [
    Status.ACHIEVED,
    Status.PARTLY,
    Status.NOT_ACHIEVED,
    Status.NOT_MEASURABLE,
    Status.NO_TARGET,
]


# ---------------------------------------------------------------------------
# The cards


@dataclass
class StatusCount:
    status: Status
    label: str
    count: int


@dataclass
class AttentionItem:
    indicator_id: int
    text: str  # the indicator
    status: Status
    status_label: str
    value: str  # as the goal map shows it ("72,0 %"), empty when there is none


@dataclass
class GoalsCard:
    year: int
    period: Period
    has_map: bool
    counts: list[StatusCount]  # in STATUS_ORDER, zero counts left out
    total: int
    attention: list[AttentionItem]  # not achieved first, then not measurable
    attention_more: int  # how many more than the card lists

    @property
    def achieved(self) -> int:
        return next((c.count for c in self.counts if c.status == Status.ACHIEVED), 0)


@dataclass
class BudgetCard:
    year: int
    plan_year: int | None  # the plan's budget year (its address), None: no plan
    figures: YearFigures | None
    findings: list[finance_selectors.FindingView]  # of this year
    later_findings: int  # the plan's findings in its other years

    @property
    def equity_room(self) -> int | None:
        """How far the closing equity is below the cap (negative: above it)."""
        if self.figures is None:
            return None
        return self.figures.equity_cap - self.figures.closing_equity


@dataclass
class GenderCount:
    label: str
    count: int | None  # None: hidden (below the min cell)


@dataclass
class ParticipantsCard:
    year: int
    min_cell: int
    participants: int | None
    by_gender: list[GenderCount]
    started: int | None
    exited: int | None
    step_progress: int | None
    step_progress_share: float | None


@dataclass
class FollowUpRow:
    intervention: Intervention
    overdue: int
    this_week: int


@dataclass
class FollowUpsCard:
    rows: list[FollowUpRow] | None  # per insats, for those who see its rows
    overdue: int | None  # totals; None: hidden (below the min cell)
    this_week: int | None
    min_cell: int


@dataclass
class AreaChanges:
    key: str
    label: str
    count: int


@dataclass
class Change:
    at: datetime.datetime
    area: str
    text: str
    actor: str  # empty unless the viewer may read the log


@dataclass
class ChangesCard:
    since: datetime.datetime
    first_visit: bool
    areas: list[AreaChanges]
    latest: list[Change]

    @property
    def total(self) -> int:
        return sum(area.count for area in self.areas)


@dataclass
class Overview:
    association: Association
    today: datetime.date
    year: int
    permissions: frozenset[Permission]
    figures: AssociationFigures
    goals: GoalsCard | None = None
    budget: BudgetCard | None = None
    participants: ParticipantsCard | None = None
    follow_ups: FollowUpsCard | None = None
    changes: ChangesCard | None = None
    row_intervention_ids: set[int] = field(default_factory=set)


# ---------------------------------------------------------------------------
# The cache


def data_version(association: Association) -> str | None:
    """The förbund's latest write in the audit log, as "id@time" (None: no write yet,
    then nothing is cached). The time makes the key unique even where ids are reused
    (a test database rolled back)."""
    latest = (
        AuditEntry.objects.filter(association=association, kind=AuditEntry.Kind.WRITE)
        .order_by("-created_at", "-id")
        .values_list("id", "created_at")
        .first()
    )
    if latest is None:
        return None
    return f"{latest[0]}@{latest[1].isoformat()}"


def _cached(version: str | None, parts: dict[str, tuple[str, Callable[[], Any]]]) -> dict[str, Any]:
    """Each part (name → (key, compute)) from the cache under the data version, or
    computed and stored: one round trip to the cache for all of them."""
    if version is None:
        return {name: compute() for name, (_key, compute) in parts.items()}
    keys = {name: f"stegvis:overview:{key}:{version}" for name, (key, _compute) in parts.items()}
    found = cache.get_many(list(keys.values()))
    result: dict[str, Any] = {}
    missing: dict[str, Any] = {}
    for name, (_key, compute) in parts.items():
        if keys[name] in found:
            result[name] = found[keys[name]]
        else:
            result[name] = missing[keys[name]] = compute()
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return result


# ---------------------------------------------------------------------------
# The viewer


def _viewer(request_or_user: Any, association: Association) -> Any:
    """A request-like object with association, user and permissions, for the access
    helpers (`participants.access` takes a request)."""
    if hasattr(request_or_user, "permissions") and hasattr(request_or_user, "user"):
        return request_or_user
    role, _membership = role_in_association(request_or_user, association)
    return SimpleNamespace(
        association=association,
        user=request_or_user,
        role=role,
        permissions=permissions_for(role),
    )


# ---------------------------------------------------------------------------
# Målkarta


def goals_card(
    *, association: Association, year: int, min_cell: int, today: datetime.date
) -> GoalsCard:
    period = current_period(association=association, today=today)
    goal_map = GoalMap.objects.filter(association=association, year=year).first()
    evaluations: list[Evaluation] = []
    if goal_map is not None:
        for _goal, goal_evaluations in goal_map_evaluate(
            goal_map=goal_map, period=period, min_cell=min_cell, today=today
        ):
            evaluations.extend(goal_evaluations)
    counts = status_counts(evaluations)
    attention = [e for e in evaluations if e.status == Status.NOT_ACHIEVED] + [
        e for e in evaluations if e.status == Status.NOT_MEASURABLE
    ]
    return GoalsCard(
        year=year,
        period=period,
        has_map=goal_map is not None,
        counts=[
            StatusCount(status, str(status.label), counts[status])
            for status in STATUS_ORDER
            if counts.get(status)
        ],
        total=len(evaluations),
        attention=[_attention_item(e) for e in attention[:ATTENTION_LIMIT]],
        attention_more=max(0, len(attention) - ATTENTION_LIMIT),
    )


def _attention_item(evaluation: Evaluation) -> AttentionItem:
    status = Status(evaluation.status)
    shown = evaluation.result.measurable and evaluation.result.value is not None
    return AttentionItem(
        indicator_id=evaluation.indicator.pk,
        text=evaluation.indicator.text,
        status=status,
        status_label=str(status.label),
        value=format_value(evaluation.result) if shown else "",
    )


# ---------------------------------------------------------------------------
# Budget


def budget_card(*, association: Association, year: int) -> BudgetCard:
    """The plan the year is followed up against (its budget year, else a plan year
    of a later plan), as the budget page shows it."""
    plan = plan_for_year(association=association, year=year)
    if plan is None:
        return BudgetCard(year=year, plan_year=None, figures=None, findings=[], later_findings=0)
    table = finance_selectors.budget_table(plan)
    figures = next((f for f in table.figures if f.year == year), None)
    return BudgetCard(
        year=year,
        plan_year=plan.first_year,
        figures=figures,
        findings=[f for f in table.findings if f.year == year],
        later_findings=sum(1 for f in table.findings if f.year != year),
    )


# ---------------------------------------------------------------------------
# Deltagare i år


def participants_card(
    *, association: Association, year: int, min_cell: int, raw: YearCounts | None = None
) -> ParticipantsCard:
    """`raw`: the year's counts when already at hand (from the cache)."""
    if raw is None:
        raw = year_counts(association=association, year=year)
    report = suppress_report(raw, min_cell)
    counts = report.counts
    return ParticipantsCard(
        year=year,
        min_cell=min_cell,
        participants=counts["participants"][TOTAL],
        by_gender=[
            GenderCount(str(gender.label), counts["participants"][gender.value])
            for gender in Gender
        ],
        started=counts["started"][TOTAL],
        exited=counts["exited"][TOTAL],
        step_progress=counts["step_progress"][TOTAL],
        step_progress_share=report.step_progress_share[TOTAL],
    )


# ---------------------------------------------------------------------------
# Uppföljningar


def follow_ups_card(
    *,
    association: Association,
    row_ids: set[int],
    min_cell: int,
    today: datetime.date,
    counts: dict[int, tuple[int, int]] | None = None,
) -> FollowUpsCard:
    """Per insats for the insatser whose rows the viewer sees (their own work list);
    for everyone else only the förbund's totals, a total below the min cell hidden.
    `counts`: `instruments.due.due_counts` when already at hand (from the cache)."""
    if counts is None:
        counts = due_counts(association=association, today=today)
    overdue = sum(value[0] for value in counts.values())
    this_week = sum(value[1] for value in counts.values())
    if not row_ids:
        return FollowUpsCard(
            rows=None,
            overdue=hide_small(overdue, min_cell),
            this_week=hide_small(this_week, min_cell),
            min_cell=min_cell,
        )
    interventions = Intervention.objects.filter(association=association, pk__in=row_ids).order_by(
        "name"
    )
    rows = [
        FollowUpRow(intervention, *counts.get(intervention.pk, (0, 0)))
        for intervention in interventions
    ]
    return FollowUpsCard(
        rows=rows,
        overdue=sum(row.overdue for row in rows),
        this_week=sum(row.this_week for row in rows),
        min_cell=min_cell,
    )


# ---------------------------------------------------------------------------
# Sedan ditt senaste besök


# Areas of the log, by the app of the changed object (or the action's prefix when
# the entry names no object), with the permission needed to hear of them.
AREAS: dict[str, tuple[Any, Permission]] = {
    "associations": (_("Förbundet"), Permission.VIEW_ASSOCIATION),
    "finance": (_("Ekonomi"), Permission.VIEW_BUDGET),
    "interventions": (_("Insatser"), Permission.VIEW_INTERVENTIONS),
    "goals": (_("Målkarta"), Permission.VIEW_GOALS),
    "participants": (_("Deltagare"), Permission.VIEW_AGGREGATES),
    "instruments": (_("Uppföljning"), Permission.VIEW_AGGREGATES),
}
ACTION_AREAS = {
    "association": "associations",
    "member": "associations",
    "membership": "associations",
    "population": "associations",
    "working_group": "associations",
    "seat": "associations",
    "plan": "finance",
    "budget_line": "finance",
    "actual": "finance",
    "actuals": "finance",
    "forecast": "finance",
    "reporting_period": "finance",
    "intervention": "interventions",
    "application": "interventions",
    "application_round": "interventions",
    "decision": "interventions",
    "target_group": "interventions",
    "planned_participants": "interventions",
    "goal_map": "goals",
    "goal": "goals",
    "indicator": "goals",
    "indicator_target": "goals",
    "manual_value": "goals",
    "participant": "participants",
    "participants": "participants",
    "anonymous_count": "participants",
    "participant_question": "participants",
    "participant_policy": "participants",
    "instrument": "instruments",
    "question": "instruments",
    "response": "instruments",
}
# Areas whose objects are named by a participant's code: never shown on the overview.
UNNAMED_AREAS = {"participants", "instruments"}
VERBS = {
    "created": _("ny"),
    "added": _("ny"),
    "recorded": _("registrerad"),
    "set": _("angiven"),
    "updated": _("ändrad"),
    "changed": _("ändrad"),
    "deleted": _("borttagen"),
    "removed": _("borttagen"),
    "imported": _("importerad"),
    "exited": _("avslutad"),
    "submitted": _("inskickad"),
    "purged": _("gallrad"),
}


def area_of(object_type: str, action: str) -> str:
    app_label = object_type.split(".", 1)[0] if object_type else ""
    if app_label in AREAS:
        return app_label
    return ACTION_AREAS.get(action.split(".", 1)[0], "")


def _object_label(object_type: str) -> str:
    try:
        model = apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        model = None
    return str(model._meta.verbose_name).capitalize() if model is not None else ""


def change_text(entry: AuditEntry, area: str) -> str:
    """'Budgetrad Lokalhyra: ändrad'; in the participant areas without the object's
    name (a participant's code)."""
    verb = str(VERBS.get(entry.action.rsplit(".", 1)[-1], _("ändrad")))
    label = _object_label(entry.object_type) or str(AREAS[area][0])
    if area in UNNAMED_AREAS or not entry.object_repr:
        return f"{label}: {verb}"
    return f"{label} {entry.object_repr}: {verb}"


def changes_card(
    *,
    association: Association,
    user: Any,
    permissions: frozenset[Permission],
    since: datetime.datetime | None,
    now: datetime.datetime,
) -> ChangesCard:
    """Writes to the förbund's log since `since` by others than the viewer, grouped by
    area; areas the viewer's role does not cover are left out."""
    first_visit = since is None
    start = since or now - datetime.timedelta(days=FIRST_VISIT_DAYS)
    visible = {key for key, (_label, permission) in AREAS.items() if permission in permissions}
    entries = AuditEntry.objects.filter(
        association=association, kind=AuditEntry.Kind.WRITE, created_at__gt=start
    )
    if getattr(user, "pk", None) is not None:
        entries = entries.exclude(actor_id=user.pk)
    # Usually a handful since the last visit: one query gives the counts and the
    # latest; only after a long absence are the counts left to the database.
    recent = list(
        entries.order_by("-created_at", "-id").only(
            "created_at", "object_type", "action", "object_repr", "actor_name"
        )[:CHANGES_SCAN]
    )
    by_area: Counter[str] = Counter()
    if len(recent) < CHANGES_SCAN:
        for entry in recent:
            by_area[area_of(entry.object_type, entry.action)] += 1
    else:
        for object_type, action, number in (
            entries.values("object_type", "action")
            .annotate(n=Count("id"))
            .values_list("object_type", "action", "n")
        ):
            by_area[area_of(object_type, action)] += number
    areas = [
        AreaChanges(key, str(AREAS[key][0]), by_area[key])
        for key in AREAS
        if key in visible and by_area.get(key)
    ]
    latest: list[Change] = []
    shows_actor = Permission.VIEW_AUDIT_LOG in permissions
    for entry in recent:
        area = area_of(entry.object_type, entry.action)
        if area not in visible:
            continue
        latest.append(
            Change(
                at=entry.created_at,
                area=str(AREAS[area][0]),
                text=change_text(entry, area),
                actor=entry.actor_name if shows_actor else "",
            )
        )
        if len(latest) == LATEST_CHANGES:
            break
    return ChangesCard(since=start, first_visit=first_visit, areas=areas, latest=latest)


# ---------------------------------------------------------------------------
# The page


def overview_data(
    *,
    request_or_user: Any,
    association: Association,
    today: datetime.date | None = None,
    since: datetime.datetime | None = None,
) -> Overview:
    """Everything the overview shows for this viewer. `since`: the viewer's previous
    visit (None: the first one; then the last week's changes)."""
    with scope(association=association):
        return _overview(request_or_user, association, today, since)


def _overview(
    request_or_user: Any,
    association: Association,
    today: datetime.date | None,
    since: datetime.datetime | None,
) -> Overview:
    viewer = _viewer(request_or_user, association)
    permissions: frozenset[Permission] = frozenset(viewer.permissions)
    now = timezone.now()
    today = today or timezone.localdate()
    year = today.year
    version = data_version(association)
    needs_min_cell = permissions & {
        Permission.VIEW_GOALS,
        Permission.VIEW_AGGREGATES,
        Permission.VIEW_PARTICIPANT_ROWS,
    }
    min_cell = association_min_cell(association) if needs_min_cell else 0
    # Parts with text (labels, findings) are kept per language.
    day = f"{association.pk}:{today.isoformat()}:{translation.get_language()}"
    parts: dict[str, tuple[str, Callable[[], Any]]] = {
        "figures": (f"association:{day}", lambda: association_overview(association=association))
    }
    if Permission.VIEW_GOALS in permissions:
        # Already suppressed with the förbund's min cell, the same for every reader.
        parts["goals"] = (
            f"goals:{day}:{min_cell}",
            lambda: goals_card(association=association, year=year, min_cell=min_cell, today=today),
        )
    if Permission.VIEW_BUDGET in permissions:
        parts["budget"] = (
            f"budget:{day}",
            lambda: budget_card(association=association, year=year),
        )
    if Permission.VIEW_AGGREGATES in permissions:
        # Raw counts: suppressed below, for this viewer.
        parts["participants"] = (
            f"participants:{day}",
            lambda: year_counts(association=association, year=year),
        )
    sees_follow_ups = bool(
        permissions & {Permission.VIEW_AGGREGATES, Permission.VIEW_PARTICIPANT_ROWS}
    )
    if sees_follow_ups:
        parts["due"] = (f"due:{day}", lambda: due_counts(association=association, today=today))
    found = _cached(version, parts)

    overview = Overview(
        association=association,
        today=today,
        year=year,
        permissions=permissions,
        figures=found["figures"],
        goals=found.get("goals"),
        budget=found.get("budget"),
    )
    if "participants" in found:
        overview.participants = participants_card(
            association=association, year=year, min_cell=min_cell, raw=found["participants"]
        )
    if Permission.VIEW_PARTICIPANT_ROWS in permissions:
        overview.row_intervention_ids = set(row_interventions(viewer).values_list("pk", flat=True))
    if sees_follow_ups:
        overview.follow_ups = follow_ups_card(
            association=association,
            row_ids=overview.row_intervention_ids,
            min_cell=min_cell,
            today=today,
            counts=found["due"],
        )
    overview.changes = changes_card(
        association=association,
        user=viewer.user,
        permissions=permissions,
        since=since,
        now=now,
    )
    return overview
