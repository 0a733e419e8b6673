"""Back office: 失信线索 (findings) and 履职事项 (duties), scoped, filtered, 20 a page, Excel export of
exactly what is filtered."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.office.views import office_view, paginate, query_string, xlsx_response

from . import services
from .models import Duty, DutyStatus, Finding, FindingStatus, Stage

MAX_EXPORT_ROWS = 100_000


def _export(request, qs, *, filename: str, headers: list[str], row):
    if qs.count() > MAX_EXPORT_ROWS:
        messages.error(request, f"筛选结果超过 {MAX_EXPORT_ROWS:,} 条，请缩小筛选范围后再导出")
        return redirect(f"{request.path}?{query_string(request, drop=('export',))}")
    return xlsx_response(filename, filename, headers, (row(obj) for obj in qs.iterator(chunk_size=2000)))


def _units(qs, field: str):
    ids = qs.order_by().values_list(field, flat=True).distinct()
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@office_view
def finding_list(request):
    access = request.access
    scope = services.findings_for(access)
    qs = scope.select_related("subject", "source_unit")
    f = request.GET
    if f.get("module"):
        qs = qs.filter(module=f["module"])
    if f.get("status") in FindingStatus.values:
        qs = qs.filter(status=f["status"])
    unit_id = _int(f.get("unit"))
    if unit_id:
        qs = qs.filter(source_unit_id=unit_id)
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(subject__name__contains=q) | qs.filter(document_no__contains=q)
    qs = qs.order_by("-created_at", "-pk")
    if f.get("export") == "xlsx":
        return _export(
            request,
            qs,
            filename="失信线索",
            headers=[
                "文书号",
                "模块",
                "规则",
                "主体",
                "提出单位",
                "信息类别",
                "严重程度",
                "失信事实",
                "依据",
                "状态",
                "信用记录编号",
                "提交问题",
                "生成时间",
            ],
            row=lambda x: (
                x.document_no,
                x.module,
                x.rule,
                x.subject.display_name,
                x.source_unit.name,
                x.item,
                x.get_severity_display(),
                x.facts,
                x.legal_basis,
                x.get_status_display(),
                x.record_id or "",
                x.problem,
                x.created_at,
            ),
        )
    context = {
        "nav": "findings",
        "f": f,
        "statuses": FindingStatus.choices,
        "modules": sorted(set(scope.order_by().values_list("module", flat=True).distinct())),
        "units": _units(scope, "source_unit_id"),
        "unit_id": unit_id,
        "export_query": query_string(request, drop=("page",), export="xlsx"),
        **paginate(request, qs),
    }
    return render(request, "duties/finding_list.html", context)


@office_view(require_role=False)
def finding_detail(request, pk: int):
    finding = services.get_finding(request.access, pk)
    return render(request, "duties/finding_detail.html", {"nav": "findings", "finding": finding})


@office_view
def duty_list(request):
    access = request.access
    scope = services.duties_for(access)
    qs = scope.select_related("unit")
    f = request.GET
    today = timezone.localdate()
    if f.get("module"):
        qs = qs.filter(module=f["module"])
    status = f.get("status", "open")
    if status in DutyStatus.values:
        qs = qs.filter(status=status)
    if f.get("stage") in Stage.values and f.get("stage"):
        qs = qs.filter(stage=f["stage"])
    unit_id = _int(f.get("unit"))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if f.get("overdue") == "1":
        qs = qs.filter(status=DutyStatus.OPEN, due_on__lt=today)
    if f.get("q"):
        qs = qs.filter(title__contains=f["q"].strip())
    qs = qs.order_by("due_on", "pk")
    if f.get("export") == "xlsx":
        return _export(
            request,
            qs,
            filename="履职事项",
            headers=[
                "事项",
                "模块",
                "类型",
                "责任单位",
                "到期日",
                "期限说明",
                "状态",
                "逾期",
                "提醒阶段",
                "履行日期",
            ],
            row=lambda d: (
                d.title,
                d.module,
                d.kind,
                d.unit.name if d.unit else "",
                d.due_on.isoformat(),
                d.explain,
                d.get_status_display(),
                "是" if d.is_overdue(today) else "否",
                d.get_stage_display(),
                d.fulfilled_on.isoformat() if d.fulfilled_on else "",
            ),
        )
    context = {
        "nav": "duties",
        "f": f,
        "status": status,
        "today": today,
        "statuses": DutyStatus.choices,
        "stages": [s for s in Stage.choices if s[0]],
        "modules": sorted(set(scope.order_by().values_list("module", flat=True).distinct())),
        "units": _units(scope, "unit_id"),
        "unit_id": unit_id,
        "export_query": query_string(request, drop=("page",), export="xlsx"),
        **paginate(request, qs),
    }
    return render(request, "duties/duty_list.html", context)


__all__ = ["duty_list", "finding_detail", "finding_list", "Duty", "Finding"]
