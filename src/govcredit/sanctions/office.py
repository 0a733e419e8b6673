"""Sanctions in the back-office shell: 惩戒措施 and 信用核查 in the navigation, rectification queues
on the 工作台."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.permissions import Access
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
