"""Inbound upstream lists (失信被执行人名单, 严重失信主体名单 …) matched to our subjects.

An entry matches by code (USCC or ID number, through ``subjects.services.find_by_code``); an entry
whose code is missing or unknown but whose name equals exactly one registered subject is flagged
``name_only`` for a person to confirm. Matched and confirmed entries become proposed records in
the normal review queue (``records.services.propose_record``), source unit the list's issuer.

Idempotent: each entry has a dedup key (list kind + document number + code or name); an entry seen
in an earlier import is marked ``duplicate`` and proposes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from govcredit.accounts.models import Organisation
from govcredit.accounts.permissions import Access
from govcredit.catalog.models import CatalogItem
from govcredit.core.codes import looks_like_id_number
from govcredit.core.crypto import get_pii_cipher, sm3_hex
from govcredit.core.errors import Conflict, CreditError, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.records.services import propose_record
from govcredit.records.validation import parse_date
from govcredit.subjects.models import PEOPLE_KINDS, Subject, SubjectKind
from govcredit.subjects.services import find_by_code

from .models import InboundEntry, InboundList, ListKind, MatchStatus
from .services import require_operate

register_action("govcredit.exchange.list_import", "导入上游名单")
register_action("govcredit.exchange.list_confirm", "确认名单条目匹配")
register_action("govcredit.exchange.list_dismiss", "排除名单条目")

PROPOSED_BY = "exchange.inbound"
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000

# Defaults per list kind: (catalog item code, source unit short name, severity).
LIST_DEFAULTS = {
    ListKind.DISHONEST_DEBTOR: ("dishonest_debtor", "区法院", "serious"),
    ListKind.SERIOUS_DISHONEST: (None, None, "serious"),
}

COLUMNS = {
    "name": (
        "被执行人姓名/名称",
        "被执行人名称",
        "被执行人姓名",
        "主体名称",
        "名称",
        "姓名",
        "企业名称",
        "name",
    ),
    "code": (
        "证件号码",
        "身份证号码/统一社会信用代码",
        "统一社会信用代码",
        "身份证号码",
        "身份证号",
        "组织机构代码",
        "代码",
        "code",
    ),
    "document_no": ("执行依据文号", "决定文书号", "文书号", "案号", "document_no"),
    "decided_on": ("发布时间", "列入日期", "认定日期", "决定日期", "立案时间", "日期", "date", "decided_on"),
    "decided_by": ("作出执行依据单位", "执行法院", "认定单位", "决定机关", "decided_by"),
    "facts": ("失信被执行人行为具体情形", "失信情形", "具体情形", "列入原因", "失信事实", "facts"),
}
HEADER_LABELS = {
    "name": "名称",
    "code": "证件号码",
    "document_no": "执行依据文号",
    "decided_on": "日期",
    "decided_by": "作出执行依据单位",
    "facts": "失信情形",
}


@dataclass
class ListRow:
    line_no: int
    values: dict[str, str | dt.date | None]


# -- reading ---------------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationFailed(
        "无法识别文件编码", field_errors={"file": ["文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV"]}
    )


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return "" if value is None else str(value).strip()


def read_rows(name: str, content: bytes) -> list[ListRow]:
    """Rows of a CSV (UTF-8 / GBK / GB18030) or XLSX file, keyed by our column names."""
    if not content or not content.strip():
        raise ValidationFailed(
            "文件是空的", field_errors={"file": ["文件是空的：第一行应为表头，其后每行一条名单记录"]}
        )
    if len(content) > MAX_BYTES:
        raise ValidationFailed("文件过大", field_errors={"file": ["名单文件不能超过 20 MB"]})
    if content.startswith(b"PK\x03\x04"):
        try:
            from python_calamine import CalamineWorkbook

            workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
            table = [[_cell(v) for v in row] for row in workbook.get_sheet_by_index(0).to_python()]
        except Exception as exc:
            raise ValidationFailed(
                "无法读取 XLSX 文件", field_errors={"file": [f"无法读取 XLSX 文件：{exc}"]}
            ) from exc
    elif b"\x00" in content[:4096]:
        raise ValidationFailed("文件格式不支持", field_errors={"file": ["请上传 CSV 或 XLSX 格式的名单文件"]})
    else:
        table = [[c.strip() for c in row] for row in csv.reader(io.StringIO(_decode(content)))]
    while table and not any(str(c).strip() for c in table[0]):
        table.pop(0)
    if not table:
        raise ValidationFailed("文件是空的", field_errors={"file": ["文件没有表头"]})
    header = [str(c).strip() for c in table[0]]
    positions: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for index, head in enumerate(header):
            if head in names or head.lower() in names:
                positions[key] = index
                break
    missing = [HEADER_LABELS[k] for k in ("name", "document_no") if k not in positions]
    if missing:
        raise ValidationFailed(
            "表头缺少必需的列",
            field_errors={
                "file": [
                    f"表头缺少「{'」「'.join(missing)}」列（当前表头：{'、'.join(h for h in header if h)}）"
                ]
            },
        )
    rows = []
    for offset, raw in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in raw):
            continue
        values = {key: (raw[i] if i < len(raw) else "") for key, i in positions.items()}
        rows.append(ListRow(line_no=offset, values=values))
        if len(rows) > MAX_ROWS:
            raise ValidationFailed(
                "名单过长", field_errors={"file": [f"单个文件最多 {MAX_ROWS:,} 条，请拆分后导入"]}
            )
    if not rows:
        raise ValidationFailed("名单没有数据行", field_errors={"file": ["表头之后没有名单记录"]})
    return rows


# -- import ----------------------------------------------------------------------------------------


def resolve_target(kind: str, item: CatalogItem | None, source_unit: Organisation | None, severity: str):
    item_code, unit_short, default_severity = LIST_DEFAULTS.get(kind, (None, None, "serious"))
    errors: dict[str, list[str]] = {}
    if item is None and item_code:
        item = CatalogItem.objects.filter(code=item_code).first()
    if source_unit is None and unit_short:
        source_unit = Organisation.objects.filter(short_name=unit_short).first()
    if item is None:
        errors["item"] = ["请选择名单条目对应的信息类别"]
    if source_unit is None:
        errors["source_unit"] = ["请选择名单的报送单位（名单发布机关）"]
    severity = severity or default_severity
    if item is not None and severity not in item.severities:
        errors["severity"] = [f"「{item.name}」不适用该严重程度"]
    if errors:
        raise ValidationFailed("导入设置有误", field_errors=errors)
    return item, source_unit, severity


def import_list(
    *,
    name: str,
    content: bytes,
    kind: str,
    access: Access,
    item: CatalogItem | None = None,
    source_unit: Organisation | None = None,
    severity: str = "",
) -> InboundList:
    """Import one list file in one transaction; returns the import with its counts."""
    require_operate(access)
    if kind not in ListKind.values:
        raise ValidationFailed("名单类型有误", field_errors={"kind": ["请选择名单类型"]})
    item, source_unit, severity = resolve_target(kind, item, source_unit, severity)
    rows = read_rows(name, content)
    cipher = get_pii_cipher()
    with transaction.atomic():
        inbound = InboundList.objects.create(
            kind=kind,
            file_name=(name or "名单")[-200:],
            sm3=sm3_hex(content),
            item=item,
            severity=severity,
            source_unit=source_unit,
            imported_by=access.user,
            total=len(rows),
        )
        for row in rows:
            entry = _entry_for(inbound, row, cipher)
            counter = {
                MatchStatus.MATCHED: "matched",
                MatchStatus.NAME_ONLY: "name_only",
                MatchStatus.UNMATCHED: "unmatched",
                MatchStatus.DUPLICATE: "duplicates",
                MatchStatus.INVALID: "invalid",
            }[entry.match]
            setattr(inbound, counter, getattr(inbound, counter) + 1)
            if entry.match == MatchStatus.MATCHED and _propose(entry):
                inbound.proposed += 1
        inbound.save()
        log_action(
            "govcredit.exchange.list_import",
            actor=access.user,
            obj=inbound,
            summary=f"导入{inbound.get_kind_display()}「{inbound.file_name}」：{inbound.total} 条，"
            f"代码匹配 {inbound.matched}，待确认 {inbound.name_only}，重复 {inbound.duplicates}，"
            f"提交审核 {inbound.proposed}",
            after={"sm3": inbound.sm3},
        )
    return inbound


def _entry_for(inbound: InboundList, row: ListRow, cipher) -> InboundEntry:
    v = row.values
    name = str(v.get("name") or "").strip()[:200]
    raw_code = str(v.get("code") or "").strip().upper()
    document_no = str(v.get("document_no") or "").strip()[:100]
    entry = InboundEntry(
        inbound_list=inbound,
        line_no=row.line_no,
        name=name,
        document_no=document_no,
        decided_by=str(v.get("decided_by") or "").strip()[:200],
        facts=str(v.get("facts") or "").strip()[:2000],
    )
    if raw_code and looks_like_id_number(raw_code):
        entry.is_person = True
        entry.code_hash = cipher.lookup_hash(raw_code)
        entry.code_cipher = cipher.encrypt(raw_code)
        entry.code_display = raw_code[:6] + "*" * 8 + raw_code[-4:]
    else:
        entry.code_display = raw_code[:40]
    problems = []
    if not name:
        problems.append("缺少名称")
    if not document_no:
        problems.append("缺少执行依据文号")
    raw_date = v.get("decided_on")
    if raw_date:
        try:
            entry.decided_on = parse_date(raw_date)
        except (ValueError, TypeError):
            problems.append(f"日期「{raw_date}」无法识别")
    else:
        problems.append("缺少日期")
    if problems:
        entry.match = MatchStatus.INVALID
        entry.note = "；".join(problems)
        entry.save()
        return entry
    identity = entry.code_hash or entry.code_display or f"name:{name}"
    dedup_key = sm3_hex(f"{inbound.kind}\n{document_no}\n{identity}")
    if InboundEntry.objects.filter(dedup_key=dedup_key).exists():
        entry.match = MatchStatus.DUPLICATE
        entry.note = "此前导入过同一条目，未重复提交"
        entry.save()
        return entry
    entry.dedup_key = dedup_key
    subject = find_by_code(raw_code) if raw_code else None
    if subject is not None:
        entry.subject = subject
        entry.match = MatchStatus.MATCHED
        if subject.name != name:
            entry.note = f"名称与登记不一致（登记为「{subject.display_name}」），按代码匹配"
    else:
        same_name = list(Subject.objects.filter(name=name)[:3])
        if len(same_name) == 1:
            entry.subject = same_name[0]
            entry.match = MatchStatus.NAME_ONLY
            entry.note = (
                "代码未登记，仅名称一致，请人工确认" if raw_code else "名单未提供代码，仅名称一致，请人工确认"
            )
        elif same_name:
            entry.match = MatchStatus.NAME_ONLY
            entry.note = "有多个同名主体，无法确定对应主体，请在主体管理中核实"
        else:
            entry.match = MatchStatus.UNMATCHED
            entry.note = "不是本区登记的主体"
    entry.save()
    return entry


def _record_data(entry: InboundEntry) -> dict:
    inbound = entry.inbound_list
    subject = entry.subject
    data = {
        "subject_name": subject.name,
        "subject_kind": subject.kind,
        "item": inbound.item.code,
        "severity": inbound.severity,
        "document_no": entry.document_no,
        "decided_on": entry.decided_on,
        "decided_by": entry.decided_by or inbound.source_unit.name,
        "facts": entry.facts or f"列入{inbound.get_kind_display()}",
        "outcome": f"据上级{inbound.get_kind_display()}（{inbound.file_name} 第 {entry.line_no} 行）导入",
    }
    if subject.kind in PEOPLE_KINDS:
        data["id_number"] = get_pii_cipher().decrypt(subject.id_cipher)
        if subject.kind == SubjectKind.CIVIL_SERVANT and subject.parent_id and subject.parent.uscc:
            data["unit_uscc"] = subject.parent.uscc
    else:
        data["uscc"] = subject.uscc or ""
    return data


def _propose(entry: InboundEntry) -> bool:
    """Propose the entry's record into the review queue; a refusal is noted on the entry."""
    try:
        with transaction.atomic():
            record = propose_record(
                _record_data(entry), source_unit=entry.inbound_list.source_unit, proposed_by=PROPOSED_BY
            )
    except CreditError as exc:
        details = "；".join(m for msgs in exc.field_errors.values() for m in msgs)
        entry.note = (
            (entry.note + "；" if entry.note else "")
            + f"未能提交审核：{exc.message}"
            + (f"（{details}）" if details else "")
        )
        entry.save(update_fields=["note"])
        return False
    entry.record = record
    entry.save(update_fields=["record"])
    return True


def get_list(pk) -> InboundList:
    try:
        return InboundList.objects.select_related("item", "source_unit", "imported_by").get(pk=int(pk))
    except (InboundList.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("名单导入不存在") from exc


def get_entry(pk) -> InboundEntry:
    try:
        return InboundEntry.objects.select_related("inbound_list", "subject").get(pk=int(pk))
    except (InboundEntry.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("名单条目不存在") from exc


def confirm_entry(entry: InboundEntry, *, access: Access) -> InboundEntry:
    """A person confirms a name-only match: the entry becomes a proposed record."""
    require_operate(access)
    with transaction.atomic():
        locked = (
            InboundEntry.objects.select_for_update(of=("self",))
            .select_related("inbound_list", "subject")
            .get(pk=entry.pk)
        )
        if locked.match != MatchStatus.NAME_ONLY:
            raise Conflict(f"该条目当前为「{locked.get_match_display()}」，无需确认")
        if locked.subject is None:
            raise Conflict("有多个同名主体，无法确定对应主体，请先在主体管理中核实")
        locked.match = MatchStatus.CONFIRMED
        locked.decided_by_user = access.user
        locked.save(update_fields=["match", "decided_by_user"])
        proposed = _propose(locked)
        if proposed:
            InboundList.objects.filter(pk=locked.inbound_list_id).update(proposed=F("proposed") + 1)
        log_action(
            "govcredit.exchange.list_confirm",
            actor=access.user,
            obj=locked,
            summary=f"确认名单条目「{locked.display_name}」{locked.document_no} 对应主体「{locked.subject.display_name}」",
        )
    return locked


def dismiss_entry(entry: InboundEntry, *, access: Access, reason: str = "") -> InboundEntry:
    require_operate(access)
    reason = (reason or "").strip()[:500]
    with transaction.atomic():
        updated = InboundEntry.objects.filter(pk=entry.pk, match=MatchStatus.NAME_ONLY).update(
            match=MatchStatus.DISMISSED,
            decided_by_user=access.user,
            note=("已排除：" + reason) if reason else "已排除：不是同一主体",
        )
        if updated != 1:
            raise Conflict("只有待确认的条目可以排除")
        log_action(
            "govcredit.exchange.list_dismiss",
            actor=access.user,
            obj=entry,
            summary=f"排除名单条目「{entry.display_name}」{entry.document_no}"
            + (f"：{reason}" if reason else ""),
        )
    entry.refresh_from_db()
    return entry
