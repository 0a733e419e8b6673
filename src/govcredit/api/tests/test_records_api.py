"""Records API: upsert by natural key, 409, batch, paging, 401/403/422, scoping."""

from __future__ import annotations

import pytest

from govcredit.records.models import CreditRecord, Status

pytestmark = pytest.mark.django_db

RECORDS = "/api/v1/records"


def test_it_needs_a_token(api):
    response = api(None).get(RECORDS)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
    bad = api(None)
    bad.headers = {"HTTP_AUTHORIZATION": "Bearer nonsense"}
    assert bad.post(RECORDS, {}).status_code == 401


def test_upsert_creates_then_answers_200_with_the_same_id(personas, api, api_record):
    court = api(personas.court)
    first = court.post(RECORDS, api_record())
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "draft"
    again = court.post(RECORDS, api_record())
    assert again.status_code == 200
    assert again.json() == body
    record = CreditRecord.objects.get(pk=body["id"])
    assert record.version == 1  # identical content changed nothing

    changed = court.post(RECORDS, api_record(facts="拖欠工程款，经催告仍未履行。"))
    assert changed.status_code == 200 and changed.json()["id"] == body["id"]
    record.refresh_from_db()
    assert record.facts == "拖欠工程款，经催告仍未履行。" and record.version == 2


def test_changed_content_of_a_submitted_record_is_409(personas, api, api_record):
    court = api(personas.court)
    created = court.post(RECORDS, {**api_record(), "submit": True}).json()
    assert created["status"] == "submitted"
    response = court.post(RECORDS, api_record(facts="另一事实"))
    assert response.status_code == 409
    assert "不能直接修改" in response.json()["detail"]
    assert court.post(RECORDS, api_record()).status_code == 200  # identical: fine


def test_invalid_fields_are_422_with_chinese_messages_per_field(personas, api, api_record):
    response = api(personas.court).post(RECORDS, api_record(uscc="123", severity="很重", facts=""))
    assert response.status_code == 422
    fields = response.json()["detail"]["fields"]
    assert set(fields) >= {"uscc", "severity", "facts"}
    assert "严重程度" in fields["severity"][0]


def test_wrong_types_are_rejected(personas, api, api_record):
    response = api(personas.court).post(RECORDS, {**api_record(), "facts": 12})
    assert response.status_code == 422


def test_a_user_who_is_not_a_clerk_may_not_submit(personas, api, api_record):
    response = api(personas.dept).post(RECORDS, api_record())
    assert response.status_code == 403
    assert api(personas.outsider).post(RECORDS, api_record()).status_code == 403


def test_source_unit_must_be_ones_own(personas, api, api_record):
    response = api(personas.court).post(RECORDS, {**api_record(), "source_unit": "区人社局"})
    assert response.status_code == 403
    response = api(personas.court).post(RECORDS, {**api_record(), "source_unit": "不存在的单位"})
    assert response.status_code == 422
    assert "source_unit" in response.json()["detail"]["fields"]


def test_several_units_need_source_unit(personas, api, api_record):
    from govcredit.accounts.models import Membership, Role

    Membership.objects.create(user=personas.court, organisation=personas.unit("区财政局"), role=Role.CLERK)
    court = api(personas.court)
    response = court.post(RECORDS, api_record())
    assert response.status_code == 422
    assert "source_unit" in response.json()["detail"]["fields"]
    response = court.post(RECORDS, {**api_record(), "source_unit": "区法院"})
    assert response.status_code == 201


def test_submit_approve_reject_revoke(personas, api, api_record):
    court, reviewer = api(personas.court), api(personas.reviewer)
    first = court.post(RECORDS, api_record()).json()
    assert court.post(f"{RECORDS}/{first['id']}/submit").json() == {"id": first["id"], "status": "submitted"}
    assert court.post(f"{RECORDS}/{first['id']}/submit").status_code == 409
    assert court.post(f"{RECORDS}/{first['id']}/approve").status_code == 403  # not a reviewer
    approved = reviewer.post(f"{RECORDS}/{first['id']}/approve", {"note": "材料齐全"})
    assert approved.status_code == 200 and approved.json()["status"] == "published"
    assert court.post(f"{RECORDS}/{first['id']}/revoke", {"reason": ""}).status_code == 422
    revoked = court.post(f"{RECORDS}/{first['id']}/revoke", {"reason": "判决已被撤销"})
    assert revoked.json()["status"] == "revoked"

    second = court.post(RECORDS, {**api_record(document_no="周法民〔2026〕2号"), "submit": True}).json()
    assert reviewer.post(f"{RECORDS}/{second['id']}/reject", {}).status_code == 422
    rejected = reviewer.post(f"{RECORDS}/{second['id']}/reject", {"reason": "证据不足"})
    assert rejected.json()["status"] == "rejected"


def test_unknown_and_out_of_scope_records_are_404(personas, api, api_record):
    created = api(personas.court).post(RECORDS, api_record()).json()
    assert api(personas.hr).post(f"{RECORDS}/{created['id']}/submit").status_code == 404
    assert api(personas.court).post(f"{RECORDS}/999999/submit").status_code == 404
    assert api(personas.court).post(f"{RECORDS}/{2**70}/submit").status_code == 404


def test_list_is_scoped_paged_and_filtered(personas, api, api_record):
    court, hr = api(personas.court), api(personas.hr)
    for n in range(1, 24):
        assert court.post(RECORDS, api_record(document_no=f"周法民〔2026〕{n}号")).status_code == 201
    made = hr.post(
        RECORDS,
        api_record(item="commendation", document_no="周人社〔2026〕1号", decided_by="周村区人社局"),
    )
    assert made.status_code == 201, made.content
    page1 = court.get(RECORDS).json()
    assert page1["count"] == 23 and len(page1["items"]) == 20
    assert {i["source_unit"] for i in page1["items"]} == {"周村区人民法院"}
    page2 = court.get(RECORDS, page=2).json()
    assert len(page2["items"]) == 3
    assert court.get(RECORDS, page=9).json() == {"count": 23, "items": []}
    assert court.get(RECORDS, page=0).status_code == 422
    assert court.get(RECORDS, status="published").json()["count"] == 0
    assert court.get(RECORDS, status="bogus").status_code == 422
    assert court.get(RECORDS, status="draft").json()["count"] == 23
    # a clerk never sees another unit's records
    hr_list = hr.get(RECORDS).json()
    assert hr_list["count"] == 1 and hr_list["items"][0]["document_no"] == "周人社〔2026〕1号"
    # reviewers see everything
    assert api(personas.reviewer).get(RECORDS).json()["count"] == 24


def test_batch_accepts_and_rejects_per_item(personas, api, api_record):
    records = [api_record(document_no=f"周法民〔2026〕{n}号") for n in range(1, 6)]
    records.append(api_record(document_no="周法民〔2026〕1号"))  # duplicate within the batch
    records.append(api_record(document_no="周法民〔2026〕7号", uscc="91370306MA3C5YXX1Y"))
    response = api(personas.court).post(f"{RECORDS}/batch", {"records": records})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["accepted"] == 5 and body["rejected"] == 2
    results = body["results"]
    assert [r["index"] for r in results] == list(range(7))
    assert all(r["status"] == "accepted" and r["record_status"] == "submitted" for r in results[:5])
    assert results[5]["status"] == "rejected" and "重复" in results[5]["errors"]["document_no"][0]
    assert "id" not in results[6] and "uscc" in results[6]["errors"]
    assert CreditRecord.objects.filter(status=Status.SUBMITTED).count() == 5
    # the same batch again changes nothing
    again = api(personas.court).post(f"{RECORDS}/batch", {"records": records}).json()
    assert [r.get("outcome") for r in again["results"][:5]] == ["unchanged"] * 5
    assert [r["id"] for r in again["results"][:5]] == [r["id"] for r in results[:5]]


def test_batch_refuses_changed_submitted_records_per_item(personas, api, api_record):
    court = api(personas.court)
    court.post(f"{RECORDS}/batch", {"records": [api_record()], "submit": True})
    body = court.post(f"{RECORDS}/batch", {"records": [api_record(facts="改过的事实")]}).json()
    assert body["results"][0]["status"] == "rejected"
    assert "不能直接修改" in body["results"][0]["errors"]["document_no"][0]


def test_batch_limit(personas, api, api_record):
    response = api(personas.court).post(f"{RECORDS}/batch", {"records": [{}] * 10_001})
    assert response.status_code == 422


def test_catalog_items(personas, api):
    body = api(personas.court).get("/api/v1/catalog/items").json()
    codes = {i["code"]: i for i in body["items"]}
    assert "court_judgment" in codes
    item = codes["court_judgment"]
    assert set(item) >= {
        "code",
        "name",
        "negative",
        "subject_kinds",
        "severities",
        "disclosure",
        "source_units",
        "repairable",
        "display_periods",
    }
    assert "周村区人民法院" in item["source_units"]


def test_subject_search(personas, api):
    court = api(personas.court)
    body = court.get("/api/v1/subjects", q="发展和改革").json()
    assert any(i["name"] == "周村区发展和改革局" for i in body["items"])
    assert court.get("/api/v1/subjects", page=0).status_code == 422
    assert api(personas.outsider).get("/api/v1/subjects").status_code == 403


def test_unstorable_characters_are_422_not_500(personas, api, api_record):
    court = api(personas.court)
    response = court.post(RECORDS, api_record(facts="事实\x00"))
    assert response.status_code == 422 and "facts" in response.json()["detail"]["fields"]
    assert court.post(RECORDS, {**api_record(), "source_unit": "区\x00法院"}).status_code == 422
    body = court.post(f"{RECORDS}/batch", {"records": [api_record(facts="\ud800")]}).json()
    assert body["results"][0]["status"] == "rejected"
