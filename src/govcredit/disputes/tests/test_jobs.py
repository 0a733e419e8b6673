import datetime as dt

from django.utils import timezone

from govcredit.core.models import CalendarYear, HolidayOverride
from govcredit.disputes import services
from govcredit.disputes.models import CaseEvent, DisputeCase, Notification
from govcredit.disputes.periodic import JOBS


def _aware(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def test_overdue_case_escalated_once(record, personas, django_capture_on_commit_callbacks, mailoutbox):
    personas.office.email = "office@example.com"
    personas.office.save()
    personas.court.email = "court@example.com"
    personas.court.save()
    case = services.file_objection(
        record_id=record.pk,
        applicant="张三",
        contact="13800000000",
        reason="内容有误，请核查。",
        now=_aware(dt.date(2026, 11, 16)),
    )
    assert case.due_on == dt.date(2026, 11, 18)
    assert services.due_state(case, dt.date(2026, 11, 25)) == "overdue"
    with django_capture_on_commit_callbacks(execute=True):
        result = services.escalate_overdue(dt.date(2026, 11, 25))
    assert result["escalated"] == 1
    case.refresh_from_db()
    assert case.escalated_at is not None and case.was_late
    assert Notification.objects.filter(
        case=case, audience="supervisor", recipient="office@example.com"
    ).exists()
    assert any("逾期" in m.subject for m in mailoutbox)
    assert CaseEvent.objects.filter(case=case, action="escalated", public=False).exists()
    assert services.escalate_overdue(dt.date(2026, 11, 25))["escalated"] == 0  # once per step
    # a late decision is counted as not in time
    case = services.refuse_case(case, access=personas.access(personas.office), reason="不予受理。")
    assert case.decided_in_time is False


def test_due_soon_reminder(objection, personas):
    personas.court.email = "court@example.com"
    personas.court.save()
    today = objection.received_on
    assert services.escalate_overdue(today)["reminded"] == 1
    assert services.escalate_overdue(today)["reminded"] == 0
    assert Notification.objects.filter(case=objection, event="reminded").exists()


def test_deadline_into_2027_recomputed_when_table_arrives(
    record, personas, django_capture_on_commit_callbacks
):
    office = personas.access(personas.office)
    case = services.file_objection(
        record_id=record.pk,
        applicant="张三",
        contact="13800000000",
        reason="内容有误，请核查。",
        now=_aware(dt.date(2026, 12, 21)),
    )
    case = services.accept_case(case, access=office, today=dt.date(2026, 12, 22))
    case = services.forward_case(case, access=office, today=dt.date(2026, 12, 24))
    assert case.due_on == dt.date(2027, 1, 7) and case.due_estimated
    clock = services.clock_of(case)
    assert "预估" in clock.explain() and "2027年" in clock.estimate_reason()
    assert services.public_view(case)["deadline_estimated"] is True
    with django_capture_on_commit_callbacks(execute=True):
        CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
        HolidayOverride.objects.create(date=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    case.refresh_from_db()
    assert case.due_on == dt.date(2027, 1, 8) and not case.due_estimated
    assert CaseEvent.objects.filter(case=case, action="deadline_recomputed").exists()


def test_periodic_jobs_registered_and_run(objection):
    names = {task.name for task, _every in JOBS}
    assert names == {"escalate_overdue_cases", "recompute_deadlines"}
    for task, _every in JOBS:
        task.enqueue()  # immediate backend in tests


def test_demo_cases(reference):
    from govcredit.accounts.setup import load_demo as demo_users
    from govcredit.disputes.setup import load_demo
    from govcredit.records.models import Status
    from govcredit.records.setup import load_demo as demo_records

    demo_users()
    demo_records(count=60)
    assert load_demo().endswith("件演示案件")
    statuses = set(DisputeCase.objects.values_list("status", flat=True))
    assert {"received", "verifying", "returned", "decided"} <= statuses
    assert DisputeCase.objects.filter(record__status=Status.UNDER_OBJECTION).exists()
    assert DisputeCase.objects.filter(
        kind="repair", outcome="approved", record__status=Status.REPAIRED
    ).exists()
    assert load_demo() == "已有案件，跳过"


def test_queue_counts(objection, personas):
    counts = services.queue_counts(personas.access(personas.court), objection.received_on)
    assert counts == {
        "open": 1,
        "received": 1,
        "verifying": 0,
        "returned": 0,
        "due_soon": 1,
        "overdue": 0,
        "estimated": 0,
    }
    assert services.queue_counts(personas.access(personas.hr))["open"] == 0
