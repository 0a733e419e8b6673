"""On every ``govcredit setup``: the catalog item an overdue disclosure request is proposed under."""

from __future__ import annotations


def load_defaults() -> str:
    from govcredit.duties.catalog_items import ensure_item

    from .services import MANAGER_UNIT

    ensure_item("disclosure_violation", source_units=[MANAGER_UNIT])
    return "政府信息公开：目录事项 disclosure_violation 已就绪"
