"""Data exchange in the back-office shell: 数据交换 in the navigation, for the staff-wide roles."""

from __future__ import annotations

from govcredit.accounts.permissions import Access
from govcredit.office.registry import GROUP_SYSTEM, MenuEntry

ICON = (
    '<polyline points="17 1 21 5 17 9"/><path d="M3 11V9a4 4 0 0 1 4-4h14"/><polyline points="7 23 3 19 7 15"/>'
    '<path d="M21 13v2a4 4 0 0 1-4 4H3"/>'
)


def menu(access: Access) -> list[MenuEntry]:
    if not access.sees_everything:
        return []
    return [MenuEntry("exchange", "数据交换", "exchange:events", order=800, group=GROUP_SYSTEM, icon=ICON)]
