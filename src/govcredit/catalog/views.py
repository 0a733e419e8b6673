"""目录与规则: the information catalog, its version history, and the credit office's edits."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render

from govcredit.core.errors import ValidationFailed
from govcredit.office.views import (
    apply_form_errors,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import services
from .forms import CatalogFilterForm, CatalogItemForm, initial_for
from .models import CatalogItem

WRITE_DENIED = "只有信用办和系统管理员可以修改信用信息目录"
DETAIL_FIELDS = (
    "negative",
    "subject_kinds",
    "severities",
    "disclosure",
    "display_periods",
    "repairable",
    "shared_with_platform",
    "active",
)


def _filtered(request):
    form = CatalogFilterForm(request.GET)
    qs = CatalogItem.objects.prefetch_related("source_units").order_by("-negative", "code")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(code__icontains=data["q"].strip()) | Q(name__contains=data["q"].strip()))
        if data["negative"]:
            qs = qs.filter(negative=data["negative"] == "1")
        if data["disclosure"]:
            qs = qs.filter(disclosure=data["disclosure"])
        if data["active"]:
            qs = qs.filter(active=data["active"] == "1")
    return form, qs


@office_view
def item_list(request):
    form, qs = _filtered(request)
    if request.GET.get("export") == "xlsx":
        d = services.describe_value
        rows = (
            (
                i.code,
                i.name,
                d("negative", i.negative),
                d("subject_kinds", i.subject_kinds),
                d("severities", i.severities),
                d("disclosure", i.disclosure),
                d("display_periods", i.display_periods),
                d("repairable", i.repairable),
                "、".join(u.name for u in i.source_units.all()) or "不限",
                i.version,
                d("active", i.active),
                i.legal_basis,
            )
            for i in qs
        )
        headers = [
            "事项代码",
            "事项名称",
            "性质",
            "适用主体",
            "严重程度",
            "公开方式",
            "公示期限",
            "可修复",
            "可报送单位",
            "版本",
            "启用",
            "法律依据",
        ]
        return xlsx_response("信用信息目录", "信用信息目录", headers, rows)
    context = paginate(request, qs)
    for item in context["page_obj"].object_list:
        item.kinds_text = services.describe_value("subject_kinds", item.subject_kinds)
        item.severities_text = services.describe_value("severities", item.severities)
        item.periods_text = services.describe_value("display_periods", item.display_periods)
    context.update(
        {
            "nav": "catalog",
            "form": form,
            "can_manage": request.access.can_manage_catalog(),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            "filtered": any(request.GET.get(k) for k in ("q", "negative", "disclosure", "active")),
        }
    )
    return render(request, "catalog/item_list.html", context)


@office_view
def item_detail(request, code: str):
    item = services.get_item(code)
    facts = [
        (services.FIELD_LABELS[field], services.describe_value(field, getattr(item, field)))
        for field in DETAIL_FIELDS
    ]
    context = {
        "nav": "catalog",
        "item": item,
        "facts": facts,
        "source_units": list(item.source_units.all()),
        "history": services.item_history(item),
        "can_manage": request.access.can_manage_catalog(),
    }
    return render(request, "catalog/item_detail.html", context)


@office_view
def item_create(request):
    require(request.access.can_manage_catalog(), WRITE_DENIED)
    form = CatalogItemForm(
        request.POST or None,
        initial={
            "negative": "1",
            "disclosure": "public",
            "repairable": True,
            "shared_with_platform": True,
            "active": True,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(
                form.item_data(),
                source_units=form.cleaned_data["source_units"],
                actor=request.user,
                reason=form.cleaned_data["reason"].strip() or "新增",
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"已新增目录事项「{item.name}」（{item.code}）")
            return redirect("catalog:detail", code=item.code)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "catalog/item_form.html", {"nav": "catalog", "form": form, "item": None}, status=status
    )


@office_view
def item_edit(request, code: str):
    require(request.access.can_manage_catalog(), WRITE_DENIED)
    item = services.get_item(code)
    form = CatalogItemForm(request.POST or None, initial=initial_for(item), editing=True)
    if request.method == "POST" and form.is_valid():
        old_version = item.version
        try:
            item = services.update_item(
                item,
                form.item_data(),
                actor=request.user,
                reason=form.cleaned_data["reason"],
                source_units=form.cleaned_data["source_units"],
            )
        except ValidationFailed as exc:
            apply_form_errors(form, exc)
        else:
            if item.version == old_version:
                messages.info(request, "内容没有变化，未生成新版本")
            else:
                messages.success(request, f"已保存「{item.name}」，版本 {old_version} → {item.version}")
            return redirect("catalog:detail", code=item.code)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "catalog/item_form.html", {"nav": "catalog", "form": form, "item": item}, status=status
    )
