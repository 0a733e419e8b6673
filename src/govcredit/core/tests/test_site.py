"""The public address (QR codes, verify links) and the portal footer settings."""

import io
import re

import pytest
from django.core.management import call_command

from govcredit.core import site

pytestmark = pytest.mark.django_db


def test_public_url_comes_from_the_request_when_unset(settings, rf):
    settings.GOVCREDIT_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["xy.zhoucun.example"]
    request = rf.get("/", HTTP_HOST="xy.zhoucun.example")
    assert site.public_base_url(request) == "http://xy.zhoucun.example"


def test_configured_public_url_wins(settings, rf):
    settings.GOVCREDIT_PUBLIC_URL = "https://xy.zhoucun.gov.cn/"
    settings.ALLOWED_HOSTS = ["10.0.0.5"]
    assert site.public_base_url(rf.get("/", HTTP_HOST="10.0.0.5")) == "https://xy.zhoucun.gov.cn"


def test_ledger_page_links_follow_the_host_and_are_cached_per_host(settings, client, publish):
    settings.GOVCREDIT_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    publish()
    assert (
        "verify_ledger.py http://a.example " in client.get("/ledger/", HTTP_HOST="a.example").content.decode()
    )
    body = client.get("/ledger/", HTTP_HOST="b.example").content.decode()
    assert "verify_ledger.py http://b.example " in body and "http://a.example" not in body


def _setup_output(settings, **values) -> str:
    for name, value in values.items():
        setattr(settings, name, value)
    out = io.StringIO()
    call_command("setup", stdout=out)
    return out.getvalue()


def test_production_setup_warns_about_unset_public_url_and_lists_empty_footer(settings):
    settings.DEBUG = False
    settings.GOVCREDIT_DEMO = False
    out = _setup_output(
        settings, GOVCREDIT_PUBLIC_URL="", GOVCREDIT_SITE_PHONE="", GOVCREDIT_ICP_NUMBER="鲁ICP备00000000号"
    )
    assert "未设置 GOVCREDIT_PUBLIC_URL" in out
    assert "GOVCREDIT_SITE_PHONE（联系电话）" in out
    assert "ICP_NUMBER" not in out


def test_setup_quiet_when_everything_is_set(settings):
    settings.DEBUG = False
    settings.GOVCREDIT_DEMO = False
    values = {name: "x" for name, _ in site.FOOTER_SETTINGS}
    out = _setup_output(settings, GOVCREDIT_PUBLIC_URL="https://xy.zhoucun.gov.cn", **values)
    assert "注意" not in out


def test_footer_shows_only_settings_that_are_set(settings, client):
    settings.GOVCREDIT_SITE_OPERATOR = "周村区发展和改革局"
    settings.GOVCREDIT_SITE_PHONE = "0533-6412345"
    settings.GOVCREDIT_SITE_ADDRESS = ""
    settings.GOVCREDIT_SITE_IDENTIFIER = ""
    settings.GOVCREDIT_ICP_NUMBER = "鲁ICP备12345678号"
    body = client.get("/").content.decode()
    footer = body[body.index('<footer class="site-footer">') :]
    assert "承办单位：周村区发展和改革局" in footer and "联系电话：0533-6412345" in footer
    assert "ICP备案号：鲁ICP备12345678号" in footer
    assert "通讯地址" not in footer and "网站标识码" not in footer and "待填写" not in footer
    assert re.search(r'<a href="/office/">工作人员登录</a>', footer)


def test_portal_and_office_pages_have_a_favicon(client, personas):
    from django.contrib.staticfiles import finders

    assert finders.find("govcredit/favicon.svg")
    for url in ("/", "/office/login/"):
        assert 'rel="icon" href="/static/govcredit/favicon.svg"' in client.get(url).content.decode()
