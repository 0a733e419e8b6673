"""Back office: monthly efficiency per unit (chart + table + export), service items, 办件, 蜗牛奖."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from govcredit.core.errors import ValidationFailed
from govcredit.office.views import office_view, paginate, query_string, require, xlsx_response

from . import services
from .charts import chart_data
from .models import SnailAward


def _period(request) -> str:
    today = timezone.localdate()
    default = f"{today.year}-{today.month:02d}"
    period = (request.GET.get("period") or default).strip()[:10]
    try:
        services.period_range(period)
    except ValidationFailed:
        period = default
    return period


@office_view
def monthly(request):
    access = request.access
    require(services.may_view(access), "您没有查看办事效率的权限")
    period = _period(request)
    rows = services.efficiency(period, services.cases_for(access))
    headers = [
        "单位",
        "办结件数",
        "按时办结率（%）",
        "平均用时（工作日）",
        "超期件数",
        "累计超期（工作日）",
        "多次或超期告知件数",
    ]
    if request.GET.get("export") == "xlsx":
        data = (
            (
                e.unit.name,
                e.cases,
                str(e.on_time_percent),
                str(e.mean_days),
                e.overruns,
                e.overrun_days,
                e.repeated_notices,
            )
            for e in rows
        )
        return xlsx_response(f"办事效率{period}", "办事效率", headers, data)
    return render(
        request,
        "efficiency/monthly.html",
        {
            "nav": "efficiency",
            "period": period,
            "rows": rows,
            "chart": chart_data(rows),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def item_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看政务服务事项的权限")
    qs = services.items_for(access).order_by("unit_id", "code")
    kind = request.GET.get("kind", "")
    if kind in ("instant", "promised"):
        qs = qs.filter(kind=kind)
    if request.GET.get("export") == "xlsx":
        headers = [
            "事项编码",
            "事项名称",
            "实施单位",
            "办件类型",
            "法定时限（工作日）",
            "承诺时限（工作日）",
            "容缺受理材料",
        ]
        rows = (
            (
                i.code,
                i.name,
                i.unit.name,
                i.get_kind_display(),
                i.legal_days,
                i.promised_days,
                i.tolerated_materials,
            )
            for i in qs.iterator()
        )
        return xlsx_response("政务服务事项", "服务事项", headers, rows)
    return render(
        request,
        "efficiency/items.html",
        {
            "nav": "efficiency_items",
            **paginate(request, qs),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def case_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看办件的权限")
    qs = services.cases_for(access).order_by("-received_on", "-pk")
    if request.GET.get("overrun") == "1":
        qs = qs.filter(overrun_days__gt=0)
    if request.GET.get("notice") == "1":
        qs = qs.filter(repeated_notice=True) | qs.filter(late_notice=True)
    if request.GET.get("export") == "xlsx":
        headers = [
            "办件编号",
            "事项",
            "实施单位",
            "受理日期",
            "承诺期限",
            "办结日期",
            "用时（工作日）",
            "超期（工作日）",
            "多次告知",
            "超过5日告知",
            "期限说明",
        ]
        rows = (
            (
                c.case_no,
                c.item.name,
                c.unit.name,
                c.received_on.isoformat(),
                c.due_on.isoformat(),
                c.completed_on.isoformat() if c.completed_on else "",
                c.working_days if c.working_days is not None else "",
                c.overrun_days,
                "是" if c.repeated_notice else "",
                "是" if c.late_notice else "",
                c.due_explain,
            )
            for c in qs.iterator()
        )
        return xlsx_response("办件", "办件", headers, rows)
    return render(
        request,
        "efficiency/cases.html",
        {
            "nav": "efficiency_cases",
            **paginate(request, qs),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def award_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看蜗牛奖的权限")
    period = request.GET.get("period", "").strip()[:10]
    nominations = []
    if period:
        try:
            nominations = services.nominate(period)
        except (ValidationFailed, services.Conflict):
            nominations = []
    return render(
        request,
        "efficiency/awards.html",
        {
            "nav": "efficiency_awards",
            **paginate(request, SnailAward.objects.select_related("unit").order_by("-period", "pk")),
            "period": period,
            "nominations": nominations,
        },
    )
