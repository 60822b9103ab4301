"""The form for the verksamhetsplan's texts: one text area per section, saved together."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.reports.models import PlanSection
from stegvis.reports.services import MAX_TEXT

# What each section is for, as the seed plans use them.
HELP = {
    PlanSection.INTRODUCTION: _("Varför förbundet finns och vad planen handlar om."),
    PlanSection.MISSION: _("Förbundets uppdrag enligt lagen och förbundsordningen, och årets mål."),
    PlanSection.ORGANISATION: _(
        "Styrelse, kansli, beredningsgrupp och styrgrupper. Styrelsens ledamöter skrivs ut "
        "efter texten, från Inställningar › Arbetsgrupper."
    ),
    PlanSection.TARGET_GROUP: _("Vilka förbundets insatser är till för."),
    PlanSection.VISION: _("Vart förbundet vill komma på sikt."),
    PlanSection.OTHER: _(
        "Något mer som hör till planen, t.ex. uppföljning, utvecklingsarbete eller risker."
    ),
}
FORMAT_HELP = _("Tom rad mellan stycken. Rader som börjar med ”- ” blir en punktlista.")


class PlanTextsForm(forms.Form):
    """A text area per section, prefilled with the year's texts; `version` is the
    latest saved version when the form was opened (see services.plan_texts_version)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in PlanSection.choices:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                strip=False,
                max_length=MAX_TEXT,
                help_text=f"{HELP[PlanSection(key)]} {FORMAT_HELP}",
                widget=forms.Textarea(attrs={"rows": 8 if key != PlanSection.OTHER else 5}),
                error_messages={
                    "max_length": _(
                        "%(section)s: högst %%(limit_value)s tecken (texten har %%(show_value)s)."
                    )
                    % {"section": label}
                },
            )

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in PlanSection.values}
