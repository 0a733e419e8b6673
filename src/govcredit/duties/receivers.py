"""A finding follows its record's fate (KERNEL_CONTRACT §3): approve/publish → published, reject →
rejected, revoke → withdrawn. Runs inside the record's transaction."""

from __future__ import annotations

from django.utils import timezone

from govcredit.core.ledger import log_action
from govcredit.records import events

from .models import Finding, FindingStatus

EVENT_STATUS = {
    events.PUBLISH: FindingStatus.PUBLISHED,
    events.ARCHIVE: FindingStatus.PUBLISHED,
    events.REJECT: FindingStatus.REJECTED,
    events.REVOKE: FindingStatus.WITHDRAWN,
    events.SUBMIT: FindingStatus.PROPOSED,
}


def on_record_changed(sender, record, event, actor=None, reason="", **kwargs) -> None:
    new = EVENT_STATUS.get(event)
    if new is None or not getattr(record, "proposed_by", ""):
        return  # only records a module proposed can belong to a finding (wave-1 records cost nothing)
    for finding in Finding.objects.filter(record_id=record.pk).exclude(status=new):
        old = finding.status
        Finding.objects.filter(pk=finding.pk).update(status=new, updated_at=timezone.now())
        log_action(
            "govcredit.finding.status",
            actor=actor,
            obj=finding,
            summary=f"{finding.document_no}：{FindingStatus(old).label} → {FindingStatus(new).label}"
            + (f"（{reason[:100]}）" if reason else ""),
            before={"status": old},
            after={"status": new, "record_event": event},
        )
