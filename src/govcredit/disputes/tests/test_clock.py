"""Working-day deadlines with pauses, checked against an independent day-by-day count."""

import datetime as dt

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from govcredit.core.workdays import WorkingDayCalendar
from govcredit.disputes.clock import ClockView, due_with_pauses, paused_working_days, step_deadline

ONE = dt.timedelta(days=1)

# The office's own table for 2027 (a plausible schedule: 春节, 国庆 and their make-up days).
TABLE_2027 = {
    **{dt.date(2027, 2, d): False for d in range(5, 12)},
    dt.date(2027, 2, 14): True,
    **{dt.date(2027, 10, d): False for d in range(1, 8)},
    dt.date(2027, 9, 26): True,
    dt.date(2027, 10, 9): True,
}


def independent_workday(day: dt.date, overrides, known_years) -> bool:
    """Straight from the package's published dicts, the override table, else Monday–Friday."""
    if day in overrides:
        return overrides[day]
    if day.year <= 2026 and day.year not in known_years:
        if day in chinese_calendar.holidays:
            return False
        if day in chinese_calendar.workdays:
            return True
    return day.weekday() < 5


def independent_due(start, days, pauses, overrides=None, known_years=()):
    overrides = overrides or {}
    paused = set()
    for a, b in pauses:
        d = a + ONE
        while d <= b:
            paused.add(d)
            d += ONE
    count, d = 0, start
    while count < days:
        d += ONE
        if d not in paused and independent_workday(d, overrides, known_years):
            count += 1
    return d


dates = st.dates(min_value=dt.date(2024, 9, 1), max_value=dt.date(2027, 11, 30))


@st.composite
def scenario(draw):
    """A step starting on ``start`` with some pauses, each begun while the clock still ran."""
    with_table = draw(st.booleans())
    cal = WorkingDayCalendar(
        overrides=TABLE_2027 if with_table else {}, known_years={2027} if with_table else ()
    )
    start = draw(dates)
    days = draw(st.integers(min_value=1, max_value=15))
    pauses = []
    cursor = start
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        current_due = due_with_pauses(cal, start, days, pauses).due
        room = (current_due - cursor).days
        if room <= 1:
            break
        begin = cursor + dt.timedelta(days=draw(st.integers(min_value=0, max_value=room - 1)))
        end = begin + dt.timedelta(days=draw(st.integers(min_value=1, max_value=40)))
        pauses.append((begin, end))
        cursor = end
    return cal, with_table, start, days, pauses


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_deadline_with_pauses_matches_independent_count(s):
    cal, with_table, start, days, pauses = s
    got = due_with_pauses(cal, start, days, pauses)
    expected = independent_due(
        start, days, pauses, TABLE_2027 if with_table else {}, {2027} if with_table else ()
    )
    assert got.due == expected
    assert independent_workday(got.due, TABLE_2027 if with_table else {}, {2027} if with_table else ())


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=0, max_value=25))
def test_no_pause_equals_plain_count(start, days):
    cal = WorkingDayCalendar()
    assert step_deadline(cal, start, days).due == independent_due(start, days, [])


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=60))
def test_paused_days_count_only_working_days(a, length):
    cal = WorkingDayCalendar()
    b = a + dt.timedelta(days=length)
    expected = sum(1 for i in range(1, length + 1) if independent_workday(a + dt.timedelta(days=i), {}, ()))
    assert paused_working_days(cal, a, b) == expected


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=1, max_value=15))
def test_estimated_exactly_when_an_unknown_year_is_touched(start, days):
    cal = WorkingDayCalendar()
    deadline = step_deadline(cal, start, days)
    assert deadline.estimated == (deadline.due.year >= 2027)
    view = ClockView(deadline=deadline, paused_days=0, basis="")
    if deadline.estimated:
        assert "预估" in view.explain() and "2027年" in view.estimate_reason()
    else:
        assert view.estimate_reason() == ""


def test_national_day_2026_pause_across_holiday():
    cal = WorkingDayCalendar()
    # 10 working days from 2026-09-25 (Fri): 国庆 10-01…10-07 skipped, 09-20 is before, 10-10 (Sat) counts.
    plain = step_deadline(cal, dt.date(2026, 9, 25), 10)
    assert plain.due == dt.date(2026, 10, 15)
    assert dt.date(2026, 10, 10) in plain.makeup_workdays
    # returned on 09-29, answered on 10-09: waited 09-30 and 10-08, 10-09 (10-01…10-07 holidays)
    assert paused_working_days(cal, dt.date(2026, 9, 29), dt.date(2026, 10, 9)) == 3
    paused = due_with_pauses(cal, dt.date(2026, 9, 25), 10, [(dt.date(2026, 9, 29), dt.date(2026, 10, 9))])
    assert paused.due == dt.date(2026, 10, 20)
    view = ClockView(deadline=paused, paused_days=3, basis="")
    assert "另加退回补正暂停的3个工作日" in view.explain()


def test_deadline_into_2027_estimated_then_table():
    start = dt.date(2026, 12, 24)
    est = step_deadline(WorkingDayCalendar(), start, 10)
    assert est.estimated and est.estimated_years == [2027]
    assert est.due == dt.date(2027, 1, 7)  # Monday–Friday, 01-01 counted as a working day (estimate)
    table = WorkingDayCalendar(overrides={dt.date(2027, 1, 1): False}, known_years={2027})
    exact = step_deadline(table, start, 10)
    assert not exact.estimated and exact.due == dt.date(2027, 1, 8)
