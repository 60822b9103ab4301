"""Forms of the konsultationsteam pages. The meeting form holds the meeting, the
attendance of each representative appointed on its date and the case counts per
referring member, saved together (`services_teams.meeting_create`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association, Member, WorkingGroup
from stegvis.finance.forms import AmountField
from stegvis.interventions.models import Intervention
from stegvis.structural.models import (
    ConsultationTeam,
    FinancingRate,
    MeetingAttendance,
    MeetingCases,
    TeamMeeting,
    TeamRepresentative,
)
from stegvis.structural.services_teams import (
    Presence,
    attendance_field,
    follow_up_field,
    hours_field,
    new_cases_field,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
NO_PERSONAL_DATA = _(
    "Skriv aldrig namn, personnummer eller annat som pekar ut en person vars ärende togs upp."
)


class HoursField(AmountField):
    """Hours typed the Swedish way ('1,5'); at most two decimals."""

    def clean(self, value: Any) -> Decimal | None:
        number = super().clean(value)
        if number is None:
            return None
        if number != number.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Ange timmar med högst två decimaler."))
        if not Decimal(0) < number <= Decimal(24):
            raise forms.ValidationError(_("Ange timmar mellan 0 och 24."))
        return number


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    description = forms.CharField(
        label=_("Uppdrag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vilka ärenden teamet tar emot och hur parterna arbetar i det."),
    )
    working_group: forms.ModelChoiceField[WorkingGroup] = forms.ModelChoiceField(
        label=_("Arbetsgrupp"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        empty_label=_("Ingen"),
        help_text=_("Arbetsgruppen av slaget konsultationsteam under Inställningar, om den finns."),
    )
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Insats"),
        queryset=Intervention.objects.none(),
        required=False,
        empty_label=_("Ingen"),
        help_text=_("Om teamet finansieras som en del av en insats."),
    )
    active = forms.BooleanField(label=_("Aktivt"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        association: Association,
        team: ConsultationTeam | None = None,
        **kwargs: Any,
    ) -> None:
        if team is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": team.name,
                    "description": team.description,
                    "working_group": team.working_group_id,
                    "intervention": team.intervention_id,
                    "active": team.active,
                },
            )
        super().__init__(*args, **kwargs)
        groups = self.fields["working_group"]
        assert isinstance(groups, forms.ModelChoiceField)
        groups.queryset = WorkingGroup.objects.filter(
            association=association, kind=WorkingGroup.Kind.CONSULTATION
        )
        interventions = self.fields["intervention"]
        assert isinstance(interventions, forms.ModelChoiceField)
        interventions.queryset = Intervention.objects.filter(association=association).order_by(
            "name"
        )


class RepresentativeForm(forms.Form):
    member: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Medlem"), queryset=Member.objects.none()
    )
    name = forms.CharField(label=_("Namn"), max_length=200)
    title = forms.CharField(
        label=_("Befattning"),
        max_length=120,
        required=False,
        help_text=_("Till exempel handläggare, socialsekreterare, arbetsterapeut."),
    )
    valid_from = forms.DateField(label=_("Från"), widget=DATE)
    valid_to = forms.DateField(
        label=_("Till"),
        widget=DATE,
        required=False,
        help_text=_("Lämna tomt tills vidare."),
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["member"]
        assert isinstance(members, forms.ModelChoiceField)
        members.queryset = Member.objects.filter(association=association)


class ReplaceForm(forms.Form):
    on = forms.DateField(
        label=_("Ny representant från"),
        widget=DATE,
        help_text=_("Den som ersätts är representant till och med dagen före."),
    )
    name = forms.CharField(label=_("Ny representants namn"), max_length=200)
    title = forms.CharField(label=_("Befattning"), max_length=120, required=False)


class EndForm(forms.Form):
    on = forms.DateField(label=_("Sista dag som representant"), widget=DATE)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Orsak"),
        max_length=300,
        required=False,
        help_text=NO_PERSONAL_DATA,
    )


class MeetingForm(forms.Form):
    """A meeting of a team, with a checkbox and hours per representative and two case
    counts per member. Every representative of the team has fields, so attendance for
    one not appointed on the date is refused by name; the page shows the rows of
    those appointed on the date (and any with an error)."""

    date = forms.DateField(label=_("Datum"), widget=DATE)
    starts_at = forms.TimeField(label=_("Starttid"), widget=TIME, required=False)
    duration_minutes = forms.IntegerField(
        label=_("Längd i minuter"), min_value=1, max_value=24 * 60, initial=120
    )
    notes = forms.CharField(
        label=_("Anteckningar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_PERSONAL_DATA,
    )
    # The date the representatives' rows were shown for: a changed date shows the
    # rows again before anything is saved (without JavaScript).
    shown_date = forms.DateField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        team: ConsultationTeam,
        meeting: TeamMeeting | None = None,
        day: datetime.date | None = None,
        **kwargs: Any,
    ) -> None:
        self.team = team
        self.meeting = meeting
        self.representatives = list(
            TeamRepresentative.objects.filter(association=team.association_id, team=team)
            .select_related("member")
            .order_by(Member.kind_order("member__"), "member__name", "valid_from", "pk")
        )
        self.members = list(Member.objects.filter(association=team.association_id))
        initial: dict[str, Any] = dict(kwargs.pop("initial", None) or {})
        if meeting is not None:
            initial.update(
                date=meeting.date,
                starts_at=meeting.starts_at,
                duration_minutes=meeting.duration_minutes,
                notes=meeting.notes,
                cancelled=meeting.cancelled,
                cancel_reason=meeting.cancel_reason,
            )
            for row in MeetingAttendance.objects.filter(meeting=meeting):
                initial[attendance_field(row.representative_id)] = row.attended
                if row.hours is not None:
                    initial[hours_field(row.representative_id)] = _hours_text(row.hours)
            for cases in MeetingCases.objects.filter(meeting=meeting):
                initial[new_cases_field(cases.member_id)] = cases.new_cases
                initial[follow_up_field(cases.member_id)] = cases.follow_up_cases
        elif day is not None:
            initial.setdefault("date", day)
        initial.setdefault("shown_date", initial.get("date"))
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        if meeting is not None:
            self.fields["cancelled"] = forms.BooleanField(label=_("Inställt"), required=False)
            self.fields["cancel_reason"] = forms.CharField(
                label=_("Orsak till att mötet ställdes in"),
                max_length=300,
                required=False,
                help_text=NO_PERSONAL_DATA,
            )
        for rep in self.representatives:
            self.fields[attendance_field(rep.pk)] = forms.BooleanField(
                label=_("Närvarande: %(name)s, %(member)s")
                % {"name": rep.name, "member": rep.member},
                required=False,
            )
            self.fields[hours_field(rep.pk)] = HoursField(
                label=_("Timmar för %(name)s") % {"name": rep.name}
            )
        for member in self.members:
            self.fields[new_cases_field(member.pk)] = forms.IntegerField(
                label=_("Nya ärenden från %(member)s") % {"member": member.name},
                min_value=0,
                max_value=999,
                required=False,
            )
            self.fields[follow_up_field(member.pk)] = forms.IntegerField(
                label=_("Uppföljningsärenden från %(member)s") % {"member": member.name},
                min_value=0,
                max_value=999,
                required=False,
            )

    # What the page shows --------------------------------------------------

    def shown_day(self) -> datetime.date | None:
        """The date the representatives' rows are shown for."""
        if self.is_bound:
            try:
                return self.fields["date"].clean(self.data.get(self.add_prefix("date")))
            except forms.ValidationError:
                return None
        value = self.initial.get("date")
        return value if isinstance(value, datetime.date) else None

    def attendance_rows(self) -> list[dict[str, Any]]:
        cached: list[dict[str, Any]] | None = getattr(self, "_attendance_rows", None)
        if cached is None:
            cached = self._attendance_rows = self._rows_for(self.shown_day())
        return cached

    def any_attendance_shown(self) -> bool:
        return any(row["shown"] for row in self.attendance_rows())

    def _rows_for(self, day: datetime.date | None) -> list[dict[str, Any]]:
        rows = []
        for rep in self.representatives:
            attended = self[attendance_field(rep.pk)]
            hours = self[hours_field(rep.pk)]
            appointed = day is None or rep.valid_on(day)
            checked = bool(attended.value())
            rows.append(
                {
                    "representative": rep,
                    "attended": attended,
                    "hours": hours,
                    "appointed": appointed,
                    "shown": appointed or checked or bool(attended.errors or hours.errors),
                }
            )
        return rows

    def cases_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "member": member,
                "new": self[new_cases_field(member.pk)],
                "follow_up": self[follow_up_field(member.pk)],
            }
            for member in self.members
        ]

    def meeting_fields(self) -> list[forms.BoundField]:
        names = ["date", "starts_at", "duration_minutes", "notes"]
        return [self[name] for name in names]

    def cancel_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("cancelled", "cancel_reason") if name in self.fields]

    # Checks --------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day = cleaned.get("date")
        if day is None:
            return cleaned
        for rep in self.representatives:
            if cleaned.get(attendance_field(rep.pk)) and not rep.valid_on(day):
                self.add_error(
                    attendance_field(rep.pk),
                    _("%(name)s var inte representant för %(member)s den %(date)s.")
                    % {"name": rep.name, "member": rep.member, "date": day.isoformat()},
                )
            if cleaned.get(hours_field(rep.pk)) is not None and not cleaned.get(
                attendance_field(rep.pk)
            ):
                self.add_error(
                    hours_field(rep.pk),
                    _("Timmar anges bara för den som var närvarande (%(name)s).")
                    % {"name": rep.name},
                )
        shown = cleaned.get("shown_date")
        if shown is not None and shown != day:
            before = {rep.pk for rep in self.representatives if rep.valid_on(shown)}
            after = {rep.pk for rep in self.representatives if rep.valid_on(day)}
            if before != after:
                self.add_error(
                    None,
                    _(
                        "Representanterna för %(date)s visas nu. Kontrollera närvaron och "
                        "spara igen."
                    )
                    % {"date": day.isoformat()},
                )
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        day = data["date"]
        attendance = {
            rep.pk: Presence(
                attended=bool(data.get(attendance_field(rep.pk))),
                hours=data.get(hours_field(rep.pk)),
            )
            for rep in self.representatives
            if rep.valid_on(day) or data.get(attendance_field(rep.pk))
        }
        cases = {
            member.pk: (
                data.get(new_cases_field(member.pk)) or 0,
                data.get(follow_up_field(member.pk)) or 0,
            )
            for member in self.members
        }
        result: dict[str, Any] = {
            "date": day,
            "starts_at": data.get("starts_at"),
            "duration_minutes": data["duration_minutes"],
            "notes": data.get("notes", ""),
            "attendance": attendance,
            "cases": cases,
        }
        if self.meeting is not None:
            result["cancelled"] = bool(data.get("cancelled"))
            result["cancel_reason"] = data.get("cancel_reason", "")
        return result


def _hours_text(hours: Decimal) -> str:
    text = f"{hours:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class RateForm(forms.Form):
    team: forms.ModelChoiceField[ConsultationTeam] = forms.ModelChoiceField(
        label=_("Konsultationsteam"),
        queryset=ConsultationTeam.objects.none(),
        required=False,
        empty_label=_("Alla konsultationsteam"),
    )
    member: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Medlem"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Alla medlemmar"),
        help_text=_("En ersättning för en viss medlem gäller före den för alla medlemmar."),
    )
    unit = forms.ChoiceField(
        label=_("Ersättning"),
        choices=FinancingRate.Unit.choices,
        widget=forms.RadioSelect,
        initial=FinancingRate.Unit.MEETING,
    )
    amount = AmountField(label=_("Belopp i kronor"), required=True)
    valid_from = forms.DateField(
        label=_("Gäller från"),
        widget=DATE,
        help_text=_("En tidigare ersättning för samma team och medlem slutar dagen före."),
    )
    valid_to = forms.DateField(
        label=_("Gäller till"), widget=DATE, required=False, help_text=_("Lämna tomt tills vidare.")
    )
    note = forms.CharField(
        label=_("Beslut eller kommentar"),
        max_length=300,
        required=False,
        help_text=_("Till exempel styrelsens beslut och datum."),
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = self.fields["team"]
        assert isinstance(teams, forms.ModelChoiceField)
        teams.queryset = ConsultationTeam.objects.filter(association=association).order_by("name")
        members = self.fields["member"]
        assert isinstance(members, forms.ModelChoiceField)
        members.queryset = Member.objects.filter(association=association)

    def clean_amount(self) -> int:
        amount = self.cleaned_data.get("amount")
        if amount is None:
            raise forms.ValidationError(_("Ange beloppet i kronor."))
        if amount != amount.to_integral_value():
            raise forms.ValidationError(_("Ange hela kronor."))
        if amount < 0:
            raise forms.ValidationError(_("Beloppet kan inte vara negativt."))
        return int(amount)
