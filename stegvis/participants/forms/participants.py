"""Forms of a participant: register or change, exit, the list's filters, and the counts
of anonymous participants. A personnummer field is a password field that never shows
its value again, also after an error."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Member
from stegvis.interventions.models import Intervention
from stegvis.participants.forms.common import DateInput, _blank, members_of
from stegvis.participants.forms.questions import QuestionFieldsMixin
from stegvis.participants.models import Participant, Policy, Question
from stegvis.participants.selectors import ACTIVE, ALL, EXITED
from stegvis.participants.services import question_field
from stegvis.participants.vocabulary import (
    Education,
    Employment,
    Gender,
    Outcome,
    Referrer,
    Support,
)

REFERRER_MEMBER_PREFIX = "m"


class ParticipantForm(QuestionFieldsMixin, forms.Form):
    """Register or change a participant. The exit fields are shown when changing a
    participant who has left (an exit is recorded on its own page)."""

    code = forms.CharField(
        label=_("Kod"),
        max_length=40,
        help_text=_(
            "Insatsens egen kod för deltagaren, t.ex. ST-014: bokstäver A–Z, siffror, - och _. "
            "Aldrig namn eller personnummer."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    personal_number = forms.CharField(
        label=_("Personnummer"),
        required=False,
        max_length=20,
        # Never shown again, also after an error: render_value=False.
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "inputmode": "numeric"}
        ),
        help_text=_(
            "Frivilligt. Används bara för att känna igen samma person i förbundets andra "
            "insatser: Stegvis sparar en kontrollsumma, aldrig numret."
        ),
    )
    gender = forms.ChoiceField(label=_("Kön"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_year = forms.IntegerField(
        label=_("Födelseår"),
        min_value=1900,
        max_value=2100,
        help_text=_("Deltagaren ska vara 15–70 år vid start."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )
    municipality: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Kommun"), queryset=Member.objects.none(), required=False, empty_label="—"
    )
    referrer = forms.ChoiceField(label=_("Remitterande part"), required=False)
    start = forms.DateField(label=_("Startdatum"), widget=DateInput())
    consent = forms.DateField(
        label=_("Samtycke givet"),
        required=False,
        widget=DateInput(),
        help_text=_("Datum då deltagaren gav sitt samtycke."),
    )
    support_at_start = forms.MultipleChoiceField(
        label=_("Försörjning vid start"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj alla som gäller."),
    )
    employment_at_start = forms.ChoiceField(
        label=_("Sysselsättning vid start"),
        choices=[*_blank("—"), *Employment.choices],
        required=False,
    )
    education = forms.ChoiceField(
        label=_("Utbildningsnivå"), choices=[*_blank("—"), *Education.choices], required=False
    )
    months_without_work = forms.IntegerField(
        label=_("Månader utan arbete eller studier före start"),
        min_value=0,
        max_value=600,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )
    exit = forms.DateField(label=_("Slutdatum"), required=False, widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Avslutsorsak"), choices=[*_blank("—"), *Outcome.choices], required=False
    )
    support_at_exit = forms.MultipleChoiceField(
        label=_("Försörjning vid avslut"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    employment_at_exit = forms.ChoiceField(
        label=_("Sysselsättning vid avslut"),
        choices=[*_blank("—"), *Employment.choices],
        required=False,
    )
    handover_to: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Överlämning till"), queryset=Member.objects.none(), required=False, empty_label="—"
    )

    PERSON = ["code", "personal_number", "gender", "birth_year", "municipality", "referrer"]
    START = [
        "start",
        "consent",
        "support_at_start",
        "employment_at_start",
        "education",
        "months_without_work",
    ]
    EXIT = ["exit", "outcome", "support_at_exit", "employment_at_exit", "handover_to"]

    def __init__(
        self,
        *args: Any,
        intervention: Intervention,
        policy: Policy,
        questions: Iterable[Question] = (),
        answers: dict[int, str] | None = None,
        participant: Participant | None = None,
        **kwargs: Any,
    ) -> None:
        if participant is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(participant)
        super().__init__(*args, **kwargs)
        association = intervention.association
        self.participant = participant
        members = self.members = members_of(association)
        self.fields["municipality"].queryset = members.filter(  # type: ignore[attr-defined]
            kind=Member.Kind.MUNICIPALITY
        )
        self.fields["handover_to"].queryset = members  # type: ignore[attr-defined]
        self.fields["referrer"].choices = [  # type: ignore[attr-defined]
            *_blank("—"),
            (_("Medlemmar"), [(f"{REFERRER_MEMBER_PREFIX}{m.pk}", m.name) for m in members]),
            (_("Annan än medlem"), list(Referrer.choices)),
        ]
        self.recognises = policy.recognise_persons
        if not self.recognises:
            del self.fields["personal_number"]
        elif participant is not None and participant.person_key:
            self.fields["personal_number"].help_text = _(
                "Deltagaren är redan igenkänd. Ange ett personnummer bara för att byta; "
                "Stegvis sparar en kontrollsumma, aldrig numret."
            )
        self.shows_exit = participant is not None and participant.exit is not None
        if not self.shows_exit:
            for name in self.EXIT:
                del self.fields[name]
        self.add_questions(questions, answers or {})

    @staticmethod
    def initial_of(participant: Participant) -> dict[str, Any]:
        referrer = participant.referrer_other
        if participant.referring_member_id:
            referrer = f"{REFERRER_MEMBER_PREFIX}{participant.referring_member_id}"
        return {
            "code": participant.code,
            "gender": participant.gender,
            "birth_year": participant.birth_year,
            "municipality": participant.municipality_id,
            "referrer": referrer,
            "start": participant.start,
            "consent": participant.consent,
            "support_at_start": participant.support_at_start,
            "employment_at_start": participant.employment_at_start,
            "education": participant.education,
            "months_without_work": participant.months_without_work,
            "exit": participant.exit,
            "outcome": participant.outcome,
            "support_at_exit": participant.support_at_exit,
            "employment_at_exit": participant.employment_at_exit,
            "handover_to": participant.handover_to_id,
        }

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in groups, each shown as a fieldset with a legend."""
        groups = [
            (_("Deltagaren"), self.PERSON),
            (_("Vid start"), self.START),
            (_("Vid avslut"), self.EXIT),
            (_("Kompletterande frågor"), [question_field(q) for q in self.questions]),
        ]
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in groups
            if any(name in self.fields for name in names)
        ]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        referrer = data.get("referrer") or ""
        referring_member = None
        referrer_other = ""
        if referrer.startswith(REFERRER_MEMBER_PREFIX):
            referring_member = self.members.filter(pk=referrer[1:]).first()
        else:
            referrer_other = referrer
        values: dict[str, Any] = {
            "code": data["code"],
            "gender": data["gender"],
            "birth_year": data["birth_year"],
            "municipality": data.get("municipality"),
            "referring_member": referring_member,
            "referrer_other": referrer_other,
            "start": data["start"],
            "consent": data.get("consent"),
            "support_at_start": data.get("support_at_start") or [],
            "employment_at_start": data.get("employment_at_start") or "",
            "education": data.get("education") or "",
            "months_without_work": data.get("months_without_work"),
        }
        if self.shows_exit:
            values.update(
                exit=data.get("exit"),
                outcome=data.get("outcome") or "",
                support_at_exit=data.get("support_at_exit") or [],
                employment_at_exit=data.get("employment_at_exit") or "",
                handover_to=data.get("handover_to"),
            )
        if self.recognises:
            values["personal_number"] = data.get("personal_number") or ""
        values["answers"] = self.answers()
        return values


class ExitForm(QuestionFieldsMixin, forms.Form):
    on = forms.DateField(
        label=_("Slutdatum"),
        widget=DateInput(),
        help_text=_("Inte före startdatum och inte i framtiden."),
    )
    outcome = forms.ChoiceField(
        label=_("Avslutsorsak"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Arbete, studier, arbetssökande och annan rehabilitering räknas som stegförflyttning."
        ),
    )
    support_at_exit = forms.MultipleChoiceField(
        label=_("Försörjning vid avslut"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj alla som gäller."),
    )
    employment_at_exit = forms.ChoiceField(
        label=_("Sysselsättning vid avslut"),
        choices=[*_blank("—"), *Employment.choices],
        required=False,
    )
    handover_to: forms.ModelChoiceField[Member] = forms.ModelChoiceField(
        label=_("Överlämning till"),
        queryset=Member.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Den medlem som tar emot deltagaren efter insatsen."),
    )

    def __init__(
        self,
        *args: Any,
        participant: Participant,
        questions: Iterable[Question] = (),
        answers: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "on": participant.exit or timezone.localdate(),
                "outcome": participant.outcome,
                "support_at_exit": participant.support_at_exit or participant.support_at_start,
                "employment_at_exit": participant.employment_at_exit,
                "handover_to": participant.handover_to_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["handover_to"].queryset = members_of(  # type: ignore[attr-defined]
            participant.association
        )
        self.add_questions(questions, answers or {})

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        main = [
            self[name]
            for name in ("on", "outcome", "support_at_exit", "employment_at_exit", "handover_to")
        ]
        groups: list[tuple[Any, list[forms.BoundField]]] = [(_("Avslut"), main)]
        if self.questions:
            groups.append(
                (_("Kompletterande frågor"), [self[question_field(q)] for q in self.questions])
            )
        return groups

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "on": data["on"],
            "outcome": data["outcome"],
            "support_at_exit": data.get("support_at_exit") or [],
            "employment_at_exit": data.get("employment_at_exit") or "",
            "handover_to": data.get("handover_to"),
            "answers": self.answers(),
        }


class ParticipantFilterForm(forms.Form):
    """The list's filters, as a GET form."""

    status = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[(ACTIVE, _("Aktiva")), (EXITED, _("Avslutade")), (ALL, _("Alla"))],
    )
    gender = forms.ChoiceField(
        label=_("Kön"), required=False, choices=[("", _("Alla")), *Gender.choices]
    )
    year = forms.TypedChoiceField(
        label=_("Deltog år"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, years: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", _("Alla år")),
            *[(year, str(year)) for year in years],
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {"status": ACTIVE, "gender": "", "year": None}
        data = self.cleaned_data
        return {
            "status": data.get("status") or ACTIVE,
            "gender": data.get("gender") or "",
            "year": data.get("year"),
        }


class AnonymousCountForm(forms.Form):
    """Anonymous participants of one year, a count per kön."""

    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        for code, label in Gender.choices:
            self.fields[self.count_field(code)] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=100_000,
                initial=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
            )

    @staticmethod
    def count_field(gender: str) -> str:
        return f"count_{gender.replace(' ', '_')}"

    def counts(self) -> dict[str, int]:
        return {code: self.cleaned_data[self.count_field(code)] for code in Gender.values}
