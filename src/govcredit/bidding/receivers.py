"""Keeps the 招标投标失信名单 and the disqualification period in step with ``bidding_violation``
records (inside the record's transaction, after sanctions' receiver has applied the rules)."""

from __future__ import annotations

from govcredit.records import events

from . import services


def on_record_changed(sender, record, event, old_status=None, actor=None, reason="", version=None, **kwargs):
    if record.item.code != services.ITEM:
        return
    if event == events.PUBLISH:
        services.on_published(record, actor=actor)
    elif event in (events.REVOKE, events.EXPIRE, events.REPAIR):
        services.on_withdrawn(record, actor=actor, reason=reason)
