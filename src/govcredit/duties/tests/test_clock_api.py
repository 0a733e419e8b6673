from django.test import Client


def get(**params):
    return Client().get("/api/v1/duty-clock", params)


def test_calendar_vector_with_days_alias(db):
    r = get(start="2025-09-01", days=30, mode="calendar")
    assert r.status_code == 200
    body = r.json()
    assert body["due"] == "2025-10-09"
    assert "国庆" in body["explain"]


def test_months_vector_with_months_alias(db):
    r = get(start="2026-01-31", months=3, mode="months")
    assert r.status_code == 200 and r.json()["due"] == "2026-04-30"
    assert get(start="2026-01-31", n=3, mode="months").json()["due"] == "2026-04-30"


def test_working_days(db):
    r = get(start="2026-09-30", n=10, mode="working")
    assert r.json()["due"] == "2026-10-20"
    assert "计10个工作日" in r.json()["explain"]


def test_annual(db):
    assert get(start="2026-05-01", mode="annual", month=4, day=30).json()["due"] == "2027-04-30"


def test_bad_input_is_a_chinese_422(db):
    for params in (
        {"start": "2025-13-01", "n": 3, "mode": "calendar"},
        {"start": "2025-09-01", "n": 3, "mode": "weeks"},
        {"start": "2025-09-01", "n": "x", "mode": "calendar"},
        {"start": "2025-09-01", "n": -1, "mode": "calendar"},
        {"start": "2025-09-01", "mode": "calendar"},
        {"start": "2025-09-01", "mode": "annual", "month": 2, "day": 30},
        {"mode": "calendar", "n": 3},
    ):
        r = get(**params)
        assert r.status_code == 422, params
        assert r.json()["detail"]
