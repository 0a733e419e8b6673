"""The shell's own menu entries: 工作台, 审计, 系统管理 (the other apps declare theirs the same way)."""

from __future__ import annotations

from govcredit.accounts.permissions import Access

from .registry import GROUP_SYSTEM, MenuEntry

HOME = '<path d="M3 9l9-7 9 7v11a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/><polyline points="9 22 9 12 15 12 15 22"/>'
AUDIT = '<path d="M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z"/>'
SYSTEM = (
    '<line x1="4" y1="21" x2="4" y2="14"/><line x1="4" y1="10" x2="4" y2="3"/><line x1="12" y1="21" x2="12" '
    'y2="12"/><line x1="12" y1="8" x2="12" y2="3"/><line x1="20" y1="21" x2="20" y2="16"/><line x1="20" '
    'y1="12" x2="20" y2="3"/><line x1="1" y1="14" x2="7" y2="14"/><line x1="9" y1="8" x2="15" y2="8"/>'
    '<line x1="17" y1="16" x2="23" y2="16"/>'
)


def menu(access: Access) -> list[MenuEntry]:
    entries = [MenuEntry("home", "工作台", "office:dashboard", order=0, icon=HOME)]
    if access.can_read_audit():
        entries.append(MenuEntry("audit", "审计", "office:audit", order=900, group=GROUP_SYSTEM, icon=AUDIT))
    entries.append(
        MenuEntry("system", "系统管理", "office:system", order=990, group=GROUP_SYSTEM, icon=SYSTEM)
    )
    return entries
