import json

import pytest
from django.core.management import call_command

from govcredit.commitments.models import Commitment, CommitmentChange, ProgressReport
from govcredit.duties.models import DisclosureEntry, Finding, IntegrityEvent
from govcredit.records.models import CreditRecord
from govcredit.subjects.models import Subject


def patch(client, path, body):
    return client.client.patch(path, json.dumps(body), content_type="application/json", **client.headers)


@pytest.fixture
def hr_subject(reference):
    return Subject.objects.get(name="周村区人力资源和社会保障局")


@pytest.fixture
def published(personas, api, commitment_data):
    r = api(personas.hr).post("/api/v1/commitments", commitment_data())
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["status"] == "draft" and body["code"].startswith("CMT-2026-")
    assert api(personas.hr).post(f"/api/v1/commitments/{body['id']}/publish").status_code == 403
    r = api(personas.office).post(f"/api/v1/commitments/{body['id']}/publish")
    assert r.status_code == 200 and r.json()["status"] == "published"
    return body["id"]


def test_publish_lists_publicly_with_next_report_due(published, hr_subject, api):
    r = api(None).get("/api/v1/public/commitments", subject=hr_subject.uscc)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["next_report_due"] == "2026-04-10"  # Q1 ends 03-31, +10 days (⚠ rule)
    assert item["baseline"] == "4200.0000" and item["target"] == "4500.0000"
    assert item["target_text"] == "不低于4,500人"
    assert item["overdue"] is True  # due 2026-06-30, no final report
    assert "reporter" not in item and "finding_id" not in item
    assert DisclosureEntry.objects.filter(event="publish", object_id=str(published)).count() == 1
    assert api(None).get("/api/v1/public/commitments", subject="91370306XXXXXXXXXX").status_code in (404, 200)
    assert api(None).get("/api/v1/public/commitments", page=0).status_code == 422


def test_overdue_after_scan_and_reporter_cannot_assess(published, personas, api, hr_subject):
    call_command("duties", "scan")
    r = api(personas.office).get(f"/api/v1/commitments/{published}")
    assert r.json()["overdue"] is True
    r = api(personas.hr).post(
        f"/api/v1/commitments/{published}/reports",
        {"period": "final", "final": True, "value": "4000", "narrative": "全年新增就业4000人。"},
    )
    assert r.status_code == 201
    assert api(personas.office).get(f"/api/v1/commitments/{published}").json()["overdue"] is False
    # the reporter may not assess (and is no verifier either)
    r = api(personas.hr).post(
        f"/api/v1/commitments/{published}/assess", {"outcome": "not_fulfilled", "reason": "x"}
    )
    assert r.status_code == 403
    r = api(personas.office).post(
        f"/api/v1/commitments/{published}/assess", {"outcome": "not_fulfilled", "reason": "新增就业未达目标"}
    )
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "not_fulfilled"
    call_command("duties", "scan")
    r = api(personas.reviewer).get("/api/v1/records", status="submitted")
    items = [i for i in r.json()["items"] if i["item"] == "broken_commitment"]
    assert len(items) == 1 and "CMT-" in items[0]["document_no"]
    count = CreditRecord.objects.count()
    call_command("duties", "scan")
    assert CreditRecord.objects.count() == count and Finding.objects.count() == 1
    finding = Finding.objects.get()
    assert finding.severity == "major" and "新增就业未达目标" in finding.facts
    assert "（十九）" in finding.legal_basis
    r = api(personas.reviewer).post(
        f"/api/v1/records/{finding.record_id}/reject", {"reason": "证据不足，请补充核定材料"}
    )
    assert r.status_code == 200, r.json()
    assert api(personas.office).get(f"/api/v1/findings/{finding.pk}").json()["status"] == "rejected"
    assert IntegrityEvent.objects.filter(indicator="commitment_not_fulfilled", polarity="-").count() == 1


def test_reporter_of_the_office_cannot_assess_what_they_reported(published, personas, api):
    r = api(personas.office).post(
        f"/api/v1/commitments/{published}/reports",
        {"period": "final", "final": True, "value": "4600", "narrative": "完成。"},
    )
    assert r.status_code == 201
    r = api(personas.office).post(
        f"/api/v1/commitments/{published}/assess", {"outcome": "fulfilled", "reason": "完成"}
    )
    assert r.status_code == 403 and "报告人" in r.json()["detail"]


def test_goal_post_lock(published, personas, api, hr_subject):
    r = patch(api(personas.office), f"/api/v1/commitments/{published}", {"target": "4300"})
    assert r.status_code == 422 and "change_reason" in str(r.json())
    assert Commitment.objects.get(pk=published).target == 4500
    r = patch(
        api(personas.office),
        f"/api/v1/commitments/{published}",
        {
            "target": "4300",
            "change_reason": "受疫情影响经区政府常务会议研究调整",
            "approving_document": "周政字〔2026〕45号",
        },
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["version"] == 2 and body["target"] == "4300.0000"
    change = body["changes"][0]
    assert change["old_target_text"] == "不低于4,500人" and change["new_target_text"] == "不低于4,300人"
    public = api(None).get("/api/v1/public/commitments", subject=hr_subject.uscc).json()["items"][0]
    assert public["changes"][0]["old_target"]["target"] == "4500.0000"
    assert DisclosureEntry.objects.filter(event="correct", object_id=str(published), version=2).exists()
    # same document twice → 422; nothing changed
    r = patch(
        api(personas.office),
        f"/api/v1/commitments/{published}",
        {"target": "4200", "change_reason": "再调整", "approving_document": "周政字〔2026〕45号"},
    )
    assert r.status_code == 422 and CommitmentChange.objects.count() == 1
    # the change was approved after the due date (2026-06-30): the assessment scores against version 1
    api(personas.hr).post(
        f"/api/v1/commitments/{published}/reports",
        {"period": "final", "final": True, "value": "4300", "narrative": "新增就业4300人。"},
    )
    r = api(personas.office).post(
        f"/api/v1/commitments/{published}/assess", {"outcome": "partially_fulfilled", "reason": "部分完成"}
    )
    assessment = r.json()["assessment"]
    assert assessment["target_version"] == 1 and assessment["achievement"] == "33.33"
    assert Finding.objects.filter(rule="commitment_partially_fulfilled", severity="general").count() == 1


def test_partial_above_threshold_opens_no_finding(published, personas, api):
    api(personas.hr).post(
        f"/api/v1/commitments/{published}/reports",
        {"period": "final", "final": True, "value": "4450", "narrative": "新增就业4450人。"},
    )
    r = api(personas.office).post(
        f"/api/v1/commitments/{published}/assess", {"outcome": "partially_fulfilled", "reason": "基本完成"}
    )
    assert r.json()["assessment"]["achievement"] == "83.33"
    assert Finding.objects.count() == 0


def test_bad_input_is_a_clear_4xx_and_nothing_half_saved(personas, api, commitment_data, published):
    hr = api(personas.hr)
    before = Commitment.objects.count()
    cases = [
        ({"subject": "不存在的单位"}, "subject"),
        ({"target": "四千五"}, "target"),
        ({"due_on": "2025-12-31"}, "due_on"),
        ({"kind": "wish"}, "kind"),
        ({"areas": ["就业", "火星"]}, "areas"),
        ({"unit": "不存在的局"}, "unit"),
        ({"start_on": "2026-02-30"}, "start_on"),
    ]
    for override, field in cases:
        r = hr.post("/api/v1/commitments", commitment_data(**override))
        assert r.status_code == 422, override
        assert field in r.json()["detail"]["fields"], r.json()
    assert Commitment.objects.count() == before
    code = Commitment.objects.get(pk=published).code
    r = hr.post("/api/v1/commitments", commitment_data(code=code))
    assert r.status_code == 422 and "已使用" in str(r.json())
    # the court may not register a commitment for 区人社局
    assert (
        api(personas.court).post("/api/v1/commitments", commitment_data(unit="区人社局")).status_code == 403
    )
    # a report for a withdrawn commitment
    assert (
        api(personas.office).post(f"/api/v1/commitments/{published}/withdraw", {"reason": ""}).status_code
        == 422
    )
    r = api(personas.office).post(
        f"/api/v1/commitments/{published}/withdraw", {"reason": "机构调整，承诺由新单位重新作出"}
    )
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    r = hr.post(f"/api/v1/commitments/{published}/reports", {"period": "2026Q1", "narrative": "进展"})
    assert r.status_code == 409 and "撤回" in r.json()["detail"]
    assert ProgressReport.objects.count() == 0
    assert DisclosureEntry.objects.filter(event="withdraw", object_id=str(published)).exists()
    assert api(personas.court).get(f"/api/v1/commitments/{published}").status_code == 404


def test_fulfilled_on_time_is_an_integrity_event(personas, api, commitment_data):
    r = api(personas.hr).post(
        "/api/v1/commitments", commitment_data(due_on="2026-12-31", metric="boolean", target="")
    )
    cid = r.json()["id"]
    api(personas.office).post(f"/api/v1/commitments/{cid}/publish")
    r = api(personas.hr).post(
        f"/api/v1/commitments/{cid}/reports", {"period": "final", "final": True, "narrative": "已完成。"}
    )
    assert r.status_code == 201
    r = api(personas.office).post(
        f"/api/v1/commitments/{cid}/assess", {"outcome": "fulfilled", "reason": "经核实已完成"}
    )
    assert r.status_code == 200 and r.json()["status"] == "fulfilled"
    assert IntegrityEvent.objects.filter(indicator="commitment_fulfilled_on_time", polarity="+").count() == 1
    assert IntegrityEvent.objects.filter(indicator="commitment_report_on_time").count() == 1
    assert api(personas.hr).get("/api/v1/commitments", source="motion:1").json()["count"] == 0
