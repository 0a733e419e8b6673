"""Contracts in the back-office shell: 政府合同, 清欠台账 and 即将到期付款 in the navigation; overdue
arrears and payments due soon on the 工作台."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.office.registry import MenuEntry, Tile

from . import complaints, rules, services
from .models import OPEN_ARREARS_STATES, OPEN_OBLIGATION_STATES, Obligation, ObligationKind

GROUP = "合同与项目"
ICON = '<rect x="4" y="3" width="16" height="18" rx="2"/><path d="M8 8h8M8 12h8M8 16h5"/>'
ARREARS_ICON = '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 3"/>'


def _sees(access: Access) -> bool:
    return bool(access.roles) and (services.sees_all_contracts(access) or bool(access.organisation_ids))


def menu(access: Access) -> list[MenuEntry]:
    if not _sees(access):
        return []
    return [
        MenuEntry("contracts", "政府合同", "contracts:list", order=400, group=GROUP, icon=ICON),
        MenuEntry(
            "arrears",
            "清欠台账",
            "contracts:arrears",
            order=410,
            group=GROUP,
            icon=ARREARS_ICON,
            badge="arrears_open",
            badge_label="笔未清偿",
        ),
        MenuEntry(
            "arrears_complaints",
            "拖欠账款投诉",
            "contracts:complaints",
            order=415,
            group=GROUP,
            icon=ARREARS_ICON,
            badge="arrears_complaints",
            badge_label="件待办理",
        ),
        MenuEntry(
            "contracts_due",
            "即将到期付款",
            "contracts:due_soon",
            order=420,
            group=GROUP,
            icon=ARREARS_ICON,
            badge="payments_due_soon",
            badge_label="项即将到期",
        ),
    ]


def _due_soon(access: Access) -> int:
    today = timezone.localdate()
    days = access._contracts_due_days = rules.int_value("due_soon_days")  # type: ignore[attr-defined]
    return Obligation.objects.filter(
        contract__in=services.contracts_for(access),
        kind=ObligationKind.PAYMENT,
        state__in=OPEN_OBLIGATION_STATES,
        outstanding__gt=0,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=days),
    ).count()


def badges(access: Access) -> dict[str, int]:
    """Counted once per request (the navigation and the 工作台 both ask)."""
    if not _sees(access):
        return {}
    memo = getattr(access, "_contracts_badges", None)
    if memo is None:
        memo = {
            "arrears_open": services.arrears_for(access).filter(state__in=OPEN_ARREARS_STATES).count(),
            "payments_due_soon": _due_soon(access),
            "arrears_complaints": complaints.awaiting_action(access),
        }
        access._contracts_badges = memo  # type: ignore[attr-defined]
    return memo


def tiles(access: Access) -> list[Tile]:
    if not _sees(access):
        return []
    counts = badges(access)
    days = access._contracts_due_days  # type: ignore[attr-defined]
    return [
        Tile(
            "拖欠企业账款未清偿",
            counts["arrears_open"],
            reverse("contracts:arrears") + "?state=open",
            "逾期超过宽限期、已立清欠台账",
            "alert",
            400,
        ),
        Tile(
            "付款即将到期",
            counts["payments_due_soon"],
            reverse("contracts:due_soon"),
            f"{days}日内到期的合同付款",
            "warn",
            401,
        ),
    ] + (
        [
            Tile(
                "拖欠账款投诉待办理",
                counts["arrears_complaints"],
                reverse("contracts:complaints") + "?status=open",
                "收到后10个工作日内转交，30日内办结（条例第二十五条）",
                "warn",
                402,
            )
        ]
        if complaints.is_handler(access)
        else []
    )


def audit_links() -> dict[str, str]:
    return {
        "contracts.govcontract": "contracts:detail",
        "contracts.arrearscase": "contracts:arrears_detail",
        "contracts.arrearscomplaint": "contracts:complaint_detail",
    }
