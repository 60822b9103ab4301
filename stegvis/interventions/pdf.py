"""The protocol extract (protokollsutdrag) of a board decision as a PDF.

WeasyPrint lays out an HTML template (templates/interventions/pdf/) with the fonts
installed on the system. Nothing is fetched: the template carries its own CSS, and
any URL it might name is refused, so rendering never reaches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stegvis.interventions.models import Decision


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"Stegvis PDF: no external resources ({url})")


def css_string(text: str) -> SafeString:
    """Text as a quoted CSS string for the page margins (`content: ...`): quotes,
    backslashes, angle brackets and control characters as CSS escapes, so that no
    name can end the string or the style element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>&' or ord(char) < 32 else char for char in text
    )
    return mark_safe(f'"{escaped}"')


def paragraph_label(paragraph: str) -> str:
    """'42' → '§ 42'; a paragraph already written with its sign stays as it is."""
    paragraph = paragraph.strip()
    return paragraph if paragraph.startswith("§") else f"§\u00a0{paragraph}"


@dataclass
class YearRow:
    year: int
    requested: int
    recommended: int | None
    granted: int


@dataclass
class DecisionSummary:
    """What the decision page, the PDF and the Excel export show."""

    decision: Decision
    paragraph: str
    text: str
    rows: list[YearRow]
    requested_total: int
    granted_total: int


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def decision_text(decision: Decision, granted_total: int) -> str:
    """The decision as the minutes word it."""
    application = decision.application
    values = {
        "title": application.title,
        "applicant": application.applicant.name,
        "total": _kr(granted_total),
    }
    if decision.outcome == Decision.Outcome.APPROVE:
        return (
            _(
                "Styrelsen beslutar att bevilja ansökan från %(applicant)s om insatsen "
                "%(title)s med det sökta beloppet, totalt %(total)s, fördelat på år enligt "
                "tabellen."
            )
            % values
        )
    if decision.outcome == Decision.Outcome.PARTIAL:
        return (
            _(
                "Styrelsen beslutar att delvis bevilja ansökan från %(applicant)s om insatsen "
                "%(title)s med totalt %(total)s, fördelat på år enligt tabellen."
            )
            % values
        )
    return (
        _("Styrelsen beslutar att avslå ansökan från %(applicant)s om insatsen %(title)s.") % values
    )


def decision_summary(decision: Decision) -> DecisionSummary:
    application = decision.application
    granted = {row.year: row.granted for row in decision.years.all()}
    rows = [
        YearRow(
            year=row.year,
            requested=row.requested,
            recommended=row.recommended,
            granted=granted.get(row.year, 0),
        )
        for row in application.years.all()
    ]
    granted_total = sum(granted.values())
    return DecisionSummary(
        decision=decision,
        paragraph=paragraph_label(decision.paragraph),
        text=decision_text(decision, granted_total),
        rows=rows,
        requested_total=sum(row.requested for row in rows),
        granted_total=granted_total,
    )


def decision_filename(decision: Decision) -> str:
    paragraph = slugify(decision.paragraph.replace("§", "")) or str(decision.pk)
    return f"protokollsutdrag-{decision.meeting_date:%Y-%m-%d}-p{paragraph}"


def decision_pdf(decision: Decision, **context: Any) -> bytes:
    """The protocol extract of a decision, as PDF bytes."""
    from weasyprint import HTML  # heavy: loaded when a PDF is asked for

    association = decision.association
    html = render_to_string(
        "interventions/pdf/decision.html",
        {
            "summary": decision_summary(decision),
            "association": association,
            "margin": {
                "association": css_string(association.name),
                "title": css_string(_("Protokollsutdrag")),
                "page": css_string(_("Sida") + " "),
                "of": css_string(" " + _("av") + " "),
                "printed": css_string(
                    _("Utskrivet ur Stegvis %(date)s")
                    % {"date": f"{context.get('printed') or timezone.localdate():%Y-%m-%d}"}
                ),
            },
            **context,
        },
    )
    return HTML(string=html, url_fetcher=_no_fetching, base_url=".").write_pdf()
