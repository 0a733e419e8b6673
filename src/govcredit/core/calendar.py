"""The credit office's working-day calendar: chinesecalendar plus the HolidayOverride table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import CalendarYear, HolidayOverride
from .workdays import Deadline, WorkingDayCalendar


def office_calendar() -> WorkingDayCalendar:
    """Built per call (two small queries) so a newly entered year applies at once."""
    overrides = dict(HolidayOverride.objects.values_list("date", "is_workday"))
    known_years = set(CalendarYear.objects.values_list("year", flat=True))
    return WorkingDayCalendar(overrides=overrides, known_years=known_years)


def deadline_after(start: dt.date, working_days: int) -> Deadline:
    return office_calendar().add_working_days(start, working_days)


# -- the credit office's edits of the table (audited) --------------------------------------------
def _register_calendar_actions() -> None:
    from .ledger import register_action

    register_action("govcredit.calendar.day_added", "登记节假日调整")
    register_action("govcredit.calendar.day_removed", "删除节假日调整")
    register_action("govcredit.calendar.year_completed", "工作日历年度录入完成")


_register_calendar_actions()


def add_holiday(day: dt.date, *, is_workday: bool, note: str = "", actor: Any = None) -> HolidayOverride:
    """A statutory holiday (is_workday False) or a make-up working day (True); one entry per date."""
    from django.db import transaction

    from .errors import ValidationFailed
    from .ledger import log_action

    with transaction.atomic():
        if HolidayOverride.objects.filter(date=day).exists():
            raise ValidationFailed(
                f"{day:%Y-%m-%d} 已有登记，请先删除原登记",
                field_errors={"date": [f"{day:%Y-%m-%d} 已有登记，请先删除原登记"]},
            )
        entry = HolidayOverride.objects.create(date=day, is_workday=is_workday, note=note.strip())
        log_action(
            "govcredit.calendar.day_added",
            actor=actor,
            obj=entry,
            summary=f"登记 {day:%Y-%m-%d} 为{'调休上班日' if is_workday else '法定节假日'}",
            after={"date": day, "is_workday": is_workday, "note": entry.note},
        )
    return entry


def remove_holiday(entry: HolidayOverride, *, actor: Any = None) -> None:
    from django.db import transaction

    from .ledger import log_action

    with transaction.atomic():
        before = {"date": entry.date, "is_workday": entry.is_workday, "note": entry.note}
        pk = entry.pk
        entry.delete()
        log_action(
            "govcredit.calendar.day_removed",
            actor=actor,
            object_type="core.holidayoverride",
            object_id=pk,
            summary=f"删除 {before['date']:%Y-%m-%d} 的节假日调整",
            before=before,
        )


def mark_year_complete(year: int, *, source: str, actor: Any = None) -> CalendarYear:
    """The office has entered the whole holiday table of ``year``: its deadlines stop being estimates."""
    from django.db import transaction

    from .errors import ValidationFailed
    from .ledger import log_action

    source = (source or "").strip()
    if not source:
        raise ValidationFailed(
            "请填写依据（国务院办公厅的放假安排通知）", field_errors={"source": ["请填写依据"]}
        )
    with transaction.atomic():
        if CalendarYear.objects.filter(year=year).exists():
            raise ValidationFailed(
                f"{year} 年已标记为录入完整", field_errors={"year": [f"{year} 年已标记为录入完整"]}
            )
        entry = CalendarYear.objects.create(year=year, source=source)
        log_action(
            "govcredit.calendar.year_completed",
            actor=actor,
            obj=entry,
            summary=f"{year} 年工作日历录入完整：{source}",
            after={"year": year, "source": source},
        )
    return entry
