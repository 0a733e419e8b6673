"""Back-office forms of 办事效率: register a service item (promised > legal refused at the field), upload
办件 CSV with the problem report by row and column, 蜗牛奖 decide → publish → appeal → answer → rectify;
errors at the field with nothing saved, forbidden users refused and shown no buttons."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govcredit.efficiency import services
from govcredit.efficiency.models import CaseFile, ServiceItem, SnailAward

from .conftest import ROWS

pytestmark = pytest.mark.django_db

ZJ = "周村区住房和城乡建设局"


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_service_item_form(personas, clerks):
    zj = login(clerks.zj)
    assert "登记事项" in zj.get("/office/efficiency/items/").content.decode()
    body = {
        "unit": ZJ,
        "code": "ZJ-1",
        "name": "施工许可",
        "kind": "promised",
        "legal_days": "10",
        "promised_days": "12",
    }
    r = zj.post("/office/efficiency/items/new/", body)
    assert r.status_code == 200
    assert "不能超过法定办结时限" in "".join(r.context["form"].errors["promised_days"])
    assert not ServiceItem.objects.exists()
    r = zj.post("/office/efficiency/items/new/", {**body, "promised_days": "8"})
    assert r.status_code == 302 and r["Location"] == "/office/efficiency/items/"
    assert ServiceItem.objects.get().promised_days == 8
    r = zj.post(
        "/office/efficiency/items/new/", {**body, "code": "ZJ-2", "kind": "instant", "promised_days": ""}
    )
    assert r.status_code == 302 and ServiceItem.objects.get(code="ZJ-2").promised_days == 0
    # another unit is not offered to this clerk; an auditor has no form and no button
    r = zj.post("/office/efficiency/items/new/", {**body, "code": "ZJ-3", "unit": "周村区商务局"})
    assert r.context["form"].errors["unit"] and not ServiceItem.objects.filter(code="ZJ-3").exists()
    auditor = login(personas.auditor)
    assert "登记事项" not in auditor.get("/office/efficiency/items/").content.decode()
    assert auditor.get("/office/efficiency/items/new/").status_code == 403


def test_service_item_edit_form(personas, clerks, item):
    zj = login(clerks.zj)
    url = f"/office/efficiency/items/{item.pk}/edit/"
    assert url in zj.get("/office/efficiency/items/").content.decode()
    r = zj.get(url)
    assert r.status_code == 200 and r.context["form"].initial["legal_days"] == 15
    body = {"name": "建筑工程施工许可", "kind": "promised", "legal_days": "15", "promised_days": "20"}
    r = zj.post(url, body)
    assert "不能超过法定办结时限" in "".join(r.context["form"].errors["promised_days"])
    item.refresh_from_db()
    assert item.promised_days == 5
    assert zj.post(url, {**body, "promised_days": "3"}).status_code == 302
    item.refresh_from_db()
    assert item.promised_days == 3
    sw = login(clerks.sw)
    assert url not in sw.get("/office/efficiency/items/").content.decode()
    assert sw.get(url).status_code == 404  # outside the clerk's scope
    assert sw.post(url, {**body, "promised_days": "1"}).status_code == 404
    assert login(personas.auditor).get(url).status_code == 403


def _csv(text: str, name: str = "cases.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_case_upload_reports_problems_by_row_and_column(personas, clerks, item):
    zj = login(clerks.zj)
    assert "导入办件" in zj.get("/office/efficiency/cases/").content.decode()
    r = zj.post("/office/efficiency/cases/import/", {"file": _csv("a,b\n1,2\n")})
    assert "表头应包含" in "".join(r.context["form"].errors["file"])
    csv_text = (
        "办件编号,事项编码,受理日期,办结日期\n"
        "C1,ZJ-XK-001,2026-11-02,2026-11-06\n"
        "C2,NOPE,2026-11-02,\n"
        "C3,ZJ-XK-001,2026-11-10,2026-11-02\n"
    )
    r = zj.post("/office/efficiency/cases/import/", {"file": _csv(csv_text), "dry_run": "on"})
    assert r.status_code == 200 and not CaseFile.objects.exists()
    r = zj.post("/office/efficiency/cases/import/", {"file": _csv(csv_text)})
    assert r.status_code == 200
    html = r.content.decode()
    assert "第3行" in html and "事项编码" in html and "「NOPE」未登记" in html
    assert "第4行" in html and "办结日期" in html
    assert list(CaseFile.objects.values_list("case_no", flat=True)) == ["C1"]
    r = zj.post("/office/efficiency/cases/import/", {"file": _csv(csv_text), "report": "csv"})
    assert r["Content-Type"].startswith("text/csv") and "行号" in r.content.decode("utf-8-sig")
    # the other unit's clerk may upload, but its rows for 住建局's item are refused
    r = login(clerks.sw).post(
        "/office/efficiency/cases/import/",
        {"file": _csv("办件编号,事项编码,受理日期\nS1,ZJ-XK-001,2026-11-02\n")},
    )
    assert "您不能导入" in r.content.decode() and not CaseFile.objects.filter(case_no="S1").exists()
    auditor = login(personas.auditor)
    assert "导入办件" not in auditor.get("/office/efficiency/cases/").content.decode()
    assert auditor.get("/office/efficiency/cases/import/").status_code == 403


def test_snail_award_decide_publish_appeal_answer_rectify(personas, clerks, item):
    services.import_cases(ROWS)
    center, zj, sw = login(clerks.center), login(clerks.zj), login(clerks.sw)
    page = center.get("/office/efficiency/awards/?period=2026Q4").content.decode()
    assert "评定蜗牛奖" in page and "A2" in page and "/office/efficiency/awards/decide/?period=2026Q4" in page
    r = center.get(f"/office/efficiency/awards/decide/?period=2026Q4&unit={ZJ}")
    html = r.content.decode()
    assert r.context["form"].initial["unit"] == ZJ and "按时办结率50.0%" in html and "A2" in html
    body = {"period": "2026Q4", "unit": ZJ, "reasons": "超期办结3件", "decided_on": "2026-12-01"}
    r = center.post("/office/efficiency/awards/decide/", body)
    assert r.context["form"].errors["confirm"] and not SnailAward.objects.exists()
    r = center.post("/office/efficiency/awards/decide/", {**body, "period": "2026Q9", "confirm": "on"})
    assert r.context["form"].errors["period"] and not SnailAward.objects.exists()
    r = center.post("/office/efficiency/awards/decide/", {**body, "confirm": "on"})
    assert r.status_code == 302
    award = SnailAward.objects.get()
    assert award.rectification_due and award.evidence["worst_cases"]
    r = center.post("/office/efficiency/awards/decide/", {**body, "confirm": "on"})
    assert "已获评" in str(r.context["form"].errors) and SnailAward.objects.count() == 1
    # clerks may not decide, and see no decide or publish button
    assert zj.get("/office/efficiency/awards/decide/").status_code == 403
    listing = zj.get("/office/efficiency/awards/").content.decode()
    assert "awards/decide/" not in listing and f"/awards/{award.pk}/publish/" not in listing
    assert f"/awards/{award.pk}/publish/" in center.get("/office/efficiency/awards/").content.decode()
    base = f"/office/efficiency/awards/{award.pk}"
    assert zj.post(f"{base}/publish/", {"confirm": "on"}).status_code == 403
    assert center.post(f"{base}/publish/", {}).context["form"].errors["confirm"]
    assert center.post(f"{base}/publish/", {"confirm": "on"}).status_code == 302
    award.refresh_from_db()
    assert award.status == "published" and award.appeal_due
    assert f"{base}/appeal/" in zj.get("/office/efficiency/awards/").content.decode()
    assert sw.get(f"{base}/appeal/").status_code == 403
    assert zj.post(f"{base}/appeal/", {"reason": ""}).context["form"].errors["reason"]
    assert zj.post(f"{base}/appeal/", {"reason": "A2 超期因申请人补材料"}).status_code == 302
    assert zj.get(f"{base}/appeal/").status_code == 403  # only once
    assert center.post(f"{base}/answer/", {"answer": "仍超期"}).context["form"].errors["upheld"]
    assert center.post(f"{base}/answer/", {"upheld": "1", "answer": "仍超期"}).status_code == 302
    award.refresh_from_db()
    assert award.status == "upheld"
    assert zj.get(f"{base}/rectified/").status_code == 403
    r = center.post(f"{base}/rectified/", {"follow_up": "压缩审批环节", "rectified_on": "2026-13-01"})
    assert r.context["form"].errors["rectified_on"]
    assert center.post(f"{base}/rectified/", {"follow_up": "压缩审批环节"}).status_code == 302
    award.refresh_from_db()
    assert award.status == "rectified" and award.follow_up == "压缩审批环节"
    assert center.get(f"{base}/nope/").status_code == 404
    assert center.get("/office/efficiency/awards/999999/publish/").status_code == 404
