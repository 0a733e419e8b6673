"""招标投标信用 in the back-office shell: menu entry, badge and the 工作台 tile (third-party reports
waiting for verification)."""

from __future__ import annotations

from django.urls import reverse

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import services
from .models import ReportStatus, ThirdPartyReport

GROUP = "市场信用"
ICON = '<path d="M3 21h18"/><path d="M5 21V7l7-4 7 4v14"/><path d="M9 21v-6h6v6"/>'


def _to_verify(access: Access) -> int:
    return access.memo(
        "bidding.to_verify",
        lambda: (
            ThirdPartyReport.objects.filter(status=ReportStatus.REGISTERED)
            .exclude(registered_by=access.user)
            .count()
        ),
    )


def menu(access: Access) -> list[MenuEntry]:
    if not services.can_view(access):
        return []
    return [
        MenuEntry(
            "bidding",
            "招标投标信用",
            "bidding:home",
            order=500,
            group=GROUP,
            icon=ICON,
            badge="to_verify",
            badge_label="份报告待核验",
        )
    ]


def badges(access: Access) -> dict[str, int]:
    return {"to_verify": _to_verify(access)} if services.can_manage(access) else {}


def tiles(access: Access) -> list[Tile]:
    if not services.can_manage(access):
        return []
    return [
        Tile(
            "第三方信用报告待核验",
            _to_verify(access),
            reverse("bidding:reports") + "?status=registered",
            hint="须由登记人以外的人向出具机构核实",
            tone="warn",
            order=500,
        ),
    ]


def audit_links() -> dict[str, str]:
    return {"bidding.creditevaluation": "bidding:evaluation", "bidding.bidcheck": "bidding:bid_check"}
