"""NPC suggestions and CPPCC proposals: deadlines by months, answers, feedback, reopening, promises."""

from __future__ import annotations

import datetime as dt

import pytest

from govcredit.core.errors import Conflict, PermissionDenied, ValidationFailed
from govcredit.duties.models import Duty, DutyStatus, IntegrityEvent
from govcredit.supervision import motions
from govcredit.supervision.models import Motion, MotionStatus


@pytest.fixture
def motion_data():
    def build(**overrides):
        data = {
            "kind": "npc",
            "number": "19-4-012",
            "session": "区十九届人大四次会议",
            "title": "关于加快老旧小区加装电梯审批的建议",
            "proposers": "王代表（领衔）、李代表",
            "lead_unit": "区住建局",
            "co_units": ["区商务局"],
            "assigned_on": "2026-01-31",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def motion(personas, people, motion_data):
    return motions.create_motion(motion_data(), access=personas.access(people.govoffice))


@pytest.mark.django_db
class TestMotions:
    def test_three_months_or_six_when_complex(self, personas, people, motion_data):
        gov = personas.access(people.govoffice)
        assert motions.create_motion(motion_data(), access=gov).deadline == dt.date(2026, 4, 30)
        m = motions.create_motion(motion_data(number="19-4-013", complex=True), access=gov)
        assert m.deadline == dt.date(2026, 7, 31)
        assert Duty.objects.get(object_id=m.pk, kind="motion_answer").due_on == dt.date(2026, 7, 31)
        co = Duty.objects.get(object_id=m.pk, kind="motion_co_opinion")
        assert co.unit.short_name == "区商务局" and co.due_on == dt.date(
            2026, 2, 28
        )  # one month; a make-up working day

    def test_bad_input_and_duplicates(self, personas, people, motion_data, motion):
        gov = personas.access(people.govoffice)
        with pytest.raises(ValidationFailed) as exc:
            motions.create_motion(
                motion_data(number="x", lead_unit="无此局", co_units=["区住建局"], kind="z"), access=gov
            )
        assert {"lead_unit", "kind"} <= set(exc.value.field_errors)
        with pytest.raises(Conflict):
            motions.create_motion(motion_data(), access=gov)
        with pytest.raises(PermissionDenied):
            motions.create_motion(motion_data(number="n2"), access=personas.access(people.zj))
        assert Motion.objects.count() == 1

    def test_a_planned_answer_needs_a_date_and_becomes_a_tracked_promise(self, personas, people, motion):
        zj = personas.access(people.zj)
        answer = {"answer_type": "planned", "text": "已列入2027年计划。", "signer": "局长 赵某"}
        with pytest.raises(ValidationFailed) as exc:
            motions.answer(motion, access=zj, data=answer)
        assert "promise_due_on" in exc.value.field_errors
        with pytest.raises(PermissionDenied):
            motions.answer(
                motion, access=personas.access(people.edu), data={**answer, "promise_due_on": "2027-06-30"}
            )
        m = motions.answer(motion, access=zj, data={**answer, "promise_due_on": "2027-06-30"})
        assert m.status == MotionStatus.ANSWERED
        promise = Duty.objects.get(object_id=m.pk, kind="motion_promise")
        assert promise.due_on == dt.date(2027, 6, 30) and promise.unit.short_name == "区住建局"
        assert Duty.objects.get(object_id=m.pk, kind="motion_answer").status == DutyStatus.FULFILLED
        assert IntegrityEvent.objects.filter(indicator__startswith="motion_answered").count() == 1

    def test_unsatisfied_reopens_for_one_month(self, personas, people, motion):
        zj = personas.access(people.zj)
        gov = personas.access(people.govoffice)
        m = motions.answer(
            motion, access=zj, data={"answer_type": "solved", "text": "已解决。", "signer": "赵某"}
        )
        with pytest.raises(ValidationFailed):
            motions.feedback(m, access=gov, value="unsatisfied")  # a reason is required
        m = motions.feedback(m, access=gov, value="unsatisfied", note="电梯仍未开工")
        assert m.status == MotionStatus.REOPENED and m.cycle == 2
        from django.utils import timezone

        from govcredit.duties.clock import due_date

        assert m.deadline == due_date(timezone.localdate(), mode="months", n=1).due
        assert Duty.objects.get(object_id=m.pk, kind="motion_answer", key="c2").status == DutyStatus.OPEN
        m = motions.answer(m, access=zj, data={"answer_type": "solved", "text": "已开工。", "signer": "赵某"})
        m = motions.feedback(m, access=gov, value="satisfied")
        assert m.status == MotionStatus.CLOSED and m.answers.count() == 2
        with pytest.raises(Conflict):
            motions.feedback(m, access=gov, value="satisfied")

    def test_co_unit_opinion_once(self, personas, people, motion):
        edu = personas.access(people.edu)
        motions.add_opinion(motion, access=edu, text_="同意主办单位意见。")
        with pytest.raises(Conflict):
            motions.add_opinion(motion, access=edu, text_="再次提交。")
        with pytest.raises(PermissionDenied):
            motions.add_opinion(motion, access=personas.access(people.zj), text_="主办单位不是协办。")

    def test_scope(self, personas, people, motion):
        assert motions.motions_for(personas.access(people.zj)).count() == 1
        assert motions.motions_for(personas.access(people.edu)).count() == 1
        assert motions.motions_for(personas.access(personas.court)).count() == 0


@pytest.mark.django_db
def test_motion_api(api, personas, people):
    body = {
        "kind": "cppcc",
        "number": "88",
        "session": "区政协十届四次会议",
        "title": "关于优化营商环境的提案",
        "proposers": "孙委员",
        "lead_unit": "区住建局",
        "assigned_on": "2026-01-31",
    }
    r = api(people.govoffice).post("/api/v1/supervision/motions", body)
    assert r.status_code == 201 and r.json()["deadline"] == "2026-04-30"
    pk = r.json()["id"]
    r = api(people.zj).post(
        f"/api/v1/supervision/motions/{pk}/answer",
        {"answer_type": "unable", "text": "暂无法解决。", "signer": "赵"},
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    r = api(people.govoffice).post(f"/api/v1/supervision/motions/{pk}/feedback", {"feedback": "basic"})
    assert r.json()["status"] == "closed"
    assert api(people.govoffice).get("/api/v1/supervision/motions", kind="cppcc").json()["count"] == 1
