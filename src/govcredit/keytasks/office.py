"""重点任务分工 in the back-office shell: menu entry, badge and 工作台 tiles."""

from __future__ import annotations

from django.urls import reverse

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import services

GROUP = "政务诚信"
ICON = '<path d="M9 11l3 3L22 4"/><path d="M21 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11"/>'


def _counts(access: Access) -> dict[str, int]:
    """(overdue reports of this user's units, tasks with anything overdue) — counted once per request."""

    def compute() -> dict[str, int]:
        try:
            states = services.build_states(list(services.KeyTask.objects.order_by("number")))
        except services.Conflict:
            return {"mine": 0, "tasks": 0, "mine_due": 0}
        mine = services.reporting_unit_ids(access)
        own = [e for s in states for e in s.overdue_items if e.unit.pk in mine]
        due = [
            e
            for s in states
            for e in s.expected
            if e.unit.pk in mine and e.done_on is None and e.due >= s.today
        ]
        return {"mine": len(own), "tasks": sum(s.overdue for s in states), "mine_due": len(due)}

    return access.memo("keytasks.counts", compute)


def menu(access: Access) -> list[MenuEntry]:
    if not services.can_view(access):
        return []
    return [
        MenuEntry(
            "keytasks",
            "重点任务分工",
            "keytasks:list",
            order=110,
            group=GROUP,
            icon=ICON,
            badge="keytasks_overdue",
            badge_label="项逾期未报",
        )
    ]


def badges(access: Access) -> dict[str, int]:
    if not services.can_view(access):
        return {}
    counts = _counts(access)
    return {"keytasks_overdue": counts["tasks"] if access.sees_everything else counts["mine"]}


def tiles(access: Access) -> list[Tile]:
    if not services.can_view(access):
        return []
    counts = _counts(access)
    url = reverse("keytasks:list")
    tiles = []
    if services.reporting_unit_ids(access):
        tiles.append(
            Tile(
                "重点任务进展逾期未报",
                counts["mine"],
                url + "?overdue=1",
                hint="本单位牵头任务已过报送时限的进展报告",
                tone="alert",
                order=110,
            )
        )
        tiles.append(
            Tile(
                "重点任务进展待报送",
                counts["mine_due"],
                url,
                hint="本单位本期应报送的进展",
                tone="warn",
                order=201,
            )
        )
    if access.sees_everything:
        tiles.append(
            Tile(
                "重点任务存在逾期",
                counts["tasks"],
                url + "?overdue=1",
                hint="18 项任务中有逾期的",
                tone="alert",
                order=202,
            )
        )
    return tiles


def audit_links() -> dict[str, str]:
    return {}
