"""工作台, login/logout, audit and system pages, for each role."""

from __future__ import annotations

import datetime as dt

import pytest

from govcredit.core.models import AuditEntry, CalendarYear, HolidayOverride
from govcredit.office import registry


def login(client, user):
    client.force_login(user)
    return client


def test_it_redirects_anonymous_users_to_login(client, db):
    for url in ("/office/", "/office/audit/", "/office/system/", "/office/subjects/", "/office/catalog/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/office/login/?next=")


def test_it_shows_a_clear_page_to_users_without_membership(client, personas):
    response = login(client, personas.outsider).get("/office/")
    assert response.status_code == 403
    assert "尚未分配单位和角色" in response.content.decode()


def test_login_is_audited_and_logout_needs_post(client, personas):
    response = client.post("/office/login/", {"username": "court", "password": "pw-court-123"})
    assert response.status_code == 302 and response["Location"] == "/office/"
    entry = AuditEntry.objects.filter(action="govcredit.user.login").latest("sequence")
    assert entry.actor == personas.court
    assert client.get("/office/logout/").status_code == 405
    assert client.post("/office/logout/").status_code == 302
    assert client.get("/office/").status_code == 302


def test_login_refuses_wrong_password_in_chinese(client, personas):
    response = client.post("/office/login/", {"username": "court", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_demo_logins_only_in_demo(client, db, settings):
    settings.DEBUG = False
    settings.GOVCREDIT_DEMO = False
    assert "govcredit-demo" not in client.get("/office/login/").content.decode()
    settings.GOVCREDIT_DEMO = True
    assert "govcredit-demo" in client.get("/office/login/").content.decode()


def test_dashboard_of_reviewer_counts_the_review_queue(client, personas, record_data):
    from govcredit.records import services

    services.upsert_record(
        record_data(),
        source_unit=personas.unit("区法院"),
        access=personas.access(personas.court),
        submit=True,
    )
    body = login(client, personas.reviewer).get("/office/").content.decode()
    assert "待审核" in body and 'href="/office/records/review/"' in body
    response = client.get("/office/")
    tile = next(t for t in response.context["tiles"] if t.label == "待审核")
    assert tile.count == 1


def test_dashboard_counts_are_scoped_to_the_clerks_unit(client, personas, record_data):
    from govcredit.records import services

    services.upsert_record(
        record_data(), source_unit=personas.unit("区法院"), access=personas.access(personas.court)
    )
    court = login(client, personas.court).get("/office/").context["tiles"]
    assert next(t for t in court if t.label == "我的草稿").count == 1
    client.logout()
    hr = login(client, personas.hr).get("/office/").context["tiles"]
    assert next(t for t in hr if t.label == "我的草稿").count == 0
    # none of the records queues counts the court's draft (other apps' queues, e.g. the annex's
    # key tasks 区人社局 co-leads, are hr's own)
    assert all(t.count == 0 for t in hr if t.url.startswith("/office/records"))


def test_dashboard_of_subject_user_shows_own_unit_records(client, personas, publish):
    publish()
    tiles = login(client, personas.dept).get("/office/").context["tiles"]
    published = next(t for t in tiles if t.label == "本单位记录 · 已公示")
    assert published.count == 1
    assert published.url == "/office/records/?status=published"
    assert not any(t.label == "待审核" for t in tiles)


def test_dashboard_recent_activity_is_own_for_clerks(client, personas, publish):
    publish()
    activity = login(client, personas.hr).get("/office/").context["activity"]
    assert all(e.actor_name == "hr" for e in activity)
    client.logout()
    assert login(client, personas.auditor).get("/office/").context["activity"]


def test_dashboard_uses_few_queries(client, personas, publish, django_assert_max_num_queries):
    """A few queries per app that shows tiles, and none more as the data grows (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish()
    login(client, personas.office)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/office/").status_code == 200
    for n in range(2, 6):
        publish(document_no=f"周法民〔2026〕{n}号")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get("/office/").status_code == 200
    with_tiles = {app for app, _ in registry._hooks("tiles")}
    with_charts = {app for app, _ in registry._hooks("charts")}  # up to 3 grouped counts an app
    assert len(first.captured_queries) <= 8 + 2 * len(with_tiles) + 3 * len(with_charts)


# -- audit -------------------------------------------------------------------------------------
def test_audit_is_forbidden_to_clerks_with_a_chinese_message(client, personas):
    response = login(client, personas.court).get("/office/audit/")
    assert response.status_code == 403
    assert "只有审计员" in response.content.decode()


def test_audit_list_filters_and_labels(client, personas, publish):
    publish()
    response = login(client, personas.auditor).get("/office/audit/", {"action": "govcredit.user.created"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "新增用户" in body
    assert all(e.action == "govcredit.user.created" for e in response.context["page_obj"].object_list)


def test_audit_list_uses_bounded_queries(
    client, personas, publish, django_assert_max_num_queries, nav_queries
):
    publish()
    login(client, personas.auditor)
    with django_assert_max_num_queries(10 + nav_queries(personas.auditor)):
        assert client.get("/office/audit/").status_code == 200


def test_audit_verify_reports_intact_then_broken(client, personas, publish):
    publish()
    login(client, personas.auditor)
    body = client.post("/office/audit/verify/").content.decode()
    assert "intact" in body and "BROKEN" not in body
    victim = AuditEntry.objects.order_by("sequence")[2]
    AuditEntry.objects.filter(pk=victim.pk).update(summary="篡改")
    body = client.post("/office/audit/verify/").content.decode()
    assert "BROKEN" in body
    assert f"entry {victim.sequence}" in body


def test_audit_export_is_a_real_xlsx_of_the_filtered_rows(client, personas):
    from io import BytesIO

    from openpyxl import load_workbook

    response = login(client, personas.auditor).get(
        "/office/audit/", {"action": "govcredit.user.created", "export": "xlsx"}
    )
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][0] == "序号"
    assert len(rows) - 1 == AuditEntry.objects.filter(action="govcredit.user.created").count()
    code = rows[0].index("操作代码")
    assert {r[code] for r in rows[1:]} == {"govcredit.user.created"}


# -- system --------------------------------------------------------------------------------------
def test_calendar_is_editable_by_the_credit_office_only(client, personas):
    response = login(client, personas.court).post(
        "/office/system/calendar/add/", {"date": "2027-10-01", "is_workday": "0", "note": "国庆节"}
    )
    assert response.status_code == 403
    assert "信用办" in response.content.decode()
    client.logout()
    login(client, personas.office)
    response = client.post(
        "/office/system/calendar/add/", {"date": "2027-10-01", "is_workday": "0", "note": "国庆节"}
    )
    assert response.status_code == 302
    assert HolidayOverride.objects.get(date=dt.date(2027, 10, 1)).is_workday is False
    assert AuditEntry.objects.filter(action="govcredit.calendar.day_added").exists()
    again = client.post("/office/system/calendar/add/", {"date": "2027-10-01", "is_workday": "1"})
    assert again.status_code == 422 and "已有登记" in again.content.decode()
    done = client.post(
        "/office/system/calendar/complete/", {"year": "2027", "source": "国办发明电〔2026〕1号"}
    )
    assert done.status_code == 302 and CalendarYear.objects.filter(year=2027).exists()
    page = client.get("/office/system/?year=2027").content.decode()
    assert "国庆节" in page and "录入完整" in page


def test_calendar_warns_about_estimated_years(client, personas):
    body = login(client, personas.court).get("/office/system/?year=2030").content.decode()
    assert "预估" in body


def test_tokens_are_shown_once_and_revocable(client, personas):
    from govcredit.accounts.models import ApiToken

    login(client, personas.court)
    response = client.post("/office/system/tokens/create/", {"name": "审判系统对接"})
    assert response.status_code == 200
    plain = response.context["new_token"]
    assert plain in response.content.decode()
    token = ApiToken.objects.get(user=personas.court)
    assert plain not in client.get("/office/system/tokens/").content.decode()
    client.logout()
    assert login(client, personas.hr).post(f"/office/system/tokens/{token.pk}/revoke/").status_code == 404
    client.logout()
    assert login(client, personas.court).post(f"/office/system/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_django_admin_is_for_admins_only(client, personas):
    response = login(client, personas.office).get("/office/system/admin/")
    assert response.status_code == 302  # admin's own login: office is not staff


@pytest.mark.parametrize("url", ["/office/audit/?date_from=2026-02-30", "/office/audit/?page=999"])
def test_audit_bad_query_never_500(client, personas, url):
    assert login(client, personas.auditor).get(url).status_code == 200


def test_navigation_shows_only_what_the_role_can_open(personas, client):
    client.force_login(personas.court)
    page = client.get("/office/").content.decode()
    assert 'href="/office/records/"' in page
    for hidden in (
        'href="/office/records/review/"',
        'href="/office/audit/"',
        'href="/office/checks/"',
        'href="/office/exchange/"',
    ):
        assert hidden not in page
    client.force_login(personas.reviewer)
    page = client.get("/office/").content.decode()
    assert 'href="/office/records/review/"' in page and 'href="/office/checks/"' in page


def test_the_recorded_unit_sees_its_rectification_task_on_the_dashboard(publish, personas, client):
    publish()  # a record about 周村区发展和改革局: the default rules open a rectification task
    client.force_login(personas.dept)
    page = client.get("/office/").content.decode()
    assert "待整改" in page and "/office/sanctions/rectifications/?status=open" in page
    client.force_login(personas.office)
    assert "整改待验收" in client.get("/office/").content.decode()


def test_dashboard_shows_the_apps_charts_in_scope(client, personas, record_data):
    """Issue 13, point 12: records by month, item and unit; on-time rate; rectification backlog."""
    from django.utils import timezone

    from govcredit.records import services

    today = timezone.localdate()
    services.upsert_record(
        record_data(decided_on=today),
        source_unit=personas.unit("区法院"),
        access=personas.access(personas.court),
        submit=True,
    )
    response = login(client, personas.office).get("/office/")
    charts = {c.key: c for c in response.context["charts"]}
    assert {
        "records-month",
        "records-item",
        "records-unit",
        "disputes-on-time",
        "rectification-backlog",
    } <= set(charts)
    assert charts["records-month"].series[0].values[-1] == 1
    assert sum(charts["records-unit"].series[0].values) == 1
    body = response.content.decode()
    assert "govcredit/vendor/chart.umd.min.js" in body and "查看数据表" in body
    client.logout()
    # a clerk of another unit sees none of the court's records in its charts
    hr = {c.key: c for c in login(client, personas.hr).get("/office/").context["charts"]}
    assert sum(hr["records-month"].series[0].values) == 0


def test_chart_keys_must_be_unique(monkeypatch, personas):
    from govcredit.core.charts import Chart, Series

    twice = [Chart("a", "甲", ["x"], [Series("n", [1])]), Chart("a", "乙", ["x"], [Series("n", [1])])]
    monkeypatch.setattr(registry, "_hooks", lambda name: [("x", lambda access: twice)])
    with pytest.raises(ValueError):
        registry.charts_for(personas.access(personas.office))
