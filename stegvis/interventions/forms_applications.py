"""Forms of application rounds, applications, the kansli's beredning and the board's
decision. Amounts are typed as the plans write them, in tkr or kr ("1 350", "12,5",
"1 637 273"), and reach the services as whole kronor; per year fields are named as
the services key their errors (`requested_2027`, `participants_2027`,
`recommended_2027`, `granted_2027`), so that a service's message lands on the field
it concerns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association, Member
from stegvis.finance.forms import UNIT_CHOICES, AmountField, FieldGroup, show_amount, to_kronor
from stegvis.finance.models import Unit
from stegvis.interventions.forms import DateInput, members_of
from stegvis.interventions.models import (
    Application,
    ApplicationRound,
    Decision,
    Intervention,
    Kind,
    TargetGroup,
)
from stegvis.interventions.services import (
    granted_field,
    participants_field,
    recommended_field,
    requested_field,
)

APPLICATION_YEARS = 3
TWO_MEMBERS_RULE = _(
    "Minst två medlemmar måste dela behovet: den sökande och minst en medlem till."
)
AMOUNT_HELP = _(
    "Skriv beloppen som i planen, t.ex. 1 350 eller 12,5 (tkr) eller 1 637 273 (kr). "
    "Lämna tomt de år ni inte söker för."
)
PARTIAL_AMOUNT_HELP = _(
    "Skriv beloppen som i planen, t.ex. 1 350 eller 12,5 (tkr) eller 1 637 273 (kr). "
    "Beloppen gäller vid delvis bifall; ett tomt år blir 0 kr."
)


def application_years(round: ApplicationRound) -> list[int]:
    """The years an application in the round asks money for: the three years after
    the round closes (applications in the autumn are for the coming years)."""
    first = round.closes.year + 1
    return list(range(first, first + APPLICATION_YEARS))


def _amount(form: forms.Form, name: str) -> int | None:
    """A cleaned amount field in whole kronor, in the form's unit (None when empty);
    an amount that is not whole kronor is an error on its field."""
    value = form.cleaned_data.get(name)
    if value is None:
        return None
    try:
        return to_kronor(value, form.cleaned_data.get("unit") or Unit.TKR)
    except forms.ValidationError as error:
        form.add_error(name, error)
        return None


def _year_label(year: int, text: str) -> str:
    return f"{text} {year}"


class YearRowsMixin:
    """Forms with one row of fields per year, shown as a table by
    interventions/includes/year_rows.html."""

    years: list[int]
    year_columns: list[tuple[Any, Any]]  # (column heading, field name for a year)

    def year_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        form: Any = self
        return [
            (year, [form[name(year)] for _heading, name in self.year_columns])
            for year in self.years
        ]

    def year_headings(self) -> list[Any]:
        return [heading for heading, _name in self.year_columns]

    def year_errors(self) -> list[str]:
        form: Any = self
        return list(form.errors.get("years", []))


# ---------------------------------------------------------------------------
# Application rounds


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200, help_text=_("T.ex. Ansökan 2027."))
    opens = forms.DateField(label=_("Öppnar"), widget=DateInput())
    closes = forms.DateField(
        label=_("Stänger"),
        widget=DateInput(),
        help_text=_("Ansökningarna gäller de tre åren efter att omgången stänger."),
    )
    unit = forms.ChoiceField(label=_("Beloppet anges i"), choices=UNIT_CHOICES)
    amount_available = AmountField(label=_("Tillgängligt belopp"), required=True)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, round: ApplicationRound | None = None, **kwargs: Any) -> None:
        if round is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": round.name,
                "opens": round.opens,
                "closes": round.closes,
                "unit": Unit.TKR,
                "amount_available": show_amount(round.amount_available, Unit.TKR),
                "description": round.description,
            }
        super().__init__(*args, **kwargs)
        self.fields["unit"].initial = Unit.TKR

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", _("Omgången kan inte stänga innan den öppnar."))
        amount = _amount(self, "amount_available")
        if amount is not None and amount < 0:
            self.add_error("amount_available", _("Beloppet kan inte vara negativt."))
        cleaned["amount_kr"] = amount
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "opens": data["opens"],
            "closes": data["closes"],
            "amount_available": data["amount_kr"],
            "description": data.get("description", ""),
        }


# ---------------------------------------------------------------------------
# Applications


class ApplicationForm(YearRowsMixin, forms.Form):
    """A member's application: the need, who shares it, the goals and, per year of the
    round, the amount asked for and the participants planned.

    The kansli registers applications for any member (and may give the day one came
    in by post); anyone else applies for the member they represent."""

    title = forms.CharField(label=_("Insatsens namn"), max_length=200)
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Fortsättning av en befintlig insats"),
        queryset=None,
        required=False,
        empty_label=_("Nej, en ny insats"),
        help_text=_("Välj insatsen om ansökan gäller fortsatt finansiering."),
    )
    kind = forms.ChoiceField(label=_("Slag"), choices=Kind.choices, widget=forms.RadioSelect)
    applicant: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Sökande medlem"), queryset=None
    )
    sharing_members: forms.ModelMultipleChoiceField[Member] = forms.ModelMultipleChoiceField(
        label=_("Medlemmar som delar behovet"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=TWO_MEMBERS_RULE,
        error_messages={
            "required": _(
                "Minst två medlemmar måste dela behovet – ange minst en medlem till "
                "utöver den sökande."
            )
        },
    )
    need = forms.CharField(
        label=_("Behov"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Vilket behov delar medlemmarna, och hos vilka personer?"),
    )
    target_group: forms.ModelChoiceField[TargetGroup] = forms.ModelChoiceField(
        label=_("Målgrupp"), queryset=None, required=False
    )
    goals = forms.CharField(
        label=_("Mål"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad ska insatsen uppnå, och hur märks det?"),
    )
    esf_funded = forms.BooleanField(
        label=_("Insatsen medfinansieras av Europeiska socialfonden (ESF)"), required=False
    )
    received_on = forms.DateField(
        label=_("Inkommen"),
        required=False,
        widget=DateInput(),
        help_text=_("Dagen ansökan kom in, om den kom med post eller e-post."),
    )
    unit = forms.ChoiceField(label=_("Beloppen anges i"), choices=UNIT_CHOICES)

    year_columns = [
        (_("Sökt belopp"), requested_field),
        (_("Planerade deltagare"), participants_field),
    ]

    def __init__(
        self,
        *args: Any,
        association: Association,
        round: ApplicationRound,
        own_member: Member | None,
        any_member: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        self.round = round
        self.years = application_years(round)
        members = members_of(association)
        applicant = self.fields["applicant"]
        if any_member:
            applicant.queryset = members  # type: ignore[attr-defined]
            applicant.initial = own_member.pk if own_member else None
            self.fields["received_on"].initial = timezone.localdate()
        else:
            # Anyone but the kansli applies for their own member, and only that.
            assert own_member is not None
            applicant.queryset = members.filter(pk=own_member.pk)  # type: ignore[attr-defined]
            applicant.initial = own_member.pk
            applicant.disabled = True
            applicant.help_text = _("Du ansöker för den medlem du företräder.")
            del self.fields["received_on"]
        # The applicant shares the need by applying; anyone but the kansli has one
        # applicant, so only the others are offered.
        sharing = members if any_member or own_member is None else members.exclude(pk=own_member.pk)
        self.fields["sharing_members"].queryset = sharing  # type: ignore[attr-defined]
        self.fields["target_group"].queryset = TargetGroup.objects.filter(  # type: ignore[attr-defined]
            association=association
        )
        continuing = Intervention.objects.filter(association=association).exclude(
            status__in=[Intervention.Status.CLOSED, Intervention.Status.REJECTED]
        )
        self.fields["intervention"].queryset = continuing.order_by("name")  # type: ignore[attr-defined]
        self.fields["unit"].initial = Unit.TKR
        for year in self.years:
            self.fields[requested_field(year)] = AmountField(
                label=_year_label(year, str(_("Sökt belopp")))
            )
            self.fields[participants_field(year)] = forms.IntegerField(
                label=_year_label(year, str(_("Planerade deltagare"))),
                required=False,
                min_value=0,
                max_value=1_000_000,
            )

    def details(self) -> FieldGroup:
        return FieldGroup(
            self,
            ["title", "intervention", "kind", "applicant", "sharing_members", "received_on"],
            first=True,
        )

    def content(self) -> FieldGroup:
        return FieldGroup(self, ["need", "target_group", "goals", "esf_funded"])

    def unit_group(self) -> FieldGroup:
        return FieldGroup(self, ["unit"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        years: dict[int, tuple[int, int]] = {}
        for year in self.years:
            if requested_field(year) in self.errors or participants_field(year) in self.errors:
                continue
            requested = _amount(self, requested_field(year))
            participants = cleaned.get(participants_field(year))
            if requested is None and participants is None:
                continue  # not applied for this year
            if requested is None:
                self.add_error(
                    requested_field(year),
                    _("Ange sökt belopp för %(year)s, eller lämna året tomt.") % {"year": year},
                )
                continue
            years[year] = (requested, participants or 0)
        if not years and not self.errors:
            self.add_error(None, _("Ange sökt belopp för minst ett år."))
        cleaned["years"] = years
        return cleaned

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            "round": self.round,
            "title": data["title"],
            "kind": data["kind"],
            "applicant": data["applicant"],
            "sharing_members": list(data.get("sharing_members") or []),
            "need": data["need"],
            "goals": data["goals"],
            "years": data["years"],
            "target_group": data.get("target_group"),
            "intervention": data.get("intervention"),
            "esf_funded": data.get("esf_funded", False),
        }
        if data.get("received_on"):
            values["on"] = data["received_on"]
        return values


def _amount_initial(amounts: dict[int, int | None], name: Any) -> dict[str, str]:
    return {name(year): show_amount(amount, Unit.TKR) for year, amount in amounts.items()}


class _OutcomeAmountsForm(YearRowsMixin, forms.Form):
    """An outcome (bifall, delvis bifall, avslag) with an amount per year of the
    application; the amounts count only for delvis bifall."""

    unit = forms.ChoiceField(label=_("Beloppen anges i"), choices=UNIT_CHOICES)
    outcome_field = "outcome"
    amount_name: Any = None
    amount_heading: Any = ""

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.requested = {row.year: row.requested for row in application.years.all()}
        self.years = sorted(self.requested)
        self.fields["unit"].initial = Unit.TKR
        self.year_columns = [(self.amount_heading, self.amount_name)]
        for year in self.years:
            self.fields[self.amount_name(year)] = AmountField(
                label=_year_label(year, str(self.amount_heading))
            )

    def amounts(self) -> dict[int, int]:
        """Per year in kronor for delvis bifall; nothing for bifall and avslag, whose
        amounts follow from the application (the service fills them in)."""
        if self.cleaned_data.get(self.outcome_field) != Decision.Outcome.PARTIAL:
            return {}
        amounts = {}
        for year in self.years:
            amount = _amount(self, self.amount_name(year))
            amounts[year] = amount if amount is not None else 0
        return amounts

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["amounts"] = self.amounts() if self.outcome_field in cleaned else {}
        return cleaned


class PrepareForm(_OutcomeAmountsForm):
    """The kansli's beredning: notes, a recommendation and an amount per year."""

    notes = forms.CharField(
        label=_("Beredning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Kansliets bedömning till styrelsen: behov, samverkan, budget, risker."),
    )
    recommendation = forms.ChoiceField(
        label=_("Förslag till beslut"),
        choices=Application.Recommendation.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Vid bifall föreslås det sökta beloppet och vid avslag inget; "
            "vid delvis bifall anger du beloppen nedan."
        ),
    )
    outcome_field = "recommendation"
    amount_name = staticmethod(recommended_field)
    amount_heading = _("Föreslaget belopp")

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "notes": application.preparation_notes,
                "recommendation": application.recommendation or None,
                **_amount_initial(
                    {row.year: row.recommended for row in application.years.all()},
                    recommended_field,
                ),
            }
        super().__init__(*args, application=application, **kwargs)
        # Notes first, then the recommendation, the unit and the amounts.
        self.order_fields(["notes", "recommendation", "unit"])

    def main(self) -> FieldGroup:
        return FieldGroup(self, ["notes", "recommendation", "unit"], first=True)


class DecisionForm(_OutcomeAmountsForm):
    """The board's decision on one application, as the minutes record it."""

    meeting_date = forms.DateField(label=_("Sammanträdesdatum"), widget=DateInput())
    paragraph = forms.CharField(
        label=_("Paragraf"), max_length=20, help_text=_("Som i protokollet, t.ex. § 42.")
    )
    outcome = forms.ChoiceField(
        label=_("Beslut"),
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Bifall beviljar det sökta beloppet och avslag inget; vid delvis bifall anger du "
            "det beviljade beloppet per år nedan."
        ),
    )
    conditions = forms.CharField(
        label=_("Villkor"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reference = forms.CharField(label=_("Diarienummer"), max_length=60, required=False)
    amount_name = staticmethod(granted_field)
    amount_heading = _("Beviljat belopp")

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        if "initial" not in kwargs:
            # The kansli's recommendation is the starting point.
            recommended = {row.year: row.recommended for row in application.years.all()}
            kwargs["initial"] = {
                "outcome": application.recommendation or None,
                **_amount_initial(recommended, granted_field),
            }
        kwargs.setdefault("prefix", f"ansokan-{application.pk}")
        super().__init__(*args, application=application, **kwargs)
        self.order_fields(["meeting_date", "paragraph", "outcome", "unit"])

    def main(self) -> FieldGroup:
        return FieldGroup(self, ["meeting_date", "paragraph", "outcome", "unit"], first=True)

    def more(self) -> FieldGroup:
        return FieldGroup(self, ["conditions", "reference"])

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "meeting_date": data["meeting_date"],
            "paragraph": data["paragraph"],
            "outcome": data["outcome"],
            "granted": data["amounts"],
            "conditions": data.get("conditions", ""),
            "reference": data.get("reference", ""),
        }
