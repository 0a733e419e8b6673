import datetime as dt
import json

from django.test import Client

from govcredit.accounts.services import create_token


def client_for(user):
    token = create_token(user, name="测试")[1]
    client = Client()

    def post(path, body):
        return client.post(
            path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    def get(path):
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")

    return post, get


def test_public_debt_after_four_eyes_publication(personas, finance2, bond_data):
    post, get = client_for(personas.finance)
    post2, _ = client_for(finance2)
    for category, amount in (("general", "1000000000.00"), ("special", "2000000000.00")):
        assert (
            post("/api/v1/debt/limits", {"year": 2026, "category": category, "amount": amount}).status_code
            == 201
        )
    bond = bond_data()
    bond["issue_date"] = "2024-08-20"
    assert post("/api/v1/debt/bonds", bond).status_code == 201
    bad = {**bond, "code": "X2", "schedule": bond["schedule"][:1]}
    answer = post("/api/v1/debt/bonds", bad)
    assert answer.status_code == 422 and "不一致" in answer.json()["detail"]["fields"]["schedule"][0]
    snapshot = {
        "year": 2026,
        "as_of": str(dt.date.today()),
        "general_balance": "900000000.00",
        "special_balance": "1500000000.00",
        "capacity_general": "1200000000.00",
        "capacity_fund": "800000000.00",
        "debt_service": "150000000.00",
    }
    created = post("/api/v1/debt/snapshots", snapshot)
    assert created.status_code == 201
    body = created.json()
    ratio = body["indicators"][0]
    assert (
        ratio["name"] == "债务率"
        and ratio["value"] == "120.00"
        and ratio["band"]["legal_status"] == "unofficial"
    )
    assert Client().get("/api/v1/public/debt?year=2026").status_code == 404
    pk = body["id"]
    assert post(f"/api/v1/debt/snapshots/{pk}/submit", {}).json()["status"] == "submitted"
    assert post(f"/api/v1/debt/snapshots/{pk}/approve", {}).status_code == 403  # the preparer
    assert post2(f"/api/v1/debt/snapshots/{pk}/approve", {"note": "核对一致"}).json()["status"] == "published"

    public = Client().get("/api/v1/public/debt?year=2026")
    assert public.status_code == 200
    data = public.json()
    (b,) = data["bonds"]
    assert (b["amount"], b["type"], b["rate"], b["term_years"], b["use"]) == (
        "500000000.00",
        "new",
        "2.480",
        3,
        "产业园区基础设施",
    )
    assert [s["principal"] for s in b["schedule"]] == ["0.00", "100000000.00", "400000000.00"]
    assert data["indicators"][0]["formula"].startswith("债务率 = 债务余额 ÷ 综合财力")
    assert Client().get("/api/v1/public/debt?year=1900").status_code == 422
    assert Client().get("/api/v1/public/debt?year=abc").status_code == 422
    assert Client().get("/api/v1/public/debt/years").json() == {"years": [2026]}

    negative = post("/api/v1/debt/snapshots", {**snapshot, "year": 2027, "overdue": "-3"})
    assert negative.status_code == 422
    fields = negative.json()["detail"]["fields"]
    assert "负数" in fields["overdue"][0] and "尚未登记一般债务限额" in fields["general_balance"][0]
    assert (
        post("/api/v1/debt/limits", {"year": 2026, "category": "general", "amount": "1"}).status_code == 201
    )
    _, outsider_get = client_for(personas.court)
    assert outsider_get(f"/api/v1/debt/snapshots/{pk}").status_code == 403
