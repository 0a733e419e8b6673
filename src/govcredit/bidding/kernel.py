"""Where this app reaches the wave-2 kernel (KERNEL_CONTRACT §5): the disclosure ledger."""

from __future__ import annotations

from govcredit.duties.disclosure import disclose

__all__ = ["disclose"]
