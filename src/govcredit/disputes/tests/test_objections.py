import datetime as dt
import re

import pytest

from govcredit.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from govcredit.disputes import services
from govcredit.disputes.models import CaseEvent, CaseStatus, DisputeCase, Notification, Outcome
from govcredit.records.models import CreditRecord, Status

from .conftest import PDF


def test_filing_gives_receipt_number_code_and_deadline(objection, record):
    today = objection.received_on
    assert objection.receipt_no == f"YY{today:%Y%m%d}-0001"
    assert re.fullmatch(rf"{objection.receipt_no}-[2-9A-HJ-NP-Z]{{6}}", objection.tracking_code)
    assert objection.status == CaseStatus.RECEIVED
    assert objection.due_on > objection.received_on
    assert objection.evidence.count() == 1
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED  # marked only when accepted


def test_objection_to_unknown_or_non_public_record_refused(personas, record, publish):
    with pytest.raises(NotFound, match="不再公示"):
        services.file_objection(
            record_id=999999, applicant="张三", contact="13800000000", reason="内容有误，请核查。"
        )
    from govcredit.records import services as rs

    rs.revoke_record(record, access=personas.access(personas.court), reason="原决定已撤销")
    with pytest.raises(NotFound):
        services.file_objection(
            record_id=record.pk, applicant="张三", contact="13800000000", reason="内容有误，请核查。"
        )
    with pytest.raises(ValidationFailed) as exc:
        services.file_objection(
            record_id="abc", applicant="张三", contact="13800000000", reason="内容有误，请核查。"
        )
    assert "record_id" in exc.value.field_errors
    assert not DisputeCase.objects.exists()


def test_duplicate_open_case_refused(objection, record):
    with pytest.raises(Conflict, match="请勿重复申请"):
        services.file_objection(
            record_id=record.pk, applicant="李四", contact="13800000002", reason="再次提出异议理由。"
        )
    assert DisputeCase.objects.count() == 1


def test_duplicate_constraint_holds_without_the_check(objection, record):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DisputeCase.objects.create(
            kind="repair",
            tracking_code="x" * 40,
            record=record,
            applicant="a",
            contact="13800000000",
            received_at=objection.received_at,
            received_on=objection.received_on,
            step_started_on=objection.received_on,
            step_days=2,
        )


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("a.exe", b"MZ...", "类型不支持"),
        ("a.pdf", b"not a pdf", "不是有效的 PDF"),
        ("a.png", b"", "空文件"),
    ],
)
def test_wrong_evidence_refused_nothing_saved(record, name, content, message):
    with pytest.raises(ValidationFailed) as exc:
        services.file_objection(
            record_id=record.pk,
            applicant="张三",
            contact="13800000000",
            reason="内容有误，请核查。",
            files=[(name, content)],
        )
    assert message in exc.value.field_errors["evidence"][0]
    assert not DisputeCase.objects.exists()


def test_evidence_size_cap(record, settings):
    settings.GOVCREDIT_EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationFailed, match="不符合要求") as exc:
        services.file_objection(
            record_id=record.pk,
            applicant="张三",
            contact="13800000000",
            reason="内容有误，请核查。",
            files=[("big.pdf", PDF + b"0" * (1024 * 1024))],
        )
    assert "MB 上限" in exc.value.field_errors["evidence"][0]


def test_bad_contact_and_reason(record):
    with pytest.raises(ValidationFailed) as exc:
        services.file_objection(
            record_id=record.pk, applicant="张三", contact="12345", reason="内容有误，请核查。"
        )
    assert "手机号码" in exc.value.field_errors["contact"][0]
    with pytest.raises(ValidationFailed) as exc:
        services.file_objection(record_id=record.pk, applicant="张三", contact="13800000000", reason="")
    assert exc.value.field_errors["reason"] == ["请填写异议理由"]


def _accept_and_forward(case, personas):
    office = personas.access(personas.office)
    case = services.accept_case(case, access=office, note="材料齐全")
    return services.forward_case(case, access=office)


def test_accept_marks_record_under_objection(objection, personas, record):
    case = services.accept_case(objection, access=personas.access(personas.office))
    record.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert record.status == Status.UNDER_OBJECTION
    assert record.is_public


def test_outcome_upheld(objection, personas, record):
    case = _accept_and_forward(objection, personas)
    assert case.status == CaseStatus.VERIFYING
    case = services.decide_case(
        case, access=personas.access(personas.court), outcome=Outcome.UPHELD, reason="经核查原记录准确。"
    )
    record.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.outcome == Outcome.UPHELD
    assert record.status == Status.PUBLISHED
    assert case.handling_days is not None and case.decided_in_time


def test_outcome_corrected_makes_new_version(objection, personas, record):
    case = _accept_and_forward(objection, personas)
    before = record.versions.count()
    case = services.decide_case(
        case,
        access=personas.access(personas.court),
        outcome=Outcome.CORRECTED,
        reason="履行情况表述有误，予以更正。",
        corrections={"facts": "拖欠工程款，已于2026年7月履行完毕。"},
    )
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    assert record.facts == "拖欠工程款，已于2026年7月履行完毕。"
    assert record.versions.count() >= before + 2  # correct + objection closed
    assert record.versions.filter(change="correct").exists()


def test_outcome_corrected_needs_changes(objection, personas):
    case = _accept_and_forward(objection, personas)
    with pytest.raises(ValidationFailed, match="更正内容"):
        services.decide_case(
            case, access=personas.access(personas.office), outcome=Outcome.CORRECTED, reason="更正。"
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFYING


def test_outcome_revoked(objection, personas, record):
    case = _accept_and_forward(objection, personas)
    services.decide_case(
        case, access=personas.access(personas.office), outcome=Outcome.REVOKED, reason="原判决已被撤销。"
    )
    record.refresh_from_db()
    assert record.status == Status.REVOKED
    assert not record.is_public


def test_decision_by_outsider_forbidden(objection, personas, record):
    case = _accept_and_forward(objection, personas)
    for user in (personas.hr, personas.dept, personas.outsider):
        with pytest.raises(PermissionDenied, match="无权"):
            services.decide_case(case, access=personas.access(user), outcome=Outcome.REVOKED, reason="x")
    case.refresh_from_db()
    record.refresh_from_db()
    assert case.status == CaseStatus.VERIFYING and record.status == Status.UNDER_OBJECTION


def test_not_accepted(objection, personas, record):
    case = services.refuse_case(
        objection, access=personas.access(personas.office), reason="异议理由与记录无关。"
    )
    assert case.outcome == Outcome.NOT_ACCEPTED
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED
    # a new case may now be filed
    services.file_objection(
        record_id=record.pk, applicant="张三", contact="13800000000", reason="补充新的异议理由。"
    )


def test_return_pauses_and_resume_extends(objection, personas):
    office = personas.access(personas.office)
    case = services.accept_case(objection, access=office, today=dt.date(2026, 11, 25))
    due_before = case.due_on
    case = services.return_case(
        case, access=office, request="请补充履行完毕的银行回单。", today=dt.date(2026, 11, 26)
    )
    assert case.status == CaseStatus.RETURNED
    case = services.resume_case(
        case, answer="已补充银行回单。", files=[("回单.pdf", PDF)], today=dt.date(2026, 12, 1)
    )
    assert case.status == CaseStatus.ACCEPTED
    # 11-26 (Thu) → 12-01 (Tue): 11-27, 11-30, 12-01 = 3 working days
    assert case.paused_days == 3
    assert case.due_on > due_before
    pause = case.pauses.get()
    assert pause.working_days == 3 and pause.ended_on == dt.date(2026, 12, 1)
    assert case.evidence.count() == 2


def test_notifications_logged_and_sent(record, django_capture_on_commit_callbacks, mailoutbox, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.file_objection(
            record_id=record.pk, applicant="张三", contact="zhang@example.com", reason="内容有误，请核查。"
        )
    notes = Notification.objects.filter(case=case, audience="applicant")
    assert notes.count() == 1 and notes.get().state == "sent"
    assert case.tracking_code in mailoutbox[0].body
    assert "异议" in mailoutbox[0].subject


def test_failed_delivery_is_logged_not_raised(record, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "govcredit.disputes.tests.test_objections.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        case = services.file_objection(
            record_id=record.pk, applicant="张三", contact="zhang@example.com", reason="内容有误，请核查。"
        )
    note = Notification.objects.get(case=case, audience="applicant")
    assert note.state == "failed" and "mail server down" in note.error


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_sms_to_phone_applicant_is_logged(objection, django_capture_on_commit_callbacks, caplog, personas):
    with caplog.at_level("INFO", logger="govcredit.sms"), django_capture_on_commit_callbacks(execute=True):
        services.accept_case(objection, access=personas.access(personas.office))
    note = Notification.objects.filter(case=objection, event="accepted").get()
    assert note.channel == "sms" and note.state == "sent"
    assert "13800000000" in caplog.text and "受理" in caplog.text


def test_history_is_recorded(objection, personas):
    services.accept_case(objection, access=personas.access(personas.office))
    actions = list(CaseEvent.objects.filter(case=objection).values_list("action", flat=True))
    assert actions == ["filed", "accepted"]


def test_decision_refused_while_record_changed_elsewhere(objection, personas, record):
    case = _accept_and_forward(objection, personas)
    CreditRecord.objects.filter(pk=record.pk).update(status=Status.EXPIRED)
    with pytest.raises(Conflict, match="维持原记录"):
        services.decide_case(
            case, access=personas.access(personas.office), outcome=Outcome.REVOKED, reason="x"
        )
    case = services.decide_case(
        case, access=personas.access(personas.office), outcome=Outcome.UPHELD, reason="记录已到期。"
    )
    assert case.status == CaseStatus.DECIDED
