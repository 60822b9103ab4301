"""Forms of the Insatser pages for the insatser themselves: the list's filters, an
insats, its planned participants, mätpunkter, documents and people. Rounds,
applications, beredning and decisions are in forms_applications.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association, Member
from stegvis.interventions.models import Intervention, Kind, Target, TargetGroup
from stegvis.plans.vocabulary import METRICS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def members_of(association: Association) -> Any:
    """The förbund's members in the domain's order: the state, the region, the
    municipalities."""
    return association.members.order_by(Member.kind_order(), "name")


# ---------------------------------------------------------------------------
# The list of insatser


class InterventionFilterForm(forms.Form):
    """The list's filters, as a GET form: every field may be left empty."""

    kind = forms.ChoiceField(label=_("Slag"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    member: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Medlem"), queryset=None, required=False, empty_label=_("Alla medlemmar")
    )
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, association: Association, years: Iterable[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Alla slag")), *Kind.choices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla")),
            *Intervention.Status.choices,
        ]
        self.fields["member"].queryset = members_of(association)  # type: ignore[attr-defined]
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla år")),
            *[(year, str(year)) for year in sorted(set(years))],
        ]

    def filters(self) -> dict[str, Any]:
        """The chosen filters for `selectors.intervention_rows` (nothing when invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
            "member": data.get("member"),
            "year": data.get("year"),
        }


# ---------------------------------------------------------------------------
# An insats


class InterventionForm(forms.Form):
    """Create or change an insats. Once it is granted its slag and ESF co-funding are
    shown but cannot be changed (Uppföljning Finsam reports insatser by them)."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Slag"), choices=Kind.choices, widget=forms.RadioSelect)
    focus = forms.CharField(
        label=_("Preciserad inriktning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    target_group: forms.ModelChoiceField[TargetGroup] = forms.ModelChoiceField(
        label=_("Målgrupp"), queryset=None, required=False
    )
    owner: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Projektägare"), queryset=None
    )
    members: forms.ModelMultipleChoiceField[Member] = forms.ModelMultipleChoiceField(
        label=_("Samverkande medlemmar"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Projektägaren räknas alltid med."),
    )
    start = forms.DateField(label=_("Startdatum"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Slutdatum"), required=False, widget=DateInput())
    esf_funded = forms.BooleanField(label=_("ESF-medfinansierad"), required=False)
    reference = forms.CharField(label=_("Diarienummer"), max_length=60, required=False)

    def __init__(
        self,
        *args: Any,
        association: Association,
        intervention: Intervention | None = None,
        **kwargs: Any,
    ) -> None:
        if intervention is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": intervention.name,
                "kind": intervention.kind,
                "focus": intervention.focus,
                "target_group": intervention.target_group_id,
                "owner": intervention.owner_id,
                "members": [member.pk for member in intervention.members.all()],
                "start": intervention.start,
                "end": intervention.end,
                "esf_funded": intervention.esf_funded,
                "reference": intervention.reference,
            }
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        self.fields["target_group"].queryset = TargetGroup.objects.filter(  # type: ignore[attr-defined]
            association=association
        )
        self.fields["owner"].queryset = members_of(association)  # type: ignore[attr-defined]
        self.fields["members"].queryset = members_of(association)  # type: ignore[attr-defined]
        self.locked = intervention is not None and intervention.is_granted
        if self.locked:
            # A disabled field keeps its initial value whatever is posted.
            for name in ("kind", "esf_funded"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Kan inte ändras när insatsen är beviljad.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Insatsen kan inte sluta innan den börjar."))
        return cleaned


class PlannedParticipantsForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    count = forms.IntegerField(label=_("Planerade deltagare"), min_value=0, max_value=1_000_000)


class TargetForm(forms.Form):
    """A mätpunkt in the plan file's metric vocabulary. A metric that needs more
    (the question of a survey, an instrument, an outcome, a source) takes it in
    `detail`."""

    text = forms.CharField(
        label=_("Mätpunkt"),
        max_length=300,
        help_text=_("Som i planen, t.ex. ”Minst 120 kvinnor och män deltar”."),
    )
    metric = forms.ChoiceField(label=_("Mäts som"))
    detail = forms.CharField(
        label=_("Precisering"),
        max_length=200,
        required=False,
        help_text=_(
            "Vissa mått behöver mer: enkätfrågans kod, instrumentet, utfallet eller källan "
            "för ett värde som förs in för hand."
        ),
    )
    op = forms.ChoiceField(label=_("Jämförelse"), required=False)
    value = forms.DecimalField(
        label=_("Målvärde"),
        required=False,
        max_digits=14,
        decimal_places=4,
        help_text=_("En andel skrivs som decimaltal: 0,9 för 90 %."),
        localize=True,
    )
    year = forms.IntegerField(label=_("År"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [  # type: ignore[attr-defined]
            (code, metric.label[:1].upper() + metric.label[1:]) for code, metric in METRICS.items()
        ]
        self.fields["op"].choices = [("", _("Ingen")), *Target.Op.choices]  # type: ignore[attr-defined]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        metric = METRICS[data["metric"]]
        params: dict[str, Any] = {}
        if data.get("detail") and metric.extra_keys:
            params[metric.extra_keys[0]] = data["detail"].strip()
        return {
            "text": data["text"],
            "metric": data["metric"],
            "params": params,
            "op": data.get("op") or "",
            "value": data.get("value"),
            "year": data.get("year"),
        }

    @staticmethod
    def field_of(key: str) -> str:
        """The field a service error key belongs to: the metric's extra keys are typed
        in `detail`."""
        return "detail" if key in {"outcome", "question", "instrument", "kind", "source"} else key


class DocumentForm(forms.Form):
    reference = forms.CharField(label=_("Diarienummer"), max_length=60)
    title = forms.CharField(label=_("Handling"), max_length=200)
    date = forms.DateField(label=_("Datum"), required=False, widget=DateInput())


class StaffForm(forms.Form):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Person"), queryset=None)

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(memberships__association=association)
        self.fields["user"].queryset = users.order_by("first_name", "last_name")  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.get_username()
        )
