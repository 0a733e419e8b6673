"""The numbers of WAVE2 §2 as editable rule rows (``ContractRule``) with their legal status and source."""

from __future__ import annotations

from decimal import Decimal

from .models import ContractRule, LegalStatus

DEFAULTS: list[dict] = [
    {
        "key": "default_interest_daily_rate",
        "name": "未约定利率时的逾期利息日利率",
        "value": Decimal("0.0005"),
        "unit": "/日",
        "legal_status": LegalStatus.STATUTORY,
        "source": "《保障中小企业款项支付条例》（国务院令第802号修订）第十七条：未约定利率的，按每日利率万分之五支付逾期利息",
    },
    {
        "key": "sme_max_payment_days",
        "name": "机关、事业单位向中小企业付款的最长约定期限",
        "value": Decimal("60"),
        "unit": "日",
        "legal_status": LegalStatus.STATUTORY,
        "source": "《保障中小企业款项支付条例》第九条：合同约定付款期限最长不得超过60日",
    },
    {
        "key": "sme_default_payment_days",
        "name": "未约定时机关、事业单位的付款期限",
        "value": Decimal("30"),
        "unit": "日",
        "legal_status": LegalStatus.STATUTORY,
        "source": "《保障中小企业款项支付条例》第九条：自货物、工程、服务交付之日起30日内支付",
    },
    {
        "key": "arrears_grace_days",
        "name": "逾期多少日后立清欠台账并提出失信记录",
        "value": Decimal("30"),
        "unit": "日",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "WAVE2 §2(d) ⚠ 宽限期由区信用办确定，示例取30日",
    },
    {
        "key": "arrears_major_amount",
        "name": "拖欠金额达到此数额的记为较重",
        "value": Decimal("1000000"),
        "unit": "元",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "WAVE2 §2(d) ⚠ 按金额和账龄分级，区信用办确定",
    },
    {
        "key": "arrears_serious_amount",
        "name": "拖欠金额达到此数额的记为严重",
        "value": Decimal("5000000"),
        "unit": "元",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "WAVE2 §2(d) ⚠ 按金额和账龄分级，区信用办确定",
    },
    {
        "key": "arrears_major_days",
        "name": "逾期达到此日数的记为较重",
        "value": Decimal("180"),
        "unit": "日",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "WAVE2 §2(d) ⚠ 按金额和账龄分级，区信用办确定",
    },
    {
        "key": "arrears_serious_days",
        "name": "逾期达到此日数的记为严重",
        "value": Decimal("365"),
        "unit": "日",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "WAVE2 §2(d) ⚠ 按金额和账龄分级，区信用办确定",
    },
    {
        "key": "obligation_grace_days",
        "name": "非付款义务（奖补兑现、土地交付等）逾期多少日后提出合同违约记录",
        "value": Decimal("30"),
        "unit": "日",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "WAVE2 §2(d) ⚠ 区信用办确定",
    },
    {
        "key": "complaint_forward_working_days",
        "name": "投诉转交期限",
        "value": Decimal("10"),
        "unit": "个工作日",
        "legal_status": LegalStatus.STATUTORY,
        "source": "《保障中小企业款项支付条例》第二十五条：受理投诉部门应当自收到投诉之日起10个工作日内转交",
    },
    {
        "key": "complaint_decide_days",
        "name": "投诉办结期限",
        "value": Decimal("30"),
        "unit": "日",
        "legal_status": LegalStatus.STATUTORY,
        "source": "《保障中小企业款项支付条例》第二十五条：30日内办结，情况复杂的可延长，最长不超过90日",
    },
    {
        "key": "due_soon_days",
        "name": "即将到期清单的天数",
        "value": Decimal("15"),
        "unit": "日",
        "legal_status": LegalStatus.LOCAL_CHOICE,
        "source": "后台「即将到期」清单的默认范围",
    },
]


def load_rules() -> int:
    created = 0
    for row in DEFAULTS:
        _, was_created = ContractRule.objects.get_or_create(key=row["key"], defaults=row)
        created += was_created
    return created


def rule(key: str) -> ContractRule:
    found = ContractRule.objects.filter(key=key).first()
    if found is None:
        default = next(r for r in DEFAULTS if r["key"] == key)
        found = ContractRule(**default)
    return found


def value(key: str) -> Decimal:
    return rule(key).value


def int_value(key: str) -> int:
    return int(value(key))
