"""`govcredit duties scan` hook (KERNEL_CONTRACT §6): list entries whose public window has passed
move to the archive (with a ``withdraw`` entry in the disclosure ledger)."""

from __future__ import annotations

import datetime as dt

from . import services


def scan(as_of: dt.date) -> dict[str, int]:
    return {"delisted": services.delist_due(as_of)}
