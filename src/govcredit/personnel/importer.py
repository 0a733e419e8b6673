"""XLSX import from 区委组织部 / 区人社局: training, annual reviews, personal-matters compliance.

The first row is the header (Chinese column names below); every other row is one entry about a
civil servant already registered as a subject (found by the ID number's keyed hash). Every problem
is reported by row and column; a file with any problem saves nothing. ID numbers never appear in
the problems unmasked."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

from govcredit.accounts.permissions import Access
from govcredit.core.codes import mask_id_number
from govcredit.core.errors import ValidationFailed
from govcredit.core.ledger import log_action
from govcredit.subjects.models import SubjectKind
from govcredit.subjects.services import find_by_code

from .models import (
    AnnualReview,
    IntegrityCourse,
    MattersCompliance,
    MattersResult,
    RankLevel,
    ReviewGrade,
    TrainingKind,
    TrainingRecord,
)
from .services import ensure_file, may_manage

MAX_ROWS = 20_000
COMMON = {"身份证号": "id_number", "姓名": "name", "职级层次": "rank_level", "职务职级": "rank"}
SHEETS = {
    "training": (
        "培训记录",
        {
            "培训类型": "kind",
            "培训名称": "title",
            "开始日期": "start",
            "学时": "hours",
            "天数": "days",
            "证书编号": "certificate_no",
            "出勤": "attended",
        },
        ["kind", "title", "start", "hours"],
    ),
    "review": (
        "年度考核",
        {"考核年度": "year", "考核等次": "grade", "确定日期": "approved_on"},
        ["year", "grade"],
    ),
    "matters": (
        "个人有关事项报告情况",
        {
            "报告年度": "year",
            "按时报告": "on_time",
            "抽查核实": "sampled",
            "核实结果": "result",
            "处理情况": "handling",
        },
        ["year", "on_time"],
    ),
}
YES = {"是": True, "否": False, "按时": True, "逾期": False, "出勤": True, "缺勤": False}


@dataclass
class Problem:
    line: int
    column: str
    reason: str
    raw: str = ""


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def message(self) -> str:
        label = SHEETS[self.kind][0]
        if self.problems:
            return f"{label}未导入：共 {self.rows} 行，发现 {len(self.problems)} 个问题，请修改后重新导入（本次未保存任何数据）"
        return f"{label}已导入：共 {self.rows} 行，新增 {self.created} 条，更新 {self.updated} 条"


def _labels(kind: str) -> dict[str, str]:
    return {v: k for k, v in {**COMMON, **SHEETS[kind][1]}.items()}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def _date(raw: str):
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError("日期格式应为 YYYY-MM-DD")


def _choice(choices, raw: str):
    for value, label in choices:
        if raw in (value, label) or raw == label.removesuffix("培训"):
            return value
    raise ValueError("应为：" + "、".join(label for _, label in choices))


def read_rows(content: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
        raise ValidationFailed(
            "文件不是有效的 XLSX 表格，请在 Excel 中另存为 .xlsx 后再导入",
            field_errors={"file": ["文件不是有效的 XLSX 表格"]},
        ) from exc
    ws = wb.active
    rows = ws.iter_rows(values_only=True)
    header = [_text(h).strip("*＊ ") for h in next(rows, ())]
    body = []
    for n, row in enumerate(rows, start=2):
        if n - 1 > MAX_ROWS:
            raise ValidationFailed(
                f"单个文件最多 {MAX_ROWS:,} 行", field_errors={"file": [f"单个文件最多 {MAX_ROWS:,} 行"]}
            )
        if any(_text(c) for c in row):
            body.append((n, list(row)))
    wb.close()
    return header, body


def import_xlsx(access: Access, kind: str, content: bytes, *, source: str = "") -> ImportResult:
    access.require(may_manage(access), "只有区委组织部、区人社局或信用办可以导入公务员信用档案")
    if kind not in SHEETS:
        raise ValidationFailed(
            "导入类型无效", field_errors={"kind": ["应为：培训记录、年度考核或个人有关事项报告情况"]}
        )
    header, body = read_rows(content)
    columns = {**COMMON, **SHEETS[kind][1]}
    index = {columns[h]: i for i, h in enumerate(header) if h in columns}
    labels = _labels(kind)
    result = ImportResult(kind=kind, rows=len(body))
    missing = [labels[k] for k in ["id_number", *SHEETS[kind][2]] if k not in index]
    if missing:
        result.problems.append(Problem(1, "表头", "缺少必需的列：" + "、".join(missing)))
        return result
    cleaned = []
    for line, row in body:
        data = {k: _text(row[i]) if i < len(row) else "" for k, i in index.items()}
        raw_cells = {k: row[i] if i < len(row) else None for k, i in index.items()}
        errors: list[tuple[str, str, str]] = []
        entry = _clean(kind, data, raw_cells, errors)
        if errors:
            result.problems.extend(Problem(line, labels[k], reason, raw) for k, reason, raw in errors)
        else:
            cleaned.append(entry)
    if result.problems:
        return result
    with transaction.atomic():
        for entry in cleaned:
            created = _save(kind, entry, source)
            result.created += created
            result.updated += not created
        log_action(
            "govcredit.personnel.imported",
            actor=access.user,
            summary=f"导入{SHEETS[kind][0]} {result.rows} 行（新增 {result.created}，更新 {result.updated}）",
            after={"kind": kind, "rows": result.rows, "created": result.created, "updated": result.updated},
        )
    return result


def _clean(kind: str, data: dict, raw_cells: dict, errors: list) -> dict:
    entry: dict = {}
    id_number = data.get("id_number", "").upper()
    shown = mask_id_number(id_number) if len(id_number) == 18 else "（已隐藏）"
    subject = find_by_code(id_number) if id_number else None
    if not id_number:
        errors.append(("id_number", "请填写身份证号", ""))
    elif subject is None or subject.kind != SubjectKind.CIVIL_SERVANT:
        errors.append(("id_number", "该身份证号码未登记为公务员主体，请先在主体管理中登记", shown))
    elif data.get("name") and data["name"] != subject.name:
        errors.append(("name", "姓名与该身份证号码登记的姓名不一致", ""))
    entry["subject"] = subject
    if data.get("rank_level"):
        try:
            entry["rank_level"] = _choice(RankLevel.choices, data["rank_level"])
        except ValueError as exc:
            errors.append(("rank_level", str(exc), data["rank_level"]))
    entry["rank"] = data.get("rank", "")[:100]

    def need(key: str, convert, message: str = ""):
        raw = data.get(key, "")
        if not raw:
            errors.append((key, message or "此项必填", ""))
            return None
        try:
            return convert(raw, raw_cells.get(key))
        except (ValueError, InvalidOperation) as exc:
            errors.append((key, str(exc) or "格式不正确", raw))
            return None

    def number(raw, cell):
        value = Decimal(raw)
        if value < 0 or value > 9999:
            raise ValueError("应为 0 至 9999 之间的数字")
        return value

    def date(raw, cell):
        if isinstance(cell, (dt.date, dt.datetime)):
            return cell.date() if isinstance(cell, dt.datetime) else cell
        return _date(raw)

    def year(raw, cell):
        value = int(raw)
        if not 1990 <= value <= 2100:
            raise ValueError("年度应为四位年份")
        return value

    def yes(raw, cell):
        if raw not in YES:
            raise ValueError("应填写：是 或 否")
        return YES[raw]

    if kind == "training":
        entry["kind"] = need("kind", lambda r, c: _choice(TrainingKind.choices, r))
        entry["title"] = need("title", lambda r, c: r[:200])
        entry["start"] = need("start", date)
        entry["hours"] = need("hours", number)
        entry["days"] = number(data["days"], None) if data.get("days") else Decimal("0")
        entry["certificate_no"] = data.get("certificate_no", "")[:100]
        entry["attended"] = yes(data["attended"], None) if data.get("attended") in YES else True
        if data.get("attended") and data["attended"] not in YES:
            errors.append(("attended", "应填写：出勤 或 缺勤", data["attended"]))
    elif kind == "review":
        entry["year"] = need("year", year)
        entry["grade"] = need("grade", lambda r, c: _choice(ReviewGrade.choices, r))
        entry["approved_on"] = (
            date(data["approved_on"], raw_cells.get("approved_on")) if data.get("approved_on") else None
        )
    else:
        entry["year"] = need("year", year)
        entry["on_time"] = need("on_time", yes)
        entry["sampled"] = yes(data["sampled"], None) if data.get("sampled") in YES else False
        if data.get("sampled") and data["sampled"] not in YES:
            errors.append(("sampled", "应填写：是 或 否", data["sampled"]))
        entry["result"] = ""
        if data.get("result"):
            try:
                entry["result"] = _choice(MattersResult.choices, data["result"])
            except ValueError as exc:
                errors.append(("result", str(exc), data["result"]))
        if entry["result"] and not entry["sampled"]:
            errors.append(("result", "未抽查核实的报告不应填写核实结果", data["result"]))
        entry["handling"] = data.get("handling", "")[:200]
    return entry


def _save(kind: str, entry: dict, source: str) -> bool:
    file = ensure_file(
        entry["subject"], rank_level=entry.get("rank_level", ""), rank=entry.get("rank", ""), source=source
    )
    if kind == "training":
        course = None
        if entry["kind"] == TrainingKind.INTEGRITY:
            course, _ = IntegrityCourse.objects.get_or_create(
                title=entry["title"],
                held_on=entry["start"],
                defaults={"hours": entry["hours"], "organiser": source},
            )
        _, created = TrainingRecord.objects.update_or_create(
            file=file,
            kind=entry["kind"],
            title=entry["title"],
            start=entry["start"],
            defaults={
                "hours": entry["hours"],
                "days": entry["days"],
                "certificate_no": entry["certificate_no"],
                "attended": entry["attended"],
                "course": course,
            },
        )
    elif kind == "review":
        _, created = AnnualReview.objects.update_or_create(
            file=file,
            year=entry["year"],
            defaults={"grade": entry["grade"], "approved_on": entry["approved_on"], "source": source},
        )
    else:
        _, created = MattersCompliance.objects.update_or_create(
            file=file,
            year=entry["year"],
            defaults={k: entry[k] for k in ("on_time", "sampled", "result", "handling")},
        )
    return created
