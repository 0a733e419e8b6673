import datetime as dt

import pytest
from django.db import transaction

from govcredit.catalog.models import CatalogItem
from govcredit.exchange.models import EventStatus, OutboxEvent
from govcredit.records import services
from govcredit.records.models import CreditRecord, Status

pytestmark = pytest.mark.django_db


def test_publish_writes_one_pending_event_with_the_wire_fields(publish):
    record = publish()
    events = list(OutboxEvent.objects.all())
    assert len(events) == 1
    event = events[0]
    assert event.event == "publish" and event.status == EventStatus.PENDING
    wire = event.wire()
    assert set(wire) == {
        "idempotency_key",
        "event",
        "record_id",
        "document_no",
        "source_unit",
        "occurred_at",
        "record",
    }
    assert wire["record_id"] == record.pk
    assert wire["document_no"] == record.document_no
    assert wire["source_unit"] == record.source_unit.name
    assert wire["occurred_at"].endswith("Z")
    assert wire["record"]["status"] == "published" and wire["record"]["item"] == "court_judgment"
    assert len(event.idempotency_key) == 32


def test_drafts_submissions_and_rejections_share_nothing(personas, record_data):
    access = personas.access(personas.court)
    record, _, _ = services.upsert_record(record_data(), source_unit=personas.unit("区法院"), access=access)
    services.submit_record(record, access=access)
    services.reject_record(record, access=personas.access(personas.reviewer), reason="事实不清")
    assert OutboxEvent.objects.count() == 0


def test_correct_revoke_repair_expire_each_become_an_event(publish, personas):
    reviewer = personas.access(personas.reviewer)
    a = publish(document_no="周法民〔2026〕11号")
    services.correct_record(a, {"facts": "更正后的事实。"}, access=reviewer, reason="文字有误")
    services.revoke_record(a, access=reviewer, reason="判决被撤销")
    b = publish(document_no="周法民〔2026〕12号")
    services.repair_record(b, access=None, reason="修复申请已批准")
    c = publish(document_no="周法民〔2026〕13号")
    services.expire_record(c, today=c.publish_until + dt.timedelta(days=1))
    assert list(OutboxEvent.objects.order_by("id").values_list("event", "document_no")) == [
        ("publish", "周法民〔2026〕11号"),
        ("correct", "周法民〔2026〕11号"),
        ("revoke", "周法民〔2026〕11号"),
        ("publish", "周法民〔2026〕12号"),
        ("repair", "周法民〔2026〕12号"),
        ("publish", "周法民〔2026〕13号"),
        ("expire", "周法民〔2026〕13号"),
    ]
    correct = OutboxEvent.objects.get(event="correct")
    assert correct.payload["facts"] == "更正后的事实。"
    assert correct.record_version > OutboxEvent.objects.filter(event="publish").first().record_version


def test_items_not_shared_with_the_platform_make_no_event(publish):
    CatalogItem.objects.filter(code="court_judgment").update(shared_with_platform=False)
    publish()
    assert OutboxEvent.objects.count() == 0


def test_a_rolled_back_change_leaves_no_event(publish, personas, record_data):
    access = personas.access(personas.court)
    record, _, _ = services.upsert_record(
        record_data(document_no="周法民〔2026〕99号"),
        source_unit=personas.unit("区法院"),
        access=access,
        submit=True,
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        services.approve_record(record, access=personas.access(personas.reviewer))
        assert OutboxEvent.objects.count() == 1  # written inside the same transaction
        raise RuntimeError("the caller fails after the change")
    assert OutboxEvent.objects.count() == 0
    assert CreditRecord.objects.get(pk=record.pk).status == Status.SUBMITTED


def test_an_event_failure_rolls_the_change_back(publish, personas, record_data, monkeypatch):
    """Nothing is published without its event."""
    access = personas.access(personas.court)
    record, _, _ = services.upsert_record(
        record_data(document_no="周法民〔2026〕98号"),
        source_unit=personas.unit("区法院"),
        access=access,
        submit=True,
    )

    def broken(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(OutboxEvent.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.approve_record(record, access=personas.access(personas.reviewer))
    assert CreditRecord.objects.get(pk=record.pk).status == Status.SUBMITTED
