"""Back-office forms of 政府信息公开: register, extend (approver, once), reply with an Art 36 type,
annual report download; errors at the field, forbidden users refused."""

from __future__ import annotations

import pytest
from django.test import Client

from govcredit.openinfo.models import InfoRequest

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_register_extend_reply_and_annual_report(personas, clerks):
    from govcredit.accounts.models import Organisation

    zj = login(clerks.zj)
    unit = Organisation.objects.get(short_name="区住建局").name
    assert "登记申请" in zj.get("/office/openinfo/").content.decode()
    base = {
        "unit": unit,
        "channel": "registered_mail",
        "submitted_on": "2026-11-20",
        "applicant": "张三",
        "contact": "13800001234",
        "description": "招标文件",
    }
    r = zj.post("/office/openinfo/new/", base)
    assert r.status_code == 200 and "签收或确认日期" in "".join(r.context["form"].errors["received_on"])
    assert not InfoRequest.objects.exists()
    r = zj.post("/office/openinfo/new/", {**base, "received_on": "2026-11-23"})
    req = InfoRequest.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/office/openinfo/{req.pk}/"
    assert "延长答复期限" in zj.get(r["Location"]).content.decode()
    r = zj.post(f"/office/openinfo/{req.pk}/extend/", {"days": 25, "approver": "李主任", "reason": "量大"})
    assert r.context["form"].errors["days"]
    assert (
        zj.post(
            f"/office/openinfo/{req.pk}/extend/", {"days": 10, "approver": "李主任", "reason": "量大"}
        ).status_code
        == 302
    )
    r = zj.post(f"/office/openinfo/{req.pk}/extend/", {"days": 5, "approver": "李主任", "reason": "再延"})
    assert "只能延长一次" in str(r.context["form"].errors) or r.context["form"].errors
    r = zj.post(f"/office/openinfo/{req.pk}/reply/", {"reply_type": "provided", "text": "见附件"})
    assert r.context["form"].errors["confirm"]
    r = zj.post(
        f"/office/openinfo/{req.pk}/reply/", {"reply_type": "provided", "text": "见附件", "confirm": "on"}
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.reply_type == "provided"
    r = zj.get(f"/office/openinfo/annual-report/?unit={unit}&year=2026")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    # another unit's clerk: no access to the request; an auditor: no forms
    assert login(clerks.sw).get(f"/office/openinfo/{req.pk}/extend/").status_code == 404
    auditor = login(personas.auditor)
    assert "登记申请" not in auditor.get("/office/openinfo/").content.decode()
    assert auditor.get("/office/openinfo/new/").status_code == 403
    for page in (
        "/office/openinfo/catalog/new/",
        "/office/openinfo/items/new/",
        "/office/openinfo/annual-report/",
    ):
        assert zj.get(page).status_code == 200
        assert auditor.get(page).status_code == 403
