import datetime as dt

import pytest
from django.core import mail

from govcredit.core.errors import Conflict, PermissionDenied, ValidationFailed
from govcredit.core.models import AuditEntry, HolidayOverride
from govcredit.sanctions import services
from govcredit.sanctions.models import Notice, Rectification

PDF = b"%PDF-1.4 test"


@pytest.mark.django_db
def test_deadline_counts_working_days_over_national_day():
    from govcredit.core.calendar import deadline_after

    # 2026-09-30 + 5 working days: 10-01..10-07 are holidays, 10-10 (Sat) is a make-up working day.
    due = deadline_after(dt.date(2026, 9, 30), 5)
    assert due.due == dt.date(2026, 10, 13)


@pytest.mark.django_db
def test_task_deadline_uses_office_calendar(recent, personas):
    from django.utils import timezone

    today = timezone.localdate()
    # declare the next 10 days holidays in the office calendar: the deadline moves out
    for i in range(1, 11):
        HolidayOverride.objects.create(date=today + dt.timedelta(days=i), is_workday=False, note="测试")
    record = recent()
    task = Rectification.objects.get(record=record)
    assert task.deadline > today + dt.timedelta(days=10 + 20)


@pytest.mark.django_db
def test_submit_accept_flow_and_scope(recent, personas):
    record = recent()
    task = Rectification.objects.get(record=record)
    dept, office = personas.access(personas.dept), personas.access(personas.office)
    assert Notice.objects.filter(user=personas.dept, title__contains="限期整改").exists()
    assert list(services.rectifications_for(dept)) == [task]
    assert not services.rectifications_for(personas.access(personas.finance)).exists()
    with pytest.raises(PermissionDenied):
        services.submit_rectification(
            task, explanation="x", report="y", access=personas.access(personas.court)
        )
    with pytest.raises(ValidationFailed) as exc:
        services.submit_rectification(task, explanation="", report="", files=[("a.exe", b"MZ")], access=dept)
    assert set(exc.value.field_errors) == {"explanation", "report", "attachments"}
    services.submit_rectification(
        task,
        explanation="资金未及时拨付",
        report="已全额支付工程款",
        files=[("整改报告.pdf", PDF)],
        access=dept,
    )
    assert task.status == "submitted" and task.attachments.count() == 1
    services.return_rectification(task, note="缺少付款凭证", access=office)
    assert task.status == "returned"
    services.submit_rectification(task, explanation="资金未及时拨付", report="已支付，附凭证", access=dept)
    services.accept_rectification(task, note="整改到位", access=office)
    assert task.status == "accepted"
    with pytest.raises(Conflict, match="已验收"):
        services.submit_rectification(task, explanation="再交", report="再交", access=dept)
    assert AuditEntry.objects.filter(action="govcredit.rectification.accepted").exists()


@pytest.mark.django_db
def test_overdue_escalation_notifies_superior_and_office_once(recent, personas):
    from govcredit.accounts.models import Organisation, Role
    from govcredit.accounts.services import create_user

    district = Organisation.objects.get(subject=personas.unit("区发改局").subject.parent)
    gov_user = create_user("govuser", "pw-govuser-1", memberships=[(district, Role.SUBJECT_USER)])
    gov_user.email = "gov@example.cn"
    gov_user.save()
    record = recent()
    task = Rectification.objects.get(record=record)
    later = task.deadline + dt.timedelta(days=3)
    assert services.escalate_overdue(today=task.deadline) == 0
    assert services.escalate_overdue(today=later) == 1
    assert services.escalate_overdue(today=later) == 0  # a second worker finds nothing to claim
    task.refresh_from_db()
    assert task.escalated_at is not None and task.is_overdue(later)
    notified = set(Notice.objects.filter(title__contains="逾期督办").values_list("user__username", flat=True))
    assert {"govuser", "office", "dept"} <= notified


@pytest.mark.django_db(transaction=True)
def test_escalation_mail_sent_after_commit(recent, personas):
    from govcredit.accounts.models import Organisation, Role
    from govcredit.accounts.services import create_user

    district = Organisation.objects.get(subject=personas.unit("区发改局").subject.parent)
    user = create_user("govuser2", "pw-govuser-2", memberships=[(district, Role.SUBJECT_USER)])
    user.email = "gov2@example.cn"
    user.save()
    task = Rectification.objects.get(record=recent())
    mail.outbox.clear()
    services.escalate_overdue(today=task.deadline + dt.timedelta(days=1))
    assert any("gov2@example.cn" in m.to for m in mail.outbox)
