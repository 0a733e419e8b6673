"""Disputes in the back-office shell: 异议与修复 in the navigation with its badge, and the open
cases on the 工作台 — both the ``open`` count of ``services.queue_counts``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.core.charts import Chart
from govcredit.office.registry import GROUP_SANCTIONS, MenuEntry, Tile

from .services import cases_for, queue_counts
from .stats import on_time_chart

ICON = '<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/>'


def _open_cases(access: Access) -> int:
    """Cases are handled by units: a user of no unit has no queue."""
    if not access.memberships:
        return 0
    return access.memo("disputes.queue_counts", lambda: queue_counts(access, deadlines=False))["open"]


def menu(access: Access) -> list[MenuEntry]:
    return [
        MenuEntry(
            "disputes",
            "异议与修复",
            "disputes:list",
            order=60,
            group=GROUP_SANCTIONS,
            icon=ICON,
            badge="open",
            badge_label="件待办",
        )
    ]


def badges(access: Access) -> dict[str, int]:
    return {"open": _open_cases(access)}


def tiles(access: Access) -> list[Tile]:
    count = _open_cases(access)
    if not count:
        return []
    return [Tile("异议与修复待办", count, reverse("disputes:list"), "按工作日计时的案件", "warn", 60)]


def charts(access: Access) -> list[Chart]:
    """On-time handling of objections and repairs, month by month, in the user's scope."""
    if not access.memberships and not access.sees_everything:
        return []
    return [on_time_chart(cases_for(access), timezone.localdate(), order=30, link=reverse("disputes:stats"))]
