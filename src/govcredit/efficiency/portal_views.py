"""信用周村: the public monthly efficiency ranking (chart) and 蜗牛奖 notices with reasons and results."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from govcredit.portal.cache import public_page

from . import services
from .charts import chart_data
from .models import ServiceItem, SnailAward
from .views import _period


@require_safe
@public_page
def ranking(request):
    period = _period(request)
    rows = services.efficiency(period)
    items = ServiceItem.objects.select_related("unit").order_by("unit_id", "code")[:200]
    return render(
        request,
        "efficiency/portal_ranking.html",
        {"period": period, "rows": rows, "chart": chart_data(rows), "items": items},
    )


@require_safe
@public_page
def awards(request):
    qs = (
        SnailAward.objects.filter(status__in=services.PUBLIC_AWARD_STATES)
        .select_related("unit")
        .order_by("-period", "pk")
    )
    return render(request, "efficiency/portal_awards.html", {"awards": qs[:100]})
