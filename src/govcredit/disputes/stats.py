"""Case statistics (by type, outcome, unit; handling time in working days; share handled in time)
and Excel exports of exactly what is filtered."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from govcredit.core.spreadsheets import formula_safe

from .models import CaseKind, CaseStatus, DisputeCase, Outcome

DECIDED = Q(status=CaseStatus.DECIDED)


@dataclass
class Row:
    label: str
    total: int
    open: int
    decided: int
    avg_days: float | None
    worst_days: int | None
    in_time: int

    @property
    def in_time_share(self) -> float | None:
        return self.in_time / self.decided if self.decided else None


def _row(label: str, data: dict) -> Row:
    return Row(
        label=label,
        total=data["total"],
        open=data["open"],
        decided=data["decided"],
        avg_days=round(data["avg_days"], 1) if data["avg_days"] is not None else None,
        worst_days=data["worst_days"],
        in_time=data["in_time"],
    )


AGG = {
    "total": Count("id"),
    "open": Count("id", filter=~DECIDED),
    "decided": Count("id", filter=DECIDED),
    "avg_days": Avg("handling_days", filter=DECIDED),
    "worst_days": Max("handling_days", filter=DECIDED),
    "in_time": Count("id", filter=DECIDED & Q(decided_in_time=True)),
}


def statistics(qs: QuerySet[DisputeCase]) -> dict:
    overall = _row("合计", qs.aggregate(**AGG))
    kinds = {row["kind"]: row for row in qs.values("kind").annotate(**AGG)}
    by_kind = [_row(label, kinds[value]) for value, label in CaseKind.choices if value in kinds]
    units = qs.values("record__source_unit__name", "record__source_unit__short_name").annotate(**AGG)
    by_unit = sorted(
        (_row(u["record__source_unit__short_name"] or u["record__source_unit__name"], u) for u in units),
        key=lambda r: (-r.total, r.label),
    )
    outcomes = dict(qs.filter(DECIDED).values_list("outcome").annotate(n=Count("id")))
    by_outcome = [(label, outcomes.get(value, 0)) for value, label in Outcome.choices if outcomes.get(value)]
    return {"overall": overall, "by_kind": by_kind, "by_unit": by_unit, "by_outcome": by_outcome}


HEADER_FILL = PatternFill("solid", fgColor="DDE6F2")


_safe = formula_safe


def _sheet(ws, title: str, header: list[str], rows: list[list]) -> None:
    ws.title = title
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        ws.append([_safe(v) for v in row])
    for i, _ in enumerate(header, start=1):
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = 18
    ws.freeze_panes = "A2"


def _share(row: Row):
    return round(row.in_time_share, 4) if row.in_time_share is not None else None


def stats_xlsx(data: dict, *, filters_text: str) -> bytes:
    wb = Workbook()
    header = [
        "分组",
        "案件数",
        "未办结",
        "已办结",
        "平均办理用时（工作日）",
        "最长办理用时（工作日）",
        "按期办结",
        "按期办结率",
    ]

    def rows(items):
        return [
            [r.label, r.total, r.open, r.decided, r.avg_days, r.worst_days, r.in_time, _share(r)]
            for r in items
        ]

    _sheet(wb.active, "按类型", header, rows([*data["by_kind"], data["overall"]]))
    _sheet(wb.create_sheet(), "按报送单位", header, rows(data["by_unit"]))
    _sheet(wb.create_sheet(), "按办理结果", ["办理结果", "件数"], [list(x) for x in data["by_outcome"]])
    for ws in wb.worksheets[:2]:
        for cell in ws["H"][1:]:
            cell.number_format = "0.0%"
    info = wb.create_sheet("说明")
    info.append(["统计范围", filters_text or "全部案件"])
    info.append(["导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    info.append(
        ["口径", "办理用时 = 接收日至办结日的工作日数，扣除退回补正暂停的工作日；按期 = 各环节均未超过期限"]
    )
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cases_xlsx(qs: QuerySet[DisputeCase]) -> bytes:
    wb = Workbook()
    header = [
        "案件编号",
        "类型",
        "状态",
        "决定文书号",
        "报送单位",
        "申请人",
        "接收日期",
        "当前环节期限",
        "期限为预估",
        "办理结果",
        "办结日期",
        "办理用时（工作日）",
        "按期办结",
    ]
    rows = []
    for c in qs.select_related("record", "record__source_unit").iterator(chunk_size=500):
        rows.append(
            [
                c.pk,
                c.get_kind_display(),
                c.get_status_display(),
                c.record.document_no,
                str(c.record.source_unit),
                c.applicant,
                c.received_on,
                c.due_on if c.is_open else None,
                "是" if c.is_open and c.due_estimated else "",
                c.get_outcome_display() if c.outcome else "",
                c.decided_on,
                c.handling_days,
                {True: "是", False: "否"}.get(c.decided_in_time, ""),
            ]
        )
    _sheet(wb.active, "异议与修复案件", header, rows)
    for row in wb.active.iter_rows(min_row=2):
        for cell in (row[6], row[7], row[10]):
            cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
