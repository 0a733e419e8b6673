"""The public consultation: countdown, comment form open until the end date, closed (409) after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from govcredit.decisions import services
from govcredit.decisions.models import Comment

from .conftest import CONSULTATION

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_now(personas, staff, launched):
    today = timezone.localdate()
    return services.open_consultation(
        launched,
        {
            **CONSULTATION,
            "start_on": (today - dt.timedelta(days=5)).isoformat(),
            "end_on": (today + dt.timedelta(days=30)).isoformat(),
        },
        access=personas.access(staff.zj),
    )


def test_an_open_consultation_takes_comments_on_the_portal_and_the_api(open_now, api):
    client = Client()
    page = client.get("/decisions/")
    assert page.status_code == 200 and "正在征求意见" in page.content.decode()
    assert "还剩" in page.content.decode()
    r = client.get(f"/decisions/consultations/{open_now.pk}/")
    assert r.status_code == 200
    assert "提交意见" in r.content.decode() and "还剩 30 天" in r.content.decode()
    r = client.post(f"/decisions/consultations/{open_now.pk}/", {"name": "张女士", "content": "建议增设电梯"})
    assert r.status_code == 200 and "意见已提交" in r.content.decode()
    r = client.post(f"/decisions/consultations/{open_now.pk}/", {"name": "", "content": ""})
    assert r.status_code == 422
    r = api(None).post(
        f"/api/v1/public/consultations/{open_now.pk}/comments", {"name": "李先生", "content": "支持"}
    )
    assert r.status_code == 201
    assert Comment.objects.count() == 2
    listed = api(None).get("/api/v1/public/consultations", state="open").json()
    assert listed["count"] == 1 and listed["items"][0]["comment_count"] == 2
    assert "contact" not in str(listed)


def test_comments_after_the_end_date_are_refused(personas, staff, launched, api):
    p = services.open_consultation(launched, CONSULTATION, access=personas.access(staff.zj))
    r = api(None).post(f"/api/v1/public/consultations/{p.pk}/comments", {"name": "王", "content": "晚了"})
    assert r.status_code == 409
    assert "已于2026-10-08截止" in r.json()["detail"]
    r = Client().post(f"/decisions/consultations/{p.pk}/", {"name": "王", "content": "晚了"})
    assert r.status_code == 409 and "不再接收意见" in r.content.decode()
    assert "意见表已关闭" in Client().get(f"/decisions/consultations/{p.pk}/").content.decode()
    assert not Comment.objects.exists()


def test_the_adoption_report_waits_for_the_end_and_explains_rejections(
    personas, staff, launched, open_now, api
):
    r = api(staff.zj).post(
        f"/api/v1/decisions/{launched.pk}/participation/adoption-report", {"adoption_report": "x"}
    )
    assert r.status_code == 409
    assert "截止后方可公布" in r.json()["detail"]


def test_back_office_pages(personas, staff, launched, nav_queries):
    client = Client()
    client.force_login(staff.gov)
    r = client.get("/office/decisions/")
    assert r.status_code == 200 and launched.title in r.content.decode()
    assert client.get("/office/decisions/?status=published").content.decode().count(launched.code) == 0
    r = client.get("/office/decisions/?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/office/decisions/{launched.pk}/").status_code == 200
    assert client.get("/office/decisions/catalog/?year=2026").status_code == 200
    other = Client()
    other.force_login(staff.sw)
    assert other.get(f"/office/decisions/{launched.pk}/").status_code == 404
