"""Back-office action forms: every staff write of the API is a form page calling the same service;
service errors land on the right field, nothing is half-saved, buttons show only to who may use them."""

from __future__ import annotations

import pytest
from django.test import Client

from govcredit.decisions.models import (
    CatalogEntry,
    Decision,
    ExpertReview,
    Hearing,
    Participation,
    StepWaiver,
)

from .conftest import COLLECTIVE, CONSULTATION, LEGALITY

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def field_errors(r, name: str) -> list[str]:
    return list(r.context["form"].errors.get(name, []))


def act(d, slug):
    return f"/office/decisions/{d.pk}/{slug}/"


EXPERT = {
    "reviewed_on": "2026-09-15",
    "opinion": "方案可行。",
    "expert_1_name": "李教授",
    "expert_1_organisation": "山东理工大学",
    "expert_1_signed": "on",
}
RISK = {
    "assessed_on": "2026-09-20",
    "assessor": "区住建局",
    "risk_points": "施工扰民",
    "measures": "错峰施工",
    "conclusion": "low",
}


def test_catalog_entry_and_publication_forms(personas, staff):
    gov = login(staff.gov)
    r = gov.get("/office/decisions/catalog/")
    assert "登记目录事项" in r.content.decode() and "公布年度目录" in r.content.decode()
    assert gov.get("/office/decisions/catalog/new/").status_code == 200
    data = {"year": 2026, "title": "周村区城市更新规划", "category": "planning", "unit": "区住建局"}
    data["decision_body"] = "区政府"
    r = gov.post("/office/decisions/catalog/new/", data)
    assert r.status_code == 302
    # the same title twice: the service's error is at the title field, nothing saved
    r = gov.post("/office/decisions/catalog/new/", data)
    assert r.status_code == 200 and "已有" in "".join(field_errors(r, "title"))
    r = gov.post("/office/decisions/catalog/new/", {**data, "title": "另一项", "unit": "区不存在局"})
    assert "不存在" in "".join(field_errors(r, "unit"))
    assert CatalogEntry.objects.count() == 1
    # publishing needs the confirmation box and a valid date at its field
    r = gov.post("/office/decisions/catalog/publish/", {"year": 2026, "party_agreed_on": "2026-02-10"})
    assert field_errors(r, "confirm") == ["请勾选确认"]
    r = gov.post(
        "/office/decisions/catalog/publish/", {"year": 2026, "party_agreed_on": "2099-01-01", "confirm": "on"}
    )
    assert field_errors(r, "party_agreed_on")
    assert not CatalogEntry.objects.filter(published_on__isnull=False).exists()
    r = gov.post(
        "/office/decisions/catalog/publish/", {"year": 2026, "party_agreed_on": "2026-02-10", "confirm": "on"}
    )
    assert r.status_code == 302 and CatalogEntry.objects.get().published_on
    r = gov.post(
        "/office/decisions/catalog/publish/", {"year": 2026, "party_agreed_on": "2026-02-10", "confirm": "on"}
    )
    assert "没有待公布" in "".join(field_errors(r, "year"))
    # a unit's clerk neither sees the buttons nor reaches the pages
    zj = login(staff.zj)
    assert "登记目录事项" not in zj.get("/office/decisions/catalog/").content.decode()
    assert zj.get("/office/decisions/catalog/new/").status_code == 403
    assert zj.post("/office/decisions/catalog/new/", {**data, "title": "x"}).status_code == 403
    assert zj.get("/office/decisions/catalog/publish/").status_code == 403


def test_launch_form(personas, staff):
    from govcredit.decisions import services

    entry = services.create_catalog_entry(
        {"year": 2026, "title": "周村区养老服务规划", "category": "planning", "unit": "区住建局"},
        access=personas.access(staff.gov),
    )
    zj = login(staff.zj)
    assert "启动决策" in zj.get("/office/decisions/").content.decode()
    r = zj.post("/office/decisions/new/", {"catalog_entry_id": entry.pk, "launched_on": "2026-08-20"})
    assert r.status_code == 200 and field_errors(r, "catalog_entry_id")  # not a published entry: no choice
    services.publish_catalog(2026, party_agreed_on="2026-02-10", access=personas.access(staff.gov))
    r = zj.post("/office/decisions/new/", {"catalog_entry_id": entry.pk, "launched_on": "2099-08-20"})
    assert "超出有效范围" in "".join(field_errors(r, "launched_on"))
    r = zj.post("/office/decisions/new/", {"catalog_entry_id": entry.pk, "launched_on": "2026-08-20"})
    d = Decision.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/office/decisions/{d.pk}/"
    reviewer = login(personas.reviewer)
    assert "启动决策" not in reviewer.get("/office/decisions/").content.decode()
    assert reviewer.get("/office/decisions/new/").status_code == 403


def test_every_step_through_the_forms(personas, staff, launched):
    zj, legal, gov = login(staff.zj), login(staff.legal), login(staff.gov)
    page = zj.get(f"/office/decisions/{launched.pk}/").content.decode()
    assert "公开征求意见" in page and "登记合法性审查意见" not in page  # only the reviewer records it
    assert "登记合法性审查意见" in legal.get(f"/office/decisions/{launched.pk}/").content.decode()
    for slug in ("participation", "hearing", "expert", "risk", "collective", "publish", "waiver"):
        assert zj.get(act(launched, slug)).status_code == 200, slug
    r = zj.post(act(launched, "participation"), {**CONSULTATION, "end_on": "2026-09-10"})
    assert "须说明理由" in "".join(field_errors(r, "shortened_reason"))
    assert not Participation.objects.exists()
    assert zj.post(act(launched, "participation"), CONSULTATION).status_code == 302
    r = zj.post(act(launched, "participation"), CONSULTATION)
    assert "不能重复登记" in "".join(r.context["form"].non_field_errors())
    hearing = {
        "held_on": "2026-09-20",
        "participants": "居民代表12人",
        "participants_published_on": "2026-09-05",
        "materials_sent_on": "2026-09-15",
    }
    r = zj.post(act(launched, "hearing"), hearing)
    assert "7日前" in "".join(field_errors(r, "materials_sent_on")) and not Hearing.objects.exists()
    assert (
        zj.post(act(launched, "hearing"), {**hearing, "materials_sent_on": "2026-09-10"}).status_code == 302
    )
    r = zj.post(
        act(launched, "expert"),
        {**EXPERT, "expert_2_name": "王工", "expert_2_conflict": "on", "expert_2_signed": "on"},
    )
    assert "应当回避" in "".join(field_errors(r, "expert_2_conflict"))
    r = zj.post(act(launched, "expert"), {**EXPERT, "expert_1_signed": ""})
    assert "未署名" in "".join(field_errors(r, "expert_1_signed")) and not ExpertReview.objects.exists()
    assert zj.post(act(launched, "expert"), EXPERT).status_code == 302
    r = zj.post(act(launched, "risk"), {**RISK, "conclusion": "extreme"})
    assert field_errors(r, "conclusion")
    assert zj.post(act(launched, "risk"), RISK).status_code == 302
    # the collective decision waits for the legality opinion (409 in the API, a form error here)
    r = zj.post(act(launched, "collective"), COLLECTIVE)
    assert r.status_code == 200 and "合法性审查" in str(r.context["form"].errors)
    assert zj.get(act(launched, "legality")).status_code == 403
    r = legal.post(act(launched, "legality"), {**LEGALITY, "opinion_on": "2026-10-05"})
    assert "早于" in str(r.context["form"].errors) or "晚于" in str(r.context["form"].errors)
    assert legal.post(act(launched, "legality"), LEGALITY).status_code == 302
    r = zj.post(act(launched, "collective"), {**COLLECTIVE, "head_departs": "on"})
    assert field_errors(r, "head_reasons")
    assert zj.post(act(launched, "collective"), COLLECTIVE).status_code == 302
    assert zj.post(act(launched, "report"), {"reported_on": "2026-10-27"}).status_code == 302
    pub = {"document_no": "周政发〔2026〕9号", "text": "全文……", "published_on": "2026-10-30"}
    r = zj.post(act(launched, "publish"), pub)
    assert field_errors(r, "confirm")
    launched.refresh_from_db()
    assert launched.published_on is None
    assert zj.post(act(launched, "publish"), {**pub, "confirm": "on"}).status_code == 302
    launched.refresh_from_db()
    assert launched.published_on is not None
    r = zj.post(act(launched, "execution"), {"reported_on": "2026-11-10", "content": ""})
    assert field_errors(r, "content")
    assert (
        zj.post(act(launched, "execution"), {"reported_on": "2026-11-10", "content": "已开工"}).status_code
        == 302
    )
    ev = {"evaluated_on": "2026-11-20", "evaluator": "第三方机构", "conclusion": "效果良好"}
    assert zj.post(act(launched, "evaluation"), ev).status_code == 302
    assert launched.post_evaluations.count() == 1 and launched.execution_reports.count() == 1
    # adoption report after the consultation's end (no comments: 0 adopted)
    r = zj.post(act(launched, "adoption"), {"adoption_report": "未收到意见", "adopted_count": 5})
    assert "不能多于" in "".join(field_errors(r, "adopted_count"))
    assert (
        zj.post(act(launched, "adoption"), {"adoption_report": "未收到意见", "adopted_count": 0}).status_code
        == 302
    )
    # adjusting a decision is for the catalog owner
    assert zj.get(act(launched, "status")).status_code == 403
    r = gov.post(act(launched, "status"), {"status": "adjusted", "reason": "规划调整"})
    assert field_errors(r, "confirm")
    assert (
        gov.post(
            act(launched, "status"), {"status": "adjusted", "reason": "规划调整", "confirm": "on"}
        ).status_code
        == 302
    )
    launched.refresh_from_db()
    assert launched.status == "adjusted"


def test_waiver_form_and_forbidden_users(personas, staff, launched):
    zj = login(staff.zj)
    r = zj.post(act(launched, "waiver"), {"step": "expert", "reason": "", "approved_by": "区长"})
    assert field_errors(r, "reason") and not StepWaiver.objects.exists()
    r = zj.post(act(launched, "waiver"), {"step": "legality", "reason": "x", "approved_by": "区长"})
    assert field_errors(r, "step")  # a mandatory step cannot be waived: not even a choice
    r = zj.post(
        act(launched, "waiver"), {"step": "expert", "reason": "技术简单，无需论证", "approved_by": "区长"}
    )
    assert r.status_code == 302
    w = StepWaiver.objects.get()
    assert w.approved_by == "区长"
    # 区政府法制办 sees the decision but does not manage it: no buttons, 403 on the pages
    legal = login(staff.legal)
    page = legal.get(f"/office/decisions/{launched.pk}/").content.decode()
    assert "公开征求意见" not in page and "公布决策" not in page
    for slug in ("participation", "hearing", "expert", "risk", "waiver", "publish", "execution"):
        assert legal.get(act(launched, slug)).status_code == 403, slug
        assert legal.post(act(launched, slug), {}).status_code == 403, slug
    # outside the scope: 404; an unknown action: 404
    assert login(staff.sw).get(act(launched, "hearing")).status_code == 404
    assert zj.get(act(launched, "nothing")).status_code == 404
