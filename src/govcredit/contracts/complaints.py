"""Enterprises' complaints about non-payment (《保障中小企业款项支付条例》第二十五条): a tracking code,
forwarded to the respondent within 10 working days, decided within 30 days, tracked like objections.
The complainant's contact is stored encrypted and never shown to the respondent."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation, Role
from govcredit.accounts.permissions import Access
from govcredit.core.crypto import get_pii_cipher
from govcredit.core.errors import Conflict, NotFound
from govcredit.core.ledger import log_action, register_action
from govcredit.disputes.notifications import contact_channel
from govcredit.duties import services as duty_services
from govcredit.duties.clock import due_date
from govcredit.subjects.services import create_subject

from . import rules
from .models import (
    ArrearsCase,
    ArrearsComplaint,
    ArrearsSource,
    ComplaintOutcome,
    ComplaintStatus,
    GovContract,
)
from .services import (
    FINDING_SOURCE_UNIT,
    Problems,
    _text,
    case_code,
    find_government,
    parse_date,
    parse_money,
    rate_of,
    resolve_counterparty,
)

MODULE = "contracts"
HANDLER_UNIT = FINDING_SOURCE_UNIT  # 区财政局 receives the complaints (受理投诉部门)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

for _key, _label in {
    "govcredit.arrears_complaint.filed": "收到拖欠账款投诉",
    "govcredit.arrears_complaint.forwarded": "转交拖欠账款投诉",
    "govcredit.arrears_complaint.decided": "办结拖欠账款投诉",
}.items():
    register_action(_key, _label)


def _mask(contact: str) -> str:
    if "@" in contact:
        name, _, domain = contact.partition("@")
        return name[:1] + "***@" + domain
    return contact[:3] + "****" + contact[-4:]


def _code() -> str:
    return "QT" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def file_complaint(data: dict) -> ArrearsComplaint:
    problems = Problems()
    complainant, new_enterprise = resolve_counterparty(
        data.get("complainant_uscc"), data.get("complainant_name"), problems, field="complainant_uscc"
    )
    contact_name = _text(
        data.get("contact_name"), "contact_name", "联系人", problems, max_len=60, required=True
    )
    contact = _text(data.get("contact"), "contact", "联系方式", problems, max_len=100, required=True)
    if contact and contact_channel(contact) is None:
        problems.add("contact", "请填写11位手机号码（如 13800000000）或电子邮箱（如 name@example.com）")
    respondent_subject = find_government(data.get("respondent"))
    respondent = (
        Organisation.objects.filter(subject=respondent_subject).first() if respondent_subject else None
    )
    if respondent is None:
        problems.add(
            "respondent",
            f"被投诉单位「{data.get('respondent') or ''}」不在本区政府、部门名单中（可填简称，如 区住建局）",
        )
    amount = parse_money(data.get("amount"), "amount", "欠款金额", problems)
    if amount is not None and amount <= 0:
        problems.add("amount", "欠款金额应大于0")
    due_on = parse_date(data.get("due_on"), "due_on", "约定付款日期", problems)
    description = _text(
        data.get("description"), "description", "投诉事项", problems, max_len=2000, required=True
    )
    if description and len(description) < 10:
        problems.add("description", "请具体说明合同、应付款项和拖欠情况（至少10个字）")
    number = _text(data.get("contract_number"), "contract_number", "合同编号", problems, max_len=80)
    problems.raise_if_any("投诉信息有误，未提交")
    today = timezone.localdate()
    forward = due_date(today, mode="working", n=rules.int_value("complaint_forward_working_days"))
    decide = due_date(today, mode="calendar", n=rules.int_value("complaint_decide_days"))
    with transaction.atomic():
        if new_enterprise is not None:
            complainant = create_subject(new_enterprise)
        complaint = ArrearsComplaint.objects.create(
            tracking_code=_code(),
            complainant=complainant,
            contact_name=contact_name,
            contact_cipher=get_pii_cipher().encrypt(contact),
            contact_masked=_mask(contact),
            respondent=respondent,
            contract=GovContract.objects.filter(number=number).first() if number else None,
            contract_number=number,
            amount=amount,
            due_on=due_on,
            description=description,
            received_on=today,
            forward_by=forward.due,
            forward_explain=forward.explain(),
            decide_by=decide.due,
            decide_explain=decide.explain(),
        )
        handler = Organisation.objects.filter(short_name=HANDLER_UNIT).first()
        duty_services.register_duty(
            module=MODULE,
            kind="complaint_forward",
            obj=complaint,
            due=forward,
            title=f"拖欠账款投诉 {complaint.tracking_code} 转交",
            unit=handler,
        )
        duty_services.register_duty(
            module=MODULE,
            kind="complaint_decide",
            obj=complaint,
            due=decide,
            title=f"拖欠账款投诉 {complaint.tracking_code} 办结",
            unit=handler,
        )
        log_action(
            "govcredit.arrears_complaint.filed",
            obj=complaint,
            summary=f"{complainant.name}投诉{respondent.name}拖欠{amount:,.2f}元",
        )
    return complaint


def public_view(code: str) -> dict:
    complaint = (
        ArrearsComplaint.objects.select_related("respondent")
        .filter(tracking_code=(code or "").strip().upper()[:20])
        .first()
    )
    if complaint is None:
        raise NotFound("查询码不存在，请核对后重试")
    return {
        "tracking_code": complaint.tracking_code,
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "respondent": complaint.respondent.name,
        "received_on": complaint.received_on.isoformat(),
        "forward_by": complaint.forward_by.isoformat(),
        "decide_by": complaint.decide_by.isoformat(),
        "forwarded_on": complaint.forwarded_on.isoformat() if complaint.forwarded_on else None,
        "decided_on": complaint.decided_on.isoformat() if complaint.decided_on else None,
        "outcome": complaint.outcome or None,
        "outcome_note": complaint.outcome_note,
    }


def is_handler(access: Access) -> bool:
    return access.has_role(Role.CREDIT_OFFICE, Role.ADMIN) or any(
        m.organisation.short_name == HANDLER_UNIT for m in access.memberships
    )


def complaints_for(access: Access) -> QuerySet[ArrearsComplaint]:
    qs = ArrearsComplaint.objects.select_related("complainant", "respondent")
    if is_handler(access) or access.sees_everything:
        return qs
    return qs.filter(
        respondent_id__in=access.organisation_ids,
        status__in=(ComplaintStatus.FORWARDED, ComplaintStatus.DECIDED),
    )


def get_complaint_for_user(access: Access, pk: int) -> ArrearsComplaint:
    found = complaints_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("投诉不存在或不在您的权限范围内")
    return found


def filter_complaints(
    qs: QuerySet[ArrearsComplaint],
    *,
    status: str = "",
    unit_id: int | None = None,
    overdue: bool = False,
    text: str = "",
    today: dt.date | None = None,
) -> QuerySet[ArrearsComplaint]:
    """The list filters of the back office; ``overdue``: not forwarded by its 转交期限 or not decided
    by its 办结期限 (Art 25's 10 working days and 30 days)."""
    from django.db.models import Q

    today = today or timezone.localdate()
    if status in ComplaintStatus.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.exclude(status=ComplaintStatus.DECIDED)
    if unit_id:
        qs = qs.filter(respondent_id=unit_id)
    if overdue:
        qs = qs.filter(
            Q(status=ComplaintStatus.RECEIVED, forward_by__lt=today)
            | Q(status__in=(ComplaintStatus.RECEIVED, ComplaintStatus.FORWARDED), decide_by__lt=today)
        )
    if text:
        qs = qs.filter(
            Q(tracking_code__iexact=text)
            | Q(complainant__name__icontains=text)
            | Q(contract_number__icontains=text)
        )
    return qs.order_by("-received_on", "-id")


def awaiting_action(access: Access) -> int:
    """Complaints the user's unit must act on: the handler forwards and decides, nobody else acts."""
    if not is_handler(access):
        return 0
    return complaints_for(access).exclude(status=ComplaintStatus.DECIDED).count()


def staff_view(complaint: ArrearsComplaint, access: Access) -> dict:
    """The respondent sees the facts; only the handling department sees (masked) contact details."""
    handler = is_handler(access)
    out = public_view(complaint.tracking_code)
    out.update(
        {
            "id": complaint.pk,
            "complainant": complaint.complainant.name,
            "complainant_uscc": complaint.complainant.uscc,
            "contract_number": complaint.contract_number,
            "amount": str(complaint.amount),
            "due_on": complaint.due_on.isoformat() if complaint.due_on else None,
            "description": complaint.description,
            "arrears_case": complaint.arrears_case.code if complaint.arrears_case_id else None,
        }
    )
    if handler:
        out["contact_name"] = complaint.contact_name
        out["contact_masked"] = complaint.contact_masked
    return out


def forward(complaint: ArrearsComplaint, *, access: Access, on: dt.date | None = None) -> ArrearsComplaint:
    access.require(is_handler(access), "只有受理投诉的部门（区财政局）可以转交投诉")
    on = on or timezone.localdate()
    with transaction.atomic():
        if (
            ArrearsComplaint.objects.filter(pk=complaint.pk, status=ComplaintStatus.RECEIVED).update(
                status=ComplaintStatus.FORWARDED, forwarded_on=on
            )
            != 1
        ):
            raise Conflict("该投诉已转交或已办结")
        complaint.refresh_from_db()
        duty_services.fulfil_duty(complaint, on=on, kind="complaint_forward")
        log_action(
            "govcredit.arrears_complaint.forwarded",
            actor=access.user,
            obj=complaint,
            summary=f"{complaint.tracking_code} 转交{complaint.respondent.name}",
        )
    return complaint


def decide(complaint: ArrearsComplaint, *, outcome: str, note: str, access: Access) -> ArrearsComplaint:
    """Decide; a substantiated complaint opens an arrears case (source ``complaint``)."""
    access.require(is_handler(access), "只有受理投诉的部门（区财政局）可以办结投诉")
    problems = Problems()
    if outcome not in ComplaintOutcome.values:
        problems.add(
            "outcome",
            "办理结果应为：" + "、".join(f"{v}（{label}）" for v, label in ComplaintOutcome.choices),
        )
    note = _text(note, "note", "办理意见", problems, max_len=2000, required=True)
    problems.raise_if_any("办理信息有误")
    today = timezone.localdate()
    with transaction.atomic():
        locked = ArrearsComplaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status == ComplaintStatus.DECIDED:
            raise Conflict("该投诉已办结")
        locked.status = ComplaintStatus.DECIDED
        locked.decided_on = today
        locked.outcome = outcome
        locked.outcome_note = note
        if (
            outcome in (ComplaintOutcome.SUBSTANTIATED, ComplaintOutcome.PARTLY)
            and locked.arrears_case_id is None
        ):
            rate, source = rate_of(locked.contract)
            due = locked.due_on or locked.received_on
            case = ArrearsCase.objects.create(
                code=f"tmp-c{locked.pk}",
                source=ArrearsSource.COMPLAINT,
                contract=locked.contract,
                debtor=locked.respondent.subject,
                debtor_unit=locked.respondent,
                creditor=locked.complainant,
                amount=locked.amount,
                due_on=due,
                overdue_since=due + dt.timedelta(days=1),
                interest_rate_daily=rate,
                rate_source=source,
                opened_on=today,
                note=f"投诉{locked.tracking_code}核实：{note}"[:2000],
            )
            case.code = case_code(case.pk, today.year)
            case.save(update_fields=["code"])
            locked.arrears_case = case
        locked.save()
        duty_services.fulfil_duty(locked, on=today, kind="complaint_forward")
        duty_services.fulfil_duty(locked, on=today, kind="complaint_decide")
        duty_services.record_event(
            subject=locked.respondent.subject,
            dimension="守信践诺",
            indicator="arrears_complaint_substantiated",
            polarity="-" if outcome in (ComplaintOutcome.SUBSTANTIATED, ComplaintOutcome.PARTLY) else "fact",
            value=locked.amount,
            occurred_on=today,
            module=MODULE,
            obj=locked,
        )
        log_action(
            "govcredit.arrears_complaint.decided",
            actor=access.user,
            obj=locked,
            summary=f"{locked.tracking_code}：{locked.get_outcome_display()}",
        )
    return locked
