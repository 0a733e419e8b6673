"""Hook for ``govcredit.evaluation``: published third-party ratings shown beside (never inside) the
official evaluation result of the given units and year."""

from __future__ import annotations

from .models import ThirdPartyRating


def beside(unit_ids: list[int], year: int) -> list[dict]:
    ids = [int(i) for i in unit_ids]
    if not ids:
        return []
    qs = (
        ThirdPartyRating.objects.filter(unit_id__in=ids, year=year, published_on__isnull=False)
        .select_related("agency")
        .order_by("unit_id", "agency__name", "pk")
    )
    return [
        {
            "unit_id": r.unit_id,
            "agency": r.agency.short_name or r.agency.name,
            "grade": r.grade,
            "score": r.score,
            "method_url": r.method_url,
            "published_on": r.published_on,
        }
        for r in qs
    ]
