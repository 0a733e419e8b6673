"""Subjects in the back-office shell: 主体管理 in the navigation, subjects to confirm on the 工作台."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from govcredit.accounts.permissions import Access
from govcredit.office.registry import GROUP_RECORDS, MenuEntry, Tile

from .models import Subject

ICON = (
    '<path d="M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2"/><circle cx="9" cy="7" r="4"/>'
    '<path d="M23 21v-2a4 4 0 0 0-3-3.87"/><path d="M16 3.13a4 4 0 0 1 0 7.75"/>'
)


def menu(access: Access) -> list[MenuEntry]:
    return [MenuEntry("subjects", "主体管理", "subjects:list", order=10, group=GROUP_RECORDS, icon=ICON)]


def tiles(access: Access) -> list[Tile]:
    if not access.can_manage_subjects():
        return []
    counts = Subject.objects.order_by().aggregate(
        confirm=Count("pk", filter=Q(needs_confirmation=True)),
        placeholder=Count("pk", filter=Q(placeholder_code=True)),
    )
    listed = reverse("subjects:list")
    return [
        Tile(
            "待确认主体",
            counts["confirm"],
            f"{listed}?needs_confirmation=1",
            "报送时新登记、需信用办核实的主体",
            "warn",
            70,
        ),
        Tile(
            "占位代码",
            counts["placeholder"],
            f"{listed}?placeholder=1",
            "参考数据生成的代码，须替换为真实代码",
            order=71,
        ),
    ]


def audit_links() -> dict[str, str]:
    return {"subjects.subject": "subjects:detail"}
