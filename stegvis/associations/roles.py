"""The roles of DOMAIN.md and the named permissions each one carries.

This is the one place where a role is mapped to what it may do. Views declare
the permission they need (see `tenancy.association_view`); nothing else
compares role names.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Permission(StrEnum):
    VIEW_ASSOCIATION = "view_association"  # förbund, members, organisation, overview
    MANAGE_ASSOCIATION = "manage_association"  # edit förbund, members, population, groups
    MANAGE_PEOPLE = "manage_people"  # give people roles in the förbund
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_BUDGET = "view_budget"
    EDIT_BUDGET = "edit_budget"
    VIEW_INTERVENTIONS = "view_interventions"
    EDIT_OWN_INTERVENTION = "edit_own_intervention"
    APPLY_FOR_MEMBER = "apply_for_member"
    PREPARE_APPLICATIONS = "prepare_applications"
    RECORD_DECISIONS = "record_decisions"
    VIEW_GOALS = "view_goals"
    EDIT_GOALS = "edit_goals"
    VIEW_AGGREGATES = "view_aggregates"  # counts and results, suppressed where needed
    REGISTER_PARTICIPANTS = "register_participants"
    VIEW_PARTICIPANT_ROWS = "view_participant_rows"  # and only of one's own insatser
    MANAGE_FOLLOW_UP = "manage_follow_up"  # instruments, extra questions, participant policy
    VIEW_REPORTS = "view_reports"
    EDIT_REPORT_TEXTS = "edit_report_texts"  # the verksamhetsplan's own sections
    VIEW_COLLABORATION = "view_collaboration"  # Samverkan: activities, teams, deviations
    REPORT_DEVIATIONS = "report_deviations"  # avvikelser and guldkorn of one's own insats
    MANAGE_COLLABORATION = "manage_collaboration"  # activities, teams, surveys, handling
    VIEW_NATIONAL_AGGREGATES = "view_national_aggregates"
    CREATE_ASSOCIATION = "create_association"  # the installation: add a förbund


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Systemadministratör")
    CHIEF = "chief", _("Förbundschef/kansli")
    INTERVENTION_OWNER = "intervention_owner", _("Insatsansvarig")
    PARTICIPANT_REGISTRAR = "participant_registrar", _("Deltagaransvarig")
    READER = "reader", _("Styrelse/läsare")
    NATIONAL_READER = "national_reader", _("Nationell läsare")


P = Permission

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    # Everything technical in every förbund; no participant data by default.
    Role.SYSTEM_ADMIN: frozenset(
        {
            P.VIEW_ASSOCIATION,
            P.MANAGE_ASSOCIATION,
            P.MANAGE_PEOPLE,
            P.VIEW_AUDIT_LOG,
            P.CREATE_ASSOCIATION,
        }
    ),
    # The kansli: everything in its own förbund.
    Role.CHIEF: frozenset(Permission) - {P.VIEW_NATIONAL_AGGREGATES, P.CREATE_ASSOCIATION},
    # Owner of an insats: the insats, its budget and counts; no rows.
    Role.INTERVENTION_OWNER: frozenset(
        {
            P.VIEW_ASSOCIATION,
            P.VIEW_BUDGET,
            P.VIEW_INTERVENTIONS,
            P.EDIT_OWN_INTERVENTION,
            P.APPLY_FOR_MEMBER,
            P.VIEW_GOALS,
            P.VIEW_AGGREGATES,
            P.VIEW_REPORTS,
            P.VIEW_COLLABORATION,
            P.REPORT_DEVIATIONS,
        }
    ),
    # Staff of a member running one insats: its participants only.
    Role.PARTICIPANT_REGISTRAR: frozenset(
        {
            P.VIEW_ASSOCIATION,
            P.VIEW_INTERVENTIONS,
            P.VIEW_AGGREGATES,
            P.REGISTER_PARTICIPANTS,
            P.VIEW_PARTICIPANT_ROWS,
            P.VIEW_COLLABORATION,
            P.REPORT_DEVIATIONS,
        }
    ),
    # Board, beredningsgrupp, members' managers: plans and aggregated results.
    Role.READER: frozenset(
        {
            P.VIEW_ASSOCIATION,
            P.VIEW_BUDGET,
            P.VIEW_INTERVENTIONS,
            P.VIEW_GOALS,
            P.VIEW_AGGREGATES,
            P.VIEW_REPORTS,
            P.VIEW_COLLABORATION,
        }
    ),
    # NNS or a region's network: aggregated, suppressed figures across förbund.
    Role.NATIONAL_READER: frozenset({P.VIEW_NATIONAL_AGGREGATES}),
}

# Roles that belong to the installation rather than to one förbund.
SITE_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.NATIONAL_READER})
ASSOCIATION_ROLES = [role for role in Role if role not in SITE_ROLES]


def permissions_for(role: str | None) -> frozenset[Permission]:
    if role is None:
        return frozenset()
    return ROLE_PERMISSIONS.get(role, frozenset())


def role_requires_second_factor(role: str | None) -> bool:
    """Roles that may see participant rows log in with two factors (DOMAIN.md §9)."""
    return Permission.VIEW_PARTICIPANT_ROWS in permissions_for(role) or role == Role.SYSTEM_ADMIN
