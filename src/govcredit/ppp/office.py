"""PPP projects in the back-office shell."""

from __future__ import annotations

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry

ICON = '<path d="M3 21h18M5 21V9l7-5 7 5v12"/><path d="M9 21v-6h6v6"/>'


def menu(access: Access) -> list[MenuEntry]:
    if not access.roles:
        return []
    return [MenuEntry("ppp", "PPP项目", "ppp:list", order=430, group="合同与项目", icon=ICON)]


def audit_links() -> dict[str, str]:
    return {"ppp.project": "ppp:detail"}
