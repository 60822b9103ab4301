"""Swedish number formatting and small helpers for templates."""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from stegvis.audit.selectors import format_changes

register = template.Library()

NBSP = "\u00a0"


@register.filter
def number(value: Any) -> str:
    """1637273 → '1 637 273' (Swedish grouping with a non-breaking space)."""
    if value is None or value == "":
        return "–"
    try:
        return f"{int(value):,}".replace(",", NBSP)
    except (TypeError, ValueError):
        return str(value)


@register.filter
def tkr(value: Any) -> str:
    """1637273 (kronor) → '1 637' (thousands, rounded half up, Swedish grouping and a
    real minus sign: −979)."""
    if value is None or value == "":
        return "–"
    try:
        thousands = int((Decimal(int(value)) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (TypeError, ValueError, ArithmeticError):
        return str(value)
    text = f"{abs(thousands):,}".replace(",", NBSP)
    return f"\u2212{text}" if thousands < 0 else text


@register.filter
def percent(value: Any, decimals: int = 1) -> str:
    """0.6543 → '65,4 %' (Swedish decimal comma, space before the sign)."""
    if value is None or value == "":
        return "–"
    # Half up on the decimal value, as the budget arithmetic rounds: the page, the
    # command line and the reports must show the same figure.
    places = Decimal(1).scaleb(-decimals)
    shown = (Decimal(str(value)) * 100).quantize(places, rounding=ROUND_HALF_UP)
    return f"{shown}".replace(".", ",") + NBSP + "%"


@register.filter
def changes(entry: Any) -> str:
    return format_changes(entry.changes or {}, entry.object_type)


@register.filter
def has_permission(permissions: Any, name: str) -> bool:
    return name in (permissions or ())


@register.simple_tag
def stacked_bar(parts: Any, css_class: str = "") -> SafeString:
    """Parts of a whole as one bar, each as wide as its `count` and classed
    `status-<status>`: an SVG of rectangles, because the page's Content-Security-Policy
    lets no style="…" attribute set a width. Decorative: the counts are on the page."""
    x = 0
    rects = []
    for part in parts:
        if part.count > 0:
            rects.append((part.status, x, part.count))
            x += part.count
    return format_html(
        '<svg class="{}" viewBox="0 0 {} 1" preserveAspectRatio="none" aria-hidden="true"'
        ' focusable="false">{}</svg>',
        css_class,
        x or 1,
        format_html_join("", '<rect class="status-{}" x="{}" width="{}" height="1"></rect>', rects),
    )
