"""Back office: 依申请公开 requests with their clock (filters, pagination, export) and each request's
history and deadline explanation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.office.views import (
    action_page,
    call_service,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import forms as F
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
            "can_write": bool(handled_units(access)),
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
        {
            "nav": "openinfo",
            "req": req,
            "view": services.staff_view(req),
            "reply_types": ReplyType.choices,
            "actions": [
                (slug, REQUEST_ACTIONS[slug].title)
                for slug in NEXT_STEPS.get(req.status, ())
                if services.can_handle(request.access, req)
            ],
        },
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
            "can_write": bool(handled_units(access)),
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
            "can_write": bool(handled_units(access)),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


# -- staff actions: one form page each, on the services the API calls ------------------------------
def handled_units(access) -> list[Organisation]:
    """The units whose requests, catalog and items this user keeps (``services.can_handle``)."""
    from .catalog import _Probe

    return access.memo(
        "openinfo.handled_units",
        lambda: [u for u in services.units() if services.can_handle(access, _Probe(u))],
    )


def _page(request, form, *, nav="openinfo", **page):
    return action_page(request, form, nav=nav, **page)


def _data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "confirm"}


_run = call_service


def _units_or_403(access, what: str) -> list[Organisation]:
    units = handled_units(access)
    require(bool(units), f"您没有{what}的权限（由受理机关经办人或区政府办公室办理）")
    return units


@office_view
def request_new(request):
    access = request.access
    units = _units_or_403(access, "登记政府信息公开申请")
    form = F.RegisterRequestForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        req = _run(form, lambda: services.register_request(_data(form), access=access))
        if req is not None:
            messages.success(
                request,
                f"已登记申请，查询码 {req.tracking_code}；答复期限 {req.due_on or '待确认收到后计算'}",
            )
            return redirect("openinfo:detail", pk=req.pk)
    back = reverse("openinfo:list")
    return _page(
        request,
        form,
        title="登记申请",
        subtitle="当面、邮寄、传真收到的申请；收到申请之日按条例第三十一条确定，答复期限为20个工作日。",
        back_url=back,
        crumbs=[("依申请公开", back)],
        submit="登记",
    )


@dataclass(frozen=True)
class RequestAction:
    title: str
    form: type
    apply: Any
    done: str
    submit: str = "登记"
    subtitle: str = ""


REQUEST_ACTIONS: dict[str, RequestAction] = {
    "confirm": RequestAction(
        "确认收到", F.ConfirmReceiptForm, services.confirm_receipt, "已确认收到，开始计算答复期限"
    ),
    "clarify": RequestAction(
        "补正通知",
        F.ClarifyForm,
        services.clarify,
        "已发出补正通知，答复期限暂停计算",
        subtitle="补正通知应一次性告知；补正期间不计入答复期限（条例第三十条）。",
    ),
    "resume": RequestAction(
        "收到补正", F.DateNoteForm, services.resume, "已收到补正，答复期限自收到补正之日重新计算"
    ),
    "third-party": RequestAction(
        "征求第三方意见",
        F.DateNoteForm,
        services.consult_third_party,
        "已登记征求第三方意见，征求意见期间不计入答复期限",
        subtitle="征求第三方和其他机关意见所需时间不计算在答复期限内（条例第三十二条、第三十三条）。",
    ),
    "third-party-done": RequestAction(
        "第三方已答复", F.DateNoteForm, services.third_party_answered, "已登记第三方答复，答复期限恢复计算"
    ),
    "extend": RequestAction(
        "延长答复期限",
        F.ExtendForm,
        services.extend,
        "已延长答复期限",
        subtitle="需要延长的，经政府信息公开工作机构负责人同意，延长不超过20个工作日，只能延长一次（条例第三十三条）。",
    ),
    "reply": RequestAction(
        "答复申请",
        F.ReplyForm,
        services.reply,
        "已答复，申请办结",
        submit="确认答复",
        subtitle="按条例第三十六条的答复类型之一答复。",
    ),
}
NEXT_STEPS = {
    "awaiting_confirmation": ("confirm",),
    "received": ("clarify", "third-party", "extend", "reply"),
    "clarifying": ("resume",),
    "third_party": ("third-party-done", "extend", "reply"),
}


@office_view
def request_action(request, pk: int, action: str):
    spec = REQUEST_ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这个操作")
    access = request.access
    req = services.get_request_for_user(access, pk)
    require(services.can_handle(access, req), "您没有办理该申请的权限")
    form = spec.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(form, lambda: spec.apply(req, _data(form), access=access))
        if done is not None:
            due = f"；答复期限 {done.due_on.isoformat()}" if done.due_on and done.status != "replied" else ""
            messages.success(request, spec.done + due)
            return redirect("openinfo:detail", pk=req.pk)
    back = reverse("openinfo:detail", args=[req.pk])
    return _page(
        request,
        form,
        title=spec.title,
        subtitle=f"申请 {req.tracking_code}（{req.unit.name}）。{spec.subtitle}",
        back_url=back,
        crumbs=[("依申请公开", reverse("openinfo:list")), (req.tracking_code, back)],
        submit=spec.submit,
    )


@office_view
def catalog_new(request):
    from . import catalog

    access = request.access
    units = _units_or_403(access, "维护政务公开目录")
    form = F.CatalogEntryForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        entry = _run(form, lambda: catalog.add_entry(_data(form), access=access))
        if entry is not None:
            messages.success(request, f"已登记目录事项「{entry.code}」（第{entry.version}版）")
            return redirect("openinfo:catalog")
    back = reverse("openinfo:catalog")
    return _page(
        request,
        form,
        title="登记目录事项",
        back_url=back,
        crumbs=[("政务公开目录", back)],
        nav="openinfo_catalog",
    )


@office_view
def catalog_revise(request, pk: int):
    from . import catalog

    access = request.access
    entry = catalog.get_entry(access, pk)
    require(entry.current, "只能修订现行版本")
    require(services.can_handle(access, entry), "您只能维护本单位的政务公开目录")
    initial = {f: getattr(entry, f) for f in catalog.COLUMNS}
    form = F.CatalogReviseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        new = _run(form, lambda: catalog.revise_entry(entry, _data(form), access=access))
        if new is not None:
            messages.success(request, f"目录事项「{new.code}」已修订为第{new.version}版，原版本保留")
            return redirect(reverse("openinfo:catalog") + "?versions=all")
    back = reverse("openinfo:catalog")
    return _page(
        request,
        form,
        title=f"修订目录事项 {entry.code}",
        subtitle=f"{entry.unit.name}，现行第{entry.version}版；修订生成新版本，原版本保留可查。",
        back_url=back,
        crumbs=[("政务公开目录", back)],
        nav="openinfo_catalog",
    )


@office_view
def item_new(request):
    from . import catalog

    access = request.access
    units = _units_or_403(access, "登记主动公开信息")
    form = F.ItemForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        item = _run(form, lambda: catalog.add_item(_data(form), access=access))
        if item is not None:
            messages.success(request, f"已登记「{item.name}」，应于 {item.due_on.isoformat()} 前公开")
            return redirect("openinfo:items")
    back = reverse("openinfo:items")
    return _page(
        request,
        form,
        title="登记主动公开信息",
        back_url=back,
        crumbs=[("主动公开", back)],
        nav="openinfo_items",
    )


@office_view
def item_publish(request, pk: int):
    from . import catalog

    access = request.access
    item = catalog.get_item(access, pk)
    require(services.can_handle(access, item), "您只能公开本单位的信息")
    form = F.ItemPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(form, lambda: catalog.publish_item(item, _data(form), access=access))
        if done is not None:
            late = catalog.lateness(done)
            messages.success(request, f"「{done.name}」已登记公开。{late.explain}")
            return redirect("openinfo:items")
    back = reverse("openinfo:items")
    return _page(
        request,
        form,
        title=f"登记公开：{item.name}",
        subtitle=f"索引号 {item.index_no}，生成日期 {item.generated_on.isoformat()}，公开期限 {item.due_on.isoformat()}。",
        back_url=back,
        crumbs=[("主动公开", back)],
        submit="确认公开",
        nav="openinfo_items",
    )


@office_view
def annual_report(request):
    from .annual import HEADERS as ANNUAL_HEADERS
    from .annual import annual_report as build

    access = request.access
    units = _units_or_403(access, "生成政府信息公开年度报告")
    year = timezone.localdate().year - 1
    form = F.AnnualReportForm(
        request.GET if "year" in request.GET else None, units=units, initial={"year": year}
    )
    if form.is_bound and form.is_valid():
        unit = next(u for u in units if u.name == form.cleaned_data["unit"])
        y = form.cleaned_data["year"]
        return xlsx_response(
            f"政府信息公开年度报告统计-{unit.name}-{y}", "年度报告统计", ANNUAL_HEADERS, build(unit, y)
        )
    back = reverse("openinfo:list")
    return render(
        request,
        "openinfo/annual.html",
        {"nav": "openinfo", "form": form, "back_url": back},
    )
