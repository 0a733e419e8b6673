"""The bulk write path (records.bulk): one service for the batch API and file imports."""

from __future__ import annotations

import pytest

from govcredit.core.codes import make_uscc
from govcredit.core.errors import PermissionDenied
from govcredit.core.models import AuditEntry
from govcredit.records import bulk, validation
from govcredit.records.models import CreditRecord, RecordVersion, Status, StatusChange
from govcredit.subjects.models import Subject, SubjectName

pytestmark = pytest.mark.django_db


def _state():
    """Everything a bulk call may write."""
    return (
        CreditRecord.objects.count(),
        RecordVersion.objects.count(),
        StatusChange.objects.count(),
        Subject.objects.count(),
        SubjectName.objects.count(),
        AuditEntry.objects.count(),
        sorted(CreditRecord.objects.values_list("document_no", "status", "version", "facts")),
    )


def _batch(record_data, n, **overrides):
    return [record_data(document_no=f"周法民〔2026〕{i}号", **overrides) for i in range(1, n + 1)]


def test_a_changed_row_is_validated_once(personas, record_data, monkeypatch):
    access, court = personas.access(personas.court), personas.unit("区法院")
    bulk.upsert_batch(_batch(record_data, 3), source_unit=court, access=access, submit=False)
    calls: list[str] = []
    real = validation.clean_record

    def counting(data, **kwargs):
        calls.append(data["document_no"])
        return real(data, **kwargs)

    # Every module that validates records calls it through its own name.
    monkeypatch.setattr(bulk, "clean_record", counting)
    monkeypatch.setattr("govcredit.records.services.clean_record", counting)
    changed = _batch(record_data, 3)
    changed[1]["facts"] = "改过的事实。"
    done = bulk.upsert_batch(changed, source_unit=court, access=access, submit=False)
    assert [o.result for o in done.outcomes] == ["unchanged", "updated", "unchanged"]
    assert sorted(calls) == sorted(r["document_no"] for r in changed)  # once each, the changed one too
    record = CreditRecord.objects.get(document_no="周法民〔2026〕2号")
    assert record.facts == "改过的事实。" and record.version == 2


@pytest.mark.parametrize("submit", [False, True])
def test_resending_an_identical_batch_changes_nothing(personas, record_data, submit):
    access, court = personas.access(personas.court), personas.unit("区法院")
    items = _batch(record_data, 4)
    # A new subject (registered by the first call) and a row the first call rejects.
    items.append(
        record_data(
            document_no="周法民〔2026〕5号",
            subject_name="周村区新登记的局",
            uscc=make_uscc("11370306", 900_001),
        )
    )
    items.append(record_data(document_no="周法民〔2026〕6号", severity="很严重"))
    first = bulk.upsert_batch(items, source_unit=court, access=access, submit=submit)
    assert first.summary.created == 5 and first.summary.rejected == 1
    assert first.summary.subjects_created == 1
    # A later batch changes one record: a draft is updated, a submitted one refused (409) …
    edited = [dict(items[0], facts="第二次报送改过的事实。")]
    second = bulk.upsert_batch(edited, source_unit=court, access=access, submit=submit)
    assert [o.result for o in second.outcomes] == ["rejected" if submit else "updated"]
    before = _state()
    # … and sending that batch again changes nothing either.
    again = bulk.upsert_batch(edited, source_unit=court, access=access, submit=submit)
    assert [o.result for o in again.outcomes] == ["rejected" if submit else "unchanged"]
    assert _state() == before
    whole = bulk.upsert_batch(items[1:], source_unit=court, access=access, submit=submit)
    assert [o.result for o in whole.outcomes] == ["unchanged"] * 4 + ["rejected"]
    assert [o.record_id for o in whole.outcomes[:4]] == [o.record_id for o in first.outcomes[1:5]]
    assert whole.summary.changed_nothing and _state() == before
    expected = Status.SUBMITTED if submit else Status.DRAFT
    assert set(CreditRecord.objects.values_list("status", flat=True)) == {expected}


def test_another_units_clerk_may_not_write_in_bulk(personas, record_data):
    with pytest.raises(PermissionDenied):
        bulk.upsert_batch(
            _batch(record_data, 1), source_unit=personas.unit("区法院"), access=personas.access(personas.hr)
        )
    with pytest.raises(PermissionDenied):
        bulk.upsert_rows(
            iter([(2, record_data(), False)]),
            source_unit=personas.unit("区法院"),
            access=personas.access(personas.hr),
        )
    assert CreditRecord.objects.count() == 0


def test_subjects_registered_in_bulk_look_like_those_registered_one_by_one(personas, record_data):
    import re

    from govcredit.core.codes import make_id_number
    from govcredit.core.crypto import get_pii_cipher
    from govcredit.subjects.services import initials

    unit_uscc = make_uscc("11370306", 900_002)
    id_number = make_id_number("370306", __import__("datetime").date(1980, 5, 6), 17)
    items = [
        record_data(document_no="周法民〔2026〕1号", subject_name="周村区\t新设\\局", uscc=unit_uscc),
        record_data(
            document_no="周法民〔2026〕2号",
            subject_name="单雄信",
            subject_kind="公务员",
            uscc=None,
            id_number=id_number,
            unit_uscc=unit_uscc,
        ),
    ]
    done = bulk.upsert_batch(
        items, source_unit=personas.unit("区法院"), access=personas.access(personas.court), submit=False
    )
    assert done.summary.subjects_created == 2, done.outcomes
    unit = Subject.objects.get(uscc=unit_uscc)
    person = Subject.objects.get(id_hash=get_pii_cipher().lookup_hash(id_number))
    assert unit.name == "周村区\t新设\\局" and unit.name_initials == initials(unit.name)
    assert person.parent_id == unit.pk and person.name_initials == initials("单雄信")
    assert get_pii_cipher().decrypt(person.id_cipher) == id_number and person.id_masked.endswith(
        id_number[-4:]
    )
    for subject in (unit, person):
        assert re.fullmatch(r"P[0-9A-F]{16}", subject.public_id)
        assert subject.needs_confirmation and not subject.placeholder_code and subject.aliases == ""
        assert list(subject.names.values_list("name", "reason")) == [(subject.name, "批量导入时登记")]
    assert CreditRecord.objects.get(document_no="周法民〔2026〕2号").subject_id == person.pk
