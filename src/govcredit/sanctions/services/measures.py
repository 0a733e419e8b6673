"""奖惩措施 (measures): validation and saving."""

from __future__ import annotations

from django.db import transaction

from govcredit.accounts.permissions import Access
from govcredit.core.errors import ValidationFailed
from govcredit.core.ledger import log_action

from ..models import (
    Measure,
    MeasureKind,
    Purpose,
)
from .common import can_manage

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
