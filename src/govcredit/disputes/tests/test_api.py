import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.test import Client

from govcredit.disputes import services
from govcredit.disputes.models import DisputeCase


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_objection_contract(record):
    c = Client()
    r = post(
        c,
        "/api/v1/public/objections",
        {
            "record_id": record.pk,
            "reason": "判决已履行完毕，记录有误。",
            "applicant": "张三",
            "contact": "13800000000",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) >= {"tracking_code", "deadline"}
    dt.date.fromisoformat(body["deadline"])
    r = c.get(f"/api/v1/public/cases/{body['tracking_code']}")
    assert r.status_code == 200
    case = r.json()
    assert case["kind"] == "objection" and case["status"] == "received"
    assert case["deadline"] == body["deadline"]
    assert case["history"][0]["action"] == "filed"


def test_objection_errors(record):
    c = Client()
    r = post(
        c,
        "/api/v1/public/objections",
        {"record_id": 999999, "reason": "记录有误请核查。", "applicant": "张三", "contact": "13800000000"},
    )
    assert r.status_code == 404 and "不再公示" in r.json()["detail"]
    r = post(
        c,
        "/api/v1/public/objections",
        {"record_id": "1", "reason": "x", "applicant": "张三", "contact": "13800000000"},
    )
    assert r.status_code == 422  # strict int
    r = post(
        c,
        "/api/v1/public/objections",
        {"record_id": record.pk, "reason": "记录有误请核查。", "applicant": "张三", "contact": "bad"},
    )
    assert r.status_code == 422 and "contact" in r.json()["detail"]["fields"]
    ok = {"record_id": record.pk, "reason": "记录有误请核查。", "applicant": "张三", "contact": "13800000000"}
    assert post(c, "/api/v1/public/objections", ok).status_code == 201
    r = post(c, "/api/v1/public/objections", ok)
    assert r.status_code == 409 and "重复" in r.json()["detail"]
    assert DisputeCase.objects.count() == 1


def test_repair_contract(record):
    r = post(
        Client(),
        "/api/v1/public/repairs",
        {
            "record_id": record.pk,
            "measures_taken": "已全额支付并公开致歉。",
            "applicant": "区发改局",
            "contact": "a@example.com",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["tracking_code"] and body["deadline"] and "信用承诺书" in body["commitment_text"]
    case = Client().get(f"/api/v1/public/cases/{body['tracking_code']}").json()
    assert case["kind"] == "repair"


def test_repair_not_yet_eligible_gives_iso_date(publish):
    record = publish(decided_on=dt.date(2026, 10, 1))
    r = post(
        Client(),
        "/api/v1/public/repairs",
        {
            "record_id": record.pk,
            "measures_taken": "已全额支付并公开致歉。",
            "applicant": "区发改局",
            "contact": "a@example.com",
        },
    )
    assert r.status_code == 422
    body = r.json()
    assert "2027-01-01" in body["detail"] and "最短公示期" in body["detail"]
    assert body["earliest_date"] == "2027-01-01"


def test_unknown_and_guessed_codes_same_answer(objection):
    c = Client()
    a = c.get("/api/v1/public/cases/" + "A" * 32)
    b = c.get("/api/v1/public/cases/x")
    assert a.status_code == b.status_code == 404
    assert a.json() == b.json()


def test_lookup_rate_limited(objection):
    c = Client()
    for _ in range(services.LOOKUP_LIMIT):
        assert c.get("/api/v1/public/cases/" + "B" * 32).status_code == 404
    r = c.get(f"/api/v1/public/cases/{objection.tracking_code}")
    assert r.status_code == 429 and "频繁" in r.json()["detail"]
    # another address is not affected
    r = c.get(f"/api/v1/public/cases/{objection.tracking_code}", REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 200


def test_staff_list_scoped(objection, personas):
    from govcredit.accounts.services import create_token

    _t, court = create_token(personas.court, name="t")
    _t, hr = create_token(personas.hr, name="t")
    r = Client().get("/api/v1/disputes/cases", HTTP_AUTHORIZATION=f"Bearer {court}")
    assert r.status_code == 200 and r.json()["count"] == 1
    r = Client().get("/api/v1/disputes/cases", HTTP_AUTHORIZATION=f"Bearer {hr}")
    assert r.json()["count"] == 0
    assert Client().get("/api/v1/disputes/cases").status_code == 401
    assert (
        Client().get("/api/v1/disputes/cases?page=0", HTTP_AUTHORIZATION=f"Bearer {court}").status_code == 422
    )
