"""Menu entries of accounts: 账号与单位 for the system administrator, 修改密码 for everyone."""

from __future__ import annotations

from govcredit.office.registry import GROUP_SYSTEM, MenuEntry

from .permissions import Access

USERS = (
    '<path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/>'
    '<line x1="19" y1="8" x2="19" y2="14"/><line x1="22" y1="11" x2="16" y2="11"/>'
)
KEY = '<rect x="3" y="11" width="18" height="11" rx="2"/><path d="M7 11V7a5 5 0 0 1 10 0v4"/>'


def menu(access: Access) -> list[MenuEntry]:
    entries = []
    if access.can_manage_accounts():
        entries.append(
            MenuEntry("accounts", "账号与单位", "accounts:users", order=950, group=GROUP_SYSTEM, icon=USERS)
        )
    entries.append(
        MenuEntry("password", "修改密码", "accounts:password_change", order=995, group=GROUP_SYSTEM, icon=KEY)
    )
    return entries
