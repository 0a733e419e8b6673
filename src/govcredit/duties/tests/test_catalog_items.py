from govcredit.catalog.models import CatalogItem
from govcredit.duties.catalog_items import WAVE2_ITEMS, ensure_item


def test_ensure_item_is_idempotent_and_adds_missing_units(personas):
    # An app's load_defaults may already have created the item (bidding does): compare with what is there.
    item = ensure_item("bidding_violation", source_units=["区发改局"])
    version = item.version
    assert item.name == "招标投标违法"
    assert "区发改局" in set(item.source_units.values_list("short_name", flat=True))
    again = ensure_item("bidding_violation", source_units=["区发改局"])
    assert again.pk == item.pk and again.version == version
    more = ensure_item("bidding_violation", source_units=["区财政局"])
    assert more.version == version + 1
    assert {"区发改局", "区财政局"} <= set(more.source_units.values_list("short_name", flat=True))
    for code in WAVE2_ITEMS:
        ensure_item(code)
    assert CatalogItem.objects.filter(code__in=list(WAVE2_ITEMS)).count() == 5
