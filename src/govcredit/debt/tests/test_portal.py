import csv
import io

from django.test import Client
from openpyxl import load_workbook

from govcredit.debt import services


def publish(personas, finance2, bond_data, snapshot_data):
    clerk = personas.access(personas.finance)
    services.register_bond(bond_data(), access=clerk)
    snapshot = services.create_snapshot(snapshot_data(general_balance="1100000000.00"), access=clerk)
    services.submit_snapshot(snapshot, access=clerk)
    return services.approve_snapshot(snapshot, access=personas.access(finance2))


def test_portal_shows_the_three_tables_and_downloads(personas, finance2, limits, bond_data, snapshot_data):
    assert "暂无已公开的政府债务信息" in Client().get("/debt/").content.decode()
    publish(personas, finance2, bond_data, snapshot_data)
    page = Client().get("/debt/?year=2026").content.decode()
    for text in (
        "债务限额余额情况表",
        "债券发行情况表",
        "债务收支计划表",
        "债务率 = 债务余额 ÷ 综合财力",
        "非官方口径",
        "严重预警",
        "2,600,000,000.00",
        "<summary>共3期</summary>",  # the schedule folded, each period on its own line with separators
        "<li>2027-08-20：本金 400,000,000.00 元，利息 9,920,000.00 元</li>",
    ):
        assert text in page
    answer = Client().get("/debt/2026/bonds.csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][0] == "债券编码" and rows[1][0] == "2024370306S03" and rows[1][5] == "500000000.00"
    book = load_workbook(io.BytesIO(Client().get("/debt/2026/limits.xlsx").content))
    assert [c.value for c in book.active[4]] == ["合计", "3000000000.00", "2600000000.00"]
    assert Client().get("/debt/2025/bonds.csv").status_code == 404
    assert Client().get("/debt/2026/other.csv").status_code == 404


def test_the_trend_chart_shows_every_published_year(personas, finance2, limits, bond_data, snapshot_data):
    from govcredit.debt.models import DebtDisclosure

    publish(personas, finance2, bond_data, snapshot_data)
    assert "历年限额" not in Client().get("/debt/").content.decode()  # one year: nothing to compare
    earlier = DebtDisclosure.objects.get(year=2026, current=True)
    earlier.pk = None
    earlier.year = 2025
    earlier.payload = {**earlier.payload, "year": 2025}
    earlier.save()
    trend = services.public_trend()
    assert trend["labels"] == ["2025年", "2026年"]
    assert trend["limit"] == [300000.0, 300000.0] and trend["balance"] == [260000.0, 260000.0]
    assert all(len(series) == 2 for series in trend["indicators"].values())
    page = Client().get("/debt/?year=2025").content.decode()  # another URL: the portal caches pages
    assert "历年限额、余额与风险指标" in page and 'id="debt-trend-data"' in page
    assert "govcredit/vendor/chart.umd.min.js" in page and "260,000" in page
