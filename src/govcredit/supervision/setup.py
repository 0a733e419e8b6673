"""``govcredit setup`` hook: complaint categories and the motion/complaint rules (idempotent)."""

from __future__ import annotations


def load_defaults() -> str:
    from . import rules

    return f"多方监督类别与规则 {rules.load()} 条新增"
