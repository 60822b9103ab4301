"""Application rounds, applications and their beredning (DOMAIN.md §3)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.interventions.models import (
    Application,
    ApplicationRound,
    ApplicationYear,
    Intervention,
    Kind,
    TargetGroup,
)
from stegvis.interventions.services.common import (
    APPLICATION_FIELDS,
    FINISHED,
    ROUND_FIELDS,
    YEAR_RANGE,
    Outcome,
    Status,
    add_error,
    by_year,
    check_member,
    check_target_group,
    immutable_message,
    kronor,
    member_names,
    participants_field,
    raise_errors,
    recommended_field,
    requested_field,
    set_intervention_status,
    status_label,
)


def _check_round(round: ApplicationRound) -> None:
    errors: dict[str, list[str]] = {}
    round.name = round.name.strip()
    if not round.name:
        add_error(errors, "name", _("Ange ett namn."))
    clash = ApplicationRound.objects.filter(
        association=round.association, name__iexact=round.name
    ).exclude(pk=round.pk)
    if round.name and clash.exists():
        add_error(errors, "name", _("Det finns redan en ansökningsomgång med det namnet."))
    if round.opens and round.closes and round.closes < round.opens:
        add_error(errors, "closes", _("Omgången kan inte stänga innan den öppnar."))
    if round.amount_available is not None and round.amount_available < 0:
        add_error(errors, "amount_available", _("Beloppet kan inte vara negativt."))
    raise_errors(errors)
    round.full_clean()


@transaction.atomic
def round_create(
    *,
    actor: Any,
    association: Association,
    name: str,
    opens: datetime.date,
    closes: datetime.date,
    amount_available: int,
    description: str = "",
) -> ApplicationRound:
    """An application window: members apply between `opens` and `closes` (both days
    included) for what the förbund has made available (kronor)."""
    round = ApplicationRound(
        association=association,
        name=name,
        opens=opens,
        closes=closes,
        amount_available=amount_available,
        description=description,
    )
    _check_round(round)
    round.save()
    audit_log(
        action="application_round.created",
        actor=actor,
        association=association,
        obj=round,
        changes=snapshot(round, ROUND_FIELDS),
    )
    return round


@transaction.atomic
def round_update(*, actor: Any, round: ApplicationRound, **fields: Any) -> ApplicationRound:
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"round_update: unknown fields {sorted(unknown)}")
    given = round
    round = ApplicationRound.objects.get(pk=round.pk)
    before = snapshot(round, ROUND_FIELDS)
    for field, value in fields.items():
        setattr(round, field, value)
    _check_round(round)
    round.save()
    changes = diff(before, snapshot(round, ROUND_FIELDS))
    if changes:
        audit_log(
            action="application_round.updated",
            actor=actor,
            association=round.association,
            obj=round,
            changes=changes,
        )
    given.refresh_from_db()
    return round


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    association: Association,
    round: ApplicationRound,
    title: str,
    kind: str,
    applicant: Member,
    sharing_members: Iterable[Member],
    need: str,
    goals: str,
    years: Mapping[int, tuple[int, int]],
    target_group: TargetGroup | None = None,
    intervention: Intervention | None = None,
    esf_funded: bool = False,
    on: datetime.date | None = None,
) -> Application:
    """A member's application in an open round. `years` is {year: (requested kronor,
    planned participants)}. `on` is the day it came in (today unless the kansli
    registers one that came earlier); the round must be open that day.

    At least two different members must share the need, the applicant counted
    (the förbund funds what its members do together). An application for continued
    funding names its `intervention`; a granted insats keeps its slag and ESF."""
    on = on or timezone.localdate()
    title = (title or "").strip() or (intervention.name if intervention else "")
    sharing = {m.pk: m for m in sharing_members if isinstance(m, Member)}
    if isinstance(applicant, Member):
        sharing.pop(applicant.pk, None)
    errors: dict[str, list[str]] = {}

    if round.association_id != association.pk:
        add_error(errors, "round", _("Välj en ansökningsomgång i förbundet."))
    elif not round.opens <= on <= round.closes:
        add_error(
            errors,
            "round",
            _("Ansökningsomgången %(name)s är öppen %(opens)s–%(closes)s, inte %(on)s.")
            % {"name": round.name, "opens": round.opens, "closes": round.closes, "on": on},
        )
    if not title:
        add_error(errors, "title", _("Ange insatsens namn."))
    if kind not in Kind.values:
        add_error(errors, "kind", _("Välj individinriktad eller strukturövergripande."))
    check_member(errors, association, applicant, "applicant")
    for member in sharing.values():
        if member.association_id != association.pk:
            add_error(errors, "sharing_members", _("Välj medlemmar i förbundet."))
            break
    if isinstance(applicant, Member) and len(sharing) < 1:
        add_error(
            errors,
            "sharing_members",
            _(
                "Minst två medlemmar måste dela behovet – ange minst en medlem till "
                "utöver den sökande."
            ),
        )
    if not need.strip():
        add_error(errors, "need", _("Beskriv behovet."))
    if not goals.strip():
        add_error(errors, "goals", _("Beskriv målen."))
    check_target_group(errors, association, target_group)
    if intervention is not None:
        if intervention.association_id != association.pk:
            add_error(errors, "intervention", _("Välj en insats i förbundet."))
        elif intervention.status in FINISHED:
            add_error(
                errors,
                "intervention",
                _("Insatsen %(name)s är %(status)s och kan inte få fortsatt finansiering.")
                % {"name": intervention.name, "status": status_label(intervention.status)},
            )
        elif intervention.is_granted:
            if kind in Kind.values and kind != intervention.kind:
                add_error(errors, "kind", immutable_message())
            if bool(esf_funded) != intervention.esf_funded:
                add_error(errors, "esf_funded", immutable_message())
    elif title:
        pending = Application.objects.filter(
            association=association,
            title__iexact=title,
            intervention__isnull=True,
            status__in=[Application.Status.SUBMITTED, Application.Status.PREPARED],
        )
        if pending.exists():
            add_error(
                errors,
                "title",
                _("Det finns redan en obeslutad ansökan om en insats med det namnet."),
            )
        elif Intervention.objects.filter(association=association, name__iexact=title).exists():
            add_error(
                errors,
                "title",
                _(
                    "Det finns redan en insats som heter %(name)s. Välj den som befintlig "
                    "insats om ansökan gäller fortsatt finansiering, eller ge insatsen ett "
                    "annat namn."
                )
                % {"name": title},
            )
    if not any((requested or 0) > 0 for requested, _participants in years.values()):
        add_error(errors, NON_FIELD_ERRORS, _("Ange sökt belopp för minst ett år."))
    for year, (requested, participants) in sorted(years.items()):
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            add_error(
                errors, NON_FIELD_ERRORS, _("%(year)s är inte ett rimligt år.") % {"year": year}
            )
            continue
        if requested is None or requested < 0:
            add_error(errors, requested_field(year), _("Sökt belopp kan inte vara negativt."))
        if participants is None or participants < 0:
            add_error(
                errors,
                participants_field(year),
                _("Antalet deltagare kan inte vara negativt."),
            )
    raise_errors(errors)

    application = Application(
        association=association,
        round=round,
        title=title,
        kind=kind,
        applicant=applicant,
        intervention=intervention,
        need=need.strip(),
        goals=goals.strip(),
        target_group=target_group,
        esf_funded=bool(esf_funded),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        received_on=on,
    )
    application.full_clean()
    application.save()
    application.sharing_members.set(sharing.values())
    for year, (requested, participants) in sorted(years.items()):
        ApplicationYear.objects.create(
            association=association,
            application=application,
            year=year,
            requested=requested,
            planned_participants=participants,
        )
    audit_log(
        action="application.submitted",
        actor=actor,
        association=association,
        obj=application,
        changes={
            **snapshot(application, APPLICATION_FIELDS),
            "sharing_members": member_names(sharing.values()),
            "requested": by_year({y: r for y, (r, _p) in years.items()}),
            "planned_participants": by_year({y: p for y, (_r, p) in years.items()}),
        },
    )
    return application


def amounts_for(
    outcome: str,
    requested: Mapping[int, int],
    given: Mapping[int, int],
    field: Any,
    errors: dict[str, list[str]],
) -> dict[int, int]:
    """The amounts per year of a recommendation or a decision: bifall gives what was
    applied for, avslag nothing, delvis bifall what is given for each year (a year
    left out is 0), never more than was applied for and something in some year."""
    given = {year: amount for year, amount in given.items() if amount is not None}
    for year in given:
        if year not in requested:
            add_error(
                errors, field(year), _("Året %(year)s ingår inte i ansökan.") % {"year": year}
            )
    if outcome == Outcome.REJECT:
        return dict.fromkeys(requested, 0)
    if outcome == Outcome.APPROVE:
        for year, amount in given.items():
            if year in requested and amount != requested[year]:
                add_error(
                    errors,
                    field(year),
                    _(
                        "Bifall ger det sökta beloppet (%(requested)s) – välj delvis bifall "
                        "för ett annat belopp."
                    )
                    % {"requested": kronor(requested[year])},
                )
        return dict(requested)
    amounts = {year: given.get(year, 0) for year in requested}
    for year, amount in amounts.items():
        if amount < 0:
            add_error(errors, field(year), _("Beloppet kan inte vara negativt."))
        elif amount > requested[year]:
            add_error(
                errors,
                field(year),
                _("Beloppet kan inte vara större än det sökta (%(requested)s).")
                % {"requested": kronor(requested[year])},
            )
    if not any(amount > 0 for amount in amounts.values()):
        add_error(
            errors,
            NON_FIELD_ERRORS,
            _("Delvis bifall ger ett belopp för minst ett år – välj annars avslag."),
        )
    return amounts


def lock_application(application: Application) -> Application:
    """The application row, locked until the transaction ends: two people (or one
    double click) deciding at once are served one after the other."""
    return Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_prepare(
    *,
    actor: Any,
    application: Application,
    notes: str,
    recommendation: str,
    recommended: Mapping[int, int],
) -> Application:
    """The kansli's beredning: notes and a recommendation with an amount per year.
    Bifall recommends what was applied for, avslag nothing, delvis bifall at most what
    was applied for. A submitted application is prepared; a prepared one may be
    prepared again until the board decides."""
    locked = lock_application(application)
    if locked.status == Application.Status.DECIDED:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Ansökan är redan beslutad och kan inte beredas igen. "
                        "Ett nytt behov söks med en ny ansökan."
                    )
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    if recommendation not in Application.Recommendation.values:
        add_error(errors, "recommendation", _("Välj bifall, delvis bifall eller avslag."))
        raise_errors(errors)
    rows = {row.year: row for row in locked.years.all()}
    requested = {year: row.requested for year, row in rows.items()}
    amounts = amounts_for(recommendation, requested, recommended, recommended_field, errors)
    raise_errors(errors)

    before = {
        **snapshot(locked, ["status", "preparation_notes", "recommendation"]),
        "recommended": by_year({y: r.recommended for y, r in rows.items() if r.recommended}),
    }
    locked.preparation_notes = notes.strip()
    locked.recommendation = recommendation
    locked.status = Application.Status.PREPARED
    locked.save(update_fields=["preparation_notes", "recommendation", "status"])
    for year, row in rows.items():
        if row.recommended != amounts[year]:
            row.recommended = amounts[year]
            row.save(update_fields=["recommended"])
    after = {
        **snapshot(locked, ["status", "preparation_notes", "recommendation"]),
        "recommended": by_year({y: a for y, a in amounts.items() if a}),
    }
    audit_log(
        action="application.prepared",
        actor=actor,
        association=locked.association,
        obj=locked,
        changes=diff(before, after),
    )
    if locked.intervention is not None and locked.intervention.status == Status.APPLIED:
        set_intervention_status(actor, locked.intervention, Status.PREPARED)
    application.refresh_from_db()
    return locked
