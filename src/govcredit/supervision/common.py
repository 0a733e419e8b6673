"""Helpers shared by the supervision services: field problems, who is who, text cleaning."""

from __future__ import annotations

import datetime as dt

from govcredit.accounts.models import Organisation, Role
from govcredit.accounts.permissions import Access
from govcredit.core.errors import ValidationFailed
from govcredit.core.text import UNSTORABLE

MODULE = "supervision"
OFFICE_UNIT = "区发改局"  # the credit office (社会信用体系建设牵头部门)
GOV_OFFICE_UNIT = "区政府办公室"  # 督查室: assigns deputies' suggestions and proposals
PUBLICITY_UNIT = "区委宣传部"


class Problems:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self, message: str) -> None:
        if self.errors:
            first = next(iter(self.errors.values()))[0]
            raise ValidationFailed(f"{message}：{first}", field_errors=self.errors)


def text(value, field: str, label: str, problems: Problems, *, max_len: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.add(field, f"{label}应为文字")
        return ""
    value = value.strip()
    if UNSTORABLE.search(value):
        problems.add(field, f"{label}含有无法保存的字符（NUL 控制字符或不成对的代理字符）")
        return ""
    if required and not value:
        problems.add(field, f"请填写{label}")
    elif len(value) > max_len:
        problems.add(field, f"{label}最多{max_len}个字，当前{len(value)}个字")
    return value


def parse_date(value, field: str, label: str, problems: Problems, *, required: bool = False):
    if value in (None, ""):
        if required:
            problems.add(field, f"请填写{label}（如 2026-03-05）")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip().replace("/", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        y, m, d = (int(p) for p in raw.split("-"))
        return dt.date(y, m, d)
    except (ValueError, TypeError):
        problems.add(field, f"{label}「{str(value)[:30]}」不是有效日期，应如 2026-03-05")
        return None


def find_unit(value) -> Organisation | None:
    """An organisation by short name, registered name or USCC."""
    value = (str(value or "")).strip()
    if not value:
        return None
    return (
        Organisation.objects.filter(short_name=value).select_related("subject").first()
        or Organisation.objects.filter(name=value).select_related("subject").first()
        or Organisation.objects.filter(subject__uscc=value.upper()).select_related("subject").first()
        or Organisation.objects.filter(subject__name=value).select_related("subject").first()
    )


def unit_by_short(short: str) -> Organisation | None:
    return Organisation.objects.filter(short_name=short).first()


def is_office(access: Access) -> bool:
    """The credit office runs complaint handling and approves typical cases."""
    return access.has_role(Role.CREDIT_OFFICE, Role.ADMIN)


def in_unit(access: Access, unit_id: int | None, *roles: str) -> bool:
    roles = roles or (Role.CLERK, Role.SUBJECT_USER, Role.CREDIT_OFFICE)
    return unit_id is not None and any(
        m.organisation_id == unit_id and m.role in roles for m in access.memberships
    )


def in_unit_named(access: Access, short: str) -> bool:
    return any(m.organisation.short_name == short and m.role != Role.AUDITOR for m in access.memberships)
