"""Number formatting for every template (a builtin library, see settings.TEMPLATES)."""

import re
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def thousands(value: Any) -> Any:
    """1234567 → 1,234,567 and 1234.5 → 1,234.5 (UI.md: numbers with thousands separators);
    anything that is not a number as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return f"{value:,}"
    if isinstance(value, str) and re.fullmatch(r"-?(0|[1-9][0-9]*)", value):
        return f"{int(value):,}"
    return value  # dates, text, "—": as the template would print them
