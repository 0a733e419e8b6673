"""File import: encodings, headers, bad files, row problems and the report, idempotence, resuming."""

from __future__ import annotations

import csv
import datetime as dt
import os

import pytest
from django.core.management import call_command

from govcredit.core.codes import make_id_number, make_uscc
from govcredit.core.crypto import get_pii_cipher
from govcredit.core.models import AuditEntry
from govcredit.intake.services import import_file
from govcredit.records import bulk as engine
from govcredit.records.models import CreditRecord, RecordVersion, Status, StatusChange
from govcredit.subjects.models import Subject

from .conftest import HEADERS

pytestmark = pytest.mark.django_db


def read_report(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture
def court(personas):
    return personas.unit("区法院")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_it_detects_the_encoding(court, row, csv_file, encoding):
    path = csv_file([row(1), row(2)], encoding=encoding)
    result = import_file(path, source_unit=court)
    assert result.exit_code == 0, result.message
    assert CreditRecord.objects.filter(source_unit=court).count() == 2
    record = CreditRecord.objects.get(document_no="周法民〔2026〕1号")
    assert record.subject.name == "周村区发展和改革局" and record.status == Status.DRAFT
    assert record.versions.count() == 1 and record.status_changes.count() == 1


def test_english_headers_and_extra_columns(court, row, csv_file):
    from govcredit.records.validation import FIELD_LABELS

    keys = {label: key for key, label in FIELD_LABELS.items()}
    headers = [keys[h] for h in HEADERS] + ["备注"]
    path = csv_file([[*row(1), "随便写"]], headers=headers)
    result = import_file(path, source_unit=court)
    assert result.exit_code == 0
    assert any("备注" in w for w in result.warnings)
    assert CreditRecord.objects.count() == 1


def test_empty_file_is_refused(court, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = import_file(path, source_unit=court)
    assert result.exit_code == 2 and "空" in result.refused


def test_header_only_is_refused(court, csv_file):
    result = import_file(csv_file([]), source_unit=court)
    assert result.exit_code == 2 and "没有数据行" in result.refused


def test_binary_garbage_is_refused(court, tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(os.urandom(4096))
    result = import_file(path, source_unit=court)
    assert result.exit_code == 2
    assert CreditRecord.objects.count() == 0


def test_wrong_delimiter_is_refused_with_a_clear_message(court, row, csv_file):
    result = import_file(csv_file([row(1)], delimiter=";"), source_unit=court)
    assert result.exit_code == 2 and "分号" in result.refused
    assert CreditRecord.objects.count() == 0


def test_missing_required_columns_refuse_the_file(court, row, csv_file):
    headers = [h for h in HEADERS if h not in ("决定文书号", "失信事实")]
    result = import_file(csv_file([row(1)[: len(headers)]], headers=headers), source_unit=court)
    assert result.exit_code == 2
    assert "决定文书号" in result.refused and "失信事实" in result.refused
    assert CreditRecord.objects.count() == 0


def test_mixed_encodings_reject_only_the_odd_lines(court, row, csv_file, tmp_path):
    good = csv_file([row(1), row(2)], encoding="gbk")
    odd = csv_file([row(3)], encoding="utf-8", headers=None, name="odd.csv")
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(good.read_bytes() + odd.read_bytes())
    report = tmp_path / "report.csv"
    result = import_file(mixed, source_unit=court, report_path=report)
    assert result.exit_code == 1
    assert result.summary.created == 2 and result.summary.rejected == 1
    lines = read_report(report)
    assert lines[1][0] == "4" and "编码" in lines[1][2]


def test_ten_thousand_invalid_rows(court, row, csv_file, tmp_path):
    rows = [row(n, 严重程度="很重") for n in range(1, 10_001)]
    report = tmp_path / "report.csv"
    result = import_file(csv_file(rows), source_unit=court, report_path=report)
    assert result.exit_code == 1
    assert result.summary.rejected == 10_000 and result.summary.accepted == 0
    lines = read_report(report)
    assert lines[0] == ["行号", "列", "原因", "原值"]
    assert len(lines) == 10_001
    assert lines[1][:2] == ["2", "严重程度"] and lines[-1][0] == "10001"
    assert CreditRecord.objects.count() == 0


def test_duplicate_document_numbers_within_a_file(court, row, csv_file, tmp_path):
    report = tmp_path / "report.csv"
    result = import_file(csv_file([row(1), row(2), row(1)]), source_unit=court, report_path=report)
    assert result.exit_code == 1
    assert result.summary.created == 2 and result.summary.rejected == 1
    line = read_report(report)[1]
    assert line[0] == "4" and line[1] == "决定文书号" and "第2行" in line[2]


def test_formula_injection_is_defused_in_the_report(court, row, csv_file, tmp_path):
    cell = '=HYPERLINK("http://evil.example/","点击")'
    report = tmp_path / "report.csv"
    result = import_file(
        csv_file([row(1, 严重程度=cell), row(2, 信息类别="+1-2")]), source_unit=court, report_path=report
    )
    assert result.exit_code == 1
    lines = read_report(report)
    raws = {line[1]: line[3] for line in lines[1:]}
    assert raws["严重程度"] == "'" + cell
    assert raws["信息类别"] == "'+1-2"
    assert all(not cell.startswith(("=", "+", "-", "@")) for line in lines for cell in line)


def test_importing_the_same_file_twice_changes_nothing(court, row, csv_file):
    path = csv_file([row(n) for n in range(1, 6)], encoding="gbk")
    assert import_file(path, source_unit=court).summary.created == 5
    audit = AuditEntry.objects.count()
    versions = RecordVersion.objects.count()
    again = import_file(path, source_unit=court)
    assert again.exit_code == 0
    assert again.summary.unchanged == 5 and again.summary.changed_nothing
    assert "未作任何修改" in again.message
    assert AuditEntry.objects.count() == audit and RecordVersion.objects.count() == versions


def test_one_audit_entry_per_chunk_with_the_file_digest(court, row, csv_file):
    path = csv_file([row(n) for n in range(1, 6)])
    result = import_file(path, source_unit=court, chunk_rows=2)
    entries = AuditEntry.objects.filter(action="govcredit.intake.batch_imported").order_by("sequence")
    assert entries.count() == 3
    assert all(e.after["file_sm3"] == result.digest for e in entries)
    assert sum(e.after["created"] for e in entries) == 5


def test_a_killed_run_leaves_whole_chunks_and_the_next_run_completes(court, row, csv_file, monkeypatch):
    path = csv_file([row(n) for n in range(1, 8)])
    real = engine.BulkImporter._apply
    calls = {"n": 0}

    def dies_on_second_chunk(self, plan):
        calls["n"] += 1
        result = real(self, plan)
        if calls["n"] == 2:
            raise KeyboardInterrupt  # killed half way, inside the second chunk's transaction
        return result

    monkeypatch.setattr(engine.BulkImporter, "_apply", dies_on_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        import_file(path, source_unit=court, chunk_rows=3)
    assert CreditRecord.objects.count() == 3  # the first chunk, whole; nothing of the second
    assert RecordVersion.objects.count() == 3 and StatusChange.objects.count() == 3
    monkeypatch.setattr(engine.BulkImporter, "_apply", real)
    result = import_file(path, source_unit=court, chunk_rows=3)
    assert result.summary.unchanged == 3 and result.summary.created == 4
    assert CreditRecord.objects.count() == 7


def test_unknown_subjects_are_created_for_confirmation(court, row, csv_file):

    unit = Subject.objects.get(name="周村区发展和改革局")
    person_id = make_id_number("370306", dt.date(1980, 5, 6), 123)
    org = make_uscc("11370306", 4242)
    rows = [
        row(1, 主体名称="周村区某新设机构", 统一社会信用代码=org),
        row(
            2,
            信息类别="admin_penalty",
            主体名称="张三明",
            主体类型="公务员",
            统一社会信用代码="",
            身份证号=person_id,
            所属单位代码=unit.uscc,
        ),
        row(3, 主体名称="周村区某新设机构", 统一社会信用代码=org),
    ]
    result = import_file(csv_file(rows), source_unit=court)
    assert result.exit_code == 0 and result.summary.subjects_created == 2
    servant = Subject.objects.get(id_hash=get_pii_cipher().lookup_hash(person_id))
    assert servant.kind == "civil_servant" and servant.parent == unit and servant.needs_confirmation
    new_org = Subject.objects.get(uscc=org)
    assert new_org.needs_confirmation and new_org.names.count() == 1
    assert CreditRecord.objects.filter(subject=new_org).count() == 2


def test_people_are_stored_encrypted(court, row, csv_file):
    unit = Subject.objects.get(name="周村区发展和改革局")
    person_id = make_id_number("370306", dt.date(1980, 5, 6), 123)
    rows = [
        row(
            1,
            信息类别="admin_penalty",
            主体名称="李四",
            主体类型="公务员",
            统一社会信用代码="",
            身份证号=person_id,
            所属单位代码=unit.uscc,
        )
    ]
    result = import_file(csv_file(rows), source_unit=court)
    assert result.exit_code == 0, [p.reason for p in result.sample]
    person = Subject.objects.get(id_hash=get_pii_cipher().lookup_hash(person_id))
    assert person.needs_confirmation and person.uscc is None
    assert person_id not in person.id_cipher and get_pii_cipher().decrypt(person.id_cipher) == person_id
    assert person.id_masked == person_id[:6] + "********" + person_id[-4:]
    version = RecordVersion.objects.get(record__subject=person)
    assert person_id not in str(version.snapshot) and version.snapshot["subject_name"] == "李*"


def test_submit_lands_in_the_review_queue(court, row, csv_file):
    result = import_file(csv_file([row(1)]), source_unit=court, submit=True)
    assert result.summary.submitted == 1
    record = CreditRecord.objects.get()
    assert record.status == Status.SUBMITTED
    assert list(record.status_changes.values_list("new_status", flat=True)) == ["draft", "submitted"]


def test_changed_rows_update_drafts_and_refuse_submitted(court, row, csv_file, tmp_path):
    import_file(csv_file([row(1), row(2)]), source_unit=court)
    CreditRecord.objects.filter(document_no="周法民〔2026〕2号").update(status=Status.SUBMITTED)
    path = csv_file([row(1, 失信事实="新的事实"), row(2, 失信事实="新的事实")], name="second.csv")
    report = tmp_path / "r.csv"
    result = import_file(path, source_unit=court, report_path=report)
    assert result.summary.updated == 1 and result.summary.rejected == 1
    assert CreditRecord.objects.get(document_no="周法民〔2026〕1号").facts == "新的事实"
    assert "不能直接修改" in read_report(report)[1][2]


def test_xlsx_with_excel_dates(court, row, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    first = row(1)
    first[HEADERS.index("决定日期")] = dt.date(2026, 3, 5)
    second = row(2)
    second[HEADERS.index("决定日期")] = 46000  # an Excel serial date
    ws.append(first)
    ws.append(second)
    path = tmp_path / "records.xlsx"
    wb.save(path)
    result = import_file(path, source_unit=court)
    assert result.exit_code == 0, [p.reason for p in result.sample]
    assert CreditRecord.objects.get(document_no="周法民〔2026〕1号").decided_on == dt.date(2026, 3, 5)
    assert CreditRecord.objects.get(document_no="周法民〔2026〕2号").decided_on == dt.date(2025, 12, 9)


def test_dry_run_writes_nothing(court, row, csv_file):
    result = import_file(csv_file([row(1), row(2, 严重程度="x")]), source_unit=court, dry_run=True)
    assert result.exit_code == 1 and result.summary.created == 1
    assert CreditRecord.objects.count() == 0 and Subject.objects.filter(needs_confirmation=True).count() == 0


def test_cli_exit_codes_and_report(court, row, csv_file, tmp_path, capsys):
    good = csv_file([row(1)], name="good.csv")
    call_command("import_records", str(good), source_unit="区法院", no_progress=True)
    assert CreditRecord.objects.count() == 1

    bad = csv_file([row(2), row(3, 统一社会信用代码="123")], name="bad.csv")
    report = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as exc:
        call_command("import_records", str(bad), source_unit="区法院", report=str(report), no_progress=True)
    assert exc.value.code == 1
    assert read_report(report)[1][:2] == ["3", "统一社会信用代码"]

    with pytest.raises(SystemExit) as exc:
        call_command(
            "import_records", str(csv_file([], name="h.csv")), source_unit="区法院", no_progress=True
        )
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        call_command("import_records", str(good), source_unit="不存在", no_progress=True)
    assert exc.value.code == 2
    call_command("import_records", str(good), source_unit=court.subject.uscc, dry_run=True, no_progress=True)


def test_awkward_text_round_trips_and_the_snapshot_matches_the_services(court, row, csv_file):
    """Tabs, line breaks, backslashes and quotes survive the COPY text format (PostgreSQL) and the
    hand-built snapshot JSON equals what ``records.services.snapshot`` says about the record."""
    from govcredit.records.services import snapshot

    facts = '拖欠\t工程款\r\n未按"判决"履行 C:\\路径\\n 😀'
    path = csv_file(
        [
            row(
                1,
                失信事实=facts,
                处理结果="罚款\\1000元",
                法律依据="《条例》\n第3条",
                决定机关="周村区\\法院",
            )
        ],
        encoding="utf-8",
    )
    result = import_file(path, source_unit=court, submit=True)
    assert result.exit_code == 0, result.message
    record = CreditRecord.objects.get(document_no="周法民〔2026〕1号")
    assert (record.facts, record.outcome, record.legal_basis, record.decided_by) == (
        facts,
        "罚款\\1000元",
        "《条例》\n第3条",
        "周村区\\法院",
    )
    version = record.versions.get()
    assert version.snapshot == snapshot(record)
    assert list(record.status_changes.order_by("id").values_list("event", "old_status", "new_status")) == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
    ]


def test_set_based_reference_check_refuses_a_vanished_subject(court, row, csv_file):
    """PostgreSQL: the COPYs skip the per-row foreign-key triggers only after locking every referenced
    row; a subject that no longer exists is an IntegrityError, as the trigger would have raised."""
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    importer = engine.BulkImporter(source_unit=court)
    assert importer._set_based_references()  # the test role is a superuser
    result = import_file(csv_file([row(1)]), source_unit=court)
    record = CreditRecord.objects.get()
    assert result.exit_code == 0 and record.versions.count() == 1
    pending = engine._Pending(2, {}, type("Clean", (), {"item": record.item})())
    with pytest.raises(IntegrityError), transaction.atomic():
        importer._lock_references([(pending, (2**62, "department", "", ""))])


def test_threaded_run_matches_the_plain_one_and_passes_on_reader_errors(court, row, csv_file):
    """Reading and validating in a second thread gives the same outcomes, in the same order, as
    feeding row by row; an error while reading reaches the caller after the committed chunks."""
    data = {key: value for key, value in zip(engine.FIELD_LABELS, row(1), strict=True)}
    rows = [
        (2, {"document_no": "缺字段"}, False),
        (3, data, False),
        (4, dict(data), False),  # duplicate document number
        (5, {}, True),  # encoding error
        (6, {**data, "document_no": "周法民〔2026〕9号"}, False),
    ]
    seen = {}
    for threaded in (False, True):
        outcomes = []
        importer = engine.BulkImporter(
            source_unit=court, dry_run=True, chunk_rows=2, on_outcome=outcomes.append
        )
        summary = importer.run(iter(rows), threaded=threaded)
        seen[threaded] = ([(o.index, o.result, sorted(o.errors)) for o in outcomes], summary.as_dict())
    assert seen[True] == seen[False]
    outcomes, summary = seen[True]
    assert [(index, result) for index, result, _errors in outcomes] == [
        (2, "rejected"),
        (4, "rejected"),
        (5, "rejected"),
        (3, "created"),
        (6, "created"),
    ]
    assert outcomes[1][2] == ["document_no"] and summary["created"] == 2 and summary["rejected"] == 3

    def broken():
        yield 3, data, False
        raise RuntimeError("读文件出错")

    importer = engine.BulkImporter(source_unit=court, chunk_rows=1)
    with pytest.raises(RuntimeError, match="读文件出错"):
        importer.run(broken(), threaded=True)
    assert CreditRecord.objects.count() == 1


def test_first_seen_table_answers_like_a_dict_through_growth():
    import random

    seen = engine._FirstSeen(capacity=8)
    reference: dict[int, int] = {}
    rng = random.Random(5)
    keys = [rng.getrandbits(64) - (1 << 63) for _ in range(5000)] + [0, 1, -1]
    for index, key in enumerate(keys + keys[:100], start=2):
        expected = reference.get(key or 1)
        assert seen.first(key, index) == expected
        reference.setdefault(key or 1, index)


def _spy_planning_threads(monkeypatch) -> list[str]:
    threads: list[str] = []
    real = engine.BulkImporter._plan

    def plan(self, chunk):
        import threading

        threads.append(threading.current_thread().name)
        return real(self, chunk)

    monkeypatch.setattr(engine.BulkImporter, "_plan", plan)
    return threads


@pytest.mark.django_db(transaction=True)
def test_chunks_planned_ahead_on_their_own_connection_give_the_same_records(
    court, row, csv_file, monkeypatch
):
    """Outside a transaction on PostgreSQL the reading thread plans each chunk (its own connection)
    while this one writes: new units and people whose unit is new in an earlier, not yet committed
    chunk, and a duplicate across chunks, come out as without planning ahead."""
    from django.db import connection

    threads = _spy_planning_threads(monkeypatch)
    unit_code = make_uscc("11370306", 7001)
    person = make_id_number("370306", dt.date(1985, 3, 4), 77)
    rows = [row(n) for n in range(1, 4)]
    rows += [row(4, 主体名称="周村区新设甲单位", 统一社会信用代码=unit_code)]
    rows += [row(n) for n in range(5, 8)]
    rows += [
        row(
            8,
            信息类别="admin_penalty",
            主体名称="李四明",
            主体类型="公务员",
            统一社会信用代码="",
            身份证号=person,
            所属单位代码=unit_code,
        ),
        row(9, 主体名称="周村区新设甲单位", 统一社会信用代码=unit_code),
        row(2),  # a duplicate of line 3, two chunks later
    ]
    report = csv_file([]).parent / "report.csv"
    result = import_file(csv_file(rows), source_unit=court, chunk_rows=3, report_path=report)
    assert result.summary.created == 9 and result.summary.rejected == 1, result.message
    assert result.summary.subjects_created == 2
    unit = Subject.objects.get(uscc=unit_code)
    assert unit.needs_confirmation and CreditRecord.objects.filter(subject=unit).count() == 2
    person_subject = Subject.objects.get(id_hash=get_pii_cipher().lookup_hash(person))
    assert person_subject.parent_id == unit.pk
    assert RecordVersion.objects.count() == 9 and StatusChange.objects.count() == 9
    assert "与第3行重复" in read_report(report)[1][2]
    expected = "intake-reader" if connection.vendor == "postgresql" else "MainThread"
    assert threads and set(threads) == {expected}
    again = import_file(csv_file(rows), source_unit=court, chunk_rows=3)
    assert again.summary.unchanged == 9 and again.summary.changed_nothing


@pytest.mark.django_db(transaction=True)
def test_a_subject_created_elsewhere_after_planning_is_used_on_the_retry(court, row, csv_file, monkeypatch):
    """Another writer registers a unit between the plan and its write: the chunk's insert of that
    unit fails, the chunk is planned again (finding the unit) and written; planning ahead stops."""
    import threading

    from django.db import connection

    from govcredit.subjects.models import SubjectKind

    if connection.vendor != "postgresql":
        pytest.skip("SQLite: the chunk's transaction holds the write lock, no one can write meanwhile")
    threads = _spy_planning_threads(monkeypatch)
    unit_code = make_uscc("11370306", 7002)
    rows = [row(1), row(2), row(3), row(4, 主体名称="周村区新设乙单位", 统一社会信用代码=unit_code), row(5)]
    real_apply = engine.BulkImporter._apply
    seen = {"n": 0}

    def apply(self, plan):
        seen["n"] += 1
        if seen["n"] == 2:  # the second chunk, planned while the first was written

            def register():
                Subject.objects.create(kind=SubjectKind.DEPARTMENT, name="周村区新设乙单位", uscc=unit_code)
                from django.db import connection

                connection.close()

            other = threading.Thread(target=register)
            other.start()
            other.join()
        return real_apply(self, plan)

    monkeypatch.setattr(engine.BulkImporter, "_apply", apply)
    result = import_file(csv_file(rows), source_unit=court, chunk_rows=3)
    assert result.exit_code == 0, result.message
    assert result.summary.created == 5 and result.summary.subjects_created == 0
    unit = Subject.objects.get(uscc=unit_code)
    assert not unit.needs_confirmation  # the other writer's subject, not one of ours
    assert CreditRecord.objects.filter(subject=unit).count() == 1
    assert threads[0] == "intake-reader" and threads[-1] == "MainThread"  # the retry: planned here
