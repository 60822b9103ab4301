"""Forms of the activity pages: the activity with its attendance per member (one row
per member of the förbund, in a formset), the list's filters and the förbund's kinds.
They parse what a person typed; `services_activities` holds the rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association, Member
from stegvis.finance.forms import AmountField
from stegvis.interventions.models import Intervention
from stegvis.structural.models.activities import Activity, ActivityKind
from stegvis.structural.services_activities import ACTIVITY_FIELDS, AttendanceRow

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MAX_COUNT = 100_000


def _count(label: Any, help_text: Any = "") -> forms.IntegerField:
    """A number of people, zero or more, that may be left empty."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count", "min": 0}),
    )


class ActivityForm(forms.Form):
    kind: forms.ModelChoiceField[ActivityKind] = forms.ModelChoiceField(
        label=_("Slag"), queryset=ActivityKind.objects.none(), empty_label=None
    )
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=200,
        help_text=_("T.ex. ”Kunskapsdialog: Neuropsykiatriska funktionsnedsättningar”."),
    )
    date = forms.DateField(label=_("Datum"), widget=DATE)
    starts_at = forms.TimeField(label=_("Börjar"), required=False, widget=TIME)
    ends_at = forms.TimeField(label=_("Slutar"), required=False, widget=TIME)
    end_date = forms.DateField(
        label=_("Slutdatum"),
        required=False,
        widget=DATE,
        help_text=_("Bara för en aktivitet över flera dagar."),
    )
    place = forms.CharField(
        label=_("Plats"), required=False, max_length=200, help_text=_("Eller ”Digitalt”.")
    )
    organiser = forms.CharField(
        label=_("Arrangör"),
        max_length=200,
        help_text=_("Förbundet, en medlem eller flera tillsammans."),
    )
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Insats"),
        queryset=Intervention.objects.none(),
        required=False,
        empty_label=_("Ingen insats"),
        help_text=_("Om aktiviteten hör till en insats som förbundet finansierar."),
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Innehåll, föreläsare, målgrupp. Inga uppgifter om enskilda personer."),
    )
    other_participants = _count(
        _("Övriga deltagare"), _("Deltagare som inte kom från någon medlem.")
    )
    other_participants_note = forms.CharField(
        label=_("Vilka övriga"),
        required=False,
        max_length=200,
        help_text=_("T.ex. ”brukarorganisationer, arbetsgivare”."),
    )
    evaluation_score = AmountField(
        label=_("Utvärdering, medelvärde"),
        help_text=_("Deltagarnas sammanlagda betyg, t.ex. 4,3."),
    )
    evaluation_scale = forms.TypedChoiceField(
        label=_("Skala"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–"), *Activity.Scale.choices],
    )
    evaluation_responses = _count(_("Antal svar"))
    cancelled = forms.BooleanField(
        label=_("Inställd"),
        required=False,
        help_text=_("En inställd aktivitet finns kvar i listan men räknas inte."),
    )

    def __init__(
        self,
        *args: Any,
        association: Association,
        activity: Activity | None = None,
        **kwargs: Any,
    ) -> None:
        if activity is not None:
            kwargs.setdefault(
                "initial", {field: getattr(activity, field) for field in ACTIVITY_FIELDS}
            )
            kwargs["initial"]["kind"] = activity.kind_id
            kwargs["initial"]["intervention"] = activity.intervention_id
        else:
            kwargs.setdefault("initial", {"organiser": association.name})
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityKind.objects.filter(  # type: ignore[attr-defined]
            association=association
        )
        self.fields["intervention"].queryset = Intervention.objects.filter(  # type: ignore[attr-defined]
            association=association
        ).order_by("name")
        self.fields["organiser"].widget.attrs["list"] = "organisers"
        self.organisers = [
            association.name,
            *Member.objects.filter(association=association).values_list("name", flat=True),
        ]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["other_participants"] = data.get("other_participants") or 0
        return {field: data.get(field) for field in ACTIVITY_FIELDS}

    @property
    def evaluation_fields(self) -> list[forms.BoundField]:
        return [
            self[name] for name in ("evaluation_score", "evaluation_scale", "evaluation_responses")
        ]


class AttendanceForm(forms.Form):
    member_id = forms.IntegerField(widget=forms.HiddenInput)
    participants = _count(_("Deltagare"))
    women = _count(_("varav kvinnor"))
    men = _count(_("varav män"))

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("member_id") not in (None, self.member.pk):
            raise forms.ValidationError(
                _("Förbundets medlemmar har ändrats medan du skrev. Ladda om sidan.")
            )
        total = data.get("participants")
        women, men = data.get("women"), data.get("men")
        split = (women or 0) + (men or 0)
        if total is None and split:
            self.add_error(
                "participants",
                _("%(member)s: ange hur många som deltog (minst %(split)s).")
                % {"member": self.member, "split": split},
            )
        elif total is not None and split > total:
            self.add_error(
                "participants",
                _("%(member)s: kvinnor och män (%(split)s) är fler än deltagarna (%(total)s).")
                % {"member": self.member, "split": split, "total": total},
            )
        return data

    def row(self) -> AttendanceRow | None:
        data = self.cleaned_data
        if not data.get("participants"):
            return None
        return AttendanceRow(
            member=self.member,
            participants=data["participants"],
            women=data.get("women"),
            men=data.get("men"),
        )


class BaseAttendanceFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, members: Sequence[Member], **kwargs: Any) -> None:
        self.members = list(members)
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        # One row per member, whatever the posted management form says.
        return len(self.members)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        # The empty form (index None) is never shown: the rows are the members.
        kwargs["member"] = self.members[index] if index is not None else Member(name="")
        return kwargs

    def rows(self) -> list[AttendanceRow]:
        return [row for form in self.forms if (row := form.row()) is not None]

    def totals(self) -> tuple[int, int, int]:
        """Participants, women and men as posted (for redisplay)."""
        rows = self.rows()
        return (
            sum(row.participants for row in rows),
            sum(row.women or 0 for row in rows),
            sum(row.men or 0 for row in rows),
        )


AttendanceFormSet = forms.formset_factory(
    AttendanceForm, formset=BaseAttendanceFormSet, extra=0, max_num=1000
)


def attendance_formset(
    data: Any, *, association: Association, activity: Activity | None
) -> BaseAttendanceFormSet:
    members = list(Member.objects.filter(association=association))
    existing = {}
    if activity is not None:
        existing = {row.member_id: row for row in activity.attendance.all()}
    initial = []
    for member in members:
        row = existing.get(member.pk)
        initial.append(
            {
                "member_id": member.pk,
                "participants": row.participants if row else None,
                "women": row.women if row else None,
                "men": row.men if row else None,
            }
        )
    return AttendanceFormSet(  # type: ignore[return-value,call-arg]
        data, initial=initial, prefix="narvaro", members=members
    )


class ActivityFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int, required=False)
    kind: forms.ModelChoiceField[ActivityKind] = forms.ModelChoiceField(
        label=_("Slag"),
        queryset=ActivityKind.objects.none(),
        required=False,
        empty_label=_("Alla slag"),
    )
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Insats"),
        queryset=Intervention.objects.none(),
        required=False,
        empty_label=_("Alla, med eller utan insats"),
    )

    def __init__(
        self, *args: Any, association: Association, years: Sequence[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]
        self.fields["kind"].queryset = ActivityKind.objects.filter(  # type: ignore[attr-defined]
            association=association
        )
        used = Intervention.objects.filter(association=association, activities__isnull=False)
        self.fields["intervention"].queryset = used.distinct().order_by(  # type: ignore[attr-defined]
            "name"
        )


class KindForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=80,
        help_text=_("T.ex. ”Samverkansutbildning”. Koden för målkartan bildas av namnet."),
    )
