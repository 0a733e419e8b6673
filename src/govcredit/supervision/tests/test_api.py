"""The supervision API: public filing and tracking, the staff chain, motions, typical cases, statistics."""

from __future__ import annotations

import pytest

from govcredit.duties.clock import due_date
from govcredit.supervision.models import Complaint

BODY = {
    "kind": "complaint",
    "category": "integrity",
    "respondent": "区住建局",
    "content": "区住建局承诺三十个工作日内办结加装电梯审批，至今已逾期两个月。",
    "name": "张三明",
    "contact": "13800001234",
}


@pytest.mark.django_db
class TestPublicComplaints:
    def test_filing_answers_the_code_and_five_working_days(self, api, personas):
        from django.utils import timezone

        r = api(None).post("/api/v1/public/complaints", BODY)
        assert r.status_code == 201, r.content
        body = r.json()
        assert set(body) == {"tracking_code", "deadline"}
        assert body["deadline"] == due_date(timezone.localdate(), mode="working", n=5).due.isoformat()
        r = api(None).get(f"/api/v1/public/complaints/{body['tracking_code']}")
        assert r.status_code == 200 and r.json()["status"] == "received"

    def test_an_anonymous_report(self, api, personas):
        body = {**BODY, "kind": "report", "anonymous": True, "name": "", "contact": ""}
        assert api(None).post("/api/v1/public/complaints", body).status_code == 201

    @pytest.mark.parametrize(
        "change",
        [
            {"content": ""},
            {"content": "a\x00bcdefghijkl"},
            {"anonymous": "yes"},
            {"kind": "x"},
            {"contact": ""},
        ],
    )
    def test_bad_input_is_a_chinese_4xx_and_nothing_saved(self, api, personas, change):
        r = api(None).post("/api/v1/public/complaints", {**BODY, **change})
        assert r.status_code in (400, 422) and r["Content-Type"].startswith("application/json")
        assert Complaint.objects.count() == 0

    @pytest.mark.parametrize("code", ["TSAAAAAAAAAAAA", "nope", "%E4%B8%AD"])
    def test_a_guessed_code_is_404_json(self, api, personas, code):
        r = api(None).get(f"/api/v1/public/complaints/{code}")
        assert r.status_code == 404 and "查询码" in r.json()["detail"]


@pytest.mark.django_db
class TestStaffChain:
    def test_the_chain_and_what_the_unit_sees(self, api, personas, people):
        code = api(None).post("/api/v1/public/complaints", BODY).json()["tracking_code"]
        office = api(personas.office)
        listing = office.get("/api/v1/supervision/complaints").json()
        assert listing["count"] == 1 and listing["items"][0]["contact_masked"] == "138****1234"
        pk = listing["items"][0]["id"]
        assert office.post(f"/api/v1/supervision/complaints/{pk}/accept", {}).json()["status"] == "accepted"
        assert office.post(f"/api/v1/supervision/complaints/{pk}/assign", {}).json()["status"] == "assigned"
        unit = api(people.zj)
        seen = unit.get(f"/api/v1/supervision/complaints/{pk}").json()
        assert seen["contact_masked"] is None and seen["complainant_masked"] is None
        assert "1380000" not in str(seen) and "张" not in str(seen)
        r = unit.post(
            f"/api/v1/supervision/complaints/{pk}/reply", {"reply": "经核查属实，已办结审批并致歉。"}
        )
        assert r.status_code == 200 and r.json()["status"] == "replied"
        r = office.post(f"/api/v1/supervision/complaints/{pk}/substantiate", {"item": "broken_commitment"})
        assert r.status_code == 200, r.content
        records = api(personas.reviewer).get("/api/v1/records", status="submitted").json()["items"]
        assert any(x["document_no"] == r.json()["document_no"] for x in records)
        r = office.post(f"/api/v1/supervision/complaints/{pk}/visit", {"satisfaction": "satisfied"})
        assert r.json()["satisfaction"] == "satisfied"
        progress = api(None).get(f"/api/v1/public/complaints/{code}").json()
        assert progress["reply"].startswith("经核查") and progress["status"] == "visited"

    def test_refusals(self, api, personas, people):
        api(None).post("/api/v1/public/complaints", BODY)
        pk = Complaint.objects.get().pk
        assert (
            api(people.zj).get(f"/api/v1/supervision/complaints/{pk}").status_code == 404
        )  # not assigned yet
        assert api(people.zj).post(f"/api/v1/supervision/complaints/{pk}/accept", {}).status_code == 404
        assert (
            api(personas.auditor).post(f"/api/v1/supervision/complaints/{pk}/accept", {}).status_code == 403
        )
        assert (
            api(personas.office)
            .post(f"/api/v1/supervision/complaints/{pk}/reply", {"reply": "x" * 20})
            .status_code
            == 403
        )
        assert (
            api(personas.office)
            .post(f"/api/v1/supervision/complaints/{pk}/not-accept", {"reason": ""})
            .status_code
            == 422
        )
        assert api(personas.office).get("/api/v1/supervision/complaints/abc").status_code == 404
        assert api(personas.office).get("/api/v1/supervision/complaints", page=0).status_code == 422
        assert api(personas.office).get("/api/v1/supervision/complaints", page=9).json() == {
            "count": 1,
            "items": [],
        }

    def test_statistics(self, api, personas):
        r = api(personas.office).get("/api/v1/supervision/statistics", month="2026-13")
        assert r.status_code == 422 and "月份" in r.json()["detail"]["message"]
        assert api(personas.office).get("/api/v1/supervision/statistics").status_code == 200
