"""Debt defaults: catalog item ``illegal_borrowing`` (catalog services; shipped codes unchanged), its
rule (rectification + 追究主要负责人责任, so publication opens the accountability referral), and the
risk bands — each with its legal status and source (regulations.md §8: the 债务率 bands are
unofficial; 余额 ≤ 限额 is statutory)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from .models import RiskBand

ITEM_SPEC = {
    "code": "illegal_borrowing",
    "name": "违法违规举债",
    "negative": True,
    "subject_kinds": ["government", "department"],
    "severities": ["major", "serious"],
    "disclosure": "public",
    "display_periods": {
        "major": {"min_months": 6, "max_months": 24},
        "serious": {"min_months": 12, "max_months": 36},
    },
    "repairable": True,
    "legal_basis": "《中华人民共和国预算法》第三十五条、第九十四条；《中华人民共和国预算法实施条例》第四十三条至第四十七条；周政发〔2018〕26号（十六）",
}
UNOFFICIAL = "regulations.md §8（m.0000183.cc/tags-19577.html，非官方口径；财预〔2018〕209号原文未检索到）"
BANDS = [
    ("debt_ratio", "0", "120", "green", "绿色（<120%）", "#1f6b3a", "unofficial", UNOFFICIAL),
    ("debt_ratio", "120", "200", "yellow", "黄色（120%–200%）", "#b08900", "unofficial", UNOFFICIAL),
    ("debt_ratio", "200", "300", "orange", "橙色（200%–300%）", "#c25e00", "unofficial", UNOFFICIAL),
    ("debt_ratio", "300", None, "red", "红色（≥300%）", "#a1221b", "unofficial", UNOFFICIAL),
    (
        "limit_ratio",
        "0",
        "100.01",
        "green",
        "未超限额",
        "#1f6b3a",
        "statutory",
        "《中华人民共和国预算法实施条例》第四十三条：余额不得突破限额",
    ),
    (
        "limit_ratio",
        "100.01",
        None,
        "critical",
        "超过限额",
        "#a1221b",
        "statutory",
        "《中华人民共和国预算法实施条例》第四十三条：余额不得突破限额",
    ),
]


@transaction.atomic
def load_defaults() -> str:
    from govcredit.accounts.models import Organisation
    from govcredit.catalog.models import CatalogItem
    from govcredit.catalog.services import create_item
    from govcredit.sanctions.models import Measure, Rule, RuleMeasure

    made = []
    if not CatalogItem.objects.filter(code=ITEM_SPEC["code"]).exists():
        units = list(Organisation.objects.filter(short_name="区财政局"))
        create_item(dict(ITEM_SPEC), source_units=units, reason="第二期：政府债务（（十六））")
        made.append("目录事项")
    item = CatalogItem.objects.get(code=ITEM_SPEC["code"])
    measures = {
        m.code: m
        for m in Measure.objects.filter(
            code__in=("written_rectification", "principal_accountability", "public_criticism")
        )
    }
    if (
        len(measures) == 3
        and not Rule.objects.filter(item=item, severity="serious", subject_kind="").exists()
    ):
        rule = Rule.objects.create(
            item=item,
            severity="serious",
            subject_kind="",
            note="违法违规举债担保：整改、通报并追究主要负责人责任（预算法第九十四条）",
        )
        for code in ("written_rectification", "public_criticism", "principal_accountability"):
            RuleMeasure.objects.create(rule=rule, measure=measures[code])
        made.append("规则")
    if not RiskBand.objects.exists():
        for indicator, low, high, level, label, colour, legal, source in BANDS:
            RiskBand.objects.create(
                indicator=indicator,
                lower=Decimal(low),
                upper=Decimal(high) if high else None,
                level=level,
                label=label,
                colour=colour,
                legal_status=legal,
                source=source,
            )
        made.append("预警区间")
    return "、".join(made) or "无变化"


def load_demo() -> str:
    """Limits, three bonds with schedules and a published 2026 snapshot (entered by 区财政局's clerk,
    approved by the credit office) so the portal's debt page shows real-looking 周村区 figures."""
    from django.utils import timezone

    from govcredit.accounts.models import User
    from govcredit.accounts.permissions import Access

    from . import services
    from .models import Bond, DebtSnapshot, Repayment

    if DebtSnapshot.objects.exists():
        return "已有演示数据"
    clerk, office = (
        User.objects.filter(username="czj").first(),
        User.objects.filter(username="office").first(),
    )
    if clerk is None or office is None:
        return "缺少演示用户"
    entry, review = Access.for_user(clerk), Access.for_user(office)
    for year, general, special in (
        (2025, "4200000000.00", "6800000000.00"),
        (2026, "4500000000.00", "7600000000.00"),
    ):
        services.set_limit(
            {"year": year, "category": "general", "amount": general, "document": f"鲁财预〔{year}〕12号"},
            access=entry,
        )
        services.set_limit(
            {"year": year, "category": "special", "amount": special, "document": f"鲁财预〔{year}〕12号"},
            access=entry,
        )
    bonds = [
        (
            "2023370306G01",
            "2023年山东省政府一般债券（周村区转贷）",
            "general",
            "new",
            dt.date(2023, 6, 15),
            "300000000.00",
            "2.890",
            5,
            "城区道路及排水设施改造",
            "周村区城北路雨污分流改造工程；丝绸路街道老旧小区改造",
        ),
        (
            "2024370306S03",
            "2024年山东省政府专项债券（周村区转贷）",
            "special",
            "new",
            dt.date(2024, 8, 20),
            "500000000.00",
            "2.480",
            10,
            "产业园区基础设施",
            "周村经济开发区标准厂房二期；王村镇污水处理厂扩建",
        ),
        (
            "2025370306R01",
            "2025年山东省政府再融资一般债券（周村区转贷）",
            "general",
            "refinancing",
            dt.date(2025, 4, 10),
            "200000000.00",
            "1.950",
            7,
            "偿还到期政府债券本金",
            "",
        ),
    ]
    for code, name, cat, kind, issued, amount, rate, term, use, projects in bonds:
        if Bond.objects.filter(code=code).exists():
            continue
        principal = Decimal(amount)
        schedule = []
        yearly = (principal * Decimal(rate) / 100).quantize(Decimal("0.01"))
        for n in range(1, term + 1):
            day = services._add_years(issued, n)
            schedule.append(
                {
                    "due_on": day,
                    "principal": str(principal if n == term else Decimal("0.00")),
                    "interest": str(yearly),
                }
            )
        services.register_bond(
            {
                "code": code,
                "name": name,
                "category": cat,
                "bond_type": kind,
                "issue_date": issued,
                "amount": amount,
                "rate": rate,
                "term_years": term,
                "use": use,
                "projects": projects,
                "schedule": schedule,
            },
            access=entry,
        )
    # the periods already past were paid on time (the snapshot reports nothing overdue): without the
    # payments every demo start would open an emergency per past period
    today = timezone.localdate()
    for repayment in Repayment.objects.filter(due_on__lt=today, paid_on__isnull=True):
        services.record_payment(repayment, paid_on=repayment.due_on, amount=repayment.total, access=entry)
    snapshot = services.create_snapshot(
        {
            "year": 2026,
            "as_of": dt.date(2026, 6, 30),
            "general_balance": "3985000000.00",
            "special_balance": "7012000000.00",
            "capacity_general": "4820000000.00",
            "capacity_fund": "2640000000.00",
            "capacity_state_capital": "35000000.00",
            "debt_service": "612000000.00",
            "overdue": "0",
            "plan_borrowing": "950000000.00",
            "plan_principal": "420000000.00",
            "plan_interest": "268000000.00",
            "source_document": "周村区2026年上半年政府债务情况报告（区财政局）",
        },
        access=entry,
    )
    services.submit_snapshot(snapshot, access=entry)
    services.approve_snapshot(snapshot, access=review, note="与预算执行报告核对一致")
    return "2 年限额、3 只债券、2026 年债务信息已公开"
