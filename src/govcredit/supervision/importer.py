"""12345 hotline work orders (工单) into complaints: CSV (UTF-8, BOM, GBK/GB18030 detected) or XLSX.
Exit codes and problem report as ``import-records``: 0 every row accepted, 1 some rows rejected, 2 the
file itself unreadable (nothing written). A work order already imported (same 工单号) is skipped."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from govcredit.core.spreadsheets import formula_safe
from govcredit.intake.reader import FileRefused, detect_encoding

from .common import Problems, parse_date, text
from .complaints import _create, validate_filing
from .models import Channel, Complaint

COLUMNS = {
    "工单号": "external_no",
    "受理日期": "received_on",
    "类别": "category",
    "类型": "kind",
    "被反映单位": "respondent",
    "诉求内容": "content",
    "来电人": "name",
    "联系电话": "contact",
    "是否匿名": "anonymous",
}
REQUIRED = ("工单号", "受理日期", "被反映单位", "诉求内容")
KINDS = {"投诉": "complaint", "举报": "report", "complaint": "complaint", "report": "report", "": "complaint"}
YES = {"是", "y", "yes", "true", "1", "匿名"}


@dataclass
class Problem:
    row: int
    column: str
    reason: str
    value: str = ""


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    rejected_rows: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected_rows else 0


def read_table(path: str | Path) -> list[tuple[int, dict]]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"无法读取文件：{exc.strerror or exc}") from exc
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise FileRefused("文件是空的：第一行应为表头，其后每行一张工单")
    if data.startswith(b"PK\x03\x04"):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        except Exception as exc:  # calamine's own error types
            raise FileRefused(f"无法读取 XLSX 文件：{exc}") from None
        rows = [[("" if v is None else v) for v in r] for r in sheet]
    else:
        if b"\x00" in data[:65536]:
            raise FileRefused("文件不是 CSV 或 XLSX 表格（含有二进制内容），请另存为 CSV 或 XLSX 后再导入")
        try:
            decoded = data.decode(detect_encoding(data[: 1 << 20]))
        except (UnicodeDecodeError, LookupError, FileRefused) as exc:
            raise FileRefused(f"无法识别文件编码：{exc}") from None
        rows = list(csv.reader(io.StringIO(decoded.lstrip("\ufeff"))))
    if not rows:
        raise FileRefused("文件是空的：第一行应为表头")
    headers = [str(h).strip() for h in rows[0]]
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise FileRefused("文件缺少必需的列：" + "、".join(missing) + "。表头应为：" + "、".join(COLUMNS))
    out = []
    for line, raw in enumerate(rows[1:], start=2):
        values = {COLUMNS[h]: raw[i] for i, h in enumerate(headers) if h in COLUMNS and i < len(raw)}
        if any(str(v).strip() for v in values.values()):
            out.append((line, values))
    return out


def import_hotline(path: str | Path, *, dry_run: bool = False, actor=None) -> ImportResult:
    rows = read_table(path)  # FileRefused → exit 2, nothing written
    labels = {v: k for k, v in COLUMNS.items()}
    result = ImportResult()
    seen: set[str] = set()
    for line, values in rows:
        problems = Problems()
        external_no = text(
            str(values.get("external_no", "")), "external_no", "工单号", problems, max_len=40, required=True
        )
        received_on = parse_date(
            values.get("received_on"), "received_on", "受理日期", problems, required=True
        )
        kind = KINDS.get(str(values.get("kind", "")).strip())
        if kind is None:
            problems.add("kind", "类型应为 投诉 或 举报")
        data = {
            "kind": kind or "complaint",
            "category": str(values.get("category") or "hotline").strip(),
            "respondent": values.get("respondent"),
            "content": str(values.get("content", "")),
            "name": str(values.get("name", "")),
            "contact": str(values.get("contact", "")).strip(),
            "anonymous": str(values.get("anonymous", "")).strip().lower() in YES,
        }
        clean = validate_filing(data, problems, require_identity=False)
        if external_no and (
            external_no in seen or Complaint.objects.filter(external_no=external_no).exists()
        ):
            result.skipped += 1
            continue
        if problems.errors:
            result.rejected_rows += 1
            for key, messages in problems.errors.items():
                for message in messages:
                    result.problems.append(
                        Problem(
                            line, labels.get(key, key), message, formula_safe(str(values.get(key, ""))[:100])
                        )
                    )
            continue
        seen.add(external_no)
        if not dry_run:
            with transaction.atomic():
                _create(
                    clean,
                    channel=Channel.HOTLINE,
                    received_on=received_on,
                    external_no=external_no,
                    actor=actor,
                )
        result.created += 1
    return result


def write_report(result: ImportResult, out: str | Path) -> None:
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["行号", "列", "原因", "原值"])
        for p in result.problems:
            writer.writerow([p.row, p.column, formula_safe(p.reason), p.value])
