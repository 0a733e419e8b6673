"""政府债务 in the back-office shell: menu entry, badge and 工作台 tiles (data waiting for the second
person's review, unacknowledged warnings, open emergency events)."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import services
from .models import DebtSnapshot, DebtWarning, EmergencyEvent, SnapshotStatus

GROUP = "市场信用"
ICON = '<path d="M12 1v22"/><path d="M17 5H9.5a3.5 3.5 0 0 0 0 7h5a3.5 3.5 0 0 1 0 7H6"/>'


def _counts(access: Access) -> dict[str, int]:
    """The three queue counts in one query (the 工作台 and the badge share it, once per request)."""

    def compute() -> dict[str, int]:
        snapshots, warnings, events = (m._meta.db_table for m in (DebtSnapshot, DebtWarning, EmergencyEvent))
        sql = (
            f"SELECT (SELECT COUNT(*) FROM {snapshots} WHERE status = %s AND prepared_by_id <> %s), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {warnings} WHERE acknowledged_at IS NULL), "
            f"(SELECT COUNT(*) FROM {events} WHERE closed_on IS NULL)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [SnapshotStatus.SUBMITTED, getattr(access.user, "pk", 0) or 0])
            to_review, open_warnings, open_events = cursor.fetchone()
        return {"to_review": to_review, "warnings": open_warnings, "emergencies": open_events}

    return access.memo("debt.counts", compute)


def menu(access: Access) -> list[MenuEntry]:
    if not services.can_view(access):
        return []
    return [
        MenuEntry(
            "debt",
            "政府债务",
            "debt:home",
            order=510,
            group=GROUP,
            icon=ICON,
            badge="to_review",
            badge_label="份待复核",
        )
    ]


def badges(access: Access) -> dict[str, int]:
    return {"to_review": _counts(access)["to_review"]} if services.can_manage(access) else {}


def tiles(access: Access) -> list[Tile]:
    if not services.can_manage(access):
        return []
    counts = _counts(access)
    home = reverse("debt:home")
    return [
        Tile(
            "债务数据待复核",
            counts["to_review"],
            home + "?status=submitted",
            hint="四眼原则：须由录入人以外的人复核后公开",
            tone="warn",
            order=510,
        ),
        Tile(
            "债务风险预警待确认",
            counts["warnings"],
            home,
            hint="余额超限额为严重预警",
            tone="alert" if counts["warnings"] else "",
            order=511,
        ),
        Tile(
            "债务应急处置进行中",
            counts["emergencies"],
            home,
            hint="逾期未付的还本付息",
            tone="alert" if counts["emergencies"] else "",
            order=512,
        ),
    ]


def audit_links() -> dict[str, str]:
    return {"debt.debtsnapshot": "debt:snapshot", "debt.emergencyevent": "debt:emergency"}
