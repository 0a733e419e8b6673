"""The catalog in the back-office shell: 目录与规则 in the navigation."""

from __future__ import annotations

from govcredit.accounts.permissions import Access
from govcredit.office.registry import GROUP_SYSTEM, MenuEntry

ICON = (
    '<path d="M4 19.5A2.5 2.5 0 0 1 6.5 17H20"/>'
    '<path d="M6.5 2H20v20H6.5A2.5 2.5 0 0 1 4 19.5v-15A2.5 2.5 0 0 1 6.5 2z"/>'
)


def menu(access: Access) -> list[MenuEntry]:
    return [MenuEntry("catalog", "目录与规则", "catalog:list", order=810, group=GROUP_SYSTEM, icon=ICON)]
