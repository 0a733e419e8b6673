"""Defaults (the rule rows) on every ``govcredit setup``; demo contracts with ``--demo``."""

from __future__ import annotations

from . import rules


def load_defaults() -> str:
    created = rules.load_rules()
    return f"合同与清欠规则 {created} 条新增"


def load_demo() -> str:
    """Realistic 周村区 contracts through the services: paid, due soon, overdue (→ 清欠台账 and a
    proposed ``arrears`` record), an Art 10 delayed acceptance, an unlawful policy change, last year's
    Art 18 statement and a complaint."""
    import datetime as dt

    from django.utils import timezone

    from govcredit.accounts.models import User
    from govcredit.accounts.permissions import Access
    from govcredit.core.codes import make_uscc
    from govcredit.subjects.models import SubjectKind
    from govcredit.subjects.services import SubjectData, create_subject, find_by_code

    from . import complaints, disclosure, services
    from . import duties as contract_duties
    from .models import GovContract

    if GovContract.objects.exists():
        return "已有合同，跳过"
    user = User.objects.filter(username="czj").first()
    if user is None:
        return "缺少演示用户 czj，跳过"
    access = Access.for_user(user)
    today = timezone.localdate()

    def ago(days: int) -> str:
        return (today - dt.timedelta(days=days)).isoformat()

    firms = [
        ("淄博周村丝路信息技术有限公司", "small"),
        ("山东鲁中建设工程有限公司", "medium"),
        ("周村区古商城文化旅游发展有限公司", "micro"),
        ("淄博齐鲁环保设备有限公司", "small"),
        ("山东华信工程咨询有限公司", "large"),
    ]
    codes = []
    for n, (name, _scale) in enumerate(firms):
        code = make_uscc("91370306", 30_000_001 + n)
        if find_by_code(code) is None:
            create_subject(SubjectData(kind=SubjectKind.ENTERPRISE, name=name, uscc=code))
        codes.append(code)

    def contract(number, title, gov, firm, signed, amount, obligations, kind="procurement", **extra):
        return services.create_contract(
            {
                "number": number,
                "title": title,
                "kind": kind,
                "government": gov,
                "counterparty_uscc": codes[firm],
                "counterparty_scale": firms[firm][1],
                "signed_on": signed,
                "amount": amount,
                "obligations": obligations,
                **extra,
            },
            access=access,
        )

    last_year = today.year - 1
    contract(
        "ZCCG-2026-0012",
        "周村区智慧工地监管平台采购合同",
        "区住建局",
        0,
        ago(150),
        "386000",
        [
            {
                "kind": "payment",
                "title": "合同价款（验收后）",
                "amount": "386000",
                "trigger": "acceptance",
                "days": 30,
                "accepted_on": ago(75),
            },
        ],
        procurement_ref="ZBCG2026-041",
        announcement_url="https://www.ccgp-shandong.gov.cn/",
    )
    contract(
        "ZCGC-2026-0007",
        "萌水镇农村道路提升改造工程施工合同",
        "萌水镇",
        1,
        ago(200),
        "2450000",
        [
            {
                "kind": "payment",
                "title": "第一期进度款",
                "amount": "980000",
                "due_rule": "fixed",
                "fixed_due_on": ago(50),
            },
            {
                "kind": "payment",
                "title": "第二期进度款",
                "amount": "1225000",
                "due_rule": "fixed",
                "fixed_due_on": ago(-20),
            },
            {
                "kind": "payment",
                "title": "质量保证金",
                "amount": "245000",
                "trigger": "acceptance",
                "days": 60,
                "delivered_on": ago(40),
                "acceptance_days": 20,
            },
        ],
        kind="engineering",
    )
    paid = contract(
        "ZCCG-2026-0020",
        "区政务服务中心自助终端采购合同",
        "区政务服务中心管理办公室",
        3,
        ago(120),
        "158000",
        [
            {
                "kind": "payment",
                "title": "合同价款",
                "amount": "158000",
                "trigger": "delivery",
                "days": 30,
                "delivered_on": ago(90),
            }
        ],
    )
    services.record_payment(
        paid.obligations.get(),
        {"paid_on": ago(70), "amount": "158000", "voucher_no": "ZFPZ-2026-0311"},
        access=access,
    )
    contract(
        "ZSYZ-2025-0003",
        "周村古商城文旅项目招商引资协议",
        "区商务局",
        2,
        ago(300),
        "500000",
        [
            {
                "kind": "policy_benefit",
                "title": "兑现设备购置奖补",
                "amount": "500000",
                "due_rule": "fixed",
                "fixed_due_on": ago(60),
            },
            {"kind": "land_delivery", "title": "交付项目用地", "due_rule": "fixed", "fixed_due_on": ago(-90)},
        ],
        kind="investment_agreement",
        amount_withheld=True,
    )
    contract(
        "ZCFW-2026-0031",
        "区财政局预算绩效评价咨询服务合同",
        "区财政局",
        4,
        ago(60),
        "96000",
        [
            {
                "kind": "payment",
                "title": "咨询服务费",
                "amount": "96000",
                "due_rule": "fixed",
                "fixed_due_on": ago(-5),
            }
        ],
    )
    old = services.create_contract(
        {
            "number": f"ZCCG-{last_year}-0088",
            "title": "北郊镇污水管网检测服务合同",
            "kind": "procurement",
            "government": "北郊镇",
            "counterparty_uscc": codes[3],
            "counterparty_scale": "small",
            "signed_on": f"{last_year}-03-01",
            "amount": "72000",
            "obligations": [
                {
                    "kind": "payment",
                    "amount": "72000",
                    "due_rule": "fixed",
                    "fixed_due_on": f"{last_year}-10-15",
                }
            ],
        },
        access=access,
    )
    services.record_payment(
        old.obligations.get(),
        {"paid_on": f"{today.year}-01-20", "amount": "72000", "voucher_no": "ZFPZ-0120"},
        access=access,
    )
    promise = GovContract.objects.get(number="ZSYZ-2025-0003")
    services.record_change(
        promise,
        {
            "kind": "policy",
            "reason": "leadership_change",
            "changed_on": ago(20),
            "description": "以主要负责人调整为由，暂停兑现协议约定的设备购置奖补",
        },
        access=access,
    )
    contract_duties.scan(today)
    disclosure.publish(last_year)
    complaints.file_complaint(
        {
            "complainant_uscc": codes[1],
            "contact_name": "刘经理",
            "contact": "13905332211",
            "respondent": "萌水镇",
            "contract_number": "ZCGC-2026-0007",
            "amount": "980000",
            "due_on": ago(50),
            "description": "第一期进度款已逾期50日未支付，多次催要未果，请求督促支付并支付逾期利息。",
        }
    )
    return f"演示合同 {GovContract.objects.count()} 份"
