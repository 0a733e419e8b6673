"""`govcredit duties scan` hook (KERNEL_CONTRACT §6): T−30 / T−5 repayment reminders and an
emergency event for every repayment unpaid past its due date."""

from __future__ import annotations

import datetime as dt

from . import services


def scan(as_of: dt.date) -> dict[str, int]:
    return {"reminders": services.send_reminders(as_of), "emergencies": services.open_emergencies(as_of)}
