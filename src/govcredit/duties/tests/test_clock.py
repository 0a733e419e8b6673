import datetime as dt

import pytest

from govcredit.core.workdays import WorkingDayCalendar, default_calendar
from govcredit.duties.clock import Pause, add_months, due_date

CAL = default_calendar()


def test_30_calendar_days_from_2025_09_01_end_after_national_day():
    due = due_date(dt.date(2025, 9, 1), mode="calendar", n=30, calendar=CAL)
    assert due.due == dt.date(2025, 10, 9)
    assert due.nominal == dt.date(2025, 10, 1)
    assert due.skipped_holidays == tuple(dt.date(2025, 10, d) for d in range(1, 9))
    text = due.explain()
    assert "自2025-09-01起算（当日不计入）" in text
    assert "国庆节" in text and "10-01至10-08" in text
    assert "顺延至2025-10-09" in text and "第二百零三条" in text


def test_3_months_from_2026_01_31_end_on_the_months_last_day():
    due = due_date(dt.date(2026, 1, 31), mode="months", n=3, calendar=CAL)
    assert due.due == dt.date(2026, 4, 30)
    assert "第二百零二条" in due.explain()


def test_months_corresponding_day_and_leap_years():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)
    assert due_date(dt.date(2026, 1, 15), mode="months", n=6, calendar=CAL).due == dt.date(2026, 7, 15)


def test_calendar_period_ending_on_a_plain_weekend_does_not_move():
    # 2026-03-07 is a Saturday, no statutory holiday
    due = due_date(dt.date(2026, 2, 5), mode="calendar", n=30, calendar=CAL)
    assert due.due == dt.date(2026, 3, 7)
    assert due.skipped_holidays == ()


def test_working_days_match_the_existing_engine():
    for start, n in [(dt.date(2025, 9, 30), 5), (dt.date(2026, 9, 30), 10), (dt.date(2026, 1, 5), 20)]:
        due = due_date(start, mode="working", n=n, calendar=CAL)
        assert due.due == CAL.add_working_days(start, n).due
    due = due_date(dt.date(2026, 9, 30), mode="working", n=20, calendar=CAL)
    assert due.due == dt.date(2026, 11, 3)
    assert dt.date(2026, 10, 1) in due.skipped_holidays
    assert dt.date(2026, 10, 10) in due.makeup_workdays
    assert "计20个工作日" in due.explain() and "调休上班日计入：10-10" in due.explain()


def test_annual_fixed_date_on_or_after_start():
    assert due_date(dt.date(2025, 12, 1), mode="annual", month=3, day=31, calendar=CAL).due == dt.date(
        2026, 3, 31
    )
    assert due_date(dt.date(2026, 3, 31), mode="annual", month=3, day=31, calendar=CAL).due == dt.date(
        2026, 3, 31
    )
    assert due_date(dt.date(2026, 5, 1), mode="annual", month=4, day=30, calendar=CAL).due == dt.date(
        2027, 4, 30
    )
    assert (
        "每年3月31日" in due_date(dt.date(2026, 1, 1), mode="annual", month=3, day=31, calendar=CAL).explain()
    )
    with pytest.raises(ValueError):
        due_date(dt.date(2026, 1, 1), mode="annual", calendar=CAL)
    with pytest.raises(ValueError):
        due_date(dt.date(2026, 1, 1), mode="annual", month=2, day=30, calendar=CAL)


def test_pause_shifts_by_the_paused_span_in_the_modes_unit():
    # calendar: 10 days paused → 10 days later
    plain = due_date(dt.date(2026, 3, 1), mode="calendar", n=30, calendar=CAL)
    paused = due_date(
        dt.date(2026, 3, 1),
        mode="calendar",
        n=30,
        calendar=CAL,
        pauses=[Pause(dt.date(2026, 3, 5), dt.date(2026, 3, 15), "补正")],
    )
    assert plain.due == dt.date(2026, 3, 31)
    assert paused.due == dt.date(2026, 4, 10)
    assert "因补正暂停计算（顺延10日）" in paused.explain()
    # working: the working days inside the pause are added back
    base = due_date(dt.date(2026, 3, 2), mode="working", n=20, calendar=CAL)
    wp = due_date(
        dt.date(2026, 3, 2),
        mode="working",
        n=20,
        calendar=CAL,
        pauses=[Pause(dt.date(2026, 3, 6), dt.date(2026, 3, 13), "第三方征求意见")],
    )
    assert wp.due == CAL.add_working_days(dt.date(2026, 3, 2), 25).due
    assert wp.due > base.due and wp.paused_units == 5


def test_open_pause_leaves_the_due_date_unknown():
    due = due_date(
        dt.date(2026, 3, 2),
        mode="working",
        n=20,
        calendar=CAL,
        pauses=[Pause(dt.date(2026, 3, 6), None, "补正")],
    )
    assert due.due is None and due.paused
    assert "尚未恢复" in due.explain()


def test_extension_once_in_its_own_mode():
    due = due_date(dt.date(2026, 3, 2), mode="working", n=20, extension=20, calendar=CAL)
    assert due.due == CAL.add_working_days(dt.date(2026, 3, 2), 40).due
    assert "延长20个工作日" in due.explain()
    months = due_date(dt.date(2026, 1, 31), mode="months", n=3, extension=3, calendar=CAL)
    assert months.due == dt.date(2026, 7, 30)
    mixed = due_date(
        dt.date(2026, 1, 31), mode="months", n=3, extension=10, extension_mode="working", calendar=CAL
    )
    assert mixed.due == CAL.add_working_days(dt.date(2026, 4, 30), 10).due


def test_office_holiday_table_moves_a_calendar_period():
    cal = WorkingDayCalendar(
        overrides={dt.date(2027, 5, 3): False, dt.date(2027, 5, 4): False}, known_years={2027}
    )
    # 2027-05-01 Sat .. 05-04 Tue off; 30 days from 2027-04-03 end on Mon 05-03 → Wed 05-05
    due = due_date(dt.date(2027, 4, 3), mode="calendar", n=30, calendar=cal)
    assert due.due == dt.date(2027, 5, 5)
    assert not due.estimated


def test_unknown_year_is_estimated():
    due = due_date(dt.date(2028, 1, 10), mode="working", n=10, calendar=CAL)
    assert due.estimated and "预估" in due.explain()


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        due_date(dt.date(2026, 1, 1), mode="weeks", n=3, calendar=CAL)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        due_date(dt.date(2026, 1, 1), mode="calendar", n=-1, calendar=CAL)
    with pytest.raises(ValueError):
        due_date(
            dt.date(2026, 1, 1),
            mode="calendar",
            n=3,
            calendar=CAL,
            pauses=[Pause(dt.date(2026, 1, 5), dt.date(2026, 1, 2), "补正")],
        )


def test_office_calendar_is_read_when_none_given(db):
    from govcredit.core.calendar import add_holiday, mark_year_complete

    mark_year_complete(2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    add_holiday(dt.date(2027, 1, 1), is_workday=False, note="元旦")
    due = due_date(dt.date(2026, 12, 31), mode="working", n=1)
    assert due.due == dt.date(2027, 1, 4) and not due.estimated
