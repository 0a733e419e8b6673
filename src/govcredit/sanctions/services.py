"""Joint incentive and punishment: every change to measures, rules, sanctions, rectification tasks,
criticism notices and referrals goes through these functions (check → change → history → audit).

Rules are applied by the ``record_changed`` receiver (``receivers.py``) inside the record's
transaction, so a sanction never exists without the publication behind it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Membership, Organisation, Role
from govcredit.accounts.permissions import Access
from govcredit.catalog.models import CatalogItem, Severity
from govcredit.core import public_version
from govcredit.core.calendar import deadline_after
from govcredit.core.errors import Conflict, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.records.models import LIVE_STATUSES, CreditRecord
from govcredit.records.services import EVIDENCE_MAGIC, add_months
from govcredit.subjects.models import UNIT_KINDS, Subject, SubjectKind
from govcredit.subjects.services import principal_on

from .models import (
    AccountabilityReferral,
    CriticismNotice,
    Effect,
    Measure,
    MeasureKind,
    Notice,
    NoticeStatus,
    Purpose,
    Rectification,
    RectificationAttachment,
    RectificationEvent,
    RectificationStatus,
    ReferralStatus,
    RepairEffect,
    Rule,
    RuleMeasure,
    Sanction,
    SanctionHistory,
    SanctionStatus,
)

logger = logging.getLogger("govcredit.sanctions")

for _key, _label in {
    "govcredit.measure.saved": "保存奖惩措施",
    "govcredit.rule.created": "新增联合奖惩规则",
    "govcredit.rule.versioned": "修改联合奖惩规则（新版本）",
    "govcredit.rule.deactivated": "停用联合奖惩规则",
    "govcredit.sanction.created": "实施奖惩措施",
    "govcredit.sanction.changed": "调整奖惩措施",
    "govcredit.sanction.lifted": "解除奖惩措施",
    "govcredit.rectification.created": "下达限期整改任务",
    "govcredit.rectification.submitted": "提交整改材料",
    "govcredit.rectification.accepted": "整改验收通过",
    "govcredit.rectification.returned": "整改退回",
    "govcredit.rectification.cancelled": "整改任务取消",
    "govcredit.rectification.escalated": "整改逾期督办",
    "govcredit.notice.drafted": "生成通报批评草稿",
    "govcredit.notice.updated": "修改通报批评",
    "govcredit.notice.published": "发布通报批评",
    "govcredit.notice.withdrawn": "撤回通报批评",
    "govcredit.referral.created": "移送追究主要负责人责任",
    "govcredit.referral.updated": "更新责任追究办理情况",
}.items():
    register_action(_key, _label)

#: Units whose clerks may run credit checks for recruitment and appointment (招录、任用), besides
#: the credit office, reviewers and admins: the organisation department and HR (policy （九）).
CHECK_UNITS = ("区委组织部", "区人社局")
#: Where accountability referrals go (（九）: 追究主要负责人责任, 区委组织部牵头).
REFERRAL_UNIT = "区委组织部"
ATTACHMENT_TYPES = {".pdf", ".ofd", ".jpg", ".jpeg", ".png"}
#: rectification tasks the recorded unit still has to act on (overdue once past the deadline)
TODO_STATUSES = (RectificationStatus.OPEN, RectificationStatus.RETURNED)


# -- permissions and scope -----------------------------------------------------------------------


def can_manage(access: Access) -> bool:
    """Measures, rules, lifting sanctions, accepting rectification, notices, referrals."""
    return access.has_role(Role.CREDIT_OFFICE, Role.ADMIN)


def can_run_checks(access: Access) -> bool:
    if access.has_role(Role.CREDIT_OFFICE, Role.REVIEWER, Role.ADMIN):
        return True
    return any(m.role == Role.CLERK and m.organisation.short_name in CHECK_UNITS for m in access.memberships)


def can_handle_referrals(access: Access) -> bool:
    return can_manage(access) or any(
        m.organisation.short_name == REFERRAL_UNIT and m.role in (Role.CLERK, Role.CREDIT_OFFICE)
        for m in access.memberships
    )


def _scope(access: Access, qs: QuerySet, subject_field: str = "subject", record_field: str = "record"):
    if access.user is None:
        return qs.none()
    if access.sees_everything:
        return qs
    condition = Q(pk__in=[])
    own = access.subject_ids_of_own_units()
    if own:
        condition |= Q(**{f"{subject_field}_id__in": own}) | Q(**{f"{subject_field}__parent_id__in": own})
    clerk_units = {m.organisation_id for m in access.memberships if m.role == Role.CLERK}
    if clerk_units:
        condition |= Q(**{f"{record_field}__source_unit_id__in": clerk_units})
    return qs.filter(condition)


def sanctions_for(access: Access) -> QuerySet[Sanction]:
    qs = Sanction.objects.select_related("subject", "record", "measure", "rule", "record__item")
    return _scope(access, qs)


def rectifications_for(access: Access) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related("subject", "record", "sanction__measure")
    return _scope(access, qs)


def referrals_for(access: Access) -> QuerySet[AccountabilityReferral]:
    qs = AccountabilityReferral.objects.select_related("record", "unit", "person", "to_unit")
    if can_handle_referrals(access):
        return qs
    return _scope(access, qs, subject_field="unit")


def notices_for(access: Access) -> QuerySet[CriticismNotice]:
    return _scope(access, CriticismNotice.objects.select_related("record", "subject"))


def sanction_tiles(access: Access, today: dt.date | None = None) -> dict[str, int]:
    """The counts above the sanction list, in the user's scope."""
    sanctions, tasks = sanctions_for(access), rectifications_for(access)
    return {
        "active": sanctions.filter(status=SanctionStatus.ACTIVE).count(),
        "disputed": sanctions.filter(status=SanctionStatus.ACTIVE, disputed=True).count(),
        "open_tasks": tasks.filter(status__in=TODO_STATUSES).count(),
        "overdue": overdue_rectifications(today, qs=tasks).count(),
        "submitted": tasks.filter(status=RectificationStatus.SUBMITTED).count(),
        "notices": notices_for(access).filter(status=NoticeStatus.DRAFT).count(),
    }


def get_visible(qs: QuerySet, pk, what: str):
    """The row ``pk`` of a scoped queryset (``sanctions_for`` …); NotFound names ``what``."""
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound(f"{what}不存在或您无权查看") from exc


def _reason(reason: str, what: str = "原因") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(f"请填写{what}", field_errors={"reason": [f"请填写{what}"]})
    if len(reason) > 2000:
        raise ValidationFailed("原因不能超过2000个字符", field_errors={"reason": ["原因不能超过2000个字符"]})
    return reason


def _iso(value):
    return value.isoformat() if value else None


# -- measures ---------------------------------------------------------------------------------------

MEASURE_FIELDS = (
    "code",
    "name",
    "kind",
    "legal_basis",
    "implementing_units",
    "default_months",
    "purposes",
    "effect",
    "repair_effect",
    "rectification_days",
    "description",
    "active",
)


def _measure_snapshot(measure: Measure) -> dict:
    return {f: getattr(measure, f) for f in MEASURE_FIELDS}


def validate_measure(data: dict, *, measure: Measure | None = None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    code = (data.get("code") or "").strip()
    if not code:
        errors["code"] = ["请填写措施代码（英文字母、数字、下划线）"]
    elif Measure.objects.filter(code=code).exclude(pk=getattr(measure, "pk", None)).exists():
        errors["code"] = [f"措施代码「{code}」已被使用"]
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = ["请填写措施名称"]
    elif Measure.objects.filter(name=name).exclude(pk=getattr(measure, "pk", None)).exists():
        errors["name"] = [f"措施名称「{name}」已存在"]
    if data.get("kind") not in MeasureKind.values:
        errors["kind"] = ["请选择措施类别：限制类、义务类、公开类或激励类"]
    if not (data.get("legal_basis") or "").strip():
        errors["legal_basis"] = ["请填写法律政策依据"]
    bad = [p for p in data.get("purposes") or [] if p not in Purpose.values]
    if bad:
        errors["purposes"] = ["未知的核查用途：" + "、".join(bad)]
    if data.get("kind") == MeasureKind.INCENTIVE and data.get("effect"):
        errors["effect"] = ["激励措施不能生成整改、通报或责任追究"]
    return errors


def save_measure(data: dict, *, access: Access, measure: Measure | None = None) -> Measure:
    access.require(can_manage(access), "只有信用办可以维护措施清单")
    errors = validate_measure(data, measure=measure)
    if errors:
        raise ValidationFailed("措施信息有误", field_errors=errors)
    with transaction.atomic():
        before = _measure_snapshot(measure) if measure else None
        measure = measure or Measure()
        for key in MEASURE_FIELDS:
            if key in data:
                value = data[key]
                setattr(measure, key, value.strip() if isinstance(value, str) else value)
        measure.save()
        log_action(
            "govcredit.measure.saved",
            actor=access.user,
            obj=measure,
            summary=f"保存措施「{measure.name}」",
            before=before,
            after=_measure_snapshot(measure),
        )
    return measure


# -- rules ------------------------------------------------------------------------------------------


def _rule_snapshot(rule: Rule) -> dict:
    return {
        "item": rule.item.code,
        "severity": rule.severity,
        "subject_kind": rule.subject_kind,
        "version": rule.version,
        "active": rule.active,
        "measures": [{"measure": ln.measure.code, "months": ln.months} for ln in rule.lines.all()],
    }


def _clean_rule(item, severity: str, subject_kind: str, lines) -> list[tuple[Measure, int | None]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(item, CatalogItem):
        raise ValidationFailed("请选择目录事项", field_errors={"item": ["请选择目录事项"]})
    if severity and severity not in item.severities:
        errors["severity"] = [f"「{item.name}」不适用严重程度「{Severity(severity).label}」"]
    if subject_kind and subject_kind not in item.subject_kinds:
        errors["subject_kind"] = [f"「{item.name}」不适用主体类型「{SubjectKind(subject_kind).label}」"]
    cleaned: list[tuple[Measure, int | None]] = []
    seen: set[int] = set()
    for measure, months in lines:
        if measure.pk in seen:
            errors.setdefault("measures", []).append(
                f"措施「{measure.name}」重复，同一规则中每项措施只能出现一次"
            )
            continue
        seen.add(measure.pk)
        if measure.is_incentive and item.negative:
            errors.setdefault("measures", []).append(f"失信事项不能配置激励措施「{measure.name}」")
        if not measure.is_incentive and not item.negative:
            errors.setdefault("measures", []).append(
                f"守信事项只能配置激励措施，「{measure.name}」不是激励措施"
            )
        if months is not None and (months < 1 or months > 120):
            errors.setdefault("measures", []).append(f"措施「{measure.name}」期限应为 1–120 个月")
        cleaned.append((measure, months))
    if not cleaned and "measures" not in errors:
        errors["measures"] = ["请至少选择一项措施"]
    if errors:
        raise ValidationFailed("规则有误", field_errors=errors)
    return cleaned


def create_rule(
    *, item, severity: str = "", subject_kind: str = "", lines, note: str = "", access: Access | None
) -> Rule:
    """A new rule. One active rule per (item, severity, kind): a second one is refused, and the
    answer names the existing rule to edit instead (edits make a new version)."""
    if access is not None:
        access.require(can_manage(access), "只有信用办可以维护联合奖惩规则")
    cleaned = _clean_rule(item, severity, subject_kind, lines)
    with transaction.atomic():
        existing = Rule.objects.filter(
            item=item, severity=severity, subject_kind=subject_kind, active=True
        ).first()
        if existing:
            raise Conflict(
                f"已有相同条件的生效规则「{existing}」，请修改该规则（将生成新版本），不要重复新增",
                field_errors={"item": [f"与规则「{existing}」条件相同"]},
            )
        rule = Rule.objects.create(
            item=item,
            severity=severity,
            subject_kind=subject_kind,
            note=note.strip(),
            created_by=getattr(access, "user", None),
        )
        for measure, months in cleaned:
            RuleMeasure.objects.create(rule=rule, measure=measure, months=months)
        log_action(
            "govcredit.rule.created",
            actor=getattr(access, "user", None),
            obj=rule,
            summary=f"新增规则 {rule}",
            after=_rule_snapshot(rule),
        )
    return rule


def revise_rule(rule: Rule, *, lines, note: str = "", access: Access) -> Rule:
    """Edit = new version; the old one stays (sanctions keep the version they were made under)."""
    access.require(can_manage(access), "只有信用办可以维护联合奖惩规则")
    cleaned = _clean_rule(rule.item, rule.severity, rule.subject_kind, lines)
    with transaction.atomic():
        if Rule.objects.filter(pk=rule.pk, active=True).update(active=False) != 1:
            raise Conflict("该规则已被修改或停用，请刷新后查看最新版本")
        new = Rule.objects.create(
            item=rule.item,
            severity=rule.severity,
            subject_kind=rule.subject_kind,
            version=rule.version + 1,
            supersedes=rule,
            note=note.strip() or rule.note,
            created_by=access.user,
        )
        for measure, months in cleaned:
            RuleMeasure.objects.create(rule=new, measure=measure, months=months)
        log_action(
            "govcredit.rule.versioned",
            actor=access.user,
            obj=new,
            summary=f"规则 {rule} 修改为 v{new.version}",
            before=_rule_snapshot(rule),
            after=_rule_snapshot(new),
        )
    return new


def deactivate_rule(rule: Rule, *, access: Access, reason: str) -> Rule:
    access.require(can_manage(access), "只有信用办可以维护联合奖惩规则")
    reason = _reason(reason, "停用原因")
    with transaction.atomic():
        if Rule.objects.filter(pk=rule.pk, active=True).update(active=False) != 1:
            raise Conflict("该规则已停用")
        rule.active = False
        log_action(
            "govcredit.rule.deactivated", actor=access.user, obj=rule, summary=f"停用规则 {rule}：{reason}"
        )
    return rule


def matching_rules(record: CreditRecord) -> list[Rule]:
    return list(
        Rule.objects.filter(item_id=record.item_id, active=True)
        .filter(Q(severity="") | Q(severity=record.severity))
        .filter(Q(subject_kind="") | Q(subject_kind=record.subject.kind))
        .prefetch_related("lines__measure")
        .select_related("item")
    )


@dataclass
class PlannedMeasure:
    measure: Measure
    rule: Rule
    months: int | None
    start: dt.date
    end: dt.date | None
    overridden: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        duration = f"{self.months}个月" if self.months else "随记录公示期"
        text = f"依据规则「{self.rule}」实施「{self.measure.name}」，期限{duration}"
        if self.end:
            text += f"（{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}）"
        if self.overridden:
            text += "；与" + "、".join(self.overridden) + "重叠，按从严原则取期限最长者"
        return text


def _specificity(rule: Rule) -> int:
    return (1 if rule.severity else 0) + (1 if rule.subject_kind else 0)


def plan_for(record: CreditRecord, *, start: dt.date | None = None) -> list[PlannedMeasure]:
    """Which measures the active rules give this record. Where rules overlap on one measure the
    strictest wins (the latest end; on a tie the more specific rule), and the others are named."""
    start = start or timezone.localdate()
    until = record.publish_until
    chosen: dict[int, PlannedMeasure] = {}
    for rule in sorted(matching_rules(record), key=_specificity, reverse=True):
        for line in rule.lines.all():
            if not line.measure.active:
                continue
            months = line.effective_months
            end = add_months(start, months) if months else until
            if end and until and end > until:
                end = until  # a measure never outlasts the record's display window
            if end and end < start:
                end = start
            planned = PlannedMeasure(line.measure, rule, months, start, end)
            current = chosen.get(line.measure.pk)
            if current is None:
                chosen[line.measure.pk] = planned
                continue
            stricter = (planned.end or dt.date.max) > (current.end or dt.date.max)
            loser, winner = (current, planned) if stricter else (planned, current)
            winner.overridden = [*current.overridden, f"规则「{loser.rule}」"]
            chosen[line.measure.pk] = winner
    return list(chosen.values())


# -- sanctions ----------------------------------------------------------------------------------------


def _sanction_state(s: Sanction) -> dict:
    return {
        "status": s.status,
        "start": _iso(s.start),
        "end": _iso(s.end),
        "disputed": s.disputed,
        "mitigated": s.mitigated,
    }


def _history(sanction: Sanction, change: str, before: dict | None, *, reason: str, actor, action: str):
    after = _sanction_state(sanction)
    SanctionHistory.objects.create(
        sanction=sanction, change=change, before=before, after=after, reason=reason, actor=actor
    )
    log_action(
        action,
        actor=actor,
        obj=sanction,
        summary=f"{sanction.measure.name} · {sanction.record.document_no}：{reason}"[:500],
        before=before,
        after=after,
    )


def apply_rules(record: CreditRecord, *, actor=None, today: dt.date | None = None) -> list[Sanction]:
    """Create the sanctions (and their tasks, notices, referrals) for a published record. Idempotent."""
    today = today or timezone.localdate()
    existing = set(Sanction.objects.filter(record=record).values_list("measure_id", flat=True))
    made = []
    for planned in plan_for(record, start=today):
        if planned.measure.pk in existing:
            continue
        sanction = Sanction.objects.create(
            subject=record.subject,
            record=record,
            measure=planned.measure,
            rule=planned.rule,
            rule_version=planned.rule.version,
            start=planned.start,
            end=planned.end,
            reason=planned.explanation,
            disputed=record.status == "under_objection",
        )
        _history(
            sanction,
            "created",
            None,
            reason=planned.explanation,
            actor=actor,
            action="govcredit.sanction.created",
        )
        _apply_effect(sanction, actor=actor, today=today)
        made.append(sanction)
    return made


def _apply_effect(sanction: Sanction, *, actor, today: dt.date) -> None:
    effect = sanction.measure.effect
    record, subject = sanction.record, sanction.subject
    if effect == Effect.RECTIFICATION and subject.kind in UNIT_KINDS:
        create_rectification(sanction, actor=actor, today=today)
    elif effect == Effect.NOTICE:
        draft_notice(sanction, actor=actor)
    elif effect == Effect.REFERRAL and record.severity == Severity.SERIOUS and subject.kind in UNIT_KINDS:
        refer_principal(sanction, actor=actor)


def _change_end(sanction: Sanction, new_end, *, reason: str, actor, change: str = "") -> bool:
    if sanction.end == new_end:
        return False
    if new_end is not None and new_end < sanction.start:
        raise ValidationFailed(
            "结束日期不能早于开始日期",
            field_errors={"end": [f"结束日期不能早于开始日期 {sanction.start:%Y-%m-%d}"]},
        )
    before = _sanction_state(sanction)
    old = sanction.end or dt.date.max
    sanction.end = new_end
    sanction.save(update_fields=["end", "updated_at"])
    change = change or ("shortened" if (new_end or dt.date.max) < old else "extended")
    _history(sanction, change, before, reason=reason, actor=actor, action="govcredit.sanction.changed")
    return True


def _lift(sanction: Sanction, *, reason: str, actor, status=SanctionStatus.LIFTED, change="lifted") -> bool:
    if sanction.status != SanctionStatus.ACTIVE:
        return False
    updated = Sanction.objects.filter(pk=sanction.pk, status=SanctionStatus.ACTIVE).update(
        status=status, updated_at=timezone.now()
    )
    if updated != 1:
        return False
    before = _sanction_state(sanction)
    sanction.status = status
    _history(sanction, change, before, reason=reason, actor=actor, action="govcredit.sanction.lifted")
    if hasattr(sanction, "rectification"):
        task = sanction.rectification
        if task.status in (
            RectificationStatus.OPEN,
            RectificationStatus.RETURNED,
            RectificationStatus.SUBMITTED,
        ):
            _rect_transition(task, task.status, RectificationStatus.CANCELLED, actor=actor, note=reason)
    for notice in CriticismNotice.objects.filter(sanction=sanction).exclude(status=NoticeStatus.WITHDRAWN):
        _withdraw_notice(notice, reason=reason, actor=actor)
    return True


def on_correct(record: CreditRecord, *, actor, reason: str) -> None:
    """Re-evaluate after a correction: shorten/extend, lift what no longer applies, add what now does."""
    active = {
        s.measure_id: s
        for s in Sanction.objects.filter(record=record, status=SanctionStatus.ACTIVE).select_related(
            "measure", "record", "subject"
        )
    }
    planned = {p.measure.pk: p for p in plan_for(record)}
    why = f"记录更正后重新适用规则：{reason}" if reason else "记录更正后重新适用规则"
    for measure_id, sanction in active.items():
        plan = planned.get(measure_id)
        if plan is None:
            _lift(sanction, reason=f"{why}；更正后不再适用该措施", actor=actor)
            continue
        new_end = plan.end
        if new_end is not None and new_end < sanction.start:
            new_end = sanction.start
        if new_end is None and record.publish_until:
            new_end = record.publish_until
        _change_end(sanction, new_end, reason=f"{why}；{plan.explanation}", actor=actor)
    apply_rules(record, actor=actor)


def on_withdrawn(record: CreditRecord, *, actor, reason: str, expired: bool) -> None:
    label = "记录公示期满" if expired else "记录已撤销"
    status = SanctionStatus.ENDED if expired else SanctionStatus.LIFTED
    for sanction in Sanction.objects.filter(record=record, status=SanctionStatus.ACTIVE).select_related(
        "measure", "record"
    ):
        _lift(
            sanction,
            reason=f"{label}：{reason}" if reason else label,
            actor=actor,
            status=status,
            change="ended" if expired else "lifted",
        )


def on_repair(record: CreditRecord, *, actor, reason: str, today: dt.date | None = None) -> None:
    """（十）: repair → waive (免于) or apply more leniently (从轻), per the measure's setting."""
    today = today or timezone.localdate()
    for sanction in Sanction.objects.filter(record=record, status=SanctionStatus.ACTIVE).select_related(
        "measure", "record"
    ):
        effect = sanction.measure.repair_effect
        if effect == RepairEffect.LIFT:
            _lift(sanction, reason=f"信用修复，免于实施：{reason}", actor=actor)
        elif effect == RepairEffect.MITIGATE:
            end = sanction.end or record.publish_until or today
            remaining = max((end - today).days, 0)
            new_end = max(today + dt.timedelta(days=remaining // 2), sanction.start)
            before = _sanction_state(sanction)
            sanction.mitigated = True
            sanction.end = min(new_end, end)
            sanction.save(update_fields=["mitigated", "end", "updated_at"])
            _history(
                sanction,
                "mitigated",
                before,
                reason=f"信用修复，从轻实施（剩余期限减半，至 {sanction.end:%Y-%m-%d}）：{reason}",
                actor=actor,
                action="govcredit.sanction.changed",
            )
        else:
            before = _sanction_state(sanction)
            _history(
                sanction,
                "kept",
                before,
                reason=f"信用修复，但该措施按规定继续实施至期满：{reason}",
                actor=actor,
                action="govcredit.sanction.changed",
            )


def mark_disputed(record: CreditRecord, disputed: bool, *, actor, reason: str) -> None:
    for sanction in Sanction.objects.filter(
        record=record, status=SanctionStatus.ACTIVE, disputed=not disputed
    ):
        before = _sanction_state(sanction)
        sanction.disputed = disputed
        sanction.save(update_fields=["disputed", "updated_at"])
        label = "记录异议处理中" if disputed else "异议办结"
        _history(
            sanction,
            "disputed" if disputed else "undisputed",
            before,
            reason=f"{label}：{reason}" if reason else label,
            actor=actor,
            action="govcredit.sanction.changed",
        )


def adjust_sanction(sanction: Sanction, *, end: dt.date | None, reason: str, access: Access) -> Sanction:
    access.require(can_manage(access), "只有信用办可以调整奖惩措施")
    reason = _reason(reason, "调整原因")
    if sanction.status != SanctionStatus.ACTIVE:
        raise Conflict(f"该措施{sanction.get_status_display()}，不能调整")
    with transaction.atomic():
        locked = Sanction.objects.select_for_update().select_related("measure", "record").get(pk=sanction.pk)
        if not _change_end(locked, end, reason=reason, actor=access.user):
            raise ValidationFailed("结束日期没有变化", field_errors={"end": ["结束日期没有变化"]})
    return locked


def lift_sanction(sanction: Sanction, *, reason: str, access: Access) -> Sanction:
    access.require(can_manage(access), "只有信用办可以解除奖惩措施")
    reason = _reason(reason, "解除原因")
    with transaction.atomic():
        if not _lift(sanction, reason=reason, actor=access.user):
            raise Conflict(f"该措施当前{sanction.get_status_display()}，不能解除")
    return sanction


def end_due_sanctions(today: dt.date | None = None) -> int:
    """Sanctions whose end date has passed become 已期满 (compare-and-swap: safe with two workers)."""
    today = today or timezone.localdate()
    ended = 0
    for sanction in Sanction.objects.filter(status=SanctionStatus.ACTIVE, end__lt=today).select_related(
        "measure", "record"
    )[:1000]:
        with transaction.atomic():
            if _lift(
                sanction,
                reason=f"期限于 {sanction.end:%Y-%m-%d} 届满",
                actor=None,
                status=SanctionStatus.ENDED,
                change="ended",
            ):
                ended += 1
    return ended


# -- rectification --------------------------------------------------------------------------------


def create_rectification(sanction: Sanction, *, actor=None, today: dt.date | None = None) -> Rectification:
    today = today or timezone.localdate()
    deadline = deadline_after(today, sanction.measure.rectification_days)
    task = Rectification.objects.create(
        sanction=sanction,
        record=sanction.record,
        subject=sanction.subject,
        deadline=deadline.due,
        deadline_note=deadline.explain()[:500],
    )
    RectificationEvent.objects.create(
        rectification=task, event="created", note=task.deadline_note, actor=actor
    )
    log_action(
        "govcredit.rectification.created",
        actor=actor,
        obj=task,
        summary=f"{sanction.subject.display_name} 限期整改，期限 {task.deadline:%Y-%m-%d}",
        after={"deadline": task.deadline.isoformat(), "explain": task.deadline_note},
    )
    _notify_users(
        _unit_users(sanction.subject),
        title=f"限期整改任务：{sanction.record.document_no}",
        body=f"请于 {task.deadline:%Y年%m月%d日} 前提交书面说明和整改报告。{task.deadline_note}",
        link=f"/office/sanctions/rectifications/{task.pk}/",
    )
    return task


def _rect_transition(
    task: Rectification, expected: str, new: str, *, actor, note: str = "", **changes
) -> None:
    updated = Rectification.objects.filter(pk=task.pk, status=expected).update(status=new, **changes)
    if updated != 1:
        current = Rectification.objects.filter(pk=task.pk).values_list("status", flat=True).first()
        raise Conflict(f"整改任务已被他人处理，当前状态为「{RectificationStatus(current).label}」，请刷新")
    task.status = new
    for key, value in changes.items():
        setattr(task, key, value)
    RectificationEvent.objects.create(rectification=task, event=new, note=note, actor=actor)
    log_action(
        f"govcredit.rectification.{new}",
        actor=actor,
        obj=task,
        summary=f"{task.record.document_no} 整改：{RectificationStatus(new).label}"
        + (f"，{note}" if note else ""),
        before={"status": expected},
        after={"status": new},
    )


def may_submit_rectification(access: Access, task: Rectification) -> bool:
    return task.subject_id in access.subject_ids_of_own_units() or can_manage(access)


def may_decide_rectification(access: Access) -> bool:
    """Accept or return submitted rectification material."""
    return can_manage(access) or access.can_review()


def submit_rectification(
    task: Rectification, *, explanation: str, report: str, files=(), access: Access
) -> Rectification:
    """The recorded unit submits its written explanation and rectification report (with attachments)."""
    access.require(may_submit_rectification(access, task), "只有被记录单位的用户可以提交整改材料")
    if task.status == RectificationStatus.ACCEPTED:
        raise Conflict("该整改任务已验收通过，不能再提交")
    if task.status not in TODO_STATUSES:
        raise Conflict(f"该整改任务当前为「{task.get_status_display()}」，不能提交")
    errors: dict[str, list[str]] = {}
    explanation, report = (explanation or "").strip(), (report or "").strip()
    if not explanation:
        errors["explanation"] = ["请填写书面说明（失信原因）"]
    elif len(explanation) > 5000:
        errors["explanation"] = ["书面说明不能超过5000个字符"]
    if not report:
        errors["report"] = ["请填写整改报告（已采取的整改措施和效果）"]
    elif len(report) > 10000:
        errors["report"] = ["整改报告不能超过10000个字符"]
    files = list(files)
    for name, content in files:
        problem = _attachment_problem(name, content)
        if problem:
            errors.setdefault("attachments", []).append(problem)
    if errors:
        raise ValidationFailed("整改材料有误", field_errors=errors)
    with transaction.atomic():
        _rect_transition(
            task,
            task.status,
            RectificationStatus.SUBMITTED,
            actor=access.user,
            explanation=explanation,
            report=report,
            submitted_by=access.user,
            submitted_at=timezone.now(),
        )
        for name, content in files:
            safe = PurePath(name).name[-150:]
            att = RectificationAttachment(
                rectification=task,
                original_name=safe,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                uploaded_by=access.user,
            )
            att.file.save(safe, ContentFile(content), save=False)
            att.save()
    return task


def _attachment_problem(name: str, content: bytes) -> str:
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        return f"文件「{name}」类型不支持，仅接受 PDF、OFD、JPG、PNG"
    if not content:
        return f"文件「{name}」是空文件"
    if len(content) > settings.GOVCREDIT_EVIDENCE_MAX_BYTES:
        return f"文件「{name}」超过 {settings.GOVCREDIT_EVIDENCE_MAX_BYTES // (1024 * 1024)} MB 上限"
    if not content.startswith(EVIDENCE_MAGIC[suffix]):
        return f"文件「{name}」的内容不是有效的 {suffix[1:].upper()} 文件"
    return ""


def accept_rectification(task: Rectification, *, note: str = "", access: Access) -> Rectification:
    access.require(may_decide_rectification(access), "只有信用办可以验收整改")
    return _decide_rectification(
        task,
        RectificationStatus.ACCEPTED,
        note=note.strip(),
        actor=access.user,
        verb="验收",
        title="整改已验收",
    )


def return_rectification(task: Rectification, *, note: str, access: Access) -> Rectification:
    access.require(may_decide_rectification(access), "只有信用办可以退回整改")
    note = _reason(note, "退回理由")
    return _decide_rectification(
        task, RectificationStatus.RETURNED, note=note, actor=access.user, verb="退回", title="整改材料被退回"
    )


def _decide_rectification(task: Rectification, new: str, *, note: str, actor, verb: str, title: str):
    if task.status != RectificationStatus.SUBMITTED:
        raise Conflict(f"只有已提交的整改可以{verb}，当前为「{task.get_status_display()}」")
    with transaction.atomic():
        _rect_transition(
            task,
            RectificationStatus.SUBMITTED,
            new,
            actor=actor,
            note=note,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_note=note,
        )
        _notify_users(
            _unit_users(task.subject),
            title=f"{title}：{task.record.document_no}",
            body=note,
            link=f"/office/sanctions/rectifications/{task.pk}/",
        )
    return task


def overdue_rectifications(
    today: dt.date | None = None, *, qs: QuerySet | None = None
) -> QuerySet[Rectification]:
    """Tasks past their deadline with the unit still to act (all, or those of ``qs``)."""
    today = today or timezone.localdate()
    qs = Rectification.objects.all() if qs is None else qs
    return qs.filter(status__in=TODO_STATUSES, deadline__lt=today)


def escalate_overdue(today: dt.date | None = None) -> int:
    """Flag each overdue task once and tell the unit's superior government and the credit office.

    The claim is a compare-and-swap on ``escalated_at`` (NULL → now): with two workers exactly one
    wins each task, and a crash rolls the claim back with the notices.
    """
    today = today or timezone.localdate()
    count = 0
    ids = list(overdue_rectifications(today).filter(escalated_at__isnull=True).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            if (
                Rectification.objects.filter(pk=pk, escalated_at__isnull=True).update(
                    escalated_at=timezone.now()
                )
                != 1
            ):
                continue
            task = Rectification.objects.select_related("subject", "subject__parent", "record").get(pk=pk)
            days = (today - task.deadline).days
            title = f"整改逾期督办：{task.subject.display_name}（{task.record.document_no}）"
            body = (
                f"{task.subject.display_name} 的限期整改任务已于 {task.deadline:%Y年%m月%d日} 到期，"
                f"逾期 {days} 天仍未提交整改材料，请督促整改。"
            )
            users = _superior_users(task.subject) | _credit_office_users() | _unit_users(task.subject)
            _notify_users(users, title=title, body=body, link=f"/office/sanctions/rectifications/{task.pk}/")
            RectificationEvent.objects.create(rectification=task, event="escalated", note=body)
            log_action(
                "govcredit.rectification.escalated",
                obj=task,
                summary=title,
                after={"notified": sorted(u.pk for u in users), "overdue_days": days},
            )
            count += 1
    return count


# -- people to notify ---------------------------------------------------------------------------------


def _users_of(org_filter: Q, roles=None) -> set:
    qs = Membership.objects.filter(org_filter, user__is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return {m.user for m in qs.select_related("user")}


def _unit_users(subject: Subject) -> set:
    return _users_of(Q(organisation__subject=subject), roles=[Role.SUBJECT_USER])


def _superior_users(subject: Subject) -> set:
    parent = subject.parent
    while parent is not None and parent.kind != SubjectKind.GOVERNMENT:
        parent = parent.parent
    if parent is None or parent.pk == subject.pk:
        return set()
    return _users_of(Q(organisation__subject=parent))


def _credit_office_users() -> set:
    return _users_of(Q(organisation__is_credit_office=True), roles=[Role.CREDIT_OFFICE])


def _notify_users(users, *, title: str, body: str, link: str) -> None:
    users = list(users)
    Notice.objects.bulk_create([Notice(user=u, title=title[:200], body=body, link=link) for u in users])
    recipients = [u.email for u in users if u.email]
    if recipients:

        def send():
            try:
                send_mail(title, f"{body}\n\n{link}", settings.DEFAULT_FROM_EMAIL, recipients)
            except Exception:  # mail trouble must not undo the change; the in-app notice stands
                logger.exception("notice mail failed")

        transaction.on_commit(send)


def mark_notices_read(access: Access) -> int:
    return Notice.objects.filter(user=access.user, read_at__isnull=True).update(read_at=timezone.now())


# -- criticism notices ----------------------------------------------------------------------------------

NOTICE_TEMPLATE = """经核查，{subject}存在以下政务失信行为：

{facts}

上述行为经{decided_by}于{decided_on}作出处理决定（{document_no}），已纳入政务失信记录。根据《周村区人民政府关于加强政务诚信建设的实施意见》（周政发〔2018〕26号）第（九）项规定，现对{subject}予以通报批评，并责令其书面说明原因、限期整改。

各级政府和政府部门要引以为戒，切实增强诚信意识，依法履职、守信践诺。

周村区社会信用体系建设联席会议办公室
{today}"""


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def draft_notice(sanction: Sanction, *, actor=None) -> CriticismNotice:
    record, subject = sanction.record, sanction.subject
    name = subject.display_name
    notice = CriticismNotice.objects.create(
        record=record,
        subject=subject,
        sanction=sanction,
        title=f"关于对{name}政务失信行为的通报",
        body=NOTICE_TEMPLATE.format(
            subject=name,
            facts=record.facts,
            decided_by=record.decided_by,
            decided_on=_cn_date(record.decided_on),
            document_no=record.document_no,
            today=_cn_date(timezone.localdate()),
        ),
    )
    log_action("govcredit.notice.drafted", actor=actor, obj=notice, summary=notice.title)
    return notice


def update_notice(notice: CriticismNotice, *, title: str, body: str, access: Access) -> CriticismNotice:
    access.require(can_manage(access), "只有信用办可以编辑通报")
    if notice.status != NoticeStatus.DRAFT:
        raise Conflict("只有草稿状态的通报可以修改")
    errors = {}
    if not title.strip():
        errors["title"] = ["请填写标题"]
    if not body.strip():
        errors["body"] = ["请填写正文"]
    if errors:
        raise ValidationFailed("通报内容有误", field_errors=errors)
    with transaction.atomic():
        before = {"title": notice.title, "body": notice.body}
        notice.title, notice.body = title.strip()[:200], body.strip()
        notice.save(update_fields=["title", "body"])
        log_action(
            "govcredit.notice.updated",
            actor=access.user,
            obj=notice,
            summary=notice.title,
            before=before,
            after={"title": notice.title, "body": notice.body},
        )
    return notice


def publish_notice(notice: CriticismNotice, *, access: Access) -> CriticismNotice:
    access.require(can_manage(access), "只有信用办可以发布通报")
    if notice.record.status not in LIVE_STATUSES:
        raise Conflict("该记录已不在公示期内，不能发布通报")
    with transaction.atomic():
        now = timezone.now()
        if (
            CriticismNotice.objects.filter(pk=notice.pk, status=NoticeStatus.DRAFT).update(
                status=NoticeStatus.PUBLISHED, published_at=now, reviewed_by=access.user
            )
            != 1
        ):
            raise Conflict("只有草稿状态的通报可以发布")
        notice.status, notice.published_at, notice.reviewed_by = NoticeStatus.PUBLISHED, now, access.user
        log_action("govcredit.notice.published", actor=access.user, obj=notice, summary=notice.title)
        public_version.bump()
    return notice


def _withdraw_notice(notice: CriticismNotice, *, reason: str, actor) -> None:
    notice.status, notice.withdrawn_reason = NoticeStatus.WITHDRAWN, reason
    notice.save(update_fields=["status", "withdrawn_reason"])
    public_version.bump()
    log_action(
        "govcredit.notice.withdrawn", actor=actor, obj=notice, summary=f"{notice.title}：{reason}"[:500]
    )


def withdraw_notice(notice: CriticismNotice, *, reason: str, access: Access) -> CriticismNotice:
    access.require(can_manage(access), "只有信用办可以撤回通报")
    reason = _reason(reason, "撤回原因")
    if notice.status == NoticeStatus.WITHDRAWN:
        raise Conflict("该通报已撤回")
    with transaction.atomic():
        _withdraw_notice(notice, reason=reason, actor=access.user)
    return notice


def published_notices() -> QuerySet[CriticismNotice]:
    """What the portal shows: published notices whose record is still public."""
    return CriticismNotice.objects.filter(
        status=NoticeStatus.PUBLISHED, record__status__in=LIVE_STATUSES, record__disclosure="public"
    ).select_related("record", "subject")


# -- accountability referrals -----------------------------------------------------------------------------


def refer_principal(sanction: Sanction, *, actor=None) -> AccountabilityReferral:
    """Refer the principal responsible person *at the decision date* (from tenure data)."""
    record, unit = sanction.record, sanction.subject
    tenure = principal_on(unit, record.decided_on)
    referral = AccountabilityReferral.objects.create(
        record=record,
        sanction=sanction,
        unit=unit,
        person=tenure.person if tenure else None,
        position=tenure.position if tenure else "",
        on_date=record.decided_on,
        to_unit=Organisation.objects.filter(short_name=REFERRAL_UNIT).first(),
    )
    who = (
        f"{tenure.person.display_name}（{tenure.position}）"
        if tenure
        else "（任职数据中无该日的主要负责人，须人工认定）"
    )
    log_action(
        "govcredit.referral.created",
        actor=actor,
        obj=referral,
        summary=f"{unit.display_name} 主要负责人 {who} 移送追究责任（{record.document_no}）",
        after={"person": referral.person_id, "on_date": record.decided_on.isoformat()},
    )
    return referral


def update_referral(
    referral: AccountabilityReferral, *, status: str, outcome: str = "", access: Access
) -> AccountabilityReferral:
    access.require(can_handle_referrals(access), "只有区委组织部或信用办可以登记责任追究办理情况")
    if status not in ReferralStatus.values:
        raise ValidationFailed("办理状态无效", field_errors={"status": ["请选择办理状态"]})
    if referral.status == ReferralStatus.CONCLUDED:
        raise Conflict("该移送已办结")
    outcome = (outcome or "").strip()
    if status == ReferralStatus.CONCLUDED and not outcome:
        raise ValidationFailed("请填写处理结果", field_errors={"outcome": ["办结时须填写处理结果"]})
    with transaction.atomic():
        before = {"status": referral.status, "outcome": referral.outcome}
        referral.status = status
        referral.outcome = outcome or referral.outcome
        referral.concluded_at = timezone.now() if status == ReferralStatus.CONCLUDED else None
        referral.save(update_fields=["status", "outcome", "concluded_at"])
        log_action(
            "govcredit.referral.updated",
            actor=access.user,
            obj=referral,
            summary=f"{referral.record.document_no} 责任追究：{referral.get_status_display()}",
            before=before,
            after={"status": referral.status, "outcome": referral.outcome},
        )
    return referral
