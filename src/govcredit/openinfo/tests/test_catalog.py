"""The disclosure catalog per unit (versioned) and proactive items late after 20 working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from freezegun import freeze_time

from govcredit.duties.models import DisclosureEntry, IntegrityEvent
from govcredit.openinfo.models import CatalogEntry

pytestmark = pytest.mark.django_db

ENTRY = {
    "unit": "区住建局",
    "code": "ZJ-01",
    "level1": "城市建设",
    "level2": "老旧小区改造",
    "content": "改造计划、资金安排、实施进度",
    "basis": "《政府信息公开条例》第二十条",
}


def test_a_catalog_entry_is_revised_into_a_new_version(api, clerks):
    client = api(clerks.zj)
    r = client.post("/api/v1/info-catalog", ENTRY)
    assert r.status_code == 201, r.json()
    eid = r.json()["id"]
    assert client.post("/api/v1/info-catalog", ENTRY).status_code == 422
    assert client.post(f"/api/v1/info-catalog/{eid}/revise", {"content": "新增"}).status_code == 422
    r = client.post(
        f"/api/v1/info-catalog/{eid}/revise",
        {"content": "改造计划、资金安排、实施进度、竣工验收", "change_reason": "增加验收要素"},
    )
    assert r.status_code == 201 and r.json()["version"] == 2
    assert (
        client.post(f"/api/v1/info-catalog/{eid}/revise", {"content": "x", "change_reason": "y"}).status_code
        == 409
    )
    assert CatalogEntry.objects.filter(code="ZJ-01").count() == 2
    public = api(None).get("/api/v1/public/info-catalog", unit="区住建局").json()
    assert public["count"] == 1 and public["items"][0]["version"] == 2
    assert api(None).get("/api/v1/public/info-catalog", all_versions="true").json()["count"] == 2
    assert DisclosureEntry.objects.filter(
        object_type="openinfo.catalogentry", event="correct", version=2
    ).exists()
    assert api(clerks.sw).post("/api/v1/info-catalog", {**ENTRY, "code": "ZJ-02"}).status_code == 403


@freeze_time("2026-12-03 04:00:00")  # 12:00 in Shanghai: the count below depends on today
def test_an_item_not_published_20_working_days_after_generation_is_late(api, clerks):
    from govcredit.duties.scanner import scan

    client = api(clerks.zj)
    r = client.post(
        "/api/v1/info-items",
        {
            "unit": "区住建局",
            "index_no": "370306-ZJ-2026-0001",
            "name": "2026年改造计划",
            "summary": "42个小区",
            "generated_on": "2026-11-02",
        },
    )
    assert r.status_code == 201, r.json()
    item = r.json()
    assert item["due_on"] == "2026-11-30"
    assert item["late"] is True and item["late_working_days"] == 3  # 12-01, 12-02, 12-03
    assert "第二十六条" in item["explain"] and "已超过期限3个工作日" in item["explain"]
    assert client.get("/api/v1/info-items", late="true").json()["count"] == 1
    scan(dt.date(2026, 12, 2), send=False)
    assert IntegrityEvent.objects.filter(indicator="proactive_item_unpublished").count() == 1
    r = client.post(f"/api/v1/info-items/{item['id']}/publish", {"published_on": "2026-10-01"})
    assert r.status_code == 422
    r = client.post(
        f"/api/v1/info-items/{item['id']}/publish",
        {"published_on": "2026-12-01", "url": "https://www.zhoucun.gov.cn/x"},
    )
    assert r.status_code == 200 and r.json()["late_working_days"] == 1
    assert IntegrityEvent.objects.filter(indicator="proactive_item_late").exists()
    assert api(None).get("/api/v1/public/info-items").json()["count"] == 1


def test_back_office_pages(api, clerks):
    api(clerks.zj).post("/api/v1/info-catalog", ENTRY)
    c = Client()
    c.force_login(clerks.zj)
    assert "老旧小区改造" in c.get("/office/openinfo/catalog/").content.decode()
    assert c.get("/office/openinfo/catalog/?export=xlsx").status_code == 200
    assert c.get("/office/openinfo/items/?late=1").status_code == 200
    assert c.get("/office/openinfo/items/?export=xlsx").status_code == 200


def test_the_annual_report_counts_requests_and_items(api, clerks, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from openpyxl import load_workbook

    from .conftest import filing

    client = api(clerks.zj)
    rid = client.post("/api/v1/info-requests", filing()).json()["id"]
    client.post(
        f"/api/v1/info-requests/{rid}/reply",
        {"reply_type": "not_exist", "text": "经检索不存在", "on": "2026-12-01"},
    )
    client.post("/api/v1/info-requests", filing(submitted_on="2026-11-02"))
    client.post(
        "/api/v1/info-items",
        {"unit": "区住建局", "index_no": "I-1", "name": "计划", "summary": "s", "generated_on": "2026-11-02"},
    )
    out, target = StringIO(), tmp_path / "r.xlsx"
    call_command(
        "disclosure",
        "annual-report",
        "--unit",
        "区住建局",
        "--year",
        "2026",
        "--out",
        str(target),
        stdout=out,
    )
    text = out.getvalue()
    assert "本年新收申请（件）：2" in text and "经检索，该政府信息不存在（件）：1" in text
    assert "结转下年度继续办理（件）：1" in text and "年末逾期仍未公开（条）：1" in text
    ws = load_workbook(target).active
    assert ws.cell(1, 1).value == "部分" and ws.max_row > 20
