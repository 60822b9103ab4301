"""Forms of the kompletterande frågor: the fields a participant form gets for the
questions asked at an occasion, the answers at a follow-up, and a question itself."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention, Kind
from stegvis.participants.forms.common import DateInput, _blank
from stegvis.participants.models import Participant, Question
from stegvis.participants.services import question_field


class QuestionFieldsMixin:
    """Adds a field for each kompletterande fråga asked at an occasion."""

    fields: dict[str, forms.Field]
    questions: list[Question]

    def add_questions(self, questions: Iterable[Question], initial: dict[int, str]) -> None:
        self.questions = list(questions)
        for question in self.questions:
            name = question_field(question)
            field: forms.Field
            if question.answer_type == Question.AnswerType.YES_NO:
                field = forms.ChoiceField(
                    choices=[("ja", _("Ja")), ("nej", _("Nej"))],
                    widget=forms.RadioSelect,
                    required=False,
                )
            elif question.answer_type == Question.AnswerType.CHOICE:
                field = forms.ChoiceField(
                    choices=[*_blank("—"), *[(choice, choice) for choice in question.choice_list]],
                    required=False,
                )
            elif question.answer_type == Question.AnswerType.NUMBER:
                field = forms.CharField(
                    required=False,
                    max_length=30,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            else:
                field = forms.CharField(
                    required=False,
                    max_length=500,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("Skriv aldrig namn eller personnummer."),
                )
            field.label = question.text
            field.initial = initial.get(question.pk, "")
            self.fields[name] = field

    def answers(self) -> dict[Question, str]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return {question: data.get(question_field(question)) or "" for question in self.questions}


class FollowUpAnswerForm(QuestionFieldsMixin, forms.Form):
    """Answers to the kompletterande frågor asked at a follow-up."""

    date = forms.DateField(label=_("Datum"), widget=DateInput())

    def __init__(
        self, *args: Any, participant: Participant, questions: Iterable[Question], **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.add_questions(questions, {})


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Fråga"), max_length=300)
    answer_type = forms.ChoiceField(label=_("Svarstyp"), choices=Question.AnswerType.choices)
    choices = forms.CharField(
        label=_("Svarsalternativ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ett alternativ per rad (för val ur lista)."),
    )
    occasion = forms.ChoiceField(
        label=_("När frågan ställs"),
        choices=Question.Occasion.choices,
        widget=forms.RadioSelect,
    )
    interventions: forms.ModelMultipleChoiceField[Intervention] = forms.ModelMultipleChoiceField(
        label=_("Insatser"),
        queryset=Intervention.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tomt: alla individinriktade insatser."),
    )
    order = forms.IntegerField(
        label=_("Ordning"),
        min_value=0,
        max_value=1000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )
    active = forms.BooleanField(label=_("Används"), required=False, initial=True)

    def __init__(
        self, *args: Any, association: Association, question: Question | None = None, **kwargs: Any
    ) -> None:
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "text": question.text,
                "answer_type": question.answer_type,
                "choices": question.choices,
                "occasion": question.occasion,
                "interventions": list(question.interventions.values_list("pk", flat=True)),
                "order": question.order,
                "active": question.active,
            }
        super().__init__(*args, **kwargs)
        self.fields["interventions"].queryset = Intervention.objects.filter(  # type: ignore[attr-defined]
            association=association, kind=Kind.INDIVIDUAL
        ).order_by("name")
