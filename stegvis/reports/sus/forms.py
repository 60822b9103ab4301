"""The choices of the SUS reports, as GET forms: year and period (helår, one of the
förbund's periods or, where the report allows it, own dates), and per report the
insats, the insatser and variables, kön and how many earlier years to compare.

A choice that is not valid is shown with its error beside the field, and the report
shows its defaults meanwhile (helår of this year, every insats, the usual variables).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.associations.models import Association
from stegvis.goals.periods import Period, periods_for, range_period, year_period
from stegvis.interventions.models import Intervention
from stegvis.participants.vocabulary import Gender
from stegvis.reports.sus.common import CUSTOM, FULL_YEAR, MAX_COMPARED_YEARS
from stegvis.reports.sus.interventions import DEFAULT_VARIABLES, Variable


def choices_of(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def period_keys(association: Association, year: int) -> list[tuple[str, Period]]:
    """The förbund's periods of the year by the key the form uses: "helar", "t1", …"""
    keys = []
    for period in periods_for(association=association, year=year):
        key = FULL_YEAR if period.is_full_year else period.code.split("-", 1)[1]
        keys.append((key, period))
    return keys


def _period_label(key: str, period: Period) -> str:
    if key == FULL_YEAR:
        return _("Helår")
    return period.label.rsplit(" ", 1)[0]  # "Tertial 1 2025" → "Tertial 1"


class PeriodForm(forms.Form):
    """Year and period of a report."""

    year = forms.TypedChoiceField(label=gettext_lazy("År"), coerce=int)
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    fran = forms.DateField(
        label=gettext_lazy("Från (egna datum)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    till = forms.DateField(
        label=gettext_lazy("Till (egna datum)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        data: QueryDict | None,
        *,
        association: Association,
        years: Sequence[int],
        default_year: int,
        custom_dates: bool = True,
        **kwargs: Any,
    ) -> None:
        self.association = association
        self.default_year = default_year
        self.custom_dates = custom_dates
        bound = data is not None and any(name in data for name in self.base_fields)
        initial = {"year": default_year, "period": FULL_YEAR, **kwargs.pop("initial", {})}
        super().__init__(data if bound else None, initial=initial, **kwargs)
        choices_of(self, "year").choices = [(year, str(year)) for year in years]
        choices = [
            (key, _period_label(key, each)) for key, each in period_keys(association, default_year)
        ]
        if custom_dates:
            choices.append((CUSTOM, _("Egna datum")))
        else:
            del self.fields["fran"]
            del self.fields["till"]
        choices_of(self, "period").choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.custom_dates and data.get("period") == CUSTOM:
            start, end = data.get("fran"), data.get("till")
            if start is None and "fran" not in self.errors:
                self.add_error("fran", _("Ange från-datum för egna datum (ÅÅÅÅ-MM-DD)."))
            if end is None and "till" not in self.errors:
                self.add_error("till", _("Ange till-datum för egna datum (ÅÅÅÅ-MM-DD)."))
            if start and end and start > end:
                self.add_error(
                    "till", _("Till-datum ska vara samma dag som från-datum eller senare.")
                )
        return data

    def valid_data(self) -> dict[str, Any]:
        """The choices that are valid, and the defaults for those that are not."""
        if not self.is_bound:
            return dict(self.initial)
        self.is_valid()
        chosen = {key: value for key, value in self.cleaned_data.items() if key not in self.errors}
        return {**self.initial, **chosen}

    def chosen_period(self) -> Period:
        data = self.valid_data()
        year = data.get("year") or self.default_year
        if data.get("period") == CUSTOM and data.get("fran") and data.get("till"):
            return range_period(data["fran"], data["till"])
        for key, each in period_keys(self.association, year):
            if key == data.get("period"):
                return each
        return year_period(year)


class ParticipantsForm(PeriodForm):
    insats = forms.ChoiceField(label=gettext_lazy("Insats"), required=False)

    def __init__(
        self, data: QueryDict | None, *, interventions: Sequence[Intervention], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.by_pk = {str(each.pk): each for each in interventions}
        choices_of(self, "insats").choices = [("", _("Hela förbundet"))] + [
            (str(each.pk), each.name) for each in interventions
        ]

    def chosen_intervention(self) -> Intervention | None:
        return self.by_pk.get(str(self.valid_data().get("insats") or ""))


def compare_choices() -> list[tuple[int, str]]:
    return [(0, _("Inga"))] + [
        (years, _("%(n)s år bakåt") % {"n": years}) for years in range(1, MAX_COMPARED_YEARS + 1)
    ]


class InterventionsForm(PeriodForm):
    insats = forms.MultipleChoiceField(
        label=gettext_lazy("Insatser"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Välj minst en insats.")},
    )
    variabel = forms.MultipleChoiceField(
        label=gettext_lazy("Variabler"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Välj minst en variabel.")},
    )
    kon = forms.ChoiceField(label=gettext_lazy("Kön"), required=False)
    jamfor = forms.TypedChoiceField(label=gettext_lazy("Jämför med tidigare år"), coerce=int)

    def __init__(
        self,
        data: QueryDict | None,
        *,
        interventions: Sequence[Intervention],
        variables: Sequence[Variable],
        default_interventions: Sequence[Intervention],
        **kwargs: Any,
    ) -> None:
        kwargs["initial"] = {
            "insats": [str(each.pk) for each in default_interventions],
            "variabel": [key for key in DEFAULT_VARIABLES if key in {v.key for v in variables}],
            "kon": "",
            "jamfor": 2,
        }
        super().__init__(data, **kwargs)
        self.interventions = {str(each.pk): each for each in interventions}
        self.variables = {variable.key: variable for variable in variables}
        choices_of(self, "insats").choices = [(str(each.pk), each.name) for each in interventions]
        choices_of(self, "variabel").choices = [(v.key, v.label) for v in variables]
        choices_of(self, "kon").choices = [("", _("Alla"))] + [
            (str(code), str(label)) for code, label in Gender.choices
        ]
        choices_of(self, "jamfor").choices = compare_choices()

    def chosen_interventions(self) -> list[Intervention]:
        keys = self.valid_data().get("insats") or []
        return [self.interventions[key] for key in self.interventions if key in keys]

    def chosen_variables(self) -> list[Variable]:
        keys = self.valid_data().get("variabel") or []
        return [self.variables[key] for key in self.variables if key in keys]

    def chosen_gender(self) -> str | None:
        return self.valid_data().get("kon") or None

    def chosen_earlier_years(self) -> int:
        return int(self.valid_data().get("jamfor") or 0)
