import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from govcredit.core.workdays import default_calendar
from govcredit.disputes.models import Notification
from govcredit.duties.clock import due_date
from govcredit.duties.models import Duty
from govcredit.duties.scanner import reached_cutoff, scan
from govcredit.duties.services import fulfil_duty, register_duty
from govcredit.subjects.models import Subject

AS_OF = dt.date(2026, 3, 16)  # a Monday; March 2026 has no holidays
CAL = default_calendar()


def fixed(day):
    return due_date(day, mode="calendar", n=0, calendar=CAL)


@pytest.fixture
def duties(personas):
    personas.court.email = "court@zhoucun.gov.cn"
    personas.court.phone = "13800000001"
    personas.court.save()
    personas.office.email = "office@zhoucun.gov.cn"
    personas.office.save()
    unit = personas.unit("区法院")
    made = {}
    for key, day in {
        "A": dt.date(2026, 3, 20),  # 4 working days ahead → notice
        "B": dt.date(2026, 3, 16),  # due today
        "C": dt.date(2026, 3, 13),  # T+1 → urge
        "D": dt.date(2026, 3, 9),  # T+5 → supervise
        "E": dt.date(2026, 2, 27),  # T+10 → listed
        "F": dt.date(2026, 3, 24),  # 6 working days ahead → nothing yet
        "G": dt.date(2026, 3, 2),  # fulfilled → never reminded
    }.items():
        obj = Subject.objects.get(name="周村区发展和改革局")
        made[key] = register_duty(
            module="test", kind="report", obj=obj, key=key, due=fixed(day), title=f"事项{key}", unit=unit
        )
    fulfil_duty(made["G"], on=dt.date(2026, 3, 1))
    return made


def stages():
    return dict(Duty.objects.values_list("key", "stage"))


def test_cutoffs():
    assert reached_cutoff(CAL, AS_OF, 0) == AS_OF
    assert reached_cutoff(CAL, AS_OF, 1) == dt.date(2026, 3, 15)  # due on Sunday: urged on Monday
    assert reached_cutoff(CAL, AS_OF, 5) == dt.date(2026, 3, 9)
    assert reached_cutoff(CAL, AS_OF, -5) == dt.date(2026, 3, 23)
    # across the 2025 National Day holiday: T+1 of 2025-09-30 … 2025-10-08 is 2025-10-09
    assert reached_cutoff(CAL, dt.date(2025, 10, 9), 1) == dt.date(2025, 10, 8)
    assert reached_cutoff(CAL, dt.date(2025, 9, 30), 1) == dt.date(2025, 9, 29)


def test_ladder_once_per_stage_and_idempotent(duties):
    result = scan(AS_OF)["duties"]
    assert stages() == {
        "A": "notice",
        "B": "due",
        "C": "urge",
        "D": "supervise",
        "E": "listed",
        "F": "",
        "G": "",
    }
    assert {k: result[k] for k in ("notice", "due", "urge", "supervise", "listed", "overdue")} == {
        "notice": 1,
        "due": 1,
        "urge": 1,
        "supervise": 1,
        "listed": 1,
        "overdue": 3,
    }
    notes = list(Notification.objects.filter(case__isnull=True))
    court_mail = [n for n in notes if n.recipient == "court@zhoucun.gov.cn"]
    assert len(court_mail) == 5 and len([n for n in notes if n.channel == "sms"]) == 5
    office_mail = [n for n in notes if n.recipient == "office@zhoucun.gov.cn"]
    assert sorted(n.event for n in office_mail) == [
        "duty_listed",
        "duty_supervise",
    ]  # the office only from 督办
    urge = next(n for n in court_mail if n.event == "duty_urge")
    assert "催办" in urge.subject and "事项C（到期日 2026-03-13）" in urge.body
    assert result["messages"] == len(notes)

    again = scan(AS_OF)["duties"]
    assert again["notice"] == again["urge"] == again["messages"] == 0
    assert Notification.objects.filter(case__isnull=True).count() == len(notes)

    later = scan(dt.date(2026, 3, 20))["duties"]  # C reaches T+5, A is due, F gets its notice
    assert stages()["C"] == "supervise" and stages()["A"] == "due" and stages()["F"] == "notice"
    assert later["supervise"] == 1 and later["due"] == 1 and later["notice"] == 1


def test_future_as_of_is_refused(duties, capsys):
    future = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(CommandError) as exc:
        call_command("duties", "scan", "--as-of", future.isoformat())
    assert exc.value.returncode == 2 and "晚于今天" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        call_command("duties", "scan", "--as-of", "2026-02-30")
    assert exc.value.returncode == 2
    assert stages()["B"] == ""  # nothing moved


def test_command_prints_counts_per_module(duties, capsys):
    call_command("duties", "scan", "--as-of", AS_OF.isoformat())
    out = capsys.readouterr().out
    assert "duties: notice=1 due=1 urge=1 supervise=1 listed=1 overdue=3" in out.replace("  ", " ")
