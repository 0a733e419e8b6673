"""目录与规则 pages: list, version history with diffs, edits by the credit office only."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from govcredit.catalog.forms import initial_for
from govcredit.catalog.models import CatalogItem, CatalogItemVersion


def login(client, user):
    client.force_login(user)
    return client


def edit_data(item, **changes):
    initial = initial_for(item)
    data = {k: v for k, v in initial.items() if v not in (None, False)}
    data["source_units"] = [u.pk for u in initial["source_units"]]
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_list_shows_the_default_catalog_to_every_role(
    client, personas, django_assert_max_num_queries, nav_queries
):
    login(client, personas.court)
    with django_assert_max_num_queries(6 + nav_queries(personas.court)):
        response = client.get("/office/catalog/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "court_judgment" in body and "司法判决" in body and "区法院" in body
    assert "一般 3–12 个月" in body
    positive = client.get("/office/catalog/", {"negative": "0"}).context["page_obj"].object_list
    assert {i.code for i in positive} == {"commendation", "trust_model"}


def test_edit_bumps_the_version_and_shows_the_diff(client, personas):
    item = CatalogItem.objects.get(code="court_judgment")
    login(client, personas.office)
    response = client.post(
        "/office/catalog/court_judgment/edit/",
        edit_data(item, max_general=18, reason="依据新文件延长一般公示期"),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.version == 2 and item.period_for("general") == (3, 18)
    assert CatalogItemVersion.objects.filter(item=item).count() == 2
    body = client.get("/office/catalog/court_judgment/").content.decode()
    assert "依据新文件延长一般公示期" in body
    assert "一般 3–12 个月" in body and "一般 3–18 个月" in body  # before → after
    assert "diff-old" in body


def test_edit_needs_a_reason_and_valid_periods(client, personas):
    item = CatalogItem.objects.get(code="court_judgment")
    login(client, personas.office)
    response = client.post("/office/catalog/court_judgment/edit/", edit_data(item, reason=""))
    assert response.status_code == 422
    assert "reason" in response.context["form"].errors
    response = client.post(
        "/office/catalog/court_judgment/edit/", edit_data(item, min_general=20, max_general=12, reason="调整")
    )
    assert response.status_code == 422
    assert "不能短于最短期限" in response.context["form"].errors["max_general"][0]
    item.refresh_from_db()
    assert item.version == 1


def test_unchanged_edit_keeps_the_version(client, personas):
    item = CatalogItem.objects.get(code="court_judgment")
    login(client, personas.office)
    client.post("/office/catalog/court_judgment/edit/", edit_data(item, reason="核对"))
    item.refresh_from_db()
    assert item.version == 1


def test_create_item(client, personas):
    login(client, personas.office)
    data = {
        "code": "late_payment",
        "name": "逾期支付",
        "negative": "1",
        "subject_kinds": ["government", "department"],
        "severities": ["general"],
        "disclosure": "public",
        "min_general": 3,
        "max_general": 12,
        "repairable": "on",
        "active": "on",
    }
    response = client.post("/office/catalog/new/", data)
    assert response.status_code == 302
    assert CatalogItem.objects.get(code="late_payment").version == 1
    again = client.post("/office/catalog/new/", {**data, "name": "逾期支付2"})
    assert again.status_code == 422 and "事项代码已存在" in again.content.decode()


def test_only_the_credit_office_may_edit(client, personas):
    login(client, personas.reviewer)
    for url in ("/office/catalog/new/", "/office/catalog/court_judgment/edit/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "只有信用办和系统管理员" in response.content.decode()
    assert client.get("/office/catalog/no_such_item/").status_code == 404


def test_export_lists_the_filtered_items(client, personas):
    response = login(client, personas.office).get("/office/catalog/", {"negative": "0", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][0] == "事项代码"
    assert {r[0] for r in rows[1:]} == {"commendation", "trust_model"}
