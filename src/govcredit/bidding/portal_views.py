"""Public 招标投标失信名单 and its archive (Art 9: archived entries stay free to query)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from govcredit.portal.cache import public_page

from . import services


def _list(request, *, archive: bool):
    q = (request.GET.get("q") or "").strip()[:100]
    qs = services.archive(q) if archive else services.public_blacklist(q=q)
    page_obj = Paginator(qs, 20).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [services.entry_row(e, today) for e in page_obj.object_list]
    return render(
        request,
        "bidding/portal_blacklist.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "q": q,
            "archive": archive,
            "query_string": f"q={q}" if q else "",
        },
    )


@require_safe
@public_page
def blacklist(request):
    return _list(request, archive=False)


@require_safe
@public_page
def blacklist_archive(request):
    return _list(request, archive=True)
