"""联合奖惩规则 (rules): versioned rule lines and the plan a published record gets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.catalog.models import CatalogItem, Severity
from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.core.ledger import log_action
from govcredit.records.models import CreditRecord
from govcredit.records.services import add_months
from govcredit.subjects.models import SubjectKind

from ..models import (
    Measure,
    Rule,
    RuleMeasure,
)
from .common import _reason, can_manage

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
