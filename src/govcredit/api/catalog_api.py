"""The information catalog for source units' systems: what may be submitted, by whom, how long shown."""

from __future__ import annotations

from ninja import Router, Schema

from govcredit.catalog.models import CatalogItem

from .auth import TokenAuth
from .schemas import ERROR_CODES, Error

router = Router(auth=TokenAuth(), tags=["信息目录"])


class CatalogItemOut(Schema):
    code: str
    name: str
    negative: bool
    subject_kinds: list[str]
    severities: list[str]
    disclosure: str
    source_units: list[str]
    repairable: bool
    display_periods: dict[str, dict[str, int]]
    legal_basis: str
    version: int


class CatalogOut(Schema):
    items: list[CatalogItemOut]


@router.get(
    "/items", response={200: CatalogOut, ERROR_CODES: Error}, summary="信用信息目录（启用的事项，不分页）"
)
def items(request):
    rows = (
        CatalogItem.objects.filter(active=True).prefetch_related("source_units").order_by("-negative", "code")
    )
    return {
        "items": [
            {
                "code": item.code,
                "name": item.name,
                "negative": item.negative,
                "subject_kinds": list(item.subject_kinds or []),
                "severities": list(item.severities or []),
                "disclosure": item.disclosure,
                "source_units": sorted(u.name for u in item.source_units.all()),
                "repairable": item.repairable,
                "display_periods": {
                    severity: {k: int(v) for k, v in (period or {}).items()}
                    for severity, period in (item.display_periods or {}).items()
                },
                "legal_basis": item.legal_basis,
                "version": item.version,
            }
            for item in rows
        ]
    }
