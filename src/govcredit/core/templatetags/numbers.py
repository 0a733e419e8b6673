"""Number formatting for every template (a builtin library, see settings.TEMPLATES)."""

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def thousands(value: Any) -> str:
    """1234567 → 1,234,567 and 1234.5 → 1,234.5 (UI.md: numbers with thousands separators);
    anything that is not a number as it is."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{value:,}"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
