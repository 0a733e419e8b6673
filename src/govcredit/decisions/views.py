"""Back office: the decisions ledger (filters, pagination, export), the yearly catalog, and each
decision's procedure checklist with its steps and disclosure-ledger entries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from govcredit.core.errors import Conflict, CreditError
from govcredit.office.views import (
    action_page,
    apply_form_errors,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import forms as F
from . import services
from .models import Category, Decision, Status

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
            "can_launch": services.can_manage(access),
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
            "can_manage_catalog": services.can_manage_catalog(access),
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
            "actions": [
                (slug, a.title) for slug, a in ACTIONS.items() if a.allowed(request.access, decision)
            ],
            "danger_actions": DANGER_ACTIONS,
        },
    )


# -- staff actions: one page per action, the same service functions the API calls ----------------
def _render_action(request, form, **page):
    return action_page(request, form, nav="decisions", **page)


def _run(form, apply, *, fallback: str | None = None):
    """Call the service; its field errors go on the form's fields. Returns the result or None."""
    try:
        return apply()
    except CreditError as exc:
        if isinstance(form, F.ExpertReviewForm) and "experts" in (exc.field_errors or {}):
            rest = form.place_expert_errors(exc.field_errors.pop("experts"))
            if rest:
                exc.field_errors["experts"] = rest
            if not exc.field_errors and not rest:
                return None
        apply_form_errors(form, exc, fallback=fallback)
        return None


def _data(form) -> dict:
    if hasattr(form, "service_data"):
        return form.service_data()
    return {k: v for k, v in form.cleaned_data.items() if k != "confirm"}


@office_view
def catalog_new(request):
    access = request.access
    require(services.can_manage_catalog(access), f"只有{services.MANAGER_UNIT}和信用办可以编制决策事项目录")
    form = F.CatalogEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entry = _run(form, lambda: services.create_catalog_entry(_data(form), access=access))
        if entry is not None:
            messages.success(request, f"已登记{entry.year}年目录第{entry.seq}项「{entry.title}」")
            return redirect(reverse("decisions:catalog") + f"?year={entry.year}")
    back = reverse("decisions:catalog")
    return _render_action(
        request, form, title="登记目录事项", back_url=back, crumbs=[("决策事项目录", back)], submit="登记"
    )


@office_view
def catalog_publish(request):
    access = request.access
    require(services.can_manage_catalog(access), f"只有{services.MANAGER_UNIT}和信用办可以公布决策事项目录")
    form = F.CatalogPublishForm(request.POST or None, initial={"year": request.GET.get("year", "")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        n = _run(
            form,
            lambda: services.publish_catalog(d["year"], party_agreed_on=d["party_agreed_on"], access=access),
            fallback="year",
        )
        if n is not None:
            messages.success(request, f"已公布{d['year']}年重大行政决策事项目录{n}项")
            return redirect(reverse("decisions:catalog") + f"?year={d['year']}")
    back = reverse("decisions:catalog")
    return _render_action(
        request,
        form,
        title="公布年度目录",
        subtitle="年度目录经同级党委同意后向社会公布；公布后不能撤回。",
        back_url=back,
        crumbs=[("决策事项目录", back)],
        submit="确认公布",
    )


@office_view
def decision_new(request):
    access = request.access
    require(services.can_manage(access), "您没有启动重大行政决策的权限（由承办单位经办人启动）")
    entries = (
        services.catalog_for(access)
        .filter(published_on__isnull=False, decision__isnull=True)
        .order_by("-year", "seq")
    )
    form = F.LaunchForm(
        request.POST or None, entries=entries, initial={"catalog_entry_id": request.GET.get("entry")}
    )
    if request.method == "POST" and form.is_valid():
        decision = _run(form, lambda: services.launch_decision(_data(form), access=access))
        if decision is not None:
            messages.success(request, f"已启动决策「{decision.title}」（{decision.code}）")
            return redirect("decisions:detail", pk=decision.pk)
    back = reverse("decisions:list")
    return _render_action(
        request,
        form,
        title="启动重大行政决策",
        subtitle="只能启动已公布年度目录中的事项。",
        back_url=back,
        crumbs=[("重大行政决策", back)],
        submit="启动",
    )


@dataclass(frozen=True)
class Action:
    title: str
    form: type
    apply: Any  # (decision, data, access) -> object
    allowed: Any  # (access, decision) -> bool
    done: str
    submit: str = "登记"
    subtitle: str = ""


def _manage(access, d: Decision) -> bool:
    return services.can_manage(access, d)


def _adoption(d, data, access):
    p = getattr(d, "participation", None)
    if p is None:
        raise Conflict("该决策尚未公开征求意见")
    return services.publish_adoption_report(p, data, access=access)


ACTIONS: dict[str, Action] = {
    "participation": Action(
        "公开征求意见",
        F.ConsultationForm,
        lambda d, data, a: services.open_consultation(d, data, access=a),
        _manage,
        "已登记公开征求意见，信用周村同步公开征求意见稿",
        subtitle="征求意见期限一般不少于30日；少于30日的须说明理由（条例第十五条）。",
    ),
    "adoption": Action(
        "公布意见采纳情况",
        F.AdoptionForm,
        _adoption,
        lambda a, d: _manage(a, d) and hasattr(d, "participation"),
        "已公布意见采纳情况",
        submit="公布",
    ),
    "hearing": Action(
        "登记听证会",
        F.HearingForm,
        lambda d, data, a: services.add_hearing(d, data, access=a),
        _manage,
        "已登记听证会",
    ),
    "expert": Action(
        "登记专家论证",
        F.ExpertReviewForm,
        lambda d, data, a: services.add_expert_review(d, data, access=a),
        _manage,
        "已登记专家论证",
        subtitle="与决策事项有利害关系的专家应当回避；书面论证意见应当署名（条例第二十条）。",
    ),
    "risk": Action(
        "登记风险评估",
        F.RiskForm,
        lambda d, data, a: services.add_risk_assessment(d, data, access=a),
        _manage,
        "已登记风险评估",
    ),
    "legality": Action(
        "登记合法性审查意见",
        F.LegalityForm,
        lambda d, data, a: services.add_legality_review(d, data, access=a),
        lambda a, d: services.can_review_legality(a),
        "已登记合法性审查意见",
        subtitle="由合法性审查机构登记；审查时间少于7个工作日的将被标记。",
    ),
    "collective": Action(
        "登记集体讨论决定",
        F.CollectiveForm,
        lambda d, data, a: services.record_collective_decision(d, data, access=a),
        _manage,
        "已登记集体讨论决定",
        subtitle="未经合法性审查或经审查不合法的，不得提交讨论（条例第二十八条）。",
    ),
    "waiver": Action(
        "登记环节不适用",
        F.WaiverForm,
        lambda d, data, a: services.waive_step(d, data, access=a),
        _manage,
        "已登记环节不适用（理由与批准人向社会公开）",
    ),
    "report": Action(
        "登记报告党委",
        F.ReportToPartyForm,
        lambda d, data, a: services.report_to_party(d, data, access=a),
        _manage,
        "已登记报告党委",
    ),
    "publish": Action(
        "公布决策",
        F.PublishDecisionForm,
        lambda d, data, a: services.publish_decision(d, data, access=a),
        _manage,
        "决策已公布",
        submit="确认公布",
        subtitle="公布后不能撤回；程序环节缺失的，将生成失信线索并移送问责。",
    ),
    "execution": Action(
        "登记执行情况",
        F.ExecutionReportForm,
        lambda d, data, a: services.add_execution_report(d, data, access=a),
        _manage,
        "已登记决策执行情况",
    ),
    "evaluation": Action(
        "登记决策后评估",
        F.PostEvaluationForm,
        lambda d, data, a: services.add_post_evaluation(d, data, access=a),
        _manage,
        "已登记决策后评估",
    ),
    "status": Action(
        "登记调整或停止执行",
        F.StatusForm,
        lambda d, data, a: services.change_status(d, to=data["status"], reason=data["reason"], access=a),
        lambda a, d: services.can_manage_catalog(a),
        "已登记决策状态变更",
    ),
}
DANGER_ACTIONS = ("publish", "status")


@office_view
def decision_action(request, pk: int, action: str):
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这个操作")
    access = request.access
    decision = services.get_decision_for_user(access, pk)
    require(spec.allowed(access, decision), f"您没有{spec.title}的权限")
    form = spec.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(form, lambda: spec.apply(decision, _data(form), access))
        if done is not None:
            text = spec.done
            if getattr(done, "insufficient_review_time", False):
                text += f"；审查时间只有{done.working_days}个工作日，已标记「审查时间不足」"
            messages.success(request, text)
            return redirect("decisions:detail", pk=decision.pk)
    back = reverse("decisions:detail", args=[decision.pk])
    return _render_action(
        request,
        form,
        title=spec.title,
        subtitle=f"{decision.code} {decision.title}。{spec.subtitle}",
        back_url=back,
        crumbs=[("重大行政决策", reverse("decisions:list")), (decision.code, back)],
        submit=spec.submit,
    )
