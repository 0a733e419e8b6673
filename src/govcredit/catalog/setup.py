from django.db import transaction

from govcredit.accounts.models import Organisation

from .defaults import DEFAULT_ITEMS, NEGATIVE_PERIODS, POSITIVE_PERIODS
from .models import CatalogItem
from .services import create_item


@transaction.atomic
def load_defaults() -> int:
    """Create the shipped items that are missing; never overwrite the credit office's edits."""
    created = 0
    for spec in DEFAULT_ITEMS:
        if CatalogItem.objects.filter(code=spec["code"]).exists():
            continue
        data = {k: v for k, v in spec.items() if k != "source_units"}
        data["display_periods"] = {
            s: (NEGATIVE_PERIODS if spec["negative"] else POSITIVE_PERIODS)[s] for s in spec["severities"]
        }
        units = list(Organisation.objects.filter(short_name__in=spec["source_units"]))
        create_item(data, source_units=units, reason="系统默认目录")
        created += 1
    return created
