"""Forms of the collaboration surveys. They parse input; the rules are in
services_surveys.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from stegvis.instruments.models import Instrument, InstrumentQuestion
from stegvis.structural.models.surveys import RespondentGroup, SurveyRound
from stegvis.structural.services_surveys import MAX_LINKS_PER_GROUP

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DONT_KNOW = "vet-ej"


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Namn"),
        max_length=200,
        help_text=_("Syns för de svarande, t.ex. ”Samverkansenkät hösten 2025”."),
    )
    instrument: forms.ModelChoiceField[Instrument] = forms.ModelChoiceField(
        label=_("Enkät"),
        queryset=Instrument.objects.none(),
        empty_label=None,
        help_text=_("Frågorna och svarsskalan ändras under Deltagare › Instrument."),
    )
    groups = forms.MultipleChoiceField(
        label=_("Vilka ska svara"),
        choices=RespondentGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en grupp som ska svara.")},
    )
    opens_on = forms.DateField(label=_("Öppnar"), widget=DATE_WIDGET)
    closes_on = forms.DateField(
        label=_("Stänger"),
        widget=DATE_WIDGET,
        help_text=_("Sista dagen det går att svara."),
    )
    introduction = forms.CharField(
        label=_("Inledning till de svarande"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Visas överst på svarssidan: varför enkäten görs och vad resultatet används "
            "till. Skriv inga namn."
        ),
    )

    def __init__(
        self,
        *args: Any,
        instruments: QuerySet[Instrument],
        survey_round: SurveyRound | None = None,
        **kwargs: Any,
    ) -> None:
        if survey_round is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": survey_round.title,
                    "instrument": survey_round.instrument_id,
                    "groups": survey_round.groups,
                    "opens_on": survey_round.opens_on,
                    "closes_on": survey_round.closes_on,
                    "introduction": survey_round.introduction,
                },
            )
        super().__init__(*args, **kwargs)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = instruments


class LinksForm(forms.Form):
    """How many new links per group of the round."""

    def __init__(self, *args: Any, survey_round: SurveyRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group, label in survey_round.group_labels():
            self.fields[group] = forms.IntegerField(
                label=label,
                required=False,
                min_value=0,
                max_value=MAX_LINKS_PER_GROUP,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                error_messages={
                    "min_value": _("Ange ett antal från 0."),
                    "max_value": _("Högst %(limit_value)s länkar per grupp åt gången."),
                    "invalid": _("Ange ett heltal."),
                },
            )

    def counts(self) -> dict[str, int]:
        return {name: self.cleaned_data.get(name) or 0 for name in self.fields}


class AnswerForm(forms.Form):
    """One group of radio buttons per question (a fieldset whose legend is the
    statement): the scale's values, the ends with their words, and "Vet ej"."""

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        questions: list[InstrumentQuestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.questions = questions
        choices = [(str(value), self._choice_label(value)) for value in instrument.scale]
        choices.append((DONT_KNOW, format_html('<span class="scale-value">{}</span>', _("Vet ej"))))
        for question in questions:
            self.fields[self.field_name(question)] = forms.ChoiceField(
                label=question.text,
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                error_messages={
                    "required": _("Välj ett svar, eller ”Vet ej”."),
                    "invalid_choice": _("Välj ett av svaren."),
                },
            )

    @staticmethod
    def field_name(question: InstrumentQuestion) -> str:
        return f"question_{question.pk}"

    def _choice_label(self, value: int) -> str:
        """The number, and at the ends of the scale its words under it ("1 – Stämmer
        inte alls" to a screen reader)."""
        instrument = self.instrument
        word = ""
        if value == instrument.scale_min:
            word = instrument.scale_min_label
        elif value == instrument.scale_max:
            word = instrument.scale_max_label
        if not word:
            return format_html('<span class="scale-value">{}</span>', value)
        return format_html(
            '<span class="scale-value">{}</span><span class="visually-hidden"> – </span>'
            '<span class="scale-word">{}</span>',
            value,
            word,
        )

    def answers(self) -> dict[int, int | None]:
        """By question id: the value, or None for "vet ej"."""
        answers: dict[int, int | None] = {}
        for question in self.questions:
            chosen = self.cleaned_data.get(self.field_name(question))
            if chosen is None or chosen == "":
                continue
            answers[question.pk] = None if chosen == DONT_KNOW else int(chosen)
        return answers
