"""Back-office plug-in (KERNEL_CONTRACT §0): menu entries, 工作台 tiles and badges of the duties app."""

from __future__ import annotations

from django.utils import timezone

from govcredit.office.registry import MenuEntry, Tile

from .models import DutyStatus, FindingStatus
from .services import duties_for, findings_for


def menu(access) -> list[MenuEntry]:
    if not access.roles:
        return []
    return [
        MenuEntry(key="duties", label="履职事项", url_name="duties:list", order=300, badge="duties_overdue"),
        MenuEntry(
            key="findings", label="失信线索", url_name="duties:findings", order=310, badge="findings_open"
        ),
    ]


def badges(access) -> dict[str, int]:
    today = timezone.localdate()
    return {
        "duties_overdue": duties_for(access).filter(status=DutyStatus.OPEN, due_on__lt=today).count(),
        "findings_open": findings_for(access).filter(status=FindingStatus.OPEN).count(),
    }


def tiles(access) -> list[Tile]:
    counts = badges(access)
    result = []
    if counts["duties_overdue"]:
        result.append(
            Tile(
                label="履职事项逾期",
                count=counts["duties_overdue"],
                url="/office/duties/?overdue=1",
                hint="已过到期日仍未办结的事项",
                tone="alert",
                order=300,
            )
        )
    if access.sees_everything and counts["findings_open"]:
        result.append(
            Tile(
                label="线索未能提交",
                count=counts["findings_open"],
                url="/office/duties/findings/?status=open",
                hint="规则生成但未能提交审核的失信线索（如目录未允许该报送单位）",
                tone="warn",
                order=310,
            )
        )
    return result
