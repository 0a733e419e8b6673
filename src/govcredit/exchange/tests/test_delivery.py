"""Delivery to the municipal platform, and the faults that must lose nothing (issue 8)."""

import datetime as dt
import json
import random
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from govcredit.core.crypto import hmac_sm3_hex, sm3_hex
from govcredit.exchange import delivery
from govcredit.exchange.delivery import FileAdapter, HttpAdapter, backoff_seconds, claim_batch, deliver_due
from govcredit.exchange.models import EventStatus, OutboxEvent

from .conftest import EXCHANGE_KEY

pytestmark = pytest.mark.django_db


def make_due_now():
    """Time travel for back-off: every pending event is due now."""
    OutboxEvent.objects.filter(status=EventStatus.PENDING).update(next_attempt_at=timezone.now())


def test_events_are_delivered_signed_and_acknowledged(http_exchange, make_events):
    events = make_events(3)
    stats = deliver_due()
    assert stats.delivered == 3 and stats.batches == 1
    assert http_exchange.unique == 3 and http_exchange.duplicates == 0 and http_exchange.bad_signatures == 0
    for event in OutboxEvent.objects.all():
        assert event.status == EventStatus.DELIVERED and event.attempts == 1 and event.delivered_at
    sent = http_exchange.accepted[events[0].idempotency_key]
    assert sent == json.loads(json.dumps(events[0].wire()))


def test_signature_is_hmac_sm3_over_timestamp_dot_body():
    adapter = HttpAdapter("http://127.0.0.1:9/x", "密钥-key")
    body = b'{"events":[]}'
    headers = adapter.signed_headers(body, timestamp=1700000000)
    assert headers["X-Govcredit-Timestamp"] == "1700000000"
    assert headers["X-Govcredit-Signature"] == hmac_sm3_hex("密钥-key".encode(), b"1700000000." + body)


def test_a_wrong_key_is_refused_and_parked_with_the_reason(settings, http_exchange, make_events):
    settings.GOVCREDIT_EXCHANGE_KEY = "not-the-key"
    make_events(1)
    stats = deliver_due()
    assert stats.parked == 1 and http_exchange.unique == 0
    event = OutboxEvent.objects.get()
    assert (
        event.status == EventStatus.PARKED
        and "HTTP 401" in event.parked_reason
        and "签名无效" in event.parked_reason
    )


def test_backoff_first_retry_within_5s_then_doubling_with_jitter_up_to_60s():
    rng = random.Random(1)
    for _ in range(200):
        assert 3.0 <= backoff_seconds(1, rng) <= 5.0
        assert 6.0 <= backoff_seconds(2, rng) <= 10.0
        assert 12.0 <= backoff_seconds(3, rng) <= 20.0
        assert 45.0 <= backoff_seconds(9, rng) <= 60.0
    assert len({round(backoff_seconds(2, rng), 3) for _ in range(20)}) > 1  # jittered


def test_receiver_down_then_back_every_event_arrives_exactly_once(http_exchange, make_events):
    make_events(5)
    http_exchange.down()
    before = timezone.now()
    stats = deliver_due()
    assert stats.retried == 5 and stats.delivered == 0
    for event in OutboxEvent.objects.all():
        assert event.status == EventStatus.PENDING and event.attempts == 1
        assert "连接失败" in event.last_error
        assert dt.timedelta(seconds=2.9) <= event.next_attempt_at - before <= dt.timedelta(seconds=5.5)
    assert deliver_due().batches == 0  # backing off: nothing due yet
    # Still down at the second try: the back-off doubles.
    make_due_now()
    deliver_due()
    event = OutboxEvent.objects.first()
    assert event.attempts == 2 and event.next_attempt_at - timezone.now() > dt.timedelta(seconds=5)
    make_events(2)  # more changes while the platform is away
    http_exchange.up()
    make_due_now()
    stats = deliver_due()
    assert stats.delivered == 7
    assert http_exchange.unique == 7 and http_exchange.duplicates == 0
    assert OutboxEvent.objects.filter(status=EventStatus.DELIVERED).count() == 7


def test_a_500_for_one_batch_is_retried_and_nothing_is_lost(http_exchange, make_events):
    make_events(6)
    http_exchange.fail_batches = 1
    stats = deliver_due(batch_size=3)
    # The first batch got the 500; the loop stops hammering when a batch brings only failures.
    assert stats.retried == 3 and stats.delivered == 0
    stats = deliver_due(batch_size=3)
    assert stats.delivered == 3  # the other batch goes while the first backs off
    make_due_now()
    assert deliver_due(batch_size=3).delivered == 3
    assert http_exchange.unique == 6 and http_exchange.duplicates == 0
    assert "HTTP 500" in OutboxEvent.objects.order_by("id").first().last_error


def test_a_400_for_one_event_parks_only_that_event(http_exchange, make_events):
    events = make_events(7)
    bad = events[4]
    http_exchange.reject_documents = {bad.document_no}
    stats = deliver_due()
    assert stats.delivered == 6 and stats.parked == 1
    bad.refresh_from_db()
    assert bad.status == EventStatus.PARKED
    assert "HTTP 400" in bad.parked_reason and bad.document_no in bad.parked_reason
    assert http_exchange.unique == 6 and bad.idempotency_key not in http_exchange.accepted
    # A person fixes the cause and retries: it goes, with the same key.
    http_exchange.reject_documents = set()
    from govcredit.exchange.services import retry_event

    OutboxEvent.objects.filter(pk=bad.pk).update(status=EventStatus.PARKED)
    return_event = retry_event(bad, access=_office_access())
    assert return_event.status == EventStatus.PENDING
    assert deliver_due().delivered == 1
    assert bad.idempotency_key in http_exchange.accepted and http_exchange.unique == 7


def _office_access():
    from govcredit.accounts.models import User
    from govcredit.accounts.permissions import Access

    return Access.for_user(User.objects.get(username="office"))


def test_worker_killed_mid_batch_events_are_redelivered_after_the_lease(http_exchange, make_events):
    make_events(4)
    # Worker A claims a batch, sends it, and dies before recording the acknowledgement.
    token, claimed = claim_batch(10, lease_seconds=30)
    assert len(claimed) == 4
    HttpAdapter(http_exchange.url, EXCHANGE_KEY).deliver(claimed)
    assert http_exchange.unique == 4
    # While the lease runs, nobody else takes them.
    assert claim_batch(10)[1] == []
    assert deliver_due().batches == 0
    # The lease runs out: worker B redelivers with the same keys; the receiver de-duplicates.
    OutboxEvent.objects.update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    stats = deliver_due()
    assert stats.delivered == 4
    assert http_exchange.unique == 4 and http_exchange.duplicates == 4
    assert set(http_exchange.accepted) == {e.idempotency_key for e in claimed}
    assert OutboxEvent.objects.filter(status=EventStatus.DELIVERED).count() == 4
    # Worker A's late bookkeeping changes nothing.
    delivery.apply_results(token, claimed, {e.pk: (delivery.RETRY, "late") for e in claimed})
    assert OutboxEvent.objects.filter(status=EventStatus.DELIVERED).count() == 4


def test_a_worker_killed_before_sending_leaves_nothing_lost(http_exchange, make_events):
    make_events(3)
    claim_batch(10, lease_seconds=30)  # claimed, never sent
    OutboxEvent.objects.update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert deliver_due().delivered == 3
    assert http_exchange.unique == 3 and http_exchange.duplicates == 0


def test_events_of_one_record_leave_in_order(http_exchange, publish, personas):
    from govcredit.records import services

    record = publish()
    http_exchange.fail_batches = 1
    deliver_due()  # the publish event backs off
    services.revoke_record(record, access=personas.access(personas.reviewer), reason="判决被撤销")
    assert deliver_due().batches == 0  # the revoke may not overtake the publish
    make_due_now()
    assert deliver_due().delivered == 2
    order = [e["event"] for e in http_exchange.accepted.values()]
    assert order == ["publish", "revoke"]


def test_no_channel_configured_keeps_events_pending(settings, make_events):
    settings.GOVCREDIT_EXCHANGE_URL = ""
    settings.GOVCREDIT_EXCHANGE_DIR = ""
    make_events(1)
    assert deliver_due().batches == 0
    assert OutboxEvent.objects.get().status == EventStatus.PENDING


def test_file_exchange_writes_jsonl_and_manifest_atomically(settings, tmp_path, make_events):
    settings.GOVCREDIT_EXCHANGE_URL = ""
    settings.GOVCREDIT_EXCHANGE_DIR = str(tmp_path / "gateway")
    events = make_events(3)
    stats = deliver_due()
    assert stats.delivered == 3
    files = sorted(p.name for p in (tmp_path / "gateway").iterdir())
    assert len(files) == 2 and not any(name.endswith(".tmp") or name.startswith(".") for name in files)
    data_file = next(p for p in (tmp_path / "gateway").iterdir() if p.suffix == ".jsonl")
    manifest = json.loads(
        (tmp_path / "gateway" / data_file.name.replace(".jsonl", ".manifest.json")).read_text()
    )
    content = data_file.read_bytes()
    assert manifest["file"] == data_file.name and manifest["count"] == 3
    assert manifest["sm3"] == sm3_hex(content)
    lines = [json.loads(line) for line in content.decode().splitlines()]
    assert [line["idempotency_key"] for line in lines] == [e.idempotency_key for e in events]
    assert OutboxEvent.objects.filter(status=EventStatus.DELIVERED).count() == 3


def test_file_exchange_failure_retries_and_leaves_no_half_file(settings, tmp_path, make_events, monkeypatch):
    target = tmp_path / "gateway"
    target.mkdir()
    settings.GOVCREDIT_EXCHANGE_URL = ""
    settings.GOVCREDIT_EXCHANGE_DIR = str(target)
    make_events(2)
    real_replace = delivery.os.replace

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(delivery.os, "replace", failing_replace)
    stats = deliver_due()
    assert stats.retried == 2
    assert list(target.iterdir()) == []  # the temp file is gone, no half file
    assert "写入交换目录失败" in OutboxEvent.objects.first().last_error
    monkeypatch.setattr(delivery.os, "replace", real_replace)
    make_due_now()
    assert deliver_due().delivered == 2


def test_file_adapter_used_when_only_dir_set_and_url_wins(settings, tmp_path):
    settings.GOVCREDIT_EXCHANGE_URL = ""
    settings.GOVCREDIT_EXCHANGE_DIR = str(tmp_path)
    assert isinstance(delivery.get_adapter(), FileAdapter)
    settings.GOVCREDIT_EXCHANGE_URL = "http://127.0.0.1:9/in"
    settings.GOVCREDIT_EXCHANGE_KEY = "k"
    assert isinstance(delivery.get_adapter(), HttpAdapter)


class CountingAdapter:
    """Our sender's accounting: how often each event was handed to the wire."""

    def __init__(self, inner, sent, lock):
        self.inner, self.sent, self.lock, self.name = inner, sent, lock, inner.name

    def deliver(self, events):
        with self.lock:
            for e in events:
                self.sent[e.pk] = self.sent.get(e.pk, 0) + 1
        return self.inner.deliver(events)

    def close(self):
        self.inner.close()


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_never_deliver_an_event_twice(http_exchange, make_events):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's in-memory test database is shared by threads without real locking; "
            "the race runs on PostgreSQL (SQLite writers are serialised by BEGIN IMMEDIATE)"
        )
    make_events(60)
    sent: dict[int, int] = {}
    lock = threading.Lock()
    errors = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            adapter = CountingAdapter(HttpAdapter(http_exchange.url, EXCHANGE_KEY), sent, lock)
            barrier.wait()
            for _ in range(20):
                deliver_due(adapter, batch_size=7)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(sent) == 60 and set(sent.values()) == {1}
    assert http_exchange.unique == 60 and http_exchange.duplicates == 0
    assert OutboxEvent.objects.filter(status=EventStatus.DELIVERED).count() == 60


def test_claims_are_disjoint_with_interleaved_workers(make_events):
    make_events(10)
    _, first = claim_batch(6)
    _, second = claim_batch(6)
    assert len(first) == 6 and len(second) == 4
    assert not {e.pk for e in first} & {e.pk for e in second}
    assert claim_batch(6)[1] == []


def test_no_signing_key_sends_nothing_and_keeps_events(settings, http_exchange, make_events):
    settings.GOVCREDIT_EXCHANGE_KEY = ""
    make_events(1)
    assert deliver_due().batches == 0
    assert http_exchange.unique == 0 and OutboxEvent.objects.get().status == EventStatus.PENDING
