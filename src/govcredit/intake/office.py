"""Menu entry and 工作台 tile of the batch import (issue 13 point 4)."""

from __future__ import annotations

from django.urls import reverse

from govcredit.accounts.permissions import Access
from govcredit.office.registry import GROUP_RECORDS, MenuEntry, Tile

ICON = (
    '<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4"/><polyline points="17 8 12 3 7 8"/>'
    '<line x1="12" y1="3" x2="12" y2="15"/>'
)


def _may_import(access: Access) -> bool:
    return bool(access.source_unit_ids())


def menu(access: Access) -> list[MenuEntry]:
    if not _may_import(access):
        return []
    return [MenuEntry("intake", "批量导入", "intake:index", order=35, group=GROUP_RECORDS, icon=ICON)]


def tiles(access: Access) -> list[Tile]:
    """For those who submit records: files checked and waiting for confirmation (always shown, so
    the 批量导入 page is one click from the 工作台)."""
    if not _may_import(access):
        return []
    from .models import ImportJob
    from .services import jobs_for

    waiting = jobs_for(access).filter(state=ImportJob.State.PREVIEWED).count()
    return [
        Tile(
            "批量导入 · 待确认",
            waiting,
            reverse("intake:index") + ("?state=previewed" if waiting else ""),
            "上传 CSV / XLSX 批量报送；已检查、等待确认导入的文件"
            if waiting
            else "上传 CSV / XLSX 批量报送，可下载导入模板",
            "warn" if waiting else "",
            order=26,
        )
    ]
