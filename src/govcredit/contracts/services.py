"""Write paths for contracts, obligations, payments, changes and arrears cases (WAVE2 §2).

Each service checks rights and state, validates the whole input (every problem at its field, in
Chinese), then writes in one transaction with an audit entry; duties, findings and integrity events
go through the kernel (``govcredit.duties``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation, Role
from govcredit.accounts.permissions import Access
from govcredit.core import public_version
from govcredit.core.codes import validate_uscc
from govcredit.core.errors import Conflict, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.workdays import format_cn_date
from govcredit.duties import services as duty_services
from govcredit.subjects.models import UNIT_KINDS, Subject, SubjectKind
from govcredit.subjects.services import SubjectData, create_subject, find_by_code

from . import rules
from .dues import ART9, DueAnswer, DueTerms, compute_due, late_interest, period_days
from .models import (
    CLOSED_CONTRACT_STATES,
    OPEN_OBLIGATION_STATES,
    SME_PURCHASERS,
    ZERO,
    ArrearsCase,
    ArrearsSource,
    ArrearsState,
    ChangeKind,
    ChangeReason,
    ContractChange,
    ContractKind,
    ContractState,
    DueRule,
    GovContract,
    Obligation,
    ObligationKind,
    ObligationState,
    Payment,
    PurchaserType,
    RepairPreparation,
    Scale,
    Trigger,
)

MODULE = "contracts"
# Units that register contracts for the whole district (WAVE2 §2(c)) and so see them all.
REGISTRAR_UNITS = ("区财政局", "区商务局", "区招商局")
FINDING_SOURCE_UNIT = "区财政局"  # the catalog allows it for arrears and contract_breach
MAX_AMOUNT = Decimal("99999999999999.99")

for _key, _label in {
    "govcredit.contract.created": "登记政府合同",
    "govcredit.contract.changed": "登记合同变更",
    "govcredit.obligation.created": "新增合同义务",
    "govcredit.obligation.event": "录入交付/验收日期",
    "govcredit.obligation.met": "确认义务已履行",
    "govcredit.payment.recorded": "登记付款",
    "govcredit.arrears.opened": "立清欠台账",
    "govcredit.arrears.plan": "制定还款计划",
    "govcredit.arrears.disputed": "登记欠款争议",
    "govcredit.arrears.cleared": "清欠台账已清偿",
}.items():
    register_action(_key, _label)


# -- scope -------------------------------------------------------------------------------------------
def sees_all_contracts(access: Access) -> bool:
    if access.sees_everything:
        return True
    return any(m.organisation.short_name in REGISTRAR_UNITS for m in access.memberships)


def contracts_for(access: Access) -> QuerySet[GovContract]:
    qs = GovContract.objects.select_related("government", "counterparty", "unit")
    if sees_all_contracts(access):
        return qs
    return qs.filter(unit_id__in=access.organisation_ids)


def get_contract_for_user(access: Access, pk) -> GovContract:
    found = contracts_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("合同不存在或不在您的权限范围内")
    return found


def get_obligation_for_user(access: Access, contract: GovContract, pk) -> Obligation:
    found = contract.obligations.filter(pk=pk).first()
    if found is None:
        raise NotFound("该合同下不存在此项义务")
    return found


def arrears_for(access: Access) -> QuerySet[ArrearsCase]:
    qs = ArrearsCase.objects.select_related("debtor", "creditor", "debtor_unit", "contract", "obligation")
    if sees_all_contracts(access):
        return qs
    return qs.filter(debtor_unit_id__in=access.organisation_ids)


def get_arrears_for_user(access: Access, pk) -> ArrearsCase:
    found = arrears_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("清欠台账不存在或不在您的权限范围内")
    return found


def can_register(access: Access, unit: Organisation | None = None) -> bool:
    if access.has_role(Role.CREDIT_OFFICE, Role.ADMIN):
        return True
    clerk_units = {m.organisation for m in access.memberships if m.role == Role.CLERK}
    if any(u.short_name in REGISTRAR_UNITS for u in clerk_units):
        return True
    return unit is not None and unit in clerk_units or (unit is None and bool(clerk_units))


# -- parsing helpers (one validator per field, shared by form, API and import) ----------------------
class Problems:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self, message: str) -> None:
        if self.errors:
            raise ValidationFailed(message, field_errors=self.errors)


def parse_money(
    value, field: str, label: str, problems: Problems, *, required: bool = True
) -> Decimal | None:
    if value is None or value == "":
        if required:
            problems.add(field, f"请填写{label}")
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        problems.add(field, f"{label}应为金额数字（元），当前为「{value}」")
        return None
    if not amount.is_finite() or amount < 0:
        problems.add(field, f"{label}不能为负数")
        return None
    if amount > MAX_AMOUNT:
        problems.add(field, f"{label}过大")
        return None
    if amount != amount.quantize(Decimal("0.01")):
        problems.add(field, f"{label}最多保留两位小数（分）")
        return None
    return amount.quantize(Decimal("0.01"))


def parse_date(
    value, field: str, label: str, problems: Problems, *, required: bool = False
) -> dt.date | None:
    if value is None or value == "":
        if required:
            problems.add(field, f"请填写{label}")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace("年", "-").replace("月", "-").replace("日", "")
    try:
        y, m, d = (int(p) for p in text.split("-"))
        return dt.date(y, m, d)
    except (ValueError, TypeError):
        problems.add(field, f"{label}应为日期（如 2026-03-02），当前为「{value}」")
        return None


def parse_int(
    value, field: str, label: str, problems: Problems, *, low: int = 0, high: int = 3650
) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        problems.add(field, f"{label}应为整数，当前为「{value}」")
        return None
    if number < low or number > high:
        problems.add(field, f"{label}应在{low}至{high}之间")
        return None
    return number


def parse_choice(value, field: str, label: str, choices, problems: Problems, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            problems.add(field, f"请选择{label}")
        return ""
    for code, name in choices.choices:
        if text in (code, name):
            return code
    allowed = "、".join(f"{code}（{name}）" for code, name in choices.choices)
    problems.add(field, f"{label}「{text}」无效，应为：{allowed}")
    return ""


def _text(value, field: str, label: str, problems: Problems, *, max_len: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        problems.add(field, f"请填写{label}")
    elif len(text) > max_len:
        problems.add(field, f"{label}不能超过{max_len}个字符")
    elif "\x00" in text:
        problems.add(field, f"{label}含有无法保存的字符")
    return text


def find_government(value) -> Subject | None:
    text = str(value or "").strip()
    if not text:
        return None
    qs = Subject.objects.filter(kind__in=UNIT_KINDS)
    found = qs.filter(uscc=text.upper()).first() or qs.filter(name=text).first()
    if found is None:
        org = Organisation.objects.filter(short_name=text, subject__kind__in=UNIT_KINDS).first()
        found = org.subject if org else None
    return found


def unit_of(subject: Subject) -> Organisation | None:
    return Organisation.objects.filter(subject=subject).first()


def default_purchaser_type(subject: Subject) -> str:
    return PurchaserType.ORGAN if subject.kind in UNIT_KINDS else PurchaserType.OTHER


def resolve_counterparty(uscc, name, problems: Problems, *, field: str = "counterparty_uscc"):
    """The enterprise by its USCC: a malformed code, or an unregistered one without a name, is refused.
    Returns (subject or None, SubjectData to create or None)."""
    raw = str(uscc or "").strip()
    if not raw:
        problems.add(field, "请填写相对方统一社会信用代码")
        return None, None
    try:
        code = validate_uscc(raw)
    except DjangoValidationError as exc:
        problems.add(field, "；".join(exc.messages))
        return None, None
    found = find_by_code(code)
    if found is not None:
        if found.kind in UNIT_KINDS or found.is_person:
            problems.add(field, f"统一社会信用代码 {code} 属于「{found.display_name}」，不是企业")
            return None, None
        return found, None
    name = str(name or "").strip()
    if not name:
        problems.add(
            field,
            f"统一社会信用代码 {code} 未在主体库中登记；请核对代码，或同时填写企业名称以登记该企业",
        )
        return None, None
    return None, SubjectData(kind=SubjectKind.ENTERPRISE, name=name, uscc=code, needs_confirmation=True)


# -- obligations: validation -------------------------------------------------------------------------
@dataclass
class ObligationInput:
    kind: str
    title: str
    amount: Decimal
    terms: DueTerms
    clause: str = ""


def clean_obligation(
    data: dict, *, contract_like: dict, prefix: str = "", problems: Problems | None = None
) -> ObligationInput | None:
    """Validate one obligation against its contract (``contract_like``: signed_on, purchaser_type,
    counterparty_scale, amount). Adds problems under ``prefix + field``."""
    own = problems is None
    problems = problems or Problems()
    p = prefix
    kind = parse_choice(data.get("kind") or "payment", p + "kind", "义务类型", ObligationKind, problems)
    title = _text(data.get("title"), p + "title", "义务内容", problems, max_len=200)
    amount = parse_money(
        data.get("amount"), p + "amount", "金额", problems, required=kind == ObligationKind.PAYMENT
    )
    if kind == ObligationKind.PAYMENT and amount is not None and amount <= 0:
        problems.add(p + "amount", "付款义务的金额应大于0")
    raw_rule = data.get("due_rule") or ""
    if not raw_rule:  # the rule follows from what was given: a date, or an event and a period
        if data.get("fixed_due_on") or data.get("due_on"):
            raw_rule = DueRule.FIXED
        elif data.get("months"):
            raw_rule = DueRule.AGREED
        elif data.get("trigger"):
            raw_rule = DueRule.AFTER_EVENT
    due_rule = parse_choice(raw_rule, p + "due_rule", "期限规则", DueRule, problems)
    trigger = parse_choice(data.get("trigger"), p + "trigger", "起算事件", Trigger, problems, required=False)
    fixed = parse_date(
        data.get("fixed_due_on") or data.get("due_on"), p + "fixed_due_on", "约定日期", problems
    )
    days = parse_int(data.get("days"), p + "days", "期限（日）", problems, low=0)
    months = parse_int(data.get("months"), p + "months", "期限（月）", problems, low=1, high=120)
    delivered = parse_date(data.get("delivered_on"), p + "delivered_on", "交付日期", problems)
    acceptance_days = parse_int(
        data.get("acceptance_days"), p + "acceptance_days", "约定验收期（日）", problems
    )
    accepted = parse_date(data.get("accepted_on"), p + "accepted_on", "验收日期", problems)
    event_on = parse_date(data.get("event_on"), p + "event_on", "事件日期", problems)
    clause = _text(data.get("clause"), p + "clause", "合同条款", problems, max_len=200)
    if not title and kind:
        title = ObligationKind(kind).label if kind in ObligationKind.values else ""

    if due_rule == DueRule.FIXED and fixed is None:
        problems.add(p + "fixed_due_on", "期限规则为固定日期时，请填写约定日期")
    if due_rule in (DueRule.AFTER_EVENT, DueRule.AGREED) and not trigger:
        problems.add(p + "trigger", "请选择付款期限的起算事件（交付、验收或其他约定事件）")
    if due_rule == DueRule.AGREED and months is None:
        problems.add(p + "months", "期限规则为约定期限时，请填写月数")
    signed_on = contract_like.get("signed_on")
    sme = contract_like.get("purchaser_type") in SME_PURCHASERS and contract_like.get(
        "counterparty_scale"
    ) in (Scale.MICRO, Scale.SMALL, Scale.MEDIUM)
    if due_rule == DueRule.AFTER_EVENT and days is None:
        if kind == ObligationKind.PAYMENT and sme:
            days = rules.int_value("sme_default_payment_days")
        else:
            problems.add(p + "days", "期限规则为事件后N日时，请填写日数")
    # Dates in order: nothing before signing, acceptance not before delivery.
    for field, label, value in (
        ("delivered_on", "交付日期", delivered),
        ("accepted_on", "验收日期", accepted),
        ("event_on", "事件日期", event_on),
        ("fixed_due_on", "约定日期", fixed),
    ):
        if value and signed_on and value < signed_on:
            problems.add(
                p + field, f"{label}{value.isoformat()}早于合同签订日期{signed_on.isoformat()}，请核对"
            )
    if delivered and accepted and accepted < delivered:
        problems.add(p + "accepted_on", f"验收日期{accepted.isoformat()}早于交付日期{delivered.isoformat()}")
    if acceptance_days is not None and delivered is None and trigger == Trigger.ACCEPTANCE:
        problems.add(
            p + "delivered_on", "填写了约定验收期时，请同时填写交付日期（条例第十条自约定验收期满起算）"
        )
    total = contract_like.get("amount")
    if amount is not None and total is not None and amount > total:
        problems.add(p + "amount", f"义务金额{amount:,.2f}元超过合同金额{total:,.2f}元")
    terms = DueTerms(
        due_rule=due_rule,
        trigger=trigger,
        fixed_due_on=fixed,
        days=days,
        months=months,
        delivered_on=delivered,
        acceptance_days=acceptance_days,
        accepted_on=accepted,
        event_on=event_on,
    )
    if kind == ObligationKind.PAYMENT and sme and due_rule and not problems.errors.get(p + "days"):
        limit = rules.int_value("sme_max_payment_days")
        span = period_days(terms)
        if span is not None and span > limit:
            field = {"after_event": "days", "agreed": "months"}.get(due_rule, "fixed_due_on")
            problems.add(
                p + field,
                f"机关、事业单位从中小企业采购货物、工程、服务，约定的付款期限最长不得超过{limit}日"
                f"（{ART9}），当前为{span}日",
            )
    if own:
        problems.raise_if_any("合同义务填写有误")
    if problems.errors:
        return None
    return ObligationInput(kind=kind, title=title, amount=amount or ZERO, terms=terms, clause=clause)


def terms_of(ob: Obligation) -> DueTerms:
    return DueTerms(
        due_rule=ob.due_rule,
        trigger=ob.trigger,
        fixed_due_on=ob.fixed_due_on,
        days=ob.days,
        months=ob.months,
        delivered_on=ob.delivered_on,
        acceptance_days=ob.acceptance_days,
        accepted_on=ob.accepted_on,
        event_on=ob.event_on,
    )


def _apply_due(ob: Obligation, answer: DueAnswer) -> None:
    ob.due_on = answer.due_on
    ob.due_explain = answer.explain
    ob.due_estimated = answer.estimated


def _duty_kind(ob: Obligation) -> str:
    return "payment" if ob.kind == ObligationKind.PAYMENT else "contract_obligation"


def _register(ob: Obligation, answer: DueAnswer) -> None:
    if answer.due is None or answer.due.due is None:
        return
    contract = ob.contract
    duty_services.register_duty(
        module=MODULE,
        kind=_duty_kind(ob),
        obj=ob,
        due=answer.due,
        title=f"{contract.number} 第{ob.seq}项 {ob.title}"[:200],
        unit=contract.unit,
        subject=contract.government,
    )


def _build_obligation(contract: GovContract, seq: int, item: ObligationInput) -> Obligation:
    t = item.terms
    ob = Obligation(
        contract=contract,
        seq=seq,
        kind=item.kind,
        title=item.title,
        amount=item.amount,
        due_rule=t.due_rule,
        fixed_due_on=t.fixed_due_on,
        trigger=t.trigger,
        days=t.days,
        months=t.months,
        delivered_on=t.delivered_on,
        acceptance_days=t.acceptance_days,
        accepted_on=t.accepted_on,
        event_on=t.event_on,
        clause=item.clause,
        outstanding=item.amount if item.kind == ObligationKind.PAYMENT else ZERO,
    )
    _apply_due(ob, compute_due(t))
    return ob


# -- contracts ---------------------------------------------------------------------------------------
@dataclass
class ContractInput:
    values: dict
    government: Subject
    unit: Organisation
    counterparty: Subject | None
    new_counterparty: SubjectData | None
    obligations: list[ObligationInput]


def clean_contract(data: dict) -> ContractInput:
    problems = Problems()
    number = _text(data.get("number"), "number", "合同编号", problems, max_len=80, required=True)
    title = _text(data.get("title"), "title", "合同名称", problems, max_len=200, required=True)
    kind = parse_choice(data.get("kind"), "kind", "合同类型", ContractKind, problems)
    government = find_government(data.get("government") or data.get("government_uscc"))
    unit = None
    if government is None:
        problems.add(
            "government",
            f"政府方「{data.get('government') or data.get('government_uscc') or ''}」不在主体库的政府、部门中，"
            "请填写其统一社会信用代码、登记名称或简称（如 区住建局）",
        )
    else:
        unit = unit_of(government)
        if unit is None:
            problems.add("government", f"「{government.name}」尚未开通单位账号，无法作为付款单位")
    counterparty, new_counterparty = resolve_counterparty(
        data.get("counterparty_uscc"), data.get("counterparty_name"), problems
    )
    scale = parse_choice(
        data.get("counterparty_scale"), "counterparty_scale", "签约时企业规模", Scale, problems
    )
    purchaser_type = parse_choice(
        data.get("purchaser_type") or (default_purchaser_type(government) if government else ""),
        "purchaser_type",
        "采购人性质",
        PurchaserType,
        problems,
    )
    signed_on = parse_date(data.get("signed_on"), "signed_on", "签订日期", problems, required=True)
    if signed_on and signed_on > timezone.localdate():
        problems.add("signed_on", f"签订日期{signed_on.isoformat()}晚于今天，请核对")
    amount = parse_money(data.get("amount"), "amount", "合同金额", problems)
    rate = None
    raw_rate = data.get("interest_rate_daily")
    if raw_rate not in (None, ""):
        try:
            rate = Decimal(str(raw_rate))
            if not rate.is_finite() or rate < 0 or rate > Decimal("0.01"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            problems.add(
                "interest_rate_daily", "约定逾期日利率应为0至0.01之间的小数（如 0.0004 表示每日万分之四）"
            )
            rate = None
    values = {
        "number": number,
        "title": title,
        "kind": kind,
        "purchaser_type": purchaser_type,
        "counterparty_scale": scale,
        "signed_on": signed_on,
        "amount": amount,
        "amount_withheld": bool(data.get("amount_withheld")),
        "interest_rate_daily": rate,
        "procurement_ref": _text(
            data.get("procurement_ref"), "procurement_ref", "采购项目编号", problems, max_len=100
        ),
        "announcement_url": _text(
            data.get("announcement_url"), "announcement_url", "采购公告链接", problems, max_len=300
        ),
        "note": _text(data.get("note"), "note", "备注", problems, max_len=2000),
    }
    if values["announcement_url"] and not values["announcement_url"].startswith(("http://", "https://")):
        problems.add("announcement_url", "采购公告链接应以 http:// 或 https:// 开头")
    if number and GovContract.objects.filter(number=number).exists():
        problems.add("number", f"合同编号「{number}」已登记")
    obligations: list[ObligationInput] = []
    raw_obligations = data.get("obligations") or []
    if not isinstance(raw_obligations, list):
        problems.add("obligations", "合同义务应为列表")
        raw_obligations = []
    total = ZERO
    for index, raw in enumerate(raw_obligations):
        item = clean_obligation(
            raw or {}, contract_like=values, prefix=f"obligations.{index}.", problems=problems
        )
        if item is not None:
            obligations.append(item)
            total += item.amount if item.kind == ObligationKind.PAYMENT else ZERO
    if amount is not None and total > amount:
        problems.add("obligations", f"各付款义务合计{total:,.2f}元超过合同金额{amount:,.2f}元")
    problems.raise_if_any("合同信息有误，未保存")
    assert government is not None and unit is not None
    return ContractInput(values, government, unit, counterparty, new_counterparty, obligations)


def create_contract(data: dict, *, access: Access) -> GovContract:
    cleaned = clean_contract(data)
    access.require(
        can_register(access, cleaned.unit),
        "您没有登记该单位合同的权限（由区财政局、区商务局、区招商局或本单位经办人登记）",
    )
    with transaction.atomic():
        counterparty = cleaned.counterparty or create_subject(cleaned.new_counterparty, actor=access.user)
        contract = GovContract.objects.create(
            **cleaned.values,
            government=cleaned.government,
            unit=cleaned.unit,
            counterparty=counterparty,
            created_by=access.user,
        )
        for seq, item in enumerate(cleaned.obligations, start=1):
            ob = _build_obligation(contract, seq, item)
            ob.save()
            _register(ob, compute_due(item.terms))
        public_version.bump()
        log_action(
            "govcredit.contract.created",
            actor=access.user,
            obj=contract,
            summary=f"登记合同「{contract.number}」，{len(cleaned.obligations)}项义务",
            after={"number": contract.number, "amount": str(contract.amount)},
        )
    return contract


def _require_editable(contract: GovContract, access: Access) -> None:
    access.require(can_register(access, contract.unit), "您没有维护该合同的权限")
    if contract.state in CLOSED_CONTRACT_STATES:
        raise Conflict(f"合同「{contract.number}」{contract.get_state_display()}，不能再新增或变更义务")


def add_obligation(contract: GovContract, data: dict, *, access: Access) -> Obligation:
    _require_editable(contract, access)
    contract_like = {
        "signed_on": contract.signed_on,
        "purchaser_type": contract.purchaser_type,
        "counterparty_scale": contract.counterparty_scale,
        "amount": contract.amount,
    }
    item = clean_obligation(data, contract_like=contract_like)
    assert item is not None
    with transaction.atomic():
        locked = GovContract.objects.select_for_update().get(pk=contract.pk)
        if locked.state in CLOSED_CONTRACT_STATES:
            raise Conflict(f"合同「{locked.number}」{locked.get_state_display()}，不能再新增义务")
        committed = sum((o.amount for o in locked.obligations.filter(kind=ObligationKind.PAYMENT)), ZERO)
        if item.kind == ObligationKind.PAYMENT and committed + item.amount > locked.amount:
            raise ValidationFailed(
                "付款义务合计超过合同金额",
                field_errors={
                    "amount": [
                        f"已登记付款义务{committed:,.2f}元，加上本项{item.amount:,.2f}元超过合同金额"
                        f"{locked.amount:,.2f}元"
                    ]
                },
            )
        seq = (locked.obligations.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
        ob = _build_obligation(locked, seq, item)
        ob.save()
        _register(ob, compute_due(item.terms))
        public_version.bump()
        log_action(
            "govcredit.obligation.created",
            actor=access.user,
            obj=ob,
            summary=f"合同「{locked.number}」新增第{seq}项义务：{ob.title}",
        )
    return ob


def record_obligation_event(ob: Obligation, data: dict, *, access: Access) -> Obligation:
    """Enter the delivery / acceptance / event date: the due date is recomputed (Art 10 included)."""
    contract = ob.contract
    _require_editable(contract, access)
    problems = Problems()
    changes = {}
    for field, label in (("delivered_on", "交付日期"), ("accepted_on", "验收日期"), ("event_on", "事件日期")):
        if field in data and data[field] not in (None, ""):
            changes[field] = parse_date(data[field], field, label, problems)
    if not changes:
        problems.add("accepted_on", "请至少填写交付日期、验收日期或事件日期之一")
    today = timezone.localdate()
    for field, value in changes.items():
        if value and value > today:
            problems.add(field, f"{value.isoformat()}晚于今天，只能录入已发生的日期")
        if value and value < contract.signed_on:
            problems.add(field, f"{value.isoformat()}早于合同签订日期{contract.signed_on.isoformat()}")
    delivered = changes.get("delivered_on", ob.delivered_on)
    accepted = changes.get("accepted_on", ob.accepted_on)
    if delivered and accepted and accepted < delivered:
        problems.add("accepted_on", f"验收日期{accepted.isoformat()}早于交付日期{delivered.isoformat()}")
    problems.raise_if_any("日期填写有误，未保存")
    with transaction.atomic():
        before = {k: getattr(ob, k) for k in changes}
        for k, v in changes.items():
            setattr(ob, k, v)
        answer = compute_due(terms_of(ob))
        _apply_due(ob, answer)
        ob.save()
        _register(ob, answer)
        public_version.bump()
        log_action(
            "govcredit.obligation.event",
            actor=access.user,
            obj=ob,
            summary=f"{ob}：{answer.explain}",
            before={k: str(v) for k, v in before.items()},
            after={k: str(v) for k, v in changes.items()},
        )
    return ob


def mark_met(ob: Obligation, *, on: dt.date, access: Access) -> Obligation:
    """A non-payment obligation fulfilled (acceptance done, subsidy paid, land delivered)."""
    _require_editable(ob.contract, access)
    if ob.kind == ObligationKind.PAYMENT:
        raise ValidationFailed(
            "付款义务以登记付款为准", field_errors={"kind": ["请通过「登记付款」履行付款义务"]}
        )
    if on > timezone.localdate() or on < ob.contract.signed_on:
        raise ValidationFailed("履行日期有误", field_errors={"on": ["履行日期应在合同签订日之后、今天之前"]})
    with transaction.atomic():
        if (
            Obligation.objects.filter(pk=ob.pk, state__in=OPEN_OBLIGATION_STATES).update(
                state=ObligationState.MET, met_on=on
            )
            != 1
        ):
            raise Conflict("该义务已不是待履行状态")
        ob.refresh_from_db()
        duty_services.fulfil_duty(ob, on=on, kind=_duty_kind(ob))
        _event_on_time(ob, on)
        public_version.bump()
        log_action("govcredit.obligation.met", actor=access.user, obj=ob, summary=f"{ob} 已于{on}履行")
    return ob


def _event_on_time(ob: Obligation, on: dt.date) -> None:
    if ob.due_on is None:
        return
    late = (on - ob.due_on).days
    duty_services.record_event(
        subject=ob.contract.government,
        dimension="守信践诺",
        indicator="payment_days_late" if ob.kind == ObligationKind.PAYMENT else "obligation_days_late",
        polarity="+" if late <= 0 else "-",
        value=Decimal(max(0, late)),
        occurred_on=on,
        module=MODULE,
        obj=ob,
    )


# -- payments ----------------------------------------------------------------------------------------
def record_payment(
    ob: Obligation,
    data: dict,
    *,
    access: Access,
    voucher: tuple[str, bytes] | None = None,
) -> Payment:
    contract = ob.contract
    access.require(can_register(access, contract.unit), "您没有为该合同登记付款的权限")
    problems = Problems()
    if ob.kind != ObligationKind.PAYMENT:
        problems.add("obligation", f"第{ob.seq}项「{ob.title}」不是付款义务")
    paid_on = parse_date(data.get("paid_on"), "paid_on", "付款日期", problems, required=True)
    amount = parse_money(data.get("amount"), "amount", "付款金额", problems)
    voucher_no = _text(
        data.get("voucher_no"), "voucher_no", "付款凭证号", problems, max_len=100, required=True
    )
    if amount is not None and amount <= 0:
        problems.add("amount", "付款金额应大于0")
    if paid_on and paid_on > timezone.localdate():
        problems.add("paid_on", f"付款日期{paid_on.isoformat()}晚于今天，只能登记已完成的付款")
    if paid_on and paid_on < contract.signed_on:
        problems.add(
            "paid_on", f"付款日期{paid_on.isoformat()}早于合同签订日期{contract.signed_on.isoformat()}"
        )
    problems.raise_if_any("付款信息有误，未保存")
    with transaction.atomic():
        locked = Obligation.objects.select_for_update().select_related("contract").get(pk=ob.pk)
        if locked.state not in OPEN_OBLIGATION_STATES and locked.state != ObligationState.DISPUTED:
            raise Conflict(f"第{locked.seq}项义务{locked.get_state_display()}，不能再登记付款")
        if amount > locked.outstanding:
            raise ValidationFailed(
                "付款金额超过未付金额",
                field_errors={
                    "amount": [
                        f"付款金额{amount:,.2f}元超过该项尚未支付的{locked.outstanding:,.2f}元"
                        f"（应付{locked.amount:,.2f}元，已付{locked.paid_amount:,.2f}元）"
                    ]
                },
            )
        payment = Payment(
            obligation=locked, paid_on=paid_on, amount=amount, voucher_no=voucher_no, recorded_by=access.user
        )
        if voucher is not None:
            import hashlib

            from django.core.files.base import ContentFile

            name, content = voucher
            payment.voucher_name = name[:200]
            payment.voucher_sha256 = hashlib.sha256(content).hexdigest()
            payment.voucher_file.save(name, ContentFile(content), save=False)
        payment.save()
        locked.paid_amount += amount
        locked.outstanding -= amount
        if locked.outstanding == 0:
            locked.state = ObligationState.MET
            locked.met_on = paid_on
        else:
            locked.state = ObligationState.PARTIALLY_MET
        locked.save(update_fields=["paid_amount", "outstanding", "state", "met_on"])
        if locked.state == ObligationState.MET:
            duty_services.fulfil_duty(locked, on=paid_on, kind="payment")
            _event_on_time(locked, paid_on)
        case = ArrearsCase.objects.select_for_update().filter(obligation=locked).first()
        if case is not None:
            _apply_repayment(case, amount, paid_on, access=access)
        public_version.bump()
        log_action(
            "govcredit.payment.recorded",
            actor=access.user,
            obj=payment,
            summary=f"{locked}：付款{amount:,.2f}元（凭证{voucher_no}），尚欠{locked.outstanding:,.2f}元",
        )
    ob.refresh_from_db()
    return payment


# -- changes (（十四）) -------------------------------------------------------------------------------
UNLAWFUL_REASONS = {ChangeReason.LEADERSHIP_CHANGE}


def record_change(contract: GovContract, data: dict, *, access: Access) -> ContractChange:
    _require_editable(contract, access)
    problems = Problems()
    kind = parse_choice(data.get("kind"), "kind", "变更类型", ChangeKind, problems)
    reason = parse_choice(data.get("reason"), "reason", "变更原因", ChangeReason, problems)
    changed_on = parse_date(data.get("changed_on"), "changed_on", "变更日期", problems, required=True)
    description = _text(
        data.get("description"), "description", "变更内容", problems, max_len=2000, required=True
    )
    legal_basis = _text(data.get("legal_basis"), "legal_basis", "法定依据", problems, max_len=300)
    procedure = _text(data.get("procedure"), "procedure", "履行程序", problems, max_len=300)
    compensation = parse_money(data.get("compensation"), "compensation", "补偿金额", problems, required=False)
    if changed_on and changed_on < contract.signed_on:
        problems.add("changed_on", f"变更日期早于合同签订日期{contract.signed_on.isoformat()}")
    if changed_on and changed_on > timezone.localdate():
        problems.add("changed_on", "变更日期晚于今天")
    problems.raise_if_any("合同变更信息有误，未保存")
    issues = []
    if reason in UNLAWFUL_REASONS:
        issues.append("以政府换届、领导人员更替为由违约毁约（《优化营商环境条例》第三十一条）")
    if reason not in (ChangeReason.AGREEMENT, ChangeReason.COUNTERPARTY_BREACH) and not legal_basis:
        issues.append("未载明法定依据（周政发〔2018〕26号（十四））")
    if reason in (ChangeReason.LAW_CHANGE, ChangeReason.PUBLIC_INTEREST) and not procedure:
        issues.append("未履行法定程序（周政发〔2018〕26号（十四））")
    if reason in (ChangeReason.LAW_CHANGE, ChangeReason.PUBLIC_INTEREST) and compensation is None:
        issues.append(
            "因政策调整或公共利益变更，未依法对企业受到的损失予以补偿（周政发〔2018〕26号（十四））"
        )
    with transaction.atomic():
        change = ContractChange.objects.create(
            contract=contract,
            kind=kind,
            reason=reason,
            changed_on=changed_on,
            description=description,
            legal_basis=legal_basis,
            procedure=procedure,
            compensation=compensation,
            lawful=not issues,
            problems=issues,
            recorded_by=access.user,
        )
        if issues:
            contract.state = ContractState.BREACHED
            contract.save(update_fields=["state", "updated_at"])
            open_breach_finding(contract, change=change, as_of=changed_on, actor=access.user)
        elif kind == ChangeKind.TERMINATION:
            contract.state = ContractState.TERMINATED
            contract.save(update_fields=["state", "updated_at"])
            for ob in contract.obligations.filter(state=ObligationState.SCHEDULED):
                ob.state = ObligationState.CANCELLED
                ob.save(update_fields=["state"])
                duty_services.cancel_duty(ob, reason=f"合同依法解除：{description[:60]}", kind=_duty_kind(ob))
        public_version.bump()
        log_action(
            "govcredit.contract.changed",
            actor=access.user,
            obj=change,
            summary=f"合同「{contract.number}」{change.get_kind_display()}"
            + ("（依法变更）" if not issues else "：" + "；".join(issues)),
        )
    return change


# -- findings ----------------------------------------------------------------------------------------
def finding_unit() -> Organisation:
    return Organisation.objects.get(short_name=FINDING_SOURCE_UNIT)


def open_breach_finding(
    contract: GovContract,
    *,
    change: ContractChange | None = None,
    obligation: Obligation | None = None,
    as_of: dt.date,
    actor=None,
):
    if change is not None:
        obj = change
        rule = "unlawful_change"
        facts = (
            f"{contract.government.name}与{contract.counterparty.name}于{format_cn_date(contract.signed_on)}签订的"
            f"《{contract.title}》（合同编号{contract.number}），于{format_cn_date(change.changed_on)}"
            f"{change.get_kind_display()}：{change.description}。存在以下情形："
            + "；".join(change.problems)
            + "。"
        )
        evidence = {"contract": contract.number, "change_id": change.pk, "problems": change.problems}
        severity = "major" if change.reason in UNLAWFUL_REASONS else "general"
    else:
        assert obligation is not None
        obj = obligation
        rule = "obligation_not_met"
        facts = (
            f"{contract.government.name}在《{contract.title}》（合同编号{contract.number}）中承诺"
            f"{obligation.title}，应于{format_cn_date(obligation.due_on)}前履行（{obligation.due_explain}），"
            f"截至{format_cn_date(as_of)}仍未履行。"
        )
        evidence = {
            "contract": contract.number,
            "obligation_id": obligation.pk,
            "due_on": obligation.due_on.isoformat() if obligation.due_on else None,
            "as_of": as_of.isoformat(),
        }
        severity = "general"
    return duty_services.open_finding(
        module=MODULE,
        rule=rule,
        obj=obj,
        subject=contract.government,
        source_unit=finding_unit(),
        item="contract_breach",
        severity=severity,
        facts=facts,
        legal_basis="《优化营商环境条例》第三十一条；《中华人民共和国民法典》第五百七十七条；周政发〔2018〕26号（十一）（十四）",
        evidence=evidence,
        prefix="CTR",
        decided_by="周村区财政局",
        actor=actor,
    )


def arrears_severity(amount: Decimal, days: int) -> str:
    if amount >= rules.value("arrears_serious_amount") or days >= rules.int_value("arrears_serious_days"):
        return "serious"
    if amount >= rules.value("arrears_major_amount") or days >= rules.int_value("arrears_major_days"):
        return "major"
    return "general"


# -- arrears cases -----------------------------------------------------------------------------------
def rate_of(contract: GovContract | None) -> tuple[Decimal, str]:
    if contract is not None and contract.interest_rate_daily is not None:
        return contract.interest_rate_daily, f"合同约定逾期利率（日{contract.interest_rate_daily}）"
    r = rules.rule("default_interest_daily_rate")
    return r.value, f"未约定利率，按每日万分之五计（{r.source}；{r.get_legal_status_display()}）"


def case_code(pk: int, year: int) -> str:
    return f"QQ{year}-{pk:06d}"


def open_case_for(ob: Obligation, *, as_of: dt.date, grace: int) -> ArrearsCase:
    """Open the 清欠台账 entry of an overdue payment and propose the ``arrears`` record (the caller
    bumps the public version once per batch)."""
    contract = ob.contract
    rate, rate_source = rate_of(contract)
    case = ArrearsCase.objects.create(
        code=f"tmp-{ob.pk}",
        source=ArrearsSource.OBLIGATION,
        obligation=ob,
        contract=contract,
        debtor=contract.government,
        debtor_unit=contract.unit,
        creditor=contract.counterparty,
        amount=ob.outstanding,
        due_on=ob.due_on,
        overdue_since=ob.due_on + dt.timedelta(days=1),
        interest_rate_daily=rate,
        rate_source=rate_source,
        opened_on=as_of,
    )
    case.code = case_code(case.pk, as_of.year)
    case.save(update_fields=["code"])
    days = (as_of - ob.due_on).days
    interest, _ = case_interest(case, as_of)
    facts = (
        f"{contract.government.name}与{contract.counterparty.name}签订的《{contract.title}》（合同编号"
        f"{contract.number}）第{ob.seq}项约定付款{ob.amount:,.2f}元，依法应于{format_cn_date(ob.due_on)}前支付"
        f"（{ob.due_explain}）；截至{format_cn_date(as_of)}尚有{ob.outstanding:,.2f}元未支付，逾期{days}日，"
        f"超过{grace}日宽限期，逾期利息{interest:,.2f}元。"
    )
    duty_services.open_finding(
        module=MODULE,
        rule="arrears_overdue",
        obj=case,
        subject=contract.government,
        source_unit=finding_unit(),
        item="arrears",
        severity=arrears_severity(ob.outstanding, days),
        facts=facts,
        legal_basis="《保障中小企业款项支付条例》第九条、第十条、第十五条、第十七条、第二十六条；"
        "《优化营商环境条例》第三十二条；周政发〔2018〕26号（十一）",
        evidence={
            "case": case.code,
            "contract": contract.number,
            "obligation_id": ob.pk,
            "amount": str(ob.amount),
            "outstanding": str(ob.outstanding),
            "due_on": ob.due_on.isoformat(),
            "as_of": as_of.isoformat(),
            "days_overdue": days,
            "interest": str(interest),
        },
        prefix="ARR",
        decided_by="周村区财政局",
    )
    log_action(
        "govcredit.arrears.opened",
        obj=case,
        summary=f"清欠台账{case.code}：{contract.government.name}欠{contract.counterparty.name}"
        f"{ob.outstanding:,.2f}元，逾期{days}日",
    )
    return case


def case_payments(case: ArrearsCase) -> list[tuple[dt.date, Decimal]]:
    if case.obligation_id:
        return list(case.obligation.payments.values_list("paid_on", "amount"))
    return []


def case_interest(case: ArrearsCase, as_of: dt.date) -> tuple[Decimal, int]:
    """(interest accrued, days overdue) as of ``as_of`` (or the clearing day, when cleared)."""
    end = min(as_of, case.cleared_on) if case.cleared_on else as_of
    if case.obligation_id:
        ob = case.obligation
        return late_interest(
            amount=ob.amount,
            due_on=case.due_on,
            as_of=end,
            rate=case.interest_rate_daily,
            payments=case_payments(case),
        )
    return late_interest(
        amount=case.outstanding, due_on=case.due_on, as_of=end, rate=case.interest_rate_daily
    )


def _apply_repayment(case: ArrearsCase, amount: Decimal, on: dt.date, *, access: Access | None) -> None:
    case.repaid_amount = min(case.amount, case.repaid_amount + amount)
    if case.outstanding == 0:
        case.state = ArrearsState.CLEARED
        case.cleared_on = on
        case.disputed_amount = ZERO
        case.save()
        prepare_repair(case)
        log_action(
            "govcredit.arrears.cleared",
            actor=access.user if access else None,
            obj=case,
            summary=f"清欠台账{case.code}已于{on}全部清偿",
        )
    else:
        if case.state in (ArrearsState.IDENTIFIED, ArrearsState.PLAN_AGREED):
            case.state = ArrearsState.PARTIALLY_REPAID
        case.save()


def prepare_repair(case: ArrearsCase) -> RepairPreparation:
    """Pre-fill the repair application of the ``arrears`` record with the payment vouchers."""
    from govcredit.duties.models import Finding

    finding = (
        Finding.objects.filter(module=MODULE, rule="arrears_overdue", object_id=case.pk)
        .select_related("record")
        .first()
    )
    vouchers = []
    if case.obligation_id:
        vouchers = [
            {
                "paid_on": p.paid_on.isoformat(),
                "amount": str(p.amount),
                "voucher_no": p.voucher_no,
                "file": p.voucher_name,
                "sha256": p.voucher_sha256,
            }
            for p in case.obligation.payments.all()
        ]
    listing = "；".join(
        f"{v['paid_on']} 支付{Decimal(v['amount']):,.2f}元（凭证{v['voucher_no']}）" for v in vouchers
    )
    measures = (
        f"已于{format_cn_date(case.cleared_on)}全额清偿所欠{case.creditor.name}款项{case.amount:,.2f}元"
        + (f"：{listing}" if listing else "")
        + "。付款凭证附后。"
    )
    prep, _ = RepairPreparation.objects.update_or_create(
        case=case,
        defaults={
            "record": finding.record if finding else None,
            "applicant": case.debtor.name,
            "measures_taken": measures,
            "vouchers": vouchers,
            "prepared_on": case.cleared_on,
        },
    )
    return prep


def agree_plan(case: ArrearsCase, instalments: list[dict], *, access: Access) -> ArrearsCase:
    access.require(can_register(access, case.debtor_unit), "您没有维护该清欠台账的权限")
    if case.state not in (ArrearsState.IDENTIFIED, ArrearsState.PARTIALLY_REPAID, ArrearsState.RESOLVED):
        raise Conflict(f"清欠台账{case.code}{case.get_state_display()}，不能制定还款计划")
    problems = Problems()
    rows = []
    for i, raw in enumerate(instalments):
        day = parse_date(raw.get("due_on"), f"plan.{i}.due_on", "计划还款日", problems, required=True)
        amount = parse_money(raw.get("amount"), f"plan.{i}.amount", "计划金额", problems)
        if day and day < case.opened_on:
            problems.add(f"plan.{i}.due_on", "计划还款日早于立案日期")
        rows.append((day, amount))
    if not rows:
        problems.add("plan", "请至少填写一期还款计划")
    total = sum((a for _, a in rows if a), ZERO)
    if not problems.errors and total != case.outstanding:
        problems.add("plan", f"还款计划合计{total:,.2f}元，应等于尚欠的{case.outstanding:,.2f}元")
    problems.raise_if_any("还款计划有误，未保存")
    with transaction.atomic():
        case.plan.all().delete()
        for day, amount in rows:
            case.plan.create(due_on=day, amount=amount)
        if case.state == ArrearsState.IDENTIFIED:
            case.state = ArrearsState.PLAN_AGREED
        case.save()
        log_action(
            "govcredit.arrears.plan",
            actor=access.user,
            obj=case,
            summary=f"{case.code}：{len(rows)}期还款计划",
        )
    return case


def dispute_case(case: ArrearsCase, *, amount, reason: str, access: Access) -> ArrearsCase:
    """Record the disputed part (Art 15: the undisputed part is still paid on time)."""
    access.require(can_register(access, case.debtor_unit), "您没有维护该清欠台账的权限")
    problems = Problems()
    disputed = parse_money(amount, "disputed_amount", "有争议金额", problems)
    reason = _text(reason, "reason", "争议理由", problems, max_len=2000, required=True)
    if disputed is not None and disputed > case.outstanding:
        problems.add("disputed_amount", f"有争议金额不能超过尚欠的{case.outstanding:,.2f}元")
    problems.raise_if_any("争议信息有误，未保存")
    if case.state == ArrearsState.CLEARED:
        raise Conflict("已清偿的台账不能登记争议")
    with transaction.atomic():
        case.disputed_amount = disputed
        case.dispute_reason = reason
        case.state = ArrearsState.DISPUTED if disputed else case.state
        case.save()
        log_action(
            "govcredit.arrears.disputed",
            actor=access.user,
            obj=case,
            summary=f"{case.code}：争议{disputed}元",
        )
    return case


# -- reads ---------------------------------------------------------------------------------------
def obligation_view(ob: Obligation, *, as_of: dt.date, public: bool = False) -> dict:
    contract = ob.contract
    rate, rate_source = rate_of(contract)
    interest, days = (Decimal("0.00"), 0)
    if ob.kind == ObligationKind.PAYMENT and ob.due_on and as_of > ob.due_on:
        interest, days = late_interest(
            amount=ob.amount,
            due_on=ob.due_on,
            as_of=as_of,
            rate=rate,
            payments=list(ob.payments.values_list("paid_on", "amount")),
        )
    withheld = public and contract.amount_withheld
    return {
        "id": ob.pk,
        "seq": ob.seq,
        "kind": ob.kind,
        "title": ob.title,
        "amount": None if withheld else str(ob.amount),
        "paid_amount": None if withheld else str(ob.paid_amount),
        "outstanding": None if withheld else str(ob.outstanding),
        "due_rule": ob.due_rule,
        "trigger": ob.trigger or None,
        "days": ob.days,
        "months": ob.months,
        "delivered_on": _iso(ob.delivered_on),
        "acceptance_days": ob.acceptance_days,
        "accepted_on": _iso(ob.accepted_on),
        "event_on": _iso(ob.event_on),
        "due_on": _iso(ob.due_on),
        "due_explain": ob.due_explain,
        "due_estimated": ob.due_estimated,
        "state": ob.state,
        "state_label": ob.get_state_display(),
        "met_on": _iso(ob.met_on),
        "overdue": bool(
            ob.due_on and ob.due_on < as_of and ob.state in OPEN_OBLIGATION_STATES and ob.kind != "payment"
        )
        or bool(ob.kind == "payment" and ob.due_on and ob.due_on < as_of and ob.outstanding > 0),
        "days_overdue": days if ob.outstanding > 0 else 0,
        "interest": None if withheld else str(interest),
        "interest_rate_daily": str(rate),
        "interest_basis": rate_source,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def contract_view(contract: GovContract, *, as_of: dt.date, public: bool = False) -> dict:
    withheld = public and contract.amount_withheld
    return {
        "id": contract.pk,
        "number": contract.number,
        "title": contract.title,
        "kind": contract.kind,
        "kind_label": contract.get_kind_display(),
        "government": {"name": contract.government.name, "uscc": contract.government.uscc},
        "unit": contract.unit.name,
        "purchaser_type": contract.purchaser_type,
        "counterparty": {"name": contract.counterparty.name, "uscc": contract.counterparty.uscc},
        "counterparty_scale": contract.counterparty_scale,
        "signed_on": contract.signed_on.isoformat(),
        "amount": None if withheld else str(contract.amount),
        "amount_withheld": contract.amount_withheld,
        "interest_rate_daily": str(contract.interest_rate_daily)
        if contract.interest_rate_daily is not None
        else None,
        "procurement_ref": contract.procurement_ref,
        "announcement_url": contract.announcement_url,
        "state": contract.state,
        "state_label": contract.get_state_display(),
        "obligations": [
            obligation_view(ob, as_of=as_of, public=public)
            for ob in contract.obligations.select_related("contract").order_by("seq")
        ],
    }


def case_view(case: ArrearsCase, *, as_of: dt.date) -> dict:
    from govcredit.duties.models import Finding

    from .dues import aging_bucket

    interest, days = case_interest(case, as_of)
    finding = Finding.objects.filter(module=MODULE, rule="arrears_overdue", object_id=case.pk).first()
    ob = case.obligation
    prep = RepairPreparation.objects.filter(case=case).first()
    return {
        "id": case.pk,
        "code": case.code,
        "source": case.source,
        "state": case.state,
        "state_label": case.get_state_display(),
        "debtor": {"name": case.debtor.name, "uscc": case.debtor.uscc},
        "debtor_unit": case.debtor_unit.name,
        "creditor": {"name": case.creditor.name, "uscc": case.creditor.uscc},
        "contract": case.contract.number if case.contract_id else None,
        "amount": str(case.amount),
        "repaid_amount": str(case.repaid_amount),
        "outstanding": str(case.outstanding),
        "disputed_amount": str(case.disputed_amount),
        "undisputed_amount": str(case.undisputed_amount),
        "due_on": case.due_on.isoformat(),
        "due_explain": ob.due_explain if ob else "",
        "overdue_since": case.overdue_since.isoformat(),
        "days_overdue": days,
        "aging": aging_bucket(days),
        "interest": str(interest),
        "interest_rate_daily": str(case.interest_rate_daily),
        "interest_basis": case.rate_source,
        "opened_on": case.opened_on.isoformat(),
        "cleared_on": _iso(case.cleared_on),
        "repayment_plan": [
            {"due_on": i.due_on.isoformat(), "amount": str(i.amount)} for i in case.plan.all()
        ],
        "obligations": [obligation_view(ob, as_of=as_of)] if ob else [],
        "finding": {
            "id": finding.pk,
            "document_no": finding.document_no,
            "status": finding.status,
            "record_id": finding.record_id,
        }
        if finding
        else None,
        "repair_application": {
            "applicant": prep.applicant,
            "record_id": prep.record_id,
            "measures_taken": prep.measures_taken,
            "vouchers": prep.vouchers,
            "prepared_on": prep.prepared_on.isoformat(),
        }
        if prep
        else None,
        "as_of": as_of.isoformat(),
    }


def public_contracts() -> QuerySet[GovContract]:
    """Contracts the public sees (政府采购法实施条例第五十条); withheld amounts are hidden per field."""
    return GovContract.objects.select_related("government", "counterparty", "unit")
