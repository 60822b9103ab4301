"""Forms of the instrument pages. They parse input; the rules are in services.py."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.instruments.models import Instrument, InstrumentQuestion, Response
from stegvis.interventions.models import Intervention

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = [
            "name",
            "kind",
            "description",
            "records_answers",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
            "agree_from",
            "at_start",
            "first_after_months",
            "every_months",
            "at_exit",
            "coverage_target",
            "active",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    # What a collaboration survey has not: it is answered through a round's links on
    # its scale, on no participant's schedule.
    SCHEDULE = (
        "records_answers",
        "at_start",
        "first_after_months",
        "every_months",
        "at_exit",
        "coverage_target",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["active"]
        elif self.instance.is_collaboration:
            for name in self.SCHEDULE:
                del self.fields[name]

    def validate_unique(self) -> None:
        """The service checks the name within the förbund."""

    def _post_clean(self) -> None:
        # The service sets the förbund and checks the whole; the form only parses.
        pass


class QuestionForm(forms.ModelForm):
    class Meta:
        model = InstrumentQuestion
        fields = ["text", "short_label"]
        help_texts = {"short_label": _("Visas i tabeller och rapporter, t.ex. ”Hälsa”.")}

    def _post_clean(self) -> None:
        pass


class AttachForm(forms.Form):
    intervention: forms.ModelChoiceField[Intervention] = forms.ModelChoiceField(
        label=_("Insats"), queryset=Intervention.objects.none(), empty_label=_("Välj insats")
    )

    def __init__(self, *args: Any, interventions: QuerySet[Intervention], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["intervention"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = interventions


class ResponseForm(forms.Form):
    """One occasion: date, occasion and, when the instrument records answers, one group
    of radio buttons per question (a fieldset whose legend is the question)."""

    date = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)
    occasion = forms.ChoiceField(
        label=_("Tillfälle"), choices=Response.Occasion.choices, widget=forms.RadioSelect
    )

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        questions: list[InstrumentQuestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.questions = questions if instrument.records_answers else []
        choices = [(str(value), self._choice_label(value)) for value in instrument.scale]
        for question in self.questions:
            self.fields[self.field_name(question)] = forms.TypedChoiceField(
                label=question.text,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                error_messages={"required": _("Svara på frågan.")},
            )

    @staticmethod
    def field_name(question: InstrumentQuestion) -> str:
        return f"question_{question.pk}"

    def _choice_label(self, value: int) -> str:
        instrument = self.instrument
        if value == instrument.scale_min and instrument.scale_min_label:
            return f"{value} {instrument.scale_min_label}"
        if value == instrument.scale_max and instrument.scale_max_label:
            return f"{value} {instrument.scale_max_label}"
        return str(value)

    def answers(self) -> dict[int, int | None]:
        return {
            question.pk: self.cleaned_data.get(self.field_name(question))
            for question in self.questions
        }

    def date_or_today(self) -> datetime.date:
        return self.cleaned_data.get("date") or timezone.localdate()
