"""Bidding defaults: the 市公共资源交易中心周村分中心 unit, catalog item ``bidding_violation`` (through
the catalog services; shipped codes unchanged), the 取消投标资格 measure and its rules, the
evaluation indicators and grade bands (⚠ local choices, each with its legal status and source)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from govcredit.accounts.models import Organisation

from .models import EvaluationIndicator, GradeBand

TRADING_CENTRE = ("淄博市公共资源交易中心周村分中心", "市公共资源交易中心周村分中心")
ITEM_SPEC = {
    "code": "bidding_violation",
    "name": "招标投标违法",
    "negative": True,
    "subject_kinds": ["enterprise", "person", "department", "civil_servant"],
    "severities": ["general", "major", "serious"],
    "disclosure": "public",
    # Art 9: public 6 months, or the restriction (取消投标资格 up to 3 years) when longer.
    "display_periods": {
        "general": {"min_months": 3, "max_months": 6},
        "major": {"min_months": 6, "max_months": 12},
        "serious": {"min_months": 6, "max_months": 36},
    },
    "repairable": True,
    "legal_basis": "《中华人民共和国招标投标法实施条例》第七十八条；《招标投标违法行为记录公告暂行办法》（发改法规〔2008〕1531号）；周政发〔2018〕26号（十三）",
    # Art 8 of the 暂行办法: 当事人, 违法行为, 处理依据, 处理决定, 处理时间, 处理机关 — the last four
    # beyond the always-required fields are 处理依据 (legal_basis) and 处理决定 (outcome).
    "extra_fields": ["outcome", "legal_basis"],
}
MEASURE_SPEC = {
    "code": "bidding_disqualification",
    "name": "取消投标资格",
    "kind": "restriction",
    "legal_basis": "《中华人民共和国招标投标法实施条例》第六十七条、第六十八条（实施条例第六十七/六十八条）：取消一至二年、一至三年参加依法必须进行招标的项目的投标资格",
    "implementing_units": "区发改局、区住建局、市公共资源交易中心周村分中心（资格审查）",
    "default_months": 12,
    "purposes": ["bidding"],
    "repair_effect": "keep",
    "description": "期限按处理决定载明的期限（1–3年）实施；未载明时按12个月。",
}
INDICATORS = [
    (
        "serious_violation",
        "严重招标投标违法",
        "",
        "deduction",
        "record",
        "bidding_violation",
        "serious",
        "",
        "20",
        "40",
    ),
    (
        "major_violation",
        "较重招标投标违法",
        "",
        "deduction",
        "record",
        "bidding_violation",
        "major",
        "",
        "10",
        "30",
    ),
    (
        "general_violation",
        "一般招标投标违法",
        "",
        "deduction",
        "record",
        "bidding_violation",
        "general",
        "",
        "5",
        "15",
    ),
    ("admin_penalty", "行政处罚", "", "deduction", "record", "admin_penalty", "", "", "5", "20"),
    ("dishonest_debtor", "失信被执行人", "", "deduction", "record", "dishonest_debtor", "", "", "30", "30"),
    ("commendation", "表彰奖励", "", "addition", "record", "commendation", "", "", "3", "6"),
    ("third_party_grade", "第三方信用报告 A 级以上", "", "addition", "report", "", "", "AAA,AA,A", "5", "5"),
]
GRADES = [("A", "90", "优秀"), ("B", "80", "良好"), ("C", "70", "一般"), ("D", "0", "较差")]
LOCAL = "周村区信用办选择（⚠ 未见官方评分标准，WAVE2 §4 (b)）"


@transaction.atomic
def load_defaults() -> str:
    from govcredit.catalog.models import CatalogItem
    from govcredit.catalog.services import create_item
    from govcredit.sanctions.models import Measure, Rule, RuleMeasure
    from govcredit.subjects.models import SubjectKind

    made = []
    units = []
    for short in ("区发改局", "区住建局", TRADING_CENTRE[1]):
        org = Organisation.objects.filter(short_name=short).first()
        if org is None and short == TRADING_CENTRE[1]:
            org = _make_trading_centre()
            made.append("交易中心单位")
        if org is not None:
            if not org.is_source_unit:
                org.is_source_unit = True
                org.save(update_fields=["is_source_unit"])
            units.append(org)
    if not CatalogItem.objects.filter(code=ITEM_SPEC["code"]).exists():
        create_item(dict(ITEM_SPEC), source_units=units, reason="第二期：招标投标信用（（十三））")
        made.append("目录事项")
    measure, created = Measure.objects.get_or_create(code=MEASURE_SPEC["code"], defaults=MEASURE_SPEC)
    if created:
        made.append("措施")
    item = CatalogItem.objects.get(code=ITEM_SPEC["code"])
    for kind in (SubjectKind.ENTERPRISE, SubjectKind.PERSON):
        if (
            kind not in item.subject_kinds
            or Rule.objects.filter(item=item, severity="serious", subject_kind=kind).exists()
        ):
            continue
        rule = Rule.objects.create(
            item=item,
            severity="serious",
            subject_kind=kind,
            note="严重招标投标违法：取消投标资格（实施条例第六十七、六十八条）",
        )
        RuleMeasure.objects.create(rule=rule, measure=measure, months=None)
        made.append(f"规则（{kind}）")
    for code, name, role, kind, source, item_code, severity, grades, points, cap in INDICATORS:
        _, created = EvaluationIndicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "role": role,
                "kind": kind,
                "source": source,
                "item_code": item_code,
                "severity": severity,
                "grades": grades,
                "points": points,
                "cap": cap,
                "legal_status": "local_choice",
                "source_note": LOCAL,
            },
        )
        made += ["指标"] if created else []
    for grade, low, label in GRADES:
        GradeBand.objects.get_or_create(
            grade=grade,
            defaults={"min_score": low, "label": label, "legal_status": "local_choice", "source_note": LOCAL},
        )
    return "、".join(dict.fromkeys(made)) or "无变化"


def _make_trading_centre() -> Organisation:
    from govcredit.core.codes import make_uscc
    from govcredit.subjects.models import Subject, SubjectKind
    from govcredit.subjects.reference import PLACEHOLDER_PREFIX
    from govcredit.subjects.services import SubjectData, create_subject

    subject = Subject.objects.filter(name=TRADING_CENTRE[0]).first() or create_subject(
        SubjectData(
            kind=SubjectKind.DEPARTMENT,
            name=TRADING_CENTRE[0],
            uscc=make_uscc(PLACEHOLDER_PREFIX, 90000190),
            aliases=TRADING_CENTRE[1],
            division_code="370306",
            placeholder_code=True,
        )
    )
    org, _ = Organisation.objects.get_or_create(
        subject=subject,
        defaults={"name": subject.name, "short_name": TRADING_CENTRE[1], "is_source_unit": True},
    )
    return org


DEMO_FIRMS = [
    ("淄博周联建设工程有限公司", "bidder", "建筑工程施工总承包二级"),
    ("山东丝路市政工程有限公司", "bidder", "市政公用工程施工总承包三级"),
    ("淄博鲁信招标代理有限公司", "agency", "工程招标代理"),
]


def load_demo() -> str:
    """Three market subjects, one serious violation published (on the list), an evaluation."""
    from govcredit.accounts.models import Role, User
    from govcredit.accounts.permissions import Access
    from govcredit.accounts.services import create_user
    from govcredit.core.codes import make_uscc
    from govcredit.records.services import approve_record
    from govcredit.subjects.models import Subject, SubjectKind
    from govcredit.subjects.services import SubjectData, create_subject

    from . import services
    from .models import BlacklistEntry

    if BlacklistEntry.objects.exists():
        return "已有演示数据"
    centre = Organisation.objects.get(short_name=TRADING_CENTRE[1])
    clerk = User.objects.filter(username="jyzx").first() or create_user(
        "jyzx", "govcredit-demo", display_name="冯交易", memberships=[(centre, Role.CLERK, False)]
    )
    office = User.objects.filter(username="office").first()
    reviewer = User.objects.filter(username="reviewer").first()
    if office is None or reviewer is None:
        return "缺少演示用户"
    access = Access.for_user(office)
    subjects = []
    for n, (name, role, qual) in enumerate(DEMO_FIRMS):
        subject = Subject.objects.filter(name=name).first() or create_subject(
            SubjectData(kind=SubjectKind.ENTERPRISE, name=name, uscc=make_uscc("91370306", 71000000 + n))
        )
        services.assign_role(
            subject, role, access=access, qualification=qual, registered_on=dt.date(2025, 3, 1)
        )
        subjects.append(subject)
    firm = subjects[0]
    today = timezone.localdate()
    record, _ = services.submit_violation(
        {
            "subject_name": firm.name,
            "subject_kind": "企业",
            "uscc": firm.uscc,
            "severity": "严重",
            "document_no": f"淄周公交罚〔{today.year}〕3号",
            "decided_on": today - dt.timedelta(days=20),
            "decided_by": "淄博市公共资源交易中心周村分中心",
            "facts": "在周村区城北路雨污分流改造工程施工招标中，提供虚假业绩证明材料骗取中标。",
            "outcome": "中标无效，处中标项目金额千分之五罚款，取消其2年参加依法必须进行招标的项目的投标资格。",
            "violation": "fraud",
            "role": "bidder",
            "project_name": "周村区城北路雨污分流改造工程",
            "restriction_months": 24,
        },
        access=Access.for_user(clerk),
    )
    with transaction.atomic():
        approve_record(record, access=Access.for_user(reviewer), note="材料齐全，予以公示")
    period = f"{today:%Y-%m}"
    for subject, (_, role, _) in zip(subjects, DEMO_FIRMS, strict=True):
        services.evaluate(subject, role, period=period, access=access)
    return "3 家市场主体、1 条失信名单、3 份信用评价"
