"""公务员信用档案 in the back-office shell: menu entry, badge and a 工作台 tile (people short of last
year's training hours not yet reminded)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import services
from .models import TrainingReminder

GROUP = "政务诚信"
ICON = '<circle cx="12" cy="7" r="4"/><path d="M4 21v-2a6 6 0 0 1 6-6h4a6 6 0 0 1 6 6v2"/>'


def _unreminded(access: Access) -> int:
    def compute() -> int:
        year = timezone.localdate().year - 1
        qs, _rule = services.training_deficits_all(year)
        return qs.exclude(pk__in=TrainingReminder.objects.filter(year=year).values("file_id")).count()

    return access.memo("personnel.unreminded", compute)


def menu(access: Access) -> list[MenuEntry]:
    if not services.may_view(access):
        return []
    return [
        MenuEntry(
            "personnel",
            "公务员信用档案",
            "personnel:list",
            order=120,
            group=GROUP,
            icon=ICON,
            badge="unreminded" if services.may_manage(access) else None,
            badge_label="人培训学时不足待提醒",
        )
    ]


def badges(access: Access) -> dict[str, int]:
    if not services.may_manage(access):
        return {}
    return {"unreminded": _unreminded(access)}


def tiles(access: Access) -> list[Tile]:
    if not services.may_manage(access):
        return []
    n = _unreminded(access)
    year = timezone.localdate().year - 1
    return [
        Tile(
            "培训学时不足待提醒",
            n,
            reverse("personnel:deficits") + f"?year={year}",
            hint=f"{year}年度未达90学时或12天",
            tone="warn",
            order=120,
        )
    ]


def audit_links() -> dict[str, str]:
    return {"personnel.personnelfile": "personnel:detail"}
