"""One validator for a record's fields, shared by the form, the API and the bulk import.

Input uses the exchange keys of DESIGN §5 (subject_name, subject_kind, uscc, id_number,
unit_uscc, item, severity, document_no, decided_on, decided_by, facts, outcome, legal_basis).
Errors come back keyed the same way, each a Chinese sentence.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone

from govcredit.catalog.models import CatalogItem
from govcredit.catalog.services import find_item, parse_severity
from govcredit.core.codes import validate_id_number, validate_uscc
from govcredit.subjects.models import PEOPLE_KINDS, SubjectKind
from govcredit.subjects.services import parse_kind

FIELD_LABELS = {
    "subject_name": "主体名称",
    "subject_kind": "主体类型",
    "uscc": "统一社会信用代码",
    "id_number": "身份证号",
    "unit_uscc": "所属单位代码",
    "item": "信息类别",
    "severity": "严重程度",
    "document_no": "决定文书号",
    "decided_on": "决定日期",
    "decided_by": "决定机关",
    "facts": "失信事实",
    "outcome": "处理结果",
    "legal_basis": "法律依据",
}
FACTS_MAX = 2000
#: record fields a catalog item may list in ``extra_fields`` (附加必填项), with their labels
EXTRA_FIELD_LABELS = {"outcome": "处理结果（处理决定）", "legal_basis": "法律依据（处理依据）"}
EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
)


_EXCEL_SERIAL = re.compile(r"\d{5}(\.0+)?")
_DATETIME_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[ T]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value) -> dt.date:
    """2024-03-05, 2024/3/5, 2024年3月5日, a date/datetime, or an Excel serial number."""
    if value.__class__ is str:
        return _parse_date_text(value.strip())
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError
    return _parse_date_text(str(value or "").strip())


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> dt.date:
    """Parse stripped date text; cached (a file repeats its dates). Errors are raised, never cached."""
    if len(text) == 10 and _ISO_DATE.fullmatch(text):
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    if _EXCEL_SERIAL.fullmatch(text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    text = text.split(" ")[0].split("T")[0] if _DATETIME_PREFIX.match(text) else text
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError


@dataclass
class CleanRecord:
    subject_kind: str
    subject_name: str
    uscc: str
    id_number: str
    unit_uscc: str
    item: CatalogItem
    severity: str
    document_no: str
    decided_on: dt.date
    decided_by: str
    facts: str
    outcome: str
    legal_basis: str
    legal_basis_given: bool = True  # False: the sender left it empty and the catalog default was taken


@dataclass
class RecordErrors:
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _allowed_units(item: CatalogItem) -> list:
    return list(item.source_units.all())


def clean_record(
    data: dict,
    *,
    source_unit,
    find_item=find_item,
    allowed_units=_allowed_units,
    today: dt.date | None = None,
) -> tuple[CleanRecord | None, dict[str, list[str]]]:
    """Validate one record's fields. Returns (clean, {}) or (None, errors).

    The bulk import passes cached lookups (``find_item``, ``allowed_units``) and ``today`` so that
    a million rows cost one catalog query per item instead of several per row; the rules are the same.
    """
    errors = RecordErrors()
    name = _text(data, "subject_name")
    if not name:
        errors.add("subject_name", "请填写主体名称")
    elif len(name) > 200:
        errors.add("subject_name", "主体名称不能超过200个字符")

    kind = ""
    kind_text = _text(data, "subject_kind")
    if kind_text:
        try:
            kind = parse_kind(kind_text)
        except ValidationError as exc:
            errors.add("subject_kind", exc.messages[0])
    else:
        # Infer from which code was given; organisations by default.
        kind = SubjectKind.CIVIL_SERVANT if _text(data, "id_number") and not _text(data, "uscc") else ""
        if not kind:
            errors.add("subject_kind", "请填写主体类型（政府、部门、公务员、企业或个人）")

    uscc = id_number = unit_uscc = ""
    if kind in PEOPLE_KINDS:
        raw = _text(data, "id_number")
        if not raw:
            errors.add("id_number", "个人主体须填写身份证号")
        else:
            try:
                id_number = validate_id_number(raw)
            except ValidationError as exc:
                errors.add("id_number", exc.messages[0])
        raw_unit = _text(data, "unit_uscc")
        if raw_unit:
            try:
                unit_uscc = validate_uscc(raw_unit)
            except ValidationError as exc:
                errors.add("unit_uscc", "所属单位代码有误：" + exc.messages[0])
        elif kind == SubjectKind.CIVIL_SERVANT:
            errors.add("unit_uscc", "公务员须填写所属单位的统一社会信用代码")
    elif kind:
        raw = _text(data, "uscc")
        if not raw:
            errors.add("uscc", "单位主体须填写统一社会信用代码")
        else:
            try:
                uscc = validate_uscc(raw)
            except ValidationError as exc:
                errors.add("uscc", exc.messages[0])

    item = None
    item_text = _text(data, "item")
    if not item_text:
        errors.add("item", "请填写信息类别（目录事项代码或名称）")
    else:
        item = find_item(item_text)
        if item is None or not item.active:
            errors.add("item", f"信息类别「{item_text[:50]}」不在信用信息目录中")
            item = None

    severity = parse_severity(_text(data, "severity"))
    if not _text(data, "severity"):
        errors.add("severity", "请填写严重程度（一般、较重、严重）")
    elif severity is None:
        errors.add("severity", "严重程度应为 一般、较重 或 严重")

    if item is not None:
        if kind and kind not in item.subject_kinds:
            from govcredit.subjects.models import SubjectKind as K

            allowed = "、".join(K(k).label for k in item.subject_kinds)
            errors.add("subject_kind", f"「{item.name}」只适用于：{allowed}")
        if severity and severity not in item.severities:
            from govcredit.catalog.models import Severity

            allowed = "、".join(Severity(s).label for s in item.severities)
            errors.add("severity", f"「{item.name}」允许的严重程度为：{allowed}")
        units = allowed_units(item)
        if units and source_unit is not None and source_unit not in units:
            names = "、".join(str(u) for u in units)
            errors.add("item", f"{source_unit} 不能报送「{item.name}」，该事项的报送单位为：{names}")

    document_no = _text(data, "document_no")
    if not document_no:
        errors.add("document_no", "请填写决定文书号")
    elif len(document_no) > 100:
        errors.add("document_no", "决定文书号不能超过100个字符")

    decided_on = None
    raw_date = data.get("decided_on")
    if raw_date in (None, ""):
        errors.add("decided_on", "请填写决定日期")
    else:
        try:
            decided_on = parse_date(raw_date)
        except (ValueError, OverflowError):
            errors.add("decided_on", "决定日期格式应为 2024-03-05、2024/3/5 或 2024年3月5日")
        else:
            if decided_on > (today or timezone.localdate()):
                errors.add("decided_on", "决定日期不能晚于今天")
            elif decided_on.year < 1990:
                errors.add("decided_on", "决定日期过早，请核对")

    decided_by = _text(data, "decided_by")
    if not decided_by:
        errors.add("decided_by", "请填写决定机关")
    elif len(decided_by) > 200:
        errors.add("decided_by", "决定机关不能超过200个字符")

    facts = _text(data, "facts")
    if not facts:
        errors.add("facts", "请填写失信事实")
    elif len(facts) > FACTS_MAX:
        errors.add("facts", f"失信事实不能超过{FACTS_MAX}个字符（当前{len(facts)}个）")

    outcome = _text(data, "outcome")
    if len(outcome) > 2000:
        errors.add("outcome", "处理结果不能超过2000个字符")
    legal_basis = _text(data, "legal_basis")
    if len(legal_basis) > 2000:
        errors.add("legal_basis", "法律依据不能超过2000个字符")
    if item is not None:
        # The catalog's 附加必填项: record fields the item requires beyond the always-required ones
        # (e.g. bidding_violation: 处理决定 and 处理依据, 招标投标违法行为记录公告暂行办法 Art 8).
        for key in item.extra_fields or ():
            label = EXTRA_FIELD_LABELS.get(key)
            if label and not _text(data, key):
                errors.add(key, f"「{item.name}」须填写{label}")

    if errors:
        return None, errors.errors
    assert item is not None and decided_on is not None and severity is not None
    return (
        CleanRecord(
            subject_kind=kind,
            subject_name=name,
            uscc=uscc,
            id_number=id_number,
            unit_uscc=unit_uscc,
            item=item,
            severity=severity,
            document_no=document_no,
            decided_on=decided_on,
            decided_by=decided_by,
            facts=facts,
            outcome=outcome,
            legal_basis=legal_basis or item.legal_basis,
            legal_basis_given=bool(legal_basis),
        ),
        {},
    )


# -- the subject's name against the subject its code names (issue 13 point 1) ----------------------


def normalise_name(text: str) -> str:
    """Names compare after NFKC (full-width brackets and letters become half-width) without spaces:
    周村区（开发区）管委会 and 周村区(开发区)管委会 are the same name."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def names_of(name: str, aliases: str = "") -> frozenset[str]:
    """The registered name and the aliases (space-separated), normalised."""
    return frozenset(normalise_name(n) for n in [name, *(aliases or "").split()] if n)


def former_names(subject_ids: Iterable[int]) -> dict[int, set[str]]:
    """Every name each subject has had (its name history), one query."""
    from govcredit.subjects.models import SubjectName

    found: dict[int, set[str]] = {}
    for subject_id, name in SubjectName.objects.filter(subject_id__in=list(subject_ids)).values_list(
        "subject_id", "name"
    ):
        found.setdefault(subject_id, set()).add(name)
    return found


def may_keep_name_mismatch(access) -> bool:
    """Who may file a record whose name differs from the registered one, flagged for the reviewer
    to confirm: those who may rename subjects (the credit office, the administrator) and system
    paths (other modules' proposals, the command-line import). Everyone else is refused."""
    return access is None or access.can_manage_subjects()


def check_subject_name(
    submitted: str,
    *,
    names: frozenset[str],
    former_names: Callable[[], Iterable[str]],
    registered: str,
    aliases: str,
    is_person: bool,
    code_key: str,
    code: str,
    may_keep: bool,
) -> tuple[bool, dict[str, list[str]]]:
    """The one rule for the form, the API, the batch and the import: the name typed with a code must
    be the registered name, an alias or a former name of the subject that code names.

    Returns ``(False, {})`` when it is, ``(True, {})`` for a mismatch kept as a flag the reviewer
    must confirm (``may_keep``), ``(False, errors)`` for a refusal naming both names. ``registered``
    is the name as the submitter may see it (people masked); ``former_names`` is only called when
    the name is neither the current name nor an alias (it costs a query)."""
    wanted = normalise_name(submitted)
    if wanted in names or wanted in {normalise_name(n) for n in former_names()}:
        return False, {}
    if may_keep:
        return True, {}
    if is_person:
        message = f"姓名「{submitted}」与身份证号登记的姓名「{registered}」不一致：请核对身份证号和姓名"
    else:
        also = f"（简称：{'、'.join(aliases.split())}）" if aliases.strip() else ""
        message = (
            f"主体名称「{submitted}」与统一社会信用代码 {code} 登记的名称「{registered}」{also}不一致："
            "请核对代码和名称；主体已更名的，请联系信用办更新主体信息"
        )
    return False, {"subject_name": [message], code_key: []}
