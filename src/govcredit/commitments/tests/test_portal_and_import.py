"""承诺公示 on the portal, the public API's paging, evidence files, and the XLSX target-table import."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from govcredit.commitments import services
from govcredit.commitments.importer import import_targets
from govcredit.commitments.models import Commitment
from govcredit.duties.models import IntegrityEvent
from govcredit.subjects.models import Subject

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def live(personas, commitment_data):
    hr, office = personas.access(personas.hr), personas.access(personas.office)
    c = services.create_commitment(commitment_data(areas=["就业"]), access=hr)
    services.publish(c, access=office)
    services.submit_report(
        c,
        {
            "period": "2026Q1",
            "value": "1200",
            "narrative": "一季度新增就业1200人。",
            "evidence_name": "q1.png",
        },
        access=hr,
        evidence=PNG,
    )
    services.change_target(
        c,
        {
            "target": "4300",
            "change_reason": "经区政府常务会议研究调整",
            "approving_document": "周政字〔2026〕45号",
        },
        access=office,
    )
    services.create_commitment(commitment_data(title="草稿不公开"), access=hr)
    return Commitment.objects.get(pk=c.pk)


def test_portal_list_and_detail(live):
    client = Client()
    r = client.get("/commitments/")
    page = r.content.decode()
    assert r.status_code == 200
    assert live.title in page and "草稿不公开" not in page
    assert "<del>不低于4,500人</del>" in page and "不低于4,300人" in page and "已逾期" in page
    assert '<progress max="100" value="' in page
    assert client.get("/commitments/", {"area": "就业"}).content.decode().count("record-card") == 1
    assert "record-card" not in client.get("/commitments/", {"area": "养老"}).content.decode()
    assert "未找到该承诺主体" in client.get("/commitments/", {"subject": "不存在的单位"}).content.decode()
    r = client.get(f"/commitments/{live.code}/")
    page = r.content.decode()
    assert r.status_code == 200
    assert "一季度新增就业1200人" in page and "周政字〔2026〕45号" in page and "下次报告期限" in page
    report = live.reports.get()
    assert f"/commitments/{live.code}/evidence/{report.pk}/" in page
    r = client.get(f"/commitments/{live.code}/evidence/{report.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PNG
    live.reports.update(evidence_public=False)
    assert client.get(f"/commitments/{live.code}/evidence/{report.pk}/").status_code == 404
    assert client.get("/commitments/CMT-NOPE/").status_code == 404


def test_public_api_paged_by_subject(live, api):
    uscc = Subject.objects.get(name="周村区人力资源和社会保障局").uscc
    body = api(None).get("/api/v1/public/commitments", subject=uscc).json()
    assert body["count"] == 1 and len(body["items"]) == 1
    item = body["items"][0]
    assert item["progress"] == 0 and item["reports"][0]["period"] == "2026Q1"  # (1200-4200)/(4300-4200) < 0
    assert item["changes"][0]["old_target_text"] == "不低于4,500人"
    assert api(None).get("/api/v1/public/commitments", subject=uscc, page=2).json() == {
        "count": 1,
        "items": [],
    }
    assert api(None).get("/api/v1/public/commitments", subject="不存在").status_code == 404
    assert api(None).get("/api/v1/public/commitments", area="就业").json()["count"] == 1


def test_report_integrity_event_on_time(live):
    # the Q1 report was due 2026-04-10 (quarter end + 10 days) and sent later: a late-report event (−)
    # whose value is the days late
    events = IntegrityEvent.objects.filter(module="commitments", key="2026Q1")
    assert events.count() == 1 and events.get().indicator in (
        "commitment_report_on_time",
        "commitment_report_late",
    )


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEAD = [
    "承诺事项",
    "承诺主体",
    "责任单位",
    "指标类型",
    "计量单位",
    "基期值",
    "目标值",
    "起始日期",
    "承诺期限",
    "报告频次",
]


def test_import_reports_problems_by_row_and_column_and_writes_nothing(personas):
    data = _xlsx(
        [
            HEAD,
            [
                "城镇新增就业4500人以上",
                "周村区人民政府",
                "区人社局",
                "数量",
                "人",
                4200,
                4500,
                "2026-01-01",
                "2026-12-31",
                "每半年",
            ],
            ["不存在主体的目标", "火星区政府", "", "数量", "", 1, 2, "2026-01-01", "2026-12-31", ""],
            [
                "目标不是数字",
                "周村区人民政府",
                "区人社局",
                "百分比",
                "",
                "",
                "九成",
                "2026-01-01",
                "2025-12-31",
                "",
            ],
        ]
    )
    office = personas.access(personas.office)
    result = import_targets(
        data, access=office, defaults={"kind": "development_target", "source_type": "work_report"}
    )
    found = {(p.row, p.column) for p in result.problems}
    assert (3, "承诺主体") in found and (4, "目标值") in found and (4, "承诺期限") in found
    assert Commitment.objects.count() == 0
    # the same file without the bad rows imports as drafts
    good = _xlsx(
        [
            HEAD,
            [
                "城镇新增就业4500人以上",
                "周村区人民政府",
                "区人社局",
                "数量",
                "人",
                4200,
                4500,
                "2026-01-01",
                "2026-12-31",
                "每半年",
            ],
        ]
    )
    result = import_targets(
        good,
        access=office,
        defaults={
            "kind": "development_target",
            "source_type": "work_report",
            "source_document": "2026年周村区政府工作报告",
        },
    )
    assert not result.problems and result.created == 1
    c = Commitment.objects.get()
    assert (
        c.status == "draft" and c.source_document == "2026年周村区政府工作报告" and c.cadence == "half_yearly"
    )


def test_import_page_missing_columns_and_problem_csv(personas):
    client = Client()
    client.force_login(personas.office)
    r = client.post(
        "/office/commitments/import/",
        {"file": SimpleUploadedFile("t.xlsx", _xlsx([["承诺事项"], ["x"]]))},
    )
    page = r.content.decode()
    assert "缺少该列" in page and "承诺主体" in page and Commitment.objects.count() == 0
    r = client.post(
        "/office/commitments/import/",
        {"file": SimpleUploadedFile("t.xlsx", b"not a workbook"), "report": "csv"},
    )
    assert r.content.decode("utf-8-sig").splitlines()[0] == "行号,列,原因,原值"
    assert client.get("/office/commitments/import/", {"template": "xlsx"}).status_code == 200
    assert Client().get("/office/commitments/import/").status_code in (302, 403)
