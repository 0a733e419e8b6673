"""Major administrative decisions in the back-office shell: menu, badge and 工作台 tile."""

from __future__ import annotations

from django.urls import reverse

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import services

ICON = '<path d="M12 3v18M5 7h14M7 7l-3 7h6zM17 7l-3 7h6z"/>'


def _report_due(access: Access) -> int:
    """Consultations that have ended without a published adoption report (条例第十七条)."""
    return access.memo(
        "decisions.report_due",
        lambda: services.adoption_reports_due(access).count(),
    )


def menu(access: Access) -> list[MenuEntry]:
    if not services.may_view(access):
        return []
    return [
        MenuEntry(
            "decisions",
            "重大行政决策",
            "decisions:list",
            order=600,
            group="法治政府",
            icon=ICON,
            badge="report_due",
            badge_label="项征求意见待公布采纳情况",
        ),
        MenuEntry(
            "decisions_catalog", "决策事项目录", "decisions:catalog", order=601, group="法治政府", icon=ICON
        ),
    ]


def badges(access: Access) -> dict[str, int]:
    if not services.may_view(access):
        return {}
    return {"report_due": _report_due(access)}


def tiles(access: Access) -> list[Tile]:
    if not services.may_view(access):
        return []
    n = _report_due(access)
    if not n:
        return []
    return [
        Tile(
            "征求意见待公布采纳情况",
            n,
            reverse("decisions:list") + "?queue=report_due",
            hint="征求意见已截止，尚未公布意见采纳情况",
            tone="warn",
            order=600,
        )
    ]


def audit_links() -> dict[str, str]:
    return {"decisions.decision": "decisions:detail"}
