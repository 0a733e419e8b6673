"""Sanctions in the back-office shell: 惩戒措施 and 信用核查 in the navigation, rectification queues
on the 工作台."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.core.charts import Chart, Series, last_months, month_label
from govcredit.office.registry import GROUP_SANCTIONS, MenuEntry, Tile

from .checks import may_view_checks
from .models import RectificationStatus
from .services import TODO_STATUSES, can_manage, rectifications_for

SANCTIONS_ICON = (
    '<polygon points="7.86 2 16.14 2 22 7.86 22 16.14 16.14 22 7.86 22 2 16.14 2 7.86 7.86 2"/>'
    '<line x1="12" y1="8" x2="12" y2="12"/><line x1="12" y1="16" x2="12.01" y2="16"/>'
)
CHECKS_ICON = '<circle cx="11" cy="11" r="8"/><line x1="21" y1="21" x2="16.65" y2="16.65"/>'


def menu(access: Access) -> list[MenuEntry]:
    entries = [
        MenuEntry(
            "sanctions", "惩戒措施", "sanctions:list", order=40, group=GROUP_SANCTIONS, icon=SANCTIONS_ICON
        )
    ]
    if may_view_checks(access):
        entries.append(
            MenuEntry("checks", "信用核查", "checks:list", order=50, group=GROUP_SANCTIONS, icon=CHECKS_ICON)
        )
    return entries


def tiles(access: Access) -> list[Tile]:
    """Rectification tasks: the recorded unit's to do, the credit office's to accept, the overdue."""
    today = timezone.localdate()
    counts = (
        rectifications_for(access)
        .order_by()
        .aggregate(
            todo=Count("pk", filter=Q(status__in=TODO_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=TODO_STATUSES, deadline__lt=today)),
            to_accept=Count("pk", filter=Q(status=RectificationStatus.SUBMITTED)),
        )
    )
    listed = reverse("sanctions:rectifications")
    own_units = bool(access.subject_ids_of_own_units())
    manager = can_manage(access)
    tiles = []
    if own_units:
        tiles.append(
            Tile("待整改", counts["todo"], f"{listed}?status=open", "书面说明原因并限期整改", "alert", 50)
        )
    if manager:
        tiles.append(
            Tile(
                "整改待验收",
                counts["to_accept"],
                f"{listed}?status=submitted",
                "被记录单位已提交整改材料",
                "warn",
                51,
            )
        )
    if counts["overdue"] and (manager or own_units):
        tiles.append(
            Tile("整改逾期", counts["overdue"], f"{listed}?overdue=1", "已过整改期限，已督办", "alert", 52)
        )
    return tiles


def _month_end(first: dt.date) -> dt.datetime:
    """The last moment of the month that begins on ``first`` (local time), as an aware datetime."""
    nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=timezone.get_current_timezone())


def charts(access: Access) -> list[Chart]:
    """The rectification backlog: tasks not yet accepted at each month's end of the last 12 (the
    current month: today), and how many of them were past their deadline then."""
    own_units = bool(access.subject_ids_of_own_units())
    if not (own_units or can_manage(access) or access.sees_everything):
        return []
    today = timezone.localdate()
    months = last_months(today)
    start = dt.datetime(months[0].year, months[0].month, 1, tzinfo=timezone.get_current_timezone())
    tasks = list(
        rectifications_for(access)
        .exclude(status=RectificationStatus.CANCELLED)
        .exclude(decided_at__lt=start, status=RectificationStatus.ACCEPTED)
        .order_by()
        .values_list("created_at", "decided_at", "deadline", "status")
    )
    backlog, overdue = [], []
    now = timezone.now()
    for first in months:
        end = min(_month_end(first), now)
        end_day = timezone.localtime(end).date()
        open_then = [
            t
            for t in tasks
            if t[0] <= end and not (t[3] == RectificationStatus.ACCEPTED and t[1] is not None and t[1] <= end)
        ]
        backlog.append(len(open_then))
        overdue.append(sum(1 for t in open_then if t[2] < end_day))
    return [
        Chart(
            "rectification-backlog",
            "限期整改 · 积压（月末未验收）",
            [month_label(m) for m in months],
            [Series("未验收任务", backlog, "line"), Series("其中已逾期", overdue, "line")],
            first="月份",
            note="每月月末（本月为今天）尚未验收通过的整改任务，已取消的不计；逾期 = 已过整改期限。",
            order=40,
            link=reverse("sanctions:rectifications"),
        )
    ]
