"""The audit ledger and the public transparency log: two SM3 hash chains.

Every entry stores ``prev_hash`` and ``hash = SM3(prev_hash + "\\n" + canonical JSON)``; a
``ChainHead`` row, locked while appending, serialises writers and remembers the tip so that
dropping the newest entries is caught as well. ``verify_*`` recompute a chain from the table
alone and name the first bad entry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from .crypto import sm3_hex
from .models import AuditEntry, ChainHead, TransparencyEntry

GENESIS = "0" * 64
AUDIT_CHAIN = "audit"
PUBLIC_CHAIN = "public"

# Dotted action keys with their Chinese labels (STYLE habit 4). Apps add theirs with register_action.
AUDIT_ACTIONS: dict[str, str] = {
    "govcredit.user.login": "登录",
    "govcredit.pii.unmasked": "查看未脱敏个人信息",
}


def register_action(key: str, label: str) -> None:
    AUDIT_ACTIONS[key] = label


def action_label(key: str) -> str:
    return AUDIT_ACTIONS.get(key, key)


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return sm3_hex((prev_hash + "\n" + canonical_json(payload)).encode("utf-8"))


def utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now_to_second() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


def _lock_head(name: str) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(name=name).first()
    if head is None:
        head, _ = ChainHead.objects.get_or_create(name=name)
        head = ChainHead.objects.select_for_update().get(pk=head.pk)
    return head


def _audit_payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "at": utc_iso(entry.at),
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "before": entry.before,
        "after": entry.after,
    }


def _jsonable(value: Any) -> Any:
    return json.loads(canonical_json(value)) if value is not None else None


def log_action(
    action: str,
    *,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one audit entry; call inside the transaction of the change it records."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    with transaction.atomic():
        head = _lock_head(AUDIT_CHAIN)
        entry = AuditEntry(
            sequence=head.sequence + 1,
            at=_now_to_second(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=(getattr(actor, "display_name", "") or getattr(actor, "username", ""))
            if actor
            else "系统",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            summary=summary[:500],
            before=_jsonable(before),
            after=_jsonable(after),
            prev_hash=head.hash,
        )
        entry.hash = chain_hash(entry.prev_hash, _audit_payload(entry))
        entry.save()
        ChainHead.objects.filter(pk=head.pk).update(sequence=entry.sequence, hash=entry.hash)
    return entry


def transparency_payload(entry: TransparencyEntry) -> dict[str, Any]:
    """Exactly the fields DESIGN §5 hashes: sequence, event, record_id, at."""
    return {
        "sequence": entry.sequence,
        "event": entry.event,
        "record_id": entry.record_id,
        "at": utc_iso(entry.at),
    }


def append_transparency(event: str, record_id: int) -> TransparencyEntry:
    """Append a publish / correct / withdraw entry for a public record."""
    if event not in {"publish", "correct", "withdraw"}:
        raise ValueError(f"unknown transparency event {event!r}")
    with transaction.atomic():
        head = _lock_head(PUBLIC_CHAIN)
        entry = TransparencyEntry(
            sequence=head.sequence + 1,
            event=event,
            record_id=record_id,
            at=_now_to_second(),
            prev_hash=head.hash,
        )
        entry.hash = chain_hash(entry.prev_hash, transparency_payload(entry))
        entry.save()
        ChainHead.objects.filter(pk=head.pk).update(sequence=entry.sequence, hash=entry.hash)
    return entry


@dataclass
class ChainReport:
    chain: str
    ok: bool
    count: int
    head_sequence: int
    head_hash: str
    bad_sequence: int | None = None
    problem: str = ""


def _verify(chain: str, entries: Iterable[Any], payload: Callable[[Any], dict[str, Any]]) -> ChainReport:
    prev_hash = GENESIS
    expected = 1
    count = 0
    for entry in entries:
        count += 1
        if entry.sequence != expected:
            # A gap means an entry was removed; a repeat or a smaller number means one was inserted.
            bad = min(entry.sequence, expected)
            return ChainReport(
                chain,
                False,
                count,
                expected - 1,
                prev_hash,
                bad,
                f"序号应为 {expected}，实际为 {entry.sequence}（条目被删除或插入）",
            )
        if entry.prev_hash != prev_hash:
            return ChainReport(
                chain,
                False,
                count,
                expected - 1,
                prev_hash,
                entry.sequence,
                "前序哈希不一致（条目被删除、插入或篡改）",
            )
        if chain_hash(entry.prev_hash, payload(entry)) != entry.hash:
            return ChainReport(
                chain, False, count, expected - 1, prev_hash, entry.sequence, "内容与哈希不符（条目被篡改）"
            )
        prev_hash = entry.hash
        expected += 1
    head = ChainHead.objects.filter(name=chain).first()
    head_sequence = head.sequence if head else 0
    head_hash = head.hash if head else GENESIS
    if head_sequence != expected - 1 or head_hash != prev_hash:
        # The newest entries were removed (or the head was edited): the first missing one is bad.
        bad = min(head_sequence, expected - 1) + 1
        return ChainReport(
            chain,
            False,
            count,
            expected - 1,
            prev_hash,
            bad,
            f"链头记录为第 {head_sequence} 条，表中只有 {expected - 1} 条（末尾条目被删除或链头被改）",
        )
    return ChainReport(chain, True, count, head_sequence, head_hash)


def verify_audit_chain() -> ChainReport:
    return _verify(
        AUDIT_CHAIN, AuditEntry.objects.order_by("sequence", "pk").iterator(chunk_size=2000), _audit_payload
    )


def verify_transparency_chain() -> ChainReport:
    return _verify(
        PUBLIC_CHAIN,
        TransparencyEntry.objects.order_by("sequence", "pk").iterator(chunk_size=2000),
        transparency_payload,
    )


def transparency_head() -> tuple[int, str]:
    head = ChainHead.objects.filter(name=PUBLIC_CHAIN).first()
    return (head.sequence, head.hash) if head else (0, GENESIS)
