"""The duty clock: one due-date rule for every wave-2 module (KERNEL_CONTRACT §1).

Modes:

- ``working``  — working days (工作日) on the office calendar (``core.workdays``), start day not counted;
- ``calendar`` — calendar days, 民法典 第二百零一条 (start day not counted) and 第二百零三条 (a period
  whose last day falls in a statutory holiday ends on the first working day after the holiday);
- ``months``   — 第二百零二条: the corresponding day of the last month, or that month's last day when
  it has none; 第二百零三条 applies to the last day as for calendar days;
- ``annual``   — the next fixed date (``month``/``day``) on or after the start (e.g. 3月31日).

Pauses (补正, third-party consultation …) stop the clock from ``Pause.start`` and it resumes on
``Pause.end``: the due date moves by the paused span, counted in the mode's own unit (working days for
``working``, calendar days otherwise). A pause without an end leaves the due date unknown. An
extension (延长) adds ``extension`` units once, in ``extension_mode`` (default: the mode itself).

Django-free apart from reading the office calendar when no ``calendar`` is passed.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

import chinese_calendar

from govcredit.core.workdays import WorkingDayCalendar, format_cn_date, package_knows_year

__all__ = ["MODES", "Due", "Mode", "Pause", "add_months", "due_date"]

Mode = Literal["working", "calendar", "months", "annual"]
MODES: tuple[str, ...] = get_args(Mode)
MODE_LABELS = {"working": "工作日", "calendar": "日", "months": "个月", "annual": "年度固定日期"}
_ONE_DAY = dt.timedelta(days=1)

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class Pause:
    """The clock stops from ``start`` and resumes on ``end`` (None: still paused)."""

    start: dt.date
    end: dt.date | None
    reason: str


@dataclass(frozen=True)
class Due:
    due: dt.date | None
    start: dt.date
    mode: Mode
    n: int
    skipped_holidays: tuple[dt.date, ...]
    estimated: bool  # a year the holiday data does not know
    # -- what explain() needs (optional, defaults keep the contract's constructor) ------------------
    month: int | None = None
    day: int | None = None
    nominal: dt.date | None = None  # the last day before 第二百零三条 moved it
    holiday_names: tuple[str, ...] = ()
    holiday_span: tuple[dt.date, dt.date] | None = None
    pauses: tuple[Pause, ...] = ()
    paused_units: int = 0
    extension: int = 0
    extension_mode: Mode | None = None
    makeup_workdays: tuple[dt.date, ...] = ()
    estimated_years: tuple[int, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def paused(self) -> bool:
        return self.due is None

    def _d(self, d: dt.date) -> str:
        return format_cn_date(d, with_year=d.year != self.start.year)

    def explain(self) -> str:
        """Chinese: the rule, the start day not counted, holidays skipped, pauses and extensions."""
        if self.mode == "annual":
            text = f"自{format_cn_date(self.start)}起，按每年{self.month}月{self.day}日的固定期限计"
        elif self.mode == "working":
            text = f"自{format_cn_date(self.start)}起算（当日不计入），计{self.n}个工作日"
        elif self.mode == "months":
            text = f"自{format_cn_date(self.start)}起算（当日不计入），{self.n}个月"
        else:
            text = f"自{format_cn_date(self.start)}起算（当日不计入），{self.n}日"
        parts = [text]
        if self.mode == "working":
            if self.skipped_holidays:
                parts.append("跳过法定节假日：" + "、".join(self._d(d) for d in self.skipped_holidays))
            if self.makeup_workdays:
                parts.append("调休上班日计入：" + "、".join(self._d(d) for d in self.makeup_workdays))
        for pause in self.pauses:
            reason = pause.reason or "中止计算"
            if pause.end is None:
                parts.append(f"自{format_cn_date(pause.start)}起因{reason}暂停计算，尚未恢复，期限待定")
            else:
                unit = "个工作日" if self.mode == "working" else "日"
                parts.append(
                    f"{format_cn_date(pause.start)}至{format_cn_date(pause.end)}因{reason}暂停计算"
                    f"（顺延{_span(self, pause)}{unit}）"
                )
        if self.extension:
            ext_mode = self.extension_mode or self.mode
            unit = {"working": "个工作日", "months": "个月"}.get(ext_mode, "日")
            parts.append(f"延长{self.extension}{unit}")
        if self.due is None:
            return "，".join(parts) + "。"
        if self.nominal and self.nominal != self.due:
            name = "、".join(self.holiday_names) + "假期" if self.holiday_names else "法定节假日"
            span = ""
            if self.holiday_span:
                a, b = self.holiday_span
                span = f"（{self._d(a)}至{self._d(b)}）" if a != b else f"（{self._d(a)}）"
            parts.append(
                f"届满于{format_cn_date(self.nominal)}，适逢{name}{span}，"
                f"依民法典第二百零三条顺延至{format_cn_date(self.due)}"
            )
        elif self.mode == "working":
            parts.append(f"截止{format_cn_date(self.due)}")
        elif self.mode == "annual":
            parts.append(f"截止{format_cn_date(self.due)}")
        else:
            parts.append(f"届满于{format_cn_date(self.due)}")
        text = "，".join(parts) + "。"
        if self.mode == "months" and self.notes:
            text += "".join(self.notes)
        if self.estimated:
            years = "、".join(f"{y}年" for y in self.estimated_years)
            text += f"其中{years}的节假日安排尚未公布，按周一至周五预估（预估）。"
        return text


def _span(due: Due, pause: Pause) -> int:
    return _paused_units(due.mode, pause, None)


def _paused_units(mode: str, pause: Pause, cal: WorkingDayCalendar | None) -> int:
    if pause.end is None or pause.end <= pause.start:
        return 0
    if mode == "working":
        cal = cal or WorkingDayCalendar()
        return cal.working_days_between(pause.start, pause.end)
    return (pause.end - pause.start).days


def add_months(day: dt.date, months: int) -> dt.date:
    """民法典 第二百零二条: the corresponding day, or the month's last day when there is none."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


def _office_calendar() -> WorkingDayCalendar:
    from govcredit.core.calendar import office_calendar

    return office_calendar()


def _holiday_name(cal: WorkingDayCalendar, d: dt.date) -> str | None:
    """The statutory holiday ``d`` belongs to (Chinese name), "" for an office-entered holiday without a
    known name, None when ``d`` is no statutory holiday (a working day, or a plain weekend)."""
    if cal.is_workday(d):
        return None
    if cal.overrides.get(d) is False:
        return ""
    if d.year not in cal.known_years and package_knows_year(d.year):
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
        if on_holiday and name:
            return HOLIDAY_NAMES.get(name, name)
    return None


def _roll_holiday(cal: WorkingDayCalendar, last: dt.date):
    """第二百零三条: a last day inside a statutory holiday moves to the first working day after it."""
    if _holiday_name(cal, last) is None:
        return last, (), (), None
    begin = last
    while _holiday_name(cal, begin - _ONE_DAY) is not None:
        begin -= _ONE_DAY
    d = last
    skipped = []
    while not cal.is_workday(d):
        skipped.append(d)
        d += _ONE_DAY
    names: list[str] = []
    probe = begin
    while probe < d:
        name = _holiday_name(cal, probe)
        if name and name not in names:
            names.append(name)
        probe += _ONE_DAY
    return d, tuple(skipped), tuple(names), (begin, d - _ONE_DAY)


def _estimated_years(cal: WorkingDayCalendar, start: dt.date, end: dt.date) -> tuple[int, ...]:
    return tuple(y for y in range(start.year, end.year + 1) if cal.year_status(y) == "estimated")


def _advance(
    cal: WorkingDayCalendar, mode: str, start: dt.date, n: int
) -> tuple[dt.date, tuple[dt.date, ...], tuple[dt.date, ...]]:
    if mode == "working":
        deadline = cal.add_working_days(start, n)
        return deadline.due, tuple(deadline.skipped_holidays), tuple(deadline.makeup_workdays)
    if mode == "months":
        return add_months(start, n), (), ()
    return start + dt.timedelta(days=n), (), ()


def due_date(
    start: dt.date,
    *,
    mode: Mode,
    n: int = 0,
    month: int | None = None,
    day: int | None = None,
    pauses: Sequence[Pause] = (),
    extension: int = 0,
    extension_mode: Mode | None = None,
    calendar: WorkingDayCalendar | None = None,
) -> Due:
    """The due date of a period of ``n`` units from ``start`` (see the module text for the rules)."""
    if mode not in MODES:
        raise ValueError(f"未知的期限计算方式：{mode}")
    if extension_mode is not None and extension_mode not in ("working", "calendar", "months"):
        raise ValueError(f"未知的延长计算方式：{extension_mode}")
    if n < 0 or extension < 0:
        raise ValueError("期限和延长期限不能为负数")
    pauses = tuple(pauses)
    for p in pauses:
        if p.end is not None and p.end < p.start:
            raise ValueError("暂停的恢复日期不能早于暂停日期")
    if mode == "annual":
        if month is None or day is None:
            raise ValueError("年度固定日期须给出月和日")
        try:
            candidate = dt.date(start.year, month, day)
        except ValueError as exc:
            raise ValueError(f"{month}月{day}日不是有效日期") from exc
        if candidate < start:
            candidate = dt.date(start.year + 1, month, min(day, _cal.monthrange(start.year + 1, month)[1]))
    cal = calendar if calendar is not None else _office_calendar()
    base = dict(start=start, mode=mode, n=n, month=month, day=day, pauses=pauses, extension=extension)
    base["extension_mode"] = extension_mode
    if any(p.end is None for p in pauses):
        return Due(due=None, skipped_holidays=(), estimated=False, **base)  # type: ignore[arg-type]
    paused = sum(_paused_units(mode, p, cal) for p in pauses)
    skipped: tuple[dt.date, ...] = ()
    makeup: tuple[dt.date, ...] = ()
    notes: list[str] = []
    if mode == "annual":
        last = candidate + dt.timedelta(days=paused)
    elif mode == "working":
        last, skipped, makeup = _advance(cal, "working", start, n + paused)
    elif mode == "calendar":
        last = start + dt.timedelta(days=n + paused)
    else:
        last = add_months(start, n)
        if last.day != start.day:
            notes.append(
                f"{last.year}年{last.month}月无对应日，以该月最后一日为期间最后一日（民法典第二百零二条）。"
            )
        last += dt.timedelta(days=paused)
    if extension:
        last, more_skipped, more_makeup = _advance(cal, extension_mode or mode, last, extension)
        skipped += more_skipped
        makeup += more_makeup
    nominal = last
    names: tuple[str, ...] = ()
    span = None
    final_mode = extension_mode if extension else mode
    if mode in ("calendar", "months") and final_mode != "working":
        last, rolled, names, span = _roll_holiday(cal, last)
        skipped += rolled
    years = _estimated_years(cal, start, last)
    return Due(
        due=last,
        skipped_holidays=skipped,
        estimated=bool(years),
        nominal=nominal,
        holiday_names=names,
        holiday_span=span,
        paused_units=paused,
        makeup_workdays=makeup,
        estimated_years=years,
        notes=tuple(notes),
        **base,  # type: ignore[arg-type]
    )
