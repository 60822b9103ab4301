"""Forms of the participant import: the file and whether to try it first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stegvis.core import uploads

UPLOAD_TYPES = (".xlsx", ".csv", ".txt")
LIMIT = uploads.PARTICIPANT_FILE


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Deltagarfil"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_TYPES)}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Provkör först"),
        required=False,
        initial=True,
        help_text=gettext_lazy(
            "Visar vad som skulle ändras utan att spara något; du sparar sedan med en knapp."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel (.xlsx) eller CSV (UTF-8, semikolon eller komma) med en rubrikrad och "
            "en rad per deltagare, högst %(size)s."
        ) % {"size": uploads.megabytes(LIMIT.max_bytes)}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_TYPES):
            raise forms.ValidationError(_("Välj en Excelfil (.xlsx) eller en CSV-fil."))
        uploads.validate_upload(upload, LIMIT)  # by its size, before anything reads it
        return upload


class ImportConfirmForm(forms.Form):
    """Names the tried file kept in the session, so that what is stored is exactly
    what was shown."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
