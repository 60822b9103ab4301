from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.associations.forms import DateInput
from stegvis.audit.models import AuditEntry


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ"), required=False, choices=[("", _("Alla")), *AuditEntry.Kind.choices]
    )
    action = forms.CharField(
        label=_("Händelse"),
        required=False,
        max_length=100,
        help_text=_("Början av namnet, till exempel member eller membership.created."),
    )
    actor = forms.CharField(label=_("Användare"), required=False, max_length=150)
    since = forms.DateField(label=_("Från och med"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Till och med"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("Slutdatum kan inte vara före startdatum."))
        return cleaned
