"""The form of the förbund's rules for participant data."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.participants.models import DEFAULT_MIN_CELL, Policy


class PolicyForm(forms.Form):
    min_cell = forms.IntegerField(
        label=_("Minsta cellstorlek"),
        min_value=2,
        max_value=50,
        initial=DEFAULT_MIN_CELL,
        help_text=_("Antal under detta visas inte när siffror lämnar insatsen (brukligt är 5)."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )
    retention_years = forms.IntegerField(
        label=_("Gallring efter (år)"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_(
            "Deltagare som avslutades för längre sedan än så tas bort; antalen i rapporterna "
            "finns kvar. Tomt: ingen gallring."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short"}),
    )
    kansli_sees_rows = forms.BooleanField(
        label=_("Kansliet ser deltagarrader"),
        required=False,
        help_text=_(
            "Förbundschef och kansli får se insatsernas deltagare med kod, utan att registrera."
        ),
    )
    recognise_persons = forms.BooleanField(
        label=_("Känn igen samma person mellan insatser"),
        required=False,
        help_text=_(
            "Formuläret tar emot ett personnummer och sparar bara en nyckelad kontrollsumma, "
            "så att förbundet kan räkna unika individer. Numret sparas aldrig."
        ),
    )

    @classmethod
    def for_policy(cls, policy: Policy, data: Any = None) -> PolicyForm:
        return cls(
            data,
            initial={
                "min_cell": policy.min_cell,
                "retention_years": policy.retention_years,
                "kansli_sees_rows": policy.kansli_sees_rows,
                "recognise_persons": policy.recognise_persons,
            },
        )
