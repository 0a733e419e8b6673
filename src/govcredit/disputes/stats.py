"""Case statistics (by type, outcome, unit; handling time in working days; share handled in time)
and Excel exports of exactly what is filtered."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from govcredit.core.charts import Chart, Series, last_months, month_label, percent, top_with_rest
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


def _by_month(qs: QuerySet[DisputeCase], field: str, since, **aggregates) -> dict:
    rows = (
        qs.filter(**{f"{field}__gte": since})
        .order_by()
        .values(f"{field}__year", f"{field}__month")
        .annotate(**aggregates)
    )
    return {(r[f"{field}__year"], r[f"{field}__month"]): r for r in rows}


def on_time_chart(qs: QuerySet[DisputeCase], today, *, order: int = 100, link: str = "") -> Chart:
    """Cases decided per month of the last 12 and the share decided in time."""
    months = last_months(today)
    data = _by_month(
        qs.filter(DECIDED),
        "decided_on",
        months[0],
        decided=Count("id"),
        in_time=Count("id", filter=Q(decided_in_time=True)),
    )
    rows = [data.get((m.year, m.month), {"decided": 0, "in_time": 0}) for m in months]
    return Chart(
        "disputes-on-time",
        "异议与修复 · 按期办结率（按月）",
        [month_label(m) for m in months],
        [
            Series("办结件数", [r["decided"] for r in rows]),
            Series("按期办结率（%）", [percent(r["in_time"], r["decided"]) for r in rows], "line", "percent"),
        ],
        first="办结月份",
        note="按办结日期归月；按期 = 各环节均未超过工作日期限。",
        order=order,
        link=link,
    )


def charts(qs: QuerySet[DisputeCase], data: dict, today) -> list[Chart]:
    """The statistics page's charts: received per month, by type, by source unit, on time."""
    months = last_months(today)
    received = _by_month(qs, "received_on", months[0], n=Count("id"))
    units = top_with_rest([(r.label, r.total) for r in data["by_unit"]])
    return [
        Chart(
            "disputes-month",
            "收到案件 · 按月",
            [month_label(m) for m in months],
            [Series("案件数", [received.get((m.year, m.month), {}).get("n", 0) for m in months])],
            first="接收月份",
            note="近12个月，按接收日期归月。",
        ),
        Chart(
            "disputes-kind",
            "案件 · 按类型",
            [r.label for r in data["by_kind"]],
            [
                Series("已办结", [r.decided for r in data["by_kind"]]),
                Series("未办结", [r.open for r in data["by_kind"]]),
            ],
            first="类型",
            stacked=True,
        ),
        Chart(
            "disputes-unit",
            "案件 · 按报送单位",
            [label for label, _ in units],
            [Series("案件数", [n for _, n in units])],
            first="报送单位",
            note="前10个单位，其余合计为“其他”。",
            horizontal=True,
        ),
        on_time_chart(qs, today),
    ]


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
