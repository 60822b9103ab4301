"""The board's decision on an application, and what a granted one writes: the insats,
its planned participants and its cost lines in the budget (DOMAIN.md §3)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.associations.models import Membership
from stegvis.associations.roles import Role
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.finance import services as finance_services
from stegvis.finance.actuals import plan_for_year
from stegvis.finance.models import BudgetLine, Plan
from stegvis.interventions.models import (
    Application,
    Decision,
    DecisionYear,
    Intervention,
    InterventionLine,
    InterventionStaff,
    Kind,
)
from stegvis.interventions.services.applications import amounts_for, lock_application
from stegvis.interventions.services.common import (
    COST_CATEGORY,
    DECISION_FIELDS,
    FINISHED,
    INTERVENTION_FIELDS,
    Outcome,
    Status,
    add_error,
    by_year,
    granted_field,
    immutable_message,
    member_names,
    planned_set,
    raise_errors,
    set_intervention_status,
    status_label,
)
from stegvis.interventions.services.interventions import document_add, staff_add


def _same_decision(
    decision: Decision,
    *,
    meeting_date: datetime.date,
    paragraph: str,
    outcome: str,
    granted: Mapping[int, int],
    conditions: str,
    reference: str,
) -> bool:
    return (
        decision.meeting_date == meeting_date
        and decision.paragraph == paragraph
        and decision.outcome == outcome
        and decision.conditions == conditions
        and decision.reference == reference
        and {row.year: row.granted for row in decision.years.all()} == dict(granted)
    )


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    application: Application,
    meeting_date: datetime.date,
    paragraph: str,
    outcome: str,
    granted: Mapping[int, int],
    conditions: str = "",
    reference: str = "",
) -> Decision:
    """The board's decision on a prepared application, recorded once.

    Bifall grants what was applied for, delvis bifall the amounts given (at most
    what was applied for), avslag nothing. A granted decision creates the insats (or
    updates the one the application continues), its planned participants, and for
    each year with money a cost line named after the insats in the budget that year is
    followed up against, through the finance services; if a year has no budget,
    nothing is written. An avslag ends the application: the need is applied for anew.

    Recording the same decision again (a double click, a resent form) returns the
    decision already recorded and writes nothing; a different decision on a decided
    application is refused."""
    locked = lock_application(application)
    paragraph = paragraph.strip()
    conditions = conditions.strip()
    reference = reference.strip()
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        add_error(errors, "outcome", _("Välj bifall, delvis bifall eller avslag."))
        raise_errors(errors)
    rows = list(locked.years.all())
    requested = {row.year: row.requested for row in rows}
    amounts = amounts_for(outcome, requested, granted, granted_field, errors)

    existing = Decision.objects.filter(application=locked).first()
    if existing is not None:
        if not errors and _same_decision(
            existing,
            meeting_date=meeting_date,
            paragraph=paragraph,
            outcome=outcome,
            granted=amounts,
            conditions=conditions,
            reference=reference,
        ):
            application.refresh_from_db()
            return existing
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Ansökan är redan beslutad (%(date)s %(paragraph)s: %(outcome)s). "
                        "Ett beslut ändras inte i efterhand – ett nytt behov söks med en ny "
                        "ansökan."
                    )
                    % {
                        "date": existing.meeting_date,
                        "paragraph": existing.paragraph,
                        "outcome": str(existing.get_outcome_display()).lower(),
                    }
                ]
            }
        )
    if locked.status != Application.Status.PREPARED:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Ansökan måste beredas av kansliet innan styrelsen kan besluta om den.")
                ]
            }
        )
    if meeting_date is None:
        add_error(errors, "meeting_date", _("Ange sammanträdets datum."))
    if not paragraph:
        add_error(errors, "paragraph", _("Ange beslutets paragraf."))
    raise_errors(errors)

    intervention = locked.intervention
    if outcome != Outcome.REJECT:
        intervention = _grant(actor, locked, amounts, meeting_date, paragraph, reference)
    elif intervention is not None and intervention.status in (Status.APPLIED, Status.PREPARED):
        set_intervention_status(actor, intervention, Status.REJECTED)

    decision = Decision(
        association=locked.association,
        application=locked,
        meeting_date=meeting_date,
        paragraph=paragraph,
        outcome=outcome,
        conditions=conditions,
        reference=reference,
        intervention=intervention,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    decision.full_clean()
    decision.save()
    for year, amount in sorted(amounts.items()):
        DecisionYear.objects.create(
            association=locked.association, decision=decision, year=year, granted=amount
        )
    locked.status = Application.Status.DECIDED
    locked.save(update_fields=["status"])
    audit_log(
        action="decision.recorded",
        actor=actor,
        association=locked.association,
        obj=decision,
        changes={
            "application": locked.title,
            **snapshot(decision, DECISION_FIELDS),
            "granted": by_year(amounts),
            "intervention": intervention.name if intervention else None,
        },
    )
    application.refresh_from_db()
    return decision


def _grant(
    actor: Any,
    application: Application,
    amounts: Mapping[int, int],
    meeting_date: datetime.date,
    paragraph: str,
    reference: str,
) -> Intervention:
    """What a granted decision writes: the insats, its planned participants, and its
    cost line in the budget of each granted year. The budgets are found first, so
    that a missing one stops everything before anything is written."""
    association = application.association
    money = {year: amount for year, amount in sorted(amounts.items()) if amount > 0}
    plans: dict[int, Plan] = {}
    missing = []
    for year in money:
        plan = plan_for_year(association=association, year=year)
        if plan is None:
            missing.append(
                _("Det finns ingen budget för %(year)s: skapa eller ladda upp budgeten först")
                % {"year": year}
            )
        else:
            plans[year] = plan
    if missing:
        raise ValidationError({NON_FIELD_ERRORS: missing})

    members = [application.applicant, *application.sharing_members.all()]
    period = list(money) or list(amounts)
    first = datetime.date(min(period), 1, 1)
    last = datetime.date(max(period), 12, 31)
    intervention = application.intervention
    if intervention is None:
        if Intervention.objects.filter(
            association=association, name__iexact=application.title
        ).exists():
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _(
                            "Det finns redan en insats som heter %(name)s. Byt namn på den "
                            "ena insatsen innan beslutet förs in."
                        )
                        % {"name": application.title}
                    ]
                }
            )
        intervention = Intervention(
            association=association,
            name=application.title,
            kind=application.kind,
            target_group=application.target_group,
            owner=application.applicant,
            start=first,
            end=last,
            status=Status.GRANTED,
            esf_funded=application.esf_funded,
        )
        intervention.full_clean()
        intervention.save()
        intervention.members.set(members)
        audit_log(
            action="intervention.created",
            actor=actor,
            association=association,
            obj=intervention,
            changes={
                **snapshot(intervention, [*INTERVENTION_FIELDS, "status"]),
                "members": member_names(members),
                "application": application.title,
            },
        )
    else:
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.status in FINISHED:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: [
                        _("Insatsen %(name)s är %(status)s och kan inte beviljas medel.")
                        % {"name": intervention.name, "status": status_label(intervention.status)}
                    ]
                }
            )
        if intervention.is_granted and (
            intervention.kind != application.kind
            or intervention.esf_funded != application.esf_funded
        ):
            raise ValidationError({NON_FIELD_ERRORS: [immutable_message()]})
        fields = [*INTERVENTION_FIELDS, "status"]
        before = {
            **snapshot(intervention, fields),
            "members": member_names(intervention.members.all()),
        }
        intervention.kind = application.kind
        intervention.esf_funded = application.esf_funded
        if application.target_group is not None:
            intervention.target_group = application.target_group
        intervention.start = min(intervention.start or first, first)
        intervention.end = max(intervention.end or last, last)
        if not intervention.is_granted:
            intervention.status = Status.GRANTED
        intervention.full_clean()
        intervention.save()
        intervention.members.add(*members)
        after = {
            **snapshot(intervention, fields),
            "members": member_names(intervention.members.all()),
        }
        changes = diff(before, after)
        if changes:
            audit_log(
                action="intervention.updated",
                actor=actor,
                association=association,
                obj=intervention,
                changes={**changes, "application": application.title},
            )

    _applicant_joins(actor, application, intervention)
    for row in application.years.all():
        if row.year in money:
            planned_set(actor, intervention, row.year, row.planned_participants)
    for year, amount in money.items():
        _line_set(actor, intervention, plans[year], year, amount)
    if reference:
        document_add(
            actor=actor,
            intervention=intervention,
            reference=reference,
            title=_("Styrelsens beslut %(paragraph)s") % {"paragraph": paragraph},
            date=meeting_date,
        )
    return intervention


def _applicant_joins(actor: Any, application: Application, intervention: Intervention) -> None:
    """The member's person who applied goes on to run the granted insats: an
    insatsansvarig who submitted it may then see and edit it without waiting for
    the kansli to add them."""
    user = application.submitted_by
    if user is None:
        return
    role = (
        Membership.objects.filter(association=application.association, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role != Role.INTERVENTION_OWNER:
        return
    if not InterventionStaff.objects.filter(intervention=intervention, user=user).exists():
        staff_add(actor=actor, intervention=intervention, user=user)


def _line_set(
    actor: Any, intervention: Intervention, plan: Plan, year: int, amount: int
) -> BudgetLine:
    """Make the insats's cost line in `plan` carry `amount` in `year`, keeping its
    other years: the line already linked to the insats, else a cost line of the same
    name (a budget made before the decision, e.g. from a plan file), else a new one."""
    links = InterventionLine.objects.filter(intervention=intervention, line__plan=plan)
    link = links.select_related("line").first()
    line = link.line if link is not None else None
    if line is None:
        line = plan.lines.filter(side=BudgetLine.Side.COST, name__iexact=intervention.name).first()
        if line is not None:
            owner = InterventionLine.objects.filter(line=line).select_related("intervention")
            taken = owner.first()
            if taken is not None:
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS: [
                            _("%(plan)s har redan kostnadsraden %(name)s för insatsen %(other)s.")
                            % {
                                "plan": plan,
                                "name": line.name,
                                "other": taken.intervention.name,
                            }
                        ]
                    }
                )
    category = COST_CATEGORY[Kind(intervention.kind)]
    if line is None:
        line = finance_services.budget_line_create(
            actor=actor,
            plan=plan,
            side=BudgetLine.Side.COST,
            name=intervention.name,
            category=category,
            amounts={year: amount},
            intervention_name=intervention.name,
        )
    else:
        amounts = dict(line.amounts.values_list("year", "amount"))
        amounts[year] = amount
        finance_services.budget_line_update(
            actor=actor,
            line=line,
            name=line.name,
            category=category,
            amounts=amounts,
            intervention_name=intervention.name,
            unit=line.unit,
        )
    if link is None:
        InterventionLine.objects.create(
            association=intervention.association, intervention=intervention, line=line
        )
        audit_log(
            action="intervention.line_linked",
            actor=actor,
            association=intervention.association,
            obj=intervention,
            changes={"plan": str(plan), "line": line.name},
        )
    return line
