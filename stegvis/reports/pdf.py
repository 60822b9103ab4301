"""Every report as a PDF: an HTML template laid out by WeasyPrint.

`render_pdf` wraps a report's template (which extends `reports/pdf/base.html`) with
the page margins (the förbund's name, the report's title, "Sida N av M", when it was
printed), a title page and a table of contents built from `sections`, with the
report's `notes` (what it leaves out, and why) under it. Charts are the pages' own
SVG, inline. Nothing is fetched: any URL is refused.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.associations.models import Association
from stegvis.interventions.pdf import css_string


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"Stegvis PDF: no external resources ({url})")


class _SvgStyleFilter(logging.Filter):
    """WeasyPrint's HTML stylesheet parser also reads the inline charts' SVG style
    attributes (fill, stroke …), warns that it does not know them, and then leaves
    them to its SVG renderer, which draws them. Those warnings are noise."""

    IGNORED = re.compile(r"^Ignored `(fill|stroke)[a-z-]*:.*unknown property")

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.IGNORED.match(record.getMessage())


_weasyprint_log = logging.getLogger("weasyprint")
if not any(isinstance(f, _SvgStyleFilter) for f in _weasyprint_log.filters):
    _weasyprint_log.addFilter(_SvgStyleFilter())


@dataclass(frozen=True)
class Section:
    """One heading of the report, for the table of contents (level 1 or 2)."""

    anchor: str
    title: str
    level: int = 1


def render_pdf(
    template: str,
    context: dict[str, Any],
    *,
    association: Association,
    title: str,
    subtitle: str = "",
    sections: list[Section] | None = None,
    decided_on: datetime.date | None = None,
    needs_decision: bool = False,
    printed: datetime.date | None = None,
    notes: list[str] | None = None,
) -> bytes:
    """The report as PDF bytes. `template` extends reports/pdf/base.html and fills
    `{% block content %}`; each `Section` names an element id in it. `notes` are
    printed under the table of contents ("Ingen målkarta för 2026.")."""
    from weasyprint import HTML  # heavy: loaded when a PDF is asked for

    printed = printed or timezone.localdate()
    html = render_to_string(
        template,
        {
            **context,
            "association": association,
            "title": title,
            "subtitle": subtitle,
            "sections": sections or [],
            "notes": notes or [],
            "decided_on": decided_on,
            "needs_decision": needs_decision,
            "printed": printed,
            "margin": {
                "association": css_string(association.name),
                "title": css_string(title),
                "page": css_string(_("Sida") + " "),
                "of": css_string(" " + _("av") + " "),
                "printed": css_string(
                    _("Utskrivet ur Stegvis %(date)s") % {"date": f"{printed:%Y-%m-%d}"}
                ),
            },
        },
    )
    return HTML(string=html, url_fetcher=_no_fetching, base_url=".").write_pdf()


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF (Debian's pdftotext, with the layout kept), for tests and
    for checking a report's figures against the selectors'."""
    import subprocess

    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")
