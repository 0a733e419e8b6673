"""信用周村 pages of major decisions: open consultations with their countdown and the comment form
(closed after the end date), adoption reports, published decisions with their procedure and every
step's disclosure-ledger entry, and the yearly catalog."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from govcredit.core.errors import CreditError
from govcredit.office.views import apply_form_errors
from govcredit.portal.cache import public_page

from . import services
from .forms import CommentForm
from .models import CatalogEntry


@require_safe
@public_page
def index(request):
    today = timezone.localdate()
    open_now = [(p, services.days_left(p, today)) for p in services.open_consultations(today)[:50]]
    closed = services.public_consultations().filter(end_on__lt=today)[:20]
    page_obj = Paginator(services.public_decisions(), 20).get_page(request.GET.get("page"))
    year = today.year
    catalog = CatalogEntry.objects.filter(
        published_on__isnull=False, year__in=(year, year - 1)
    ).select_related("unit", "decision_body")
    return render(
        request,
        "decisions/portal_index.html",
        {
            "open_now": open_now,
            "closed": closed,
            "page_obj": page_obj,
            "catalog": catalog,
            "query_string": "",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def consultation(request, pk: int):
    try:
        p = services.get_public_consultation(pk)
    except CreditError as exc:
        raise Http404(exc.message) from exc
    today = timezone.localdate()
    form = CommentForm(request.POST or None)
    status, sent, closed_message = 200, False, ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_comment(p, form.cleaned_data)
                sent, form = True, CommentForm()
            except CreditError as exc:
                if exc.status_code == 409:
                    closed_message, status = exc.message, 409
                else:
                    apply_form_errors(form, exc)
                    status = 422
        else:
            status = 422
    return render(
        request,
        "decisions/portal_consultation.html",
        {
            "p": p,
            "view": services.consultation_view(p, today=today),
            "form": form,
            "sent": sent,
            "closed_message": closed_message,
        },
        status=status,
    )


@require_safe
@public_page
def decision(request, code: str):
    d = services.public_decisions().select_related("catalog_entry").filter(code=code[:30]).first()
    if d is None:
        raise Http404("决策不存在或尚未公布")
    return render(
        request,
        "decisions/portal_decision.html",
        {
            "d": d,
            "steps": services.procedure(d),
            "participation": getattr(d, "participation", None),
            "ledger": services.ledger_of(d),
            "labels": services.OBJECT_LABELS,
            "reports": list(d.execution_reports.all()),
            "evaluations": list(d.post_evaluations.all()),
        },
    )
