"""依申请公开: Art 31 receipt dates, the 20-working-day clock, one extension, 补正 restart, third-party
pause, the seven Art 36 reply types, tracking by code, and overdue → finding on scan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from govcredit.duties.models import Duty, Finding, IntegrityEvent
from govcredit.openinfo.models import InfoRequest
from govcredit.records.models import CreditRecord

from .conftest import filing

pytestmark = pytest.mark.django_db
BASE = "/api/v1/info-requests"


def test_the_reply_is_due_20_working_days_after_receipt(api, clerks):
    r = api(clerks.zj).post(BASE, filing())
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["received_on"] == "2026-11-20"
    assert body["deadline"] == "2026-12-18"
    assert "20个工作日" in body["deadline_explain"]
    assert body["contact"] != "13800001234" and "*" in body["contact"]
    assert Duty.objects.get(module="openinfo").due_on == dt.date(2026, 12, 18)


def test_mail_and_online_requests_count_from_the_day_of_signature_or_confirmation(api, clerks):
    r = api(clerks.zj).post(BASE, filing(channel="registered_mail"))
    assert r.status_code == 422 and "签收或确认日期" in str(r.json())
    r = api(clerks.zj).post(BASE, filing(channel="registered_mail", received_on="2026-11-23"))
    assert r.json()["received_on"] == "2026-11-23"
    assert "签收之日" in r.json()["history"][-1]["note"]
    r = api(clerks.zj).post(BASE, filing(submitted_on="2026-11-25", received_on="2026-11-23", channel="fax"))
    assert r.status_code == 422
    assert InfoRequest.objects.count() == 1


def test_one_extension_of_at_most_20_working_days(api, clerks):
    client = api(clerks.zj)
    rid = client.post(BASE, filing()).json()["id"]
    ext = {"days": 21, "approver": "区住建局办公室主任 李某", "reason": "需要检索的档案较多"}
    assert client.post(f"{BASE}/{rid}/extend", ext).status_code == 422
    assert client.post(f"{BASE}/{rid}/extend", {**ext, "approver": ""}).status_code == 422
    r = client.post(f"{BASE}/{rid}/extend", {**ext, "days": 20})
    assert r.status_code == 200
    assert r.json()["deadline"] > "2026-12-18" and r.json()["extension_days"] == 20
    assert "延长20个工作日" in r.json()["deadline_explain"]
    r = client.post(f"{BASE}/{rid}/extend", {**ext, "days": 5})
    assert r.status_code == 409 and "不能再次延长" in r.json()["detail"]


def test_clarification_stops_the_clock_and_restarts_20_days_from_the_correction(api, clerks):
    client = api(clerks.zj)
    rid = client.post(BASE, filing()).json()["id"]
    r = client.post(f"{BASE}/{rid}/clarify", {"what": "请明确所需文件的项目名称", "on": "2026-11-25"})
    assert r.status_code == 200
    assert r.json()["status"] == "clarifying" and r.json()["deadline"] is None
    assert client.post(f"{BASE}/{rid}/reply", {"reply_type": "provided", "text": "x"}).status_code == 409
    r = client.post(f"{BASE}/{rid}/resume", {"on": "2026-12-01"})
    assert r.json()["deadline"] == "2026-12-29"
    assert client.post(f"{BASE}/{rid}/clarify", {"what": "再补", "on": "2026-12-02"}).status_code == 409


def test_a_late_clarification_notice_is_refused(api, clerks):
    client = api(clerks.zj)
    rid = client.post(BASE, filing(submitted_on="2026-11-02")).json()["id"]
    r = client.post(f"{BASE}/{rid}/clarify", {"what": "补充", "on": "2026-11-20"})
    assert r.status_code == 422 and "7个工作日内" in str(r.json())


def test_third_party_time_is_not_counted(api, clerks):
    client = api(clerks.zj)
    rid = client.post(BASE, filing()).json()["id"]
    assert client.post(f"{BASE}/{rid}/third-party", {"on": "2026-11-23"}).json()["deadline"] is None
    r = client.post(f"{BASE}/{rid}/third-party-done", {"on": "2026-11-27"})
    assert r.json()["deadline"] == "2026-12-24"
    assert "征求第三方意见暂停计算" in r.json()["deadline_explain"]


def test_the_reply_is_one_of_the_seven_types(api, clerks):
    client = api(clerks.zj)
    rid = client.post(BASE, filing()).json()["id"]
    r = client.post(f"{BASE}/{rid}/reply", {"reply_type": "maybe", "text": "答复"})
    assert r.status_code == 422 and "already_public" in str(r.json())
    r = client.post(f"{BASE}/{rid}/reply", {"reply_type": "provided", "text": "随函提供", "on": "2026-12-01"})
    assert r.status_code == 200 and r.json()["status"] == "replied"
    assert client.post(f"{BASE}/{rid}/reply", {"reply_type": "provided", "text": "x"}).status_code == 409
    assert Duty.objects.get(module="openinfo").status == "fulfilled"
    assert IntegrityEvent.objects.filter(indicator="info_request_on_time").exists()


def test_an_overdue_request_opens_a_finding_once(api, clerks):
    from govcredit.duties.scanner import scan

    rid = api(clerks.zj).post(BASE, filing(submitted_on="2026-11-02")).json()["id"]
    assert api(clerks.zj).get(f"{BASE}/{rid}").json()["deadline"] == "2026-11-30"
    assert api(clerks.zj).get(BASE, overdue="true").json()["count"] == 1
    scan(dt.date(2026, 12, 2), send=False)
    finding = Finding.objects.get(module="openinfo")
    assert finding.item == "disclosure_violation" and "逾期" in finding.facts
    assert CreditRecord.objects.get(pk=finding.record_id).status == "submitted"
    scan(dt.date(2026, 12, 2), send=False)
    assert Finding.objects.filter(module="openinfo").count() == 1


def test_scope(api, clerks):
    rid = api(clerks.zj).post(BASE, filing()).json()["id"]
    assert api(clerks.sw).get(f"{BASE}/{rid}").status_code == 404
    assert api(clerks.gov).get(f"{BASE}/{rid}").status_code == 200
    assert api(clerks.sw).post(BASE, filing()).status_code == 403
    assert api(clerks.sw).get(BASE).json()["count"] == 0


def test_online_filing_waits_for_confirmation_and_is_tracked_by_code(api, clerks):
    client = Client()
    assert client.get("/openinfo/").status_code == 200
    unit = __import__("govcredit.accounts.models", fromlist=["Organisation"]).Organisation.objects.get(
        short_name="区住建局"
    )
    r = client.post(
        "/openinfo/",
        {"unit_id": unit.pk, "applicant": "李四", "contact": "lisi@example.com", "description": "文件"},
    )
    assert r.status_code == 200 and "查询码" in r.content.decode()
    req = InfoRequest.objects.get()
    assert req.status == "awaiting_confirmation" and req.due_on is None
    track = api(None).get(f"/api/v1/public/info-requests/{req.tracking_code}").json()
    assert track["status"] == "awaiting_confirmation" and "contact" not in track
    r = api(clerks.zj).post(f"{BASE}/{req.pk}/confirm", {"received_on": req.submitted_on.isoformat()})
    assert r.status_code == 200 and r.json()["deadline"]
    page = client.get(f"/openinfo/track/?code={req.tracking_code}")
    assert page.status_code == 200 and "办理中" in page.content.decode()
    assert client.get("/openinfo/track/?code=GKNOPE").status_code == 404
    assert (
        api(None)
        .post(
            "/api/v1/public/info-requests",
            {"unit": "区住建局", "applicant": "", "contact": "1", "description": "x"},
        )
        .status_code
        == 422
    )


def test_back_office_list_and_export(clerks):
    from govcredit.openinfo import services

    c = Client()
    c.force_login(clerks.zj)
    assert c.get("/office/openinfo/").status_code == 200
    services.file_online(
        {"unit": "区住建局", "applicant": "王五", "contact": "13900001111", "description": "资料"}
    )
    r = c.get("/office/openinfo/?state=open")
    assert r.status_code == 200 and "待确认" in r.content.decode()
    r = c.get("/office/openinfo/?export=xlsx")
    assert r.status_code == 200
    req = InfoRequest.objects.get()
    assert c.get(f"/office/openinfo/{req.pk}/").status_code == 200
    other = Client()
    other.force_login(clerks.sw)
    assert other.get(f"/office/openinfo/{req.pk}/").status_code == 404
