"""信用周村 PPP pages: stage timeline, documents per stage, responsible units, completeness, and each
publication and withdrawal in the disclosure ledger."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from govcredit.duties.disclosure import history_of
from govcredit.portal.cache import public_page

from . import services
from .models import Project, Stage


@require_safe
@public_page
def project_list(request):
    qs = Project.objects.select_related("agency").order_by("code")
    page_obj = Paginator(qs, 20).get_page(request.GET.get("page"))
    rows = [(p, services.completeness(p)) for p in page_obj]
    return render(request, "ppp/portal_list.html", {"page_obj": page_obj, "rows": rows, "query_string": ""})


@require_safe
@public_page
def project_detail(request, code: str):
    project = (
        Project.objects.select_related("agency", "regime", "social_capital").filter(code=code[:40]).first()
    )
    if project is None:
        raise Http404("PPP项目不存在")
    view = services.project_view(project, public=True)
    stages = []
    for value, label in Stage.choices:
        entry = next((s for s in view["stages"] if s["stage"] == value), None)
        items = [i for i in view["items"] if i["stage"] == value]
        units = sorted(
            {r.unit.name for r in project.responsibilities.filter(stage=value).select_related("unit")}
        )
        stages.append({"label": label, "entry": entry, "items": items, "units": units})
    ledger = []
    for item in project.items.all():
        ledger += [(item.name, e) for e in history_of("ppp.disclosureitem", item.pk)]
    ledger.sort(key=lambda pair: pair[1].sequence)
    return render(
        request,
        "ppp/portal_detail.html",
        {"project": project, "view": view, "stages": stages, "ledger": ledger},
    )
