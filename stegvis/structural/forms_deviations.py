"""Forms of the Avvikelser pages: the list's filters, reporting a case, the kansli's
handling and the categories. They parse input; the rules are in
`services_deviations`, which the report and handling forms also ask about personal
data before the page is sent back, so the confirmation box shows only when needed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association, Member, WorkingGroup
from stegvis.interventions.forms import DateInput
from stegvis.interventions.models import Intervention
from stegvis.structural import selectors_deviations as selectors
from stegvis.structural import services_deviations as services
from stegvis.structural.models import Deviation, DeviationCategory
from stegvis.structural.personal_data import (
    has_personal_number,
    refusal_message,
    without_personal_numbers,
)

CONFIRM_LABEL = _("Jag har kontrollerat att texten inte innehåller personuppgifter")
NO_PERSONAL_DATA = _(
    "Skriv aldrig namn, personnummer eller annat som pekar ut en person – "
    "beskriv vad som hände i samverkan."
)


class ConfirmationMixin:
    """A checkbox the writer ticks after a warning that a text looks like a name.
    It is shown only once such a warning has been given (`needs_confirmation`)."""

    association: Association
    data: Any
    needs_confirmation: bool = False
    text_fields: tuple[str, ...] = ()

    def _texts_check(self, texts: dict[str, str], confirmed: bool) -> None:
        errors: dict[str, list[str]] = {}
        self.needs_confirmation = services.texts_check(
            association=self.association, texts=texts, confirmed=confirmed, errors=errors
        )
        refused = [name for name, text in texts.items() if has_personal_number(text)]
        if refused:
            # The page shows the text again without the number (never repeated back).
            data = self.data.copy()
            for name in refused:
                data[name] = without_personal_numbers(texts[name])
                errors[name] = [refusal_message(removed=True)]
            self.data = data
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)  # type: ignore[attr-defined]
        if confirmed:
            self.needs_confirmation = True  # keep the box visible while it is ticked


def _confirm_field() -> forms.BooleanField:
    return forms.BooleanField(label=CONFIRM_LABEL, required=False)


# ---------------------------------------------------------------------------
# The list's filters


class DeviationFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Slag"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category: forms.ModelChoiceField[DeviationCategory] = forms.ModelChoiceField(
        label=_("Kategori"), queryset=None, required=False, empty_label=_("Alla kategorier")
    )
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Insats"), queryset=None, required=False, empty_label=_("Alla insatser")
    )
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)

    def __init__(
        self,
        *args: Any,
        association: Association,
        interventions: QuerySet[Any],
        years: Iterable[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Avvikelser och guldkorn")), *Deviation.Kind.choices]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Alla")), *Deviation.Status.choices]  # type: ignore[attr-defined]
        self.fields["category"].queryset = selectors.categories(  # type: ignore[attr-defined]
            association=association, active_only=False
        )
        self.fields["intervention"].queryset = interventions  # type: ignore[attr-defined]
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla år")),
            *[(year, str(year)) for year in years],
        ]

    def filters(self) -> selectors.Filters:
        if not self.is_valid():
            return selectors.Filters()
        data = self.cleaned_data
        return selectors.Filters(
            kind=data.get("kind") or None,
            status=data.get("status") or None,
            category=data.get("category"),
            intervention=data.get("intervention"),
            year=data.get("year"),
        )

    def chosen(self) -> list[str]:
        """The chosen filters in words, for the export's notes."""
        if not self.is_valid():
            return []
        words = []
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.fields[name]
            label = str(value)
            for key, choice in getattr(field, "choices", []):
                if str(key) == str(getattr(value, "pk", value)):
                    label = str(choice)
            words.append(f"{field.label}: {label}")
        return words


# ---------------------------------------------------------------------------
# Reporting


class DeviationReportForm(ConfirmationMixin, forms.Form):
    text_fields = ("title", "description")

    kind = forms.ChoiceField(
        label=_("Vad vill du rapportera?"),
        choices=[
            (
                Deviation.Kind.DEVIATION,
                _("En avvikelse – samverkan fungerade inte som den skulle"),
            ),
            (Deviation.Kind.GOOD_EXAMPLE, _("Ett guldkorn – ett gott exempel att ta efter")),
        ],
        widget=forms.RadioSelect,
    )
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Insats"),
        queryset=None,
        required=False,
        empty_label=_("Ingen särskild insats"),
        help_text=_("Den insats det gäller, om det gäller en av dem du arbetar med."),
    )
    occurred_on = forms.DateField(label=_("När hände det?"), widget=DateInput())
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=services.TITLE_MAX,
        help_text=_("Några ord om vad det gäller, till exempel ”Remiss kom inte fram”."),
    )
    description = forms.CharField(
        label=_("Vad hände?"),
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=NO_PERSONAL_DATA,
    )
    members: forms.ModelMultipleChoiceField[Member] = forms.ModelMultipleChoiceField(
        label=_("Berörda parter"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De medlemmar vars samverkan det gäller."),
    )
    category: forms.ModelChoiceField[DeviationCategory] = forms.ModelChoiceField(
        label=_("Kategori"), queryset=None, empty_label=None
    )
    confirm_no_personal_data = _confirm_field()

    def __init__(
        self,
        *args: Any,
        association: Association,
        interventions: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["intervention"].queryset = interventions  # type: ignore[attr-defined]
        self.fields["members"].queryset = association.members.order_by(  # type: ignore[attr-defined]
            Member.kind_order(), "name"
        )
        self.fields["category"].queryset = selectors.categories(association=association)  # type: ignore[attr-defined]
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("occurred_on"):
            # Shown together with any text warning, so the page says everything at once.
            today = timezone.localdate()
            errors: dict[str, list[str]] = {}
            services.dates_check(errors, data["occurred_on"], today, today)
            for message in errors.get("occurred_on", []):
                self.add_error("occurred_on", message)
        texts = {name: data[name] for name in self.text_fields if data.get(name)}
        self._texts_check(texts, bool(data.get("confirm_no_personal_data")))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "intervention": data.get("intervention"),
            "occurred_on": data["occurred_on"],
            "title": data["title"],
            "description": data["description"],
            "members": list(data.get("members") or []),
            "category": data["category"],
            "confirmed": bool(data.get("confirm_no_personal_data")),
        }


# ---------------------------------------------------------------------------
# Handling


class DeviationHandleForm(ConfirmationMixin, forms.Form):
    text_fields = ("measures", "learning", "title", "description")

    status = forms.ChoiceField(
        label=_("Status"), choices=Deviation.Status.choices, widget=forms.RadioSelect
    )
    handled_by: forms.ModelChoiceField[WorkingGroup] = forms.ModelChoiceField(
        label=_("Hanteras av"),
        queryset=None,
        required=False,
        empty_label=_("Förbundets kansli"),
        help_text=_("Oftast insatsens styrgrupp."),
    )
    measures = forms.CharField(
        label=_("Åtgärder"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad som har gjorts eller ska göras, och av vilken part."),
    )
    learning = forms.CharField(
        label=_("Lärdom"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Vad förbundet och parterna tar med sig. Visas för styrelsen när ärendet är "
            "avslutat; en avvikelse avslutas inte utan lärdom."
        ),
    )
    closed_on = forms.DateField(
        label=_("Avslutad"),
        required=False,
        widget=DateInput(),
        help_text=_("När status är Avslutad. Tomt: i dag."),
    )
    title = forms.CharField(label=_("Rubrik"), max_length=services.TITLE_MAX)
    description = forms.CharField(
        label=_("Vad hände?"),
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Rätta texten om den innehåller personuppgifter. Den rättade texten ersätter "
            "också tidigare versioner i historiken."
        ),
    )
    confirm_no_personal_data = _confirm_field()

    def __init__(self, *args: Any, deviation: Deviation, **kwargs: Any) -> None:
        initial = {
            "status": deviation.status,
            "handled_by": deviation.handled_by_id
            or (deviation.intervention.steering_group_id if deviation.intervention else None),
            "measures": deviation.measures,
            "learning": deviation.learning,
            "closed_on": deviation.closed_on,
            "title": deviation.title,
            "description": deviation.description,
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.deviation = deviation
        self.association = deviation.association
        self.fields["handled_by"].queryset = selectors.handling_groups(  # type: ignore[attr-defined]
            association=deviation.association
        )
        self.fields["closed_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Only texts that changed are checked again: the others were checked when
        # they were written (and a warning confirmed then).
        changed = {
            name: data[name]
            for name in self.text_fields
            if name in data and data[name] != getattr(self.deviation, name)
        }
        self._texts_check(changed, bool(data.get("confirm_no_personal_data")))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "status": data["status"],
            "handled_by": data.get("handled_by"),
            "measures": data.get("measures", ""),
            "learning": data.get("learning", ""),
            "closed_on": data.get("closed_on"),
            "title": data.get("title"),
            "description": data.get("description"),
            "confirmed": bool(data.get("confirm_no_personal_data")),
        }


# ---------------------------------------------------------------------------
# Categories


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=services.CATEGORY_MAX)


class CategoryEditForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=services.CATEGORY_MAX)
    position = forms.IntegerField(label=_("Ordning"), min_value=0, max_value=999)
    active = forms.BooleanField(
        label=_("Används"),
        required=False,
        help_text=_("En kategori som inte används kan inte väljas för nya ärenden."),
    )

    def __init__(self, *args: Any, category: DeviationCategory, **kwargs: Any) -> None:
        initial = {"name": category.name, "position": category.position, "active": category.active}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
