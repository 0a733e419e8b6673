"""Delivery of outbox events to the municipal platform (DESIGN §5 "Outbound exchange").

Claiming: a worker claims up to ``BATCH_SIZE`` due events by a compare-and-swap on their status
(``pending`` → ``sending``) with a lease (``claimed_until``) and a claim token; on PostgreSQL the
candidate rows are read with ``SELECT … FOR UPDATE SKIP LOCKED`` so two workers take disjoint
batches without waiting. A worker killed mid-batch leaves its events ``sending``; once the lease
has run out they are due again and another worker redelivers them with the same idempotency key
(the platform de-duplicates by it). Events of one record leave in order: an event is not claimed
while an earlier event of the same record is still pending or being sent.

Outcomes (HTTP): 2xx acknowledges the whole batch. 5xx, 408, 429, timeouts and connection errors
put every event of the batch back with a per-event back-off (first retry within 5 s, then doubling
with ±25 % jitter, at most 60 s). Any other 4xx is a verdict about content: a batch of one event is
parked for a person with the receiver's reason; a larger batch is split in halves and each half is
sent again (recursively), so only the offending events are parked and the rest are acknowledged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import json
import logging
import os
import random
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from govcredit.core.crypto import hmac_sm3_hex, sm3_hex

from .models import EventStatus, OutboxEvent, wire_head

logger = logging.getLogger("govcredit.exchange")

BATCH_SIZE = 500
LEASE_SECONDS = 300
HTTP_TIMEOUT = 10.0
FIRST_RETRY_SECONDS = 4.0  # ±25 % jitter keeps the first retry within 5 s
MAX_BACKOFF_SECONDS = 60.0

OK, RETRY, PARK = "ok", "retry", "park"


def backoff_seconds(attempts: int, rng: random.Random | None = None) -> float:
    """Delay before the next try after ``attempts`` failed tries (1 = first failure)."""
    rng = rng or random
    base = min(MAX_BACKOFF_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))
    return min(MAX_BACKOFF_SECONDS, base * rng.uniform(0.75, 1.25))


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- adapters --------------------------------------------------------------------------------------


class HttpAdapter:
    """POST signed JSON batches; keeps one keep-alive connection."""

    def __init__(self, url: str, key: str, timeout: float = HTTP_TIMEOUT):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"GOVCREDIT_EXCHANGE_URL 不是有效的 http(s) 地址：{url}")
        self.url = url
        self.key = key.encode("utf-8")
        self.timeout = timeout
        self._parts = parts
        self._path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._conn: http.client.HTTPConnection | None = None
        self.name = f"HTTP {parts.scheme}://{parts.netloc}{parts.path}"

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            cls = http.client.HTTPSConnection if self._parts.scheme == "https" else http.client.HTTPConnection
            self._conn = cls(self._parts.hostname, self._parts.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def signed_headers(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        return {
            "Content-Type": "application/json; charset=utf-8",
            "X-Govcredit-Timestamp": ts,
            "X-Govcredit-Signature": hmac_sm3_hex(self.key, ts.encode("ascii") + b"." + body),
        }

    def post(self, body: bytes) -> tuple[int, str]:
        headers = self.signed_headers(body)
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request("POST", self._path, body=body, headers=headers)
                response = conn.getresponse()
                text = response.read(64 * 1024).decode("utf-8", "replace")
                if response.will_close:
                    self.close()
                return response.status, text
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server had closed: one fresh try.
                self.close()
                if attempt == 2:
                    raise
            except Exception:
                self.close()
                raise
        raise RuntimeError("unreachable")

    def deliver(self, events: list[ClaimedEvent]) -> dict[int, tuple[str, str]]:
        return self._send([(e.pk, e.wire_json()) for e in events])

    def _send(self, items: list[tuple[int, bytes]]) -> dict[int, tuple[str, str]]:
        body = b'{"events":[' + b",".join(w for _, w in items) + b"]}"
        try:
            status, text = self.post(body)
        except (OSError, http.client.HTTPException) as exc:
            kind = "超时" if isinstance(exc, (TimeoutError, socket.timeout)) else "连接失败"
            return {pk: (RETRY, f"{kind}：{exc}"[:500]) for pk, _ in items}
        if 200 <= status < 300:
            return {pk: (OK, "") for pk, _ in items}
        detail = text.strip()[:500]
        if 400 <= status < 500 and status not in (408, 425, 429):
            if len(items) == 1:
                return {items[0][0]: (PARK, f"对方拒收（HTTP {status}）：{detail}")}
            half = len(items) // 2
            results = self._send(items[:half])
            results.update(self._send(items[half:]))
            return results
        return {pk: (RETRY, f"对方暂不可用（HTTP {status}）：{detail}"[:500]) for pk, _ in items}


class FileAdapter:
    """JSON Lines batch + manifest (count, SM3) in a gateway directory, each written temp + rename."""

    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.name = f"文件 {self.directory}"

    def close(self) -> None:
        pass

    def _write_atomic(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()

    def deliver(self, events: list[ClaimedEvent]) -> dict[int, tuple[str, str]]:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            data = b"".join(e.wire_json() + b"\n" for e in events)
            now = timezone.now()
            stem = f"govcredit-{now:%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex[:8]}"
            data_name = f"{stem}.jsonl"
            self._write_atomic(self.directory / data_name, data)
            manifest = {
                "file": data_name,
                "count": len(events),
                "sm3": sm3_hex(data),
                "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "first_event": events[0].idempotency_key if events else "",
                "last_event": events[-1].idempotency_key if events else "",
            }
            # The manifest goes last: a manifest always names a complete data file.
            self._write_atomic(self.directory / f"{stem}.manifest.json", dumps(manifest))
            try:
                dir_fd = os.open(self.directory, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            except OSError:
                pass
        except OSError as exc:
            return {e.pk: (RETRY, f"写入交换目录失败：{exc}"[:500]) for e in events}
        return {e.pk: (OK, "") for e in events}


def get_adapter():
    """The adapter the settings choose (the URL wins when both are set), or None."""
    url = getattr(settings, "GOVCREDIT_EXCHANGE_URL", "")
    if url:
        key = getattr(settings, "GOVCREDIT_EXCHANGE_KEY", "")
        if not key:
            # Unsigned requests would only be refused: keep the events pending until the key is set.
            logger.error("GOVCREDIT_EXCHANGE_URL is set but GOVCREDIT_EXCHANGE_KEY is not: nothing is sent")
            return None
        return HttpAdapter(url, key)
    directory = getattr(settings, "GOVCREDIT_EXCHANGE_DIR", "")
    if directory:
        return FileAdapter(directory)
    return None


def channel_description() -> str:
    if getattr(settings, "GOVCREDIT_EXCHANGE_URL", ""):
        key = "已配置签名密钥" if getattr(settings, "GOVCREDIT_EXCHANGE_KEY", "") else "未配置签名密钥！"
        return f"HTTP 接口 {settings.GOVCREDIT_EXCHANGE_URL}（{key}）"
    if getattr(settings, "GOVCREDIT_EXCHANGE_DIR", ""):
        return f"文件交换目录 {settings.GOVCREDIT_EXCHANGE_DIR}"
    return ""


# -- claiming --------------------------------------------------------------------------------------


def _due_q(now: dt.datetime) -> Q:
    return Q(status=EventStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=EventStatus.SENDING, claimed_until__lt=now
    )


@dataclass
class ClaimedEvent:
    """What delivery needs of a claimed event (lighter than a model instance).

    The record snapshot stays the JSON text the database holds; it is spliced into the body
    without being decoded and encoded again (the bulk of the bytes sent).
    """

    pk: int
    idempotency_key: str
    event: str
    record_id: int
    document_no: str
    source_unit: str
    occurred_at: dt.datetime
    payload_json: str
    attempts: int

    def wire_json(self) -> bytes:
        head = dumps(wire_head(self))
        return head[:-1] + b',"record":' + self.payload_json.encode("utf-8") + b"}"

    def wire(self) -> dict:
        return json.loads(self.wire_json())


CLAIMED_FIELDS = [f.name for f in dataclasses.fields(ClaimedEvent) if f.name not in ("pk", "payload_json")]


def claim_batch(
    limit: int = BATCH_SIZE, *, lease_seconds: int = LEASE_SECONDS, now: dt.datetime | None = None
) -> tuple[str, list[ClaimedEvent]]:
    """Claim up to ``limit`` due events for this caller; returns (claim token, events)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    skip_locked = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        ids: list[int] = []
        for q in (
            Q(status=EventStatus.SENDING, claimed_until__lt=now),  # leases of dead workers
            Q(status=EventStatus.PENDING, next_attempt_at__lte=now),
        ):
            if len(ids) >= limit:
                break
            qs = OutboxEvent.objects.filter(q).order_by("id")
            if skip_locked:
                qs = qs.select_for_update(skip_locked=True, of=("self",))
            ids.extend(qs.values_list("pk", flat=True)[: limit - len(ids)])
        if not ids:
            return token, []
        ids = _in_record_order(ids, now)
        if not ids:
            return token, []
        OutboxEvent.objects.filter(_due_q(now), pk__in=ids).update(
            status=EventStatus.SENDING,
            claimed_until=now + dt.timedelta(seconds=lease_seconds),
            claim_token=token,
            last_attempt_at=now,
        )
    rows = (
        OutboxEvent.objects.filter(claim_token=token, status=EventStatus.SENDING)
        .order_by("id")
        .annotate(payload_json=Cast("payload", TextField()))
        .values_list("pk", *CLAIMED_FIELDS[:-1], "payload_json", "attempts")
    )
    events = [ClaimedEvent(*row) for row in rows]
    return token, events


def _in_record_order(ids: list[int], now: dt.datetime) -> list[int]:
    """Drop candidates that would overtake an earlier unsent event of the same record.

    An earlier event of the record that is pending (perhaps backing off) or in flight with
    another worker blocks the later ones; parked and delivered events do not. Candidates are
    taken in id order, so only events outside this batch can block: when no event at all is
    backing off or in flight elsewhere (the normal case) there is nothing to check.
    """
    top = max(ids)
    backing_off = OutboxEvent.objects.filter(
        status=EventStatus.PENDING, attempts__gt=0, next_attempt_at__gt=now
    )
    in_flight = OutboxEvent.objects.filter(status=EventStatus.SENDING, claimed_until__gte=now)
    skipped = OutboxEvent.objects.filter(status=EventStatus.PENDING, id__lt=top).exclude(pk__in=ids)
    # Three index-friendly questions instead of one OR (SQLite would scan).
    if not (backing_off.exists() or in_flight.exists() or skipped.exists()):
        return ids
    outside = OutboxEvent.objects.filter(
        Q(status=EventStatus.PENDING, attempts__gt=0, next_attempt_at__gt=now)
        | Q(status=EventStatus.SENDING, claimed_until__gte=now)
        | Q(status=EventStatus.PENDING, id__lt=top)
    ).exclude(pk__in=ids)
    rows = list(OutboxEvent.objects.filter(pk__in=ids).values_list("pk", "record_id"))
    blockers = (
        outside.filter(record_id__in={r for _, r in rows}, id__lt=top)
        .order_by()
        .values("record_id")
        .annotate(first=Min("id"))
        .values_list("record_id", "first")
    )
    first_blocker = dict(blockers)
    return sorted(pk for pk, record_id in rows if pk < first_blocker.get(record_id, pk + 1))


# -- applying outcomes -----------------------------------------------------------------------------


def apply_results(
    token: str, events: list[ClaimedEvent], results: dict[int, tuple[str, str]], via: str = ""
) -> dict[str, int]:
    now = timezone.now()
    ok = [pk for pk, (kind, _) in results.items() if kind == OK]
    counts = {OK: len(ok), RETRY: 0, PARK: 0}
    with transaction.atomic():
        if ok:
            # Delivered is delivered, even if our lease ran out meanwhile.
            OutboxEvent.objects.filter(pk__in=ok).exclude(status=EventStatus.DELIVERED).update(
                status=EventStatus.DELIVERED,
                delivered_at=now,
                delivered_via=via[:120],
                attempts=F("attempts") + 1,
                claimed_until=None,
                claim_token="",
            )
        by_pk = {e.pk: e for e in events}
        for pk, (kind, message) in results.items():
            if kind == OK:
                continue
            event = by_pk[pk]
            attempts = event.attempts + 1
            mine = OutboxEvent.objects.filter(pk=pk, claim_token=token, status=EventStatus.SENDING)
            if kind == PARK:
                counts[PARK] += mine.update(
                    status=EventStatus.PARKED,
                    attempts=attempts,
                    parked_at=now,
                    parked_reason=message,
                    last_error=message,
                    claimed_until=None,
                    claim_token="",
                )
            else:
                counts[RETRY] += mine.update(
                    status=EventStatus.PENDING,
                    attempts=attempts,
                    next_attempt_at=now + dt.timedelta(seconds=backoff_seconds(attempts)),
                    last_error=message,
                    claimed_until=None,
                    claim_token="",
                )
    return counts


@dataclass
class DeliveryStats:
    batches: int = 0
    delivered: int = 0
    retried: int = 0
    parked: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "batches": self.batches,
            "delivered": self.delivered,
            "retried": self.retried,
            "parked": self.parked,
            "seconds": round(self.seconds, 3),
        }


def deliver_due(
    adapter=None,
    *,
    batch_size: int = BATCH_SIZE,
    budget_seconds: float = 50.0,
    lease_seconds: int = LEASE_SECONDS,
    max_batches: int | None = None,
) -> DeliveryStats:
    """Send every due event, batch after batch, until none is due or the time budget is spent.

    Safe to run from several workers at once: each batch is claimed with a lease.
    """
    stats = DeliveryStats()
    own_adapter = adapter is None
    adapter = adapter or get_adapter()
    if adapter is None:
        return stats
    started = time.monotonic()
    try:
        while time.monotonic() - started < budget_seconds:
            if max_batches is not None and stats.batches >= max_batches:
                break
            token, events = claim_batch(batch_size, lease_seconds=lease_seconds)
            if not events:
                break
            results = adapter.deliver(events)
            counts = apply_results(token, events, results, via=adapter.name)
            stats.batches += 1
            stats.delivered += counts[OK]
            stats.retried += counts[RETRY]
            stats.parked += counts[PARK]
            if counts[RETRY] and not counts[OK]:
                # The receiver is down: stop hammering it; the back-off decides the next try.
                break
    finally:
        if own_adapter:
            adapter.close()
    stats.seconds = time.monotonic() - started
    if stats.batches:
        logger.info("exchange delivery %s", stats.as_dict())
    return stats
