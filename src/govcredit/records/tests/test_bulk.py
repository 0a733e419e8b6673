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


# -- the set-based foreign-key check against a concurrent delete (PostgreSQL, real connections) ------


def _other_connection():
    """A second PostgreSQL session on the test database, outside Django."""
    import psycopg
    from django.db import connection

    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        host=s["HOST"],
        port=s["PORT"] or None,
    )


def _lone_subject(n: int) -> Subject:
    """A registered department nothing refers to yet (so only the import's record could stop its delete)."""
    return Subject.objects.create(kind="department", name=f"周村区第{n}测试局", uscc=make_uscc("11370306", n))


def _row_about(subject, record_data, n):
    return record_data(document_no=f"周法民〔2026〕{n}号", subject_name=subject.name, uscc=subject.uscc)


@pytest.mark.django_db(transaction=True)
def test_a_delete_racing_the_import_waits_for_it_and_then_fails(personas, record_data, monkeypatch):
    """While the import's transaction holds its FOR KEY SHARE locks (triggers off for its COPYs), a
    second session cannot delete the subject its records point at; once it has committed, the
    delete fails on the foreign key, as it would have without the switch."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    subject = _lone_subject(910_001)
    seen: dict[str, str] = {}
    real_copy = bulk._copy

    def copy_then_try_a_delete(model, fields, text, **kwargs):
        real_copy(model, fields, text, **kwargs)
        if model is StatusChange:  # the chunk's last COPY: its transaction is still open
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('session_replication_role')")
                seen["role"] = cursor.fetchone()[0]
            with _other_connection() as other:
                other.execute("SET lock_timeout = '300ms'")
                try:
                    other.execute("DELETE FROM subjects_subject WHERE id = %s", [subject.pk])
                except psycopg.errors.LockNotAvailable:
                    seen["delete"] = "blocked"

    monkeypatch.setattr(bulk, "_copy", copy_then_try_a_delete)
    access, court = personas.access(personas.court), personas.unit("区法院")
    importer = bulk.BulkImporter(source_unit=court, access=access)
    assert importer._set_based_references()  # the test role may set session_replication_role
    summary = bulk.upsert_rows(
        iter([(2, _row_about(subject, record_data, 1), False)]), source_unit=court, access=access
    )
    assert summary.created == 1
    assert seen == {"role": "replica", "delete": "blocked"}
    with _other_connection() as other, pytest.raises(psycopg.errors.ForeignKeyViolation):
        other.execute("DELETE FROM subjects_subject WHERE id = %s", [subject.pk])
        other.commit()  # Django's foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED)
    assert CreditRecord.objects.get().subject_id == subject.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('session_replication_role')")
        assert cursor.fetchone()[0] == "origin"  # SET LOCAL ended with the transaction


@pytest.mark.django_db(transaction=True)
def test_an_import_racing_a_delete_waits_for_it_and_never_points_at_the_deleted_row(personas, record_data):
    """A second session deletes the subject (not yet committed) after the import has looked it up:
    the import's lock waits, finds the row gone and plans the chunk again, registering the subject
    anew — no record ever points at a deleted row."""
    import threading
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    subject = _lone_subject(910_002)
    access, court = personas.access(personas.court), personas.unit("区法院")
    other = _other_connection()
    other.execute("DELETE FROM subjects_subject WHERE id = %s", [subject.pk])  # open transaction
    done: dict = {}

    def run_import():
        try:
            rows = iter([(2, _row_about(subject, record_data, 1), False)])
            done["summary"] = bulk.upsert_rows(rows, source_unit=court, access=access)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            done["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=run_import)
    worker.start()
    try:
        with _other_connection() as watcher:
            for _ in range(1200):  # until the import waits for the deleting session's row lock
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                ).fetchone()[0]
                if waiting or not worker.is_alive():
                    break
                time.sleep(0.05)
        assert waiting, "the import did not wait for the deleting session"
        other.commit()
    finally:
        other.close()  # (rolls back if the assertion failed, so the worker and teardown go on)
        worker.join(120)
    assert "error" not in done, done.get("error")
    assert done["summary"].created == 1 and done["summary"].subjects_created == 1
    record = CreditRecord.objects.select_related("subject").get()
    assert record.subject_id != subject.pk and record.subject.uscc == subject.uscc
    assert not Subject.objects.filter(pk=subject.pk).exists()


def test_from_the_second_chunk_only_numbers_the_unit_had_are_looked_up(personas, record_data, monkeypatch):
    """A file's chunks look up only the document numbers the unit already had (a hash set loaded at
    the second chunk); a record another writer adds after that is still found — the insert hits the
    natural key, the chunk is planned again with every number looked up — never duplicated."""
    access, court = personas.access(personas.court), personas.unit("区法院")
    had = record_data(document_no="周法民〔2026〕1号")
    bulk.upsert_batch([had], source_unit=court, access=access, submit=False)
    looked_up: list[list[str]] = []
    real = bulk.BulkImporter._existing

    def recording(self, documents):
        looked_up.append(sorted(documents))
        return real(self, documents)

    monkeypatch.setattr(bulk.BulkImporter, "_existing", recording)
    outcomes: list = []
    importer = bulk.BulkImporter(source_unit=court, access=access, chunk_rows=1, on_outcome=outcomes.append)
    new = record_data(document_no="周法民〔2026〕2号")
    importer.feed(2, new)  # first chunk: every number looked up
    importer.feed(3, had)  # second chunk: the set is loaded, and holds 1号
    importer.feed(4, record_data(document_no="周法民〔2026〕3号"))  # not in the set: no lookup
    # Another writer adds 4号 after the set was loaded; the file then names it, unchanged.
    late = record_data(document_no="周法民〔2026〕4号")
    other = bulk.upsert_batch([late], source_unit=court, access=access, submit=False)
    importer.feed(5, late)
    summary = importer.finish()
    # (the other writer's own lookup is the fourth)
    four = ["周法民〔2026〕4号"]
    assert looked_up == [["周法民〔2026〕2号"], ["周法民〔2026〕1号"], [], four, [], four]
    assert [o.result for o in sorted(outcomes, key=lambda o: o.index)] == [
        "created",
        "unchanged",
        "created",
        "unchanged",
    ]
    assert sorted(outcomes, key=lambda o: o.index)[-1].record_id == other.outcomes[0].record_id
    assert (summary.created, summary.unchanged, summary.rejected) == (2, 2, 0)
    assert CreditRecord.objects.filter(source_unit=court).count() == 4
    assert RecordVersion.objects.filter(record__document_no="周法民〔2026〕4号").count() == 1
    # After the conflict the set is off: later chunks look every number up again.
    assert importer._known is False


def test_a_unit_with_too_many_records_looks_every_number_up(personas, record_data, monkeypatch):
    access, court = personas.access(personas.court), personas.unit("区法院")
    bulk.upsert_batch([record_data(document_no="周法民〔2026〕1号")], source_unit=court, access=access)
    monkeypatch.setattr(bulk, "KNOWN_LIMIT", 0)
    importer = bulk.BulkImporter(source_unit=court, access=access, chunk_rows=1)
    importer.feed(2, record_data(document_no="周法民〔2026〕2号"))
    importer.feed(3, record_data(document_no="周法民〔2026〕1号"))
    assert importer.finish().unchanged == 1 and importer._known is False
