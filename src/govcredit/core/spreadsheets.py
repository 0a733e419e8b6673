"""The one rule for cells we write to CSV and Excel files people open in a spreadsheet program."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

# A cell starting with one of these is a formula to Excel (tab and CR start one too, after trimming).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """Text Excel would run as a formula gets a leading ' (shown as text); other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_value(value: Any) -> Any:
    """A value as the cell shows it: aware datetimes in local time, None empty, text formula-safe."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if timezone.is_aware(value) else value
    if value is None:
        return ""
    return formula_safe(value)


def xlsx_bytes(title: str, headers: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """The one .xlsx writer of lists people export: a bold header row, every cell ``cell_value``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([cell_value(v) for v in row])
    for idx, header in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=idx).column_letter].width = max(10, len(header) * 2 + 4)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment_header(filename: str, ext: str = "xlsx") -> str:
    """``Content-Disposition`` for a download named ``<filename>-<YYYYmmdd-HHMM>.<ext>`` (ASCII fallback)."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.{ext}"
    return f"attachment; filename=\"export-{stamp}.{ext}\"; filename*=UTF-8''{quote(name)}"


def xlsx_response(
    filename: str, title: str, headers: list[str], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    """A real .xlsx download of ``rows`` under ``headers``; cells starting with = + - @ stay text."""
    response = HttpResponse(xlsx_bytes(title, headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(filename)
    return response


def _read_cell(value: Any) -> Any:
    """A workbook cell as an importer wants it: dates without time, whole floats as ints, text stripped."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def read_sheet_rows(
    data: bytes, *, what: str, header: Callable[[str], str] = str
) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """The first sheet of an uploaded .xlsx as ``(headers, [(row number, {header: value})])``, blank
    rows left out, row numbers as Excel shows them (the header is row 1) so problems can name them.
    ``what`` names the expected table in the error (e.g. 合同台账); ``header`` maps a header text
    to the importer's canonical name (aliases)."""
    from python_calamine import CalamineWorkbook

    from .errors import ValidationFailed

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    except Exception:  # calamine raises its own error types for unreadable files
        raise ValidationFailed(
            f"无法读取文件：请上传 .xlsx 格式的{what}", field_errors={"file": [f"请上传 .xlsx 格式的{what}"]}
        ) from None
    if not sheet:
        raise ValidationFailed("文件为空：第一行应为表头", field_errors={"file": ["第一行应为表头"]})
    headers = [header(str(h or "").strip()) for h in sheet[0]]
    rows = []
    for index, raw in enumerate(sheet[1:], start=2):
        values = {headers[i]: _read_cell(v) for i, v in enumerate(raw) if i < len(headers) and headers[i]}
        if any(v not in ("", None) for v in values.values()):
            rows.append((index, values))
    return headers, rows
