"""Catalog: versioned edits by the credit office, and lookups used by every intake path."""

from __future__ import annotations

from django.db import transaction

from govcredit.core import public_version
from govcredit.core.errors import NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action

from .models import CatalogItem, CatalogItemVersion, Disclosure, Severity

register_action("govcredit.catalog.created", "新增目录事项")
register_action("govcredit.catalog.updated", "修改目录事项")

#: the one table of what people and files write for a severity: the codes and the Chinese labels
SEVERITY_ALIASES: dict[str, str] = {
    **{s.label: s.value for s in Severity},
    **{s.value: s.value for s in Severity},
}
EDITABLE_FIELDS = (
    "name",
    "negative",
    "subject_kinds",
    "severities",
    "disclosure",
    "display_periods",
    "repairable",
    "legal_basis",
    "extra_fields",
    "shared_with_platform",
    "active",
)


def parse_severity(value: str) -> str | None:
    """``general`` / ``major`` / ``serious`` for a code or a Chinese label (一般、较重、严重), else None."""
    return SEVERITY_ALIASES.get((value or "").strip())


def snapshot(item: CatalogItem) -> dict:
    data = {f: getattr(item, f) for f in EDITABLE_FIELDS}
    data["code"] = item.code
    data["version"] = item.version
    data["source_units"] = sorted(item.source_units.values_list("name", flat=True)) if item.pk else []
    return data


def current_version(item: CatalogItem) -> CatalogItemVersion:
    version = CatalogItemVersion.objects.filter(item=item, version=item.version).first()
    if version is None:  # items created before versioning, or outside the services
        version = CatalogItemVersion.objects.create(
            item=item, version=item.version, snapshot=snapshot(item), reason="初始版本"
        )
    return version


def find_item(value: str) -> CatalogItem | None:
    value = (value or "").strip()
    if not value:
        return None
    return CatalogItem.objects.filter(code=value).first() or CatalogItem.objects.filter(name=value).first()


def get_item(code: str) -> CatalogItem:
    item = CatalogItem.objects.filter(code=code).first()
    if item is None:
        raise NotFound("目录事项不存在")
    return item


def _severity_label(severity: str) -> str:
    return Severity(severity).label if severity in Severity.values else severity


def period_problems(severity: str, low: int | None, high: int | None) -> dict[str, str]:
    """What is wrong with one severity's display period, by bound ("min" / "max"); empty when sane.

    Whole months from the decision date: 0–60, the longest at least 1 and not shorter than the shortest.
    """
    label = _severity_label(severity)
    problems = {}
    if low is None or not 0 <= low <= 60:
        problems["min"] = f"请填写「{label}」的最短公示期限"
    if high is None or not 0 < high <= 60:
        problems["max"] = f"请填写「{label}」的最长公示期限（至少 1 个月）"
    elif low is not None and low > high:
        problems["max"] = f"「{label}」的最长公示期限不能短于最短期限（{low} 个月）"
    return problems


def validate_item_fields(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    severities = data.get("severities") or []
    if not severities or any(s not in Severity.values for s in severities):
        errors["severities"] = ["请至少选择一个严重程度（一般、较重、严重）"]
    kinds = data.get("subject_kinds") or []
    from govcredit.subjects.models import SubjectKind

    if not kinds or any(k not in SubjectKind.values for k in kinds):
        errors["subject_kinds"] = ["请至少选择一个适用主体类型"]
    if data.get("disclosure") not in Disclosure.values:
        errors["disclosure"] = ["公开方式应为 公开、共享 或 不公开"]
    periods = data.get("display_periods") or {}
    for severity in severities:
        period = periods.get(severity) or {}
        try:
            low, high = int(period.get("min_months", -1)), int(period.get("max_months", -1))
        except (TypeError, ValueError):
            low, high = -1, -1
        if period_problems(severity, low, high):
            errors.setdefault("display_periods", []).append(
                f"「{_severity_label(severity)}」的公示期限应为 0–60 个月，且最短不超过最长"
            )
    if not (data.get("name") or "").strip():
        errors["name"] = ["请填写事项名称"]
    return errors


@transaction.atomic
def create_item(data: dict, *, source_units=(), actor=None, reason: str = "新增") -> CatalogItem:
    errors = validate_item_fields(data)
    code = (data.get("code") or "").strip()
    if not code:
        errors["code"] = ["请填写事项代码"]
    elif CatalogItem.objects.filter(code=code).exists():
        errors["code"] = ["事项代码已存在，代码一经使用不可变更"]
    if errors:
        raise ValidationFailed("目录事项有误", field_errors=errors)
    item = CatalogItem.objects.create(code=code, **{f: data[f] for f in EDITABLE_FIELDS if f in data})
    item.source_units.set(source_units)
    CatalogItemVersion.objects.create(
        item=item, version=1, snapshot=snapshot(item), reason=reason, changed_by=actor
    )
    log_action(
        "govcredit.catalog.created",
        actor=actor,
        obj=item,
        summary=f"新增目录事项 {item.name}",
        after=snapshot(item),
    )
    return item


@transaction.atomic
def update_item(item: CatalogItem, changes: dict, *, actor, reason: str, source_units=None) -> CatalogItem:
    """Edit an item; a change bumps the version and keeps the old snapshot. Codes never change."""
    if not (reason or "").strip():
        raise ValidationFailed("请说明修改原因", field_errors={"reason": ["请说明修改原因"]})
    item = CatalogItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item)
    merged = {
        **{f: getattr(item, f) for f in EDITABLE_FIELDS},
        **{k: v for k, v in changes.items() if k in EDITABLE_FIELDS},
    }
    errors = validate_item_fields(merged)
    if errors:
        raise ValidationFailed("目录事项有误", field_errors=errors)
    for field, value in merged.items():
        setattr(item, field, value)
    if source_units is not None:
        item.source_units.set(source_units)
    after = snapshot(item)
    after["version"] = before["version"]
    if after == before:
        return item
    item.version += 1
    item.save()
    public_version.bump()  # item names and periods show on public pages
    CatalogItemVersion.objects.create(
        item=item, version=item.version, snapshot=snapshot(item), reason=reason, changed_by=actor
    )
    log_action(
        "govcredit.catalog.updated",
        actor=actor,
        obj=item,
        summary=f"修改目录事项 {item.name}：{reason}",
        before=before,
        after=snapshot(item),
    )
    return item


# -- display helpers for the back office (read only) ----------------------------------------------
FIELD_LABELS = {
    "name": "事项名称",
    "negative": "信息性质",
    "subject_kinds": "适用主体类型",
    "severities": "严重程度",
    "disclosure": "公开方式",
    "display_periods": "公示期限",
    "repairable": "可信用修复",
    "legal_basis": "法律依据",
    "extra_fields": "附加必填项",
    "source_units": "可报送单位",
    "shared_with_platform": "归集至市平台",
    "active": "启用",
}


def describe_value(field: str, value) -> str:
    """A snapshot value in Chinese, as the catalog pages and diffs show it."""
    from govcredit.subjects.models import SubjectKind

    if field == "negative":
        return "失信" if value else "守信"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field == "subject_kinds":
        return "、".join(SubjectKind(k).label if k in SubjectKind.values else k for k in value or []) or "—"
    if field == "severities":
        return "、".join(Severity(s).label if s in Severity.values else s for s in value or []) or "—"
    if field == "disclosure":
        return Disclosure(value).label if value in Disclosure.values else str(value or "—")
    if field == "display_periods":
        parts = []
        for severity in Severity.values:
            period = (value or {}).get(severity)
            if period:
                parts.append(
                    f"{Severity(severity).label} {period.get('min_months')}–{period.get('max_months')} 个月"
                )
        return "；".join(parts) or "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return str(value) if value not in (None, "") else "—"


def version_diff(older: dict | None, newer: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) for every field that differs between two snapshots."""
    rows = []
    for field, label in FIELD_LABELS.items():
        new = newer.get(field)
        old = older.get(field) if older is not None else None
        if older is None or old != new:
            rows.append(
                (label, describe_value(field, old) if older is not None else "", describe_value(field, new))
            )
    return rows


def item_history(item: CatalogItem) -> list[dict]:
    """Versions newest first, each with the diff against the version before it (one query)."""
    versions = list(item.versions.select_related("changed_by").order_by("version"))
    history = []
    previous = None
    for version in versions:
        history.append(
            {
                "version": version,
                "diff": version_diff(previous.snapshot if previous else None, version.snapshot),
                "first": previous is None,
            }
        )
        previous = version
    history.reverse()
    return history
