"""Back office: the decisions ledger (filters, pagination, export), the yearly catalog, and each
decision's procedure checklist with its steps and disclosure-ledger entries."""

from __future__ import annotations

from django.shortcuts import render

from govcredit.office.views import office_view, paginate, query_string, require, xlsx_response

from . import services
from .models import Category, Status

HEADERS = [
    "决策编号",
    "决策名称",
    "年度",
    "决策机关",
    "承办单位",
    "状态",
    "启动日期",
    "公布日期",
    "决策文件文号",
    "缺失环节",
]


def _filtered(request, qs):
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(catalog_entry__year=int(year))
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(code__icontains=q)
    if request.GET.get("queue") == "report_due":
        qs = qs & services.adoption_reports_due(request.access)
    return qs.order_by("-launched_on", "-pk")


@office_view
def decision_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看重大行政决策的权限")
    qs = _filtered(request, services.decisions_for(access))
    if request.GET.get("export") == "xlsx":

        def row(d):
            missing = "、".join(s.label for s in services.procedure(d) if s.state == "missing")
            return (
                d.code,
                d.title,
                d.catalog_entry.year,
                d.decision_body.name,
                d.unit.name,
                d.get_status_display(),
                d.launched_on.isoformat(),
                d.published_on.isoformat() if d.published_on else "",
                d.document_no,
                missing,
            )

        return xlsx_response("重大行政决策台账", "重大行政决策", HEADERS, (row(d) for d in qs.iterator()))
    return render(
        request,
        "decisions/list.html",
        {
            "nav": "decisions",
            **paginate(request, qs),
            "statuses": Status.choices,
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def catalog_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看决策事项目录的权限")
    qs = services.catalog_for(access).order_by("-year", "seq")
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    category = request.GET.get("category", "")
    if category in Category.values:
        qs = qs.filter(category=category)
    if request.GET.get("export") == "xlsx":
        headers = [
            "年度",
            "序号",
            "决策事项",
            "事项类别",
            "决策机关",
            "承办单位",
            "计划完成时间",
            "党委同意日期",
            "公布日期",
        ]
        rows = (
            (
                e.year,
                e.seq,
                e.title,
                e.get_category_display(),
                e.decision_body.name,
                e.unit.name,
                e.planned,
                e.party_agreed_on.isoformat() if e.party_agreed_on else "",
                e.published_on.isoformat() if e.published_on else "未公布",
            )
            for e in qs.iterator()
        )
        return xlsx_response("重大行政决策事项目录", "决策事项目录", headers, rows)
    return render(
        request,
        "decisions/catalog.html",
        {
            "nav": "decisions_catalog",
            **paginate(request, qs),
            "categories": Category.choices,
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def decision_detail(request, pk: int):
    decision = services.get_decision_for_user(request.access, pk)
    participation = getattr(decision, "participation", None)
    comments = list(participation.comments.all()[:200]) if participation else []
    return render(
        request,
        "decisions/detail.html",
        {
            "nav": "decisions",
            "decision": decision,
            "steps": services.procedure(decision),
            "participation": participation,
            "comments": comments,
            "hearings": list(decision.hearings.all()),
            "waivers": list(decision.waivers.all()),
            "reports": list(decision.execution_reports.all()),
            "evaluations": list(decision.post_evaluations.all()),
            "ledger": services.ledger_of(decision),
            "labels": services.OBJECT_LABELS,
            "legality": getattr(decision, "legality_review", None),
            "collective": getattr(decision, "collective", None),
        },
    )
