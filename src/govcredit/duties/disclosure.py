"""The disclosure ledger: a third SM3 hash chain, beside the audit ledger and the record transparency log,
for publications that are not credit records (commitments, task reports, debt tables, PPP documents,
typical cases …). Same hash rule as the record log (DESIGN §5): ``hash = SM3(prev_hash + "\\n" + J)``
with J the entry without hash/prev_hash as sorted, compact, ensure_ascii=False JSON; ``object_id`` is
always a string in J and in the public entries."""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction

from govcredit.core.ledger import (
    GENESIS,
    ChainReport,
    _lock_head,
    _now_to_second,
    _verify,
    chain_hash,
    utc_iso,
)
from govcredit.core.models import ChainHead

from .models import DisclosureEntry

CHAIN = "disclosure"
EVENTS = ("publish", "correct", "withdraw")
Event = Literal["publish", "correct", "withdraw"]


def disclosure_payload(entry: DisclosureEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "event": entry.event,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "version": entry.version,
        "at": utc_iso(entry.at),
    }


def entry_json(entry: DisclosureEntry) -> dict[str, Any]:
    return {**disclosure_payload(entry), "hash": entry.hash, "prev_hash": entry.prev_hash}


def disclose(event: Event, *, object_type: str, object_id: int | str, version: int = 1) -> DisclosureEntry:
    """Append one entry; call inside the publishing transaction (with ``core.public_version.bump()``)."""
    if event not in EVENTS:
        raise ValueError(f"unknown disclosure event {event!r}")
    if not object_type or len(object_type) > 60 or len(str(object_id)) > 64:
        raise ValueError("object_type / object_id missing or too long")
    if int(version) < 1:
        raise ValueError("version must be >= 1")
    with transaction.atomic():
        head = _lock_head(CHAIN)
        entry = DisclosureEntry(
            sequence=head.sequence + 1,
            event=event,
            object_type=object_type,
            object_id=str(object_id),
            version=int(version),
            at=_now_to_second(),
            prev_hash=head.hash,
        )
        entry.hash = chain_hash(entry.prev_hash, disclosure_payload(entry))
        entry.save()
        ChainHead.objects.filter(pk=head.pk).update(sequence=entry.sequence, hash=entry.hash)
    return entry


def verify_disclosure_chain() -> ChainReport:
    return _verify(
        CHAIN,
        DisclosureEntry.objects.order_by("sequence", "pk").iterator(chunk_size=2000),
        disclosure_payload,
    )


def disclosure_head() -> tuple[int, str]:
    head = ChainHead.objects.filter(name=CHAIN).first()
    return (head.sequence, head.hash) if head else (0, GENESIS)


def entries_after(after: int, limit: int = 100) -> list[DisclosureEntry]:
    return list(DisclosureEntry.objects.filter(sequence__gt=after).order_by("sequence")[:limit])


def history_of(object_type: str, object_id: int | str) -> list[DisclosureEntry]:
    return list(
        DisclosureEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("sequence")
    )
