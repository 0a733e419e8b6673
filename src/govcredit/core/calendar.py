"""The credit office's working-day calendar: chinesecalendar plus the HolidayOverride table."""

from __future__ import annotations

import datetime as dt

from .models import CalendarYear, HolidayOverride
from .workdays import Deadline, WorkingDayCalendar


def office_calendar() -> WorkingDayCalendar:
    """Built per call (two small queries) so a newly entered year applies at once."""
    overrides = dict(HolidayOverride.objects.values_list("date", "is_workday"))
    known_years = set(CalendarYear.objects.values_list("year", flat=True))
    return WorkingDayCalendar(overrides=overrides, known_years=known_years)


def deadline_after(start: dt.date, working_days: int) -> Deadline:
    return office_calendar().add_working_days(start, working_days)
