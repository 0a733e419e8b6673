"""Listens to ``record_changed`` (inside the record's transaction) and keeps sanctions in step."""

from __future__ import annotations

from govcredit.records import events

from . import services


def on_record_changed(sender, record, event, old_status=None, actor=None, reason="", version=None, **kwargs):
    if event == events.PUBLISH:
        services.apply_rules(record, actor=actor)
    elif event == events.CORRECT:
        services.on_correct(record, actor=actor, reason=reason)
    elif event == events.REVOKE:
        services.on_withdrawn(record, actor=actor, reason=reason, expired=False)
    elif event == events.EXPIRE:
        services.on_withdrawn(record, actor=actor, reason=reason, expired=True)
    elif event == events.REPAIR:
        services.on_repair(record, actor=actor, reason=reason)
    elif event == events.OBJECTION_OPENED:
        services.mark_disputed(record, True, actor=actor, reason=reason)
    elif event == events.OBJECTION_CLOSED:
        services.mark_disputed(record, False, actor=actor, reason=reason)
