"""Bidding credit services (policy （十三）, WAVE2 §4): check rights → atomic write → audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation, Role
from govcredit.accounts.permissions import Access
from govcredit.catalog.models import Severity
from govcredit.catalog.services import parse_severity
from govcredit.core import public_version
from govcredit.core.crypto import sm3_hex
from govcredit.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import canonical_json, log_action, register_action
from govcredit.records import services as records
from govcredit.records.models import LIVE_STATUSES, CreditRecord
from govcredit.records.services import add_months
from govcredit.records.validation import clean_record, parse_date
from govcredit.subjects.models import Subject, SubjectKind
from govcredit.subjects.services import KIND_ALIASES

from . import kernel
from .models import (
    ARTICLE,
    RESTRICTION_RANGE,
    BidCheck,
    BlacklistEntry,
    Conduct,
    CreditEvaluation,
    EvaluationIndicator,
    GradeBand,
    IndicatorKind,
    IndicatorSource,
    MarketRole,
    ParticipantRole,
    ReportStatus,
    ThirdPartyReport,
    Violation,
)

ITEM = "bidding_violation"
MEASURE = "bidding_disqualification"
#: the units whose decisions are recorded (WAVE2 §4 (c)); their clerks manage bidding data
BIDDING_UNITS = ("区发改局", "区住建局", "市公共资源交易中心周村分中心")
MARKET_KINDS = (SubjectKind.ENTERPRISE, SubjectKind.PERSON)
ROLE_KINDS = {
    MarketRole.BIDDER: (SubjectKind.ENTERPRISE, SubjectKind.PERSON),
    MarketRole.AGENCY: (SubjectKind.ENTERPRISE,),
    MarketRole.EXPERT: (SubjectKind.PERSON,),
    MarketRole.PRACTITIONER: (SubjectKind.PERSON,),
}
#: Art 9 of 招标投标违法行为记录公告暂行办法 ✅: public for 6 months, longer if the restriction is
LIST_MONTHS = 6

register_action("govcredit.bidding.role", "登记市场主体角色")
register_action("govcredit.bidding.violation", "报送招标投标违法行为")
register_action("govcredit.bidding.listed", "列入招标投标失信名单")
register_action("govcredit.bidding.delisted", "移出招标投标失信名单")
register_action("govcredit.bidding.evaluated", "招标投标信用评价")
register_action("govcredit.bidding.report_registered", "登记第三方信用报告")
register_action("govcredit.bidding.report_verified", "核验第三方信用报告")
register_action("govcredit.bidding.batch_check", "开标前信用核查")
register_action("govcredit.bidding.bidder_report", "打印投标人信用核查报告")


# -- rights ---------------------------------------------------------------------------------------


def can_manage(access: Access) -> bool:
    if access.user is None:
        return False
    if access.has_role(Role.CREDIT_OFFICE, Role.ADMIN):
        return True
    return any(
        m.role == Role.CLERK and m.organisation.short_name in BIDDING_UNITS for m in access.memberships
    )


def can_view(access: Access) -> bool:
    return can_manage(access) or access.sees_everything


def _require_manage(access: Access) -> None:
    if not can_manage(access):
        raise PermissionDenied(
            "只有信用办或区发改局、区住建局、公共资源交易中心的经办人可以维护招标投标信用信息"
        )


def _field(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field: [message]})


# -- roles ------------------------------------------------------------------------------------------


def assign_role(
    subject: Subject,
    role: str,
    *,
    access: Access,
    qualification: str = "",
    registered_on: dt.date | None = None,
) -> ParticipantRole:
    _require_manage(access)
    if role not in MarketRole.values:
        raise _field(
            "role",
            "角色应为 bidder（投标人）、agency（招标代理机构）、expert（评标专家）或 practitioner（从业人员）",
        )
    allowed = ROLE_KINDS[MarketRole(role)]
    if subject.kind not in allowed:
        names = "、".join(SubjectKind(k).label for k in allowed)
        raise _field(
            "subject",
            f"「{MarketRole(role).label}」只能是{names}主体，「{subject.display_name}」是{subject.get_kind_display()}",
        )
    qualification = (qualification or "").strip()
    if len(qualification) > 200:
        raise _field("qualification", "资质/专业不能超过200个字符")
    with transaction.atomic():
        obj, created = ParticipantRole.objects.get_or_create(
            subject=subject,
            role=role,
            defaults={"qualification": qualification, "registered_on": registered_on or timezone.localdate()},
        )
        if not created and (obj.qualification != qualification or not obj.active):
            obj.qualification, obj.active = qualification, True
            obj.save(update_fields=["qualification", "active"])
        log_action(
            "govcredit.bidding.role",
            actor=access.user,
            obj=obj,
            summary=f"{subject.display_name} 登记为{obj.get_role_display()}",
            after={"role": role, "qualification": qualification},
        )
    return obj


def roles_of(subject: Subject) -> list[str]:
    return list(ParticipantRole.objects.filter(subject=subject, active=True).values_list("role", flat=True))


# -- violations (through intake) ----------------------------------------------------------------------

_CN_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_PERIOD = re.compile(r"(\d+|[一二两三四五六七八九十]{1,3})\s*(年|个月)")


def _cn_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def restriction_from_outcome(outcome: str) -> int | None:
    """The months of 取消投标资格 a decision text names ("取消其2年投标资格", "两年内"), if any."""
    if "投标资格" not in (outcome or "") and "投标" not in (outcome or ""):
        return None
    match = _PERIOD.search(outcome)
    if not match:
        return None
    number = _cn_number(match.group(1))
    return number * 12 if match.group(2) == "年" else number


def _clean_restriction(violation: str, severity: str, months) -> int | None:
    if months in (None, ""):
        if severity == Severity.SERIOUS and violation in RESTRICTION_RANGE:
            low, high = RESTRICTION_RANGE[Violation(violation)]
            raise _field(
                "restriction_months",
                f"严重违法须填写决定取消投标资格的期限（{ARTICLE[Violation(violation)]}：{low // 12}至{high // 12}年，即{low}–{high}个月）",
            )
        return None
    try:
        months = int(months)
    except (TypeError, ValueError):
        raise _field("restriction_months", "取消投标资格期限应为整数（月）") from None
    low, high = (
        RESTRICTION_RANGE.get(Violation(violation), (1, 36)) if violation in Violation.values else (1, 36)
    )
    if not low <= months <= high:
        basis = ARTICLE.get(Violation(violation), "") or "本平台"
        raise _field(
            "restriction_months", f"取消投标资格期限应为{low}–{high}个月（{basis}），当前为{months}个月"
        )
    return months


def submit_violation(data: dict, *, access: Access) -> tuple[CreditRecord, Conduct]:
    """A clerk of 区发改局 / 区住建局 / the trading centre records a violation decision: the record
    goes through the normal intake (``records.upsert_record``, submitted for review) together with
    the decision's restriction period, in one transaction."""
    _require_manage(access)
    violation = (data.get("violation") or "").strip()
    errors: dict[str, list[str]] = {}
    if violation not in Violation.values:
        errors["violation"] = [
            "请选择违法行为类别：" + "、".join(f"{v.value}（{v.label}）" for v in Violation)
        ]
    if (
        violation == Violation.INTERFERENCE
        and KIND_ALIASES.get((data.get("subject_kind") or "").strip()) != SubjectKind.CIVIL_SERVANT
    ):
        errors["subject_kind"] = ["实施条例第八十条的非法干涉是国家工作人员的行为，当事人类型应为「公务员」"]
    role = (data.get("role") or "").strip()
    if role and role not in MarketRole.values:
        errors["role"] = ["当事人角色应为 bidder、agency、expert 或 practitioner"]
    severity = parse_severity(str(data.get("severity") or "")) or ""
    months = start = None
    if not errors:
        try:
            months = _clean_restriction(violation, severity, data.get("restriction_months"))
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    raw_start = data.get("restriction_start")
    if raw_start not in (None, ""):
        try:
            start = parse_date(raw_start)
        except (ValueError, OverflowError):
            errors["restriction_start"] = ["限制起始日期格式应为 2026-03-05"]
    project = (data.get("project_name") or "").strip()
    if len(project) > 200:
        errors["project_name"] = ["招标项目名称不能超过200个字符"]
    record_data = {
        k: data.get(k)
        for k in (
            "subject_name",
            "subject_kind",
            "uscc",
            "id_number",
            "unit_uscc",
            "severity",
            "document_no",
            "decided_on",
            "decided_by",
            "facts",
            "outcome",
            "legal_basis",
        )
        if data.get(k) not in (None, "")
    }
    record_data["item"] = ITEM
    if not record_data.get("legal_basis") and violation in Violation.values and ARTICLE[Violation(violation)]:
        record_data["legal_basis"] = ARTICLE[Violation(violation)]
    source_unit = records.submitting_unit(access, data.get("source_unit"))
    clean, record_errors = clean_record(record_data, source_unit=source_unit)
    for key, messages in record_errors.items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationFailed("违法行为记录有误", field_errors=errors)
    with transaction.atomic():
        record, _created, _changed = records.upsert_record(
            record_data, source_unit=source_unit, access=access, submit=True, proposed_by="bidding"
        )
        conduct, created = Conduct.objects.get_or_create(
            record=record,
            defaults={
                "violation": violation,
                "role": role,
                "project_name": project,
                "restriction_months": months,
                "restriction_start": start,
                "created_by": access.user,
            },
        )
        if not created:
            new = (violation, role, project, months, start)
            old = (
                conduct.violation,
                conduct.role,
                conduct.project_name,
                conduct.restriction_months,
                conduct.restriction_start,
            )
            if new != old:
                if record.status not in ("draft", "rejected", "submitted") or record.published_at:
                    raise Conflict("该决定已公示，违法行为类别和限制期限的更正须经记录更正审核")
                conduct.violation, conduct.role, conduct.project_name = violation, role, project
                conduct.restriction_months, conduct.restriction_start = months, start
                conduct.save()
        log_action(
            "govcredit.bidding.violation",
            actor=access.user,
            obj=conduct,
            summary=f"报送招标投标违法行为 {record.document_no}（{conduct.get_violation_display()}）",
            after={"record": record.pk, "violation": violation, "restriction_months": months},
        )
    return record, conduct


# -- publication → sanction period and the public list ------------------------------------------------


def _restriction_of(record: CreditRecord) -> tuple[int | None, dt.date, str]:
    """(months, start, how it was found) of the decision's 取消投标资格."""
    conduct = Conduct.objects.filter(record=record).first()
    if conduct and conduct.restriction_months:
        start = conduct.restriction_start or record.decided_on
        return conduct.restriction_months, start, "处理决定载明"
    months = restriction_from_outcome(record.outcome)
    if months:
        return months, record.decided_on, "据处理结果文字认定"
    return None, record.decided_on, ""


def on_published(record: CreditRecord, *, actor=None, today: dt.date | None = None) -> BlacklistEntry | None:
    """Called in the publishing transaction: fit the disqualification to the decision's period and
    list market subjects on the public 招标投标失信名单."""
    from govcredit.sanctions.models import Sanction, SanctionStatus
    from govcredit.sanctions.services import fit_period

    today = today or timezone.localdate()
    months, start, how = _restriction_of(record)
    sanction = (
        Sanction.objects.filter(record=record, measure__code=MEASURE, status=SanctionStatus.ACTIVE)
        .select_related("measure", "record")
        .first()
    )
    restriction_end = None
    if months:
        restriction_end = add_months(start, months)
        if sanction is not None:
            end = max(restriction_end, sanction.start)
            fit_period(
                sanction,
                end,
                reason=f"取消投标资格{months}个月（{how}，自{start:%Y-%m-%d}起至{restriction_end:%Y-%m-%d}）",
                actor=actor,
            )
    elif sanction is not None:
        restriction_end = sanction.end
    if record.subject.kind not in MARKET_KINDS or BlacklistEntry.objects.filter(record=record).exists():
        return None
    six = add_months(today, LIST_MONTHS)
    if restriction_end and restriction_end > six:
        list_until, note = restriction_end, f"限制期限长于6个月，公告至限制期满（{restriction_end:%Y-%m-%d}）"
    else:
        list_until, note = six, "公告期限6个月（招标投标违法行为记录公告暂行办法第九条）"
    entry = BlacklistEntry.objects.create(
        record=record,
        subject=record.subject,
        sanction=sanction,
        listed_on=today,
        restriction_end=restriction_end,
        list_until=list_until,
        window_note=note,
    )
    kernel.disclose("publish", object_type="bidding.blacklistentry", object_id=entry.pk)
    public_version.bump()
    log_action(
        "govcredit.bidding.listed",
        actor=actor,
        obj=entry,
        summary=f"{record.subject.display_name} 列入招标投标失信名单（{record.document_no}），公告至 {list_until:%Y-%m-%d}",
    )
    return entry


def on_withdrawn(record: CreditRecord, *, actor=None, reason: str = "", today: dt.date | None = None) -> bool:
    entry = BlacklistEntry.objects.filter(record=record, delisted_on__isnull=True).first()
    if entry is None:
        return False
    entry.delisted_on = today or timezone.localdate()
    entry.withdrawn_reason = (reason or "记录已撤销、修复或期满")[:300]
    entry.save(update_fields=["delisted_on", "withdrawn_reason"])
    kernel.disclose("withdraw", object_type="bidding.blacklistentry", object_id=entry.pk)
    public_version.bump()
    log_action(
        "govcredit.bidding.delisted",
        actor=actor,
        obj=entry,
        summary=f"{entry.subject.display_name} 移出招标投标失信名单：{entry.withdrawn_reason}",
    )
    return True


def delist_due(as_of: dt.date) -> int:
    """Entries whose public window has passed leave the list (archive keeps them)."""
    done = 0
    for entry in BlacklistEntry.objects.filter(delisted_on__isnull=True, list_until__lt=as_of).select_related(
        "subject"
    ):
        with transaction.atomic():
            if on_withdrawn(entry.record, reason="公告期满，转入档案库", today=as_of):
                done += 1
    return done


def public_blacklist(today: dt.date | None = None, q: str = "") -> QuerySet[BlacklistEntry]:
    today = today or timezone.localdate()
    qs = BlacklistEntry.objects.filter(
        delisted_on__isnull=True,
        list_until__gte=today,
        record__status__in=LIVE_STATUSES,
        record__disclosure="public",
    )
    return _search(qs, q)


def archive(q: str = "") -> QuerySet[BlacklistEntry]:
    """Every entry ever listed (Art 9: archived, free to query), newest first."""
    return _search(BlacklistEntry.objects.filter(record__disclosure="public"), q)


def _search(qs: QuerySet, q: str) -> QuerySet:
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(subject__name__contains=q) | Q(subject__uscc=q.upper()) | Q(record__document_no__contains=q)
        )
    return qs.select_related("subject", "record", "record__conduct").order_by("-listed_on", "-pk")


def entry_row(entry: BlacklistEntry, today: dt.date | None = None) -> dict:
    """The public fields of an entry (Art 8: 当事人, 违法行为, 处理依据, 处理决定, 处理时间, 处理机关)."""
    today = today or timezone.localdate()
    record = entry.record
    conduct = getattr(record, "conduct", None)
    return {
        "id": entry.pk,
        "subject": record.subject.display_name,
        "code": record.subject.public_code,
        "record_id": record.pk,
        "document_no": record.document_no,
        "violation": record.facts,
        "violation_type": conduct.get_violation_display() if conduct else "",
        "legal_basis": record.legal_basis,
        "decision": record.outcome,
        "decided_on": record.decided_on.isoformat(),
        "decided_by": record.decided_by,
        "listed_on": entry.listed_on.isoformat(),
        "restriction_end": entry.restriction_end.isoformat() if entry.restriction_end else None,
        "list_until": entry.list_until.isoformat(),
        "on_list": entry.on_list(today) and record.status in LIVE_STATUSES,
        "window_note": entry.window_note,
    }


# -- credit evaluation -------------------------------------------------------------------------------


def _d(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def evaluate(
    subject: Subject, role: str, *, period: str, access: Access | None, as_of: dt.date | None = None
) -> CreditEvaluation:
    """Base 100, capped deductions and additions by the active indicators, a grade; every line names
    the records or reports it counted. Re-running a period replaces its evaluation."""
    if access is not None:
        _require_manage(access)
    if role not in MarketRole.values:
        raise _field("role", "角色应为 bidder、agency、expert 或 practitioner")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period or ""):
        raise _field("period", "评价期应为 YYYY-MM，例如 2026-11")
    as_of = as_of or timezone.localdate()
    base = Decimal("100.00")
    indicators = (
        EvaluationIndicator.objects.filter(active=True)
        .filter(Q(role="") | Q(role=role))
        .order_by("kind", "code")
    )
    live = list(
        CreditRecord.objects.filter(subject=subject, status__in=LIVE_STATUSES)
        .select_related("item")
        .order_by("decided_on", "pk")
    )
    reports = [r for r in ThirdPartyReport.objects.filter(subject=subject) if r.is_valid(as_of)]
    lines = []
    score = base
    for ind in indicators:
        hits = []
        if ind.source == IndicatorSource.RECORD:
            for rec in live:
                if rec.item.code == ind.item_code and (not ind.severity or rec.severity == ind.severity):
                    hits.append(
                        {
                            "type": "record",
                            "id": rec.pk,
                            "ref": rec.document_no,
                            "text": f"{rec.item.name}（{rec.get_severity_display()}）{rec.decided_on:%Y-%m-%d}",
                        }
                    )
        else:
            wanted = {g.strip().upper() for g in ind.grades.split(",") if g.strip()}
            for rep in reports:
                if not wanted or rep.grade.upper() in wanted:
                    hits.append(
                        {
                            "type": "report",
                            "id": rep.pk,
                            "ref": rep.report_no,
                            "text": f"{rep.agency} {rep.grade}级，有效至 {rep.valid_until:%Y-%m-%d}",
                        }
                    )
        if not hits:
            continue
        raw = _d(ind.points * len(hits))
        points = min(raw, _d(ind.cap))
        sign = -1 if ind.kind == IndicatorKind.DEDUCTION else 1
        verb = "扣" if sign < 0 else "加"
        each = "；".join(f"{h['ref']} {h['text']} {verb}{_d(ind.points)}分" for h in hits)
        explanation = f"「{ind.name}」：{each}"
        if raw > points:
            explanation += f"；合计{raw}分，超过上限{_d(ind.cap)}分，按{points}分计"
        explanation += f"（{ind.get_legal_status_display()}：{ind.source_note}）"
        score += sign * points
        lines.append(
            {
                "indicator": ind.code,
                "name": ind.name,
                "kind": ind.kind,
                "points": str(sign * points),
                "cap": str(_d(ind.cap)),
                "inputs": hits,
                "explanation": explanation,
                "legal_status": ind.legal_status,
            }
        )
    score = max(Decimal("0.00"), min(score, Decimal("200.00")))
    band = GradeBand.objects.filter(min_score__lte=score).order_by("-min_score").first()
    grade = band.grade if band else "—"
    payload = {
        "subject": subject.pk,
        "role": role,
        "period": period,
        "as_of": as_of.isoformat(),
        "base": str(base),
        "score": str(score),
        "grade": grade,
        "lines": lines,
    }
    digest = sm3_hex(canonical_json(payload))
    with transaction.atomic():
        evaluation, _ = CreditEvaluation.objects.update_or_create(
            subject=subject,
            role=role,
            period=period,
            defaults={
                "as_of": as_of,
                "base": base,
                "score": score,
                "grade": grade,
                "lines": lines,
                "digest": digest,
                "created_by": getattr(access, "user", None),
            },
        )
        log_action(
            "govcredit.bidding.evaluated",
            actor=getattr(access, "user", None),
            obj=evaluation,
            summary=f"{subject.display_name}（{MarketRole(role).label}）{period} 信用评价 {score} 分，{grade} 级",
            after={"score": str(score), "grade": grade, "digest": digest},
        )
    return evaluation


def evaluate_all(period: str, *, as_of: dt.date | None = None) -> int:
    """Monthly recomputation (WAVE2 §4 (c)) of every registered role."""
    count = 0
    for pr in ParticipantRole.objects.filter(active=True).select_related("subject"):
        evaluate(pr.subject, pr.role, period=period, access=None, as_of=as_of)
        count += 1
    return count


# -- third-party reports -------------------------------------------------------------------------------


def register_report(subject: Subject, data: dict, *, access: Access) -> ThirdPartyReport:
    _require_manage(access)
    errors: dict[str, list[str]] = {}
    agency = (data.get("agency") or "").strip()
    report_no = (data.get("report_no") or "").strip()
    grade = (data.get("grade") or "").strip().upper()
    if not agency:
        errors["agency"] = ["请填写出具报告的信用服务机构"]
    if not report_no:
        errors["report_no"] = ["请填写报告编号"]
    if not grade or len(grade) > 10:
        errors["grade"] = ["请填写信用等级（如 AAA、A）"]
    dates = {}
    for key, label in (("issued_on", "出具日期"), ("valid_until", "有效期至")):
        try:
            dates[key] = parse_date(data.get(key)) if data.get(key) not in (None, "") else None
        except (ValueError, OverflowError):
            dates[key] = None
            errors[key] = [f"{label}格式应为 2026-03-05"]
        if dates[key] is None and key not in errors:
            errors[key] = [f"请填写{label}"]
    if dates.get("issued_on") and dates.get("valid_until") and dates["valid_until"] < dates["issued_on"]:
        errors["valid_until"] = ["有效期不能早于出具日期"]
    if agency and report_no and ThirdPartyReport.objects.filter(agency=agency, report_no=report_no).exists():
        errors["report_no"] = [f"「{agency}」编号 {report_no} 的报告已登记"]
    if errors:
        raise ValidationFailed("第三方信用报告信息有误", field_errors=errors)
    with transaction.atomic():
        report = ThirdPartyReport.objects.create(
            subject=subject,
            agency=agency,
            report_no=report_no,
            grade=grade,
            registered_by=access.user,
            **dates,
        )
        log_action(
            "govcredit.bidding.report_registered",
            actor=access.user,
            obj=report,
            summary=f"登记第三方信用报告 {agency} {report_no}（{grade}）",
        )
    return report


def verify_report(report: ThirdPartyReport, *, ok: bool, note: str = "", access: Access) -> ThirdPartyReport:
    """A second person confirms the report with the issuing agency (four-eyes)."""
    _require_manage(access)
    if report.registered_by_id == getattr(access.user, "pk", None):
        raise PermissionDenied("不能核验自己登记的报告（须由另一人向出具机构核实）")
    note = (note or "").strip()
    if not ok and not note:
        raise _field("note", "核验不通过时须说明原因")
    with transaction.atomic():
        updated = ThirdPartyReport.objects.filter(pk=report.pk, status=ReportStatus.REGISTERED).update(
            status=ReportStatus.VERIFIED if ok else ReportStatus.REJECTED,
            verify_note=note[:300],
            verified_by=access.user,
            verified_at=timezone.now(),
        )
        if updated != 1:
            raise Conflict("该报告已核验")
        report.refresh_from_db()
        log_action(
            "govcredit.bidding.report_verified",
            actor=access.user,
            obj=report,
            summary=f"核验第三方信用报告 {report.report_no}：{report.get_status_display()}",
        )
    return report


# -- pre-开标 batch check ---------------------------------------------------------------------------


def batch_check(
    *,
    file_name: str,
    content: bytes,
    project_name: str,
    opening_on: dt.date | None,
    access: Access,
    project_code: str = "",
) -> BidCheck:
    """The bidder list from an Excel/CSV file → one stored ``bidding`` credit check (serial + SM3
    digest, the wave-1 machinery) tied to the project and the file's hash."""
    from govcredit.sanctions.checks import codes_from_upload, run_check

    errors = {}
    project_name = (project_name or "").strip()
    if not project_name:
        errors["project_name"] = ["请填写招标项目名称"]
    if opening_on is None:
        errors["opening_on"] = ["请填写开标日期"]
    if errors:
        raise ValidationFailed("开标前核查信息有误", field_errors=errors)
    codes = codes_from_upload(file_name, content)
    if not codes:
        raise _field("file", "文件中没有投标人代码（统一社会信用代码或身份证号码）")
    with transaction.atomic():
        check, _answer = run_check(
            codes,
            "bidding",
            access=access,
            reason=f"开标前信用核查：{project_name}（开标日期 {opening_on:%Y-%m-%d}）",
        )
        bid = BidCheck.objects.create(
            project_name=project_name[:200],
            project_code=(project_code or "").strip()[:60],
            opening_on=opening_on,
            credit_check=check,
            file_name=(file_name or "")[:200],
            file_sha256=hashlib.sha256(content).hexdigest(),
            created_by=access.user,
        )
        log_action(
            "govcredit.bidding.batch_check",
            actor=access.user,
            obj=bid,
            summary=f"开标前信用核查 {project_name}：{check.total} 家投标人，核查编号 {check.serial}",
        )
    return bid


def bid_checks_for(access: Access) -> QuerySet[BidCheck]:
    from govcredit.sanctions.checks import checks_for

    visible = checks_for(access).values("pk")
    return BidCheck.objects.filter(credit_check__in=visible).select_related("credit_check", "created_by")


def bidder_row(bid: BidCheck, position: int) -> tuple[dict, str]:
    """One bidder's stored row (shared texts restored) and the SM3 of its stored text."""
    row = bid.credit_check.rows.filter(position=position).first()
    if row is None:
        raise NotFound("该核查中没有这一序号的投标人")
    import json

    return bid.credit_check.expand([json.loads(row.data)])[0], sm3_hex(row.data)


def bidder_report_pdf(bid: BidCheck, position: int, *, access: Access) -> bytes:
    """The per-bidder report for the 评标委员会: the check's serial and digest (verifiable on the
    portal), the bidder's row and the SM3 of that stored row, on the wave-1 report layout."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from govcredit.sanctions.checks import _cn_datetime, qr_data_uri, verify_url

    check = bid.credit_check
    row, row_hash = bidder_row(bid, position)
    html = render_to_string(
        "bidding/bidder_report_pdf.html",
        {
            "bid": bid,
            "check": check,
            "results": [row],
            "position": position,
            "row_hash": row_hash,
            "qr": qr_data_uri(verify_url(check)),
            "verify_url": verify_url(check),
            "issued": _cn_datetime(check.issued_at),
            "digest_groups": " ".join(check.digest[i : i + 8] for i in range(0, 64, 8)),
            "row_hash_groups": " ".join(row_hash[i : i + 8] for i in range(0, 64, 8)),
        },
    )
    pdf = HTML(string=html).write_pdf()
    log_action(
        "govcredit.bidding.bidder_report",
        actor=access.user,
        obj=bid,
        summary=f"打印投标人信用核查报告 {check.serial} 第{position}号",
    )
    return pdf


def bidding_units() -> list[Organisation]:
    return list(Organisation.objects.filter(short_name__in=BIDDING_UNITS))
