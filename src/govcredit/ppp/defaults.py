"""The shipped regime templates. ⚠ The per-stage item list of 财金〔2017〕1号 is reconstructed (WAVE2 §3,
§15: the article text was not retrieved); the timing rule is ✅. The 2023 新机制's details are ⚠ too.
The credit office and 区财政局 may edit the templates; projects keep the regime they started under."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from .models import LegalStatus, Regime, RoleRequirement, TemplateItem

INS, DEF = "instant", "deferred"
ITEMS_2017 = [
    ("identification", "overview", "项目概况（实施内容、合作期限、产出说明、绩效要求）", INS, True),
    ("identification", "vfm_report", "物有所值评价报告（指标、权重、评分、结论）", DEF, True),
    (
        "identification",
        "fiscal_capacity",
        "财政承受能力论证报告（本项目及本级政府全部PPP项目支出责任）",
        DEF,
        True,
    ),
    (
        "preparation",
        "implementation_plan",
        "实施方案（风险分配、运作方式、交易结构、合同体系、监管架构）",
        DEF,
        True,
    ),
    ("preparation", "approval", "实施方案审核意见", DEF, True),
    ("preparation", "agency", "项目实施机构", INS, True),
    ("procurement", "prequalification", "资格预审公告及资格预审文件", INS, True),
    ("procurement", "procurement_docs", "采购文件及补遗文件", INS, True),
    ("procurement", "evaluation_report", "评审报告", DEF, True),
    ("procurement", "negotiation", "确认谈判结果", DEF, True),
    ("procurement", "pre_award", "预中标、成交结果公告", INS, True),
    ("procurement", "award_notice", "中标、成交通知书", INS, True),
    ("procurement", "ppp_contract", "PPP项目合同", DEF, True),
    ("procurement", "consultants", "咨询服务机构和评审专家", DEF, False),
    ("execution", "project_company", "项目公司设立（登记、股权结构、实缴资本）", DEF, True),
    ("execution", "financing", "项目融资（机构、方式、金额、交割）", DEF, True),
    ("execution", "construction", "建设进度、质量与投资", DEF, True),
    ("execution", "performance_report", "绩效监测报告", DEF, True),
    ("execution", "fiscal_payment", "政府支出责任及预算执行", DEF, True),
    ("execution", "price_adjustment", "价格调整", DEF, False),
    ("execution", "midterm_review", "中期评估报告", DEF, False),
    ("transfer", "transfer_plan", "移交方案", INS, True),
    ("transfer", "asset_evaluation", "移交资产评估及性能测试", INS, True),
    ("transfer", "performance_evaluation", "项目绩效评价报告", INS, True),
]
ROLES_2017 = {
    "identification": ["implementing_head", "finance_review"],
    "preparation": ["implementing_head", "finance_review"],
    "procurement": ["implementing_head", "procurement_lead"],
    "execution": ["implementing_head", "performance_supervision", "investor_representative"],
    "transfer": ["implementing_head", "performance_supervision"],
}
ITEMS_2023 = [
    ("identification", "overview", "项目概况及特许经营方案要点", INS, True),
    ("preparation", "implementation_plan", "特许经营方案", DEF, True),
    ("preparation", "feasibility", "可行性论证及审核意见", DEF, True),
    ("procurement", "selection_notice", "特许经营者选择公告", INS, True),
    ("procurement", "award_notice", "选择结果公告", INS, True),
    ("procurement", "concession_contract", "特许经营协议", DEF, True),
    ("execution", "project_company", "项目公司设立", DEF, True),
    ("execution", "construction", "建设运营情况", DEF, True),
    ("execution", "performance_report", "绩效评价报告", DEF, True),
    ("transfer", "transfer_plan", "移交方案", INS, True),
]
ROLES_2023 = {
    "identification": ["implementing_head"],
    "preparation": ["implementing_head"],
    "procurement": ["implementing_head", "procurement_lead"],
    "execution": ["implementing_head", "performance_supervision"],
    "transfer": ["implementing_head"],
}
REGIMES = [
    {
        "code": "CJ2017-1",
        "name": "财金〔2017〕1号 PPP综合信息平台信息公开",
        "effective_from": dt.date(2017, 3, 1),
        "source": "《财政部关于印发〈政府和社会资本合作（PPP）综合信息平台信息公开管理暂行办法〉的通知》（财金〔2017〕1号）；阶段划分见财金〔2014〕113号 ⚠",
        "legal_status": LegalStatus.OFFICIAL,
        "note": "各阶段公开事项清单为依文件结构重建（⚠ 原文条款未取得），公开时限为原文规定。",
        "items": ITEMS_2017,
        "roles": ROLES_2017,
    },
    {
        "code": "NM2023",
        "name": "国办函〔2023〕115号 PPP新机制",
        "effective_from": dt.date(2023, 11, 3),
        "source": "《国务院办公厅转发国家发展改革委、财政部〈关于规范实施政府和社会资本合作新机制的指导意见〉的通知》（国办函〔2023〕115号）⚠ 细则未核实",
        "legal_status": LegalStatus.UNOFFICIAL,
        "note": "新机制的公开事项与时限细则未核实，沿用适时公开6个月、执行阶段次年4月30日的时限，待区财政局确认。",
        "items": ITEMS_2023,
        "roles": ROLES_2023,
    },
]


@transaction.atomic
def load_regimes() -> int:
    created = 0
    for spec in REGIMES:
        spec = dict(spec)
        items, roles = spec.pop("items"), spec.pop("roles")
        regime, was_created = Regime.objects.get_or_create(code=spec["code"], defaults=spec)
        if not was_created:
            continue
        created += 1
        for order, (stage, code, name, mode, required) in enumerate(items):
            TemplateItem.objects.create(
                regime=regime, stage=stage, code=code, name=name, mode=mode, required=required, order=order
            )
        for stage, role_codes in roles.items():
            for role in role_codes:
                RoleRequirement.objects.create(regime=regime, stage=stage, role=role)
    return created
