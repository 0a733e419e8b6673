"""Complaints and reports (投诉举报) about 政务失信 (policy （二十）, WAVE2 §7.1).

received → accepted | not_accepted(reason) → assigned → replied → visited(满意/基本满意/不满意) → closed,
or from a visit back to ``assigned`` (rework, same unit) or to another unit (reassigned). The category's
clock gives the deadline (a kernel duty, so the scanner's ladder sends 催办 and 督办). The respondent and
the handling unit never see who complained: the identity is encrypted, shown masked to the credit office
only, and unmasked only with the permission and an audit entry.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation, Role
from govcredit.accounts.permissions import Access
from govcredit.core.codes import mask_name
from govcredit.core.crypto import get_pii_cipher
from govcredit.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.disputes.notifications import contact_channel
from govcredit.duties import services as duty_services
from govcredit.duties.clock import Due, due_date
from govcredit.duties.models import Duty

from . import rules
from .common import MODULE, OFFICE_UNIT, Problems, find_unit, in_unit, is_office, text, unit_by_short
from .models import (
    OPEN_COMPLAINT_STATES,
    SATISFACTION_SCORE,
    Channel,
    Complaint,
    ComplaintCategory,
    ComplaintKind,
    ComplaintStatus,
    ComplaintStep,
    Satisfaction,
)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_PREFIX = "TS"
CODE_LENGTH = 12  # 32**12 = 2**60 possible codes: not guessable
DUTY_KIND = "complaint_handle"
FINDING_ITEMS = ("broken_commitment", "arrears", "contract_breach")

ACTIONS = {
    "govcredit.complaint.filed": "收到投诉举报",
    "govcredit.complaint.accepted": "受理投诉举报",
    "govcredit.complaint.not_accepted": "投诉举报不予受理",
    "govcredit.complaint.assigned": "交办投诉举报",
    "govcredit.complaint.replied": "答复投诉举报",
    "govcredit.complaint.visited": "回访投诉举报",
    "govcredit.complaint.closed": "办结投诉举报",
    "govcredit.complaint.rework": "投诉举报重新办理",
    "govcredit.complaint.substantiated": "投诉举报查实，提出失信线索",
    "govcredit.complaint.identity_revealed": "查看投诉人身份",
}
for _key, _label in ACTIONS.items():
    register_action(_key, _label)

STEP_LABELS = {
    "filed": "收到",
    "accepted": "受理",
    "not_accepted": "不予受理",
    "assigned": "交办",
    "reassigned": "改派",
    "replied": "答复",
    "visited": "回访",
    "rework": "重新办理",
    "closed": "办结",
    "substantiated": "查实",
}


def mask_contact(contact: str) -> str:
    if "@" in contact:
        name, _, domain = contact.partition("@")
        return name[:1] + "***@" + domain
    return contact[:3] + "****" + contact[-4:]


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str | None:
    code = (code or "").strip().upper()
    if len(code) != len(CODE_PREFIX) + CODE_LENGTH or not code.startswith(CODE_PREFIX):
        return None
    if any(ch not in ALPHABET for ch in code[len(CODE_PREFIX) :]):
        return None
    return code


def category_of(code) -> ComplaintCategory | None:
    code = str(code or "").strip()
    if not code:
        return None
    return (
        ComplaintCategory.objects.filter(active=True, code=code).first()
        or ComplaintCategory.objects.filter(active=True, name=code).first()
    )


def clock(category: ComplaintCategory, start: dt.date, *, extended: bool = False) -> Due:
    return due_date(
        start,
        mode=category.mode,  # type: ignore[arg-type]
        n=category.days,
        extension=category.extension_days if extended else 0,
    )


def _step(c: Complaint, action: str, *, note: str = "", public: bool = False, actor=None, unit=None):
    ComplaintStep.objects.create(
        complaint=c, action=action, status=c.status, note=note, public_note=public, actor=actor, unit=unit
    )


# -- filing --------------------------------------------------------------------------------------
def validate_filing(data: dict, problems: Problems, *, require_identity: bool = True) -> dict:
    """``require_identity=False`` for 12345 work orders: the hotline keeps the caller's details."""
    kind = data.get("kind") or ComplaintKind.COMPLAINT
    if kind not in ComplaintKind.values:
        problems.add("kind", "类型应为 complaint（投诉）或 report（举报）")
        kind = ComplaintKind.COMPLAINT
    anonymous = bool(data.get("anonymous"))
    if anonymous and kind != ComplaintKind.REPORT:
        problems.add("anonymous", "只有举报可以匿名；投诉请留下姓名和联系方式，便于答复和回访")
    category = category_of(data.get("category"))
    if category is None:
        names = "、".join(f"{c.code}（{c.name}）" for c in ComplaintCategory.objects.filter(active=True))
        problems.add("category", f"请选择类别：{names}")
    respondent = find_unit(data.get("respondent"))
    if respondent is None:
        problems.add(
            "respondent",
            f"被投诉单位「{str(data.get('respondent') or '')[:40]}」不在本区政府、部门名单中（可填简称，如 区住建局）",
        )
    content = text(data.get("content"), "content", "反映内容", problems, max_len=4000, required=True)
    if content and len(content) < 10:
        problems.add("content", "请具体说明单位、时间和失信情况（至少10个字）")
    need = require_identity and not anonymous
    name = text(data.get("name"), "name", "姓名", problems, max_len=40, required=need)
    contact = text(data.get("contact"), "contact", "联系方式", problems, max_len=100, required=need)
    if contact and contact_channel(contact) is None:
        problems.add("contact", "请填写11位手机号码（如 13800000000）或电子邮箱（如 name@example.com）")
    if anonymous and (name or contact):
        name = contact = ""  # an anonymous report keeps no identity even if one was typed
    return {
        "kind": kind,
        "anonymous": anonymous,
        "category": category,
        "respondent": respondent,
        "content": content,
        "name": name,
        "contact": contact,
    }


def _create(
    clean: dict, *, channel: str, received_on: dt.date, external_no: str = "", actor=None
) -> Complaint:
    due = clock(clean["category"], received_on)
    cipher = get_pii_cipher()
    c = Complaint.objects.create(
        tracking_code=new_code(),
        kind=clean["kind"],
        channel=channel,
        external_no=external_no,
        category=clean["category"],
        respondent=clean["respondent"],
        content=clean["content"],
        anonymous=clean["anonymous"],
        name_cipher=cipher.encrypt(clean["name"]) if clean["name"] else "",
        name_masked=mask_name(clean["name"]) if clean["name"] else "",
        contact_cipher=cipher.encrypt(clean["contact"]) if clean["contact"] else "",
        contact_masked=mask_contact(clean["contact"]) if clean["contact"] else "",
        received_on=received_on,
        deadline=due.due,
        deadline_explain=due.explain(),
    )
    duty_services.register_duty(
        module=MODULE,
        kind=DUTY_KIND,
        obj=c,
        due=due,
        title=f"{c.get_kind_display()} {c.tracking_code}（{c.category.name}）办理答复",
        unit=unit_by_short(OFFICE_UNIT),
        subject=c.respondent.subject,
    )
    _step(c, "filed", note=f"渠道：{c.get_channel_display()}", actor=actor)
    log_action(
        "govcredit.complaint.filed",
        actor=actor,
        obj=c,
        summary=f"{c.tracking_code}：{c.get_kind_display()}{c.respondent.name}（{c.category.name}）",
        after={"category": c.category.code, "channel": channel, "deadline": c.deadline},
    )
    return c


def file_complaint(data: dict, *, channel: str = Channel.PORTAL, actor=None) -> Complaint:
    """Filed on the portal (or by staff for a letter); answers with the tracking code and deadline."""
    problems = Problems()
    clean = validate_filing(data, problems)
    problems.raise_if_any("投诉举报信息有误，未提交")
    with transaction.atomic():
        return _create(clean, channel=channel, received_on=timezone.localdate(), actor=actor)


# -- public tracking ----------------------------------------------------------------------------
def get_by_code(code: str) -> Complaint:
    normal = normalise_code(code)
    c = (
        Complaint.objects.select_related("category", "respondent", "assigned_unit")
        .filter(tracking_code=normal)
        .first()
        if normal
        else None
    )
    if c is None:
        raise NotFound("查询码不存在，请核对后重试（查询码以 TS 开头，共14位）")
    return c


def public_view(code: str) -> dict:
    """What the complainant sees with the code: no names of staff, no identity, the public notes."""
    c = get_by_code(code)
    return {
        "tracking_code": c.tracking_code,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "category": c.category.name,
        "status": c.status,
        "status_label": c.get_status_display(),
        "respondent": c.respondent.name,
        "received_on": c.received_on.isoformat(),
        "deadline": c.deadline.isoformat(),
        "not_accepted_reason": c.not_accepted_reason or None,
        "reply": c.reply or None,
        "replied_on": c.replied_on.isoformat() if c.replied_on else None,
        "satisfaction": c.satisfaction or None,
        "history": [
            {
                "step": s.action,
                "label": STEP_LABELS.get(s.action, s.action),
                "status": s.status,
                "on": timezone.localtime(s.at).date().isoformat(),
                "note": s.note if s.public_note else "",
            }
            for s in c.steps.all()
        ],
    }


# -- scope ---------------------------------------------------------------------------------------
def may_view(access: Access) -> bool:
    return bool(access.roles)


def complaints_for(access: Access) -> QuerySet[Complaint]:
    """The credit office and staff-wide roles all; a unit the complaints assigned to it (it replies)
    and those about it once assigned (it must know, never who complained)."""
    qs = Complaint.objects.select_related("category", "respondent", "assigned_unit")
    if not access.roles:
        return qs.none()
    if is_office(access) or access.sees_everything:
        return qs
    ids = access.organisation_ids
    return qs.filter(Q(assigned_unit_id__in=ids) | Q(respondent_id__in=ids)).exclude(
        status__in=(ComplaintStatus.RECEIVED, ComplaintStatus.NOT_ACCEPTED)
    )


def get_complaint(access: Access, pk) -> Complaint:
    c = complaints_for(access).filter(pk=pk).first()
    if c is None:
        raise NotFound("投诉举报不存在或不在您的查看范围内")
    return c


def sees_identity(access: Access) -> bool:
    """Only the credit office handles the complainant (masked); units never see who complained."""
    return is_office(access)


def duty_of(c: Complaint) -> Duty | None:
    return (
        Duty.objects.filter(
            module=MODULE, kind=DUTY_KIND, object_type="supervision.complaint", object_id=c.pk
        )
        .order_by("-pk")
        .first()
    )


def staff_view(c: Complaint, access: Access, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    out = {
        "id": c.pk,
        "tracking_code": c.tracking_code,
        "kind": c.kind,
        "channel": c.channel,
        "external_no": c.external_no or None,
        "category": c.category.code,
        "category_label": c.category.name,
        "respondent": c.respondent.name,
        "content": c.content,
        "status": c.status,
        "received_on": c.received_on.isoformat(),
        "deadline": c.deadline.isoformat(),
        "overdue": c.status in OPEN_COMPLAINT_STATES and c.deadline < today,
        "assigned_unit": c.assigned_unit.name if c.assigned_unit_id else None,
        "assigned_on": c.assigned_on.isoformat() if c.assigned_on else None,
        "reply": c.reply or None,
        "replied_on": c.replied_on.isoformat() if c.replied_on else None,
        "replied_late": c.replied_late,
        "satisfaction": c.satisfaction or None,
        "substantiated": c.substantiated,
        "finding_id": c.finding_id,
        "rework_count": c.rework_count,
    }
    if sees_identity(access):
        out["anonymous"] = c.anonymous
        out["complainant_masked"] = c.name_masked or None
        out["contact_masked"] = c.contact_masked or None
    return out


def reveal_identity(c: Complaint, access: Access) -> dict:
    """The unmasked name and contact, for the credit office's own callback; permission + audit."""
    access.require(
        is_office(access) and access.can_unmask, "只有具备查看个人信息权限的信用办人员可以查看投诉人身份"
    )
    if c.anonymous:
        raise Conflict("匿名举报没有留存身份信息")
    cipher = get_pii_cipher()
    log_action(
        "govcredit.complaint.identity_revealed",
        actor=access.user,
        obj=c,
        summary=f"查看 {c.tracking_code} 投诉人身份",
    )
    return {
        "name": cipher.decrypt(c.name_cipher) if c.name_cipher else "",
        "contact": cipher.decrypt(c.contact_cipher) if c.contact_cipher else "",
    }


# -- transitions ---------------------------------------------------------------------------------
def _require_office(access: Access, what: str) -> None:
    access.require(is_office(access), f"只有信用办可以{what}")


def _move(c: Complaint, from_states, **changes) -> Complaint:
    """Compare-and-swap on the status: a concurrent change answers 409, never a double step."""
    changes["updated_at"] = timezone.now()
    if Complaint.objects.filter(pk=c.pk, status__in=from_states).update(**changes) != 1:
        current = Complaint.objects.filter(pk=c.pk).values_list("status", flat=True).first()
        label = ComplaintStatus(current).label if current else "未知"
        raise Conflict(f"投诉举报当前状态为「{label}」，不能执行此操作")
    c.refresh_from_db()
    return c


def accept(c: Complaint, *, access: Access, note: str = "") -> Complaint:
    _require_office(access, "受理投诉举报")
    problems = Problems()
    note = text(note, "note", "受理意见", problems, max_len=500)
    problems.raise_if_any("受理信息有误")
    with transaction.atomic():
        c = _move(
            c, (ComplaintStatus.RECEIVED,), status=ComplaintStatus.ACCEPTED, accepted_on=timezone.localdate()
        )
        _step(c, "accepted", note=note, actor=access.user)
        log_action(
            "govcredit.complaint.accepted", actor=access.user, obj=c, summary=f"{c.tracking_code} 受理"
        )
    return c


def not_accept(c: Complaint, *, access: Access, reason: str) -> Complaint:
    _require_office(access, "决定不予受理")
    problems = Problems()
    reason = text(reason, "reason", "不予受理理由", problems, max_len=500, required=True)
    problems.raise_if_any("请说明不予受理的理由")
    with transaction.atomic():
        c = _move(
            c,
            (ComplaintStatus.RECEIVED,),
            status=ComplaintStatus.NOT_ACCEPTED,
            not_accepted_reason=reason,
            closed_on=timezone.localdate(),
        )
        duty_services.cancel_duty(c, kind=DUTY_KIND, reason=f"不予受理：{reason}"[:300], key="")
        _step(c, "not_accepted", note=reason, public=True, actor=access.user)
        log_action(
            "govcredit.complaint.not_accepted",
            actor=access.user,
            obj=c,
            summary=f"{c.tracking_code}：{reason[:150]}",
        )
    return c


def _unit(value, problems: Problems) -> Organisation | None:
    if isinstance(value, Organisation):
        return value
    unit = find_unit(value)
    if unit is None:
        problems.add(
            "unit", f"承办单位「{str(value or '')[:40]}」不在本区单位名单中（可填简称，如 区住建局）"
        )
    return unit


def _duty_key(c: Complaint) -> str:
    return f"r{c.rework_count}" if c.rework_count else ""


def assign(c: Complaint, *, access: Access, unit=None, note: str = "") -> Complaint:
    """交办 to the handling unit (default: the respondent itself); the deadline stays the category's."""
    _require_office(access, "交办投诉举报")
    problems = Problems()
    target = _unit(unit, problems) if unit not in (None, "") else c.respondent
    note = text(note, "note", "交办意见", problems, max_len=500)
    problems.raise_if_any("交办信息有误")
    with transaction.atomic():
        c = _move(
            c,
            (ComplaintStatus.ACCEPTED,),
            status=ComplaintStatus.ASSIGNED,
            assigned_unit=target,
            assigned_on=timezone.localdate(),
        )
        _register(c, due_on=c.deadline, explain=c.deadline_explain)
        _step(c, "assigned", note=note, actor=access.user, unit=target)
        log_action(
            "govcredit.complaint.assigned",
            actor=access.user,
            obj=c,
            summary=f"{c.tracking_code} 交办{target.name}",
        )
    return c


def _register(c: Complaint, *, due_on: dt.date, explain: str) -> None:
    due = Due(
        due=due_on,
        start=c.assigned_on or c.received_on,
        mode="calendar",
        n=0,
        skipped_holidays=(),
        estimated=False,
    )
    duty = duty_services.register_duty(
        module=MODULE,
        kind=DUTY_KIND,
        obj=c,
        key=_duty_key(c),
        due=due,
        title=f"{c.get_kind_display()} {c.tracking_code}（{c.category.name}）办理答复",
        unit=c.assigned_unit,
        subject=c.respondent.subject,
    )
    if duty.explain != explain and explain:
        Duty.objects.filter(pk=duty.pk).update(explain=explain)


def reply(c: Complaint, *, access: Access, text_: str, substantiated: bool = False) -> Complaint:
    """The handling unit answers; on time or late becomes an integrity event of that unit."""
    if not in_unit(access, c.assigned_unit_id):
        raise PermissionDenied("只有承办单位可以答复该投诉举报")
    problems = Problems()
    body = text(text_, "reply", "答复内容", problems, max_len=4000, required=True)
    if body and len(body) < 10:
        problems.add("reply", "请写明核查情况和处理结果（至少10个字）")
    problems.raise_if_any("答复信息有误")
    today = timezone.localdate()
    late = today > c.deadline
    with transaction.atomic():
        c = _move(
            c,
            (ComplaintStatus.ASSIGNED,),
            status=ComplaintStatus.REPLIED,
            reply=body,
            replied_on=today,
            replied_late=late,
            substantiated=bool(substantiated) or c.substantiated,
        )
        duty_services.fulfil_duty(c, on=today, kind=DUTY_KIND, key=_duty_key(c))
        subject = c.assigned_unit.subject if c.assigned_unit and c.assigned_unit.subject_id else None
        if subject is not None:
            duty_services.record_event(
                subject=subject,
                dimension="勤政高效",
                indicator="complaint_replied_late" if late else "complaint_replied_on_time",
                polarity="-" if late else "+",
                value=(today - c.deadline).days if late else 1,
                occurred_on=today,
                module=MODULE,
                obj=c,
                key=_duty_key(c) or "r0",
            )
        _step(c, "replied", note=body, public=True, actor=access.user, unit=c.assigned_unit)
        log_action(
            "govcredit.complaint.replied",
            actor=access.user,
            obj=c,
            summary=f"{c.tracking_code} 答复" + ("（逾期）" if late else ""),
        )
    return c


def visit(c: Complaint, *, access: Access, satisfaction: str, note: str = "") -> Complaint:
    """回访: the credit office asks the complainant; the answer becomes an integrity event."""
    _require_office(access, "回访")
    problems = Problems()
    if satisfaction not in Satisfaction.values:
        problems.add(
            "satisfaction", "满意度应为 satisfied（满意）、basic（基本满意）或 unsatisfied（不满意）"
        )
    note = text(note, "note", "回访记录", problems, max_len=500)
    problems.raise_if_any("回访信息有误")
    today = timezone.localdate()
    with transaction.atomic():
        c = _move(
            c,
            (ComplaintStatus.REPLIED,),
            status=ComplaintStatus.VISITED,
            satisfaction=satisfaction,
            visited_on=today,
        )
        subject = c.assigned_unit.subject if c.assigned_unit and c.assigned_unit.subject_id else None
        if subject is not None:
            duty_services.record_event(
                subject=subject,
                dimension="勤政高效",
                indicator="complaint_satisfaction",
                polarity="fact",
                value=SATISFACTION_SCORE[satisfaction],
                occurred_on=today,
                module=MODULE,
                obj=c,
                key=f"r{c.rework_count}",
            )
        _step(
            c,
            "visited",
            note=f"{Satisfaction(satisfaction).label}。{note}".strip("。")
            if note
            else Satisfaction(satisfaction).label,
            actor=access.user,
        )
        log_action(
            "govcredit.complaint.visited",
            actor=access.user,
            obj=c,
            summary=f"{c.tracking_code} 回访：{Satisfaction(satisfaction).label}",
        )
    return c


def close(c: Complaint, *, access: Access, note: str = "") -> Complaint:
    _require_office(access, "办结投诉举报")
    problems = Problems()
    note = text(note, "note", "办结意见", problems, max_len=500)
    problems.raise_if_any("办结信息有误")
    with transaction.atomic():
        c = _move(
            c,
            (ComplaintStatus.VISITED, ComplaintStatus.REPLIED),
            status=ComplaintStatus.CLOSED,
            closed_on=timezone.localdate(),
        )
        _step(c, "closed", note=note, public=bool(note), actor=access.user)
        log_action("govcredit.complaint.closed", actor=access.user, obj=c, summary=f"{c.tracking_code} 办结")
    return c


def rework(c: Complaint, *, access: Access, reason: str, unit=None) -> Complaint:
    """Back to a unit for a new answer (the same unit: 重办; another: 改派) with a new time limit."""
    _require_office(access, "要求重新办理")
    problems = Problems()
    reason = text(reason, "reason", "重新办理的理由", problems, max_len=500, required=True)
    target = _unit(unit, problems) if unit not in (None, "") else c.assigned_unit
    problems.raise_if_any("重新办理信息有误")
    today = timezone.localdate()
    due = due_date(today, mode="working", n=rules.value("rework_working_days"))
    reassigned = target is not None and target.pk != c.assigned_unit_id
    with transaction.atomic():
        c = _move(
            c,
            (ComplaintStatus.VISITED, ComplaintStatus.REPLIED),
            status=ComplaintStatus.ASSIGNED,
            assigned_unit=target,
            assigned_on=today,
            deadline=due.due,
            deadline_explain=due.explain(),
            rework_count=c.rework_count + 1,
            reply="",
            replied_on=None,
            replied_late=False,
            satisfaction="",
            visited_on=None,
        )
        _register(c, due_on=c.deadline, explain=c.deadline_explain)
        _step(
            c,
            "reassigned" if reassigned else "rework",
            note=reason,
            public=True,
            actor=access.user,
            unit=target,
        )
        log_action(
            "govcredit.complaint.rework",
            actor=access.user,
            obj=c,
            summary=f"{c.tracking_code} {'改派' + target.name if reassigned else '重新办理'}：{reason[:100]}",
        )
    return c


def substantiate(c: Complaint, *, access: Access, item: str, severity: str = "general", facts: str = ""):
    """A complaint found substantiated proposes a record through a finding (the complaint as evidence);
    the credit office's reviewers decide it like any record (four-eyes stays in records)."""
    from govcredit.catalog.models import CatalogItem

    _require_office(access, "认定投诉举报查实")
    problems = Problems()
    if item not in FINDING_ITEMS:
        problems.add(
            "item",
            "信息类别应为 broken_commitment（未履行承诺）、arrears（拖欠账款）或 contract_breach（合同违约）",
        )
    facts = text(facts, "facts", "失信事实", problems, max_len=2000) or ""
    if c.status not in (ComplaintStatus.REPLIED, ComplaintStatus.VISITED, ComplaintStatus.CLOSED):
        problems.add("status", "投诉举报答复后才能认定查实")
    if c.finding_id:
        raise Conflict("该投诉举报已认定查实并提出失信线索")
    if c.respondent.subject_id is None:
        problems.add("respondent", "被投诉单位未登记为主体，无法提出失信记录")
    problems.raise_if_any("不能认定查实")
    catalog = CatalogItem.objects.filter(code=item).prefetch_related("source_units").first()
    units = list(catalog.source_units.all()) if catalog else []
    office = unit_by_short(OFFICE_UNIT)
    source = office if (not units or office in units) else units[0]
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=c.pk)
        if locked.finding_id:
            raise Conflict("该投诉举报已认定查实并提出失信线索")
        finding = duty_services.open_finding(
            module=MODULE,
            rule="complaint_substantiated",
            obj=locked,
            subject=c.respondent.subject,
            source_unit=source,
            item=item,
            severity=severity,
            facts=facts
            or f"{c.get_kind_display()}（查询码 {c.tracking_code}，{c.category.name}）经核查属实：{c.content[:1500]}",
            legal_basis="周政发〔2018〕26号（二十）：建立健全政务失信投诉举报机制，查实的政务失信行为纳入政务失信记录",
            evidence={
                "complaint": c.tracking_code,
                "category": c.category.name,
                "reply": c.reply[:1000],
                "replied_on": c.replied_on.isoformat() if c.replied_on else "",
            },
            prefix="SUP",
            actor=access.user,
        )
        Complaint.objects.filter(pk=c.pk).update(
            substantiated=True, finding=finding, updated_at=timezone.now()
        )
        c.refresh_from_db()
        _step(c, "substantiated", note=f"提出失信线索 {finding.document_no}", actor=access.user)
        log_action(
            "govcredit.complaint.substantiated",
            actor=access.user,
            obj=c,
            summary=f"{c.tracking_code} 查实：{finding.document_no}",
            after={"finding_id": finding.pk, "item": item},
        )
    return finding


def overdue(access: Access, as_of: dt.date | None = None) -> QuerySet[Complaint]:
    as_of = as_of or timezone.localdate()
    return (
        complaints_for(access)
        .filter(status__in=OPEN_COMPLAINT_STATES, deadline__lt=as_of)
        .order_by("deadline", "pk")
    )


def role_of(access: Access) -> str:
    if is_office(access):
        return "office"
    if access.has_role(Role.AUDITOR):
        return "auditor"
    return "unit"


__all__ = [
    "ValidationFailed",
    "accept",
    "assign",
    "close",
    "complaints_for",
    "file_complaint",
    "get_complaint",
    "not_accept",
    "overdue",
    "public_view",
    "reply",
    "rework",
    "staff_view",
    "substantiate",
    "visit",
]
