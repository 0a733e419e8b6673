"""Defaults (the rule rows) on every ``govcredit setup``; demo contracts with ``--demo``."""

from __future__ import annotations

from . import rules


def load_defaults() -> str:
    created = rules.load_rules()
    return f"合同与清欠规则 {created} 条新增"
