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
