"""Default personnel credit rules, each with its article, legal status and source (idempotent: a rule
the credit office has edited is never overwritten)."""

from __future__ import annotations

from django.db import transaction

from .models import PersonnelRule

CHECKS = ["recruitment", "appointment", "award"]
ART64 = (
    "《中华人民共和国公务员法》（2018年修订）第六十四条：受处分的期间为：警告，六个月；记过，十二个月；"
    "记大过，十八个月；降级、撤职，二十四个月。受处分期间不得晋升职务、职级和级别"
)
LAW = "全国人民代表大会常务委员会，2018-12-29 修订，2019-06-01 施行"

DEFAULT_RULES = [
    *(
        {
            "code": f"discipline_{code}",
            "kind": "discipline",
            "name": f"{label}处分期内",
            "match": label,
            "months": months,
            "effect": "blocked",
            "purposes": CHECKS,
            "legal_basis": ART64,
            "legal_status": "现行有效",
            "source": LAW,
        }
        for code, label, months in (
            ("warning", "警告", 6),
            ("demerit", "记过", 12),
            ("major_demerit", "记大过", 18),
            ("demotion", "降级", 24),
            ("dismissal_from_post", "撤职", 24),
        )
    ),
    *(
        {
            "code": f"review_{code}",
            "kind": "review",
            "name": f"上一年度考核{label}",
            "match": code,
            "effect": "attention",
            "purposes": CHECKS,
            "legal_basis": "《中华人民共和国公务员法》第三十八条、第三十九条：定期考核的结果分为优秀、称职、"
            "基本称职和不称职四个等次，作为调整职位、职务、职级以及奖励、培训、辞退的依据",
            "legal_status": "现行有效",
            "source": LAW,
        }
        for code, label in (("basic", "基本称职"), ("incompetent", "不称职"))
    ),
    {
        "code": "matters_concealed",
        "kind": "matters",
        "name": "个人有关事项瞒报",
        "match": "concealed",
        "effect": "attention",
        "purposes": ["appointment", "award"],
        "legal_basis": "《领导干部报告个人有关事项规定》：抽查核实发现瞒报的，依规依纪处理，影响选拔任用",
        "legal_status": "现行有效（条款序号待核）",
        "source": "中共中央办公厅、国务院办公厅，2017年印发",
    },
    {
        "code": "training_township",
        "kind": "training",
        "name": "乡科级及以下年度培训不少于90学时或12天",
        "rank_level": "township",
        "hours": "90",
        "days": "12",
        "legal_basis": "《干部教育培训工作条例》：乡科级及以下干部每年参加脱产培训累计不少于12天或者90学时",
        "legal_status": "现行有效（2023年修订，条款序号待核）",
        "source": "中共中央，2023-10 修订印发",
    },
]


@transaction.atomic
def load_defaults() -> str:
    made = 0
    for spec in DEFAULT_RULES:
        _, created = PersonnelRule.objects.get_or_create(code=spec["code"], defaults=spec)
        made += created
    return f"{made} 条人事信用规则"
