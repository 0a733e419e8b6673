"""The subject name typed with a code (issue 13 point 1): one rule for the form, the API, the
batch and the file import. A name that is neither the registered name, an alias nor a former name
of the code's subject is refused naming both — or, for those who may rename subjects (the credit
office) and system paths, kept as a flagged mismatch the reviewer must confirm before publishing."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from govcredit.api.tests.conftest import api, api_record, token_for  # noqa: F401 - fixtures
from govcredit.core.errors import ValidationFailed
from govcredit.core.models import AuditEntry
from govcredit.intake.services import import_file
from govcredit.records import services
from govcredit.records.models import CreditRecord, NameMismatch, Status
from govcredit.subjects.models import Subject
from govcredit.subjects.services import rename_subject

WRONG = "周村区财政局"  # a real unit's name, typed with 区发改局's code


@pytest.fixture
def dept_subject(reference):
    return Subject.objects.get(name="周村区发展和改革局")


def _court(personas):
    return personas.access(personas.court), personas.unit("区法院")


def test_registered_name_alias_former_name_and_spacing_are_accepted(personas, record_data, dept_subject):
    access, unit = _court(personas)
    base = record_data()
    rename_subject(dept_subject, "周村区发展改革局", actor=None, reason="机构改革更名")
    names = ["周村区发展改革局", "区发改局", "周村区发展和改革局", " 周村区 发展改革局 "]
    for n, name in enumerate(names, start=1):
        record, _, _ = services.upsert_record(
            {**base, "subject_name": name, "document_no": f"周法民〔2026〕{n}号"},
            source_unit=unit,
            access=access,
        )
        assert record.subject_id == dept_subject.pk
    assert not NameMismatch.objects.exists()


def test_a_clerk_is_refused_with_both_names(personas, record_data, dept_subject):
    access, unit = _court(personas)
    with pytest.raises(ValidationFailed) as caught:
        services.upsert_record(record_data(subject_name=WRONG), source_unit=unit, access=access)
    message = caught.value.field_errors["subject_name"][0]
    assert WRONG in message and "周村区发展和改革局" in message and dept_subject.uscc in message
    assert "区发改局" in message  # the alias is named too
    assert not CreditRecord.objects.exists()


def test_a_person_refusal_masks_the_registered_name(personas, reference, dept_subject):
    from govcredit.core.codes import make_id_number

    hr = personas.access(personas.hr)
    row = {
        "subject_name": "王小明",
        "subject_kind": "公务员",
        "id_number": make_id_number("370306", dt.date(1980, 5, 6), 11),
        "unit_uscc": dept_subject.uscc,
        "item": "disciplinary_sanction",
        "severity": "较重",
        "document_no": "周人社〔2026〕1号",
        "decided_on": dt.date(2026, 5, 1),
        "decided_by": "周村区人力资源和社会保障局",
        "facts": "违反工作纪律。",
    }
    services.upsert_record(row, source_unit=personas.unit("区人社局"), access=hr)
    with pytest.raises(ValidationFailed) as caught:
        services.upsert_record(
            {**row, "subject_name": "李大海", "document_no": "周人社〔2026〕2号"},
            source_unit=personas.unit("区人社局"),
            access=hr,
        )
    message = caught.value.field_errors["subject_name"][0]
    assert "李大海" in message and "王*明" in message and "王小明" not in message


def _office_row(record_data, **overrides):
    return record_data(
        item="broken_commitment",
        decided_by="周村区发展和改革局",
        document_no="周发改〔2026〕7号",
        **overrides,
    )


def test_the_credit_office_keeps_a_flag_the_reviewer_must_confirm(personas, record_data, dept_subject):
    office = personas.access(personas.office)
    unit = personas.unit("区发改局")
    record, _, _ = services.upsert_record(
        _office_row(record_data, subject_name="周村区发改委"), source_unit=unit, access=office, submit=True
    )
    mismatch = record.name_mismatch
    assert (mismatch.submitted_name, mismatch.registered_name) == ("周村区发改委", dept_subject.name)

    reviewer = personas.access(personas.reviewer)
    with pytest.raises(ValidationFailed) as caught:
        services.approve_record(record, access=reviewer)
    assert "周村区发改委" in caught.value.field_errors["confirm_name"][0]
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED

    services.approve_record(record, access=reviewer, confirm_name=True)
    record.refresh_from_db()
    mismatch.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert mismatch.confirmed_by == personas.reviewer
    entry = AuditEntry.objects.get(action="govcredit.record.name_confirmed")
    assert entry.before == {"subject_name": "周村区发改委"}


def test_correcting_the_name_of_a_draft_drops_the_flag(personas, record_data):
    office = personas.access(personas.office)
    unit = personas.unit("区发改局")
    record, _, _ = services.upsert_record(
        _office_row(record_data, subject_name="周村区发改委"), source_unit=unit, access=office
    )
    assert NameMismatch.objects.filter(record=record).exists()
    services.upsert_record(_office_row(record_data), source_unit=unit, access=office)
    assert not NameMismatch.objects.filter(record=record).exists()


def test_the_form_shows_the_refusal_at_the_name(personas, client, dept_subject):
    client.force_login(personas.court)
    response = client.post(
        "/office/records/new/",
        {
            "source_unit": personas.unit("区法院").pk,
            "subject_kind": "department",
            "subject_name": WRONG,
            "uscc": dept_subject.uscc,
            "item": "court_judgment",
            "severity": "general",
            "document_no": "周法罚〔2026〕12号",
            "decided_on": "2026-06-01",
            "decided_by": "周村区人民法院",
            "facts": "未按判决履行付款义务。",
        },
    )
    assert response.status_code == 422
    assert WRONG in response.context["form"].errors["subject_name"][0]
    assert not CreditRecord.objects.exists()


def test_the_reviewer_page_shows_both_names_and_asks_for_confirmation(personas, client, record_data):
    office = personas.access(personas.office)
    record, _, _ = services.upsert_record(
        _office_row(record_data, subject_name="周村区发改委"),
        source_unit=personas.unit("区发改局"),
        access=office,
        submit=True,
    )
    client.force_login(personas.reviewer)
    queue = client.get("/office/records/review/").content.decode()
    assert "报送名称「周村区发改委」不一致，须确认" in queue
    page = client.get(f"/office/records/{record.pk}/").content.decode()
    assert "主体名称（报送）" in page and "周村区发改委" in page and 'name="confirm_name"' in page

    refused = client.post(f"/office/records/{record.pk}/approve/", {"expected_version": record.version})
    assert refused.status_code == 302
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED
    client.post(
        f"/office/records/{record.pk}/approve/", {"expected_version": record.version, "confirm_name": "1"}
    )
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED


def test_api_single_and_batch_use_the_same_rule(personas, api, api_record, dept_subject):  # noqa: F811
    court = api(personas.court)
    response = court.post("/api/v1/records", api_record(subject_name=WRONG))
    assert response.status_code == 422
    assert WRONG in str(response.json()["detail"]) or WRONG in str(response.json())

    response = court.post(
        "/api/v1/records/batch",
        {"records": [api_record(subject_name=WRONG), api_record(document_no="周法民〔2026〕2号")]},
    )
    results = response.json()["results"]
    assert results[0]["status"] == "rejected"
    assert "周村区发展和改革局" in results[0]["errors"]["subject_name"][0]
    assert results[1]["status"] == "accepted"

    office = api(personas.office)
    rows = [{**api_record(subject_name="周村区发改委"), "item": "broken_commitment"}]
    response = office.post("/api/v1/records/batch", {"records": rows, "source_unit": "区发改局"})
    assert response.json()["results"][0]["status"] == "accepted"
    record = CreditRecord.objects.get(pk=response.json()["results"][0]["id"])
    assert record.name_mismatch.submitted_name == "周村区发改委"

    reviewer = api(personas.reviewer)
    assert reviewer.post(f"/api/v1/records/{record.pk}/approve", {}).status_code == 422
    answer = reviewer.post(f"/api/v1/records/{record.pk}/approve", {"confirm_name": True})
    assert answer.status_code == 200 and answer.json()["status"] == "published"


def _write(tmp_path, rows):
    path = tmp_path / "records.csv"
    headers = ["主体名称", "主体类型", "统一社会信用代码", "信息类别", "严重程度", "决定文书号", "决定日期"]
    headers += ["决定机关", "失信事实"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def test_file_import_refuses_a_clerk_and_flags_for_the_command_line(personas, dept_subject, tmp_path):
    def line(name, n, item="court_judgment"):
        return [name, "部门", dept_subject.uscc, item, "一般", f"周法民〔2026〕{n}号", "2026-06-01"] + [
            "周村区人民法院",
            "拖欠工程款。",
        ]

    access, unit = _court(personas)
    report = tmp_path / "report.csv"
    path = _write(tmp_path, [line("区发改局", 1), line(WRONG, 2)])
    result = import_file(path, source_unit=unit, access=access, report_path=report)
    assert result.exit_code == 1 and result.summary.created == 1 and result.summary.rejected == 1
    with report.open(encoding="utf-8-sig") as fh:
        problems = list(csv.reader(fh))[1:]
    assert problems[0][:2] == ["3", "主体名称"] and "周村区发展和改革局" in problems[0][2]

    # The command-line import runs without a user (access None): the name is kept, flagged.
    path = _write(tmp_path, [line(WRONG, 3)])
    result = import_file(path, source_unit=unit, access=None)
    assert result.exit_code == 0 and result.summary.created == 1
    record = CreditRecord.objects.get(document_no="周法民〔2026〕3号")
    assert record.subject_id == dept_subject.pk and record.name_mismatch.submitted_name == WRONG


def test_the_bulk_path_forgets_a_flag_when_the_name_is_corrected(personas, dept_subject, tmp_path):
    """records.bulk (file import and API batch): an identical row re-sent with the registered name
    drops the draft's unconfirmed NameMismatch, as the single-record service does."""

    def line(name):
        return [
            name,
            "部门",
            dept_subject.uscc,
            "court_judgment",
            "一般",
            "周法民〔2026〕9号",
            "2026-06-01",
        ] + [
            "周村区人民法院",
            "拖欠工程款。",
        ]

    _access, unit = _court(personas)
    assert import_file(_write(tmp_path, [line(WRONG)]), source_unit=unit, access=None).exit_code == 0
    record = CreditRecord.objects.get(document_no="周法民〔2026〕9号")
    assert NameMismatch.objects.filter(record=record).exists()
    # The same flagged row again changes nothing and keeps the flag.
    result = import_file(_write(tmp_path, [line(WRONG)]), source_unit=unit, access=None)
    assert result.summary.unchanged == 1 and NameMismatch.objects.filter(record=record).exists()
    result = import_file(_write(tmp_path, [line("周村区发展和改革局")]), source_unit=unit, access=None)
    assert result.exit_code == 0 and result.summary.unchanged == 1
    assert not NameMismatch.objects.filter(record=record).exists()
    assert CreditRecord.objects.filter(document_no="周法民〔2026〕9号").count() == 1
