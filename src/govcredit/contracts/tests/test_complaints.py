"""Enterprises' non-payment complaints: Art 25 clocks, tracking, the respondent never sees the contact."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from govcredit.contracts.models import ArrearsCase
from govcredit.duties.clock import due_date

from .conftest import SUPPLIER_USCC

pytestmark = pytest.mark.django_db


def complaint(**overrides):
    body = {
        "complainant_uscc": SUPPLIER_USCC,
        "contact_name": "王经理",
        "contact": "13905330001",
        "respondent": "区住建局",
        "amount": "86000",
        "due_on": "2026-05-01",
        "description": "智慧工地平台已于2026年3月验收，合同约定验收后30日付款，至今未付。",
    }
    body.update(overrides)
    return body


def post(body):
    return Client().post(
        "/api/v1/public/arrears-complaints", json.dumps(body), content_type="application/json"
    )


def test_a_complaint_gets_its_art25_deadlines(personas, supplier, today):
    response = post(complaint())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["forward_by"] == due_date(today, mode="working", n=10).due.isoformat()
    assert body["decide_by"] == due_date(today, mode="calendar", n=30).due.isoformat()
    status = Client().get(f"/api/v1/public/arrears-complaints/{body['tracking_code']}").json()
    assert status["status"] == "received" and "contact" not in json.dumps(status)


def test_bad_complaints_are_refused(personas, supplier):
    response = post(complaint(contact="电话", respondent="不存在的局", amount="-1"))
    assert response.status_code == 422
    fields = response.json()["detail"]["fields"]
    assert {"contact", "respondent", "amount"} <= set(fields)


def test_the_respondent_sees_the_facts_never_the_contact(personas, api, supplier):
    from govcredit.accounts.models import Role
    from govcredit.accounts.services import create_user

    code = post(complaint()).json()["tracking_code"]
    finance = api(personas.finance)
    listed = finance.get("/api/v1/arrears/complaints").json()
    item = listed["items"][0]
    assert item["contact_masked"] == "139****0001" and "13905330001" not in json.dumps(listed)
    assert finance.post(f"/api/v1/arrears/complaints/{item['id']}/forward").status_code == 200

    clerk = create_user("zjj", "pw-zjj-12345", memberships=[(personas.unit("区住建局"), Role.CLERK, False)])
    seen = api(clerk).get("/api/v1/arrears/complaints").json()
    assert seen["count"] == 1 and seen["items"][0]["description"].startswith("智慧工地")
    assert seen["items"][0]["contact_name"] is None and seen["items"][0]["contact_masked"] is None
    assert (
        api(clerk)
        .post(f"/api/v1/arrears/complaints/{item['id']}/decide", {"outcome": "substantiated", "note": "x"})
        .status_code
        == 403
    )

    decided = finance.post(
        f"/api/v1/arrears/complaints/{item['id']}/decide",
        {"outcome": "substantiated", "note": "经核实，款项逾期未付。"},
    ).json()
    assert decided["status"] == "decided" and decided["arrears_case"]
    case = ArrearsCase.objects.get(source="complaint")
    assert case.amount == 86000 and case.debtor_unit.short_name == "区住建局"
    assert Client().get(f"/api/v1/public/arrears-complaints/{code}").json()["outcome"] == "substantiated"


def test_the_portal_form_files_a_complaint(personas, supplier):
    form = complaint()
    page = Client().post("/arrears-complaints/new/", {**form, "contact": "x"}).content.decode()
    assert "请填写11位手机号码" in page
    page = Client().post("/arrears-complaints/new/", form).content.decode()
    assert "查询码" in page
    from govcredit.contracts.models import ArrearsComplaint

    code = ArrearsComplaint.objects.get().tracking_code
    status = Client().get(f"/arrears-complaints/{code}/").content.decode()
    assert "已收到" in status and "13905330001" not in status
    assert Client().get("/arrears-complaints/QTNOPE/").status_code == 404
