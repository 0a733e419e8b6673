"""信用周村 pages of contracts: the public pay-by date per obligation (with its explanation and the
interest accrued) and the Art 18 yearly disclosure."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from govcredit.core.errors import NotFound
from govcredit.portal.cache import public_page

from . import disclosure, services
from .models import ArrearsDisclosure


@require_safe
@public_page
def contract_list(request):
    qs = services.public_contracts().order_by("-signed_on", "-id")
    q = (request.GET.get("q") or "").strip()[:60]
    if q:
        qs = (
            qs.filter(counterparty__uscc=q.upper())
            | qs.filter(counterparty__name__contains=q)
            | qs.filter(number=q)
        )
    page_obj = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/portal_list.html",
        {"page_obj": page_obj, "q": q, "query_string": f"q={q}" if q else ""},
    )


@require_safe
@public_page
def contract_detail(request, pk: int):
    contract = services.public_contracts().filter(pk=pk).first()
    if contract is None:
        raise Http404("合同不存在")
    view = services.contract_view(contract, as_of=timezone.localdate(), public=True)
    return render(request, "contracts/portal_detail.html", {"contract": contract, "view": view})


@require_safe
@public_page
def arrears_disclosure(request):
    years = list(ArrearsDisclosure.objects.values_list("year", flat=True))
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year - 1))
    except ValueError:
        year = years[0] if years else timezone.localdate().year - 1
    try:
        view = disclosure.public_view(year)
        missing = ""
    except NotFound as exc:
        view, missing = None, exc.message
    return render(
        request,
        "contracts/portal_disclosure.html",
        {"view": view, "missing": missing, "year": year, "years": years},
    )


COMPLAINT_FIELDS = [
    ("complainant_uscc", "企业统一社会信用代码", True),
    ("complainant_name", "企业名称", False),
    ("contact_name", "联系人", True),
    ("contact", "手机号码或电子邮箱（被投诉单位看不到）", True),
    ("respondent", "被投诉单位（如 区住建局、萌水镇）", True),
    ("contract_number", "合同编号", False),
    ("amount", "拖欠金额（元）", True),
    ("due_on", "约定付款日期（如 2026-05-01）", False),
]


def complaint_new(request):
    """The enterprise's online complaint (条例第二十五条); answers with the tracking code and deadlines."""
    from govcredit.core.errors import ValidationFailed

    from . import complaints

    data = {k: (request.POST.get(k) or "").strip() for k, _, _ in COMPLAINT_FIELDS}
    data["description"] = (request.POST.get("description") or "").strip()
    errors: dict[str, list[str]] = {}
    filed = None
    if request.method == "POST":
        try:
            filed = complaints.file_complaint(data)
        except ValidationFailed as exc:
            errors = exc.field_errors
    fields = [
        (k, label, required, data.get(k, ""), errors.get(k, [])) for k, label, required in COMPLAINT_FIELDS
    ]
    return render(
        request,
        "contracts/portal_complaint.html",
        {
            "fields": fields,
            "description": data["description"],
            "description_errors": errors.get("description", []),
            "filed": filed,
            "has_errors": bool(errors),
        },
    )


@require_safe
def complaint_status(request, code: str):
    from . import complaints

    try:
        view = complaints.public_view(code)
    except NotFound:
        raise Http404("查询码不存在") from None
    return render(request, "contracts/portal_complaint_status.html", {"view": view})
