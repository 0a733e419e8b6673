import dataclasses
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govcredit.core.workdays import (
    Deadline,
    WorkingDayCalendar,
    default_calendar,
    package_knows_year,
)

MAKEUP_2026 = [
    date(2026, 1, 4),
    date(2026, 2, 14),
    date(2026, 2, 28),
    date(2026, 5, 9),
    date(2026, 9, 20),
    date(2026, 10, 10),
]

# A *hypothetical* 2027 table as the credit office might enter it (not the real schedule).
TABLE_2027 = {
    date(2027, 1, 1): False,  # 元旦 (Friday)
    date(2027, 2, 8): False,
    date(2027, 2, 9): False,
    date(2027, 2, 10): False,
    date(2027, 2, 11): False,
    date(2027, 2, 12): False,
    date(2027, 2, 6): True,  # 调休上班 (Saturday)
    date(2027, 2, 20): True,  # 调休上班 (Saturday)
}


def table_calendar():
    return WorkingDayCalendar(overrides=TABLE_2027, known_years={2027})


# ------------------------------------------------------------------ examples


def test_regulations_example_2025_national_day():
    dl = default_calendar().add_working_days(date(2025, 9, 30), 5)
    assert dl.due == date(2025, 10, 14)
    assert dl.due == chinese_calendar.find_workday(5, date(2025, 9, 30))
    assert dl.start == date(2025, 9, 30) and dl.days == 5
    assert not dl.estimated and dl.estimated_years == []
    assert dl.makeup_workdays == [date(2025, 10, 11)]
    assert dl.skipped_holidays == [date(2025, 10, d) for d in (1, 2, 3, 6, 7, 8)]


def test_2026_makeup_days_are_counted():
    cal = default_calendar()
    for d in MAKEUP_2026:
        assert d.weekday() >= 5
        assert cal.is_workday(d)
    # Friday 2026-10-09 + 1 working day = Saturday 2026-10-10 (调休上班)
    dl = cal.add_working_days(date(2026, 10, 9), 1)
    assert dl.due == date(2026, 10, 10)
    assert dl.makeup_workdays == [date(2026, 10, 10)]


def test_2026_national_day_explain():
    dl = default_calendar().add_working_days(date(2026, 9, 30), 10)
    assert dl.due == date(2026, 10, 20)
    assert dl.makeup_workdays == [date(2026, 10, 10)]
    assert dl.explain() == (
        "自2026-09-30起算（当日不计），计10个工作日，"
        "跳过法定节假日：10-01、10-02、10-05、10-06、10-07；"
        "调休上班：10-10；截止2026-10-20。"
    )


def test_into_2027_without_table_is_estimated_monday_to_friday():
    cal = default_calendar()
    assert cal.year_status(2026) == "package"
    assert cal.year_status(2027) == "estimated"
    dl = cal.add_working_days(date(2026, 12, 24), 10)
    # 12-25, 28, 29, 30, 31 (2026: 1-5), then 2027 Mon–Fri: 1-1, 1-4, 1-5, 1-6, 1-7
    assert dl.due == date(2027, 1, 7)
    assert dl.estimated
    assert dl.estimated_years == [2027]
    assert dl.skipped_holidays == []
    text = dl.explain()
    assert "2027年的节假日安排尚未公布" in text
    assert "预估" in text
    assert text.endswith("按周一至周五预估（预估）。")


def test_into_2027_with_table_not_estimated():
    cal = table_calendar()
    assert cal.year_status(2027) == "table"
    dl = cal.add_working_days(date(2026, 12, 24), 10)
    # 2026: 12-25, 28, 29, 30, 31 (5); 2027: 1-1 holiday, 1-4 … 1-8 (5)
    assert dl.due == date(2027, 1, 8)
    assert not dl.estimated
    assert dl.estimated_years == []
    assert dl.skipped_holidays == [date(2027, 1, 1)]
    assert "预估" not in dl.explain()
    assert "2027-01-01" in dl.explain()  # other-year dates carry the year


def test_table_year_makeup_and_spring_festival():
    cal = table_calendar()
    dl = cal.add_working_days(date(2027, 2, 4), 4)
    # 2-5 (Fri), 2-6 (Sat, 调休), 2-8…2-12 holiday, 2-15, 2-16
    assert dl.due == date(2027, 2, 16)
    assert dl.makeup_workdays == [date(2027, 2, 6)]
    assert dl.skipped_holidays == [date(2027, 2, d) for d in range(8, 13)]


def test_table_year_ignores_package_and_unlisted_days_are_monday_to_friday():
    # a table for a year the package knows replaces the package data for that year
    cal = WorkingDayCalendar(known_years={2025})
    assert cal.year_status(2025) == "table"
    assert cal.is_workday(date(2025, 10, 1))  # plain Wednesday, the table lists nothing
    assert not cal.is_workday(date(2025, 10, 11))  # Saturday


def test_overrides_win_over_package():
    cal = WorkingDayCalendar(overrides={date(2026, 6, 1): False, date(2026, 10, 10): False})
    assert cal.year_status(2026) == "package"
    assert not cal.is_workday(date(2026, 6, 1))
    assert not cal.is_workday(date(2026, 10, 10))
    assert cal.is_workday(date(2026, 6, 2))


def test_overrides_in_estimated_year_still_estimated():
    cal = WorkingDayCalendar(overrides={date(2028, 1, 3): False})
    assert cal.year_status(2028) == "estimated"
    dl = cal.add_working_days(date(2027, 12, 31), 1)
    assert dl.due == date(2028, 1, 4)
    assert dl.estimated and dl.estimated_years == [2028]


def test_zero_and_negative_days():
    cal = default_calendar()
    dl = cal.add_working_days(date(2025, 10, 1), 0)
    assert dl.due == date(2025, 10, 1)
    assert not dl.estimated
    with pytest.raises(ValueError):
        cal.add_working_days(date(2025, 10, 1), -1)


def test_start_on_holiday_not_counted():
    # starting on a holiday: the next working day is day 1
    assert default_calendar().add_working_days(date(2025, 10, 4), 1).due == date(2025, 10, 9)
    # unlike chinese_calendar.find_workday, which re-bases onto the next working day first
    assert chinese_calendar.find_workday(1, date(2025, 10, 4)) == date(2025, 10, 10)


def test_working_days_between():
    cal = default_calendar()
    assert cal.working_days_between(date(2025, 9, 30), date(2025, 10, 14)) == 5
    assert cal.working_days_between(date(2025, 9, 30), date(2025, 9, 30)) == 0
    assert cal.working_days_between(date(2025, 10, 14), date(2025, 9, 30)) == 0
    assert cal.working_days_between(date(2025, 10, 3), date(2025, 10, 8)) == 0


def test_years_outside_package():
    assert package_knows_year(2004) and package_knows_year(2026)
    assert not package_knows_year(2003)
    cal = default_calendar()
    assert cal.year_status(2003) == "estimated"
    assert cal.is_workday(date(2003, 12, 31))


def test_deadline_is_frozen():
    dl = default_calendar().add_working_days(date(2025, 9, 30), 5)
    assert isinstance(dl, Deadline)
    with pytest.raises(dataclasses.FrozenInstanceError):
        dl.due = date(2025, 1, 1)


# ------------------------------------------------------------------ properties


def _naive_due(cal, start, days):
    d, n = start, 0
    while n < days:
        d += timedelta(days=1)
        if cal.is_workday(d):
            n += 1
    return d


starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
day_counts = st.integers(min_value=0, max_value=40)
calendars = st.sampled_from(["default", "table"])


@settings(max_examples=300, deadline=None)
@given(start=starts, days=day_counts, which=calendars)
def test_property_matches_naive_count(start, days, which):
    cal = default_calendar() if which == "default" else table_calendar()
    dl = cal.add_working_days(start, days)
    assert dl.due == _naive_due(cal, start, days)
    if days > 0:
        assert dl.due > start
        assert cal.is_workday(dl.due)
    else:
        assert dl.due == start
    assert cal.working_days_between(start, dl.due) == days
    span = [start + timedelta(days=i) for i in range(1, (dl.due - start).days + 1)]
    est_years = sorted({d.year for d in span if cal.year_status(d.year) == "estimated"})
    assert dl.estimated_years == est_years
    assert dl.estimated == bool(est_years)
    assert dl.skipped_holidays == [d for d in span if d.weekday() < 5 and not cal.is_workday(d)]
    assert dl.makeup_workdays == [d for d in span if d.weekday() >= 5 and cal.is_workday(d)]


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 10, 31)), days=st.integers(1, 40))
def test_property_agrees_with_package_find_workday(start, days):
    # find_workday re-bases a non-working start day onto the next working day (so
    # find_workday(1, 2004-01-01) is 01-05, not 01-02); compare only from working days.
    cal = default_calendar()
    assume(cal.is_workday(start))
    dl = cal.add_working_days(start, days)
    if dl.due.year <= 2026:
        assert dl.due == chinese_calendar.find_workday(days, start)
