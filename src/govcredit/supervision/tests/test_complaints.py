"""Complaints and reports about 政务失信: filing, clock per category, the handling chain, masking,
substantiation into a finding, integrity events."""

from __future__ import annotations

import datetime as dt

import pytest

from govcredit.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from govcredit.duties.clock import due_date
from govcredit.duties.models import Duty, DutyStatus, Finding, IntegrityEvent
from govcredit.supervision import complaints
from govcredit.supervision.models import Complaint, ComplaintStatus


def _through_reply(c, personas, people, **reply):
    office = personas.access(personas.office)
    c = complaints.accept(c, access=office)
    c = complaints.assign(c, access=office)
    return complaints.reply(
        c,
        access=personas.access(people.zj),
        text_="经核查，审批超期属实，已于本周办结并向申请人致歉。",
        **reply,
    )


@pytest.mark.django_db
class TestFiling:
    def test_it_gives_a_code_and_the_category_deadline(self, filed):
        c = filed()
        assert c.tracking_code.startswith("TS") and len(c.tracking_code) == 14
        assert c.deadline == due_date(c.received_on, mode="working", n=5).due
        assert c.status == ComplaintStatus.RECEIVED
        duty = Duty.objects.get(module="supervision", object_id=c.pk)
        assert duty.due_on == c.deadline and duty.unit.short_name == "区发改局"

    def test_a_petition_runs_sixty_calendar_days(self, filed):
        c = filed(category="petition")
        assert c.deadline == due_date(c.received_on, mode="calendar", n=60).due

    def test_identity_is_stored_encrypted_and_masked(self, filed):
        c = filed()
        assert "张三明" not in c.name_cipher and c.name_masked == "张*明"
        assert c.contact_masked == "138****1234"

    def test_an_anonymous_report_keeps_no_identity(self, filed):
        c = filed(kind="report", anonymous=True, name="李四", contact="13900001111")
        assert c.anonymous and c.name_cipher == "" and c.contact_cipher == ""

    def test_only_a_report_may_be_anonymous(self, filed):
        with pytest.raises(ValidationFailed) as exc:
            filed(anonymous=True)
        assert "anonymous" in exc.value.field_errors

    @pytest.mark.parametrize(
        "field,value",
        [
            ("content", ""),
            ("content", "太短"),
            ("respondent", "不存在局"),
            ("category", "x"),
            ("contact", "123"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_saved(self, filed, field, value):
        with pytest.raises(ValidationFailed) as exc:
            filed(**{field: value})
        assert field in exc.value.field_errors
        assert Complaint.objects.count() == 0 and Duty.objects.filter(module="supervision").count() == 0

    def test_the_public_view_shows_progress_and_no_identity(self, filed):
        c = filed()
        view = complaints.public_view(c.tracking_code.lower())
        assert view["status"] == "received" and view["history"][0]["label"] == "收到"
        assert "张" not in str(view) and "1380000" not in str(view)

    @pytest.mark.parametrize("code", ["", "TS123", "TSAAAAAAAAAAA1", "TSAAAAAAAAAAAA", "x" * 400])
    def test_a_wrong_or_malformed_code_is_not_found(self, filed, code):
        filed()
        with pytest.raises(NotFound):
            complaints.public_view(code)


@pytest.mark.django_db
class TestHandling:
    def test_the_full_chain_with_events(self, filed, personas, people):
        c = _through_reply(filed(), personas, people)
        assert c.status == ComplaintStatus.REPLIED and not c.replied_late
        assert Duty.objects.get(object_id=c.pk, module="supervision").status == DutyStatus.FULFILLED
        c = complaints.visit(c, access=personas.access(personas.office), satisfaction="basic")
        c = complaints.close(c, access=personas.access(personas.office))
        assert c.status == ComplaintStatus.CLOSED
        indicators = set(
            IntegrityEvent.objects.filter(module="supervision").values_list("indicator", flat=True)
        )
        assert indicators == {"complaint_replied_on_time", "complaint_satisfaction"}
        assert [s["label"] for s in complaints.public_view(c.tracking_code)["history"]] == [
            "收到",
            "受理",
            "交办",
            "答复",
            "回访",
            "办结",
        ]

    def test_a_late_reply_is_a_negative_event(self, filed, personas, people):
        c = filed()
        Complaint.objects.filter(pk=c.pk).update(deadline=dt.date(2020, 1, 6))
        c.refresh_from_db()
        c = _through_reply(c, personas, people)
        assert c.replied_late
        event = IntegrityEvent.objects.get(indicator="complaint_replied_late")
        assert event.polarity == "-" and event.subject == personas.unit("区住建局").subject

    def test_not_accepted_needs_a_reason_and_cancels_the_clock(self, filed, personas):
        c = filed()
        with pytest.raises(ValidationFailed):
            complaints.not_accept(c, access=personas.access(personas.office), reason=" ")
        c = complaints.not_accept(
            c, access=personas.access(personas.office), reason="不属于政务失信事项，已告知向12345反映"
        )
        assert Duty.objects.get(object_id=c.pk, module="supervision").status == DutyStatus.CANCELLED
        assert complaints.public_view(c.tracking_code)["not_accepted_reason"].startswith("不属于")

    def test_only_the_office_handles_and_only_the_unit_replies(self, filed, personas, people):
        c = filed()
        with pytest.raises(PermissionDenied):
            complaints.accept(c, access=personas.access(people.zj))
        c = complaints.accept(c, access=personas.access(personas.office))
        c = complaints.assign(c, access=personas.access(personas.office))
        with pytest.raises(PermissionDenied):
            complaints.reply(c, access=personas.access(people.edu), text_="这不是我们单位的事情，不予答复。")
        with pytest.raises(Conflict):
            complaints.accept(c, access=personas.access(personas.office))

    def test_unsatisfied_goes_back_with_a_new_deadline(self, filed, personas, people):
        c = _through_reply(filed(), personas, people)
        office = personas.access(personas.office)
        c = complaints.visit(c, access=office, satisfaction="unsatisfied", note="申请人认为未解决")
        c = complaints.rework(c, access=office, reason="申请人不满意，请重新核查", unit="区商务局")
        assert c.status == ComplaintStatus.ASSIGNED and c.rework_count == 1
        assert c.assigned_unit.short_name == "区商务局"
        assert Duty.objects.get(object_id=c.pk, module="supervision", key="r1").unit.short_name == "区商务局"

    def test_the_unit_never_sees_who_complained(self, filed, personas, people):
        c = filed()
        zj = personas.access(people.zj)
        assert not complaints.complaints_for(zj).exists()  # not yet assigned
        c = complaints.assign(
            complaints.accept(c, access=personas.access(personas.office)),
            access=personas.access(personas.office),
        )
        view = complaints.staff_view(complaints.get_complaint(zj, c.pk), zj)
        assert "contact_masked" not in view and "complainant_masked" not in view
        assert "张" not in str(view) and "1380000" not in str(view)
        office_view = complaints.staff_view(c, personas.access(personas.office))
        assert office_view["contact_masked"] == "138****1234"

    def test_revealing_the_identity_needs_the_permission_and_is_audited(self, filed, personas, people):
        from govcredit.core.models import AuditEntry

        c = filed()
        with pytest.raises(PermissionDenied):
            complaints.reveal_identity(c, personas.access(people.office2))
        assert complaints.reveal_identity(c, personas.access(personas.office)) == {
            "name": "张三明",
            "contact": "13800001234",
        }
        assert AuditEntry.objects.filter(action="govcredit.complaint.identity_revealed").count() == 1


@pytest.mark.django_db
class TestSubstantiate:
    def test_it_proposes_a_record_through_a_finding(self, filed, personas, people):
        c = _through_reply(filed(), personas, people)
        finding = complaints.substantiate(
            c, access=personas.access(personas.office), item="broken_commitment"
        )
        assert finding.record is not None and finding.record.status == "submitted"
        assert finding.record.proposed_by == "supervision"
        assert finding.evidence["complaint"] == c.tracking_code
        with pytest.raises(Conflict):
            complaints.substantiate(c, access=personas.access(personas.office), item="broken_commitment")

    def test_it_refuses_another_item_or_an_unanswered_complaint(self, filed, personas):
        c = filed()
        with pytest.raises(ValidationFailed) as exc:
            complaints.substantiate(c, access=personas.access(personas.office), item="court_judgment")
        assert set(exc.value.field_errors) == {"item", "status"}
        assert Finding.objects.count() == 0
