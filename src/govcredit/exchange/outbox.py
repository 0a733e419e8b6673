"""The outbox: every shared record change becomes an event in the same transaction (DESIGN §3).

``on_record_changed`` is connected to ``govcredit.core.signals.record_changed`` in
``ExchangeConfig.ready``. The signal is sent inside the record's transaction, so the event row
commits or rolls back with the change: nothing is published without its event, and a change that
rolled back leaves no event.
"""

from __future__ import annotations

from django.utils import timezone

from govcredit.records import events

from .models import EventStatus, OutboxEvent, new_idempotency_key

SHARED_EVENTS = {
    events.PUBLISH: "publish",
    events.CORRECT: "correct",
    events.REVOKE: "revoke",
    events.REPAIR: "repair",
    events.EXPIRE: "expire",
}


def on_record_changed(sender, *, record, event, version=None, **kwargs) -> None:
    wire_event = SHARED_EVENTS.get(event)
    if wire_event is None:
        return
    item = record.item
    if not item.shared_with_platform:
        return
    if version is not None:
        payload = dict(version.snapshot)
        number = version.number
    else:  # announced without a version: snapshot the record as it stands now
        from govcredit.records.services import snapshot

        payload = snapshot(record)
        number = record.version
    payload["id"] = record.pk
    payload["version"] = number
    now = timezone.now()
    OutboxEvent.objects.create(
        idempotency_key=new_idempotency_key(),
        event=wire_event,
        record_id=record.pk,
        record_version=number,
        document_no=record.document_no,
        source_unit=record.source_unit.name,
        occurred_at=now,
        payload=payload,
        status=EventStatus.PENDING,
        next_attempt_at=now,
    )
