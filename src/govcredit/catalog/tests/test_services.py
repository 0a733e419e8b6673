import pytest

from govcredit.catalog.models import CatalogItem
from govcredit.catalog.services import update_item
from govcredit.core.errors import ValidationFailed


def test_default_catalog_has_the_stable_codes(reference):
    codes = set(CatalogItem.objects.values_list("code", flat=True))
    assert codes >= {
        "court_judgment",
        "dishonest_debtor",
        "admin_penalty",
        "disciplinary_sanction",
        "accountability",
        "contract_breach",
        "broken_commitment",
        "arrears",
        "commendation",
        "trust_model",
    }
    item = CatalogItem.objects.get(code="court_judgment")
    assert item.period_for("general") == (3, 12) and item.period_for("serious") == (12, 36)
    assert [u.short_name for u in item.source_units.all()] == ["区法院"]


def test_an_edit_is_versioned_and_a_record_keeps_its_version(publish, personas):
    record = publish()
    item = record.item
    update_item(item, {"legal_basis": "新依据"}, actor=personas.office, reason="依据更新")
    item.refresh_from_db()
    assert item.version == 2
    assert list(item.versions.values_list("version", flat=True)) == [2, 1]
    record.refresh_from_db()
    assert record.catalog_version.version == 1


def test_edits_need_a_reason_and_sane_periods(reference):
    item = CatalogItem.objects.get(code="arrears")
    with pytest.raises(ValidationFailed):
        update_item(item, {"name": "x"}, actor=None, reason="")
    with pytest.raises(ValidationFailed) as exc:
        update_item(
            item,
            {"display_periods": {"general": {"min_months": 12, "max_months": 3}}},
            actor=None,
            reason="r",
        )
    assert "display_periods" in exc.value.field_errors
