"""政府信息公开 in the back-office shell."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import services
from .models import InfoRequest

ICON = '<path d="M4 4h16v16H4z"/><path d="M8 8h8M8 12h8M8 16h5"/>'


def _overdue(access: Access) -> int:
    return access.memo(
        "openinfo.overdue",
        lambda: services.overdue(services.requests_for(access), timezone.localdate()).count(),
    )


def _waiting(access: Access) -> int:
    return access.memo(
        "openinfo.waiting",
        lambda: (
            services.requests_for(access)
            .filter(status__in=services.OPEN_STATES + ("awaiting_confirmation",))
            .count()
        ),
    )


def menu(access: Access) -> list[MenuEntry]:
    if not services.may_view(access):
        return []
    return [
        MenuEntry(
            "openinfo",
            "依申请公开",
            "openinfo:list",
            order=610,
            group="法治政府",
            icon=ICON,
            badge="overdue",
            badge_label="件申请逾期未答复",
        ),
        MenuEntry("openinfo_items", "主动公开信息", "openinfo:items", order=611, group="法治政府", icon=ICON),
        MenuEntry(
            "openinfo_catalog", "政务公开目录", "openinfo:catalog", order=612, group="法治政府", icon=ICON
        ),
    ]


def badges(access: Access) -> dict[str, int]:
    if not services.may_view(access):
        return {}
    return {"overdue": _overdue(access)}


def tiles(access: Access) -> list[Tile]:
    if not services.may_view(access):
        return []
    waiting, late = _waiting(access), _overdue(access)
    if not waiting:
        return []
    out = [
        Tile(
            "政府信息公开申请待办",
            waiting,
            reverse("openinfo:list") + "?state=open",
            hint="待确认收到、办理中、补正或征求第三方意见",
            order=610,
        )
    ]
    if late:
        out.append(
            Tile(
                "公开申请逾期未答复",
                late,
                reverse("openinfo:list") + "?state=overdue",
                hint="超过答复期限（条例第三十三条）",
                tone="alert",
                order=611,
            )
        )
    return out


def audit_links() -> dict[str, str]:
    return {"openinfo.inforequest": "openinfo:detail"}


__all__ = ["menu", "badges", "tiles", "audit_links", "InfoRequest"]
