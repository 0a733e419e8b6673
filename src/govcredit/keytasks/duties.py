"""keytasks' part of ``govcredit duties scan``: every report a lead unit owes up to today becomes a
kernel duty, so the scanner's ladder reminds (T−5), urges (催办) and supervises (督办) it."""

from __future__ import annotations

import datetime as dt

from . import services


def scan(as_of: dt.date) -> dict[str, int]:
    return services.ensure_duties(as_of)
