import datetime as dt

from django.test import Client

from govcredit.debt.models import Bond, DebtSnapshot


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_office_flow_with_four_eyes(personas, finance2, limits):
    clerk, second = login(personas.finance), login(finance2)
    assert clerk.get("/office/debt/").status_code == 200
    page = clerk.post(
        "/office/debt/bonds/new/",
        {
            "code": "B1",
            "name": "测试债券",
            "category": "general",
            "bond_type": "new",
            "issue_date": "2024-06-01",
            "amount": "1,000.00",
            "rate": "2.5",
            "term_years": "2",
            "use": "道路",
            "schedule": "2025-06-01,0,25\n2026-06-01,900,25",
        },
    ).content.decode()
    assert "不一致" in page and not Bond.objects.exists()
    answer = clerk.post(
        "/office/debt/bonds/new/",
        {
            "code": "B1",
            "name": "测试债券",
            "category": "general",
            "bond_type": "new",
            "issue_date": "2024-06-01",
            "amount": "1,000.00",
            "rate": "2.5",
            "term_years": "2",
            "use": "道路",
            "schedule": "2025-06-01,0,25\n2026-06-01，1000，25",
        },
    )
    assert answer.status_code == 302 and Bond.objects.get().schedule.count() == 2
    data = {
        "year": "2026",
        "as_of": str(dt.date.today()),
        "general_balance": "1200000000",
        "special_balance": "0",
        "capacity_general": "1000000000",
        "capacity_fund": "0",
        "debt_service": "1",
    }
    answer = clerk.post("/office/debt/snapshots/new/", data)
    snapshot = DebtSnapshot.objects.get()
    detail = clerk.get(answer["Location"]).content.decode()
    assert "严重预警" in detail and "债务率 = 债务余额 ÷ 综合财力" in detail
    clerk.post(f"/office/debt/snapshots/{snapshot.pk}/submit/")
    assert "须由另一人复核" in clerk.get(f"/office/debt/snapshots/{snapshot.pk}/").content.decode()
    clerk.post(f"/office/debt/snapshots/{snapshot.pk}/approve/")
    snapshot.refresh_from_db()
    assert snapshot.status == "submitted"  # refused for the preparer
    second.post(f"/office/debt/snapshots/{snapshot.pk}/approve/", {"note": "核对一致"})
    snapshot.refresh_from_db()
    assert snapshot.status == "published"
    assert "2026年" in Client().get("/debt/").content.decode()
    for path in (
        "/office/debt/limits/",
        "/office/debt/bonds/",
        "/office/debt/cases/new/",
        "/office/debt/?export=1",
    ):
        assert clerk.get(path).status_code == 200
    assert login(personas.court).get("/office/debt/").status_code == 403


def test_menu_tiles_and_badges(personas, finance2, limits, snapshot_data):
    from govcredit.debt import services
    from govcredit.office.registry import menu_for, tiles_for

    clerk = personas.access(personas.finance)
    snapshot = services.create_snapshot(snapshot_data(), access=clerk)
    services.submit_snapshot(snapshot, access=clerk)
    assert "debt" in [m.key for _, m in menu_for(personas.access(finance2))]
    assert "debt" not in [m.key for _, m in menu_for(personas.access(personas.court))]
    review = {t.label: t.count for t in tiles_for(personas.access(finance2))}
    assert review["债务数据待复核"] == 1
    assert {t.label: t.count for t in tiles_for(personas.access(personas.finance))}["债务数据待复核"] == 0
