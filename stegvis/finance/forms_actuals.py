"""Forms of the actuals pages: they parse what people type (amounts in tkr or kr,
Swedish style) and leave the rules to `stegvis.finance.actuals`."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.core import uploads
from stegvis.finance.actuals import AmountError, format_amount, parse_amount
from stegvis.finance.models import BudgetLine, Unit

UPLOAD_TYPES = (".xlsx", ".csv", ".txt")
LIMIT = uploads.ACTUALS_SHEET


def unit_field(**kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=gettext_lazy("Beloppen är i"),
        choices=Unit.choices,
        widget=forms.RadioSelect,
        **kwargs,
    )


def amount_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "class": "amount", "size": 12}
    )


class UnitSwitchForm(forms.Form):
    """The unit the recording page shows and reads amounts in (a GET form: switching
    reloads the page with the amounts written in the new unit)."""

    enhet = unit_field()


class ActualsForm(forms.Form):
    """One amount field per budget line, `line_<id>`, in the unit of the page.
    An empty field means no actual for the line (an earlier one is removed)."""

    unit = forms.ChoiceField(choices=Unit.choices, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        lines: Sequence[BudgetLine],
        current: Mapping[int, int],
        unit: str,
        **kwargs: Any,
    ) -> None:
        kwargs["initial"] = {"unit": unit}
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[self.field_name(line)] = forms.CharField(
                label=_("Utfall för %(line)s") % {"line": line.name},
                required=False,
                max_length=40,
                initial=format_amount(current.get(line.pk), unit=unit),
                widget=amount_widget(),
            )
        self.amounts: dict[int, int | None] = {}

    @staticmethod
    def field_name(line: BudgetLine) -> str:
        return f"line_{line.pk}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        unit = data.get("unit") or Unit.KR
        for line in self.lines:
            name = self.field_name(line)
            if name not in data:
                continue  # max_length already said what is wrong
            try:
                self.amounts[line.pk] = parse_amount(data[name], unit=unit)
            except AmountError as problem:
                self.add_error(
                    name,
                    _("Utfall för ”%(line)s”: ”%(value)s” %(problem)s.")
                    % {"line": line.name, "value": data[name].strip(), "problem": problem},
                )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil med utfall"),
        help_text=gettext_lazy(
            "Excel (.xlsx) eller CSV med semikolon eller komma. Kolumn A: budgetradens namn "
            "som i budgeten, kolumn B: utfallet. En rubrikrad överst får finnas."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_TYPES)}),
    )
    unit = unit_field(initial=Unit.TKR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = _("Högst %(size)s.") % {"size": uploads.megabytes(LIMIT.max_bytes)}
        self.fields["file"].help_text = f"{self.fields['file'].help_text} {limit}"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_TYPES):
            raise forms.ValidationError(_("Välj en Excelfil (.xlsx) eller en CSV-fil."))
        uploads.validate_upload(upload, LIMIT)  # by its size, before anything reads it
        return upload


class ImportConfirmForm(forms.Form):
    """The previewed file, carried back unchanged so that what is stored is exactly
    what was shown."""

    content = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255, required=False)
    unit = forms.ChoiceField(choices=Unit.choices, widget=forms.HiddenInput)

    @staticmethod
    def encode(content: bytes) -> str:
        return base64.b64encode(content).decode("ascii")

    def clean_content(self) -> bytes:
        try:
            content = base64.b64decode(self.cleaned_data["content"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError(_("Filen kom inte med. Ladda upp den igen.")) from error
        try:
            uploads.check_size(len(content), LIMIT)
        except uploads.FileRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return content


class ForecastForm(forms.Form):
    amount = forms.CharField(
        label=gettext_lazy("Prognos för helåret"),
        max_length=40,
        widget=amount_widget(),
    )
    unit = unit_field()
    comment = forms.CharField(
        label=gettext_lazy("Kommentar"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Varför prognosen avviker, t.ex. ”tjänsten tillsatt först i juni”."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "amount" in data and "unit" in data:
            try:
                data["amount"] = parse_amount(data["amount"], unit=data["unit"])
            except AmountError as problem:
                self.add_error("amount", f"”{data['amount'].strip()}” {problem}.")
            else:
                if data["amount"] is None:
                    self.add_error("amount", _("Skriv ett belopp."))
        return data


def month_choices() -> list[tuple[int, str]]:
    return [
        (month, _("%(month)s (januari–%(month)s, %(count)d mån)") % {"month": name, "count": month})
        if month > 1
        else (month, str(name))
        for month, name in MONTHS.items()
    ]


class PeriodForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Namn"),
        max_length=60,
        help_text=gettext_lazy("Som det ska stå i rapporterna, t.ex. ”Delår (jan–jun)”."),
    )
    end_month = forms.TypedChoiceField(
        label=gettext_lazy("Till och med månad"),
        coerce=int,
        help_text=gettext_lazy(
            "Perioden räknas alltid från januari, så utfallet är årets utfall hittills."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_month"].choices = month_choices()  # type: ignore[attr-defined]
