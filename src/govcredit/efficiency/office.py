"""服务承诺与蜗牛奖 in the back-office shell."""

from __future__ import annotations

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry

from . import services

ICON = '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>'


def menu(access: Access) -> list[MenuEntry]:
    if not services.may_view(access):
        return []
    return [
        MenuEntry("efficiency", "办事效率", "efficiency:monthly", order=620, group="法治政府", icon=ICON),
        MenuEntry(
            "efficiency_items", "政务服务事项", "efficiency:items", order=621, group="法治政府", icon=ICON
        ),
        MenuEntry("efficiency_cases", "办件", "efficiency:cases", order=622, group="法治政府", icon=ICON),
        MenuEntry("efficiency_awards", "蜗牛奖", "efficiency:awards", order=623, group="法治政府", icon=ICON),
    ]


def audit_links() -> dict[str, str]:
    return {}
