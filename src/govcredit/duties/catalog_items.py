"""The catalog items wave 2 adds (KERNEL_CONTRACT §7), and one idempotent way for an app's
``setup.load_defaults()`` to make sure an item exists and that its proposing unit may submit it:

    from govcredit.duties.catalog_items import ensure_item
    ensure_item("bidding_violation", source_units=["区发改局"])

Existing items are never overwritten (the credit office may have edited them); only missing source
units are added, through the catalog's versioned ``update_item``. Shipped codes stay unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from govcredit.accounts.models import Organisation
from govcredit.catalog.defaults import ALL_PUBLIC_KINDS, ALL_SEVERITIES, GOV_KINDS, NEGATIVE_PERIODS
from govcredit.catalog.models import CatalogItem
from govcredit.catalog.services import create_item, update_item

WAVE2_ITEMS: dict[str, dict] = {
    "bidding_violation": {
        "name": "招标投标违法",
        "subject_kinds": GOV_KINDS,
        "legal_basis": "《中华人民共和国招标投标法》及其实施条例；周政发〔2018〕26号（十三）",
    },
    "illegal_borrowing": {
        "name": "违法违规举债",
        "subject_kinds": GOV_KINDS,
        "legal_basis": "《中华人民共和国预算法》第三十五条；周政发〔2018〕26号（十六）",
    },
    "decision_procedure_violation": {
        "name": "违反重大行政决策程序",
        "subject_kinds": ALL_PUBLIC_KINDS,
        "legal_basis": "《重大行政决策程序暂行条例》（国务院令第713号）；周政发〔2018〕26号（四）",
    },
    "disclosure_violation": {
        "name": "政务公开违规",
        "subject_kinds": GOV_KINDS,
        "legal_basis": "《中华人民共和国政府信息公开条例》；周政发〔2018〕26号（五）",
    },
    "snail_award": {
        "name": "蜗牛奖通报",
        "subject_kinds": ALL_PUBLIC_KINDS,
        "legal_basis": "⚠ 本区自定（是否作为信用记录由区信用办决定）；周政发〔2018〕26号（六）",
    },
}


@transaction.atomic
def ensure_item(code: str, *, source_units: Iterable[str | Organisation] = ()) -> CatalogItem:
    """Create the wave-2 item ``code`` if missing; add the named source units if they are missing."""
    units = [
        u if isinstance(u, Organisation) else Organisation.objects.get(short_name=u) for u in source_units
    ]
    item = CatalogItem.objects.filter(code=code).first()
    if item is None:
        spec = WAVE2_ITEMS[code]
        data = {
            "code": code,
            "name": spec["name"],
            "negative": True,
            "subject_kinds": spec["subject_kinds"],
            "severities": ALL_SEVERITIES,
            "disclosure": "public",
            "repairable": True,
            "legal_basis": spec["legal_basis"],
            "display_periods": {s: NEGATIVE_PERIODS[s] for s in ALL_SEVERITIES},
        }
        return create_item(data, source_units=units, reason="政务诚信二期新增目录事项")
    have = set(item.source_units.values_list("pk", flat=True))
    missing = [u for u in units if u.pk not in have]
    if missing:
        item = update_item(
            item,
            {},
            actor=None,
            reason="二期模块报送需要：增加报送单位 " + "、".join(u.short_name or u.name for u in missing),
            source_units=list(item.source_units.all()) + missing,
        )
    return item
