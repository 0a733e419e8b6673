"""Commitments in the back-office shell: 承诺台账 and 承诺期限看板 under 政务诚信; 即将到期 and 已逾期 tiles."""

from __future__ import annotations

from django.urls import reverse

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import board

GROUP = "政务诚信"
ICON = '<path d="M9 11l3 3 8-8"/><path d="M20 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11"/>'
BOARD_ICON = '<rect x="3" y="3" width="18" height="18" rx="2"/><path d="M8 17V11M12 17V7M16 17v-4"/>'


def _sees(access: Access) -> bool:
    return bool(access.roles)


def _counts(access: Access) -> dict[str, int]:
    def count() -> dict[str, int]:
        days = board.due_soon_days()
        return {
            "days": days,
            "due_soon": board.due_soon_count(access, days=days),
            "overdue": board.overdue_count(access),
        }

    return access.memo("commitments.counts", count)


def menu(access: Access) -> list[MenuEntry]:
    if not _sees(access):
        return []
    return [
        MenuEntry(
            "commitments",
            "承诺践诺",
            "commitments:list",
            order=100,
            group=GROUP,
            icon=ICON,
            badge="commitments_overdue",
            badge_label="项承诺逾期",
        ),
        MenuEntry(
            "commitments_board", "承诺期限看板", "commitments:board", order=101, group=GROUP, icon=BOARD_ICON
        ),
    ]


def badges(access: Access) -> dict[str, int]:
    if not _sees(access):
        return {}
    return {"commitments_overdue": _counts(access)["overdue"]}


def tiles(access: Access) -> list[Tile]:
    if not _sees(access):
        return []
    counts = _counts(access)
    url = reverse("commitments:list")
    return [
        Tile("承诺已逾期", counts["overdue"], url + "?due=overdue", "到期未报送自评的承诺", "alert", 100),
        Tile(
            "承诺即将到期",
            counts["due_soon"],
            url + "?due=soon",
            f"{counts['days']}日内到期",
            "warn",
            101,
        ),
    ]


def audit_links() -> dict[str, str]:
    return {"commitments.commitment": "commitments:detail"}
