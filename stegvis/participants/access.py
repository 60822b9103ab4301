"""Who may see and register which participant rows (DOMAIN.md §4 and §9).

* A deltagaransvarig sees and registers the participants of the insatser they work
  on (`InterventionStaff`) and no others: another insats's participant answers 404.
* The kansli (förbundschef) sees rows, pseudonymous, only when the förbund has turned
  that on (`Policy.kansli_sees_rows`), and registers only where they are insats staff.
* Everyone else sees suppressed aggregates (`participants.report`), never rows.

Views use these functions rather than comparing roles; every read of rows is then
written to the audit log with `audit.services.audit_read`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from stegvis.associations.models import Association
from stegvis.associations.roles import Permission
from stegvis.interventions.models import Intervention, InterventionStaff
from stegvis.participants.models import Participant, Policy

# The permission that makes someone the kansli (as interventions.selectors).
KANSLI_PERMISSION = Permission.PREPARE_APPLICATIONS


def policy_for(association: Association) -> Policy:
    """The förbund's rules as stored, or the defaults (unsaved) when it has set none:
    reading them never writes (a GET never writes). Writes that need the stored
    policy, such as its key for recognising persons, use `policy_ensure`."""
    return Policy.objects.filter(association=association).first() or Policy(association=association)


def policy_ensure(association: Association) -> Policy:
    """The förbund's stored rules, made with the defaults the first time a write needs
    them (its own key for recognising persons is made then, once)."""
    policy, _ = Policy.objects.get_or_create(association=association)
    return policy


def _staff_intervention_ids(association: Association, user: Any) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        InterventionStaff.objects.filter(association=association, user=user).values_list(
            "intervention_id", flat=True
        )
    )


def registrable_interventions(request: Any) -> QuerySet[Intervention]:
    """The insatser whose participants this person registers."""
    association = request.association
    if Permission.REGISTER_PARTICIPANTS not in request.permissions:
        return Intervention.objects.none()
    ids = _staff_intervention_ids(association, request.user)
    return Intervention.objects.filter(association=association, pk__in=ids).order_by("name")


def row_interventions(request: Any) -> QuerySet[Intervention]:
    """The insatser whose participant rows this person may see."""
    association = request.association
    permissions = request.permissions
    if Permission.VIEW_PARTICIPANT_ROWS not in permissions:
        return Intervention.objects.none()
    everything = Intervention.objects.filter(association=association).order_by("name")
    if KANSLI_PERMISSION in permissions and policy_for(association).kansli_sees_rows:
        return everything
    return everything.filter(pk__in=_staff_intervention_ids(association, request.user))


def can_register(request: Any, intervention: Intervention) -> bool:
    return registrable_interventions(request).filter(pk=intervention.pk).exists()


def can_see_rows(request: Any, intervention: Intervention) -> bool:
    return row_interventions(request).filter(pk=intervention.pk).exists()


def is_own_staff(request: Any, intervention: Intervention) -> bool:
    """The insats's own staff may see its figures unsuppressed (--min-cell 1)."""
    return intervention.pk in _staff_intervention_ids(request.association, request.user)


def intervention_with_rows(request: Any, pk: int) -> Intervention:
    """The insats, when this person may see its rows; 404 otherwise (not 403: the
    insats boundary does not confirm what lies beyond it)."""
    intervention = row_interventions(request).filter(pk=pk).first()
    if intervention is None:
        raise Http404
    return intervention


def intervention_to_register(request: Any, pk: int) -> Intervention:
    intervention = registrable_interventions(request).filter(pk=pk).first()
    if intervention is None:
        raise Http404
    return intervention


def participant_with_rows(request: Any, pk: int) -> Participant:
    participant = (
        Participant.objects.filter(
            association=request.association, pk=pk, intervention__in=row_interventions(request)
        )
        .select_related("intervention", "municipality", "referring_member", "handover_to")
        .first()
    )
    if participant is None:
        raise Http404
    return participant
