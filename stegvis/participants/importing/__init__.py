"""The participant file (spec/participant-file.md): import, template and export.

`participants_import` validates and stores a file; `template_workbook` is the Excel
template to fill in; `participants_export_rows` gives an insats's rows in the same
columns, so that export → edit → import round-trips.
"""

from stegvis.participants.importing.columns import COLUMNS
from stegvis.participants.importing.export import participants_export_rows
from stegvis.participants.importing.service import (
    CHANGED,
    NEW,
    UNCHANGED,
    ImportResult,
    ParsedRow,
    Problem,
    participants_import,
)
from stegvis.participants.importing.template import template_workbook

__all__ = [
    "CHANGED",
    "COLUMNS",
    "NEW",
    "UNCHANGED",
    "ImportResult",
    "ParsedRow",
    "Problem",
    "participants_export_rows",
    "participants_import",
    "template_workbook",
]
