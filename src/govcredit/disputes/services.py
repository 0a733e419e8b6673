"""Objections and repair applications: filing, eligibility, working-day clocks, decisions.

Every change goes through a function here: it checks the state and the actor's rights, changes the
case inside one transaction (with a compare-and-swap on the status), writes the case history, an
audit entry and the notifications, and applies the outcome to the credit record through the record
services (``open_objection``, ``close_objection``, ``correct_record``, ``revoke_record``,
``repair_record``), which announce ``record_changed`` to sanctions and the municipal outbox.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.core.calendar import office_calendar
from govcredit.core.crypto import sm3_hex
from govcredit.core.errors import Conflict, CreditError, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.uploads import check_uploads
from govcredit.core.workdays import WorkingDayCalendar, format_cn_date
from govcredit.records import services as record_services
from govcredit.records.models import LIVE_STATUSES, CreditRecord, Status
from govcredit.records.selectors import public_records, records_for

from . import notifications
from .clock import BASIS, ClockView, paused_working_days, step_deadline, time_limit
from .models import (
    EVENT_LABELS,
    OBJECTION_OUTCOMES,
    OPEN_STATUSES,
    REPAIR_OUTCOMES,
    RUNNING_STATUSES,
    CaseEvent,
    CaseEvidence,
    CaseKind,
    CasePause,
    CaseStatus,
    Channel,
    DisputeCase,
    Outcome,
    Step,
)

ACTIONS = EVENT_LABELS
for _key, _label in ACTIONS.items():
    register_action(f"govcredit.dispute.{_key}", f"异议与修复：{_label}")

MAX_FILES = 10
# A 查询码 is now the 受理编号 plus six characters from an alphabet without look-alikes (32**6 ≈ 10**9
# per number, against 20 look-ups per address in 10 minutes): YY20261203-0042-K7QX9M, case-insensitive.
RECEIPT_PREFIX = {"objection": "YY", "repair": "XF"}
CHECK_CHARS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CHECK_LENGTH = 6
RECEIPT_RE = re.compile(r"^(YY|XF)\d{8}-\d{4,}$")
NEW_CODE_RE = re.compile(r"^(YY|XF)\d{8}-\d{4,}-[2-9A-HJ-NP-Z]{6}$")
LOOKUP_LIMIT = 20  # lookups per IP …
LOOKUP_WINDOW = 600  # … per 10 minutes
DUE_SOON_WORKING_DAYS = 2


class TooManyRequests(CreditError):
    status_code = 429


class NotEligible(ValidationFailed):
    """A repair application refused by the eligibility check; ``earliest`` when waiting would help."""

    def __init__(self, message: str, *, reasons: list[str], earliest: dt.date | None):
        super().__init__(message)
        self.reasons = reasons
        self.earliest = earliest


@dataclass
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)
    earliest: dt.date | None = None

    def message(self) -> str:
        if self.eligible:
            return "该记录符合信用修复申请条件。"
        text = "该记录暂不符合信用修复条件：" + "；".join(self.reasons) + "。"
        if self.earliest:
            text += f"最早可于 {self.earliest.isoformat()}（{format_cn_date(self.earliest)}）提出申请。"
        else:
            text += "目前无法确定可申请的日期。"
        return text


# -- reading -------------------------------------------------------------------------------------


def cases_for(access: Access) -> QuerySet[DisputeCase]:
    """Cases this user may see: staff-wide roles all; a source unit's clerks the cases on its records;
    a recorded unit's users the cases on its own records."""
    qs = DisputeCase.objects.select_related(
        "record", "record__source_unit", "record__item", "record__subject"
    )
    if access.user is None:
        return qs.none()
    if access.sees_everything:
        return qs
    condition = Q(pk__in=[])
    clerk_units = {m.organisation_id for m in access.memberships if m.role == Role.CLERK}
    if clerk_units:
        condition |= Q(record__source_unit_id__in=clerk_units)
    own_subjects = access.subject_ids_of_own_units()
    if own_subjects:
        condition |= Q(record__subject_id__in=own_subjects)
    return qs.filter(condition)


def get_case_for_user(access: Access, pk) -> DisputeCase:
    try:
        return cases_for(access).get(pk=int(pk))
    except (DisputeCase.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("案件不存在或您无权查看") from exc


def may_handle(access: Access, case: DisputeCase) -> bool:
    """Decisions only by the record's source unit (its clerks) or the credit office."""
    if access.user is None:
        return False
    if access.has_role(Role.CREDIT_OFFICE, Role.REVIEWER):
        return True
    return any(
        m.role == Role.CLERK and m.organisation_id == case.record.source_unit_id for m in access.memberships
    )


def require_handler(access: Access, case: DisputeCase) -> None:
    if not may_handle(access, case):
        raise PermissionDenied(
            f"只有该记录的报送单位（{case.record.source_unit}）或信用办工作人员可以办理此案件，您无权操作"
        )


def clock_of(case: DisputeCase, cal: WorkingDayCalendar | None = None) -> ClockView | None:
    if case.status == CaseStatus.DECIDED:
        return None
    cal = cal or office_calendar()
    deadline = step_deadline(cal, case.step_started_on, case.step_days, case.paused_days)
    return ClockView(
        deadline=deadline,
        paused_days=case.paused_days,
        basis=BASIS[(case.kind, case.step)],
        paused_now=case.status == CaseStatus.RETURNED,
    )


def due_soon_until(today: dt.date, cal: WorkingDayCalendar | None = None) -> dt.date:
    """The last day a running case's deadline counts as "due soon" (two working days ahead)."""
    return (cal or office_calendar()).add_working_days(today, DUE_SOON_WORKING_DAYS).due


def due_state(case: DisputeCase, today: dt.date | None = None, cal: WorkingDayCalendar | None = None) -> str:
    """ "overdue", "soon" (within two working days), "ok", "paused" or "" (decided)."""
    if case.status == CaseStatus.DECIDED or case.due_on is None:
        return ""
    if case.status == CaseStatus.RETURNED:
        return "paused"
    today = today or timezone.localdate()
    if case.due_on < today:
        return "overdue"
    cal = cal or office_calendar()
    if cal.working_days_between(today, case.due_on) <= DUE_SOON_WORKING_DAYS:
        return "soon"
    return "ok"


# -- input checks --------------------------------------------------------------------------------


def _clean_text(value, field_name: str, label: str, *, required=True, max_len=2000, min_len=0) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationFailed(f"请填写{label}", field_errors={field_name: [f"请填写{label}"]})
    if len(text) > max_len:
        raise ValidationFailed(
            f"{label}过长", field_errors={field_name: [f"{label}不能超过{max_len}个字，当前{len(text)}个字"]}
        )
    if text and len(text) < min_len:
        raise ValidationFailed(
            f"{label}过短", field_errors={field_name: [f"{label}至少{min_len}个字，请说明具体情况"]}
        )
    return text


class _Checks:
    """Run every input check of a filing and report all their errors together (a form shows each at its
    field at once, instead of one per submission)."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}
        self.failures: list[ValidationFailed] = []

    def run(self, check, *args, **kwargs):
        try:
            return check(*args, **kwargs)
        except ValidationFailed as exc:
            self.failures.append(exc)
            for name, messages in (exc.field_errors or {"__all__": [exc.message]}).items():
                self.errors.setdefault(name, []).extend(messages)
            return None

    def fail(self, field_name: str, message: str, summary: str = "") -> None:
        self.failures.append(ValidationFailed(summary or message, field_errors={field_name: [message]}))
        self.errors.setdefault(field_name, []).append(message)

    def raise_any(self) -> None:
        if len(self.failures) == 1:  # one problem: its own message
            raise self.failures[0]
        if self.errors:
            count = sum(len(m) for m in self.errors.values())
            raise ValidationFailed(f"申请有{count}处需要修改", field_errors=self.errors)


def _clean_contact(value) -> str:
    contact = _clean_text(value, "contact", "联系方式", max_len=100)
    if notifications.contact_channel(contact) is None:
        raise ValidationFailed(
            "联系方式格式不正确",
            field_errors={
                "contact": ["请填写11位手机号码（如 13800000000）或电子邮箱（如 name@example.com）"]
            },
        )
    return contact


def check_evidence(files) -> list[tuple[str, bytes]]:
    """Validate uploaded files (name, bytes) with the one upload check (``core.uploads``); the errors
    of every bad file are reported together."""
    return check_uploads(files, field="evidence", message="申请材料不符合要求", max_files=MAX_FILES)


def _save_evidence(case: DisputeCase, files: list[tuple[str, bytes]]) -> None:
    for name, content in files:
        ev = CaseEvidence(case=case)
        ev.store(name, content)
        ev.save()


def _record_id(value) -> int:
    try:
        pk = int(str(value).strip())
        if pk <= 0 or pk > 2**62:
            raise ValueError
        return pk
    except (TypeError, ValueError):
        raise ValidationFailed(
            "记录编号不正确", field_errors={"record_id": ["记录编号应为正整数，可在记录公示页面查看"]}
        ) from None


def _record_for_filing(record_id, access: Access | None, *, what: str) -> CreditRecord:
    pk = _record_id(record_id)
    if access is not None and access.user is not None:
        qs = records_for(access).filter(status__in=LIVE_STATUSES)
    else:
        qs = public_records()
    record = qs.filter(pk=pk).first()
    if record is None:
        raise NotFound(f"未找到编号为 {pk} 的公示中信用记录（记录不存在或已不再公示），不能提出{what}")
    return record


def has_open_case(record: CreditRecord) -> bool:
    return DisputeCase.objects.filter(record=record, status__in=OPEN_STATUSES).exists()


def _refuse_duplicate(record: CreditRecord) -> None:
    open_case = DisputeCase.objects.filter(record=record, status__in=OPEN_STATUSES).first()
    if open_case is not None:
        raise Conflict(
            f"该记录已有一件正在办理的{open_case.get_kind_display()}申请"
            f"（{open_case.received_on:%Y-%m-%d} 提交），请勿重复申请；可凭原查询码查看进度"
        )


def _event(case, action, *, actor=None, note="", public=True, at=None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        action=action,
        status=case.status,
        note=note,
        public=public,
        actor=actor,
    )


def _audit(case: DisputeCase, action: str, *, actor=None, summary="", before=None, after=None) -> None:
    log_action(
        f"govcredit.dispute.{action}",
        actor=actor,
        obj=case,
        summary=f"{case.get_kind_display()} #{case.pk}（{case.record.document_no}）{ACTIONS[action]}"
        + (f"：{summary}" if summary else ""),
        before=before,
        after=after if after is not None else {"status": case.status, "step": case.step},
    )


def _start_step(case: DisputeCase, step: str, on: dt.date, cal: WorkingDayCalendar) -> None:
    case.step = step
    case.step_started_on = on
    case.step_days = time_limit(case.kind, step)
    case.paused_days = 0
    _refresh_due(case, cal)


def _refresh_due(case: DisputeCase, cal: WorkingDayCalendar) -> None:
    deadline = step_deadline(cal, case.step_started_on, case.step_days, case.paused_days)
    case.due_on = deadline.due
    case.due_estimated = deadline.estimated


def _cas(case: DisputeCase, expected, **changes) -> None:
    """Compare-and-swap on the case status: a second handler gets a clear Conflict."""
    changes["updated_at"] = timezone.now()
    updated = DisputeCase.objects.filter(pk=case.pk, status__in=expected).update(**changes)
    if updated != 1:
        current = DisputeCase.objects.filter(pk=case.pk).values_list("status", flat=True).first()
        label = CaseStatus(current).label if current else "不存在"
        raise Conflict(f"案件已被他人处理，当前状态为「{label}」，请刷新后查看")
    for key, value in changes.items():
        setattr(case, key, value)


def _moment(today: dt.date | None) -> dt.datetime:
    """Now, or (for back-dated demo data and tests) 10:00 Beijing time on ``today``."""
    if today is None or today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(today, dt.time(10, 0)))


def _late_now(case: DisputeCase, today: dt.date) -> bool:
    return case.due_on is not None and today > case.due_on


def _advance(
    case: DisputeCase, from_status: str, to_status: str, step: str, today: dt.date, cal: WorkingDayCalendar
) -> None:
    """Move to the next status and start the next step's clock; a late current step stays on record."""
    late = _late_now(case, today)
    _start_step(case, step, today, cal)
    _cas(
        case,
        (from_status,),
        status=to_status,
        step=case.step,
        step_started_on=case.step_started_on,
        step_days=case.step_days,
        paused_days=0,
        due_on=case.due_on,
        due_estimated=case.due_estimated,
        was_late=case.was_late or late,
    )


# -- commitment ----------------------------------------------------------------------------------

COMMITMENT_TEMPLATE = """信用承诺书

本人/本单位（{applicant}）就{subject}被记录的信用信息「{item}」（决定文书号：{document_no}，决定机关：{decided_by}）申请信用修复，郑重承诺如下：

一、已按照处理决定全面履行了法定义务和约定义务，已纠正失信行为，并已采取措施挽回损失、消除不良影响、防止危害扩大；
二、所提交的申请材料真实、准确、完整，不存在隐瞒、虚构或伪造；
三、严格遵守法律法规和信用承诺，不再发生同类失信行为；
四、如违反上述承诺，愿意承担相应法律责任，同意将违背承诺的情况记入信用记录并予以公示，信用修复决定可依法撤销。

承诺人：{applicant}
承诺日期：{date}
"""


def commitment_text(record: CreditRecord, applicant: str, on: dt.date) -> str:
    return COMMITMENT_TEMPLATE.format(
        applicant=applicant or "________",
        subject=record.subject.display_name,
        item=record.item.name,
        document_no=record.document_no,
        decided_by=record.decided_by,
        date=format_cn_date(on),
    )


# -- eligibility ---------------------------------------------------------------------------------


def repeat_records(record: CreditRecord) -> QuerySet[CreditRecord]:
    """Other negative records of the same subject and item for an act decided after this one, inside
    this record's display window, that were published (and not revoked): the subject did it again."""
    qs = (
        CreditRecord.objects.filter(subject_id=record.subject_id, item_id=record.item_id)
        .exclude(pk=record.pk)
        .filter(published_at__isnull=False, decided_on__gt=record.decided_on)
        .exclude(status=Status.REVOKED)
    )
    if record.publish_until:
        qs = qs.filter(decided_on__lte=record.publish_until)
    return qs


def repair_eligibility(record: CreditRecord, today: dt.date | None = None) -> Eligibility:
    today = today or timezone.localdate()
    reasons: list[str] = []
    earliest: dt.date | None = None
    blocked_for_good = False
    if not record.item.negative:
        reasons.append(f"「{record.item.name}」是守信信息，无需修复")
        blocked_for_good = True
    elif not record.item.repairable:
        reasons.append(f"目录事项「{record.item.name}」依规定不可信用修复")
        blocked_for_good = True
    if record.status == Status.UNDER_OBJECTION:
        reasons.append("该记录正在异议处理中，请待异议办结后再申请")
        blocked_for_good = True
    elif record.status != Status.PUBLISHED:
        reasons.append(f"该记录当前状态为「{record.get_status_display()}」，不在公示中，无需修复")
        blocked_for_good = True
    if record.repairable_from and record.repairable_from > today:
        reasons.append(
            f"最短公示期尚未届满（自决定日期 {record.decided_on.isoformat()} 起算，"
            f"至 {record.repairable_from.isoformat()} 方可申请）"
        )
        earliest = record.repairable_from
    repeat = repeat_records(record).order_by("decided_on").first()
    if record.item.negative and repeat is not None:
        reasons.append(f"同一主体在本记录公示期内再次被记录同类失信信息（文书号「{repeat.document_no}」）")
        blocked_for_good = True
    if blocked_for_good:
        earliest = None
    return Eligibility(eligible=not reasons, reasons=reasons, earliest=earliest)


def require_eligible(record: CreditRecord, today: dt.date | None = None) -> None:
    result = repair_eligibility(record, today)
    if not result.eligible:
        raise NotEligible(result.message(), reasons=result.reasons, earliest=result.earliest)


# -- filing --------------------------------------------------------------------------------------


def _create_case(
    *, kind, record, applicant, contact, channel, access, now, files, filed: str, summary: str, **extra
) -> DisputeCase:
    """Save a filed case with its material, write its history and audit entry (``filed`` names what
    was filed, ``summary`` ends the audit entry) and tell the applicant and the handlers."""
    today = timezone.localdate(now)
    cal = office_calendar()
    case = DisputeCase(
        kind=kind,
        record=record,
        status=CaseStatus.RECEIVED,
        channel=channel,
        applicant=applicant,
        contact=contact,
        filed_by=access.user if access is not None else None,
        received_at=now,
        received_on=today,
        **extra,
    )
    _start_step(case, Step.ACCEPT, today, cal)
    _save_numbered(case, today)
    _save_evidence(case, files)
    _event(case, "filed", actor=case.filed_by, note=f"提交{filed}，附材料{len(files)}份", at=now)
    _audit(case, "filed", actor=case.filed_by, summary=summary)
    notifications.notify_applicant(
        case,
        "filed",
        f"已于{format_cn_date(case.received_on)}收到。受理编号：{case.receipt_no}，查询码：{case.tracking_code}。"
        f"我们将于{format_cn_date(case.due_on)}前决定是否受理。",
    )
    notifications.notify_handlers(
        case,
        "filed",
        f"收到新的{case.get_kind_display()}申请，请于{format_cn_date(case.due_on)}前决定是否受理。",
    )
    return case


def _next_receipt_no(kind: str, today: dt.date) -> str:
    prefix = f"{RECEIPT_PREFIX[kind]}{today:%Y%m%d}-"
    last = (
        DisputeCase.objects.filter(receipt_no__startswith=prefix)
        .order_by("-receipt_no")
        .values_list("receipt_no", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _save_numbered(case: DisputeCase, today: dt.date) -> None:
    """Save a new case with the day's next 受理编号 (two filings at once: the later one draws again)."""
    for _ in range(5):
        case.receipt_no = _next_receipt_no(case.kind, today)
        case.tracking_code = f"{case.receipt_no}-" + "".join(
            secrets.choice(CHECK_CHARS) for _ in range(CHECK_LENGTH)
        )
        try:
            with transaction.atomic():
                case.save(force_insert=True)
            return
        except IntegrityError as exc:  # two filings for the same record at once: one wins
            if has_open_case(case.record):
                raise Conflict("该记录已有一件正在办理的异议或修复申请，请勿重复申请") from exc
            case.pk = None
    raise Conflict("同时提交的申请较多，请稍后重试")


def file_objection(
    *,
    record_id,
    applicant: str,
    contact: str,
    reason: str,
    files=(),
    channel: str = Channel.PORTAL,
    access: Access | None = None,
    now: dt.datetime | None = None,
) -> DisputeCase:
    """File an objection against a record that is public (or, in the back office, in the user's scope)."""
    now = now or timezone.now()
    checks = _Checks()
    applicant = checks.run(_clean_text, applicant, "applicant", "申请人姓名或单位名称", max_len=100)
    contact = checks.run(_clean_contact, contact)
    reason = checks.run(_clean_text, reason, "reason", "异议理由", max_len=2000, min_len=5)
    files = checks.run(check_evidence, files)
    checks.raise_any()
    record = _record_for_filing(record_id, access, what="异议")
    with transaction.atomic():
        _refuse_duplicate(record)
        case = _create_case(
            kind=CaseKind.OBJECTION,
            record=record,
            applicant=applicant,
            contact=contact,
            channel=channel,
            access=access,
            now=now,
            files=files,
            filed="异议申请",
            summary=f"渠道：{Channel(channel).label}",
            reason=reason,
        )
    return case


def file_repair(
    *,
    record_id,
    applicant: str,
    contact: str,
    measures_taken: str,
    obligations_fulfilled: bool,
    commitment_confirmed: bool,
    files=(),
    require_files: bool = True,
    channel: str = Channel.PORTAL,
    access: Access | None = None,
    now: dt.datetime | None = None,
) -> DisputeCase:
    """File a repair application; refused with the reason (and the earliest date) when not eligible."""
    now = now or timezone.now()
    checks = _Checks()
    applicant = checks.run(_clean_text, applicant, "applicant", "申请人姓名或单位名称", max_len=100)
    contact = checks.run(_clean_contact, contact)
    measures_taken = checks.run(
        _clean_text, measures_taken, "measures_taken", "已采取的纠正措施", max_len=2000, min_len=5
    )
    if obligations_fulfilled is not True:
        checks.fail(
            "obligations_fulfilled",
            "申请信用修复须已全面履行处理决定确定的义务，请勾选声明",
            "请声明已履行法定义务",
        )
    if commitment_confirmed is not True:
        checks.fail("commitment_confirmed", "请阅读并确认信用承诺书内容", "请确认信用承诺书")
    files = checks.run(check_evidence, files)
    if require_files and files is not None and not files:
        checks.fail(
            "evidence",
            "请上传已履行义务、纠正失信行为的证明材料（PDF、OFD、JPG、PNG）",
            "请上传履行义务的证明材料",
        )
    checks.raise_any()
    record = _record_for_filing(record_id, access, what="信用修复申请")
    today = timezone.localdate(now)
    with transaction.atomic():
        _refuse_duplicate(record)
        require_eligible(record, today)
        text = commitment_text(record, applicant, today)
        digest = sm3_hex(text)
        case = _create_case(
            kind=CaseKind.REPAIR,
            record=record,
            applicant=applicant,
            contact=contact,
            channel=channel,
            access=access,
            now=now,
            files=files,
            filed="信用修复申请及信用承诺书",
            summary=f"承诺书 SM3 {digest[:16]}…",
            measures_taken=measures_taken,
            obligations_fulfilled=True,
            commitment_text=text,
            commitment_digest=digest,
        )
    return case


# -- handling ------------------------------------------------------------------------------------


def _lock(case: DisputeCase, expected, refusal: str) -> DisputeCase:
    """The case, locked for the change; Conflict with ``refusal`` (``{status}`` is the current
    status) unless its status is one of ``expected``."""
    case = (
        DisputeCase.objects.select_for_update()
        .select_related("record", "record__source_unit", "record__item", "record__subject")
        .get(pk=case.pk)
    )
    if case.status not in expected:
        raise Conflict(refusal.format(status=case.get_status_display()))
    return case


def accept_case(
    case: DisputeCase, *, access: Access, note: str = "", today: dt.date | None = None
) -> DisputeCase:
    """Accept: an objection marks the record 异议处理中 (it stays public); the clock of forwarding starts."""
    require_handler(access, case)
    today = today or timezone.localdate()
    cal = office_calendar()
    with transaction.atomic():
        case = _lock(case, (CaseStatus.RECEIVED,), "只有待受理的案件可以受理，当前状态为「{status}」")
        _advance(case, CaseStatus.RECEIVED, CaseStatus.ACCEPTED, Step.FORWARD, today, cal)
        if case.kind == CaseKind.OBJECTION:
            record_services.open_objection(
                case.record,
                access=access,
                reason=f"受理异议申请（案件 #{case.pk}）" + (f"：{note}" if note else ""),
            )
        else:
            require_eligible(case.record, today)
        _event(case, "accepted", actor=access.user, note=note.strip() or "申请已受理", at=_moment(today))
        _audit(case, "accepted", actor=access.user, summary=note.strip())
        tail = "，记录已标注“异议处理中”" if case.kind == CaseKind.OBJECTION else ""
        notifications.notify_applicant(case, "accepted", f"已于{format_cn_date(today)}受理{tail}。")
    return case


def forward_case(
    case: DisputeCase, *, access: Access, note: str = "", today: dt.date | None = None
) -> DisputeCase:
    """Forward to the source unit for verification (核查): the clock of the decision starts."""
    require_handler(access, case)
    today = today or timezone.localdate()
    cal = office_calendar()
    with transaction.atomic():
        case = _lock(case, (CaseStatus.ACCEPTED,), "只有已受理的案件可以转交核查，当前状态为「{status}」")
        _advance(case, CaseStatus.ACCEPTED, CaseStatus.VERIFYING, Step.DECIDE, today, cal)
        _event(
            case,
            "forwarded",
            actor=access.user,
            note=note.strip() or f"已转交{case.record.source_unit}核查",
            at=_moment(today),
        )
        _audit(case, "forwarded", actor=access.user, summary=note.strip())
        notifications.notify_handlers(
            case, "forwarded", f"案件已转交核查，请于{format_cn_date(case.due_on)}前作出决定。"
        )
    return case


def return_case(
    case: DisputeCase, *, access: Access, request: str, today: dt.date | None = None
) -> DisputeCase:
    """Return the case to the applicant for more material: the clock stops until they answer."""
    require_handler(access, case)
    request = _clean_text(request, "request", "需补正的材料及理由", max_len=2000)
    today = today or timezone.localdate()
    with transaction.atomic():
        case = _lock(case, RUNNING_STATUSES, "案件当前状态为「{status}」，不能退回补正")
        previous = case.status
        _cas(case, RUNNING_STATUSES, status=CaseStatus.RETURNED, resume_status=previous)
        CasePause.objects.create(
            case=case, step=case.step, started_on=today, request=request, requested_by=access.user
        )
        _event(case, "returned", actor=access.user, note=request, at=_moment(today))
        _audit(case, "returned", actor=access.user, summary=request[:200])
        notifications.notify_applicant(
            case, "returned", f"需要补正材料：{request}办理计时暂停，请通过查询页面提交补正材料后恢复计时。"
        )
    return case


def resume_case(
    case: DisputeCase,
    *,
    answer: str,
    files=(),
    access: Access | None = None,
    today: dt.date | None = None,
) -> DisputeCase:
    """The applicant answered (on the portal, or a handler records the answer): the clock resumes and
    the deadline moves by the working days the case waited."""
    if access is not None:
        require_handler(access, case)
    answer = _clean_text(answer, "answer", "补正说明", max_len=2000)
    files = check_evidence(files)
    today = today or timezone.localdate()
    cal = office_calendar()
    with transaction.atomic():
        case = _lock(case, (CaseStatus.RETURNED,), "案件目前不需要补正材料")
        pause = case.pauses.filter(ended_on__isnull=True).order_by("-started_on", "-id").first()
        waited = 0
        if pause is not None:
            waited = paused_working_days(cal, pause.started_on, today)
            pause.ended_on = today
            pause.working_days = waited
            pause.answer = answer
            pause.save(update_fields=["ended_on", "working_days", "answer"])
        case.paused_days += waited
        _refresh_due(case, cal)
        _cas(
            case,
            (CaseStatus.RETURNED,),
            status=case.resume_status or CaseStatus.RECEIVED,
            resume_status="",
            paused_days=case.paused_days,
            due_on=case.due_on,
            due_estimated=case.due_estimated,
        )
        _save_evidence(case, files)
        actor = access.user if access is not None else None
        _event(
            case,
            "resumed",
            actor=actor,
            note=f"{answer}（补充材料{len(files)}份；暂停{waited}个工作日，办理期限顺延至{case.due_on:%Y-%m-%d}）",
            at=_moment(today),
        )
        _audit(case, "resumed", actor=actor, summary=f"暂停{waited}个工作日")
        notifications.notify_handlers(
            case, "resumed", f"申请人已补正材料，计时恢复，办理期限顺延至{format_cn_date(case.due_on)}。"
        )
    return case


def _handling_days(case: DisputeCase, today: dt.date, cal: WorkingDayCalendar) -> int:
    paused = sum(p.working_days for p in case.pauses.all())
    return max(cal.working_days_between(case.received_on, today) - paused, 0)


def refuse_case(
    case: DisputeCase, *, access: Access, reason: str, today: dt.date | None = None
) -> DisputeCase:
    """不予受理: the case ends without touching the record."""
    require_handler(access, case)
    reason = _clean_text(reason, "reason", "不予受理的理由", max_len=2000)
    return _finish(
        case,
        access=access,
        outcome=Outcome.NOT_ACCEPTED,
        reason=reason,
        today=today,
        expected=(CaseStatus.RECEIVED,),
    )


def decide_case(
    case: DisputeCase,
    *,
    access: Access,
    outcome: str,
    reason: str,
    corrections: dict | None = None,
    today: dt.date | None = None,
) -> DisputeCase:
    """Decide an accepted case and apply the outcome to the record (one transaction)."""
    require_handler(access, case)
    allowed = OBJECTION_OUTCOMES if case.kind == CaseKind.OBJECTION else REPAIR_OUTCOMES
    if outcome not in allowed:
        choices = "、".join(Outcome(o).label for o in allowed)
        raise ValidationFailed("办理结果不正确", field_errors={"outcome": [f"请选择办理结果：{choices}"]})
    reason = _clean_text(reason, "reason", "决定理由", max_len=2000)
    corrections = {k: v for k, v in (corrections or {}).items() if v not in (None, "")}
    if outcome == Outcome.CORRECTED and not corrections:
        raise ValidationFailed(
            "请填写更正内容", field_errors={"corrections": ["更正记录时请至少填写一项更正后的内容"]}
        )
    return _finish(
        case,
        access=access,
        outcome=outcome,
        reason=reason,
        corrections=corrections,
        today=today,
        expected=(CaseStatus.ACCEPTED, CaseStatus.VERIFYING),
    )


def _apply_to_record(
    case: DisputeCase, outcome: str, reason: str, corrections: dict, access: Access, today
) -> str:
    if outcome == Outcome.NOT_ACCEPTED:
        return ""
    record = CreditRecord.objects.select_related("item", "subject", "source_unit").get(pk=case.record_id)
    label = f"{case.get_kind_display()}案件 #{case.pk}"
    if case.kind == CaseKind.OBJECTION:
        if record.status not in LIVE_STATUSES:
            if outcome != Outcome.UPHELD:
                raise Conflict(
                    f"记录当前状态为「{record.get_status_display()}」，已不在公示中，只能作出“维持原记录”的决定"
                )
            return f"记录已{record.get_status_display()}，无需变更"
        if outcome == Outcome.REVOKED:
            record_services.revoke_record(
                record, access=access, reason=f"{label}异议成立，撤销记录：{reason}"
            )
            return "记录已撤销，停止公示"
        if outcome == Outcome.CORRECTED:
            # correct_record is the credit office's power; a source unit's decision on its own record
            # is applied on the unit's behalf (the decider is in this case's audit entry).
            corrector = access if access.can_review() else None
            record_services.correct_record(
                record, corrections, access=corrector, reason=f"{label}异议部分成立，更正记录：{reason}"
            )
            record.refresh_from_db()
        if record.status == Status.UNDER_OBJECTION:
            record_services.close_objection(
                record, access=access, reason=f"{label}办结：{Outcome(outcome).label}"
            )
        return "记录已更正，恢复正常公示" if outcome == Outcome.CORRECTED else "维持原记录，恢复正常公示"
    if outcome == Outcome.APPROVED:
        require_eligible(record, today)
        record_services.repair_record(record, access=access, reason=f"{label}准予信用修复：{reason}")
        return "记录已修复，停止公示，相关惩戒措施相应解除或减轻"
    return "维持原记录"


def _finish(case, *, access, outcome, reason, today, expected, corrections=None) -> DisputeCase:
    today = today or timezone.localdate()
    cal = office_calendar()
    now = _moment(today)
    wanted = "、".join(CaseStatus(s).label for s in expected)
    with transaction.atomic():
        case = _lock(case, expected, f"只有「{wanted}」的案件可以作出此决定，当前状态为「{{status}}」")
        in_time = not case.was_late and not _late_now(case, today)
        effect = _apply_to_record(case, outcome, reason, corrections or {}, access, today)
        _cas(
            case,
            tuple(expected),
            status=CaseStatus.DECIDED,
            outcome=outcome,
            decision_reason=reason,
            corrections=_jsonable(corrections or {}),
            decided_by=access.user,
            decided_at=now,
            decided_on=today,
            handling_days=_handling_days(case, today, cal),
            decided_in_time=in_time,
        )
        action = "not_accepted" if outcome == Outcome.NOT_ACCEPTED else "decided"
        _event(
            case,
            action,
            at=now,
            actor=access.user,
            note=f"{Outcome(outcome).label}：{reason}" + (f"（{effect}）" if effect else ""),
        )
        _audit(case, action, actor=access.user, summary=f"{Outcome(outcome).label}：{reason[:150]}")
        notifications.notify_applicant(
            case,
            "decided",
            f"已于{format_cn_date(today)}办结，结果：{Outcome(outcome).label}。理由：{reason}",
        )
    return case


def _jsonable(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


# -- public lookup -------------------------------------------------------------------------------


def check_lookup_rate(ip: str) -> None:
    key = f"govcredit:disputes:lookup:{ip or 'unknown'}"
    cache.add(key, 0, LOOKUP_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOOKUP_WINDOW)
        count = 1
    if count > LOOKUP_LIMIT:
        raise TooManyRequests("查询过于频繁，请10分钟后再试")


NOT_FOUND_MESSAGE = "查询码无效或案件不存在，请核对查询码，或核对受理编号和申请时填写的联系方式"


def _cases():
    return DisputeCase.objects.select_related("record", "record__item", "record__source_unit")


def normalise_code(code: str) -> str:
    """A new-style 查询码 or 受理编号 as stored (upper case, full-width and spaces removed); an older
    32-character code unchanged (it is case-sensitive)."""
    code = unicodedata.normalize("NFKC", code or "").strip()
    upper = re.sub(r"\s+", "", code).upper()
    return upper if NEW_CODE_RE.match(upper) or RECEIPT_RE.match(upper) else code


def _same_contact(given: str, stored: str) -> bool:
    """The contact given at look-up is the one filed: phone numbers compared by their digits (the last
    eleven, so +86 and spaces do not matter), e-mail addresses case-insensitively."""
    given = unicodedata.normalize("NFKC", given or "").strip()
    if not given:
        return False
    if "@" in stored:
        return secrets.compare_digest(given.lower().encode(), stored.strip().lower().encode())
    digits_given, digits_stored = re.sub(r"\D", "", given)[-11:], re.sub(r"\D", "", stored)[-11:]
    return len(digits_stored) >= 7 and secrets.compare_digest(digits_given.encode(), digits_stored.encode())


def lookup_case(code: str, *, ip: str, contact: str = "") -> DisputeCase:
    """A case by its 查询码 (new or old), or by its 受理编号 together with the applicant's contact.

    Every look-up counts against the address's limit; unknown codes, malformed codes and a wrong
    contact all get the same answer."""
    check_lookup_rate(ip)
    code = normalise_code(code)
    case = None
    if RECEIPT_RE.match(code):
        candidate = _cases().filter(receipt_no=code).first()
        if candidate is not None and _same_contact(contact, candidate.contact):
            case = candidate
    elif 20 <= len(code) <= 64:
        case = _cases().filter(tracking_code=code).first()
    if case is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return case


def public_history(case: DisputeCase) -> list[dict]:
    return [
        {
            "at": timezone.localtime(e.at).isoformat(timespec="seconds"),
            "action": e.action,
            "label": ACTIONS.get(e.action, e.action),
            "status": e.status,
            "note": e.note,
        }
        for e in case.events.filter(public=True)
    ]


def public_view(case: DisputeCase) -> dict:
    clock = clock_of(case)
    return {
        "kind": case.kind,
        "status": case.status,
        "status_label": case.public_status_label,
        "deadline": case.due_on.isoformat() if case.due_on else None,
        "deadline_estimated": bool(clock and clock.estimated),
        "deadline_explain": clock.explain() if clock else "",
        "deadline_estimate_reason": clock.estimate_reason() if clock else "",
        "paused": case.status == CaseStatus.RETURNED,
        "outcome": case.outcome or None,
        "outcome_label": case.get_outcome_display() if case.outcome else None,
        "received_on": case.received_on.isoformat(),
        "decided_on": case.decided_on.isoformat() if case.decided_on else None,
        "record": {
            "id": case.record_id,
            "document_no": case.record.document_no,
            "item": case.record.item.name,
            "source_unit": str(case.record.source_unit),
        },
        "history": public_history(case),
    }


# -- jobs ----------------------------------------------------------------------------------------


def refresh_deadlines(*, only_estimated: bool = False) -> int:
    """Recompute the stored deadlines of open cases (after the office enters a year's table)."""
    cal = office_calendar()
    qs = DisputeCase.objects.filter(status__in=OPEN_STATUSES).select_related("record")
    if only_estimated:
        qs = qs.filter(due_estimated=True)
    changed = 0
    for case in qs:
        old_due, old_est = case.due_on, case.due_estimated
        _refresh_due(case, cal)
        if (case.due_on, case.due_estimated) != (old_due, old_est):
            with transaction.atomic():
                DisputeCase.objects.filter(pk=case.pk).update(
                    due_on=case.due_on, due_estimated=case.due_estimated
                )
                _event(
                    case,
                    "deadline_recomputed",
                    note=f"工作日历更新，办理期限由 {old_due} 重算为 {case.due_on}"
                    + ("（预估）" if case.due_estimated else ""),
                )
                _audit(
                    case,
                    "deadline_recomputed",
                    before={"due_on": str(old_due)},
                    after={"due_on": str(case.due_on)},
                )
            changed += 1
    return changed


def escalate_overdue(today: dt.date | None = None) -> dict:
    """Remind handlers of cases due within two working days; escalate overdue cases to the credit
    office once per step. Returns counts."""
    today = today or timezone.localdate()
    cal = office_calendar()
    reminded = escalated = 0
    running = DisputeCase.objects.filter(status__in=RUNNING_STATUSES, due_on__isnull=False).select_related(
        "record", "record__source_unit"
    )
    for case in running.filter(due_on__lt=today):
        key = _step_key(case)
        if case.escalated_step == key:
            continue
        with transaction.atomic():
            if (
                DisputeCase.objects.filter(pk=case.pk, escalated_step=case.escalated_step).update(
                    escalated_step=key, escalated_at=timezone.now(), was_late=True
                )
                != 1
            ):
                continue
            late = cal.working_days_between(case.due_on, today)
            text = f"「{Step(case.step).label}」环节已逾期{late}个工作日（期限 {case.due_on:%Y-%m-%d}），请督促办理。"
            _event(case, "escalated", note=text, public=False)
            _audit(case, "escalated", summary=text)
            notifications.notify_handlers(case, "escalated", text)
            notifications.notify_handlers(case, "escalated", text, supervisors_only=True)
        escalated += 1
    for case in running.filter(due_on__gte=today):
        key = _step_key(case)
        if case.reminded_step == key or cal.working_days_between(today, case.due_on) > DUE_SOON_WORKING_DAYS:
            continue
        with transaction.atomic():
            if (
                DisputeCase.objects.filter(pk=case.pk, reminded_step=case.reminded_step).update(
                    reminded_step=key
                )
                != 1
            ):
                continue
            text = f"「{Step(case.step).label}」环节将于{format_cn_date(case.due_on)}到期，请及时办理。"
            _event(case, "reminded", note=text, public=False)
            notifications.notify_handlers(case, "reminded", text)
        reminded += 1
    return {"reminded": reminded, "escalated": escalated}


def _step_key(case: DisputeCase) -> str:
    return f"{case.step}:{case.step_started_on:%Y%m%d}"


def queue_counts(
    access: Access,
    today: dt.date | None = None,
    cal: WorkingDayCalendar | None = None,
    *,
    deadlines: bool = True,
) -> dict[str, int]:
    """The user's dispute queues, counted in one place and one query: ``open`` is the 工作台 tile and
    the navigation badge (``disputes/office.py``, ``deadlines=False``: no working-day calendar
    needed); the case list shows them all, ``due_soon``/``overdue``/``estimated`` included."""
    counts = {
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        "received": Count("pk", filter=Q(status=CaseStatus.RECEIVED)),
        "verifying": Count("pk", filter=Q(status__in=[CaseStatus.ACCEPTED, CaseStatus.VERIFYING])),
        "returned": Count("pk", filter=Q(status=CaseStatus.RETURNED)),
    }
    if deadlines:
        today = today or timezone.localdate()
        soon = due_soon_until(today, cal)
        running = Q(status__in=RUNNING_STATUSES)
        counts["due_soon"] = Count("pk", filter=running & Q(due_on__gte=today, due_on__lte=soon))
        counts["overdue"] = Count("pk", filter=running & Q(due_on__lt=today))
        counts["estimated"] = Count("pk", filter=Q(status__in=OPEN_STATUSES, due_estimated=True))
    return cases_for(access).order_by().aggregate(**counts)
