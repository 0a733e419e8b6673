"""Excel export of exactly what the record list shows (masked names and codes)."""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from govcredit.core.ledger import register_action
from govcredit.core.spreadsheets import formula_safe

from .models import CreditRecord

register_action("govcredit.record.exported", "导出信用记录")

COLUMNS = (
    ("决定文书号", 24),
    ("主体名称", 28),
    ("主体类型", 10),
    ("主体代码", 22),
    ("信息类别", 14),
    ("失信/守信", 9),
    ("严重程度", 9),
    ("决定日期", 12),
    ("决定机关", 24),
    ("报送单位", 16),
    ("状态", 11),
    ("公开方式", 9),
    ("公示时间", 12),
    ("公示截止日期", 13),
    ("可申请修复日期", 14),
    ("版本", 6),
    ("事实", 60),
    ("处理结果", 30),
    ("法律依据", 30),
)


safe = formula_safe


def row_for(record: CreditRecord) -> list:
    subject = record.subject
    published = timezone.localtime(record.published_at).date() if record.published_at else None
    return [
        record.document_no,
        subject.display_name,
        subject.get_kind_display(),
        subject.code_display,
        record.item.name,
        "失信" if record.item.negative else "守信",
        record.get_severity_display(),
        record.decided_on,
        record.decided_by,
        str(record.source_unit),
        record.get_status_display(),
        record.get_disclosure_display(),
        published,
        record.publish_until,
        record.repairable_from,
        record.version,
        record.facts,
        record.outcome,
        record.legal_basis,
    ]


def records_workbook(records: QuerySet[CreditRecord]) -> tuple[bytes, int]:
    """(xlsx bytes, row count); streams rows so large exports stay in bounded memory."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("信用记录")
    for index, (_title, width) in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A2"
    header = []
    for title, _width in COLUMNS:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    count = 0
    for record in records.iterator(chunk_size=2000):
        row = []
        for value in row_for(record):
            cell = WriteOnlyCell(ws, value=safe(value))
            if hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        ws.append(row)
        count += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), count
