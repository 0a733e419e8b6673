"""依申请公开: the rules of 《政府信息公开条例》 Art 30–33 and 36 on the kernel's duty clock.

- the date of receipt follows Art 31 (in person: that day; registered mail: the day it is signed for;
  ordinary mail, the internet and fax: the day receipt is confirmed);
- the reply is due 20 working days after receipt (Art 33), the receipt day not counted;
- 补正 (Art 30): one notice within 7 working days of receipt; the clock stops and the 20 days start
  again from the day the 补正 arrives;
- third-party consultation (Art 32): the time it takes is not counted (a pause);
- one extension of at most 20 working days with the approver's name (Art 33); a second is refused;
- the reply is one of the seven types of Art 36.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.accounts.models import Role as AccountRole
from govcredit.accounts.permissions import Access
from govcredit.contracts.services import Problems, _text, parse_choice, parse_date
from govcredit.core import public_version
from govcredit.core.calendar import office_calendar
from govcredit.core.crypto import get_pii_cipher
from govcredit.core.errors import Conflict, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.workdays import format_cn_date
from govcredit.duties import services as duty_services
from govcredit.duties.clock import Due, Pause, due_date

from .models import Channel, InfoRequest, ReplyType, RequestEvent, RequestStatus

MODULE = "openinfo"
MANAGER_UNIT = "区政府办公室"  # 政府信息公开工作主管部门 of the district (条例第三条)
REPLY_WORKING_DAYS = 20  # 条例第三十三条第二款 ✅
MAX_EXTENSION = 20  # 条例第三十三条第二款 ✅
CLARIFY_WITHIN = 7  # 条例第三十条 ✅
BASIS = "《中华人民共和国政府信息公开条例》"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
OPEN_STATES = (RequestStatus.RECEIVED, RequestStatus.CLARIFYING, RequestStatus.THIRD_PARTY)

for _key, _label in {
    "govcredit.openinfo.filed": "收到政府信息公开申请",
    "govcredit.openinfo.received": "确认收到政府信息公开申请",
    "govcredit.openinfo.clarify": "政府信息公开申请补正通知",
    "govcredit.openinfo.resume": "收到补正，重新起算答复期限",
    "govcredit.openinfo.third_party": "政府信息公开申请征求第三方意见",
    "govcredit.openinfo.extend": "延长政府信息公开答复期限",
    "govcredit.openinfo.reply": "答复政府信息公开申请",
}.items():
    register_action(_key, _label)


EARLIEST = dt.date(2000, 1, 1)


def _pdate(value, field: str, label: str, problems: Problems, *, required: bool = False) -> dt.date | None:
    """``parse_date`` bounded to the years the platform can hold (2000 to next year)."""
    day = parse_date(value, field, label, problems, required=required)
    if day is not None and not EARLIEST <= day <= dt.date(timezone.localdate().year + 1, 12, 31):
        problems.add(field, f"{label}（{day.isoformat()}）超出有效范围（2000年至明年）")
        return None
    return day


# -- scope -----------------------------------------------------------------------------------------
def sees_all(access: Access) -> bool:
    return access.sees_everything or any(
        m.organisation.short_name == MANAGER_UNIT for m in access.memberships
    )


def may_view(access: Access) -> bool:
    return bool(access.roles)


def requests_for(access: Access) -> QuerySet[InfoRequest]:
    qs = InfoRequest.objects.select_related("unit")
    if not access.roles:
        return qs.none()
    if sees_all(access):
        return qs
    return qs.filter(unit_id__in=access.organisation_ids)


def get_request_for_user(access: Access, pk) -> InfoRequest:
    found = requests_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("政府信息公开申请不存在或不在您的查看范围内")
    return found


def can_handle(access: Access, req: InfoRequest) -> bool:
    if access.has_role(AccountRole.ADMIN, AccountRole.CREDIT_OFFICE):
        return True
    return any(
        m.role == AccountRole.CLERK
        and (m.organisation_id == req.unit_id or m.organisation.short_name == MANAGER_UNIT)
        for m in access.memberships
    )


def units() -> QuerySet[Organisation]:
    """The organs a request can be addressed to: units that are government or department subjects."""
    return Organisation.objects.filter(subject__kind__in=("government", "department")).order_by("name")


def _today() -> dt.date:
    return timezone.localdate()


def _code() -> str:
    return "GK" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def _mask(contact: str) -> str:
    if len(contact) <= 4:
        return "*" * len(contact)
    return contact[:3] + "*" * (len(contact) - 5) + contact[-2:]


def _event(req: InfoRequest, action: str, on: dt.date, note: str = "") -> None:
    RequestEvent.objects.create(request=req, action=action, on=on, note=note[:500])


# -- the clock -------------------------------------------------------------------------------------
def clock_of(req: InfoRequest) -> Due | None:
    """The reply's due date: 20 working days from the clock start, third-party time not counted, plus
    the extension; None before receipt; ``Due.due`` None while paused."""
    if req.clock_start is None:
        return None
    pauses = []
    if req.third_party_from:
        pauses.append(Pause(req.third_party_from, req.third_party_to, "征求第三方意见"))
    if req.status == RequestStatus.CLARIFYING:
        pauses.append(Pause(req.clarify_on, None, "等待申请人补正"))
    return due_date(
        req.clock_start,
        mode="working",
        n=REPLY_WORKING_DAYS,
        pauses=pauses,
        extension=req.extension_days,
    )


def _retime(req: InfoRequest) -> None:
    """Store the due date and keep the kernel duty in step (cancelled while the clock is stopped)."""
    due = clock_of(req)
    if due is None or due.due is None:
        req.due_on = None
        req.due_explain = due.explain() if due else ""
        duty_services.cancel_duty(req, reason="答复期限暂停计算", kind="reply")
        return
    req.due_on, req.due_explain = due.due, due.explain()
    subject = getattr(req.unit, "subject", None)
    duty_services.register_duty(
        module=MODULE,
        kind="reply",
        obj=req,
        due=due,
        title=f"答复政府信息公开申请 {req.tracking_code}",
        unit=req.unit,
        subject=subject,
    )


def received_date(
    channel: str, submitted: dt.date, signed_or_confirmed: dt.date | None
) -> tuple[dt.date | None, str]:
    """条例第三十一条."""
    if channel == Channel.IN_PERSON:
        return submitted, "当面提交的，以提交之日为收到申请之日（条例第三十一条第一项）"
    if channel == Channel.REGISTERED_MAIL:
        return (
            signed_or_confirmed,
            "以邮寄方式提交的，以行政机关签收之日为收到申请之日（条例第三十一条第二项）",
        )
    if channel == Channel.ORDINARY_MAIL:
        return signed_or_confirmed, "平常信函提交的，以与申请人确认之日为收到申请之日（条例第三十一条第二项）"
    return (
        signed_or_confirmed,
        "通过互联网渠道或者传真提交的，以双方确认之日为收到申请之日（条例第三十一条第三项）",
    )


# -- filing ----------------------------------------------------------------------------------------
def _clean_filing(data: dict, problems: Problems) -> dict:
    unit = None
    unit_text = str(data.get("unit") or "").strip()
    if data.get("unit_id"):
        unit = units().filter(pk=data.get("unit_id")).first()
    elif unit_text:
        unit = units().filter(Q(short_name=unit_text) | Q(name=unit_text)).first()
    if unit is None:
        problems.add("unit", "请选择受理申请的行政机关（可填简称，如 区住建局）")
    return {
        "unit": unit,
        "applicant": _text(
            data.get("applicant"), "applicant", "申请人", problems, max_len=100, required=True
        ),
        "contact": _text(data.get("contact"), "contact", "联系方式", problems, max_len=100, required=True),
        "description": _text(
            data.get("description"),
            "description",
            "所需政府信息的描述",
            problems,
            max_len=5000,
            required=True,
        ),
        "form": _text(data.get("form"), "form", "获取信息的方式", problems, max_len=60),
    }


def _create(clean: dict, *, channel: str, submitted: dt.date, actor=None) -> InfoRequest:
    contact = clean.pop("contact")
    req = InfoRequest.objects.create(
        tracking_code=_code(),
        channel=channel,
        submitted_on=submitted,
        contact_cipher=get_pii_cipher().encrypt(contact),
        contact_masked=_mask(contact),
        **clean,
    )
    _event(req, "filed", submitted, Channel(channel).label)
    log_action(
        "govcredit.openinfo.filed",
        actor=actor,
        obj=req,
        summary=f"{req.tracking_code}：{req.unit.name}收到政府信息公开申请（{Channel(channel).label}）",
    )
    return req


def file_online(data: dict) -> InfoRequest:
    """A request through 信用周村: it waits until the organ confirms receipt (Art 31(三))."""
    problems = Problems()
    clean = _clean_filing(data, problems)
    problems.raise_if_any("申请信息有误，未提交")
    with transaction.atomic():
        return _create(clean, channel=Channel.ONLINE, submitted=_today())


def register_request(data: dict, *, access: Access) -> InfoRequest:
    """A request that arrived in person, by mail or fax, registered by the organ with its dates."""
    problems = Problems()
    clean = _clean_filing(data, problems)
    channel = parse_choice(data.get("channel"), "channel", "提交方式", Channel, problems)
    submitted = _pdate(data.get("submitted_on"), "submitted_on", "提交日期", problems, required=True)
    confirmed = _pdate(data.get("received_on"), "received_on", "签收或确认日期", problems)
    today = _today()
    if submitted and submitted > today:
        problems.add("submitted_on", "提交日期不能晚于今天")
    if confirmed and confirmed > today:
        problems.add("received_on", "签收或确认日期不能晚于今天")
    if submitted and confirmed and confirmed < submitted:
        problems.add(
            "received_on", f"签收或确认日期（{confirmed.isoformat()}）早于提交日期（{submitted.isoformat()}）"
        )
    if channel and channel != Channel.IN_PERSON and not confirmed:
        problems.add("received_on", "邮寄、传真、互联网提交的申请，请填写签收或确认日期（条例第三十一条）")
    problems.raise_if_any("申请信息有误，未保存")
    probe = InfoRequest(unit=clean["unit"])
    probe.unit_id = clean["unit"].pk
    access.require(can_handle(access, probe), "您只能登记本机关收到的政府信息公开申请")
    with transaction.atomic():
        req = _create(clean, channel=channel, submitted=submitted, actor=access.user)
        received, why = received_date(channel, submitted, confirmed)
        _start(req, received, why, actor=access.user)
    return req


def _start(req: InfoRequest, received: dt.date, why: str, *, actor) -> None:
    req.received_on, req.received_explain, req.clock_start = received, why[:300], received
    req.status = RequestStatus.RECEIVED
    _retime(req)
    req.save()
    _event(req, "received", received, why)
    log_action(
        "govcredit.openinfo.received",
        actor=actor,
        obj=req,
        summary=f"{req.tracking_code} 收到申请日 {received.isoformat()}，答复期限 {req.due_on}",
    )


def _locked(req: InfoRequest, access: Access) -> InfoRequest:
    access.require(can_handle(access, req), "您没有办理该申请的权限")
    return InfoRequest.objects.select_for_update().select_related("unit").get(pk=req.pk)


def _on(data: dict, field: str, label: str, *, after: dt.date | None, after_label: str = "") -> dt.date:
    problems = Problems()
    day = _pdate(data.get(field), field, label, problems) or _today()
    if day > _today():
        problems.add(field, f"{label}不能晚于今天")
    if after and day < after:
        problems.add(field, f"{label}（{day.isoformat()}）不能早于{after_label}（{after.isoformat()}）")
    problems.raise_if_any(f"{label}有误")
    return day


def confirm_receipt(req: InfoRequest, data: dict, *, access: Access) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req, access)
        if req.status != RequestStatus.AWAITING_CONFIRMATION:
            raise Conflict("该申请已确认收到")
        on = _on(data, "received_on", "确认日期", after=req.submitted_on, after_label="提交日期")
        _start(req, on, received_date(req.channel, req.submitted_on, on)[1], actor=access.user)
    return req


def clarify(req: InfoRequest, data: dict, *, access: Access) -> InfoRequest:
    """条例第三十条: one notice, within 7 working days of receipt; the clock stops."""
    what = (str(data.get("what") or "")).strip()
    if not what:
        raise ValidationFailed(
            "请写明需要补正的事项", field_errors={"what": ["请写明需要补正的事项和合理的补正期限"]}
        )
    with transaction.atomic():
        req = _locked(req, access)
        if req.status != RequestStatus.RECEIVED:
            raise Conflict(f"申请当前状态为「{req.get_status_display()}」，不能发出补正通知")
        if req.clarify_on:
            raise Conflict("补正通知应当一次性告知，该申请已经发出过补正通知（条例第三十条）")
        on = _on(data, "on", "补正通知日期", after=req.received_on, after_label="收到申请日期")
        limit = office_calendar().add_working_days(req.received_on, CLARIFY_WITHIN).due
        if on > limit:
            raise ValidationFailed(
                "补正通知超过期限",
                field_errors={
                    "on": [
                        f"补正通知应在收到申请之日起{CLARIFY_WITHIN}个工作日内（{limit.isoformat()}前）发出（条例第三十条）"
                    ]
                },
            )
        req.clarify_on, req.clarify_what, req.status = on, what[:5000], RequestStatus.CLARIFYING
        _retime(req)
        req.save()
        _event(req, "clarify", on, what)
        log_action(
            "govcredit.openinfo.clarify", actor=access.user, obj=req, summary=f"{req.tracking_code} 补正通知"
        )
    return req


def resume(req: InfoRequest, data: dict, *, access: Access) -> InfoRequest:
    """The 补正 arrived: the 20 working days start again from that day (条例第三十条)."""
    with transaction.atomic():
        req = _locked(req, access)
        if req.status != RequestStatus.CLARIFYING:
            raise Conflict("申请不在补正中")
        on = _on(data, "on", "收到补正日期", after=req.clarify_on, after_label="补正通知日期")
        req.clarified_on, req.clock_start, req.status = on, on, RequestStatus.RECEIVED
        _retime(req)
        req.save()
        _event(req, "resume", on, f"收到补正，答复期限自{format_cn_date(on)}重新计算")
        log_action(
            "govcredit.openinfo.resume", actor=access.user, obj=req, summary=f"{req.tracking_code} 收到补正"
        )
    return req


def consult_third_party(req: InfoRequest, data: dict, *, access: Access) -> InfoRequest:
    """条例第三十二条: the time the third party takes is not counted."""
    with transaction.atomic():
        req = _locked(req, access)
        if req.status != RequestStatus.RECEIVED:
            raise Conflict(f"申请当前状态为「{req.get_status_display()}」，不能征求第三方意见")
        if req.third_party_from:
            raise Conflict("该申请已经征求过第三方意见")
        on = _on(data, "on", "征求意见日期", after=req.clock_start, after_label="答复期限起算日")
        req.third_party_from, req.status = on, RequestStatus.THIRD_PARTY
        _retime(req)
        req.save()
        _event(req, "third_party", on, str(data.get("note") or "")[:300])
        log_action(
            "govcredit.openinfo.third_party",
            actor=access.user,
            obj=req,
            summary=f"{req.tracking_code} 征求第三方意见",
        )
    return req


def third_party_answered(req: InfoRequest, data: dict, *, access: Access) -> InfoRequest:
    with transaction.atomic():
        req = _locked(req, access)
        if req.status != RequestStatus.THIRD_PARTY:
            raise Conflict("申请不在征求第三方意见中")
        on = _on(data, "on", "第三方答复日期", after=req.third_party_from, after_label="征求意见日期")
        req.third_party_to, req.status = on, RequestStatus.RECEIVED
        _retime(req)
        req.save()
        _event(req, "third_party_done", on, "第三方意见期间不计入答复期限")
        log_action(
            "govcredit.openinfo.third_party",
            actor=access.user,
            obj=req,
            summary=f"{req.tracking_code} 第三方已答复",
        )
    return req


def extend(req: InfoRequest, data: dict, *, access: Access) -> InfoRequest:
    """条例第三十三条: once, at most 20 working days, approved by the 机构负责人."""
    problems = Problems()
    days = data.get("days")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_EXTENSION:
        problems.add("days", f"延长期限应为1至{MAX_EXTENSION}个工作日（条例第三十三条）")
    approver = _text(
        data.get("approver"),
        "approver",
        "批准人（政府信息公开工作机构负责人）",
        problems,
        max_len=100,
        required=True,
    )
    reason = _text(data.get("reason"), "reason", "延长理由", problems, max_len=300, required=True)
    problems.raise_if_any("延长答复期限的信息有误，未保存")
    with transaction.atomic():
        req = _locked(req, access)
        if req.extension_days:
            raise Conflict(
                f"答复期限已经延长过一次（{req.extension_days}个工作日），不能再次延长（条例第三十三条）"
            )
        if req.status not in (RequestStatus.RECEIVED, RequestStatus.THIRD_PARTY):
            raise Conflict(f"申请当前状态为「{req.get_status_display()}」，不能延长答复期限")
        if req.due_on and req.due_on < _today():
            raise Conflict(f"答复期限已于{format_cn_date(req.due_on)}届满，不能再延长")
        req.extension_days, req.extension_approver, req.extension_reason = days, approver, reason
        _retime(req)
        req.save()
        _event(req, "extend", _today(), f"延长{days}个工作日（{approver}同意）：{reason}")
        log_action(
            "govcredit.openinfo.extend",
            actor=access.user,
            obj=req,
            summary=f"{req.tracking_code} 延长{days}个工作日",
        )
    return req


def reply(req: InfoRequest, data: dict, *, access: Access) -> InfoRequest:
    problems = Problems()
    reply_type = parse_choice(
        data.get("reply_type"), "reply_type", "答复类型（条例第三十六条）", ReplyType, problems
    )
    text = _text(data.get("text"), "text", "答复内容", problems, max_len=20000, required=True)
    problems.raise_if_any("答复信息有误，未保存")
    with transaction.atomic():
        req = _locked(req, access)
        if req.status == RequestStatus.REPLIED:
            raise Conflict("该申请已经答复")
        if req.status not in (RequestStatus.RECEIVED,):
            raise Conflict(f"申请当前状态为「{req.get_status_display()}」，不能答复")
        on = _on(data, "on", "答复日期", after=req.received_on, after_label="收到申请日期")
        req.reply_type, req.reply_text, req.replied_on, req.status = (
            reply_type,
            text,
            on,
            RequestStatus.REPLIED,
        )
        req.save()
        duty_services.fulfil_duty(req, on=on, kind="reply")
        late = req.due_on is not None and on > req.due_on
        _event(req, "reply", on, ReplyType(reply_type).label + ("（逾期）" if late else ""))
        subject = getattr(req.unit, "subject", None)
        if subject is not None:
            duty_services.record_event(
                subject=subject,
                dimension="政务公开",
                indicator="info_request_late" if late else "info_request_on_time",
                polarity="-" if late else "+",
                value=office_calendar().working_days_between(req.due_on, on) if late else 1,
                occurred_on=on,
                module=MODULE,
                obj=req,
            )
        public_version.bump()
        log_action(
            "govcredit.openinfo.reply",
            actor=access.user,
            obj=req,
            summary=f"{req.tracking_code} 答复：{ReplyType(reply_type).label}" + ("（逾期）" if late else ""),
        )
    return req


# -- overdue ---------------------------------------------------------------------------------------
def overdue(qs: QuerySet[InfoRequest], as_of: dt.date) -> QuerySet[InfoRequest]:
    return qs.filter(status__in=OPEN_STATES, due_on__lt=as_of)


def open_overdue_finding(req: InfoRequest, *, as_of: dt.date):
    subject = getattr(req.unit, "subject", None)
    if subject is None:
        return None
    days = office_calendar().working_days_between(req.due_on, as_of)
    with transaction.atomic():
        finding = duty_services.open_finding(
            module=MODULE,
            rule="reply_overdue",
            obj=req,
            subject=subject,
            source_unit=Organisation.objects.get(short_name=MANAGER_UNIT),
            item="disclosure_violation",
            severity="general",
            facts=(
                f"{req.unit.name}于{format_cn_date(req.received_on)}收到政府信息公开申请（查询码 {req.tracking_code}），"
                f"答复期限{format_cn_date(req.due_on)}（{req.due_explain}），截至{format_cn_date(as_of)}已逾期{days}个工作日未答复。"
            ),
            legal_basis=f"{BASIS}第三十三条、第四十七条；周政发〔2018〕26号（五）",
            evidence={"tracking_code": req.tracking_code, "due_on": req.due_on, "as_of": as_of},
            prefix="GK",
        )
        duty_services.record_event(
            subject=subject,
            dimension="政务公开",
            indicator="info_request_overdue",
            polarity="-",
            value=days,
            occurred_on=as_of,
            module=MODULE,
            obj=req,
        )
    return finding


# -- views -----------------------------------------------------------------------------------------
def public_view(req: InfoRequest) -> dict:
    return {
        "tracking_code": req.tracking_code,
        "unit": req.unit.name,
        "status": req.status,
        "status_label": req.get_status_display(),
        "submitted_on": req.submitted_on.isoformat(),
        "received_on": req.received_on.isoformat() if req.received_on else None,
        "deadline": req.due_on.isoformat() if req.due_on else None,
        "deadline_explain": req.due_explain,
        "extension_days": req.extension_days,
        "reply_type": req.reply_type or None,
        "replied_on": req.replied_on.isoformat() if req.replied_on else None,
        "history": [{"action": e.action, "on": e.on.isoformat(), "note": e.note} for e in req.events.all()],
    }


def staff_view(req: InfoRequest) -> dict:
    return {
        **public_view(req),
        "id": req.pk,
        "applicant": req.applicant,
        "contact": req.contact_masked,
        "description": req.description,
        "channel": req.channel,
        "received_explain": req.received_explain,
        "clarify_on": req.clarify_on.isoformat() if req.clarify_on else None,
        "clarified_on": req.clarified_on.isoformat() if req.clarified_on else None,
        "extension_approver": req.extension_approver,
        "reply_text": req.reply_text,
        "overdue": req.status in OPEN_STATES and req.due_on is not None and req.due_on < _today(),
    }


def find_by_code(code: str) -> InfoRequest:
    req = (
        InfoRequest.objects.select_related("unit")
        .filter(tracking_code=(code or "").strip().upper()[:20])
        .first()
    )
    if req is None:
        raise NotFound("查询码不存在，请核对后重试")
    return req
