"""Records in the back-office shell: 信用记录 and 审核 in the navigation, the records queues on the 工作台."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.core.charts import Chart, Series, last_months, month_label, top_with_rest
from govcredit.office.registry import GROUP_RECORDS, MenuEntry, Tile

from .models import LIVE_STATUSES, Status
from .selectors import records_for

RECORDS_ICON = (
    '<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/><polyline points="14 2 14 8 20 8"/>'
    '<line x1="16" y1="13" x2="8" y2="13"/><line x1="16" y1="17" x2="8" y2="17"/>'
)
REVIEW_ICON = '<polyline points="9 11 12 14 22 4"/><path d="M21 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11"/>'
EXPIRING_DAYS = 30

OWN_UNIT_TILES = {
    Status.PUBLISHED: ("本单位记录 · 已公示", "alert"),
    Status.UNDER_OBJECTION: ("本单位记录 · 异议处理中", "warn"),
    Status.REPAIRED: ("本单位记录 · 已修复", "ok"),
    Status.EXPIRED: ("本单位记录 · 已过期", ""),
}


def menu(access: Access) -> list[MenuEntry]:
    entries = [
        MenuEntry("records", "信用记录", "records:list", order=20, group=GROUP_RECORDS, icon=RECORDS_ICON)
    ]
    if access.can_review():
        entries.append(
            MenuEntry(
                "review",
                "审核",
                "records:review",
                order=30,
                group=GROUP_RECORDS,
                icon=REVIEW_ICON,
                badge="review",
                badge_label="条待审核",
            )
        )
    return entries


def badges(access: Access) -> dict[str, int]:
    if not access.can_review():
        return {"review": 0}
    return {"review": records_for(access).filter(status=Status.SUBMITTED).count()}


def tiles(access: Access) -> list[Tile]:
    """The user's record queues, counted in their scope with one aggregate query."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=EXPIRING_DAYS)
    is_clerk = access.has_role(Role.CLERK)
    own_subjects = access.subject_ids_of_own_units()
    aggregates = {
        "submitted": Count("pk", filter=Q(status=Status.SUBMITTED)),
        "expiring": Count(
            "pk", filter=Q(status__in=LIVE_STATUSES, publish_until__gte=today, publish_until__lte=soon)
        ),
    }
    if is_clerk:
        aggregates["draft"] = Count("pk", filter=Q(status=Status.DRAFT))
        aggregates["rejected"] = Count("pk", filter=Q(status=Status.REJECTED))
    if own_subjects:
        own = Q(subject_id__in=own_subjects) | Q(subject__parent_id__in=own_subjects)
        for status in OWN_UNIT_TILES:
            aggregates[f"own_{status}"] = Count("pk", filter=own & Q(status=status))
    counts = records_for(access).order_by().aggregate(**aggregates)
    listed = reverse("records:list")

    tiles = []
    if access.can_review():
        tiles.append(
            Tile(
                "待审核",
                counts["submitted"],
                reverse("records:review"),
                "报送单位已提交、等待审核的记录",
                "warn",
                10,
            )
        )
    if is_clerk:
        tiles += [
            Tile("我的草稿", counts["draft"], f"{listed}?status=draft", "尚未提交审核", order=11),
            Tile(
                "已驳回",
                counts["rejected"],
                f"{listed}?status=rejected",
                "请按审核意见修改后重新提交",
                "alert",
                12,
            ),
        ]
        if not access.can_review():
            tiles.append(
                Tile(
                    "审核中",
                    counts["submitted"],
                    f"{listed}?status=submitted",
                    "已提交，等待信用办审核",
                    order=13,
                )
            )
    if own_subjects:
        for index, (status, (label, tone)) in enumerate(OWN_UNIT_TILES.items()):
            tiles.append(
                Tile(label, counts[f"own_{status}"], f"{listed}?status={status}", "", tone, 14 + index)
            )
    tiles.append(
        Tile(
            "即将到期",
            counts["expiring"],
            f"{listed}?expiring={EXPIRING_DAYS}",
            f"{EXPIRING_DAYS} 天内公示期届满的记录",
            "warn",
            18,
        )
    )
    return tiles


CHART_NOTE = "近12个月决定的记录（按决定日期），草稿不计；范围为您可查看的记录。"


def charts(access: Access) -> list[Chart]:
    """Records by month, by catalog item and by source unit: the last 12 months by 决定日期, in the
    user's scope, drafts not counted. Three grouped counts over an indexed date range."""
    if not access.memberships and not access.sees_everything:
        return []
    months = last_months(timezone.localdate())
    qs = records_for(access).filter(decided_on__gte=months[0]).exclude(status=Status.DRAFT).order_by()
    by_month = {
        (row["decided_on__year"], row["decided_on__month"]): row["n"]
        for row in qs.values("decided_on__year", "decided_on__month").annotate(n=Count("pk"))
    }
    items = top_with_rest(
        [(r["item__name"], r["n"]) for r in qs.values("item__name").annotate(n=Count("pk"))]
    )
    units = top_with_rest(
        [
            (r["source_unit__short_name"] or r["source_unit__name"], r["n"])
            for r in qs.values("source_unit__name", "source_unit__short_name").annotate(n=Count("pk"))
        ]
    )
    listed = reverse("records:list")
    return [
        Chart(
            "records-month",
            "信用记录 · 按月",
            [month_label(m) for m in months],
            [Series("记录数", [by_month.get((m.year, m.month), 0) for m in months])],
            first="月份",
            note=CHART_NOTE,
            order=10,
            link=listed,
        ),
        Chart(
            "records-item",
            "信用记录 · 按目录事项",
            [label for label, _ in items],
            [Series("记录数", [n for _, n in items])],
            first="目录事项",
            note="前10项，其余合计为“其他”。",
            horizontal=True,
            order=11,
        ),
        Chart(
            "records-unit",
            "信用记录 · 按报送单位",
            [label for label, _ in units],
            [Series("记录数", [n for _, n in units])],
            first="报送单位",
            note="前10个单位，其余合计为“其他”。",
            horizontal=True,
            order=12,
        ),
    ]


def audit_links() -> dict[str, str]:
    return {"records.creditrecord": "records:detail"}


def audit_fields() -> dict[str, dict[str, str]]:
    """Chinese names of a record's audit snapshot keys (``services.snapshot``)."""
    from .validation import FIELD_LABELS

    return {
        "records.creditrecord": {
            **FIELD_LABELS,
            "subject_id": "主体编号",
            "subject_code": "主体代码",
            "item": "信息类别代码",
            "item_name": "信息类别",
            "source_unit": "报送单位",
            "disclosure": "公开方式",
            "status": "状态",
            "catalog_version": "目录版本",
            "publish_until": "公示截止日",
            "repairable_from": "可申请修复日",
        }
    }
