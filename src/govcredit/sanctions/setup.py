"""Default measures list (policy （九）（十）) and default rules; demo sanctions for demo records."""

from __future__ import annotations

from django.db import transaction

from govcredit.catalog.models import CatalogItem

from .models import Effect, Measure, MeasureKind, RepairEffect, Rule, RuleMeasure

POLICY = "《周村区人民政府关于加强政务诚信建设的实施意见》（周政发〔2018〕26号）"

DEFAULT_MEASURES = [
    {
        "code": "written_rectification",
        "name": "书面说明原因并限期整改",
        "kind": MeasureKind.OBLIGATION,
        "legal_basis": f"{POLICY}（九）：对具体失信情况书面说明原因并限期加以整改",
        "implementing_units": "区发改局（区社会信用体系建设牵头部门）",
        "default_months": None,
        "purposes": [],
        "effect": Effect.RECTIFICATION,
        "repair_effect": RepairEffect.LIFT,
        "rectification_days": 20,
    },
    {
        "code": "award_disqualification",
        "name": "取消评优评先推荐资格",
        "kind": MeasureKind.RESTRICTION,
        "legal_basis": f"{POLICY}（九）：依规取消相关政府部门参加各类先进的评选推荐资格",
        "implementing_units": "区委组织部、区人社局、各评选主办单位",
        "default_months": 12,
        "purposes": ["award"],
        "repair_effect": RepairEffect.MITIGATE,
    },
    {
        "code": "public_criticism",
        "name": "公开通报批评",
        "kind": MeasureKind.PUBLICITY,
        "legal_basis": f"{POLICY}（九）：予以公开通报批评",
        "implementing_units": "区社会信用体系建设联席会议办公室",
        "default_months": None,
        "purposes": [],
        "effect": Effect.NOTICE,
        "repair_effect": RepairEffect.LIFT,
    },
    {
        "code": "principal_accountability",
        "name": "追究主要负责人责任",
        "kind": MeasureKind.OBLIGATION,
        "legal_basis": f"{POLICY}（九）：对造成政务失信行为的主要负责人依法依规追究责任",
        "implementing_units": "区委组织部",
        "default_months": None,
        "purposes": [],
        "effect": Effect.REFERRAL,
        "repair_effect": RepairEffect.KEEP,
    },
    {
        "code": "policy_restriction",
        "name": "审慎安排改革试点、项目投资和政策支持",
        "kind": MeasureKind.RESTRICTION,
        "legal_basis": f"{POLICY}（九）：在改革试点、项目投资、社会管理等政策领域和考核中应用政务诚信评价结果",
        "implementing_units": "区发改局、区财政局",
        "default_months": 12,
        "purposes": ["policy_support", "bidding"],
        "repair_effect": RepairEffect.MITIGATE,
    },
    {
        "code": "civil_servant_award_restriction",
        "name": "限制评优评先（公务员）",
        "kind": MeasureKind.RESTRICTION,
        "legal_basis": f"{POLICY}（九）：对存在政务失信记录的公务员，按照相关规定采取限制评优评先等处理措施",
        "implementing_units": "区委组织部、区人社局",
        "default_months": 12,
        "purposes": ["award"],
        "repair_effect": RepairEffect.MITIGATE,
    },
    {
        "code": "recruitment_review",
        "name": "招录信用审查不予通过",
        "kind": MeasureKind.RESTRICTION,
        "legal_basis": f"{POLICY}（九）：实行公务员招录信用审查制度",
        "implementing_units": "区委组织部、区人社局",
        "default_months": None,
        "purposes": ["recruitment"],
        "repair_effect": RepairEffect.LIFT,
    },
    {
        "code": "appointment_review",
        "name": "干部任用和晋升审慎使用",
        "kind": MeasureKind.RESTRICTION,
        "legal_basis": f"{POLICY}（九）：将公务员相关违法违纪违约行为等信用记录作为干部考核、任用和评优评先的重要依据",
        "implementing_units": "区委组织部",
        "default_months": 24,
        "purposes": ["appointment"],
        "repair_effect": RepairEffect.MITIGATE,
    },
    {
        "code": "incentive_priority",
        "name": "评优评先和政策支持中优先考虑",
        "kind": MeasureKind.INCENTIVE,
        "legal_basis": f"{POLICY}（九）：健全守信激励机制",
        "implementing_units": "区委组织部、区人社局、区发改局",
        "default_months": 36,
        "purposes": ["award", "appointment", "policy_support"],
        "repair_effect": RepairEffect.KEEP,
    },
    {
        "code": "incentive_simplified",
        "name": "简化程序、绿色通道（容缺受理）",
        "kind": MeasureKind.INCENTIVE,
        "legal_basis": f"{POLICY}（九）：健全守信激励机制；对守信主体实施便利化措施",
        "implementing_units": "区行政审批服务局、区发改局",
        "default_months": 36,
        "purposes": ["policy_support", "bidding"],
        "repair_effect": RepairEffect.KEEP,
    },
]

GOV_NEGATIVE_ITEMS = [
    "court_judgment",
    "dishonest_debtor",
    "admin_penalty",
    "contract_breach",
    "broken_commitment",
    "arrears",
    "accountability",
]
# (item codes, severity, subject kind, [(measure code, months or None)])
DEFAULT_RULES = (
    [
        (
            item,
            "",
            kind,
            [("written_rectification", None), ("award_disqualification", 12), ("public_criticism", None)],
        )
        for item in GOV_NEGATIVE_ITEMS
        for kind in ("government", "department")
    ]
    + [
        (
            item,
            "serious",
            kind,
            [("principal_accountability", None), ("award_disqualification", 36), ("policy_restriction", 24)],
        )
        for item in GOV_NEGATIVE_ITEMS
        for kind in ("government", "department")
    ]
    + [
        (
            item,
            "",
            "civil_servant",
            [
                ("civil_servant_award_restriction", 12),
                ("recruitment_review", None),
                ("appointment_review", 24),
            ],
        )
        for item in [*GOV_NEGATIVE_ITEMS, "disciplinary_sanction"]
    ]
    + [
        (item, "", "", [("incentive_priority", None), ("incentive_simplified", None)])
        for item in ("commendation", "trust_model")
    ]
)


@transaction.atomic
def load_defaults() -> str:
    made_measures = 0
    for spec in DEFAULT_MEASURES:
        _, created = Measure.objects.get_or_create(code=spec["code"], defaults=spec)
        made_measures += created
    measures = {m.code: m for m in Measure.objects.all()}
    items = {i.code: i for i in CatalogItem.objects.all()}
    made_rules = 0
    for item_code, severity, kind, lines in DEFAULT_RULES:
        item = items.get(item_code)
        if item is None or (kind and kind not in item.subject_kinds):
            continue
        if severity and severity not in item.severities:
            continue
        if Rule.objects.filter(item=item, severity=severity, subject_kind=kind).exists():
            continue  # the credit office may have edited or retired it: never overwrite
        rule = Rule.objects.create(
            item=item, severity=severity, subject_kind=kind, note="默认规则（政策（九））"
        )
        for code, months in lines:
            RuleMeasure.objects.create(rule=rule, measure=measures[code], months=months)
        made_rules += 1
    return f"{made_measures} 项措施、{made_rules} 条规则"


def load_demo() -> str:
    """Sanctions for demo records already published (the receiver covers new publications)."""
    from govcredit.records.models import CreditRecord, Status

    from .services import apply_rules

    made = 0
    for record in CreditRecord.objects.filter(
        status__in=[Status.PUBLISHED, Status.UNDER_OBJECTION]
    ).select_related("subject", "item"):
        with transaction.atomic():
            made += len(
                apply_rules(record, today=record.published_at.date() if record.published_at else None)
            )
    published = _publish_demo_notices()
    return f"补充 {made} 条奖惩实施，发布 {published} 份通报批评"


def _publish_demo_notices(limit: int = 4) -> int:
    """A few reviewed notices, so the portal's 通报批评 page shows what a published one looks like."""
    from govcredit.accounts.models import User
    from govcredit.accounts.permissions import Access
    from govcredit.records.models import LIVE_STATUSES

    from .models import CriticismNotice, NoticeStatus
    from .services import publish_notice

    office = User.objects.filter(username="office").first()
    if office is None or CriticismNotice.objects.filter(status=NoticeStatus.PUBLISHED).exists():
        return 0
    drafts = CriticismNotice.objects.filter(
        status=NoticeStatus.DRAFT, record__status__in=LIVE_STATUSES, record__disclosure="public"
    ).order_by("pk")[:limit]
    access = Access.for_user(office)
    for notice in drafts:
        with transaction.atomic():
            publish_notice(notice, access=access)
    return len(drafts)
