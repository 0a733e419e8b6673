"""Back-office rules for the exchange: who may see and act, retry / park, reconciliation."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.core.errors import Conflict, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action

from .models import EventStatus, OutboxEvent

register_action("govcredit.exchange.retry", "交换事件重新投递")
register_action("govcredit.exchange.park", "交换事件搁置")
register_action("govcredit.exchange.reconcile", "交换对账")


def require_view(access: Access) -> None:
    access.require(access.sees_everything, "只有信用办、审核人、审计员和系统管理员可以查看数据交换")


def can_operate(access: Access) -> bool:
    return access.has_role(Role.CREDIT_OFFICE, Role.ADMIN)


def require_operate(access: Access) -> None:
    access.require(can_operate(access), "只有信用办或系统管理员可以操作数据交换")


def get_event(pk) -> OutboxEvent:
    try:
        return OutboxEvent.objects.select_related("record").get(pk=int(pk))
    except (OutboxEvent.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("交换事件不存在") from exc


def retry_event(event: OutboxEvent, *, access: Access) -> OutboxEvent:
    """Put a parked (or backing-off) event back in the queue, due now; its key stays the same."""
    require_operate(access)
    with transaction.atomic():
        now = timezone.now()
        updated = OutboxEvent.objects.filter(
            pk=event.pk, status__in=(EventStatus.PARKED, EventStatus.PENDING)
        ).update(status=EventStatus.PENDING, next_attempt_at=now, parked_at=None, parked_reason="")
        if updated != 1:
            event.refresh_from_db()
            raise Conflict(f"事件当前状态为「{event.get_status_display()}」，不能重新投递")
        log_action(
            "govcredit.exchange.retry",
            actor=access.user,
            obj=event,
            summary=f"重新投递 {event.event_label} {event.document_no}（{event.idempotency_key}）",
            before={"status": event.status},
            after={"status": EventStatus.PENDING},
        )
    event.refresh_from_db()
    return event


def park_event(event: OutboxEvent, *, access: Access, reason: str) -> OutboxEvent:
    """Stop delivering an event until a person retries it."""
    require_operate(access)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写搁置原因", field_errors={"reason": ["请填写搁置原因"]})
    if len(reason) > 500:
        raise ValidationFailed(
            "搁置原因不能超过500个字符", field_errors={"reason": ["搁置原因不能超过500个字符"]}
        )
    with transaction.atomic():
        updated = OutboxEvent.objects.filter(pk=event.pk, status=EventStatus.PENDING).update(
            status=EventStatus.PARKED, parked_at=timezone.now(), parked_reason=f"人工搁置：{reason}"
        )
        if updated != 1:
            event.refresh_from_db()
            raise Conflict(f"只有待投递的事件可以搁置，当前状态为「{event.get_status_display()}」")
        log_action(
            "govcredit.exchange.park",
            actor=access.user,
            obj=event,
            summary=f"搁置 {event.event_label} {event.document_no}：{reason}",
            before={"status": EventStatus.PENDING},
            after={"status": EventStatus.PARKED},
        )
    event.refresh_from_db()
    return event


def status_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = {s: 0 for s in EventStatus.values}
    for row in OutboxEvent.objects.order_by().values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


# -- reconciliation --------------------------------------------------------------------------------

MAX_ACK_BYTES = 50 * 1024 * 1024


def parse_ack_file(name: str, content: bytes) -> set[str]:
    """Idempotency keys acknowledged by the platform.

    Accepted: JSON ``{"acknowledged": [...]}`` or a JSON list; JSON Lines with
    ``{"idempotency_key": …}``; CSV with an ``idempotency_key`` (or 幂等键) column; or one key per line.
    """
    if len(content) > MAX_ACK_BYTES:
        raise ValidationFailed("回执文件过大", field_errors={"ack_file": ["回执文件不能超过 50 MB"]})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "回执文件不是 UTF-8 文本",
            field_errors={"ack_file": ["回执文件应为 UTF-8 编码的 JSON、JSONL 或 CSV"]},
        ) from exc
    stripped = text.strip()
    if not stripped:
        raise ValidationFailed("回执文件为空", field_errors={"ack_file": ["回执文件为空"]})
    keys: set[str] = set()

    def take(value) -> None:
        if isinstance(value, str) and value.strip():
            keys.add(value.strip())
        elif isinstance(value, dict):
            take(value.get("idempotency_key"))

    if stripped[0] in "[{":
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            data = None
        if data is not None:
            items = data.get("acknowledged", data.get("events", [])) if isinstance(data, dict) else data
            if not isinstance(items, list):
                raise ValidationFailed(
                    "回执格式无法识别", field_errors={"ack_file": ["JSON 回执应含 acknowledged 列表"]}
                )
            for item in items:
                take(item)
            return keys
        for number, line in enumerate(stripped.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                take(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValidationFailed(
                    "回执格式无法识别", field_errors={"ack_file": [f"第 {number} 行不是有效的 JSON"]}
                ) from exc
        return keys
    first_line = stripped.splitlines()[0]
    if "," in first_line or "idempotency_key" in first_line or "幂等键" in first_line:
        reader = csv.DictReader(io.StringIO(stripped))
        column = next(
            (c for c in (reader.fieldnames or []) if c and c.strip() in ("idempotency_key", "幂等键")), None
        )
        if column is None:
            raise ValidationFailed(
                "回执格式无法识别", field_errors={"ack_file": ["CSV 回执应有 idempotency_key（或 幂等键）列"]}
            )
        for row in reader:
            take(row.get(column) or "")
        return keys
    for line in stripped.splitlines():
        take(line)
    return keys


def ack_url() -> str:
    """The platform's acknowledgement endpoint, if the operator configured one."""
    from django.conf import settings

    return getattr(settings, "GOVCREDIT_EXCHANGE_ACK_URL", "") or os.environ.get(
        "GOVCREDIT_EXCHANGE_ACK_URL", ""
    )


def fetch_ack_endpoint(url: str | None = None, *, timeout: float = 30.0) -> set[str]:
    """GET the acknowledgement list from the platform, signed like the deliveries (empty body)."""
    import http.client

    from django.conf import settings

    from .delivery import HttpAdapter

    url = url or ack_url()
    if not url:
        raise ValidationFailed("未配置回执接口（GOVCREDIT_EXCHANGE_ACK_URL）")
    adapter = HttpAdapter(url, getattr(settings, "GOVCREDIT_EXCHANGE_KEY", ""), timeout=timeout)
    try:
        conn = adapter._connection()
        conn.request("GET", adapter._path, headers=adapter.signed_headers(b""))
        response = conn.getresponse()
        body = response.read(MAX_ACK_BYTES + 1)
    except (OSError, http.client.HTTPException) as exc:
        raise ValidationFailed(f"无法连接回执接口：{exc}") from exc
    finally:
        adapter.close()
    if response.status != 200:
        raise ValidationFailed(
            f"回执接口返回 HTTP {response.status}：{body[:200].decode('utf-8', 'replace')}"
        )
    try:
        return parse_ack_file("endpoint", body)
    except ValidationFailed as exc:
        details = "；".join(m for msgs in exc.field_errors.values() for m in msgs)
        raise ValidationFailed(f"回执接口的返回无法识别：{details or exc.message}") from exc


@dataclass
class Reconciliation:
    acknowledged: int = 0
    sent: int = 0
    matched: int = 0
    sent_not_acked: list[OutboxEvent] = field(default_factory=list)
    sent_not_acked_count: int = 0
    acked_not_sent: list[OutboxEvent] = field(default_factory=list)
    acked_not_sent_count: int = 0
    unknown_keys: list[str] = field(default_factory=list)
    unknown_count: int = 0

    @property
    def clean(self) -> bool:
        return not (self.sent_not_acked_count or self.acked_not_sent_count or self.unknown_count)


def reconcile(acked_keys: set[str], *, access: Access, source: str, show: int = 100) -> Reconciliation:
    """Compare what we delivered with what the platform acknowledges."""
    require_view(access)
    report = Reconciliation(acknowledged=len(acked_keys))
    delivered = dict(
        OutboxEvent.objects.filter(status=EventStatus.DELIVERED).values_list("idempotency_key", "pk")
    )
    report.sent = len(delivered)
    matched = acked_keys & delivered.keys()
    report.matched = len(matched)
    missing = sorted(delivered[k] for k in delivered.keys() - acked_keys)
    report.sent_not_acked_count = len(missing)
    report.sent_not_acked = list(OutboxEvent.objects.filter(pk__in=missing[:show]).order_by("id"))
    others = acked_keys - delivered.keys()
    known = dict(
        OutboxEvent.objects.filter(idempotency_key__in=list(others)).values_list("idempotency_key", "pk")
    )
    report.acked_not_sent_count = len(known)
    report.acked_not_sent = list(
        OutboxEvent.objects.filter(pk__in=sorted(known.values())[:show]).order_by("id")
    )
    unknown = sorted(others - known.keys())
    report.unknown_count = len(unknown)
    report.unknown_keys = unknown[:show]
    log_action(
        "govcredit.exchange.reconcile",
        actor=access.user,
        object_type="exchange",
        summary=f"对账（{source}）：回执 {report.acknowledged} 条，已投递 {report.sent} 条，"
        f"一致 {report.matched} 条，未回执 {report.sent_not_acked_count} 条，未知 {report.unknown_count} 条",
    )
    return report
