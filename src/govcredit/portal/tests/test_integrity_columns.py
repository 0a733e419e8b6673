"""The 政务诚信公开 page lists every public column the apps declare (``<app>/portal.py``), and every
column it lists opens."""

from __future__ import annotations

import pytest
from django.test import Client

from govcredit.portal.registry import GROUPS, public_columns

pytestmark = pytest.mark.django_db


def test_every_declared_column_is_listed_and_opens(personas):
    columns = public_columns()
    assert {"承诺公示", "重点任务进展", "政府债务信息公开", "重大行政决策", "投诉举报"} <= {
        c.title for c in columns
    }
    page = Client().get("/integrity/").content.decode()
    for column in columns:
        assert f'href="{column.url}"' in page, column.title
        assert Client().get(column.url).status_code == 200, column.url


def test_groups_come_in_the_page_order():
    seen = [c.group for c in public_columns()]
    order = [GROUPS.index(g) for g in seen if g in GROUPS]
    assert order == sorted(order)


def test_the_portal_navigation_links_the_page():
    assert 'href="/integrity/"' in Client().get("/").content.decode()
