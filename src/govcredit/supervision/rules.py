"""The numbers of WAVE2 §7 as editable rows with their legal status and source (never constants):
complaint categories with their clocks, motion deadlines, rework time."""

from __future__ import annotations

from govcredit.duties.models import LegalStatus

from .models import ComplaintCategory, SupervisionRule

CATEGORIES: list[dict] = [
    {
        "code": "integrity",
        "name": "政务失信投诉举报",
        "mode": "working",
        "days": 5,
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "本区自定：5个工作日内答复。投诉举报渠道依周政发〔2018〕26号（二十）“对政务失信行为进行投诉举报”；《山东省社会信用条例》和国家规定未定答复时限",
        "order": 10,
    },
    {
        "code": "hotline",
        "name": "12345热线转办",
        "mode": "working",
        "days": 5,
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "本区自定：承办单位5个工作日内办理答复。热线转办依《国务院办公厅关于进一步优化地方政务服务便民热线的指导意见》（国办发〔2020〕53号），该文件未定统一办理时限",
        "order": 20,
    },
    {
        "code": "petition",
        "name": "信访事项",
        "mode": "calendar",
        "days": 60,
        "extension_days": 30,
        "legal_status": LegalStatus.STATUTORY,
        "source": "《信访工作条例》（2022）第三十四条：自受理之日起60日内办结；情况复杂的，可适当延长，延长期限不得超过30日",
        "order": 30,
    },
    {
        "code": "procurement_query",
        "name": "政府采购质疑",
        "mode": "working",
        "days": 7,
        "legal_status": LegalStatus.STATUTORY,
        "source": "《政府采购法》第五十三条：采购人应当在收到书面质疑后7个工作日内作出答复",
        "order": 40,
    },
    {
        "code": "procurement_complaint",
        "name": "政府采购投诉",
        "mode": "working",
        "days": 30,
        "legal_status": LegalStatus.STATUTORY,
        "source": "《政府采购法》第五十六条：政府采购监督管理部门应当在收到投诉后30个工作日内作出处理决定",
        "order": 50,
    },
    {
        "code": "bidding_complaint",
        "name": "招标投标投诉",
        "mode": "working",
        "days": 30,
        "legal_status": LegalStatus.STATUTORY,
        "source": "《招标投标法实施条例》第六十一条：行政监督部门应当自收到投诉之日起30个工作日内作出书面处理决定（异议3日内答复）",
        "order": 60,
    },
]

RULES: list[dict] = [
    {
        "key": "npc_months",
        "name": "人大代表建议答复期限",
        "value": 3,
        "unit": "个月",
        "legal_status": LegalStatus.STATUTORY,
        "source": "《全国人民代表大会和地方各级人民代表大会代表法》（2025修正）：自交办之日起3个月内答复",
    },
    {
        "key": "npc_complex_months",
        "name": "人大代表建议（情况复杂）答复期限",
        "value": 6,
        "unit": "个月",
        "legal_status": LegalStatus.STATUTORY,
        "source": "代表法（2025修正）；《山东省人民代表大会代表建议、批评和意见办理条例》第十九条：最长不超过6个月",
    },
    {
        "key": "cppcc_months",
        "name": "政协提案答复期限",
        "value": 3,
        "unit": "个月",
        "legal_status": LegalStatus.UNOFFICIAL,
        "source": "⚠ 省级提案办理办法（未核实原文）：交办之日起3个月内答复",
    },
    {
        "key": "cppcc_complex_months",
        "name": "政协提案（情况复杂）答复期限",
        "value": 6,
        "unit": "个月",
        "legal_status": LegalStatus.UNOFFICIAL,
        "source": "⚠ 省级提案办理办法（未核实原文）：最长不超过6个月",
    },
    {
        "key": "reopen_months",
        "name": "代表委员不满意的重新办理期限",
        "value": 1,
        "unit": "个月",
        "legal_status": LegalStatus.STATUTORY,
        "source": "《山东省人民代表大会代表建议、批评和意见办理条例》第二十四条：1个月内重新办理并答复",
    },
    {
        "key": "co_opinion_months",
        "name": "协办单位向主办单位提出意见的期限",
        "value": 1,
        "unit": "个月",
        "legal_status": LegalStatus.STATUTORY,
        "source": "《山东省人民代表大会代表建议、批评和意见办理条例》：协办单位1个月内将意见告知主办单位",
    },
    {
        "key": "rework_working_days",
        "name": "投诉回访不满意后的重新办理期限",
        "value": 5,
        "unit": "个工作日",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "本区自定：与本区投诉答复期限（5个工作日）一致",
    },
    {
        "key": "notice_reply_working_days",
        "name": "督办单要求承办单位办结答复的期限",
        "value": 3,
        "unit": "个工作日",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "⚠ 本区自定，由信用办调整",
    },
]


#: earlier default sources that cited another city's procedures (issue 13, point 11): replaced by
#: ``load()`` where an installation still has them unchanged; a source an administrator edited stays.
SUPERSEDED_SOURCES = {
    "⚠ 本区自定，参照《济南市12345市民服务热线条例》第二十四条（5个工作日内答复）": "本区自定：5个工作日内答复。投诉举报渠道依周政发〔2018〕26号（二十）“对政务失信行为进行投诉举报”；《山东省社会信用条例》和国家规定未定答复时限",
    "⚠ 本区参照《潍坊市12345政务服务便民热线条例》第二十条（承办单位5个工作日内办理答复）": "本区自定：承办单位5个工作日内办理答复。热线转办依《国务院办公厅关于进一步优化地方政务服务便民热线的指导意见》（国办发〔2020〕53号），该文件未定统一办理时限",
    "⚠ 本区自定，参照12345热线条例的5个工作日办理时限": "本区自定：与本区投诉答复期限（5个工作日）一致",
}


def load() -> int:
    created = 0
    for row in CATEGORIES:
        _, was = ComplaintCategory.objects.get_or_create(code=row["code"], defaults=row)
        created += was
    for row in RULES:
        _, was = SupervisionRule.objects.get_or_create(key=row["key"], defaults=row)
        created += was
    for old, new in SUPERSEDED_SOURCES.items():
        ComplaintCategory.objects.filter(source=old).update(source=new)
        SupervisionRule.objects.filter(source=old).update(source=new)
    return created


def value(key: str) -> int:
    found = SupervisionRule.objects.filter(key=key).values_list("value", flat=True).first()
    if found is None:
        found = next(r["value"] for r in RULES if r["key"] == key)
    return int(found)
