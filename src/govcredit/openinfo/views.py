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
