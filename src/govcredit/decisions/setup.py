"""On every ``govcredit setup``: the catalog item a procedure gap is proposed under."""

from __future__ import annotations


def load_defaults() -> str:
    from govcredit.duties.catalog_items import ensure_item

    from .services import MANAGER_UNIT

    ensure_item("decision_procedure_violation", source_units=[MANAGER_UNIT])
    return "重大行政决策：目录事项 decision_procedure_violation 已就绪"
