"""Reading exchange-format files (DESIGN §5): CSV or XLSX, encodings detected, headers mapped.

Everything streams: a CSV is decoded line by line, so a million-row file never sits in memory.
A file that cannot be read at all raises :class:`FileRefused` (exit 2, nothing written); a row
whose bytes do not match the file's encoding is handed on with ``encoding_error`` so that it is
rejected on its own while the other rows land.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from govcredit.records.validation import FIELD_LABELS

# Header text → exchange key: the Chinese header, the English key, a few harmless variants.
HEADER_KEYS: dict[str, str] = {}
for _key, _label in FIELD_LABELS.items():
    HEADER_KEYS[_label] = _key
    HEADER_KEYS[_key] = _key
REQUIRED_KEYS = ("subject_name", "item", "severity", "document_no", "decided_on", "decided_by", "facts")
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GBK/GB18030", "xlsx": "XLSX"}
SAMPLE_BYTES = 1 << 20

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class FileRefused(Exception):
    """The file itself is unreadable (empty, binary, unknown encoding, missing columns): exit 2."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    line: int  # spreadsheet line: the header is line 1, the first data row line 2
    data: dict
    encoding_error: bool = False


@dataclass
class Table:
    path: Path
    kind: str  # "csv" or "xlsx"
    encoding: str
    headers: list[str] = field(default_factory=list)
    columns: dict[int, str] = field(default_factory=dict)  # cell index → exchange key
    warnings: list[str] = field(default_factory=list)
    total: int = 0  # for progress: the file size (CSV) or the row count (XLSX)
    _fh: object = None
    _rows_done: int = 0

    def done(self) -> int:
        """How far reading has got, in the unit of ``total``."""
        if self.kind == "csv":
            try:
                return self._fh.tell() if self._fh is not None and not self._fh.closed else self.total
            except (OSError, ValueError):
                return 0
        return self._rows_done

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)

    def rows(self) -> Iterator[Row]:
        return _csv_rows(self) if self.kind == "csv" else _xlsx_rows(self)


def _normalise_header(text) -> str:
    text = str(text if text is not None else "").replace("\ufeff", "").strip()
    text = text.strip("*＊ ").strip()
    if text.isascii():
        text = text.lower().replace(" ", "_")
    return text


def map_headers(table: Table, headers: list) -> None:
    """Map header cells to exchange keys; refuse the file when required columns are missing."""
    table.headers = [str(h if h is not None else "").strip() for h in headers]
    seen: dict[str, str] = {}
    ignored = []
    for index, raw in enumerate(table.headers):
        name = _normalise_header(raw)
        if not name:
            continue
        key = HEADER_KEYS.get(name)
        if key is None:
            ignored.append(raw)
            continue
        if key in seen:
            raise FileRefused(
                f"列「{FIELD_LABELS[key]}」出现了两次（「{seen[key]}」与「{raw}」），请删除重复的列"
            )
        seen[key] = raw
        table.columns[index] = key
    missing = [FIELD_LABELS[k] for k in REQUIRED_KEYS if k not in seen]
    if "uscc" not in seen and "id_number" not in seen:
        missing.append(f"{FIELD_LABELS['uscc']}或{FIELD_LABELS['id_number']}")
    if missing:
        raise FileRefused(
            "文件缺少必需的列："
            + "、".join(missing)
            + "。第一行应为表头，列名使用《数据交换格式》中的中文名称或英文键名"
        )
    if ignored:
        shown = "、".join(f"「{h}」" for h in ignored[:10]) + ("等" if len(ignored) > 10 else "")
        table.warnings.append(f"以下列不属于交换格式，已忽略：{shown}")


def open_table(path: str | Path) -> Table:
    """Detect the file type and encoding and read the header row. Raises FileRefused."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
            more = bool(fh.read(1))
    except OSError as exc:
        raise FileRefused(f"无法读取文件：{exc.strerror or exc}") from exc
    if not sample.removeprefix(b"\xef\xbb\xbf").strip():
        raise FileRefused("文件是空的：第一行应为表头，其后每行一条记录")
    if sample.startswith(b"PK\x03\x04") or sample.startswith(b"\xd0\xcf\x11\xe0"):
        table = Table(path=path, kind="xlsx", encoding="xlsx")
        _xlsx_header(table)
        return table
    if more:
        cut = sample.rfind(b"\n")
        if cut > 0:
            sample = sample[: cut + 1]
    controls = sum(1 for b in sample[:65536] if b < 32 and b not in (9, 10, 13))
    if b"\x00" in sample or controls > 8:
        raise FileRefused(
            "文件不是 CSV 或 XLSX 表格（含有二进制内容），请在 Excel 中另存为 CSV 或 XLSX 后再导入"
        )
    encoding = detect_encoding(sample)
    table = Table(path=path, kind="csv", encoding=encoding, total=path.stat().st_size)
    _csv_header(table)
    return table


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        pass
    # Mixed encodings within the first megabyte: take whichever decodes more lines, reject the rest.
    lines = sample.splitlines()
    utf8 = sum(1 for line in lines if _decodes(line, "utf-8"))
    gbk = sum(1 for line in lines if _decodes(line, "gb18030"))
    if max(utf8, gbk) == 0:
        raise FileRefused("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 XLSX")
    return "utf-8" if utf8 >= gbk else "gb18030"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


class _Lines:
    """Decoded lines of a CSV file; remembers whether a line since the last check was mis-encoded."""

    def __init__(self, fh, encoding: str):
        self.fh = fh
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.bad = False
        self.first = True

    def __iter__(self):
        encoding = self.encoding
        for raw in self.fh:
            if self.first:
                self.first = False
                if raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
            if raw.isascii():
                yield raw.decode("ascii")
                continue
            if encoding == "gb18030" and _decodes(raw, "utf-8"):
                # A UTF-8 line inside a GBK file: decoding it as GBK would silently garble the text.
                self.bad = True
                yield raw.decode("utf-8")
                continue
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                self.bad = True
                yield raw.decode(encoding, errors="replace")


def _sniff_delimiter(line: str) -> str | None:
    for delimiter, name in (
        ("\t", "制表符"),
        (";", "分号（;）"),
        ("；", "中文分号（；）"),
        ("|", "竖线（|）"),
    ):
        cells = [_normalise_header(c) for c in line.split(delimiter)]
        if sum(1 for c in cells if c in HEADER_KEYS) >= 3:
            return name
    return None


def _csv_header(table: Table) -> None:
    with table.path.open("rb") as fh:
        lines = _Lines(fh, table.encoding)
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            raise FileRefused("文件是空的：第一行应为表头，其后每行一条记录") from None
        except csv.Error as exc:
            raise FileRefused(f"表头无法解析：{exc}") from exc
    if lines.bad:
        raise FileRefused("表头的编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV")
    try:
        map_headers(table, header)
    except FileRefused:
        other = _sniff_delimiter(",".join(header))
        if other:
            raise FileRefused(
                f"文件的分隔符是{other}，交换格式要求英文逗号（,）。请在 Excel 中“另存为 CSV（逗号分隔）”后再导入"
            ) from None
        raise


def _csv_rows(table: Table) -> Iterator[Row]:
    columns = list(table.columns.items())
    with table.path.open("rb") as fh:
        table._fh = fh
        lines = _Lines(fh, table.encoding)
        reader = csv.reader(lines)
        try:
            next(reader)
        except (StopIteration, csv.Error):
            return
        line = 1
        while True:
            lines.bad = False
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                line += 1
                yield Row(line=line, data={}, encoding_error=True)
                continue
            line += 1
            if not cells or not any(c.strip() for c in cells):
                continue
            width = len(cells)
            data = {key: cells[i] for i, key in columns if i < width}
            yield Row(line=line, data=data, encoding_error=lines.bad)


def _workbook_sheet(table: Table):
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(table.path))
        return workbook.get_sheet_by_index(0)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise FileRefused(f"Excel 文件已损坏或无法读取：{exc}") from exc


def _xlsx_header(table: Table) -> None:
    sheet = _workbook_sheet(table)
    table.total = sheet.height
    for cells in sheet.iter_rows():
        if any(c not in (None, "") for c in cells):
            map_headers(table, list(cells))
            return
    raise FileRefused("Excel 文件的第一个工作表是空的：第一行应为表头，其后每行一条记录")


def _cell(value):
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    return value


def _xlsx_rows(table: Table) -> Iterator[Row]:
    sheet = _workbook_sheet(table)
    columns = list(table.columns.items())
    header_seen = False
    first_row = (sheet.start or (0, 0))[0]  # calamine's range starts at the first used row
    for index, cells in enumerate(sheet.iter_rows(), start=first_row + 1):
        table._rows_done = index - first_row
        if not header_seen:
            if any(c not in (None, "") for c in cells):
                header_seen = True
            continue
        if not any(c not in (None, "") for c in cells):
            continue
        width = len(cells)
        yield Row(line=index, data={key: _cell(cells[i]) for i, key in columns if i < width})
