"""Charts for people who would rather look than read (issue 13, point 12).

A :class:`Chart` is plain data — labels and one or more :class:`Series` — drawn in the browser
by the vendored Chart.js (``static/govcredit/vendor/chart.umd.min.js``) through
``static/govcredit/charts.js``. ``core/_chart.html`` renders it as a ``<canvas role="img">``
whose ``aria-label`` is the chart's text summary, followed by the same figures as a table under
"查看数据表" (for screen readers, for copying, and when scripts are off); exports stay tables.
``core/_chart_scripts.html`` loads the two scripts once per page.

Apps contribute 工作台 charts through ``<app>/office.py`` ``charts(access) -> list[Chart]``
(``office.registry.charts_for``); a page of an app uses the include directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

KINDS = ("bar", "line")
AXES = ("count", "percent")
PALETTE = ("#1a4f8b", "#b71c1c", "#2e7d32", "#c25e00", "#6a1b9a", "#00838f")


@dataclass(frozen=True)
class Series:
    label: str  # e.g. "记录数"
    values: list[float | int | None]
    kind: str = "bar"  # "bar" | "line"
    axis: str = "count"  # "count" (left axis) | "percent" (right axis, 0–100)

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.axis not in AXES:
            raise ValueError(f"Series kind must be one of {KINDS} and axis one of {AXES}")


@dataclass(frozen=True)
class Chart:
    key: str  # unique on the page, [a-z0-9-]; the canvas id is "chart-<key>"
    title: str  # e.g. "信用记录 · 按月"
    labels: list[str]  # the x axis (or the y axis of a horizontal chart)
    series: list[Series]
    first: str = ""  # the data table's first column header, e.g. "月份"
    summary: str = ""  # one Chinese sentence of what the chart shows (its text alternative)
    note: str = ""  # small print under the chart: what is counted
    horizontal: bool = False  # bars across (long unit or category names)
    stacked: bool = False
    order: int = 100  # position on the 工作台
    link: str = ""  # an already reversed URL of the page behind the figures
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.labels):
                raise ValueError(f"chart {self.key}: series {s.label!r} needs {len(self.labels)} values")

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def empty(self) -> bool:
        return not self.labels or all(not v for s in self.series for v in s.values)

    @property
    def height(self) -> int:
        """Pixels: a horizontal chart grows with its bars."""
        return max(220, 28 * len(self.labels) + 80) if self.horizontal else 260

    @property
    def rows(self) -> list[tuple[str, list[float | int | None]]]:
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def alt(self) -> str:
        """The canvas's aria-label: the summary, or the title with the figures spelled out."""
        if self.summary:
            return self.summary
        parts = [
            f"{label}：" + "，".join(f"{s.label}{_fmt(v)}" for s, v in zip(self.series, values, strict=True))
            for label, values in self.rows[:24]
        ]
        return f"{self.title}。" + "；".join(parts)

    def as_json(self) -> dict[str, Any]:
        return {
            "labels": self.labels,
            "horizontal": self.horizontal,
            "stacked": self.stacked,
            "series": [
                {
                    "label": s.label,
                    "data": s.values,
                    "kind": s.kind,
                    "axis": s.axis,
                    "color": PALETTE[i % len(PALETTE)],
                }
                for i, s in enumerate(self.series)
            ],
        }


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def last_months(today: dt.date, n: int = 12) -> list[dt.date]:
    """The first days of the ``n`` months ending with ``today``'s, oldest first."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(n):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def month_label(first: dt.date) -> str:
    return f"{first:%Y-%m}"


def top_with_rest(pairs: list[tuple[str, int]], n: int = 10, rest: str = "其他") -> list[tuple[str, int]]:
    """The ``n`` largest ``(label, count)`` pairs, the others summed as ``rest``."""
    ranked = sorted(pairs, key=lambda p: (-p[1], p[0]))
    head, tail = ranked[:n], ranked[n:]
    if tail:
        head.append((rest, sum(c for _, c in tail)))
    return head


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None
