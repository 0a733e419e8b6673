"""Commitment rules (WAVE2 §1): draft → publish → progress reports → assessment by a verifier who is not
the reporter → (breach) finding → broken_commitment proposed into the normal review. A published target
changes only through a public CommitmentChange (goal-post lock)."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation, Role
from govcredit.core import public_version
from govcredit.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.workdays import format_cn_date
from govcredit.duties.clock import due_date
from govcredit.duties.disclosure import disclose
from govcredit.duties.models import Duty, DutyStatus, Finding
from govcredit.duties.services import cancel_duty, fulfil_duty, open_finding, record_event, register_duty
from govcredit.records.validation import parse_date
from govcredit.subjects.models import Subject
from govcredit.subjects.services import find_by_code

from .models import (
    ASSESSED,
    LIVE,
    PUBLIC,
    SERVICE_AREAS,
    Assessment,
    Cadence,
    Commitment,
    CommitmentChange,
    CommitmentRule,
    Direction,
    Kind,
    Metric,
    ProgressReport,
    SourceType,
    Status,
)

MODULE = "commitments"
OBJECT_TYPE = "commitments.commitment"
PREFIX = "CMT"
ITEM = "broken_commitment"
FINDING_UNIT = "区发改局"  # the catalog allows 区发改局 to submit broken_commitment

for key, label in {
    "created": "登记承诺",
    "updated": "修改承诺草稿",
    "published": "公示承诺",
    "reported": "报送承诺进展",
    "report_reviewed": "审核承诺进展报告",
    "assessed": "核定承诺履行情况",
    "changed": "依法定程序变更承诺目标",
    "withdrawn": "撤回承诺",
}.items():
    register_action(f"govcredit.commitment.{key}", label)

# ⚠ which unit verifies which kind (WAVE2 §1(c)); the credit office may always verify
VERIFIER_UNITS = {Kind.ENVIRONMENT: ("区环保分局",), Kind.DEVELOPMENT_TARGET: ("区统计局", "区发改局")}
# 政府工作报告 targets are published by 区政府办公室 as well as the credit office (WAVE2 §1(c))
PUBLISHER_UNITS = {SourceType.WORK_REPORT: ("区政府办公室",)}
LEGAL_BASIS = {
    Kind.ENVIRONMENT: "周政发〔2018〕26号（十五）；鲁发改财金〔2024〕799号",
    Kind.TOWN_PUBLIC: "周政发〔2018〕26号（十七）；山东省社会信用条例第四十九条；鲁发改财金〔2024〕799号",
    Kind.DEVELOPMENT_TARGET: "周政发〔2018〕26号（十九）；鲁发改财金〔2024〕799号",
}
DEFAULT_BASIS = "周政发〔2018〕26号（二）四 守信践诺；鲁发改财金〔2024〕799号"

RULES = {
    "due_soon_days": (
        "承诺即将到期提示窗口（日）",
        Decimal("30"),
        "local_choice",
        "⚠ 本区自定：承诺看板将该日数内到期的承诺列为即将到期；责任链的到期前5个工作日提醒另行发送",
    ),
    "partial_threshold": (
        "部分履行记为失信的完成率下限（%）",
        Decimal("60"),
        "local_choice",
        "⚠ 本区自定：部分履行且完成率低于该值的，生成失信线索（WAVE2 §1(d)）",
    ),
    "report_grace_days": (
        "报告期结束后报送期限（日）",
        Decimal("10"),
        "local_choice",
        "⚠ 本区自定：每个报告期结束后若干日内报送进展",
    ),
    "repeat_years": (
        "重复失信认定年限（年）",
        Decimal("3"),
        "local_choice",
        "⚠ 本区自定：该年限内再次未履行承诺的，按严重认定",
    ),
}


def rule(key: str) -> Decimal:
    row = CommitmentRule.objects.filter(key=key).first()
    return row.value if row else RULES[key][1]


# -- helpers ------------------------------------------------------------------------------------
class Problems:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self, message: str = "承诺信息有误") -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise ValidationFailed(f"{message}：{first}", field_errors=self.errors)


def _text(data: dict, key: str, limit: int | None = None) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[:limit] if limit else text


def _decimal(value, field: str, label: str, problems: Problems) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        problems.add(field, f"{label}应为数字")
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "").rstrip("%"))
    except InvalidOperation:
        problems.add(field, f"{label}应为数字，「{str(value)[:30]}」不是数字")
        return None
    if not number.is_finite() or abs(number) >= Decimal("1e14"):
        problems.add(field, f"{label}超出范围")
        return None
    return number


def _date(value, field: str, label: str, problems: Problems) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return parse_date(value)
    except (ValueError, OverflowError, TypeError):
        problems.add(field, f"{label}格式应为 2026-03-05")
        return None


def resolve_subject(value) -> Subject | None:
    text = str(value or "").strip()
    if not text:
        return None
    subject = find_by_code(text) if len(text) == 18 else None
    if subject is None:
        subject = Subject.objects.filter(Q(name=text) | Q(public_id=text)).first()
    return subject


def resolve_unit(value) -> Organisation | None:
    text = str(value or "").strip()
    if not text:
        return None
    return Organisation.objects.filter(
        Q(name=text) | Q(short_name=text) | Q(subject__uscc=text), active=True
    ).first()


def _can_edit(access, unit_id: int) -> bool:
    if access.has_role(Role.CREDIT_OFFICE, Role.ADMIN):
        return True
    return any(
        m.organisation_id == unit_id and m.role in (Role.CLERK, Role.SUBJECT_USER) for m in access.memberships
    )


def may_publish(access, commitment: Commitment) -> bool:
    if access.has_role(Role.CREDIT_OFFICE):
        return True
    names = PUBLISHER_UNITS.get(commitment.source_type, ())
    return any(m.organisation.short_name in names and m.role == Role.CLERK for m in access.memberships)


def may_verify(access, commitment: Commitment) -> bool:
    if access.has_role(Role.CREDIT_OFFICE):
        return True
    names = VERIFIER_UNITS.get(commitment.kind, ())
    return any(m.organisation.short_name in names and m.role == Role.CLERK for m in access.memberships)


def commitments_for(access) -> QuerySet[Commitment]:
    qs = Commitment.objects.all()
    if access is None or not access.roles:
        return qs.none()
    if access.sees_everything:
        return qs
    return qs.filter(
        Q(unit_id__in=access.organisation_ids) | Q(subject_id__in=access.subject_ids_of_own_units())
    )


def get_commitment(access, pk) -> Commitment:
    c = commitments_for(access).select_related("subject", "unit").filter(pk=pk).first()
    if c is None:
        raise NotFound("承诺不存在或不在您的查看范围内")
    return c


def public_commitments() -> QuerySet[Commitment]:
    return Commitment.objects.filter(public=True, status__in=PUBLIC).exclude(published_at=None)


def area_filter(area: str) -> Q:
    """Commitments tagged with a service area (the JSON list is stored ASCII-escaped on SQLite)."""
    import json

    area = area.strip()[:20]
    return Q(areas__icontains=f'"{area}"') | Q(areas__icontains=json.dumps(area))


# -- targets ------------------------------------------------------------------------------------
TARGET_FIELDS = ("metric", "metric_unit", "direction", "baseline", "target", "target_date", "due_on")


def target_of(c: Commitment) -> dict:
    return {
        "metric": c.metric,
        "metric_unit": c.metric_unit,
        "direction": c.direction,
        "baseline": str(c.baseline) if c.baseline is not None else None,
        "target": str(c.target) if c.target is not None else None,
        "target_date": c.target_date.isoformat() if c.target_date else None,
        "due_on": c.due_on.isoformat(),
    }


def _num(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    d = Decimal(str(value))
    text = f"{d:,.4f}".rstrip("0").rstrip(".")
    return text


def target_text(t: dict) -> str:
    metric = t.get("metric")
    if metric == Metric.BOOLEAN:
        return "按期完成"
    if metric == Metric.DATE:
        day = t.get("target_date")
        return f"于{format_cn_date(dt.date.fromisoformat(day))}前完成" if day else "按期完成"
    unit = "%" if metric == Metric.PERCENT else (t.get("metric_unit") or "")
    word = Direction(t.get("direction") or Direction.INCREASE).label
    return f"{word}{_num(t.get('target'))}{unit}"


def target_in_force(c: Commitment, on: dt.date) -> tuple[int, dict]:
    """(version, target) in force on ``on``: a change counts only if approved on or before that day."""
    changes = list(c.changes.order_by("version"))
    if not changes:
        return c.version, target_of(c)
    version, target = 1, changes[0].old_target
    for change in changes:
        if change.approved_on <= on:
            version, target = change.version, change.new_target
    return version, target


# -- validation of a commitment's fields ---------------------------------------------------------
CHOICES = {
    "kind": (Kind, "承诺类型"),
    "source_type": (SourceType, "来源"),
    "metric": (Metric, "指标类型"),
    "direction": (Direction, "方向"),
    "cadence": (Cadence, "报告频次"),
}
LABEL_ALIASES = {name: {c.label: c.value for c in enum} for name, (enum, _l) in CHOICES.items()}


def _choice(data: dict, name: str, default: str | None, problems: Problems) -> str:
    enum, label = CHOICES[name]
    raw = _text(data, name)
    if not raw:
        if default is None:
            problems.add(name, f"请填写{label}")
        return default or ""
    value = LABEL_ALIASES[name].get(raw, raw)
    if value not in enum.values:
        allowed = "、".join(f"{c.value}（{c.label}）" for c in enum)
        problems.add(name, f"{label}「{raw[:20]}」无效，应为：{allowed}")
        return default or ""
    return value


def clean_fields(data: dict, *, partial: Commitment | None = None) -> tuple[dict, Problems]:
    """Validate the fields of a new commitment (or the given ones of a draft)."""
    problems = Problems()
    base = (
        {} if partial is None else {f: getattr(partial, f) for f in ("kind", "metric", "start_on", "due_on")}
    )
    out: dict = {}

    def has(key: str) -> bool:
        return partial is None or key in data

    if has("kind"):
        out["kind"] = _choice(data, "kind", None, problems)
    if has("title"):
        title = _text(data, "title")
        if not title:
            problems.add("title", "请填写承诺事项")
        elif len(title) > 300:
            problems.add("title", "承诺事项不能超过300个字符")
        out["title"] = title
    if has("content"):
        out["content"] = _text(data, "content")[:5000]
    if has("subject"):
        subject = resolve_subject(data.get("subject"))
        if subject is None:
            problems.add(
                "subject", f"承诺主体「{_text(data, 'subject')[:40]}」未登记（请填写统一社会信用代码或全称）"
            )
        out["subject"] = subject
    if "unit" in data and _text(data, "unit"):
        unit = resolve_unit(data.get("unit"))
        if unit is None:
            problems.add("unit", f"责任单位「{_text(data, 'unit')[:40]}」不存在")
        out["unit"] = unit
    for key, limit in (
        ("responsible_person", 60),
        ("source_document", 120),
        ("source_clause", 120),
        ("source_ref", 60),
        ("metric_unit", 20),
    ):
        if key in data:
            out[key] = _text(data, key, limit)
    if has("source_type"):
        out["source_type"] = _choice(data, "source_type", SourceType.OTHER, problems)
    if has("metric"):
        out["metric"] = _choice(data, "metric", Metric.BOOLEAN, problems)
    if has("direction"):
        out["direction"] = _choice(data, "direction", Direction.INCREASE, problems)
    if has("cadence"):
        out["cadence"] = _choice(data, "cadence", Cadence.NONE, problems)
    for key, label in (("baseline", "基期值"), ("target", "目标值")):
        if key in data:
            out[key] = _decimal(data.get(key), key, label, problems)
    if "target_date" in data:
        out["target_date"] = _date(data.get("target_date"), "target_date", "目标完成日期", problems)
    for key, label in (("start_on", "起始日期"), ("due_on", "承诺期限")):
        if has(key):
            value = _date(data.get(key), key, label, problems)
            if value is None and key not in problems.errors:
                problems.add(key, f"请填写{label}")
            out[key] = value
    if "weight" in data and data.get("weight") not in (None, ""):
        weight = _decimal(data.get("weight"), "weight", "权重", problems)
        if weight is not None and not Decimal("0") < weight <= Decimal("100"):
            problems.add("weight", "权重应大于0且不超过100")
        out["weight"] = weight
    if "areas" in data:
        raw = data.get("areas") or []
        if isinstance(raw, str):
            raw = [a for a in re.split(r"[、,，;；\s]+", raw) if a]
        if not isinstance(raw, list):
            problems.add("areas", "服务领域应为列表")
            raw = []
        bad = [str(a) for a in raw if a not in SERVICE_AREAS]
        if bad:
            problems.add(
                "areas",
                f"服务领域「{'、'.join(bad)[:40]}」无效，应为（十七）所列：{'、'.join(SERVICE_AREAS)}",
            )
        out["areas"] = [a for a in SERVICE_AREAS if a in raw]
    if "public" in data:
        out["public"] = data.get("public") not in (False, "false", "0", 0, "否")
    if "parent" in data and data.get("parent") not in (None, ""):
        parent = (
            Commitment.objects.filter(pk=data.get("parent")).first()
            if str(data.get("parent")).isdigit()
            else None
        )
        if parent is None:
            problems.add("parent", "上级承诺不存在")
        elif parent.parent_id and parent.parent.parent_id is None and False:
            pass
        elif parent.parent_id:
            problems.add("parent", "承诺最多两级：所选上级承诺本身已有上级")
        out["parent"] = parent

    merged = {**base, **out}
    metric = merged.get("metric") or Metric.BOOLEAN
    if metric in (Metric.QUANTITY, Metric.PERCENT) and (
        "target" in out or partial is None or "metric" in out
    ):
        target = merged.get("target", getattr(partial, "target", None) if partial else None)
        if target is None and "target" not in problems.errors:
            problems.add("target", "数量或百分比指标须填写目标值（数字）")
        if metric == Metric.PERCENT and target is not None and not Decimal("0") <= target <= Decimal("1000"):
            problems.add("target", "百分比目标应在 0 至 1000 之间")
    if metric == Metric.DATE and ("target_date" in out or partial is None):
        if merged.get("target_date") is None and "target_date" not in problems.errors:
            problems.add("target_date", "完成日期指标须填写目标完成日期")
    start, due = merged.get("start_on"), merged.get("due_on")
    if start and due and due < start:
        problems.add("due_on", "承诺期限不能早于起始日期")
    if start and due and (due - start).days > 366 * 20:
        problems.add("due_on", "承诺期限超过20年，请核对")
    if start and start.year < 2000:
        problems.add("start_on", "起始日期过早，请核对")
    td = merged.get("target_date")
    if td and start and td < start:
        problems.add("target_date", "目标完成日期不能早于起始日期")
    return out, problems


# -- create / edit / publish ---------------------------------------------------------------------
def _default_unit(access, subject: Subject | None) -> Organisation | None:
    if subject is not None:
        org = Organisation.objects.filter(subject=subject).first()
        if org is not None:
            return org
    primary = access.primary if access else None
    return primary.organisation if primary else None


def create_commitment(data: dict, *, access) -> Commitment:
    """A draft, by the responsible unit (or the credit office)."""
    access.require(
        access.has_role(Role.CLERK, Role.SUBJECT_USER, Role.CREDIT_OFFICE, Role.ADMIN), "您没有登记承诺的权限"
    )
    fields, problems = clean_fields(data)
    problems.raise_if_any()
    unit = fields.pop("unit", None) or _default_unit(access, fields["subject"])
    if unit is None:
        raise ValidationFailed("请填写责任单位", field_errors={"unit": ["请填写责任单位"]})
    if not _can_edit(access, unit.pk):
        raise PermissionDenied(f"您只能为本单位登记承诺，不能为「{unit}」登记")
    code = _text(data, "code", 30)
    with transaction.atomic():
        if code and Commitment.objects.filter(code=code).exists():
            raise ValidationFailed(
                f"承诺编号「{code}」已使用", field_errors={"code": [f"承诺编号「{code}」已使用"]}
            )
        fields.setdefault("weight", None)
        if fields["weight"] is None:
            fields["weight"] = Decimal("1")
        c = Commitment.objects.create(
            code=code or f"TMP-{timezone.now():%Y%m%d%H%M%S%f}", unit=unit, created_by=access.user, **fields
        )
        if not code:
            c.code = f"CMT-{c.start_on.year}-{c.pk:06d}"
            c.save(update_fields=["code"])
        log_action(
            "govcredit.commitment.created", actor=access.user, obj=c, summary=f"{c.code} {c.title[:100]}"
        )
    return c


def update_commitment(c: Commitment, data: dict, *, access) -> Commitment:
    """Drafts change freely; a published commitment's target changes only through ``change_target``."""
    access.require(_can_edit(access, c.unit_id), "您只能修改本单位的承诺")
    if c.status != Status.DRAFT:
        if set(data) & set(TARGET_FIELDS):
            return change_target(c, data, access=access)
        raise Conflict("已公示的承诺不能直接修改；目标变更须说明理由并附批准文件")
    fields, problems = clean_fields(data, partial=c)
    problems.raise_if_any()
    with transaction.atomic():
        before = target_of(c)
        for key, value in fields.items():
            if key == "weight" and value is None:
                continue
            setattr(c, key, value)
        c.save()
        log_action(
            "govcredit.commitment.updated",
            actor=access.user,
            obj=c,
            summary=c.code,
            before=before,
            after=target_of(c),
        )
    return c


def report_periods(c: Commitment) -> list[tuple[str, dt.date]]:
    """(period, last day) of every reporting period that ends before the due date (the final
    self-declaration at the due date covers the rest)."""
    step = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.HALF_YEARLY: 6, Cadence.YEARLY: 12}.get(
        c.cadence
    )
    if not step:
        return []
    out = []
    year, month = c.start_on.year, c.start_on.month
    # align to the period grid of the calendar year
    month = ((month - 1) // step) * step + 1
    while True:
        end_month = month + step - 1
        end = dt.date(year, end_month, _cal.monthrange(year, end_month)[1])
        if end >= c.due_on:
            break
        if step == 1:
            label = f"{year}-{month:02d}"
        elif step == 3:
            label = f"{year}Q{(month - 1) // 3 + 1}"
        elif step == 6:
            label = f"{year}H{(month - 1) // 6 + 1}"
        else:
            label = str(year)
        out.append((label, end))
        month += step
        if month > 12:
            month, year = 1, year + 1
        if len(out) > 400:
            break
    return out


def _register_duties(c: Commitment) -> None:
    grace = int(rule("report_grace_days"))
    wanted = set()
    for period, end in report_periods(c):
        register_duty(
            module=MODULE,
            kind="commitment_report",
            obj=c,
            key=period,
            due=due_date(end, mode="calendar", n=grace),
            title=f"承诺「{c.title[:80]}」{period}进展报告",
            unit=c.unit,
            subject=c.subject,
        )
        wanted.add(period)
    register_duty(
        module=MODULE,
        kind="commitment_final",
        obj=c,
        key="final",
        due=due_date(c.due_on, mode="calendar", n=0),
        title=f"承诺「{c.title[:80]}」到期自评报告",
        unit=c.unit,
        subject=c.subject,
    )
    for duty in Duty.objects.filter(
        module=MODULE,
        kind="commitment_report",
        object_type=OBJECT_TYPE,
        object_id=c.pk,
        status=DutyStatus.OPEN,
    ).exclude(key__in=wanted):
        cancel_duty(duty, reason="报告期调整")


def publish(c: Commitment, *, access) -> Commitment:
    access.require(may_publish(access, c), "只有区发改局（政府工作报告目标还可由区政府办公室）可以公示承诺")
    with transaction.atomic():
        c = Commitment.objects.select_for_update().get(pk=c.pk)
        if c.status != Status.DRAFT:
            raise Conflict(f"承诺「{c.code}」当前状态为「{c.get_status_display()}」，不能公示")
        c.status = Status.PUBLISHED
        c.published_at = timezone.now()
        c.save(update_fields=["status", "published_at", "updated_at"])
        _register_duties(c)
        if c.public:
            disclose("publish", object_type=OBJECT_TYPE, object_id=c.pk, version=c.version)
            public_version.bump()
        log_action(
            "govcredit.commitment.published", actor=access.user, obj=c, summary=f"{c.code} {c.title[:100]}"
        )
    return c


def withdraw(c: Commitment, *, access, reason: str) -> Commitment:
    access.require(may_publish(access, c), "只有公示单位可以撤回承诺")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请填写撤回原因", field_errors={"reason": ["请填写撤回原因"]})
    with transaction.atomic():
        c = Commitment.objects.select_for_update().get(pk=c.pk)
        if c.status not in (Status.DRAFT, *LIVE):
            raise Conflict(f"承诺「{c.code}」当前状态为「{c.get_status_display()}」，不能撤回")
        was_public = c.published_at is not None and c.public
        c.status, c.withdrawn_reason = Status.WITHDRAWN, reason[:300]
        c.save(update_fields=["status", "withdrawn_reason", "updated_at"])
        for duty in Duty.objects.filter(object_type=OBJECT_TYPE, object_id=c.pk, status=DutyStatus.OPEN):
            cancel_duty(duty, reason=f"承诺撤回：{reason[:100]}")
        if was_public:
            disclose("withdraw", object_type=OBJECT_TYPE, object_id=c.pk, version=c.version)
            public_version.bump()
        log_action(
            "govcredit.commitment.withdrawn", actor=access.user, obj=c, summary=f"{c.code}：{reason[:200]}"
        )
    return c


# -- goal-post lock -----------------------------------------------------------------------------
def change_target(c: Commitment, data: dict, *, access) -> Commitment:
    """Change a published target: a reason and an approving document are required; both versions stay
    public and the disclosure ledger gets ``correct``."""
    access.require(may_publish(access, c), "只有公示单位可以依法定程序变更承诺目标")
    reason = _text(data, "change_reason") or _text(data, "reason")
    document = _text(data, "approving_document", 200) or _text(data, "change_document", 200)
    problems = Problems()
    if not reason:
        problems.add("change_reason", "变更已公示的承诺目标须填写变更理由（change_reason）")
    if not document:
        problems.add("approving_document", "变更已公示的承诺目标须填写批准文件文号（approving_document）")
    approved_on = _date(data.get("approved_on"), "approved_on", "批准日期", problems) or timezone.localdate()
    if approved_on > timezone.localdate():
        problems.add("approved_on", "批准日期不能晚于今天")
    changes = {k: data[k] for k in TARGET_FIELDS if k in data}
    if not changes:
        problems.add("target", "请填写要变更的目标（target、target_date、due_on 等）")
    fields, more = clean_fields(changes, partial=c)
    for key, msgs in more.errors.items():
        for m in msgs:
            problems.add(key, m)
    problems.raise_if_any("承诺目标变更有误")
    with transaction.atomic():
        c = Commitment.objects.select_for_update().get(pk=c.pk)
        if c.status not in LIVE:
            raise Conflict(f"承诺「{c.code}」当前状态为「{c.get_status_display()}」，不能变更目标")
        if c.published_at and approved_on < timezone.localtime(c.published_at).date():
            raise ValidationFailed(
                "批准日期不能早于承诺公示日期", field_errors={"approved_on": ["批准日期不能早于承诺公示日期"]}
            )
        if c.changes.filter(approving_document=document).exists():
            raise ValidationFailed(
                f"批准文件「{document}」已用于本承诺的另一次变更",
                field_errors={"approving_document": [f"批准文件「{document}」已使用"]},
            )
        old = target_of(c)
        for key, value in fields.items():
            setattr(c, key, value)
        new = target_of(c)
        if new == old:
            raise ValidationFailed("新目标与原目标相同", field_errors={"target": ["新目标与原目标相同"]})
        c.version += 1
        c.save()
        CommitmentChange.objects.create(
            commitment=c,
            version=c.version,
            old_target=old,
            new_target=new,
            reason=reason[:2000],
            approving_document=document,
            approved_on=approved_on,
            changed_by=access.user,
        )
        if old["due_on"] != new["due_on"]:
            _register_duties(c)
        if c.public:
            disclose("correct", object_type=OBJECT_TYPE, object_id=c.pk, version=c.version)
            public_version.bump()
        log_action(
            "govcredit.commitment.changed",
            actor=access.user,
            obj=c,
            summary=f"{c.code} 目标变更为第{c.version}版：{reason[:150]}（{document}）",
            before=old,
            after=new,
        )
    return c


# -- progress reports ---------------------------------------------------------------------------
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def submit_report(c: Commitment, data: dict, *, access, evidence: bytes | None = None) -> ProgressReport:
    access.require(_can_edit(access, c.unit_id), "只有责任单位可以报送承诺进展")
    problems = Problems()
    final = data.get("final") in (True, "true", "1", 1, "on", "是")
    period = _text(data, "period", 20) or ("final" if final else "")
    if not period:
        problems.add("period", "请填写报告期（如 2026Q1、2026H1）")
    narrative = _text(data, "narrative")
    if not narrative:
        problems.add("narrative", "请填写进展情况")
    elif len(narrative) > 5000:
        problems.add("narrative", "进展情况不能超过5000个字符")
    value = _decimal(data.get("value"), "value", "完成值", problems)
    done_on = _date(data.get("done_on"), "done_on", "完成日期", problems)
    if (
        final
        and c.metric in (Metric.QUANTITY, Metric.PERCENT)
        and value is None
        and "value" not in problems.errors
    ):
        problems.add("value", "到期自评报告须填写完成值")
    digest = _text(data, "evidence_sha256").lower()
    if evidence is not None:
        import hashlib

        from govcredit.records.services import validate_evidence

        try:
            validate_evidence(_text(data, "evidence_name", 200), evidence)
        except ValidationFailed as exc:
            problems.add(
                "evidence", next(iter(exc.field_errors.values()))[0] if exc.field_errors else exc.message
            )
        digest = hashlib.sha256(evidence).hexdigest()
    if digest and not SHA256.match(digest):
        problems.add("evidence_sha256", "佐证材料摘要应为64位十六进制 SHA-256")
    problems.raise_if_any("进展报告有误")
    today = timezone.localdate()
    with transaction.atomic():
        c = Commitment.objects.select_for_update().get(pk=c.pk)
        if c.status == Status.WITHDRAWN:
            raise Conflict(f"承诺「{c.code}」已撤回，不能报送进展")
        if c.status not in LIVE:
            raise Conflict(f"承诺「{c.code}」当前状态为「{c.get_status_display()}」，不能报送进展")
        if c.reports.filter(period=period).exclude(state=ProgressReport.State.RETURNED).exists():
            raise Conflict(f"报告期「{period}」已报送，如需更正请先由审核人退回")
        report = ProgressReport.objects.create(
            commitment=c,
            period=period,
            final=final,
            value=value,
            done_on=done_on,
            narrative=narrative,
            evidence_name=_text(data, "evidence_name", 200),
            evidence_sha256=digest,
            evidence_public=data.get("evidence_public") not in (False, "false", "0", 0),
            reporter=access.user,
            submitted_on=today,
        )
        if evidence is not None:
            from pathlib import PurePath

            from django.core.files.base import ContentFile

            name = PurePath(_text(data, "evidence_name", 200) or "evidence").name[-150:]
            report.evidence_file.save(name, ContentFile(evidence), save=True)
        if c.status == Status.PUBLISHED:
            c.status = Status.IN_PROGRESS
            c.save(update_fields=["status", "updated_at"])
        kind, key = ("commitment_final", "final") if final else ("commitment_report", period)
        duty = Duty.objects.filter(
            module=MODULE, kind=kind, object_type=OBJECT_TYPE, object_id=c.pk, key=key
        ).first()
        if duty is not None and duty.status == DutyStatus.OPEN:
            fulfil_duty(duty, on=today)
            late = max((today - duty.due_on).days, 0)
            record_event(
                subject=c.subject,
                dimension="守信践诺",
                indicator="commitment_report_on_time" if not late else "commitment_report_late",
                polarity="+" if not late else "-",
                value=1 if not late else late,
                occurred_on=today,
                module=MODULE,
                obj=c,
                key=key,
            )
        if c.public:
            public_version.bump()
        log_action(
            "govcredit.commitment.reported",
            actor=access.user,
            obj=c,
            summary=f"{c.code} {period}{'（到期自评）' if final else ''}进展：{narrative[:120]}",
        )
    return report


def review_report(report: ProgressReport, *, access, accept: bool, note: str = "") -> ProgressReport:
    c = report.commitment
    access.require(may_verify(access, c) or may_publish(access, c), "您没有审核承诺进展报告的权限")
    if report.reporter_id == access.user.pk:
        raise PermissionDenied("不能审核自己报送的进展报告")
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationFailed("退回须填写理由", field_errors={"note": ["退回须填写理由"]})
    with transaction.atomic():
        updated = ProgressReport.objects.filter(pk=report.pk, state=ProgressReport.State.SUBMITTED).update(
            state=ProgressReport.State.ACCEPTED if accept else ProgressReport.State.RETURNED,
            review_note=note[:300],
        )
        if not updated:
            raise Conflict("该报告已审核")
        report.refresh_from_db()
        if not accept:
            kind, key = (
                ("commitment_final", "final") if report.final else ("commitment_report", report.period)
            )
            duty = Duty.objects.filter(
                module=MODULE, kind=kind, object_type=OBJECT_TYPE, object_id=c.pk, key=key
            ).first()
            if duty is not None and c.status in LIVE:
                Duty.objects.filter(pk=duty.pk).update(status=DutyStatus.OPEN, fulfilled_on=None)
        log_action(
            "govcredit.commitment.report_reviewed",
            actor=access.user,
            obj=c,
            summary=f"{c.code} {report.period} 报告{'采纳' if accept else '退回'}{('：' + note[:100]) if note else ''}",
        )
    return report


def final_report(c: Commitment) -> ProgressReport | None:
    return c.reports.filter(final=True).exclude(state=ProgressReport.State.RETURNED).order_by("-pk").first()


# -- assessment ---------------------------------------------------------------------------------
def achievement_of(target: dict, value: Decimal | None) -> Decimal | None:
    if (
        value is None
        or target.get("metric") not in (Metric.QUANTITY, Metric.PERCENT)
        or target.get("target") is None
    ):
        return None
    t = Decimal(target["target"])
    b = Decimal(target["baseline"]) if target.get("baseline") is not None else None
    if target.get("direction") == Direction.DECREASE:
        if b is not None and b != t:
            ratio = (b - value) / (b - t)
        else:
            ratio = Decimal(1) if value <= t else (t / value if value else Decimal(0))
    else:
        if b is not None and b != t:
            ratio = (value - b) / (t - b)
        else:
            ratio = value / t if t else Decimal(1)
    return max(Decimal(0), (ratio * 100)).quantize(Decimal("0.01"))


def assess(c: Commitment, data: dict, *, access) -> Assessment:
    """The verifier's assessment at the due date, against the target in force before it."""
    access.require(may_verify(access, c), "您没有核定该承诺的权限（核定单位：区发改局等）")
    if c.reports.filter(reporter_id=access.user.pk).exists():
        raise PermissionDenied("不能核定自己报送进展的承诺（核定人须不同于报告人）")
    problems = Problems()
    raw = _text(data, "outcome")
    outcome = {o.label: o.value for o in Assessment.Outcome}.get(raw, raw)
    if outcome not in Assessment.Outcome.values:
        problems.add(
            "outcome",
            "核定结果应为 fulfilled（已履行）、partially_fulfilled（部分履行）或 not_fulfilled（未履行）",
        )
    reason = _text(data, "reason")
    if not reason:
        problems.add("reason", "请填写核定理由")
    achievement = _decimal(data.get("achievement"), "achievement", "完成率", problems)
    if achievement is not None and not Decimal(0) <= achievement <= Decimal(1000):
        problems.add("achievement", "完成率应在 0 至 1000 之间")
    assessed_on = _date(data.get("assessed_on"), "assessed_on", "核定日期", problems) or timezone.localdate()
    if assessed_on > timezone.localdate():
        problems.add("assessed_on", "核定日期不能晚于今天")
    problems.raise_if_any("核定信息有误")
    with transaction.atomic():
        c = Commitment.objects.select_for_update().select_related("subject", "unit").get(pk=c.pk)
        if c.status == Status.WITHDRAWN:
            raise Conflict(f"承诺「{c.code}」已撤回，不能核定")
        if c.status not in LIVE:
            raise Conflict(f"承诺「{c.code}」当前状态为「{c.get_status_display()}」，不能核定")
        version, target = target_in_force(c, c.due_on)
        final = final_report(c)
        if achievement is None:
            achievement = achievement_of(target, final.value if final else None)
        if achievement is None and target.get("metric") in (Metric.BOOLEAN, Metric.DATE):
            achievement = Decimal(100) if outcome == Status.FULFILLED else None
        if outcome == Assessment.Outcome.PARTIALLY_FULFILLED and achievement is None:
            raise ValidationFailed(
                "部分履行须给出完成率", field_errors={"achievement": ["部分履行须给出完成率（%）"]}
            )
        verifier_unit = next(
            (m.organisation.name for m in access.memberships if m.role in (Role.CREDIT_OFFICE, Role.CLERK)),
            "",
        )
        assessment = Assessment.objects.create(
            commitment=c,
            outcome=outcome,
            achievement=achievement,
            reason=reason[:2000],
            target_version=version,
            target_snapshot=target,
            verifier=access.user,
            verifier_unit=verifier_unit,
            assessed_on=assessed_on,
        )
        c.status = outcome
        c.save(update_fields=["status", "updated_at"])
        for duty in Duty.objects.filter(object_type=OBJECT_TYPE, object_id=c.pk, status=DutyStatus.OPEN):
            if duty.kind == "commitment_final":
                fulfil_duty(duty, on=assessed_on)
            else:
                cancel_duty(duty, reason="承诺已核定")
        if outcome == Assessment.Outcome.FULFILLED:
            on_time = final is not None and final.submitted_on <= c.due_on
            record_event(
                subject=c.subject,
                dimension="守信践诺",
                indicator="commitment_fulfilled_on_time" if on_time else "commitment_fulfilled_late",
                polarity="+" if on_time else "fact",
                value=achievement if achievement is not None else 100,
                occurred_on=assessed_on,
                module=MODULE,
                obj=c,
            )
        else:
            record_event(
                subject=c.subject,
                dimension="守信践诺",
                indicator=f"commitment_{outcome}",
                polarity="-",
                value=achievement if achievement is not None else 0,
                occurred_on=assessed_on,
                module=MODULE,
                obj=c,
            )
        if c.public:
            disclose("publish", object_type="commitments.assessment", object_id=assessment.pk)
            public_version.bump()
        log_action(
            "govcredit.commitment.assessed",
            actor=access.user,
            obj=c,
            summary=f"{c.code} 核定为{assessment.get_outcome_display()}"
            + (f"，完成率{achievement}%" if achievement is not None else ""),
        )
    open_breach_finding(c, actor=access.user)
    return assessment


def is_breach(a: Assessment) -> bool:
    if a.outcome == Assessment.Outcome.NOT_FULFILLED:
        return True
    return a.outcome == Assessment.Outcome.PARTIALLY_FULFILLED and (
        a.achievement is None or a.achievement < rule("partial_threshold")
    )


def open_breach_finding(c: Commitment, *, actor=None) -> Finding | None:
    """Idempotent: one finding per breached commitment (the scanner calls it again harmlessly)."""
    a = Assessment.objects.filter(commitment=c).first()
    if a is None or not is_breach(a):
        return None
    rule_code = f"commitment_{a.outcome}"
    years = int(rule("repeat_years"))
    since = a.assessed_on - dt.timedelta(days=365 * years)
    repeated = (
        Finding.objects.filter(module=MODULE, subject=c.subject, created_at__date__gte=since)
        .exclude(object_id=c.pk)
        .exists()
    )
    severity = "general" if a.outcome == Assessment.Outcome.PARTIALLY_FULFILLED else "major"
    if repeated:
        severity = "serious"
    source = {SourceType(c.source_type).label: c.source_document}
    source_text = "".join(f"（{k}{('：' + v) if v else ''}）" for k, v in source.items())
    published = timezone.localtime(c.published_at).date() if c.published_at else c.start_on
    target = a.target_snapshot
    facts = (
        f"{c.subject.name}于{format_cn_date(published)}公开承诺「{c.title}」{source_text}，"
        f"承诺期限至{format_cn_date(c.due_on)}，目标为{target_text(target)}（第{a.target_version}版）。"
        f"经{a.verifier_unit or '核定单位'}于{format_cn_date(a.assessed_on)}核定为{a.get_outcome_display()}"
        + (f"，完成率{_num(a.achievement)}%" if a.achievement is not None else "")
        + f"：{a.reason}"
        + ("。该主体在规定年限内再次未履行承诺。" if repeated else "")
    )[:2000]
    unit = (
        Organisation.objects.filter(short_name=FINDING_UNIT).first()
        or Organisation.objects.filter(is_credit_office=True).first()
    )
    if unit is None:
        return None
    return open_finding(
        module=MODULE,
        rule=rule_code,
        obj=c,
        subject=c.subject,
        source_unit=unit,
        item=ITEM,
        severity=severity,
        facts=facts,
        legal_basis=LEGAL_BASIS.get(c.kind, DEFAULT_BASIS),
        evidence={
            "commitment": c.code,
            "due_on": c.due_on,
            "outcome": a.outcome,
            "achievement": a.achievement,
            "target_version": a.target_version,
            "target": target,
            "assessment_id": a.pk,
            "repeated": repeated,
        },
        prefix=PREFIX,
        decided_by=a.verifier_unit or unit.name,
        actor=actor,
    )


# -- reading ------------------------------------------------------------------------------------
def is_overdue(c: Commitment, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return c.status in LIVE and c.due_on < today and final_report(c) is None


def next_report_due(c: Commitment) -> dt.date | None:
    return (
        Duty.objects.filter(object_type=OBJECT_TYPE, object_id=c.pk, status=DutyStatus.OPEN)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )


def overdue_filter(today: dt.date) -> Q:
    """Live, past due, and no final report that still stands."""
    final_ids = ProgressReport.objects.filter(final=True).exclude(state=ProgressReport.State.RETURNED)
    return Q(status__in=LIVE, due_on__lt=today) & ~Q(pk__in=final_ids.values("commitment_id"))


def progress_percent(c: Commitment) -> int:
    """0–100 for the progress bar: the latest reported value against the target in force."""
    if c.status == Status.FULFILLED:
        return 100
    a = Assessment.objects.filter(commitment=c).first()
    if a is not None and a.achievement is not None:
        return int(min(a.achievement, Decimal(100)))
    report = (
        c.reports.exclude(state=ProgressReport.State.RETURNED).exclude(value=None).order_by("-pk").first()
    )
    value = achievement_of(target_of(c), report.value if report else None)
    return int(min(value, Decimal(100))) if value is not None else 0


__all__ = [
    "ASSESSED",
    "assess",
    "change_target",
    "commitments_for",
    "create_commitment",
    "publish",
    "submit_report",
    "withdraw",
]
