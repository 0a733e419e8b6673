"""The one rule for cells we write to CSV and Excel files people open in a spreadsheet program."""

from __future__ import annotations

# A cell starting with one of these is a formula to Excel (tab and CR start one too, after trimming).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """Text Excel would run as a formula gets a leading ' (shown as text); other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
