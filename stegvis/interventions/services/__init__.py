"""Writes to a förbund's insatser, application rounds, applications and decisions
(DOMAIN.md §3). Each change is one transaction and one or more audit lines.

Call them as `services.<name>`; the modules of this package only divide the work:
`applications` (rounds, applications, beredning), `decisions` (the board's decision
and what it writes in the budget), `interventions` (insatser, status, participants,
documents, styrgrupp, staff, target groups), `targets` (mätpunkter).

Errors are Django `ValidationError`s keyed by the form field they concern:
`name`, `kind`, `sharing_members`, per year `requested_2025`, `participants_2025`,
`recommended_2025`, `granted_2025`; an error about the state of things rather than
one field (an application already decided, a year without a budget) is keyed
`__all__` (NON_FIELD_ERRORS), which a form shows above its fields.

The rules, and where they come from:
* an application needs at least two members sharing the need (Finsam: the förbund
  funds what its members do together; the förbund's own application rules);
* an application moves inlämnad → beredd → beslutad, one step at a time, and a
  decided application is never reopened: a rejected need is applied for anew;
* an insats moves ansökt → beredd → beviljad → pågående → avslutad, or from ansökt
  or beredd to avslagen, one step at a time and never back;
* the slag and the ESF co-funding of an insats are fixed once it is granted
  (Uppföljning Finsam reports insatser by them): a change makes a new insats;
* a granted decision writes the insats and its cost lines in the budget of each
  granted year, through the finance services, all or nothing.
"""

from stegvis.interventions.services.applications import (
    application_prepare,
    application_submit,
    round_create,
    round_update,
)
from stegvis.interventions.services.common import (
    TRANSITIONS,
    granted_field,
    participants_field,
    recommended_field,
    requested_field,
)
from stegvis.interventions.services.decisions import decision_record
from stegvis.interventions.services.interventions import (
    document_add,
    document_delete,
    intervention_create,
    intervention_set_status,
    intervention_update,
    planned_participants_set,
    staff_add,
    staff_remove,
    steering_group_ensure,
    steering_seat_add,
    target_group_create,
    target_groups_ensure,
)
from stegvis.interventions.services.targets import target_add, target_delete, target_update

__all__ = [
    "TRANSITIONS",
    "application_prepare",
    "application_submit",
    "decision_record",
    "document_add",
    "document_delete",
    "granted_field",
    "intervention_create",
    "intervention_set_status",
    "intervention_update",
    "participants_field",
    "planned_participants_set",
    "recommended_field",
    "requested_field",
    "round_create",
    "round_update",
    "staff_add",
    "staff_remove",
    "steering_group_ensure",
    "steering_seat_add",
    "target_add",
    "target_delete",
    "target_group_create",
    "target_groups_ensure",
    "target_update",
]
