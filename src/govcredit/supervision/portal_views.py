"""信用周村: file a complaint or report (anonymous for 举报), track it by code, read typical cases."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from govcredit.core.errors import NotFound, ValidationFailed
from govcredit.portal.cache import public_page

from . import cases, complaints
from .models import CaseKind, ComplaintCategory

FIELDS = ("kind", "category", "respondent", "content", "name", "contact")


def complaint_new(request):
    data = {k: (request.POST.get(k) or "").strip() for k in FIELDS}
    data["anonymous"] = request.POST.get("anonymous") == "1"
    errors: dict = {}
    filed = None
    if request.method == "POST":
        try:
            filed = complaints.file_complaint(data)
        except ValidationFailed as exc:
            errors = exc.field_errors
    return render(
        request,
        "supervision/portal_complaint.html",
        {
            "data": data,
            "errors": errors,
            "filed": filed,
            "categories": ComplaintCategory.objects.filter(active=True),
        },
    )


@require_safe
def complaint_track(request):
    code = (request.GET.get("code") or "").strip()
    if code:
        if complaints.normalise_code(code):
            return redirect("supervision_portal:complaint", complaints.normalise_code(code))
        return render(
            request,
            "supervision/portal_track.html",
            {"code": code[:30], "error": "查询码格式有误：以 TS 开头，共14位"},
            status=404,
        )
    return render(request, "supervision/portal_track.html", {"code": ""})


@require_safe
def complaint_status(request, code: str):
    try:
        view = complaints.public_view(code)
    except NotFound:
        raise Http404("查询码不存在，请核对后重试") from None
    return render(request, "supervision/portal_complaint_status.html", {"view": view})


@require_safe
@public_page
def case_list(request):
    qs = cases.public_cases()
    kind = request.GET.get("kind")
    if kind in CaseKind.values:
        qs = qs.filter(kind=kind)
    page_obj = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/portal_cases.html",
        {
            "page_obj": page_obj,
            "kind": kind if kind in CaseKind.values else "",
            "kinds": CaseKind.choices,
            "query_string": f"kind={kind}" if kind in CaseKind.values else "",
        },
    )


@require_safe
@public_page
def case_detail(request, pk: int):
    case = cases.public_cases().filter(pk=pk).first()
    if case is None:
        raise Http404("典型案例不存在或已撤下")
    return render(
        request, "supervision/portal_case.html", {"case": case, "view": cases.public_view(case, full=True)}
    )
