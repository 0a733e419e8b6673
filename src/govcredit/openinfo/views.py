"""Back office: 依申请公开 requests with their clock (filters, pagination, export) and each request's
history and deadline explanation."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from govcredit.office.views import office_view, paginate, query_string, require, xlsx_response

from . import services
from .models import ReplyType, RequestStatus

HEADERS = [
    "查询码",
    "受理机关",
    "申请人",
    "提交方式",
    "提交日期",
    "收到申请日期",
    "答复期限",
    "延长（工作日）",
    "状态",
    "答复类型",
    "答复日期",
]


@office_view
def request_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看政府信息公开申请的权限")
    qs = services.requests_for(access).order_by("-submitted_on", "-pk")
    status = request.GET.get("status", "")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(status__in=services.OPEN_STATES + (RequestStatus.AWAITING_CONFIRMATION,))
    elif state == "overdue":
        qs = services.overdue(qs, timezone.localdate())
    q = request.GET.get("q", "").strip()[:40]
    if q:
        qs = qs.filter(tracking_code=q.upper()) | qs.filter(unit__name__contains=q)
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                r.tracking_code,
                r.unit.name,
                r.applicant,
                r.get_channel_display(),
                r.submitted_on.isoformat(),
                r.received_on.isoformat() if r.received_on else "",
                r.due_on.isoformat() if r.due_on else "",
                r.extension_days or "",
                r.get_status_display(),
                r.get_reply_type_display() if r.reply_type else "",
                r.replied_on.isoformat() if r.replied_on else "",
            )
            for r in qs.iterator()
        )
        return xlsx_response("政府信息公开申请", "依申请公开", HEADERS, rows)
    return render(
        request,
        "openinfo/list.html",
        {
            "nav": "openinfo",
            **paginate(request, qs),
            "statuses": RequestStatus.choices,
            "today": timezone.localdate(),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def request_detail(request, pk: int):
    req = services.get_request_for_user(request.access, pk)
    return render(
        request,
        "openinfo/detail.html",
        {"nav": "openinfo", "req": req, "view": services.staff_view(req), "reply_types": ReplyType.choices},
    )


ITEM_HEADERS = ["索引号", "名称", "公开主体", "生成日期", "公开期限", "公开日期", "逾期工作日", "说明"]


@office_view
def item_list(request):
    from . import catalog

    access = request.access
    require(services.may_view(access), "您没有查看主动公开信息的权限")
    qs = catalog.items_for(access).order_by("-generated_on", "-pk")
    if request.GET.get("late") == "1":
        qs = catalog.late_items(qs)
    if request.GET.get("published") == "0":
        qs = qs.filter(published_on__isnull=True)
    q = request.GET.get("q", "").strip()[:60]
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(index_no=q)
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":

        def row(i):
            late = catalog.lateness(i, today)
            return (
                i.index_no,
                i.name,
                i.unit.name,
                i.generated_on.isoformat(),
                i.due_on.isoformat(),
                i.published_on.isoformat() if i.published_on else "",
                late.working_days,
                late.explain,
            )

        return xlsx_response("主动公开信息", "主动公开信息", ITEM_HEADERS, (row(i) for i in qs.iterator()))
    ctx = paginate(request, qs)
    ctx["rows"] = [(i, catalog.lateness(i, today)) for i in ctx["page_obj"]]
    return render(
        request,
        "openinfo/items.html",
        {
            "nav": "openinfo_items",
            **ctx,
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def catalog_list(request):
    from . import catalog

    access = request.access
    require(services.may_view(access), "您没有查看政务公开目录的权限")
    qs = catalog.catalog_for(access).order_by("unit_id", "code", "-version")
    if request.GET.get("versions") != "all":
        qs = qs.filter(current=True)
    headers = [
        "公开主体",
        "事项编码",
        "版本",
        "公开事项（一级）",
        "公开事项（二级）",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开渠道和载体",
        "公开对象",
        "公开方式",
        "公开层级",
    ]
    if request.GET.get("export") == "xlsx":
        rows = (
            (
                e.unit.name,
                e.code,
                e.version,
                e.level1,
                e.level2,
                e.content,
                e.basis,
                e.time_limit,
                e.channels,
                e.get_audience_display(),
                e.get_manner_display(),
                e.get_level_display(),
            )
            for e in qs.iterator()
        )
        return xlsx_response("政务公开标准目录", "政务公开目录", headers, rows)
    return render(
        request,
        "openinfo/catalog.html",
        {
            "nav": "openinfo_catalog",
            **paginate(request, qs),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )
