"""Swedish number formatting and small helpers for templates."""

from typing import Any

from django import template

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
def percent(value: Any, decimals: int = 1) -> str:
    """0.6543 → '65,4 %' (Swedish decimal comma, space before the sign)."""
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.{decimals}f}".replace(".", ",") + NBSP + "%"


@register.filter
def changes(entry: Any) -> str:
    return format_changes(entry.changes or {}, entry.object_type)


@register.filter
def has_permission(permissions: Any, name: str) -> bool:
    return name in (permissions or ())
