"""The one rule for cells we write to CSV and Excel files people open in a spreadsheet program."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
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
