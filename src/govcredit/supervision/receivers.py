"""A typical case follows its linked records (WAVE2 §8(c)): repaired, revoked or expired → withdrawn,
inside the record's transaction."""

from __future__ import annotations

from govcredit.records import events

WITHDRAWING = {events.REVOKE: "已撤销", events.REPAIR: "已信用修复", events.EXPIRE: "公示期满"}


def on_record_changed(sender, record, event, **kwargs) -> None:
    label = WITHDRAWING.get(event)
    if label is None:
        return
    from .cases import withdraw_for_record

    withdraw_for_record(record, label)
