"""A counter that changes whenever anything the public portal shows may have changed.

Public pages are cached under a key that includes this counter, so a publication, correction,
withdrawal, objection mark, renamed subject or published notice makes every cached page stale at
once (a new key), with no list of pages to purge. Readers memoise the counter for one second per
process, so a change reaches the portal within a second; cache entries also expire on their own.
"""

from __future__ import annotations

import time
from typing import Any

from django.db.models import F

from .models import ChainHead

NAME = "portal"
MEMO_SECONDS = 1.0
_memo: tuple[float, int] = (0.0, -1)


def bump() -> None:
    """Call inside the transaction of a change the public can see."""
    if ChainHead.objects.filter(name=NAME).update(sequence=F("sequence") + 1) == 0:
        ChainHead.objects.get_or_create(name=NAME, defaults={"sequence": 1})
    forget()  # this process sees its own change at once; others within MEMO_SECONDS


def current() -> int:
    global _memo
    now = time.monotonic()
    if now - _memo[0] < MEMO_SECONDS:
        return _memo[1]
    value = ChainHead.objects.filter(name=NAME).values_list("sequence", flat=True).first() or 0
    _memo = (now, value)
    return value


def forget() -> None:
    """Drop the memo (tests, and right after a change in this process)."""
    global _memo
    _memo = (0.0, -1)


PUBLIC_EVENTS = {"publish", "correct", "revoke", "expire", "repair", "objection_opened", "objection_closed"}


def on_record_changed(sender: Any, record: Any, event: str, **kwargs: Any) -> None:
    if event in PUBLIC_EVENTS:
        bump()
