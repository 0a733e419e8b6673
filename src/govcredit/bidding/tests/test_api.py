import json

from django.test import Client

from govcredit.accounts.services import create_token
from govcredit.records import services as records
from govcredit.records.models import CreditRecord


def post_as(user):
    token = create_token(user, name="测试")[1]

    def post(path, body):
        return Client().post(
            path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    return post


def test_violation_to_blocked_check_and_public_list(personas, centre_clerk, violation, firm):
    post = post_as(centre_clerk)
    body = violation()
    body["decided_on"] = str(body["decided_on"])
    answer = post("/api/v1/bidding/violations", {**body, "restriction_months": 60})
    assert answer.status_code == 422 and "12–36" in answer.json()["detail"]["fields"]["restriction_months"][0]
    answer = post("/api/v1/bidding/violations", body)
    assert answer.status_code == 201 and answer.json()["status"] == "submitted"
    record = CreditRecord.objects.get(pk=answer.json()["id"])
    records.approve_record(record, access=personas.access(personas.reviewer))

    check = post_as(personas.office)("/api/v1/checks", {"purpose": "bidding", "subjects": [firm.uscc]}).json()
    (result,) = check["results"]
    assert (
        result["status"] == "blocked" and "实施条例第六十七/六十八条" in result["reasons"][0]["legal_basis"]
    )

    page = Client().get("/api/v1/public/bidding/blacklist").json()
    assert page["count"] == 1
    (item,) = page["items"]
    assert item["subject"] == firm.name and item["decision"].startswith("中标无效") and item["on_list"]
    assert item["decided_by"] == "淄博市公共资源交易中心周村分中心" and item["legal_basis"].endswith(
        "第六十八条"
    )
    assert Client().get("/api/v1/public/bidding/blacklist?archive=true&q=周联").json()["count"] == 1
    assert Client().get("/api/v1/public/bidding/blacklist?page=0").status_code == 422


def test_roles_evaluation_and_reports_over_the_api(personas, centre_clerk, firm):
    post = post_as(centre_clerk)
    assert post("/api/v1/bidding/roles", {"subject": firm.uscc, "role": "expert"}).status_code == 422
    assert post("/api/v1/bidding/roles", {"subject": firm.uscc, "role": "bidder"}).status_code == 201
    report = post(
        "/api/v1/bidding/reports",
        {
            "subject": firm.uscc,
            "agency": "山东鲁信信用评估有限公司",
            "report_no": "LX-1",
            "grade": "A",
            "issued_on": "2026-01-05",
            "valid_until": "2027-01-04",
        },
    )
    assert report.status_code == 201
    assert post(f"/api/v1/bidding/reports/{report.json()['id']}/verify", {"ok": True}).status_code == 403
    verified = post_as(personas.office)(
        f"/api/v1/bidding/reports/{report.json()['id']}/verify", {"ok": True, "note": "已核实"}
    )
    assert verified.json()["status"] == "verified"
    ev = post("/api/v1/bidding/evaluations", {"subject": firm.uscc, "role": "bidder", "period": "2026-11"})
    assert (
        ev.status_code == 200
        and ev.json()["score"] == "105.00"
        and "LX-1" in ev.json()["lines"][0]["explanation"]
    )
    assert (
        post("/api/v1/bidding/roles", {"subject": "91370306MA000000X0", "role": "bidder"}).status_code == 404
    )
