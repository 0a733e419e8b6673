"""Test helpers: bring a record into any status through the real services, and a fingerprint of
everything an upsert could touch (to assert "changed nothing")."""

from __future__ import annotations

import datetime as dt

from govcredit.records import services
from govcredit.records.models import CreditRecord, Status

ALL_STATUSES = [s.value for s in Status]


def bring_to(status: str, personas, data: dict) -> CreditRecord:
    """A record from ``data`` (exchange keys, submitted by the court) in ``status``."""
    court = personas.access(personas.court)
    reviewer = personas.access(personas.reviewer)
    unit = personas.unit("区法院")
    record, _, _ = services.upsert_record(data, source_unit=unit, access=court, submit=status != Status.DRAFT)
    if status in (Status.DRAFT, Status.SUBMITTED):
        return record
    if status == Status.REJECTED:
        return services.reject_record(record, access=reviewer, reason="证据不足")
    record = services.approve_record(record, access=reviewer)
    if status == Status.UNDER_OBJECTION:
        services.open_objection(record, access=personas.access(personas.office), reason="异议已受理")
    elif status == Status.EXPIRED:
        services.expire_record(record, today=record.publish_until + dt.timedelta(days=1))
    elif status == Status.REVOKED:
        services.revoke_record(record, access=court, reason="判决已被撤销")
    elif status == Status.REPAIRED:
        services.repair_record(record, access=personas.access(personas.office), reason="修复申请已批准")
    record.refresh_from_db()
    assert record.status == status
    return record


def fingerprint() -> dict:
    """Every row an upsert or import could write: records (all columns), their versions, status
    changes, the audit ledger, the public log, the outbox, subjects and sanctions."""
    from govcredit.core.models import AuditEntry, TransparencyEntry
    from govcredit.exchange.models import OutboxEvent
    from govcredit.records.models import RecordVersion, StatusChange
    from govcredit.sanctions.models import Sanction
    from govcredit.subjects.models import Subject

    return {
        "records": list(CreditRecord.objects.order_by("pk").values()),
        "versions": RecordVersion.objects.count(),
        "status_changes": StatusChange.objects.count(),
        "audit": AuditEntry.objects.count(),
        "public_log": TransparencyEntry.objects.count(),
        "outbox": OutboxEvent.objects.count(),
        "subjects": Subject.objects.count(),
        "sanctions": list(Sanction.objects.order_by("pk").values("pk", "status")),
    }
