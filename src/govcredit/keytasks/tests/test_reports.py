import datetime as dt

import pytest

from govcredit.core.errors import Conflict, PermissionDenied, ValidationFailed
from govcredit.duties.models import DisclosureEntry, Duty, DutyStatus, IntegrityEvent
from govcredit.duties.scanner import scan
from govcredit.keytasks import services
from govcredit.keytasks.models import KeyTask, TaskEvidence, TaskReport

TODAY = dt.date(2026, 12, 3)


def task(n):
    return KeyTask.objects.get(number=n)


def test_overdue_is_derived_per_lead_unit_and_period(tracked):
    states = {s.task.number: s for s in services.build_states(list(KeyTask.objects.all()), TODAY)}
    # 2026H1 fell due 10 working days after 2026-06-30; no one reported
    assert states[1].overdue and [u.short_name for u in states[1].overdue_units] == ["区政府法制办"]
    item = next(e for e in states[1].overdue_items if e.kind == "task_report")
    assert item.period.code == "2026H1" and item.due == dt.date(2026, 7, 14)
    # task 4 was due 2018-12-31 and nobody declared it completed
    kinds = {e.kind for e in states[4].overdue_items}
    assert kinds == {"task_report", "task_completion"} and states[4].status == "in_progress"
    assert states[2].status == "ongoing"
    assert all(s.overdue for s in states.values())


def test_report_closes_the_period_and_is_public(tracked, personas, pdf, report_data):
    access = personas.access(personas.finance)
    report = services.submit_report(task(13), report_data(), [("台账.pdf", pdf)], access=access, today=TODAY)
    assert (
        report.unit.short_name == "区财政局" and not report.on_time and report.due_on == dt.date(2026, 7, 14)
    )
    assert TaskEvidence.objects.get(report=report).sha256
    duty = Duty.objects.get(module="keytasks", kind="task_report", key=f"2026H1-{report.unit_id}")
    assert duty.status == DutyStatus.FULFILLED and duty.fulfilled_on == TODAY
    assert DisclosureEntry.objects.filter(
        object_type="keytasks.taskreport", object_id=str(report.pk)
    ).exists()
    assert IntegrityEvent.objects.filter(module="keytasks", polarity="-").count() == 1
    # the frozen figures of task 13 come from the debt module
    assert {f["code"] for f in report.figures} >= {"debt_years_disclosed", "debt_latest_year"}
    state = services.state_of(task(13), TODAY)
    assert [e.kind for e in state.overdue_items] == ["task_completion"]
    with pytest.raises(Conflict):
        services.submit_report(task(13), report_data(), [("台账.pdf", pdf)], access=access, today=TODAY)


def test_completion_ends_the_deadline_task(tracked, personas, pdf, report_data):
    access = personas.access(personas.finance)
    services.submit_report(
        task(13),
        report_data(progress="completed", completed_on="2026-05-20"),
        [("总结.pdf", pdf)],
        access=access,
        today=TODAY,
    )
    state = services.state_of(task(13), TODAY)
    assert state.status == "completed" and not state.overdue
    duty = Duty.objects.get(module="keytasks", kind="task_completion")
    assert duty.status == DutyStatus.FULFILLED and duty.due_on == dt.date(2018, 12, 31)


def test_bad_input_is_refused_and_nothing_is_saved(tracked, personas, pdf, report_data):
    finance = personas.access(personas.finance)
    court = personas.access(personas.court)
    before = (TaskReport.objects.count(), TaskEvidence.objects.count(), Duty.objects.count())
    with pytest.raises(PermissionDenied) as exc:  # 区法院 leads task 5, not task 13
        services.submit_report(task(13), report_data(), [("a.pdf", pdf)], access=court, today=TODAY)
    assert "不是任务13" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        services.submit_report(task(13), report_data(unit="区不存在局"), [("a.pdf", pdf)], access=finance)
    assert "未找到单位" in exc.value.field_errors["unit"][0]
    with pytest.raises(PermissionDenied):  # a lead unit the user does not belong to
        services.submit_report(task(13), report_data(unit="区发改局"), [("a.pdf", pdf)], access=finance)
    cases = [
        (report_data(period="2099H1"), "period", "尚未开始"),
        (report_data(period="2025H2"), "period", "早于"),
        (report_data(period="2026Q1"), "period", "每半年"),
        (report_data(progress="completed", completed_on="2018-01-01"), "completed_on", "不能早于"),
        (report_data(progress="completed", completed_on="2026-09-01"), "completed_on", "晚于报送期末"),
        (report_data(progress="completed"), "completed_on", "须填写完成日期"),
        (report_data(summary=""), "summary", "请填写"),
    ]
    for data, key, text in cases:
        with pytest.raises(ValidationFailed) as exc:
            services.submit_report(task(13), data, [("a.pdf", pdf)], access=finance, today=TODAY)
        assert text in exc.value.field_errors[key][0], (data, exc.value.field_errors)
    with pytest.raises(ValidationFailed) as exc:  # one good and one fake file: nothing stored
        services.submit_report(
            task(13), report_data(), [("a.pdf", pdf), ("b.pdf", b"not a pdf")], access=finance, today=TODAY
        )
    assert "不是有效的 PDF" in exc.value.field_errors["evidence"][0]
    with pytest.raises(ValidationFailed) as exc:
        services.submit_report(task(13), report_data(), [], access=finance, today=TODAY)
    assert "至少一份" in exc.value.field_errors["evidence"][0]
    with pytest.raises(ValidationFailed) as exc:  # 持续实施 tasks are never "completed"
        services.submit_report(
            task(8), report_data(progress="completed"), [("a.pdf", pdf)], access=finance, today=TODAY
        )
    assert "持续实施" in exc.value.field_errors["progress"][0]
    assert (TaskReport.objects.count(), TaskEvidence.objects.count(), Duty.objects.count()) == before


def test_scan_registers_duties_and_escalates(tracked, personas):
    first = scan(TODAY)
    assert first["keytasks"]["registered"] > 0
    duty = Duty.objects.get(
        module="keytasks", kind="task_report", key__startswith="2026H1-", object_id=task(13).pk
    )
    assert duty.unit.short_name == "区财政局" and duty.stage == "listed"  # months past due
    h2 = Duty.objects.get(
        module="keytasks", kind="task_report", key__startswith="2026H2-", object_id=task(13).pk
    )
    assert h2.stage == "" and h2.due_on > TODAY
    again = scan(TODAY)
    assert again["keytasks"]["registered"] == 0


def test_scan_before_tracking_starts_registers_nothing(reference):
    assert scan(dt.date(2026, 3, 16))["keytasks"] == {"registered": 0}
    assert not Duty.objects.filter(module="keytasks").exists()
