"""周村区 reference data loaded by ``govcredit setup``: the district, its towns and sub-districts,
the development zone and every unit the policy (周政发〔2018〕26号) names.

Real codes of government organs are not public, so each unit gets a generated code that passes
the GB 32100 check, flagged ``placeholder_code`` for the credit office to replace.
"""

from __future__ import annotations

from django.db import transaction

from govcredit.core.codes import make_uscc

from .models import Subject, SubjectKind
from .services import SubjectData, create_subject

DISTRICT = ("周村区人民政府", "区政府", "370306")
DEVELOPMENT_ZONE = ("周村经济开发区管理委员会", "开发区管委会 周村经济开发区管委会", "370306")
TOWNS = [
    ("370306001", "丝绸路街道办事处"),
    ("370306002", "大街街道办事处"),
    ("370306003", "青年路街道办事处"),
    ("370306004", "永安街道办事处"),
    ("370306005", "城北路街道办事处"),
    ("370306100", "北郊镇人民政府"),
    ("370306101", "南郊镇人民政府"),
    ("370306102", "王村镇人民政府"),
    ("370306103", "萌水镇人民政府"),
    ("370306104", "商家镇人民政府"),
]
# (registered name, the short name the policy uses, source unit?, credit office?)
DEPARTMENTS = [
    ("周村区发展和改革局", "区发改局", True, True),
    ("周村区人民法院", "区法院", True, False),
    ("周村区人民检察院", "区检察院", True, False),
    ("中共周村区委组织部", "区委组织部", True, False),
    ("周村区人民政府办公室", "区政府办公室", True, False),
    ("周村区人力资源和社会保障局", "区人社局", True, False),
    ("周村区财政局", "区财政局", True, False),
    ("周村区人民政府法制办公室", "区政府法制办", False, False),
    ("中共周村区委机构编制委员会办公室", "区编办", False, False),
    ("周村区政务服务中心管理办公室", "区政务服务中心管理办公室", False, False),
    ("淄博市公共资源交易中心周村分中心", "市公共资源交易中心周村分中心", True, False),
    ("周村区住房和城乡建设局", "区住建局", False, False),
    ("周村区商务局", "区商务局", False, False),
    ("周村区招商局", "区招商局", False, False),
    ("淄博市环境保护局周村分局", "区环保分局", False, False),
    ("周村区人口和计划生育局", "区计生局", False, False),
    ("周村区民政局", "区民政局", False, False),
    ("周村区扶贫开发领导小组办公室", "区扶贫办", False, False),
    ("中共周村区委精神文明建设委员会办公室", "区文明办", False, False),
    ("中共周村区委宣传部", "区委宣传部", False, False),
]
#: organisation flags of the district's choice (policy （九）); the administrator changes them in
#: 系统设置 › 单位 (Django admin)
UNIT_FLAGS = {
    "区委组织部": {"runs_credit_checks": True, "handles_referrals": True},
    "区人社局": {"runs_credit_checks": True},
}
PLACEHOLDER_PREFIX = "11370306"  # 1 机构编制 · 1 机关 · 370306 周村区


def _serial_for(index: int) -> int:
    return 90000000 + index  # a range no real 组织机构代码 body is likely to collide with


def _ensure_subject(
    index: int, name: str, kind: str, *, aliases: str, division: str, parent: Subject | None
) -> Subject:
    existing = Subject.objects.filter(name=name, kind=kind).first()
    if existing:
        return existing
    return create_subject(
        SubjectData(
            kind=kind,
            name=name,
            uscc=make_uscc(PLACEHOLDER_PREFIX, _serial_for(index)),
            parent=parent,
            division_code=division,
            aliases=aliases,
            placeholder_code=True,
        )
    )


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Idempotent: creates what is missing, never changes what the credit office edited."""
    from govcredit.accounts.models import Organisation

    created_before = Subject.objects.count()
    district = _ensure_subject(
        1, DISTRICT[0], SubjectKind.GOVERNMENT, aliases=DISTRICT[1], division=DISTRICT[2], parent=None
    )
    zone = _ensure_subject(
        2,
        DEVELOPMENT_ZONE[0],
        SubjectKind.GOVERNMENT,
        aliases=DEVELOPMENT_ZONE[1],
        division="370306",
        parent=district,
    )
    units = [(district, DISTRICT[1], False, False), (zone, "开发区管委会", False, False)]
    for offset, (code, name) in enumerate(TOWNS):
        subject = _ensure_subject(
            10 + offset, name, SubjectKind.GOVERNMENT, aliases="", division=code + "000", parent=district
        )
        units.append((subject, name.replace("办事处", "").replace("人民政府", ""), False, False))
    for offset, (name, short, is_source, is_office) in enumerate(DEPARTMENTS):
        subject = _ensure_subject(
            100 + offset, name, SubjectKind.DEPARTMENT, aliases=short, division="370306", parent=district
        )
        units.append((subject, short, is_source, is_office))
    for subject, short, is_source, is_office in units:
        Organisation.objects.get_or_create(
            subject=subject,
            defaults={
                "name": subject.name,
                "short_name": short.split()[0] if short else "",
                "is_source_unit": is_source,
                "is_credit_office": is_office,
                **UNIT_FLAGS.get(short, {}),
            },
        )
    return {"subjects_created": Subject.objects.count() - created_before}
