from govcredit.catalog.models import CatalogItem
from govcredit.duties.catalog_items import WAVE2_ITEMS, ensure_item


def test_ensure_item_is_idempotent_and_adds_missing_units(personas):
    item = ensure_item("bidding_violation", source_units=["区发改局"])
    assert item.name == "招标投标违法" and item.version == 1
    assert list(item.source_units.values_list("short_name", flat=True)) == ["区发改局"]
    again = ensure_item("bidding_violation", source_units=["区发改局"])
    assert again.pk == item.pk and again.version == 1
    more = ensure_item("bidding_violation", source_units=["区财政局"])
    assert more.version == 2
    assert sorted(more.source_units.values_list("short_name", flat=True)) == ["区发改局", "区财政局"]
    for code in WAVE2_ITEMS:
        ensure_item(code)
    assert CatalogItem.objects.filter(code__in=list(WAVE2_ITEMS)).count() == 5
