"""Chinese working days (工作日) for statutory deadlines.

Sources of truth, per date, in priority order:

1. ``overrides`` supplied by the caller (the credit office's own holiday table):
   ``date → True`` for a make-up working day (调休上班), ``False`` for a holiday.
2. For years in ``known_years`` (the office entered the full table): Monday–Friday,
   adjusted by the overrides above.
3. The ``chinese_calendar`` package for the years it knows (1.11.0: 2004–2026).
4. Otherwise Monday–Friday as an *estimate*: deadlines touching such a year are marked
   预估 and explain why.

The start day is not counted (民法典 第二百零一条).  Django-free.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import chinese_calendar

__all__ = ["Deadline", "WorkingDayCalendar", "default_calendar", "format_cn_date", "package_knows_year"]

YearStatus = Literal["package", "table", "estimated"]

_ONE_DAY = datetime.timedelta(days=1)
_package_years: dict[int, bool] = {}


def package_knows_year(year: int) -> bool:
    """True if the installed ``chinese_calendar`` has data for ``year``."""
    known = _package_years.get(year)
    if known is None:
        try:
            chinese_calendar.is_workday(datetime.date(year, 1, 1))
            known = True
        except NotImplementedError:
            known = False
        _package_years[year] = known
    return known


def format_cn_date(d: datetime.date, *, with_year: bool = True) -> str:
    """``2026-10-01`` (``10-01`` with ``with_year=False``, in lists of one year's days): the
    platform's one date format on screen, also inside sentences (issue 13, point 10; ``core/formats``)."""
    return d.isoformat() if with_year else d.strftime("%m-%d")


@dataclass(frozen=True)
class Deadline:
    """Result of :meth:`WorkingDayCalendar.add_working_days`."""

    due: datetime.date
    start: datetime.date
    days: int
    estimated: bool = False
    #: Monday–Friday dates that were not working days (holidays) and were skipped.
    skipped_holidays: list[datetime.date] = field(default_factory=list)
    #: Saturday/Sunday dates that were working days (调休上班) and were counted.
    makeup_workdays: list[datetime.date] = field(default_factory=list)
    #: Years touched by the count whose holiday schedule is estimated as Monday–Friday.
    estimated_years: list[int] = field(default_factory=list)

    def _fmt(self, d: datetime.date) -> str:
        return format_cn_date(d, with_year=d.year != self.start.year)

    def explain(self) -> str:
        """Chinese explanation of how the deadline was counted."""
        text = f"自{format_cn_date(self.start)}起算（当日不计），计{self.days}个工作日"
        extras = []
        if self.skipped_holidays:
            extras.append("跳过法定节假日：" + "、".join(self._fmt(d) for d in self.skipped_holidays))
        if self.makeup_workdays:
            extras.append("调休上班：" + "、".join(self._fmt(d) for d in self.makeup_workdays))
        if extras:
            text += "，" + "；".join(extras)
        text += f"；截止{format_cn_date(self.due)}。"
        if self.estimated:
            years = "、".join(f"{y}年" for y in self.estimated_years)
            text += f"其中{years}的节假日安排尚未公布，按周一至周五预估（预估）。"
        return text


class WorkingDayCalendar:
    """Working-day calendar combining ``chinese_calendar`` with an override table."""

    def __init__(
        self,
        overrides: Mapping[datetime.date, bool] | None = None,
        known_years: Iterable[int] | None = None,
    ):
        self.overrides: dict[datetime.date, bool] = dict(overrides or {})
        self.known_years: frozenset[int] = frozenset(known_years or ())

    def __repr__(self) -> str:
        return f"<WorkingDayCalendar overrides={len(self.overrides)} known_years={sorted(self.known_years)}>"

    def year_status(self, year: int) -> YearStatus:
        """``"table"`` if the office entered the year's full table, else ``"package"`` if
        ``chinese_calendar`` knows it, else ``"estimated"`` (plain Monday–Friday)."""
        if year in self.known_years:
            return "table"
        if package_knows_year(year):
            return "package"
        return "estimated"

    def is_workday(self, d: datetime.date) -> bool:
        override = self.overrides.get(d)
        if override is not None:
            return bool(override)
        if d.year not in self.known_years and package_knows_year(d.year):
            return bool(chinese_calendar.is_workday(d))
        return d.weekday() < 5

    def add_working_days(self, start: datetime.date, days: int) -> Deadline:
        """Date of the ``days``-th working day after ``start`` (start not counted).

        ``days == 0`` returns ``start`` itself.
        """
        if days < 0:
            raise ValueError(f"工作日数不能为负数：{days}")
        skipped: list[datetime.date] = []
        makeup: list[datetime.date] = []
        est_years: set[int] = set()
        d = start
        counted = 0
        while counted < days:
            d += _ONE_DAY
            if self.year_status(d.year) == "estimated":
                est_years.add(d.year)
            weekend = d.weekday() >= 5
            if self.is_workday(d):
                counted += 1
                if weekend:
                    makeup.append(d)
            elif not weekend:
                skipped.append(d)
        return Deadline(
            due=d,
            start=start,
            days=days,
            estimated=bool(est_years),
            skipped_holidays=skipped,
            makeup_workdays=makeup,
            estimated_years=sorted(est_years),
        )

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``; 0 if ``end <= start``."""
        count = 0
        d = start + _ONE_DAY
        while d <= end:
            if self.is_workday(d):
                count += 1
            d += _ONE_DAY
        return count


def default_calendar() -> WorkingDayCalendar:
    """A calendar without overrides: ``chinese_calendar`` data, Monday–Friday beyond it."""
    return WorkingDayCalendar()
