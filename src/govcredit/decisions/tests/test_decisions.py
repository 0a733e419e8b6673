"""Major decisions: the gates (409 / 422 / flag), the procedure list, publication with a missing step →
finding and referral, and the disclosure ledger of each step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govcredit.decisions.models import CollectiveDecision, Decision, LegalityReview, Participation
from govcredit.duties.models import DisclosureEntry, Finding, IntegrityEvent
from govcredit.records.models import CreditRecord
from govcredit.sanctions.models import AccountabilityReferral

from .conftest import COLLECTIVE, CONSULTATION, LEGALITY

pytestmark = pytest.mark.django_db


def url(d, tail=""):
    return f"/api/v1/decisions/{d.pk}{tail}"


def test_a_consultation_shorter_than_30_days_needs_a_reason(api, staff, launched):
    client = api(staff.zj)
    short = {**CONSULTATION, "end_on": "2026-09-20"}
    r = client.post(url(launched, "/participation"), short)
    assert r.status_code == 422
    assert "少于30日" in r.json()["detail"] or "少于30日" in str(r.json())
    assert not Participation.objects.exists()
    r = client.post(url(launched, "/participation"), {**short, "shortened_reason": "防汛工程需在汛期前启动"})
    assert r.status_code == 201, r.json()
    assert r.json()["days"] == 19
    assert r.json()["state"] == "closed"


def test_dates_out_of_order_are_refused_in_chinese(api, staff, launched):
    r = api(staff.zj).post(url(launched, "/participation"), {**CONSULTATION, "end_on": "2026-08-30"})
    assert r.status_code == 422
    assert "应晚于开始日期" in str(r.json())
    r = api(staff.zj).post(url(launched, "/participation"), {**CONSULTATION, "start_on": "2026-13-01"})
    assert r.status_code == 422


def test_a_collective_decision_without_a_legality_opinion_is_refused(api, staff, launched):
    client = api(staff.zj)
    assert client.post(url(launched, "/participation"), CONSULTATION).status_code == 201
    r = client.post(url(launched, "/collective-decision"), COLLECTIVE)
    assert r.status_code == 409
    assert "未经合法性审查" in r.json()["detail"]
    assert not CollectiveDecision.objects.exists()


def test_only_the_legality_reviewer_records_the_opinion_and_short_reviews_are_flagged(api, staff, launched):
    assert api(staff.zj).post(url(launched, "/legality-review"), LEGALITY).status_code == 403
    r = api(staff.legal).post(url(launched, "/legality-review"), {**LEGALITY, "opinion_on": "2026-10-14"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["flags"] == ["insufficient_review_time"]
    assert body["working_days"] == 4  # 10-10 (Sat, 调休上班), 10-12, 10-13, 10-14
    assert "少3个工作日" in body["explain"]
    proc = api(staff.zj).get(url(launched, "/procedure")).json()
    legality = next(s for s in proc["steps"] if s["step"] == "legality")
    assert legality["state"] == "complete" and "insufficient_review_time" in legality["flags"]


def test_a_meeting_before_the_consultation_ended_is_refused(api, staff, launched):
    assert api(staff.zj).post(url(launched, "/participation"), CONSULTATION).status_code == 201
    assert (
        api(staff.legal)
        .post(
            url(launched, "/legality-review"),
            {**LEGALITY, "submitted_on": "2026-09-10", "opinion_on": "2026-09-25"},
        )
        .status_code
        == 201
    )
    r = api(staff.zj).post(url(launched, "/collective-decision"), {**COLLECTIVE, "meeting_on": "2026-10-01"})
    assert r.status_code == 409
    assert "征求意见结束后" in r.json()["detail"]


def test_the_procedure_lists_five_steps_and_a_waiver_carries_its_reason(api, staff, launched):
    client = api(staff.zj)
    r = client.post(url(launched, "/waivers"), {"step": "legality", "reason": "无", "approved_by": "区长"})
    assert r.status_code == 422
    r = client.post(
        url(launched, "/waivers"),
        {
            "step": "expert",
            "reason": "不属于专业性、技术性较强的事项",
            "approved_by": "副区长 王某",
            "approved_on": "2026-09-01",
        },
    )
    assert r.status_code == 201
    assert (
        client.post(
            url(launched, "/waivers"), {"step": "expert", "reason": "x", "approved_by": "y"}
        ).status_code
        == 409
    )
    steps = {s["step"]: s for s in client.get(url(launched, "/procedure")).json()["steps"]}
    assert list(steps) == ["participation", "expert", "risk", "legality", "collective"]
    assert steps["expert"]["state"] == "not_applicable"
    assert steps["expert"]["reason"] == "不属于专业性、技术性较强的事项"
    assert steps["expert"]["approved_by"] == "副区长 王某"
    assert steps["participation"]["state"] == "missing"


def test_publishing_with_a_missing_step_opens_a_finding_and_a_referral(api, staff, launched):
    client = api(staff.zj)
    assert client.post(url(launched, "/participation"), CONSULTATION).status_code == 201
    assert api(staff.legal).post(url(launched, "/legality-review"), LEGALITY).status_code == 201
    r = client.post(url(launched, "/collective-decision"), COLLECTIVE)
    assert r.status_code == 201, r.json()
    r = client.post(
        url(launched, "/publish"),
        {"document_no": "周政发〔2026〕9号", "text": "全文……", "published_on": "2026-10-30"},
    )
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "published"
    finding = Finding.objects.get(module="decisions")
    assert finding.item == "decision_procedure_violation"
    assert "专家论证、风险评估" in finding.facts
    assert finding.document_no.startswith("周信〔") and "JC-" in finding.document_no
    record = CreditRecord.objects.get(pk=finding.record_id)
    assert record.status == "submitted"
    assert AccountabilityReferral.objects.filter(
        source_type="decisions.decision", source_id=str(launched.pk)
    ).exists()
    assert IntegrityEvent.objects.filter(
        indicator="decision_procedure_completeness", value=Decimal("0.6")
    ).exists()
    # publishing again changes nothing
    assert client.post(url(launched, "/publish"), {"document_no": "x", "text": "y"}).status_code == 409
    assert Finding.objects.filter(module="decisions").count() == 1


def test_a_complete_procedure_publishes_without_a_finding_and_every_step_is_in_the_ledger(
    api, staff, launched
):
    client = api(staff.zj)
    client.post(url(launched, "/participation"), CONSULTATION)
    r = client.post(
        url(launched, "/expert-review"),
        {
            "reviewed_on": "2026-09-15",
            "experts": [{"name": "李教授", "organisation": "山东理工大学", "signed": True}],
            "opinion": "方案可行。",
        },
    )
    assert r.status_code == 201, r.json()
    r = client.post(
        url(launched, "/risk-assessment"),
        {
            "assessed_on": "2026-09-20",
            "assessor": "区住建局",
            "risk_points": "施工扰民",
            "measures": "错峰施工",
            "conclusion": "low",
        },
    )
    assert r.status_code == 201
    api(staff.legal).post(url(launched, "/legality-review"), LEGALITY)
    client.post(url(launched, "/collective-decision"), COLLECTIVE)
    r = client.post(
        url(launched, "/publish"),
        {"document_no": "周政发〔2026〕9号", "text": "全文……", "published_on": "2026-10-30"},
    )
    assert r.status_code == 200
    assert all(s["state"] == "complete" for s in r.json()["procedure"])
    assert not Finding.objects.exists()
    types = list(
        DisclosureEntry.objects.filter(object_type__startswith="decisions.").values_list(
            "object_type", flat=True
        )
    )
    for t in (
        "participation",
        "expertreview",
        "riskassessment",
        "legalityreview",
        "collectivedecision",
        "decision",
    ):
        assert f"decisions.{t}" in types
    # the public can check the consultation's 30 days ended before the meeting
    page = api(None).client.get(f"/decisions/{launched.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026-09-01至2026-10-08公开征求意见37日" in html
    assert "公开事项日志" in html


def test_expert_review_refuses_conflicts_and_unsigned_opinions(api, staff, launched):
    r = api(staff.zj).post(
        url(launched, "/expert-review"),
        {
            "reviewed_on": "2026-09-15",
            "experts": [{"name": "甲", "conflict": True, "signed": True}, {"name": "乙", "signed": False}],
            "opinion": "可行",
        },
    )
    assert r.status_code == 422
    text = str(r.json())
    assert "应当回避" in text and "未署名" in text


def test_a_hearing_needs_materials_seven_days_ahead(api, staff, launched):
    r = api(staff.zj).post(
        url(launched, "/hearings"),
        {
            "held_on": "2026-09-20",
            "participants": "居民代表12人",
            "participants_published_on": "2026-09-05",
            "materials_sent_on": "2026-09-15",
        },
    )
    assert r.status_code == 422
    assert "7日前" in str(r.json())


def test_scope_and_rights(api, staff, launched, personas):
    assert api(staff.sw).get(url(launched)).status_code == 404
    assert api(staff.sw).post(url(launched, "/participation"), CONSULTATION).status_code == 404
    assert api(personas.office).get(url(launched)).status_code == 200
    assert api(staff.gov).get("/api/v1/decisions").json()["count"] == 1
    assert api(staff.sw).get("/api/v1/decisions").json()["count"] == 0
    r = api(staff.zj).post(
        "/api/v1/decisions/catalog", {"year": 2026, "title": "x", "category": "policy", "unit": "区住建局"}
    )
    assert r.status_code == 403
    assert api(staff.gov).get("/api/v1/decisions", page=0).status_code == 422
    assert Decision.objects.count() == 1 and not LegalityReview.objects.exists()
