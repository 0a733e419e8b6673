"""The create / edit form: every bad input of issue 3 gets a Chinese message at its field and
nothing is half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govcredit.core.codes import uscc_check_char
from govcredit.records.models import CreditRecord, Evidence, RecordVersion, Status
from govcredit.subjects.models import Subject

from .conftest import PDF, PNG


@pytest.fixture
def court_client(personas, login):
    return login(personas.court)


@pytest.fixture
def form_data(personas, reference):
    subject = Subject.objects.get(name="周村区发展和改革局")
    return {
        "source_unit": personas.unit("区法院").pk,
        "subject_kind": "department",
        "subject_name": subject.name,
        "uscc": subject.uscc,
        "item": "court_judgment",
        "severity": "general",
        "document_no": "周法罚〔2026〕12号",
        "decided_on": "2026-06-01",
        "decided_by": "周村区人民法院",
        "facts": "未按判决履行付款义务。",
        "outcome": "责令限期履行",
        "legal_basis": "",
    }


def _post(client, data, files=(), submit=False):
    payload = dict(data)
    if files:
        payload["evidence"] = list(files)
    if submit:
        payload["submit"] = "1"
    return client.post("/office/records/new/", payload)


def _errors(response):
    return response.context["form"].errors


def test_the_form_offers_only_the_units_items(court_client, personas):
    page = court_client.get("/office/records/new/").content.decode()
    assert f'<option value="{personas.unit("区法院").pk}" selected>' in page  # the only unit, preselected
    assert 'value="court_judgment"' in page and 'value="disciplinary_sanction"' not in page
    assert "保存草稿" in page and "提交审核" in page and "MB" in page


def test_it_saves_a_draft_with_evidence(court_client, form_data):
    response = _post(
        court_client,
        form_data,
        files=[
            SimpleUploadedFile("判决书.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("现场.png", PNG, "image/png"),
        ],
    )
    record = CreditRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/office/records/{record.pk}/"
    assert record.status == Status.DRAFT
    assert record.legal_basis  # catalog default filled in
    assert sorted(record.evidence.values_list("original_name", flat=True)) == ["判决书.pdf", "现场.png"]


def test_submit_button_submits(court_client, form_data):
    _post(court_client, form_data, submit=True)
    assert CreditRecord.objects.get().status == Status.SUBMITTED


def test_resubmitting_the_same_document_number_updates_not_duplicates(court_client, form_data):
    _post(court_client, form_data)
    response = _post(court_client, {**form_data, "facts": "更新后的事实。"})
    assert response.status_code == 302
    assert CreditRecord.objects.count() == 1 and CreditRecord.objects.get().facts == "更新后的事实。"


def test_an_invalid_uscc_names_the_expected_check_char_at_the_field(court_client, form_data):
    good = form_data["uscc"]
    wrong = "Y" if good[17] != "Y" else "X"
    response = _post(court_client, {**form_data, "uscc": good[:17] + wrong})
    assert response.status_code == 422
    message = _errors(response)["uscc"][0]
    assert f"校验位应为 {uscc_check_char(good[:17])}，当前为 {wrong}" in message
    page = response.content.decode()
    assert 'id="id_uscc_error"' in page and "记录未保存" in page
    assert not CreditRecord.objects.exists()


def test_an_invalid_id_number_is_refused_at_the_field(court_client, form_data):
    data = {**form_data, "subject_kind": "civil_servant", "subject_name": "张三", "uscc": ""}
    data.update(id_number="370306198005060110", unit_uscc=form_data["uscc"], item="admin_penalty")
    response = _post(court_client, data)
    assert "校验" in _errors(response)["id_number"][0]


def test_unknown_item_not_allowed_severity_and_future_date(court_client, form_data):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = _post(court_client, {**form_data, "item": "no_such_item", "decided_on": tomorrow})
    errors = _errors(response)
    assert "不在信用信息目录中" in errors["item"][0]
    assert errors["decided_on"] == ["决定日期不能晚于今天"]
    response = _post(court_client, {**form_data, "item": "dishonest_debtor", "severity": "general"})
    assert "允许的严重程度为：较重、严重" in _errors(response)["severity"][0]
    assert not CreditRecord.objects.exists()


def test_an_item_of_another_unit_is_refused(login, personas, form_data):
    client = login(personas.hr)
    response = _post(client, {**form_data, "source_unit": personas.unit("区人社局").pk})
    assert "不能报送「司法判决」" in _errors(response)["item"][0]


def test_a_unit_that_is_not_mine_is_refused_at_the_field(court_client, personas, form_data):
    response = _post(court_client, {**form_data, "source_unit": personas.unit("区人社局").pk})
    assert response.status_code == 422 and _errors(response)["source_unit"]
    assert not CreditRecord.objects.exists()


def test_missing_fields_each_get_a_chinese_message(court_client, personas):
    response = _post(court_client, {"source_unit": personas.unit("区法院").pk})
    errors = _errors(response)
    for key, text in {
        "subject_kind": "请填写主体类型",
        "subject_name": "请填写主体名称",
        "item": "请填写信息类别",
        "severity": "请填写严重程度",
        "document_no": "请填写决定文书号",
        "decided_on": "请填写决定日期",
        "decided_by": "请填写决定机关",
        "facts": "请填写失信事实",
    }.items():
        assert any(text in m for m in errors[key]), key
        assert len(errors[key]) == 1, key  # one message, not Django's and ours
    assert not CreditRecord.objects.exists()


def test_facts_over_2000_characters(court_client, form_data):
    response = _post(court_client, {**form_data, "facts": "实" * 2001})
    assert _errors(response)["facts"] == ["失信事实不能超过2000个字符（当前2001个）"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("说明.txt", b"hello", "类型不支持"),
        ("假的.pdf", b"MZ\x90\x00", "不是有效的 PDF 文件"),
        ("空.png", b"", "空文件"),
    ],
)
def test_a_bad_evidence_file_saves_nothing(court_client, form_data, name, content, expected):
    files = [SimpleUploadedFile("好的.pdf", PDF), SimpleUploadedFile(name, content)]
    response = _post(court_client, form_data, files=files, submit=True)
    assert response.status_code == 422
    assert any(expected in m for m in _errors(response)["evidence"])
    assert not CreditRecord.objects.exists() and not Evidence.objects.exists()
    assert not RecordVersion.objects.exists()


def test_an_oversized_evidence_file_saves_nothing(court_client, form_data, settings):
    settings.GOVCREDIT_EVIDENCE_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)
    response = _post(court_client, form_data, files=[SimpleUploadedFile("大.pdf", big)])
    assert "超过 1 MB 上限" in _errors(response)["evidence"][0]
    assert not CreditRecord.objects.exists() and not Evidence.objects.exists()


def test_roles_without_submission_rights_get_403(login, personas):
    for user in (personas.reviewer, personas.auditor, personas.dept):
        response = login(user).get("/office/records/new/")
        assert response.status_code == 403
        assert "报送" in response.content.decode()


def test_editing_a_draft_keeps_the_key_and_adds_a_version(court_client, world, form_data):
    record = world.court_draft
    url = f"/office/records/{record.pk}/edit/"
    page = court_client.get(url).content.decode()
    assert record.document_no in page and "disabled" in page
    data = {
        **form_data,
        "subject_name": record.subject.name,
        "uscc": record.subject.uscc,
        "document_no": "改了也无效",
        "facts": "修改后的事实。",
    }
    response = court_client.post(url, data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.facts == "修改后的事实。" and record.document_no == "周法民〔2026〕3号"
    assert record.versions.count() == 2


def test_editing_a_civil_servant_draft_keeps_the_encrypted_id(login, personas, world):
    record = world.hr_other
    client = login(personas.hr)
    data = {
        "subject_kind": "civil_servant",
        "subject_name": record.subject.name,
        "unit_uscc": record.subject.parent.uscc,
        "item": "disciplinary_sanction",
        "severity": "major",
        "decided_on": "2026-05-01",
        "decided_by": "周村区人力资源和社会保障局",
        "facts": "违反工作纪律，已改正。",
    }
    response = client.post(f"/office/records/{record.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    assert record.facts == "违反工作纪律，已改正。" and record.subject_id == world.hr_other.subject_id


def test_a_published_record_cannot_be_edited(court_client, world):
    response = court_client.get(f"/office/records/{world.court_dept.pk}/edit/", follow=True)
    assert "已公示记录请使用「更正」" in response.content.decode()


def test_only_the_source_unit_edits(login, personas, world):
    response = login(personas.office).get(f"/office/records/{world.court_draft.pk}/edit/")
    assert response.status_code == 403 and "区法院" in response.content.decode()
    assert login(personas.hr).get(f"/office/records/{world.court_draft.pk}/edit/").status_code == 404


def test_a_bad_file_and_bad_fields_are_reported_together(court_client, form_data):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = _post(
        court_client, {**form_data, "decided_on": tomorrow}, files=[SimpleUploadedFile("a.exe", b"MZ")]
    )
    errors = _errors(response)
    assert "类型不支持" in errors["evidence"][0] and errors["decided_on"] == ["决定日期不能晚于今天"]
    assert not CreditRecord.objects.exists()


def test_the_list_filters_by_subject_from_the_subject_page_link(publish, personas, client):
    from govcredit.subjects.models import Subject

    record = publish()
    other = publish(
        document_no="周法民〔2026〕9号",
        subject_name="周村区财政局",
        uscc=Subject.objects.get(name="周村区财政局").uscc,
    )
    client.force_login(personas.office)
    page = client.get(f"/office/records/?subject={record.subject_id}").content.decode()
    assert record.document_no in page and other.document_no not in page
