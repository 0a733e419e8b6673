"""How the audit log reads to an auditor (issue 13 point 7): kinds of entry (logins on their own),
object types by their Chinese names, and before/after payloads as a field-by-field table with
Chinese field names and values.

Field names come, in this order, from an app's ``office.audit_fields()`` (``{"app.model": {key:
label}}``, for payload keys that are not model fields, e.g. a record's snapshot), the model's own
field ``verbose_name`` (choices shown by their labels), then the shell's common keys below."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model, Q

#: logins and sessions: the kind an auditor filters first (等保 2.0 安全审计)
LOGIN_ACTIONS = (
    "govcredit.user.login",
    "govcredit.user.login_failed",
    "govcredit.user.locked",
    "govcredit.user.logout",
    "govcredit.user.session_expired",
)
ACCOUNT_PREFIXES = ("govcredit.user.", "govcredit.membership.", "govcredit.organisation.", "govcredit.token.")
VIEW_SUFFIXES = ("_viewed", ".exported", "view_denied", ".denied")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    hint: str


KINDS = (
    Kind("login", "登录与会话", "登录、登录失败、账号锁定、退出和会话超时"),
    Kind("account", "账号与权限", "用户、单位、角色和接口令牌的变更"),
    Kind("view", "查看与导出", "查看未脱敏信息、导出和被拒绝的访问"),
    Kind("business", "业务操作", "信用记录、主体、奖惩、异议等业务数据的变更"),
)
KIND_LABELS = {k.key: k.label for k in KINDS}


def _login_q() -> Q:
    return Q(action__in=LOGIN_ACTIONS)


def _account_q() -> Q:
    q = Q()
    for prefix in ACCOUNT_PREFIXES:
        q |= Q(action__startswith=prefix)
    return q & ~_login_q()


def _view_q() -> Q:
    q = Q()
    for suffix in VIEW_SUFFIXES:
        q |= Q(action__endswith=suffix)
    return q


def kind_filter(kind: str) -> Q:
    """The entries of one kind (``KINDS``); business is everything that is none of the others."""
    if kind == "login":
        return _login_q()
    if kind == "account":
        return _account_q()
    if kind == "view":
        return _view_q() & ~_login_q() & ~_account_q()
    if kind == "business":
        return ~_login_q() & ~_account_q() & ~_view_q()
    return Q()


def kind_of(action: str) -> str:
    """The kind key of one action (for the list and the export)."""
    if action in LOGIN_ACTIONS:
        return "login"
    if action.startswith(ACCOUNT_PREFIXES):
        return "account"
    if action.endswith(VIEW_SUFFIXES):
        return "view"
    return "business"


# -- object types -----------------------------------------------------------------------------
@functools.cache
def object_types() -> tuple[tuple[str, str], ...]:
    """(``app.model``, Chinese name) of the platform's models, by name: the filter's suggestions."""
    found = []
    for model in apps.get_models():
        module = model.__module__
        if not (module.startswith("govcredit.") or model._meta.label_lower == "accounts.user"):
            continue
        found.append((model._meta.label_lower, str(model._meta.verbose_name)))
    return tuple(sorted(found, key=lambda t: t[1]))


@functools.cache
def object_label(object_type: str) -> str:
    """The model's Chinese name (``verbose_name``) for an audit entry's ``object_type``."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_type_filter(text: str) -> Q:
    """Entries about the object type typed: 信用记录 (the Chinese name, or part of it) or the
    technical ``records.creditrecord`` both find the records."""
    text = text.strip()
    if not text:
        return Q()
    labels = [key for key, name in object_types() if text == name or text in name or text == key]
    return Q(object_type__in=labels) | Q(object_type__icontains=text)


# -- field-by-field changes ---------------------------------------------------------------------
COMMON_FIELDS = {
    "status": "状态",
    "reason": "理由",
    "note": "备注",
    "name": "名称",
    "username": "用户名",
    "display_name": "姓名",
    "is_active": "启用",
    "role": "角色",
    "roles": "角色",
    "unit": "单位",
    "units": "单位",
    "source_unit": "报送单位",
    "document_no": "决定文书号",
    "subject_name": "主体名称",
    "subject_code": "主体代码",
    "subject_kind": "主体类型",
    "count": "数量",
    "created": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "rejected": "拒收",
    "submitted": "提交审核",
    "subjects_created": "新登记主体",
    "lines": "行号范围",
    "file_sm3": "文件 SM3 摘要",
    "ip": "IP 地址",
    "address": "IP 地址",
    "failed_logins": "连续失败次数",
    "locked_until": "锁定至",
    "email": "电子邮箱",
    "phone": "电话",
    "uscc": "统一社会信用代码",
}


@functools.cache
def _app_fields() -> dict[str, dict[str, str]]:
    from .registry import audit_fields

    return audit_fields()


def _model(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        return None


def _model_field(object_type: str, key: str) -> Field[Any, Any] | None:
    model = _model(object_type)
    if model is None:
        return None
    try:
        found = model._meta.get_field(key)
    except FieldDoesNotExist:
        for candidate in model._meta.concrete_fields:
            if candidate.attname == key:
                return candidate
        return None
    return found if isinstance(found, Field) else None


@functools.cache
def field_label(object_type: str, key: str) -> str:
    """The Chinese name of a payload key of this object type (the key itself when none is known)."""
    label = _app_fields().get(object_type, {}).get(key)
    if label:
        return label
    field = _model_field(object_type, key)
    if field is not None and field.verbose_name and str(field.verbose_name) != key.replace("_", " "):
        return str(field.verbose_name)
    return COMMON_FIELDS.get(key, key)


def value_text(object_type: str, key: str, value: Any) -> str:
    """A payload value as an auditor reads it: choices by their labels, 是/否, JSON for the rest."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        field = _model_field(object_type, key) if key else None
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return value
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return "、".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before: str
    after: str


def changes(object_type: str, before: Any, after: Any) -> list[Change]:
    """The fields that differ between ``before`` and ``after``, in the payload's order. A payload
    that is not a dict shows as one row without a field name."""
    if isinstance(before, dict) or isinstance(after, dict):
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        keys = list(dict.fromkeys([*before, *after]))
        return [
            Change(
                k,
                field_label(object_type, k),
                value_text(object_type, k, before.get(k)),
                value_text(object_type, k, after.get(k)),
            )
            for k in keys
            if before.get(k) != after.get(k)
        ]
    if before is None and after is None:
        return []
    return [Change("", "", value_text("", "", before), value_text("", "", after))]
