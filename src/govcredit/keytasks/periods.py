"""Reporting periods (报送期): quarters, half-years or years, named ``2026Q3``, ``2026H1``, ``2026``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_CODE = re.compile(r"^(\d{4})(?:([QH])([1-4]))?$")


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        year, rest = self.code[:4], self.code[4:]
        if not rest:
            return f"{year}年度"
        if rest[0] == "H":
            return f"{year}年{'上' if rest[1] == '1' else '下'}半年"
        return f"{year}年第{'一二三四'[int(rest[1]) - 1]}季度"

    def next(self) -> Period:
        return period_of(self.end + dt.timedelta(days=1), cadence_of(self.code))


def cadence_of(code: str) -> str:
    return "quarter" if "Q" in code else "half_year" if "H" in code else "year"


def _last_day(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def period_of(day: dt.date, cadence: str) -> Period:
    y = day.year
    if cadence == "quarter":
        q = (day.month - 1) // 3 + 1
        return Period(f"{y}Q{q}", dt.date(y, 3 * q - 2, 1), _last_day(y, 3 * q))
    if cadence == "half_year":
        h = 1 if day.month <= 6 else 2
        return Period(f"{y}H{h}", dt.date(y, 6 * h - 5, 1), _last_day(y, 6 * h))
    return Period(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31))


def parse(code: str) -> Period | None:
    m = _CODE.match((code or "").strip().upper())
    if not m:
        return None
    year, kind, n = int(m.group(1)), m.group(2), m.group(3)
    if not 2000 <= year <= 2100:
        return None
    if kind is None:
        return period_of(dt.date(year, 1, 1), "year")
    n_ = int(n)
    if kind == "H" and n_ > 2:
        return None
    month = 6 * n_ - 5 if kind == "H" else 3 * n_ - 2
    return period_of(dt.date(year, month, 1), "half_year" if kind == "H" else "quarter")


def between(first: dt.date, last: dt.date, cadence: str) -> list[Period]:
    """Every period from the one containing ``first`` to the one containing ``last``."""
    out: list[Period] = []
    p = period_of(first, cadence)
    while p.start <= last:
        out.append(p)
        p = p.next()
    return out
