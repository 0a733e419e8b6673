"""Back office 数据交换: delivery state, retry / park, reconciliation, inbound lists (thin views)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from govcredit.accounts.models import Organisation
from govcredit.catalog.models import CatalogItem, Severity
from govcredit.core.errors import CreditError, ValidationFailed
from govcredit.office.views import apply_form_errors, office_view, paginate, require

from . import inbound, services
from .delivery import channel_description
from .models import EVENT_LABELS, EventStatus, InboundList, ListKind, MatchStatus, OutboxEvent


def _access(request):
    """The office's ``Access``, refused (403) unless it may see the exchange pages."""
    services.require_view(request.access)
    return request.access


class EventFilter(forms.Form):
    status = forms.ChoiceField(label="投递状态", required=False, choices=[("", "全部")] + EventStatus.choices)
    event = forms.ChoiceField(
        label="事件", required=False, choices=[("", "全部")] + list(EVENT_LABELS.items())
    )
    q = forms.CharField(label="文书号 / 报送单位 / 幂等键", required=False, max_length=100)
    date_from = forms.DateField(
        label="发生日期从", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))


@office_view
def event_list(request):
    access = _access(request)
    form = EventFilter(request.GET or None)
    events = OutboxEvent.objects.order_by("-id")
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            events = events.filter(status=data["status"])
        if data["event"]:
            events = events.filter(event=data["event"])
        if data["q"]:
            q = data["q"].strip()
            events = events.filter(
                Q(document_no__contains=q) | Q(source_unit__contains=q) | Q(idempotency_key=q.lower())
            )
        if data["date_from"]:
            events = events.filter(occurred_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(occurred_at__date__lte=data["date_to"])
    page = paginate(request, events.defer("payload"))
    return render(
        request,
        "exchange/event_list.html",
        {
            "nav": "exchange",
            "tab": "events",
            "form": form,
            **page,
            "counts": services.status_counts(),
            "channel": channel_description(),
            "can_operate": services.can_operate(access),
            "filtered": bool(page["query_string"]),  # any filter given, dates included
        },
    )


@office_view
def event_detail(request, pk: int):
    access = _access(request)
    event = services.get_event(pk)
    return render(
        request,
        "exchange/event_detail.html",
        {
            "nav": "exchange",
            "event": event,
            "wire": json.dumps(event.wire(), ensure_ascii=False, indent=2),
            "can_operate": services.can_operate(access),
        },
    )


class ParkForm(forms.Form):
    reason = forms.CharField(
        label="搁置原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写搁置原因", "max_length": "搁置原因不能超过500个字符"},
    )


@office_view
def event_action(request, pk: int, action: str):
    """GET asks for confirmation naming the event; POST does it."""
    access = _access(request)
    services.require_operate(access)
    event = services.get_event(pk)
    form = ParkForm(request.POST or None) if action == "park" else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                services.retry_event(event, access=access)
                done = "已重新排队投递"
            else:
                services.park_event(event, access=access, reason=form.cleaned_data["reason"])
                done = "已搁置"
        except CreditError as exc:
            if form is None or not isinstance(exc, ValidationFailed):
                messages.error(request, exc.message)
                return redirect("exchange:event_detail", pk=event.pk)
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{done}：{event.event_label}「{event.document_no}」")
            return redirect("exchange:event_detail", pk=event.pk)
    return render(
        request,
        "exchange/event_confirm.html",
        {"nav": "exchange", "event": event, "action": action, "form": form},
    )


class AckForm(forms.Form):
    ack_file = forms.FileField(
        label="回执文件",
        help_text="市平台返回的回执：JSON（含 acknowledged 列表）、JSON Lines、含 idempotency_key 列的 CSV，或每行一个幂等键",
        error_messages={"required": "请选择回执文件"},
    )


@office_view
def reconcile(request):
    access = _access(request)
    form = AckForm(request.POST or None, request.FILES or None)
    report = None
    endpoint = services.ack_url()
    if request.method == "POST" and request.POST.get("source") == "endpoint":
        form = AckForm()
        try:
            keys = services.fetch_ack_endpoint(endpoint)
            report = services.reconcile(keys, access=access, source=f"回执接口 {endpoint}")
        except ValidationFailed as exc:
            messages.error(request, exc.message)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["ack_file"]
        try:
            keys = services.parse_ack_file(upload.name, upload.read())
            report = services.reconcile(keys, access=access, source=upload.name)
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
    return render(
        request,
        "exchange/reconcile.html",
        {"nav": "exchange", "tab": "reconcile", "form": form, "report": report, "endpoint": endpoint},
    )


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="名单类型", choices=ListKind.choices)
    file = forms.FileField(
        label="名单文件",
        help_text="CSV（UTF-8 或 GBK）或 XLSX；表头含 名称、证件号码、执行依据文号、日期、作出执行依据单位、失信情形",
        error_messages={"required": "请选择名单文件"},
    )
    item = forms.ModelChoiceField(
        label="信息类别",
        required=False,
        queryset=CatalogItem.objects.filter(active=True),
        empty_label="按名单类型默认",
    )
    source_unit = forms.ModelChoiceField(
        label="报送单位（名单发布机关）",
        required=False,
        queryset=Organisation.objects.filter(is_source_unit=True),
        empty_label="按名单类型默认",
    )
    severity = forms.ChoiceField(
        label="严重程度", required=False, choices=[("", "按名单类型默认")] + Severity.choices
    )


@office_view
def inbound_list(request):
    access = _access(request)
    can_operate = services.can_operate(access)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(can_operate, "只有信用办或系统管理员可以导入名单")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imported = inbound.import_list(
                    name=upload.name,
                    content=upload.read(),
                    kind=form.cleaned_data["kind"],
                    access=access,
                    item=form.cleaned_data["item"],
                    source_unit=form.cleaned_data["source_unit"],
                    severity=form.cleaned_data["severity"],
                )
            except ValidationFailed as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已导入「{imported.file_name}」{imported.total} 条：代码匹配 {imported.matched} 条，"
                    f"待人工确认 {imported.name_only} 条，重复 {imported.duplicates} 条，提交审核 {imported.proposed} 条",
                )
                return redirect("exchange:inbound_detail", pk=imported.pk)
    kind = request.GET.get("kind", "")
    lists = InboundList.objects.select_related("imported_by", "source_unit", "item")
    if kind in ListKind.values:
        lists = lists.filter(kind=kind)
    return render(
        request,
        "exchange/inbound_list.html",
        {
            "nav": "exchange",
            "tab": "inbound",
            "form": form,
            **paginate(request, lists),
            "kinds": ListKind.choices,
            "kind": kind,
            "can_operate": can_operate,
        },
    )


@office_view
def inbound_detail(request, pk: int):
    access = _access(request)
    imported = inbound.get_list(pk)
    match = request.GET.get("match", "")
    entries = imported.entries.select_related("subject", "record")
    if match in MatchStatus.values:
        entries = entries.filter(match=match)
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(Q(name__contains=q) | Q(document_no__contains=q))
    return render(
        request,
        "exchange/inbound_detail.html",
        {
            "nav": "exchange",
            "tab": "inbound",
            "imported": imported,
            **paginate(request, entries),
            "matches": MatchStatus.choices,
            "match": match,
            "q": q,
            "can_operate": services.can_operate(access),
        },
    )


@office_view
def entry_action(request, pk: int, action: str):
    access = _access(request)
    require(services.can_operate(access), "只有信用办或系统管理员可以确认名单条目")
    entry = inbound.get_entry(pk)
    if request.method == "POST":
        try:
            if action == "confirm":
                entry = inbound.confirm_entry(entry, access=access)
                if entry.record_id:
                    messages.success(request, f"已确认并提交审核：文书号「{entry.document_no}」")
                else:
                    messages.warning(request, f"已确认，但未能提交审核：{entry.note}")
            else:
                inbound.dismiss_entry(entry, access=access, reason=request.POST.get("reason", ""))
                messages.success(request, f"已排除名单条目「{entry.display_name}」")
        except CreditError as exc:
            messages.error(request, exc.message)
        url = reverse("exchange:inbound_detail", args=[entry.inbound_list_id])
        return redirect(url + "?" + urlencode({"match": MatchStatus.NAME_ONLY}))
    return render(
        request, "exchange/entry_confirm.html", {"nav": "exchange", "entry": entry, "action": action}
    )
