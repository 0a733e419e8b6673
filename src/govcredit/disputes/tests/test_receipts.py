"""受理编号 and short 查询码: readable, case-insensitive, numbered per day; the number alone opens nothing."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from govcredit.core.errors import NotFound
from govcredit.disputes import services
from govcredit.disputes.models import DisputeCase

from .conftest import PDF

pytestmark = pytest.mark.django_db


def test_receipt_numbers_count_up_per_kind_and_day(objection, publish):
    other = publish(document_no="周法民〔2026〕88号")
    second = services.file_objection(
        record_id=other.pk, applicant="区发改局", contact="13800000009", reason="公示的金额与判决不一致。"
    )
    day = f"{objection.received_on:%Y%m%d}"
    assert objection.receipt_no == f"YY{day}-0001" and second.receipt_no == f"YY{day}-0002"
    assert re.fullmatch(rf"YY{day}-0001-[2-9A-HJ-NP-Z]{{6}}", objection.tracking_code)
    # a repair has its own prefix and its own count the same day
    repair_record = publish(document_no="周法民〔2026〕89号")
    repair = services.file_repair(
        record_id=repair_record.pk,
        applicant="区发改局",
        contact="dept@example.com",
        measures_taken="已全额支付工程款并公开致歉。",
        obligations_fulfilled=True,
        commitment_confirmed=True,
        files=[("付款凭证.pdf", PDF)],
        now=timezone.make_aware(dt.datetime.combine(objection.received_on, dt.time(11, 0))),
    )
    assert repair.receipt_no == f"XF{day}-0001"


def test_receipt_number_is_the_beijing_day_and_restarts_each_day(publish):
    # 2026-12-03 16:30 UTC is 2026-12-04 00:30 in Beijing: the number carries 20261204 and starts at 0001
    late = dt.datetime(2026, 12, 3, 16, 30, tzinfo=dt.UTC)
    first = services.file_objection(
        record_id=publish(document_no="周法民〔2026〕90号").pk,
        applicant="区发改局",
        contact="13800000001",
        reason="判决已履行完毕。",
        now=late - dt.timedelta(hours=1),
    )
    second = services.file_objection(
        record_id=publish(document_no="周法民〔2026〕91号").pk,
        applicant="区发改局",
        contact="13800000002",
        reason="判决已履行完毕。",
        now=late,
    )
    assert first.receipt_no == "YY20261203-0001" and second.receipt_no == "YY20261204-0001"


def test_code_is_case_insensitive_and_tolerates_spaces(objection):
    code = objection.tracking_code
    assert services.lookup_case(code.lower(), ip="1.1.1.1") == objection
    assert services.lookup_case(" " + code.replace("-", "- ", 1) + " ", ip="1.1.1.2") == objection


def test_receipt_number_needs_the_filed_contact(objection):
    with pytest.raises(NotFound):
        services.lookup_case(objection.receipt_no, ip="2.2.2.2")
    with pytest.raises(NotFound):
        services.lookup_case(objection.receipt_no, ip="2.2.2.2", contact="13900000000")
    found = services.lookup_case(
        objection.receipt_no.lower(), ip="2.2.2.2", contact=f"+86 {objection.contact}"
    )
    assert found == objection


def test_old_long_codes_keep_working(objection):
    DisputeCase.objects.filter(pk=objection.pk).update(tracking_code="Ab" * 16, receipt_no=None)
    assert services.lookup_case("Ab" * 16, ip="3.3.3.3") == objection
    with pytest.raises(NotFound):  # old codes stay case-sensitive
        services.lookup_case("AB" * 16, ip="3.3.3.3")
    assert Client().get("/api/v1/public/cases/" + "Ab" * 16).status_code == 200


def test_api_contract_with_the_new_code(objection):
    r = Client().get(f"/api/v1/public/cases/{objection.tracking_code}")
    assert r.status_code == 200 and r.json()["kind"] == "objection" and r.json()["status"] == "received"
    assert Client().get(f"/api/v1/public/cases/{objection.receipt_no}").status_code == 404


def test_portal_lookup_by_receipt_and_contact(objection):
    c = Client()
    r = c.post("/cases/", {"code": objection.receipt_no})
    assert r.status_code == 422 and "请填写提交申请时留下的手机号码或电子邮箱" in r.content.decode()
    r = c.post("/cases/", {"code": objection.receipt_no, "contact": "13911112222"})
    assert r.status_code == 404 and "查询码无效或案件不存在" in r.content.decode()
    r = c.post("/cases/", {"code": objection.receipt_no, "contact": objection.contact})
    assert r.status_code == 200 and 'data-testid="case-status"' in r.content.decode()


def test_receipt_number_guessing_is_rate_limited(objection):
    c = Client()
    for n in range(services.LOOKUP_LIMIT):
        r = c.post("/cases/", {"code": objection.receipt_no, "contact": f"139000000{n:02d}"})
        assert r.status_code == 404, n  # each wrong guess answers like an unknown code, until the limit
    # past the limit even the right contact, and the full 查询码, are refused from this address
    r = c.post("/cases/", {"code": objection.receipt_no, "contact": objection.contact})
    assert r.status_code == 429 and "频繁" in r.content.decode()
    assert c.post("/cases/", {"code": objection.tracking_code}).status_code == 429
    assert (
        Client(REMOTE_ADDR="10.9.9.9").post("/cases/", {"code": objection.tracking_code}).status_code == 200
    )


def test_filed_page_is_a_printable_receipt_with_copy_button(record):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = Client().post(
        "/objections/new/",
        {
            "record_id": record.pk,
            "applicant": "区发改局",
            "contact": "13800000000",
            "reason": "判决已履行完毕，公示内容未反映。",
            "evidence": [SimpleUploadedFile("凭证.pdf", PDF)],
        },
    )
    body = r.content.decode()
    case = DisputeCase.objects.get()
    assert r.status_code == 200 and "受理回执" in body
    assert case.receipt_no in body and case.tracking_code in body
    assert "复制查询码" in body and "打印回执" in body and "receipt.js" in body


def test_objection_form_shows_every_error_at_once(record):
    r = Client().post(
        "/objections/new/", {"record_id": record.pk, "applicant": "", "contact": "12345", "reason": "不对"}
    )
    body = r.content.decode()
    assert r.status_code == 422
    assert "此项为必填项" in body  # applicant
    assert "请填写11位手机号码" in body  # contact format, checked with the rest
    assert "异议理由至少5个字" in body
    assert not DisputeCase.objects.exists()


def test_services_report_all_input_errors_together(record):
    from govcredit.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        services.file_objection(record_id=record.pk, applicant=" ", contact="12345", reason="短")
    assert set(caught.value.field_errors) == {"applicant", "contact", "reason"}
    with pytest.raises(ValidationFailed) as caught:
        services.file_repair(
            record_id=record.pk,
            applicant="区发改局",
            contact="bad",
            measures_taken="已整改完毕并公开致歉。",
            obligations_fulfilled=False,
            commitment_confirmed=False,
            files=[],
        )
    assert set(caught.value.field_errors) == {
        "contact",
        "obligations_fulfilled",
        "commitment_confirmed",
        "evidence",
    }
