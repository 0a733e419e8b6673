"""Where this app reaches the wave-2 kernel (KERNEL_CONTRACT §2–§5)."""

from __future__ import annotations

from govcredit.duties.disclosure import disclose
from govcredit.duties.services import fulfil_duty, open_finding, record_event

__all__ = ["disclose", "fulfil_duty", "open_finding", "record_event"]
