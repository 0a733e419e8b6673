"""Text rules: what PostgreSQL cannot store (NUL and lone surrogates: it refuses them, SQLite would
not), and the one "reason required" check."""

from __future__ import annotations

import re

from .errors import ValidationFailed

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def required_reason(
    value: str | None,
    *,
    what: str = "原因",
    label: str | None = None,
    max_length: int = 2000,
    field: str = "reason",
    missing: str | None = None,
) -> str:
    """The one "reason required, at most N characters" rule of every service (records, sanctions,
    subjects …): the trimmed text, or ``ValidationFailed`` on ``field`` — "请填写{what}" when empty
    (or ``missing``), "{label}不能超过{max_length}个字符" when too long."""
    text = (value or "").strip()
    if not text:
        message = missing or f"请填写{what}"
        raise ValidationFailed(message, field_errors={field: [message]})
    if len(text) > max_length:
        message = f"{label or what}不能超过{max_length}个字符"
        raise ValidationFailed(message, field_errors={field: [message]})
    return text
