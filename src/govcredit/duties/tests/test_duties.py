import datetime as dt

import pytest

from govcredit.core.errors import ValidationFailed
from govcredit.core.workdays import default_calendar
from govcredit.duties.clock import Pause, due_date
from govcredit.duties.models import Duty, DutyStatus
from govcredit.duties.services import cancel_duty, duties_for, fulfil_duty, register_duty
from govcredit.subjects.models import Subject


def due(day, n=10):
    return due_date(day, mode="working", n=n, calendar=default_calendar())


@pytest.fixture
def source(reference):
    return Subject.objects.get(name="周村区发展和改革局")


def test_register_is_an_upsert_by_the_natural_key(personas, source):
    unit = personas.unit("区发改局")
    d1 = register_duty(
        module="test", kind="report", obj=source, due=due(dt.date(2026, 3, 2)), title="上半年报告", unit=unit
    )
    assert d1.due_on == dt.date(2026, 3, 16) and d1.status == DutyStatus.OPEN
    assert "计10个工作日" in d1.explain
    Duty.objects.filter(pk=d1.pk).update(stage="notice")
    d2 = register_duty(
        module="test",
        kind="report",
        obj=source,
        due=due(dt.date(2026, 3, 2), 20),
        title="上半年报告（改）",
        unit=unit,
    )
    assert d2.pk == d1.pk and Duty.objects.count() == 1
    d2.refresh_from_db()
    assert d2.due_on == dt.date(2026, 3, 30) and d2.title == "上半年报告（改）"
    assert d2.stage == ""  # a moved due date restarts the reminder ladder
    other = register_duty(
        module="test", kind="report", obj=source, due=due(dt.date(2026, 3, 2)), title="下半年", key="H2"
    )
    assert other.pk != d1.pk and Duty.objects.count() == 2


def test_paused_due_cannot_be_registered(source):
    paused = due_date(
        dt.date(2026, 3, 2), mode="working", n=20, pauses=[Pause(dt.date(2026, 3, 3), None, "补正")]
    )
    with pytest.raises(ValidationFailed):
        register_duty(module="test", kind="report", obj=source, due=paused, title="x")


def test_fulfil_and_cancel(source):
    d = register_duty(module="test", kind="report", obj=source, due=due(dt.date(2026, 3, 2)), title="报告")
    fulfil_duty(source, on=dt.date(2026, 3, 10), kind="report")
    d.refresh_from_db()
    assert d.status == DutyStatus.FULFILLED and d.fulfilled_on == dt.date(2026, 3, 10)
    assert not d.is_overdue(dt.date(2026, 4, 1))
    d2 = register_duty(module="test", kind="pay", obj=source, due=due(dt.date(2026, 3, 2)), title="付款")
    with pytest.raises(ValidationFailed):
        cancel_duty(d2, reason=" ")
    cancel_duty(d2, reason="合同解除")
    d2.refresh_from_db()
    assert d2.status == DutyStatus.CANCELLED and d2.cancel_reason == "合同解除"
    # an already fulfilled duty is not touched by cancel
    cancel_duty(d, reason="误登记")
    d.refresh_from_db()
    assert d.status == DutyStatus.FULFILLED


def test_overdue_is_derived(source):
    d = register_duty(module="test", kind="report", obj=source, due=due(dt.date(2026, 3, 2)), title="报告")
    assert not d.is_overdue(d.due_on)
    assert d.is_overdue(d.due_on + dt.timedelta(days=1))


def test_scope(personas, source):
    register_duty(
        module="test",
        kind="a",
        obj=source,
        due=due(dt.date(2026, 3, 2)),
        title="发改",
        unit=personas.unit("区发改局"),
    )
    register_duty(
        module="test",
        kind="b",
        obj=source,
        due=due(dt.date(2026, 3, 2)),
        title="法院",
        unit=personas.unit("区法院"),
    )
    assert duties_for(personas.access(personas.office)).count() == 2
    assert list(duties_for(personas.access(personas.court)).values_list("title", flat=True)) == ["法院"]
    assert duties_for(personas.access(personas.outsider)).count() == 0
