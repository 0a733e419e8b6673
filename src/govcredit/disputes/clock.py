"""Working-day clocks of objection and repair cases (pure functions over a WorkingDayCalendar).

Each step has a time limit in working days counted from the day the step started (that day not
counted, 民法典 第二百零一条). Returning a case to the applicant for more material stops the clock;
when the applicant answers, the deadline moves by the working days the case waited
(``working_days_between(paused_on, resumed_on)``: the day of the return still counted as a working
day of the office, the day of the answer is the new start and not counted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from govcredit.core.workdays import Deadline, WorkingDayCalendar, format_cn_date

from .models import CaseKind, Step

# Time limits per (kind, step), with the basis shown next to every deadline (regulations.md §4, §5).
TIME_LIMITS: dict[tuple[str, str], int] = {
    (CaseKind.OBJECTION, Step.ACCEPT): 2,
    (CaseKind.OBJECTION, Step.FORWARD): 2,
    (CaseKind.OBJECTION, Step.DECIDE): 10,
    (CaseKind.REPAIR, Step.ACCEPT): 2,
    (CaseKind.REPAIR, Step.FORWARD): 2,
    (CaseKind.REPAIR, Step.DECIDE): 10,
}
#: Where the limits come from. The objection and repair procedures themselves are required by
#: 《山东省社会信用条例》 (信息主体权益保护: 异议、信用修复) and 周政发〔2018〕26号（十）; neither sets
#: these day counts (regulations.md §5: the Shandong articles' limits were not found), so each
#: limit is the district's own choice (本区自定) and says so. Repair follows the national
#: 《信用修复管理办法》（国家发展改革委令2025年第36号，2026年4月1日起施行）.
OBJECTION_BASIS = "异议处理依《山东省社会信用条例》和周政发〔2018〕26号（十）“建立健全信用信息异议处理制度”"
REPAIR_BASIS = "信用修复依《信用修复管理办法》（国家发展改革委令2025年第36号）和《山东省社会信用条例》"
BASIS: dict[tuple[str, str], str] = {
    (CaseKind.OBJECTION, Step.ACCEPT): (
        f"收到异议申请后2个工作日内决定是否受理并标注异议处理中（时限为本区自定；{OBJECTION_BASIS}）"
    ),
    (CaseKind.OBJECTION, Step.FORWARD): (
        f"受理后2个工作日内转交信息报送单位核查（时限为本区自定；{OBJECTION_BASIS}）"
    ),
    (CaseKind.OBJECTION, Step.DECIDE): (
        f"报送单位10个工作日内核查并作出维持、更正或撤销的决定（时限为本区自定；{OBJECTION_BASIS}）"
    ),
    (
        CaseKind.REPAIR,
        Step.ACCEPT,
    ): f"收到修复申请后2个工作日内决定是否受理（时限为本区自定；{REPAIR_BASIS}）",
    (
        CaseKind.REPAIR,
        Step.FORWARD,
    ): f"受理后2个工作日内转交信息报送单位审查（时限为本区自定；{REPAIR_BASIS}）",
    (CaseKind.REPAIR, Step.DECIDE): (
        "10个工作日内审查并作出是否准予修复的决定（时限为本区自定，与“信用中国”网站审核修复申请的"
        f"10个工作日一致；{REPAIR_BASIS}）"
    ),
}


def time_limit(kind: str, step: str) -> int:
    return TIME_LIMITS[(kind, step)]


def paused_working_days(cal: WorkingDayCalendar, started_on: dt.date, ended_on: dt.date) -> int:
    return cal.working_days_between(started_on, ended_on)


def step_deadline(cal: WorkingDayCalendar, start: dt.date, days: int, paused_days: int = 0) -> Deadline:
    return cal.add_working_days(start, days + paused_days)


def due_with_pauses(
    cal: WorkingDayCalendar, start: dt.date, days: int, pauses: Iterable[tuple[dt.date, dt.date]]
) -> Deadline:
    """The deadline of a step of ``days`` working days from ``start`` with finished pauses."""
    total = sum(paused_working_days(cal, a, b) for a, b in pauses)
    return step_deadline(cal, start, days, total)


@dataclass(frozen=True)
class ClockView:
    """What a deadline looks like on screen: the date, the 预估 mark and how it was counted."""

    deadline: Deadline
    paused_days: int
    basis: str
    paused_now: bool = False

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    @property
    def estimated(self) -> bool:
        return self.deadline.estimated

    def explain(self) -> str:
        d = self.deadline
        text = d.explain()
        if self.paused_days:
            base = d.days - self.paused_days
            text = text.replace(
                f"计{d.days}个工作日",
                f"计{base}个工作日，另加退回补正暂停的{self.paused_days}个工作日，共{d.days}个工作日",
                1,
            )
        if self.paused_now:
            text += "目前案件已退回申请人补正材料，计时暂停；申请人补正后期限相应顺延。"
        return text

    def estimate_reason(self) -> str:
        if not self.deadline.estimated:
            return ""
        years = "、".join(f"{y}年" for y in self.deadline.estimated_years)
        return (
            f"{years}的法定节假日安排尚未录入工作日历（chinesecalendar 暂无该年数据，信用办亦未录入），"
            "按周一至周五推算；录入该年节假日表后自动重算。"
        )


def cn_date(day: dt.date | None) -> str:
    return format_cn_date(day) if day else ""
