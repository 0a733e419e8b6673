"""Sanctions applied to records: created by the rules, adjusted, lifted, ended; record events."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.catalog.models import Severity
from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.core.ledger import log_action
from govcredit.records.models import CreditRecord
from govcredit.subjects.models import UNIT_KINDS

from ..models import (
    CriticismNotice,
    Effect,
    NoticeStatus,
    RectificationStatus,
    RepairEffect,
    Sanction,
    SanctionHistory,
    SanctionStatus,
)
from .common import TODO_STATUSES, _iso, _reason, can_manage, notices_for, rectifications_for, sanctions_for
from .notices import _withdraw_notice, draft_notice
from .rectification import _rect_transition, create_rectification, overdue_rectifications
from .referrals import refer_principal
from .rules import plan_for

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


def fit_period(sanction: Sanction, new_end, *, reason: str, actor) -> bool:
    """Fit a sanction's end to a period another rule sets (the bidding disqualification's months
    from the decision, 招标投标法实施条例): the same audited change as an adjustment, kind ``period``.
    Returns whether the end moved."""
    return _change_end(sanction, new_end, reason=reason, actor=actor, change="period")


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
