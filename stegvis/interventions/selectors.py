"""Reads of a förbund's insatser, rounds and applications.

An insats's budget is what its linked cost lines carry (`InterventionLine`), and a
year's amount counts from the budget that year is followed up against: the plan whose
budget year it is, else the latest plan covering it (as `finance.actuals.plan_for_year`).
An older plan that still lists the year as a plan year does not count twice.

Each selector loads what it needs with a fixed number of queries, whatever the number
of insatser or applications.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from stegvis.associations.models import Association, Member
from stegvis.associations.roles import Permission, permissions_for
from stegvis.finance.models import BudgetAmount, BudgetLine, Plan
from stegvis.interventions.models import (
    Application,
    ApplicationRound,
    ApplicationYear,
    Decision,
    Intervention,
    InterventionLine,
    InterventionStaff,
    PlannedParticipants,
)

# Who edits every insats: the kansli (förbundschef), whose role carries the
# beredning of applications. An insatsansvarig edits only the insatser they work on.
EDIT_ANY_INTERVENTION = Permission.PREPARE_APPLICATIONS


# ---------------------------------------------------------------------------
# Budget of insatser


def _governing_plans(association: Association) -> dict[int, int]:
    """year → id of the plan the year is followed up against (one query)."""
    governing: dict[int, int] = {}
    plans = Plan.objects.filter(association=association).order_by("first_year")
    for plan_id, first, last in plans.values_list("id", "first_year", "last_year"):
        for year in range(first, last + 1):
            governing[year] = plan_id  # a later budget year wins
    return governing


def _budgets(
    association: Association, intervention_ids: Iterable[int]
) -> dict[int, dict[int, int]]:
    """intervention id → {year: kronor} from the linked lines (three queries)."""
    governing = _governing_plans(association)
    links = dict(
        InterventionLine.objects.filter(intervention_id__in=list(intervention_ids)).values_list(
            "line_id", "intervention_id"
        )
    )
    budgets: dict[int, dict[int, int]] = defaultdict(dict)
    amounts = BudgetAmount.objects.filter(line_id__in=list(links)).values_list(
        "line_id", "line__plan_id", "year", "amount"
    )
    for line_id, plan_id, year, amount in amounts:
        if governing.get(year) != plan_id:
            continue
        by_year = budgets[links[line_id]]
        by_year[year] = by_year.get(year, 0) + amount
    return {key: dict(sorted(value.items())) for key, value in budgets.items()}


def intervention_budget(intervention: Intervention) -> dict[int, int]:
    """{year: kronor} of the insats, from its linked cost lines."""
    return _budgets(intervention.association, [intervention.pk]).get(intervention.pk, {})


# ---------------------------------------------------------------------------
# The list of insatser


@dataclass
class InterventionRow:
    intervention: Intervention
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    owner: str
    members: list[str]
    target_group: str
    start: datetime.date | None
    end: datetime.date | None
    esf_funded: bool
    budget_by_year: dict[int, int]
    planned_by_year: dict[int, int]
    # The chosen year's figures, or every year's added up when no year is chosen.
    budget: int
    planned_participants: int


@dataclass
class InterventionTotals:
    count: int
    budget: int
    planned_participants: int
    budget_by_year: dict[int, int] = field(default_factory=dict)
    planned_by_year: dict[int, int] = field(default_factory=dict)


def _overlaps(intervention: Intervention, year: int) -> bool:
    starts_before_end = intervention.start is None or intervention.start.year <= year
    ends_after_start = intervention.end is None or intervention.end.year >= year
    return starts_before_end and ends_after_start


def intervention_rows(
    *,
    association: Association,
    kind: str | None = None,
    status: str | None = None,
    member: Member | None = None,
    year: int | None = None,
) -> list[InterventionRow]:
    """The förbund's insatser by name, with owner, members, budget and planned
    participants. `member` keeps the insatser it owns or takes part in; `year` keeps
    those whose period touches the year or that have money or participants planned
    for it, and gives that year's figures (else every year's added up)."""
    interventions = Intervention.objects.filter(association=association)
    if kind:
        interventions = interventions.filter(kind=kind)
    if status:
        interventions = interventions.filter(status=status)
    if member is not None:
        interventions = interventions.filter(Q(owner=member) | Q(members=member)).distinct()
    found = list(
        interventions.select_related("owner", "target_group")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by(Member.kind_order(), "name")),
            "planned_participants",
        )
        .order_by("name")
    )
    budgets = _budgets(association, [i.pk for i in found])
    rows = []
    for intervention in found:
        budget = budgets.get(intervention.pk, {})
        planned = {p.year: p.count for p in intervention.planned_participants.all()}
        if year is not None and not (
            _overlaps(intervention, year) or budget.get(year) or planned.get(year)
        ):
            continue
        rows.append(
            InterventionRow(
                intervention=intervention,
                name=intervention.name,
                kind=intervention.kind,
                kind_label=str(intervention.get_kind_display()),
                status=intervention.status,
                status_label=str(intervention.get_status_display()),
                owner=intervention.owner.name,
                members=[m.name for m in intervention.members.all()],
                target_group=intervention.target_group.name if intervention.target_group else "",
                start=intervention.start,
                end=intervention.end,
                esf_funded=intervention.esf_funded,
                budget_by_year=budget,
                planned_by_year=planned,
                budget=budget.get(year, 0) if year is not None else sum(budget.values()),
                planned_participants=(
                    planned.get(year, 0) if year is not None else sum(planned.values())
                ),
            )
        )
    return rows


def totals(rows: Sequence[InterventionRow]) -> InterventionTotals:
    """The sums of the rows, also per year."""
    budget_by_year: dict[int, int] = defaultdict(int)
    planned_by_year: dict[int, int] = defaultdict(int)
    for row in rows:
        for year, amount in row.budget_by_year.items():
            budget_by_year[year] += amount
        for year, count in row.planned_by_year.items():
            planned_by_year[year] += count
    return InterventionTotals(
        count=len(rows),
        budget=sum(row.budget for row in rows),
        planned_participants=sum(row.planned_participants for row in rows),
        budget_by_year=dict(sorted(budget_by_year.items())),
        planned_by_year=dict(sorted(planned_by_year.items())),
    )


# ---------------------------------------------------------------------------
# Rounds and applications


@dataclass
class ApplicationRow:
    application: Application
    title: str
    applicant: str
    sharing_members: list[str]
    status: str
    status_label: str
    recommendation: str  # "" until prepared
    decision: Decision | None
    requested: dict[int, int]
    recommended: dict[int, int]  # empty until prepared
    granted: dict[int, int]  # empty until decided
    planned_participants: dict[int, int]

    @property
    def requested_total(self) -> int:
        return sum(self.requested.values())

    @property
    def recommended_total(self) -> int:
        return sum(self.recommended.values())

    @property
    def granted_total(self) -> int:
        return sum(self.granted.values())

    @property
    def years(self) -> list[int]:
        return sorted(self.requested)


@dataclass
class RoundSummary:
    round: ApplicationRound
    available: int
    applied: int
    recommended: int
    granted: int
    rows: list[ApplicationRow]

    @property
    def remaining(self) -> int:
        """What is left of the round's money after what has been granted."""
        return self.available - self.granted


def _application_rows(applications: Any) -> list[ApplicationRow]:
    found = applications.select_related("applicant", "decision").prefetch_related(
        Prefetch("sharing_members", queryset=Member.objects.order_by(Member.kind_order(), "name")),
        Prefetch("years", queryset=ApplicationYear.objects.order_by("year")),
        "decision__years",
    )
    rows = []
    for application in found:
        years = list(application.years.all())
        decision = getattr(application, "decision", None)
        rows.append(
            ApplicationRow(
                application=application,
                title=application.title,
                applicant=application.applicant.name,
                sharing_members=[m.name for m in application.sharing_members.all()],
                status=application.status,
                status_label=str(application.get_status_display()),
                recommendation=application.recommendation,
                decision=decision,
                requested={y.year: y.requested for y in years},
                recommended={y.year: y.recommended for y in years if y.recommended is not None},
                granted={d.year: d.granted for d in decision.years.all()} if decision else {},
                planned_participants={y.year: y.planned_participants for y in years},
            )
        )
    return rows


def round_summary(round: ApplicationRound) -> RoundSummary:
    """What a round has: available, applied for, recommended by the kansli, granted by
    the board, and what remains; with a row per application, the oldest first."""
    applications = Application.objects.filter(association=round.association, round=round).order_by(
        "submitted_at", "id"
    )
    rows = _application_rows(applications)
    return RoundSummary(
        round=round,
        available=round.amount_available,
        applied=sum(row.requested_total for row in rows),
        recommended=sum(row.recommended_total for row in rows),
        granted=sum(row.granted_total for row in rows),
        rows=rows,
    )


def applications_to_decide(*, association: Association) -> list[ApplicationRow]:
    """Prepared applications waiting for the board, with the kansli's recommendation."""
    applications = Application.objects.filter(
        association=association, status=Application.Status.PREPARED
    ).order_by("round__opens", "submitted_at", "id")
    return _application_rows(applications)


def open_rounds(
    *, association: Association, on: datetime.date | None = None
) -> list[ApplicationRound]:
    """The rounds open for applications on a day (today unless given)."""
    day = on or timezone.localdate()
    return list(
        ApplicationRound.objects.filter(
            association=association, opens__lte=day, closes__gte=day
        ).order_by("closes", "name")
    )


# ---------------------------------------------------------------------------
# Who works with what


def interventions_for_user(*, association: Association, user: Any) -> list[Intervention]:
    """The insatser a person works with (as insatsansvarig or deltagaransvarig)."""
    ids = InterventionStaff.objects.filter(association=association, user=user).values(
        "intervention_id"
    )
    return list(
        Intervention.objects.filter(association=association, pk__in=ids)
        .select_related("owner")
        .order_by("name")
    )


def can_edit_intervention(
    *, request_or_user: Any, role: str | None, intervention: Intervention
) -> bool:
    """May this person change the insats? The kansli may change every insats; an
    insatsansvarig only the insatser they work on (InterventionStaff)."""
    user = getattr(request_or_user, "user", request_or_user)
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    permissions = permissions_for(role)
    if EDIT_ANY_INTERVENTION in permissions:
        return True
    if Permission.EDIT_OWN_INTERVENTION not in permissions:
        return False
    return InterventionStaff.objects.filter(
        association_id=intervention.association_id, intervention=intervention, user=user
    ).exists()


def planned_participants(intervention: Intervention) -> dict[int, int]:
    return dict(
        PlannedParticipants.objects.filter(intervention=intervention)
        .order_by("year")
        .values_list("year", "count")
    )


def cost_lines_of_interventions(
    plan: Plan, interventions: Sequence[Intervention]
) -> dict[int, int]:
    """Cost line id → insats id in the plan: lines a board decision linked to one of
    the insatser, and lines that name one (`intervention_name`) without being linked to
    any insats. Each line belongs to one insats at most. Call inside the förbund's scope."""
    ids = {intervention.pk for intervention in interventions}
    links = dict(
        InterventionLine.objects.filter(line__plan=plan).values_list("line_id", "intervention_id")
    )
    result = {line: insats for line, insats in links.items() if insats in ids}
    by_name = {intervention.name.casefold(): intervention.pk for intervention in interventions}
    named = (
        BudgetLine.objects.filter(plan=plan, side=BudgetLine.Side.COST)
        .exclude(intervention_name="")
        .values_list("pk", "intervention_name")
    )
    for line_id, name in named:
        if line_id not in links and name.casefold() in by_name:
            result[line_id] = by_name[name.casefold()]
    return result
