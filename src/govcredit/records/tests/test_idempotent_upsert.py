"""Re-sending a record (service call or a whole file) changes nothing whatever its status; only
changed content of a record past draft/rejected is refused (DESIGN §5 upsert, issue 19.2)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.core.management import call_command

from govcredit.catalog.models import CatalogItem, Disclosure
from govcredit.catalog.services import update_item
from govcredit.core.errors import Conflict
from govcredit.records import services
from govcredit.records.models import EDITABLE_STATUSES, Status

from .states import ALL_STATUSES, bring_to, fingerprint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ALL_STATUSES)
@pytest.mark.parametrize("submit", [False, True])
def test_identical_content_changes_nothing_whatever_the_status(personas, record_data, status, submit):
    record = bring_to(status, personas, record_data())
    before = fingerprint()
    again, created, changed = services.upsert_record(
        record_data(severity="general", decided_on="2026/6/1", facts=" 拖欠工程款未按判决履行。 "),
        source_unit=personas.unit("区法院"),
        access=personas.access(personas.court),
        submit=submit,
    )
    assert (again.pk, created, changed) == (record.pk, False, False)
    assert again.status == status
    assert fingerprint() == before


@pytest.mark.parametrize("status", ALL_STATUSES)
def test_changed_content_updates_only_drafts_and_rejected_records(personas, record_data, status):
    record = bring_to(status, personas, record_data())
    court, unit = personas.access(personas.court), personas.unit("区法院")
    if status in EDITABLE_STATUSES:
        updated, created, changed = services.upsert_record(
            record_data(facts="改过的事实。"), source_unit=unit, access=court
        )
        assert (updated.pk, created, changed) == (record.pk, False, True)
        assert updated.facts == "改过的事实。" and updated.version == record.version + 1
    else:
        before = fingerprint()
        with pytest.raises(Conflict, match="不能直接修改"):
            services.upsert_record(record_data(facts="改过的事实。"), source_unit=unit, access=court)
        assert fingerprint() == before


def test_a_catalog_edit_since_does_not_turn_a_resend_into_a_change(personas, record_data):
    """Disclosure and the default legal basis are the catalog's, not the sender's."""
    record = bring_to(Status.PUBLISHED, personas, record_data())
    item = CatalogItem.objects.get(code="court_judgment")
    update_item(
        item,
        {"disclosure": Disclosure.SHARED, "legal_basis": "《新的法律依据》第一条"},
        actor=personas.office,
        reason="调整",
    )
    before = fingerprint()
    again, created, changed = services.upsert_record(
        record_data(), source_unit=personas.unit("区法院"), access=personas.access(personas.court)
    )
    assert (again.pk, created, changed) == (record.pk, False, False)
    assert fingerprint() == before
    # a legal basis the sender does state is content
    with pytest.raises(Conflict):
        services.upsert_record(
            record_data(legal_basis="《另一部法律》"),
            source_unit=personas.unit("区法院"),
            access=personas.access(personas.court),
        )


def test_submit_of_changed_draft_content_still_submits(personas, record_data):
    record = bring_to(Status.REJECTED, personas, record_data())
    updated, _, changed = services.upsert_record(
        record_data(facts="补正后的事实。"),
        source_unit=personas.unit("区法院"),
        access=personas.access(personas.court),
        submit=True,
    )
    assert updated.pk == record.pk and changed and updated.status == Status.SUBMITTED


# -- the bulk-file path: `govcredit import-records` of the same file twice -------------------------

HEADER = [
    "主体名称",
    "主体类型",
    "统一社会信用代码",
    "信息类别",
    "严重程度",
    "决定文书号",
    "决定日期",
    "决定机关",
    "失信事实",
    "处理结果",
]


def _file(tmp_path, rows, name="records.csv"):
    path = tmp_path / name
    with path.open("w", encoding="gbk", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _row(data: dict) -> list:
    return [
        data["subject_name"],
        data["subject_kind"],
        data["uscc"],
        data["item"],
        data["severity"],
        data["document_no"],
        data["decided_on"].isoformat() if isinstance(data["decided_on"], dt.date) else data["decided_on"],
        data["decided_by"],
        data["facts"],
        data["outcome"],
    ]


def test_importing_the_same_file_twice_changes_nothing_whatever_the_statuses(personas, record_data, tmp_path):
    """One record per status, then the file that first sent them all, with and without --submit:
    exit 0 and not a row written (not even drafts or rejected records submitted)."""
    rows = []
    for n, status in enumerate(ALL_STATUSES, start=1):
        data = record_data(document_no=f"周法民〔2026〕{n}号")
        bring_to(status, personas, data)
        rows.append(_row(data))
    path = _file(tmp_path, rows)
    before = fingerprint()
    for submit in (False, True, True):
        call_command("import_records", str(path), source_unit="区法院", submit=submit, no_progress=True)
        assert fingerprint() == before


def test_importing_a_new_file_twice_changes_nothing_the_second_time(personas, record_data, tmp_path):
    path = _file(tmp_path, [_row(record_data(document_no=f"周法民〔2026〕{n}号")) for n in range(1, 6)])
    call_command("import_records", str(path), source_unit="区法院", no_progress=True)
    before = fingerprint()
    assert len(before["records"]) == 5
    call_command("import_records", str(path), source_unit="区法院", no_progress=True)
    assert fingerprint() == before


def test_a_changed_file_is_refused_per_row_for_published_records(personas, record_data, tmp_path):
    bring_to(Status.PUBLISHED, personas, record_data())
    before = fingerprint()
    report = tmp_path / "report.csv"
    path = _file(tmp_path, [_row(record_data(facts="改过的事实。"))])
    with pytest.raises(SystemExit) as exc:
        call_command("import_records", str(path), source_unit="区法院", report=str(report), no_progress=True)
    assert exc.value.code == 1
    assert fingerprint() == before
    assert "不能直接修改" in report.read_text(encoding="utf-8-sig")
