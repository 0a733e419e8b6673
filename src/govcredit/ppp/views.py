"""Back office: PPP projects with their stage checklist (items, responsible persons) and exports."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from govcredit.office.views import office_view, paginate, query_string, xlsx_response

from . import services
from .models import STAGE_ORDER, Role, RoleRequirement, Stage


@office_view
def project_list(request):
    qs = services.projects_for(request.access).order_by("code")
    stage = request.GET.get("stage")
    if stage in STAGE_ORDER:
        qs = qs.filter(stage=stage)
    if request.GET.get("export") == "xlsx":
        headers = [
            "项目编号",
            "项目名称",
            "所属行业",
            "总投资（元）",
            "合作期限（年）",
            "运作方式",
            "实施机构",
            "当前阶段",
            "公开完整度",
        ]
        rows = (
            (
                p.code,
                p.name,
                p.sector,
                f"{p.investment:.2f}",
                p.term_years,
                p.operation_mode,
                p.agency.name,
                p.get_stage_display(),
                f"{services.completeness(p)['percent']}%",
            )
            for p in qs
        )
        return xlsx_response("PPP项目", "PPP项目", headers, rows)
    return render(
        request,
        "ppp/project_list.html",
        {
            "nav": "ppp",
            **paginate(request, qs),
            "stages": Stage.choices,
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def project_detail(request, pk: int):
    project = services.get_project_for_user(request.access, pk)
    today = timezone.localdate()
    view = services.project_view(project)
    checklist = []
    for code, label in Stage.choices:
        required_roles = RoleRequirement.objects.filter(regime=project.regime, stage=code).values_list(
            "role", flat=True
        )
        held = {r.role: r for r in services.responsible_on(project, stage=code, on=today)}
        checklist.append(
            {
                "stage": code,
                "label": label,
                "items": [i for i in view["items"] if i["stage"] == code],
                "roles": [(Role(r).label, held.get(r)) for r in required_roles],
                "current": code == project.stage,
            }
        )
    gate = services.gate_problems(project, on=today) if project.stage != Stage.TRANSFER else {}
    return render(
        request,
        "ppp/project_detail.html",
        {"nav": "ppp", "project": project, "view": view, "checklist": checklist, "gate": gate},
    )
