"""Writes to the konsultationsteam: teams, their representatives, meetings with
attendance and anonymous case counts, and the rates of the attendance-based financing
(DOMAIN.md §6; seeds/000_… B2).

Every write runs in a transaction and is logged. The rules kept here:

* A representative is appointed from a date, to a date or until further notice. A
  replacement ends the one representative the day before the next begins, so each
  earns for the meetings of their own days; an attendance already recorded after the
  change date stops it (change the meeting first or pick a later date).
* Attendance is recorded for the representatives appointed on the meeting's date, and
  only once the meeting has taken place. A cancelled meeting keeps its record but
  earns nothing (`financing`).
* Case counts are numbers per referring member, never anything about the person.
* A new rate for the same team and member starting later ends the current one the day
  before; a rate may not start inside or before one that starts later.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association, Member, WorkingGroup
from stegvis.audit.services import audit_log, diff, snapshot
from stegvis.interventions.models import Intervention
from stegvis.structural.models import (
    ConsultationTeam,
    FinancingRate,
    MeetingAttendance,
    MeetingCases,
    TeamMeeting,
    TeamRepresentative,
)

TEAM_FIELDS = ("name", "description", "working_group", "intervention", "active")
MEETING_FIELDS = (
    "date",
    "starts_at",
    "duration_minutes",
    "cancelled",
    "cancel_reason",
    "notes",
)
RATE_FIELDS = ("team", "member", "unit", "amount", "valid_from", "valid_to", "note")
MAX_RATE = 1_000_000  # kronor; far above any rate per meeting or hour
MAX_CASES = 999
MAX_HOURS = Decimal(24)
ONE_DAY = datetime.timedelta(days=1)

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _day(value: datetime.date) -> str:
    return value.isoformat()


# ---------------------------------------------------------------------------
# Teams


def _team_check(
    *,
    association: Association,
    name: str,
    working_group: WorkingGroup | None,
    intervention: Intervention | None,
    team: ConsultationTeam | None = None,
) -> None:
    errors: Errors = {}
    if not name:
        _add(errors, "name", _("Ange teamets namn."))
    elif len(name) > 200:
        _add(errors, "name", _("Namnet får vara högst 200 tecken."))
    else:
        same = ConsultationTeam.objects.filter(association=association, name__iexact=name)
        if team is not None:
            same = same.exclude(pk=team.pk)
        if same.exists():
            _add(
                errors,
                "name",
                _("Det finns redan ett konsultationsteam med namnet ”%(name)s”.") % {"name": name},
            )
    if working_group is not None and (
        working_group.association_id != association.pk
        or working_group.kind != WorkingGroup.Kind.CONSULTATION
    ):
        _add(errors, "working_group", _("Välj en arbetsgrupp av slaget konsultationsteam."))
    if intervention is not None and intervention.association_id != association.pk:
        _add(errors, "intervention", _("Välj en av förbundets insatser."))
    _raise(errors)


@transaction.atomic
def team_create(
    *,
    actor: Any,
    association: Association,
    name: str,
    description: str = "",
    working_group: WorkingGroup | None = None,
    intervention: Intervention | None = None,
    active: bool = True,
) -> ConsultationTeam:
    name = _text(name)
    _team_check(
        association=association, name=name, working_group=working_group, intervention=intervention
    )
    team = ConsultationTeam.objects.create(
        association=association,
        name=name,
        description=_text(description),
        working_group=working_group,
        intervention=intervention,
        active=active,
    )
    audit_log(
        action="consultation_team.created",
        actor=actor,
        association=association,
        obj=team,
        changes=snapshot(team, TEAM_FIELDS),
    )
    return team


@transaction.atomic
def team_update(
    *,
    actor: Any,
    team: ConsultationTeam,
    name: str,
    description: str = "",
    working_group: WorkingGroup | None = None,
    intervention: Intervention | None = None,
    active: bool = True,
) -> ConsultationTeam:
    name = _text(name)
    _team_check(
        association=team.association,
        name=name,
        working_group=working_group,
        intervention=intervention,
        team=team,
    )
    before = snapshot(team, TEAM_FIELDS)
    team.name = name
    team.description = _text(description)
    team.working_group = working_group
    team.intervention = intervention
    team.active = active
    changes = diff(before, snapshot(team, TEAM_FIELDS))
    if changes:
        team.save()
        audit_log(
            action="consultation_team.updated",
            actor=actor,
            association=team.association,
            obj=team,
            changes=changes,
        )
    return team


# ---------------------------------------------------------------------------
# Representatives


def _person_check(errors: Errors, name: str, title: str) -> None:
    if not name:
        _add(errors, "name", _("Ange representantens namn."))
    elif len(name) > 200:
        _add(errors, "name", _("Namnet får vara högst 200 tecken."))
    if len(title) > 120:
        _add(errors, "title", _("Befattningen får vara högst 120 tecken."))


def _attendance_after(representative: TeamRepresentative, day: datetime.date) -> list[str]:
    """Dates of meetings after `day` where the representative is recorded as present."""
    return [
        _day(meeting_date)
        for meeting_date in MeetingAttendance.objects.filter(
            representative=representative, attended=True, meeting__date__gt=day
        )
        .order_by("meeting__date")
        .values_list("meeting__date", flat=True)
    ]


@transaction.atomic
def representative_add(
    *,
    actor: Any,
    team: ConsultationTeam,
    member: Member,
    name: str,
    title: str = "",
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> TeamRepresentative:
    """Appoint a member's representative in a team. A member may have more than one
    (a kommun sending both socialtjänst and vuxenutbildning)."""
    name, title = _text(name), _text(title)
    errors: Errors = {}
    if member.association_id != team.association_id:
        _add(errors, "member", _("Välj en av förbundets medlemmar."))
    _person_check(errors, name, title)
    if valid_to is not None and valid_to < valid_from:
        _add(errors, "valid_to", _("Till-datum kan inte vara före från-datum."))
    _raise(errors)
    representative = TeamRepresentative.objects.create(
        association=team.association,
        team=team,
        member=member,
        name=name,
        title=title,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    audit_log(
        action="team_representative.added",
        actor=actor,
        association=team.association,
        obj=representative,
        changes={
            "team": team.name,
            "member": member.name,
            "name": name,
            "title": title,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    return representative


@transaction.atomic
def representative_replace(
    *,
    actor: Any,
    representative: TeamRepresentative,
    on: datetime.date,
    name: str,
    title: str = "",
) -> TeamRepresentative:
    """A new person represents the same member in the team from `on`; the one replaced
    ends the day before. Their attendance before `on` stays theirs."""
    name, title = _text(name), _text(title)
    errors: Errors = {}
    _person_check(errors, name, title)
    if on <= representative.valid_from:
        _add(
            errors,
            "on",
            _("Bytet måste ske efter att %(name)s började (%(start)s).")
            % {"name": representative.name, "start": _day(representative.valid_from)},
        )
    elif representative.valid_to is not None and representative.valid_to < on - ONE_DAY:
        _add(
            errors,
            "on",
            _("%(name)s slutade redan %(end)s. Lägg till en ny representant i stället.")
            % {"name": representative.name, "end": _day(representative.valid_to)},
        )
    elif hasattr(representative, "replaced_by"):
        _add(errors, "on", _("%(name)s är redan ersatt.") % {"name": representative.name})
    else:
        later = _attendance_after(representative, on - ONE_DAY)
        if later:
            _add(
                errors,
                "on",
                _(
                    "%(name)s är registrerad som närvarande på möten efter bytet (%(dates)s). "
                    "Ändra närvaron på de mötena först eller välj ett senare datum."
                )
                % {"name": representative.name, "dates": ", ".join(later)},
            )
    _raise(errors)
    old_end = representative.valid_to
    representative.valid_to = on - ONE_DAY
    representative.save(update_fields=["valid_to"])
    successor = TeamRepresentative.objects.create(
        association=representative.association,
        team=representative.team,
        member=representative.member,
        name=name,
        title=title,
        valid_from=on,
        valid_to=old_end,
        replaces=representative,
    )
    audit_log(
        action="team_representative.replaced",
        actor=actor,
        association=representative.association,
        obj=successor,
        changes={
            "team": representative.team.name,
            "member": representative.member.name,
            "replaces": representative.name,
            "name": name,
            "title": title,
            "valid_from": on,
        },
    )
    return successor


@transaction.atomic
def representative_end(
    *, actor: Any, representative: TeamRepresentative, on: datetime.date
) -> TeamRepresentative:
    """The representative's last day in the team is `on`."""
    errors: Errors = {}
    if on < representative.valid_from:
        _add(
            errors,
            "on",
            _("Sista dagen kan inte vara före första (%(start)s).")
            % {"start": _day(representative.valid_from)},
        )
    else:
        later = _attendance_after(representative, on)
        if later:
            _add(
                errors,
                "on",
                _(
                    "%(name)s är registrerad som närvarande på möten efter det datumet "
                    "(%(dates)s). Ändra närvaron på de mötena först eller välj ett senare datum."
                )
                % {"name": representative.name, "dates": ", ".join(later)},
            )
    _raise(errors)
    before = representative.valid_to
    representative.valid_to = on
    representative.save(update_fields=["valid_to"])
    audit_log(
        action="team_representative.ended",
        actor=actor,
        association=representative.association,
        obj=representative,
        changes={"valid_to": [before, on]},
    )
    return representative


# ---------------------------------------------------------------------------
# Meetings


@dataclass(frozen=True)
class Presence:
    """One representative at one meeting, as the form gives it."""

    attended: bool
    hours: Decimal | None = None


def attendance_field(representative_pk: int) -> str:
    return f"attended_{representative_pk}"


def hours_field(representative_pk: int) -> str:
    return f"hours_{representative_pk}"


def new_cases_field(member_pk: int) -> str:
    return f"new_{member_pk}"


def follow_up_field(member_pk: int) -> str:
    return f"follow_up_{member_pk}"


def representatives_on(team: ConsultationTeam, day: datetime.date) -> list[TeamRepresentative]:
    """The team's representatives appointed on `day`, in the members' order."""
    return list(
        TeamRepresentative.objects.filter(
            association=team.association_id, team=team, valid_from__lte=day
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("member")
    )


def _meeting_check(
    errors: Errors,
    *,
    team: ConsultationTeam,
    date: datetime.date,
    duration_minutes: int,
    cancel_reason: str,
    attendance: Mapping[int, Presence],
    cases: Mapping[int, tuple[int, int]],
    today: datetime.date,
) -> dict[int, TeamRepresentative]:
    if not 0 < duration_minutes <= 24 * 60:
        _add(errors, "duration_minutes", _("Ange mötets längd i minuter, högst 1 440."))
    if len(cancel_reason) > 300:
        _add(errors, "cancel_reason", _("Orsaken får vara högst 300 tecken."))
    appointed = {rep.pk: rep for rep in representatives_on(team, date)}
    others = {
        rep.pk: rep
        for rep in TeamRepresentative.objects.filter(
            association=team.association_id, pk__in=list(attendance)
        ).exclude(pk__in=list(appointed))
    }
    for pk, presence in attendance.items():
        rep = appointed.get(pk)
        if rep is None:
            if presence.attended:
                person = others.get(pk)
                if person is None or person.team_id != team.pk:
                    _add(errors, attendance_field(pk), _("Personen är inte representant i teamet."))
                else:
                    _add(
                        errors,
                        attendance_field(pk),
                        _("%(name)s var inte representant den %(date)s (%(period)s).")
                        % {
                            "name": person.name,
                            "date": _day(date),
                            "period": _validity(person),
                        },
                    )
            continue
        if presence.attended and date > today:
            _add(
                errors,
                attendance_field(pk),
                _("Närvaro kan registreras först när mötet har hållits (%(date)s).")
                % {"date": _day(date)},
            )
        if presence.hours is not None and not Decimal(0) < presence.hours <= MAX_HOURS:
            _add(errors, hours_field(pk), _("Ange timmar mellan 0 och 24."))
        elif presence.hours is not None and presence.hours != presence.hours.quantize(
            Decimal("0.01")
        ):
            _add(errors, hours_field(pk), _("Ange timmar med högst två decimaler."))
        if presence.hours is not None and not presence.attended:
            _add(
                errors,
                hours_field(pk),
                _("Timmar anges bara för den som var närvarande (%(name)s).") % {"name": rep.name},
            )
    members = set(
        Member.objects.filter(association=team.association_id, pk__in=list(cases)).values_list(
            "pk", flat=True
        )
    )
    for member_pk, (new, follow_up) in cases.items():
        if member_pk not in members:
            _add(errors, new_cases_field(member_pk), _("Välj en av förbundets medlemmar."))
            continue
        for field, count in ((new_cases_field, new), (follow_up_field, follow_up)):
            if not 0 <= count <= MAX_CASES:
                _add(errors, field(member_pk), _("Ange ett antal mellan 0 och 999."))
    return appointed


def _validity(rep: TeamRepresentative) -> str:
    if rep.valid_to is None:
        return _("från %(start)s") % {"start": _day(rep.valid_from)}
    return f"{_day(rep.valid_from)} – {_day(rep.valid_to)}"


def _meeting_snapshot(meeting: TeamMeeting) -> dict[str, Any]:
    values = snapshot(meeting, MEETING_FIELDS)
    if meeting.starts_at is not None:
        values["starts_at"] = meeting.starts_at.strftime("%H:%M")
    return values


def _attendance_snapshot(meeting: TeamMeeting) -> dict[str, str]:
    return {
        f"{row.representative.name} ({row.representative.member.name})": (
            (_("närvarande") if row.attended else _("frånvarande"))
            + (f", {row.hours} h" if row.hours is not None else "")
        )
        for row in meeting.attendance.select_related("representative__member")
    }


def _cases_snapshot(meeting: TeamMeeting) -> dict[str, str]:
    return {
        row.member.name: f"{row.new_cases} + {row.follow_up_cases}"
        for row in meeting.cases.select_related("member")
    }


def _records_store(
    meeting: TeamMeeting,
    appointed: Mapping[int, TeamRepresentative],
    attendance: Mapping[int, Presence],
    cases: Mapping[int, tuple[int, int]],
) -> None:
    meeting.attendance.all().delete()
    MeetingAttendance.objects.bulk_create(
        [
            MeetingAttendance(
                association_id=meeting.association_id,
                meeting=meeting,
                representative=rep,
                attended=attendance[pk].attended if pk in attendance else False,
                hours=attendance[pk].hours if pk in attendance else None,
            )
            for pk, rep in appointed.items()
        ]
    )
    meeting.cases.all().delete()
    MeetingCases.objects.bulk_create(
        [
            MeetingCases(
                association_id=meeting.association_id,
                meeting=meeting,
                member_id=member_pk,
                new_cases=new,
                follow_up_cases=follow_up,
            )
            for member_pk, (new, follow_up) in cases.items()
            if new or follow_up
        ]
    )


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    team: ConsultationTeam,
    date: datetime.date,
    starts_at: datetime.time | None = None,
    duration_minutes: int = 120,
    notes: str = "",
    attendance: Mapping[int, Presence] | None = None,
    cases: Mapping[int, tuple[int, int]] | None = None,
    today: datetime.date | None = None,
) -> TeamMeeting:
    """A meeting with its attendance (keyed by representative) and case counts (keyed
    by referring member: new, follow-up), in one transaction. Every representative
    appointed on the date gets a row: present or absent."""
    attendance = attendance or {}
    cases = cases or {}
    notes = _text(notes)
    errors: Errors = {}
    appointed = _meeting_check(
        errors,
        team=team,
        date=date,
        duration_minutes=duration_minutes,
        cancel_reason="",
        attendance=attendance,
        cases=cases,
        today=today or timezone.localdate(),
    )
    _raise(errors)
    meeting = TeamMeeting.objects.create(
        association=team.association,
        team=team,
        date=date,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        notes=notes,
    )
    if attendance or cases:
        _records_store(meeting, appointed, attendance, cases)
    audit_log(
        action="team_meeting.created",
        actor=actor,
        association=team.association,
        obj=meeting,
        changes={
            "team": team.name,
            **_meeting_snapshot(meeting),
            "attendance": _attendance_snapshot(meeting),
            "cases": _cases_snapshot(meeting),
        },
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Any,
    meeting: TeamMeeting,
    date: datetime.date,
    starts_at: datetime.time | None = None,
    duration_minutes: int = 120,
    notes: str = "",
    cancelled: bool = False,
    cancel_reason: str = "",
    attendance: Mapping[int, Presence] | None = None,
    cases: Mapping[int, tuple[int, int]] | None = None,
    today: datetime.date | None = None,
) -> TeamMeeting:
    """Change a meeting and replace its attendance and case counts as given."""
    attendance = attendance or {}
    cases = cases or {}
    notes, cancel_reason = _text(notes), _text(cancel_reason)
    errors: Errors = {}
    appointed = _meeting_check(
        errors,
        team=meeting.team,
        date=date,
        duration_minutes=duration_minutes,
        cancel_reason=cancel_reason,
        attendance=attendance,
        cases=cases,
        today=today or timezone.localdate(),
    )
    _raise(errors)
    before = {
        **_meeting_snapshot(meeting),
        "attendance": _attendance_snapshot(meeting),
        "cases": _cases_snapshot(meeting),
    }
    meeting.date = date
    meeting.starts_at = starts_at
    meeting.duration_minutes = duration_minutes
    meeting.notes = notes
    meeting.cancelled = cancelled
    meeting.cancel_reason = cancel_reason if cancelled else ""
    meeting.save()
    _records_store(meeting, appointed, attendance, cases)
    after = {
        **_meeting_snapshot(meeting),
        "attendance": _attendance_snapshot(meeting),
        "cases": _cases_snapshot(meeting),
    }
    changes = diff(before, after)
    if changes:
        audit_log(
            action="team_meeting.updated",
            actor=actor,
            association=meeting.association,
            obj=meeting,
            changes=changes,
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: TeamMeeting, reason: str = "") -> TeamMeeting:
    """The meeting was not held: it stays in the list, and earns nothing."""
    reason = _text(reason)
    if len(reason) > 300:
        raise ValidationError({"reason": [_("Orsaken får vara högst 300 tecken.")]})
    if meeting.cancelled:
        raise ValidationError(_("Mötet är redan inställt."))
    meeting.cancelled = True
    meeting.cancel_reason = reason
    meeting.save(update_fields=["cancelled", "cancel_reason"])
    audit_log(
        action="team_meeting.cancelled",
        actor=actor,
        association=meeting.association,
        obj=meeting,
        changes={"cancelled": [False, True], "cancel_reason": reason},
    )
    return meeting


# ---------------------------------------------------------------------------
# Rates


def _same_scope(
    association: Association, team: ConsultationTeam | None, member: Member | None
) -> Any:
    return FinancingRate.objects.filter(association=association, team=team, member=member)


@transaction.atomic
def rate_create(
    *,
    actor: Any,
    association: Association,
    team: ConsultationTeam | None,
    member: Member | None,
    unit: str,
    amount: int,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    note: str = "",
) -> FinancingRate:
    """A rate from a date. The current rate of the same team and member ends the day
    before, as a board decision on a new rate from a date means."""
    note = _text(note)
    errors: Errors = {}
    if team is not None and team.association_id != association.pk:
        _add(errors, "team", _("Välj ett av förbundets konsultationsteam."))
    if member is not None and member.association_id != association.pk:
        _add(errors, "member", _("Välj en av förbundets medlemmar."))
    if unit not in FinancingRate.Unit.values:
        _add(errors, "unit", _("Välj per möte eller per timme."))
    if isinstance(amount, bool) or not 0 <= amount <= MAX_RATE:
        _add(errors, "amount", _("Ange ett belopp i hela kronor mellan 0 och 1 000 000."))
    if valid_to is not None and valid_to < valid_from:
        _add(errors, "valid_to", _("Till-datum kan inte vara före från-datum."))
    if len(note) > 300:
        _add(errors, "note", _("Kommentaren får vara högst 300 tecken."))
    _raise(errors)
    same = _same_scope(association, team, member)
    later = same.filter(valid_from__gte=valid_from).order_by("valid_from").first()
    if later is not None:
        _raise(
            {
                "valid_from": [
                    _(
                        "Det finns redan en ersättning för samma team och medlem från "
                        "%(start)s. Välj ett senare från-datum eller ta bort den först."
                    )
                    % {"start": _day(later.valid_from)}
                ]
            }
        )
    current = (
        same.filter(valid_from__lt=valid_from)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
        .first()
    )
    if current is not None:
        ended = valid_from - ONE_DAY
        audit_log(
            action="financing_rate.ended",
            actor=actor,
            association=association,
            obj=current,
            changes={"valid_to": [current.valid_to, ended]},
        )
        current.valid_to = ended
        current.save(update_fields=["valid_to"])
    rate = FinancingRate.objects.create(
        association=association,
        team=team,
        member=member,
        unit=unit,
        amount=amount,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )
    audit_log(
        action="financing_rate.created",
        actor=actor,
        association=association,
        obj=rate,
        changes=snapshot(rate, RATE_FIELDS),
    )
    return rate


@transaction.atomic
def rate_delete(*, actor: Any, rate: FinancingRate) -> None:
    """Remove a rate entered by mistake. The basis of a period is computed from the
    rates as they are, so a period already paid is recomputed differently: the log
    keeps what was removed."""
    audit_log(
        action="financing_rate.deleted",
        actor=actor,
        association=rate.association,
        obj=rate,
        changes=snapshot(rate, RATE_FIELDS),
    )
    rate.delete()
