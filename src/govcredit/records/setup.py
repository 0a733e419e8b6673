"""Demo records: a few hundred across the source units, in every state, with civil servants and
positive records, so every list, filter and dashboard has something to show."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from govcredit.accounts.models import Organisation, User
from govcredit.accounts.permissions import Access
from govcredit.core.codes import make_id_number
from govcredit.subjects.models import UNIT_KINDS, Subject, SubjectKind
from govcredit.subjects.services import SubjectData, add_tenure, create_subject

from .models import CreditRecord
from .services import approve_record, reject_record, revoke_record, upsert_record

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉红玉兰志国"
POSITIONS = ["科员", "副科长", "科长", "副局长", "局长"]
FACTS = {
    "court_judgment": "在{year}年{unit}与某建设公司建设工程施工合同纠纷一案中，经人民法院判决应支付工程款{amount}万元，未按判决履行。",
    "dishonest_debtor": "未履行{year}年生效判决确定的给付义务{amount}万元，被人民法院依法纳入失信被执行人名单。",
    "admin_penalty": "在{year}年专项检查中，被查实未按规定履行{topic}职责，受到行政处罚。",
    "disciplinary_sanction": "在{topic}工作中不履行或者不正确履行职责，造成不良影响，受到纪律处分。",
    "accountability": "在{topic}工作中履职不力、失职失责，被实施问责处理。",
    "contract_breach": "与供应商签订的{topic}政府采购合同约定于{year}年付款，逾期未履行合同义务，构成违约。",
    "broken_commitment": "向社会公开承诺于{year}年底前完成{topic}，逾期未兑现。",
    "arrears": "拖欠民营企业{topic}项目账款{amount}万元，逾期未支付。",
    "commendation": "在{topic}工作中成绩突出，被评为先进集体。",
    "trust_model": "坚持守信践诺，{topic}承诺全部按期兑现，被评为守信典型。",
}
TOPICS = [
    "环境保护督查整改",
    "安全生产监管",
    "政务公开",
    "招商引资政策兑现",
    "道路改造工程",
    "老旧小区改造",
    "校舍维修",
    "政府采购",
    "扶贫资金管理",
    "行政审批限时办结",
    "扬尘治理",
    "市场监管",
]
SOURCE_ITEMS = {
    "court": (
        "区法院",
        ["court_judgment", "dishonest_debtor", "admin_penalty", "contract_breach", "arrears"],
    ),
    "zzb": ("区委组织部", ["accountability", "disciplinary_sanction", "commendation"]),
    "hr": ("区人社局", ["accountability", "disciplinary_sanction", "commendation"]),
    "czj": ("区财政局", ["contract_breach", "arrears"]),
    "office": ("区发改局", ["broken_commitment", "trust_model"]),
}
DOC_PREFIX = {
    "区法院": "周法",
    "区委组织部": "周组",
    "区人社局": "周人社",
    "区财政局": "周财",
    "区发改局": "周发改",
}


def _civil_servants(rng: random.Random, units: list[Subject]) -> list[Subject]:
    people = list(Subject.objects.filter(kind=SubjectKind.CIVIL_SERVANT))
    while len(people) < 30:
        i = len(people)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if i % 3 else "")
        birth = dt.date(1965 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
        unit = units[i % len(units)]
        person = create_subject(
            SubjectData(
                kind=SubjectKind.CIVIL_SERVANT,
                name=name,
                id_number=make_id_number("370306", birth, 100 + i),
                parent=unit,
            )
        )
        add_tenure(
            person,
            unit,
            position=POSITIONS[i % 5],
            start=dt.date(2015 + i % 6, 3, 1),
            is_principal=POSITIONS[i % 5] == "局长",
        )
        people.append(person)
    return people


def _row(rng, item_code, subject: Subject, source: str, n: int, today: dt.date) -> dict:
    decided = today - dt.timedelta(days=rng.randrange(20, 1000))
    severity = rng.choice(["general", "general", "major", "serious"])
    if item_code == "dishonest_debtor":
        severity = rng.choice(["major", "serious"])
    if item_code in ("commendation", "trust_model"):
        severity = "general"
    row = {
        "subject_name": subject.name,
        "subject_kind": subject.kind,
        "item": item_code,
        "severity": severity,
        "document_no": f"{DOC_PREFIX[source]}〔{decided.year}〕{n}号",
        "decided_on": decided,
        "decided_by": {
            "区法院": "周村区人民法院",
            "区委组织部": "中共周村区委组织部",
            "区人社局": "周村区人力资源和社会保障局",
            "区财政局": "周村区财政局",
            "区发改局": "周村区发展和改革局",
        }[source],
        "facts": FACTS[item_code].format(
            year=decided.year, unit=subject.name, amount=rng.randrange(5, 500), topic=rng.choice(TOPICS)
        ),
        "outcome": ""
        if item_code in ("commendation", "trust_model")
        else rng.choice(["责令限期整改", "予以通报批评", "已责令书面说明原因并整改", ""]),
    }
    if subject.kind == SubjectKind.CIVIL_SERVANT:
        from govcredit.core.crypto import get_pii_cipher

        row["id_number"] = get_pii_cipher().decrypt(subject.id_cipher)
        row["unit_uscc"] = subject.parent.uscc
    else:
        row["uscc"] = subject.uscc
    return row


@transaction.atomic
def load_demo(count: int = 320, seed: int = 26) -> str:
    if CreditRecord.objects.exists():
        return "已有记录，跳过"
    rng = random.Random(seed)
    today = timezone.localdate()
    orgs = list(Subject.objects.filter(kind__in=UNIT_KINDS).order_by("pk"))
    people = _civil_servants(rng, [s for s in orgs if s.kind == SubjectKind.DEPARTMENT])
    reviewer = Access.for_user(User.objects.get(username="reviewer"))
    office = Access.for_user(User.objects.get(username="office"))
    made = 0
    for n in range(1, count + 1):
        username = rng.choice(["court", "court", "zzb", "hr", "czj", "office"])
        unit_short, items = SOURCE_ITEMS[username]
        item = rng.choice(items)
        from govcredit.catalog.models import CatalogItem

        kinds = CatalogItem.objects.get(code=item).subject_kinds
        pool = [p for p in people if "civil_servant" in kinds] * (1 if "government" in kinds else 3) + [
            o for o in orgs if o.kind in kinds
        ]
        subject = rng.choice(pool)
        clerk = Access.for_user(User.objects.get(username=username))
        source = Organisation.objects.get(short_name=unit_short)
        roll = rng.random()
        record, _, _ = upsert_record(
            _row(rng, item, subject, unit_short, n, today),
            source_unit=source,
            access=clerk,
            submit=roll > 0.06,
        )
        made += 1
        if roll <= 0.06:
            continue  # draft
        if roll <= 0.15:
            continue  # waiting for review
        approver = office if username == "reviewer" else reviewer
        if roll <= 0.19:
            reject_record(record, access=approver, reason="决定文书号与附件不一致，请核对后重新提交")
            continue
        approve_record(record, access=approver if record.submitted_by_id != approver.user.pk else office)
        if roll > 0.97 and record.status == "published":
            revoke_record(record, access=clerk, reason="原处理决定已被依法撤销")
    return f"{made} 条演示记录"
