"""Supervision in the back-office shell: 投诉举报, 建议提案, 典型案例, 办理统计, 逾期清单 under the heading
多方监督; the user's queues on the 工作台."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import cases, complaints, motions
from .common import in_unit, is_office
from .models import OPEN_COMPLAINT_STATES, OPEN_MOTION_STATES, CaseStatus, ComplaintStatus

GROUP = "多方监督"
ICON = '<path d="M4 5h16v11H8l-4 4z"/><path d="M8 9h8M8 12h5"/>'
MOTION_ICON = '<rect x="5" y="3" width="14" height="18" rx="2"/><path d="M9 8h6M9 12h6M9 16h3"/>'
CASE_ICON = '<path d="M12 3l2.5 5 5.5.8-4 3.9.9 5.5L12 15.6 7.1 18.2l.9-5.5-4-3.9 5.5-.8z"/>'
CHART_ICON = '<path d="M4 20V10M10 20V4M16 20v-7M22 20H2"/>'


def menu(access: Access) -> list[MenuEntry]:
    if not access.roles:
        return []
    entries = [
        MenuEntry(
            "sup_complaints",
            "投诉举报",
            "supervision:complaints",
            order=600,
            group=GROUP,
            icon=ICON,
            badge="sup_todo",
            badge_label="件待办",
        ),
        MenuEntry(
            "sup_motions",
            "建议提案",
            "supervision:motions",
            order=610,
            group=GROUP,
            icon=MOTION_ICON,
            badge="sup_motions",
            badge_label="件待答复",
        ),
        MenuEntry("sup_cases", "典型案例", "supervision:cases", order=620, group=GROUP, icon=CASE_ICON),
        MenuEntry("sup_stats", "办理统计", "supervision:statistics", order=630, group=GROUP, icon=CHART_ICON),
        MenuEntry(
            "sup_overdue",
            "逾期清单",
            "supervision:overdue",
            order=640,
            group=GROUP,
            icon=ICON,
            badge="sup_overdue",
            badge_label="件逾期",
        ),
    ]
    return entries


def _counts(access: Access) -> dict[str, int]:
    def compute() -> dict[str, int]:
        today = timezone.localdate()
        qs = complaints.complaints_for(access)
        if is_office(access):
            todo_q = Q(
                status__in=(ComplaintStatus.RECEIVED, ComplaintStatus.ACCEPTED, ComplaintStatus.REPLIED)
            )
        else:
            todo_q = Q(status=ComplaintStatus.ASSIGNED, assigned_unit_id__in=access.organisation_ids)
        got = qs.aggregate(
            todo=Count("pk", filter=todo_q),
            overdue=Count("pk", filter=Q(status__in=OPEN_COMPLAINT_STATES, deadline__lt=today)),
        )
        mine = motions.motions_for(access).filter(status__in=OPEN_MOTION_STATES)
        if not motions.may_manage(access):
            mine = mine.filter(lead_unit_id__in=access.organisation_ids)
        review = 0
        if is_office(access) or cases.is_publicity(access):
            wanted = [CaseStatus.OFFICE_REVIEW] if is_office(access) else []
            if cases.is_publicity(access):
                wanted.append(CaseStatus.PUBLICITY_REVIEW)
            review = cases.cases_for(access).filter(status__in=wanted).count()
        return {
            "sup_todo": got["todo"],
            "sup_motions": mine.count(),
            "sup_overdue": got["overdue"],
            "sup_case_review": review,
        }

    return access.memo("supervision.counts", compute)


def badges(access: Access) -> dict[str, int]:
    if not access.roles:
        return {}
    counts = _counts(access)
    return {k: counts[k] for k in ("sup_todo", "sup_motions", "sup_overdue")}


def tiles(access: Access) -> list[Tile]:
    if not access.roles:
        return []
    counts = _counts(access)
    base = reverse("supervision:complaints")
    out = []
    if is_office(access) or counts["sup_todo"]:
        out.append(Tile("投诉举报待办", counts["sup_todo"], base, "待受理、交办、回访或答复", "warn", 600))
    if counts["sup_overdue"]:
        out.append(
            Tile(
                "投诉举报逾期", counts["sup_overdue"], base + "?overdue=1", "已过办理期限未答复", "alert", 601
            )
        )
    if counts["sup_motions"]:
        out.append(
            Tile(
                "建议提案待答复",
                counts["sup_motions"],
                reverse("supervision:motions") + "?status=assigned",
                "人大代表建议、政协提案",
                "warn",
                610,
            )
        )
    if counts["sup_case_review"]:
        out.append(
            Tile(
                "典型案例待审核",
                counts["sup_case_review"],
                reverse("supervision:cases"),
                "信用办、区委宣传部审核",
                "warn",
                620,
            )
        )
    return out


def audit_links() -> dict[str, str]:
    return {
        "supervision.complaint": "supervision:complaint",
        "supervision.motion": "supervision:motion",
        "supervision.typicalcase": "supervision:case",
    }


__all__ = ["audit_links", "badges", "in_unit", "menu", "tiles"]
