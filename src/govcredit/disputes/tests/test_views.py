import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from govcredit.disputes import services
from govcredit.disputes.models import CaseStatus, DisputeCase, Outcome
from govcredit.records.models import Status

from .conftest import PDF


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_portal_objection_form_files_case(record):
    c = Client()
    r = c.get(f"/objections/new/?record={record.pk}")
    assert r.status_code == 200 and record.document_no in r.content.decode()
    r = c.post(
        "/objections/new/",
        {
            "record_id": record.pk,
            "applicant": "张三",
            "contact": "13800000000",
            "reason": "判决已履行完毕，记录有误。",
            "evidence": [SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert r.status_code == 200, r.content.decode()[:2000]
    case = DisputeCase.objects.get()
    assert case.tracking_code in r.content.decode()
    assert case.evidence.count() == 1


def test_portal_objection_errors_at_fields(record):
    c = Client()
    r = c.post(
        "/objections/new/",
        {
            "record_id": record.pk,
            "applicant": "张三",
            "contact": "13800000000",
            "reason": "判决已履行完毕，记录有误。",
            "evidence": [SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")],
        },
    )
    assert r.status_code == 422
    assert "类型不支持" in r.content.decode()
    r = c.post("/objections/new/", {"record_id": 99999, "applicant": "张三", "contact": "138", "reason": ""})
    body = r.content.decode()
    assert r.status_code == 422 and "此项为必填项" in body
    assert not DisputeCase.objects.exists()


def test_portal_repair_shows_eligibility_and_commitment(record, publish):
    import datetime as dt

    c = Client()
    r = c.get(f"/repairs/new/?record={record.pk}")
    body = r.content.decode()
    assert "符合申请条件" in body and "信用承诺书" in body and record.document_no in body
    early = publish(document_no="周法民〔2026〕7号", decided_on=dt.date(2026, 10, 1))
    r = c.get(f"/repairs/new/?record={early.pk}")
    assert "2027-01-01" in r.content.decode()
    r = c.post(
        "/repairs/new/",
        {
            "record_id": early.pk,
            "applicant": "区发改局",
            "contact": "a@example.com",
            "measures_taken": "已全额支付并公开致歉。",
            "obligations_fulfilled": "on",
            "commitment_confirmed": "on",
            "evidence": [SimpleUploadedFile("凭证.pdf", PDF)],
        },
    )
    assert r.status_code == 422 and "最早可于 2027-01-01" in r.content.decode()


def test_portal_lookup_and_answer(objection, personas):
    services.return_case(objection, access=personas.access(personas.office), request="请补充银行回单。")
    c = Client()
    r = c.post("/cases/", {"code": "x" * 32})
    assert r.status_code == 404 and "查询码无效" in r.content.decode()
    r = c.post("/cases/", {"code": objection.tracking_code})
    body = r.content.decode()
    assert r.status_code == 200 and "退回补正" in body and "请补充银行回单" in body
    r = c.post("/cases/answer/", {"code": objection.tracking_code, "answer": "已补充回单。"})
    assert r.status_code == 200 and "计时已恢复" in r.content.decode()
    objection.refresh_from_db()
    assert objection.status == CaseStatus.RECEIVED


def test_office_pages(objection, personas):
    c = Client()
    c.force_login(personas.court)
    r = c.get("/office/disputes/")
    assert r.status_code == 200 and objection.record.document_no in r.content.decode()
    assert c.get("/office/disputes/?due=overdue&kind=objection").status_code == 200
    r = c.get(f"/office/disputes/{objection.pk}/")
    assert r.status_code == 200 and "计算过程" in r.content.decode()
    r = c.post(f"/office/disputes/{objection.pk}/accept/", {"note": "材料齐全"})
    assert r.status_code == 302
    r = c.post(f"/office/disputes/{objection.pk}/decide/", {"outcome": "corrected", "reason": "更正。"})
    assert r.status_code == 422 and "至少填写一项" in r.content.decode()
    r = c.post(f"/office/disputes/{objection.pk}/decide/", {"outcome": "upheld", "reason": "原记录准确。"})
    assert r.status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == Outcome.UPHELD
    objection.record.refresh_from_db()
    assert objection.record.status == Status.PUBLISHED


def test_office_decision_by_outsider_is_403(objection, personas):
    services.accept_case(objection, access=personas.access(personas.office))
    c = Client()
    c.force_login(personas.hr)
    assert c.get(f"/office/disputes/{objection.pk}/").status_code == 404  # out of scope
    c.force_login(personas.dept)  # the recorded unit's user sees its case but may not decide
    assert c.get(f"/office/disputes/{objection.pk}/").status_code == 200
    r = c.post(f"/office/disputes/{objection.pk}/decide/", {"outcome": "revoked", "reason": "自己撤销。"})
    assert r.status_code == 403 and "无权" in r.content.decode()
    objection.refresh_from_db()
    assert objection.status == CaseStatus.ACCEPTED


def test_office_filing_and_stats_export(record, personas):
    c = Client()
    c.force_login(personas.office)
    r = c.post(
        "/office/disputes/new/",
        {
            "kind": "objection",
            "record_id": record.pk,
            "applicant": "张三",
            "contact": "13800000000",
            "reason": "记录有误请核查。",
        },
    )
    assert r.status_code == 302
    case = DisputeCase.objects.get()
    services.refuse_case(case, access=personas.access(personas.office), reason="与记录无关。")
    r = c.get("/office/disputes/stats/")
    assert r.status_code == 200 and "按报送单位" in r.content.decode()
    charts = {ch.key: ch for ch in r.context["charts"]}
    assert set(charts) == {"disputes-month", "disputes-kind", "disputes-unit", "disputes-on-time"}
    assert sum(charts["disputes-month"].series[0].values) == 1
    assert charts["disputes-kind"].labels == ["异议"] and charts["disputes-on-time"].series[0].values[-1] == 1
    assert "chart.umd.min.js" in r.content.decode()
    r = c.get("/office/disputes/stats/?format=xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:3] == ["按类型", "按报送单位", "按办理结果"]
    assert wb["按办理结果"]["A2"].value == "不予受理"
    r = c.get("/office/disputes/?format=xlsx&kind=objection")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 2 and ws["D2"].value == record.document_no


def test_office_requires_login():
    r = Client().get("/office/disputes/")
    assert r.status_code == 302 and "/office/login/" in r["Location"]


def test_case_export_never_writes_formulas(record, personas):
    services.file_objection(
        record_id=record.pk, applicant="=HYPERLINK(1)", contact="13800000000", reason="内容有误，请核查。"
    )
    c = Client()
    c.force_login(personas.office)
    ws = load_workbook(io.BytesIO(c.get("/office/disputes/?format=xlsx").content)).active
    assert ws["F2"].value == "'=HYPERLINK(1)"
    assert ws["F2"].data_type == "s"
