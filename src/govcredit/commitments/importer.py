"""XLSX import of a target table (e.g. the year's 政府工作报告 targets): one row a commitment, created as
drafts. Every problem is reported by row (spreadsheet line, first data row = 2) and column (the Chinese
header), as the record import does; one problem anywhere and nothing is written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from govcredit.core.errors import CreditError, ValidationFailed
from govcredit.core.spreadsheets import formula_safe, read_sheet_rows

from . import services
from .models import Commitment

COLUMNS = {
    "承诺编号": "code",
    "承诺事项": "title",
    "承诺内容": "content",
    "承诺类型": "kind",
    "承诺主体": "subject",
    "责任单位": "unit",
    "责任人": "responsible_person",
    "来源": "source_type",
    "来源文号": "source_document",
    "条款": "source_clause",
    "指标类型": "metric",
    "计量单位": "metric_unit",
    "方向": "direction",
    "基期值": "baseline",
    "目标值": "target",
    "目标完成日期": "target_date",
    "起始日期": "start_on",
    "承诺期限": "due_on",
    "报告频次": "cadence",
    "权重": "weight",
    "服务领域": "areas",
}
HEADER_OF = {v: k for k, v in COLUMNS.items()}
ALIASES = {key: key for key in COLUMNS.values()}  # English keys are accepted as headers too
REQUIRED = ("承诺事项", "承诺主体", "起始日期", "承诺期限")
MAX_ROWS = 5000
REPORT_HEADER = ("行号", "列", "原因", "原值")


@dataclass
class Problem:
    row: int
    column: str
    reason: str
    value: str = ""


@dataclass
class ImportResult:
    created: int = 0
    rows: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


def import_targets(
    data: bytes, *, access, defaults: dict | None = None, dry_run: bool = False
) -> ImportResult:
    """``defaults`` fill blank cells (e.g. kind=development_target, source_type=work_report,
    source_document=2026年周村区政府工作报告) so a plain target table needs no repeated columns."""
    result = ImportResult(dry_run=dry_run)
    try:
        headers, rows = read_sheet_rows(
            data, what="目标任务表", header=lambda text: HEADER_OF.get(ALIASES.get(text, ""), text)
        )
    except ValidationFailed as exc:
        result.problems.append(Problem(1, "文件", exc.message))
        return result
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        result.problems += [Problem(1, h, "缺少该列") for h in missing]
        return result
    if not rows:
        result.problems.append(Problem(2, "文件", "没有数据行"))
        return result
    if len(rows) > MAX_ROWS:
        result.problems.append(Problem(1, "文件", f"一次最多导入{MAX_ROWS}行，本文件有{len(rows)}行"))
        return result
    result.rows = len(rows)
    defaults = {k: v for k, v in (defaults or {}).items() if v not in (None, "")}
    payloads: list[tuple[int, dict]] = []
    seen_codes: dict[str, int] = {}
    for line, values in rows:
        payload = {key: values.get(header) for header, key in COLUMNS.items() if header in headers}
        for key, value in defaults.items():
            if payload.get(key) in (None, ""):
                payload[key] = value
        payload = {k: v for k, v in payload.items() if v not in (None, "")}
        _fields, problems = services.clean_fields(payload)
        for key, messages in problems.errors.items():
            column = HEADER_OF.get(key, key)
            for message in messages:
                result.problems.append(Problem(line, column, message, _text(values.get(column))))
        code = str(payload.get("code") or "").strip()
        if code:
            if code in seen_codes:
                result.problems.append(Problem(line, "承诺编号", f"与第{seen_codes[code]}行重复", code))
            seen_codes.setdefault(code, line)
        payloads.append((line, payload))
    if seen_codes:
        used = set(Commitment.objects.filter(code__in=list(seen_codes)).values_list("code", flat=True))
        for code in sorted(used):
            result.problems.append(Problem(seen_codes[code], "承诺编号", f"承诺编号「{code}」已使用", code))
    if result.problems:
        result.problems.sort(key=lambda p: (p.row, p.column))
        return result
    with transaction.atomic():
        for line, payload in payloads:
            try:
                c = services.create_commitment(payload, access=access)
            except ValidationFailed as exc:
                for key, messages in (exc.field_errors or {"": [exc.message]}).items():
                    column = HEADER_OF.get(key, key or "行")
                    for message in messages:
                        result.problems.append(Problem(line, column, message))
                continue
            except CreditError as exc:  # e.g. a unit the importer may not commit for
                result.problems.append(Problem(line, "责任单位", exc.message, _text(payload.get("unit"))))
                continue
            result.codes.append(c.code)
        if result.problems or dry_run:
            transaction.set_rollback(True)
            result.codes = []
    result.created = len(result.codes)
    return result


def _text(value) -> str:
    return "" if value is None else str(value)


def problems_csv(problems: list[Problem]) -> bytes:
    """The problem report as the record import writes it: UTF-8 with BOM, ``行号,列,原因,原值``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REPORT_HEADER)
    for p in problems:
        writer.writerow([p.row, p.column, formula_safe(p.reason), formula_safe(p.value)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


TEMPLATE_HEADERS = [
    "承诺编号",
    "承诺事项",
    "承诺类型",
    "承诺主体",
    "责任单位",
    "来源",
    "来源文号",
    "条款",
    "指标类型",
    "计量单位",
    "方向",
    "基期值",
    "目标值",
    "目标完成日期",
    "起始日期",
    "承诺期限",
    "报告频次",
    "服务领域",
]
