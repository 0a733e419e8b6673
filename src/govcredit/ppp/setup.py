"""PPP regime templates on every ``govcredit setup``."""

from __future__ import annotations

from .defaults import load_regimes


def load_defaults() -> str:
    return f"PPP制度模板 {load_regimes()} 套新增"
