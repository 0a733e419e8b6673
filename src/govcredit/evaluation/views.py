"""Back office of 政务诚信评价: indicator sets (versions, editor), runs (list, detail with the
workflow), a unit's score lines (self-assessment with evidence, review, appeal, what-if). Thin: the
rules live in ``evaluation.services``; errors come back as messages on the page they were made on."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.core.errors import CreditError, NotFound
from govcredit.core.uploads import download_response
from govcredit.office.views import office_view, paginate, require, xlsx_response

from . import services
from .methods import registry
from .models import Appeal, Applies, ClaimEvidence, IndicatorSet, LineState, RunStatus, ScoreLine, UnitResult

NAV = "evaluation"


def _fail(request, exc: CreditError) -> None:
    fields = "；".join(f"{m}" for msgs in (getattr(exc, "field_errors", None) or {}).values() for m in msgs)
    messages.error(request, exc.message + (f"（{fields}）" if fields else ""))


def _view(request):
    require(services.can_view(request.access), "只有信用办、联席会议成员单位和被评价单位可以查看政务诚信评价")


# -- indicator sets -------------------------------------------------------------------------------
@office_view
def set_list(request):
    _view(request)
    sets = IndicatorSet.objects.order_by("code", "-version")
    return render(
        request,
        "evaluation/set_list.html",
        {"nav": NAV, "sets": sets, "manage": services.can_manage(request.access)},
    )


@office_view
def set_detail(request, pk: int):
    _view(request)
    indicator_set = get_object_or_404(IndicatorSet, pk=pk)
    nodes = list(indicator_set.indicators.select_related("parent").order_by("position", "pk"))
    tree = _tree(nodes)
    editable = (
        services.can_manage(request.access)
        and indicator_set.status == "draft"
        and not services.set_in_use(indicator_set)
    )
    return render(
        request,
        "evaluation/set_detail.html",
        {
            "nav": NAV,
            "set": indicator_set,
            "tree": tree,
            "editable": editable,
            "manage": services.can_manage(request.access),
            "problems": services.validate_tree(indicator_set),
            "methods": registry().values(),
            "applies": Applies.choices,
            "parents": [n for n in nodes if n.level < 3],
        },
    )


def _tree(nodes):
    children: dict = {}
    for n in nodes:
        children.setdefault(n.parent_id, []).append(n)
    out = []

    def walk(parent_id, depth):
        for n in children.get(parent_id, []):
            out.append((n, depth, n.pk not in children))
            walk(n.pk, depth + 1)

    walk(None, 0)
    return out


@require_POST
@office_view
def set_action(request, pk: int, action: str):
    indicator_set = get_object_or_404(IndicatorSet, pk=pk)
    access = request.access
    require(services.can_manage(access), "只有信用办可以修改评价指标体系")
    try:
        if action == "copy":
            new = services.new_version(indicator_set, access=access)
            messages.success(request, f"已复制为第{new.version}版（草稿）")
            return redirect("evaluation:set", pk=new.pk)
        if action == "activate":
            services.activate_set(indicator_set, access=access)
            messages.success(request, "已启用该版本")
        elif action == "update":
            data = request.POST.dict()
            if "bands" in data:
                try:
                    data["bands"] = json.loads(data["bands"])
                except ValueError:
                    data["bands"] = None
            services.update_set(indicator_set, data, access=access)
            messages.success(request, "已保存")
        elif action == "indicator":
            data = request.POST.dict()
            try:
                data["params"] = json.loads(data.get("params") or "{}")
            except ValueError:
                data["params"] = None
            indicator = None
            if data.get("indicator"):
                indicator = get_object_or_404(indicator_set.indicators, pk=data["indicator"])
            services.save_indicator(indicator_set, data, access=access, indicator=indicator)
            messages.success(request, "指标已保存")
        elif action == "delete":
            indicator = get_object_or_404(indicator_set.indicators, pk=request.POST.get("indicator") or 0)
            services.delete_indicator(indicator, access=access)
            messages.success(request, "指标已删除")
        else:
            raise Http404("未知操作")
    except CreditError as exc:
        _fail(request, exc)
    return redirect("evaluation:set", pk=indicator_set.pk)


# -- runs -----------------------------------------------------------------------------------------
@office_view
def run_list(request):
    _view(request)
    access = request.access
    if request.method == "POST":
        require(services.can_manage(access), "只有信用办可以开展评价")
        try:
            as_of = dt.date.fromisoformat(request.POST.get("as_of", ""))
        except ValueError:
            messages.error(request, "数据截止日格式有误（YYYY-MM-DD）")
        else:
            try:
                run = services.open_run(request.POST.get("period", ""), as_of, access=access)
                messages.success(request, f"已开展评价，结果摘要 {run.result_hash[:16]}…")
                return redirect("evaluation:run", pk=run.pk)
            except CreditError as exc:
                _fail(request, exc)
    runs = services.runs_for(access).order_by("-created_at", "-pk")
    today = timezone.localdate()
    return render(
        request,
        "evaluation/run_list.html",
        {
            "nav": NAV,
            **paginate(request, runs),
            "manage": services.can_manage(access),
            "default_period": today.year - 1,
            "default_as_of": dt.date(today.year - 1, 12, 31),
        },
    )


def _run(pk: int):
    try:
        return services.get_run(pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@office_view
def run_detail(request, pk: int):
    _view(request)
    run = _run(pk)
    results = services.visible_results(request.access, run).order_by("group", "rank", "pk")
    if not results.exists() and not request.access.sees_everything:
        raise Http404("评价批次不存在")
    if request.GET.get("export") == "xlsx":  # 考核 format: one row a unit, one column a leaf indicator
        leaves = [i for i in run.set_snapshot["indicators"] if i["leaf"]]
        points = {}
        for r_id, code, p in run.lines.filter(result__in=results).values_list(
            "result_id", "indicator_code", "points"
        ):
            points[(r_id, code)] = p
        headers = [
            "组别",
            "名次",
            "单位",
            *[f"{i['code']} {i['name']}（{i['points']}）" for i in leaves],
            "总分",
            "等次",
        ]
        rows = (
            [
                r.get_group_display(),
                r.rank,
                r.unit.name,
                *[points.get((r.pk, i["code"]), "") for i in leaves],
                r.total,
                r.grade_label,
            ]
            for r in results
        )
        return xlsx_response(f"{run.period}年度政务诚信评价", "政务诚信评价", headers, rows)
    counts = {s: run.lines.filter(state=s).count() for s in LineState.values}
    return render(
        request,
        "evaluation/run_detail.html",
        {
            "nav": NAV,
            "run": run,
            "results": results,
            "counts": counts,
            "manage": services.can_manage(request.access),
            "appeals": run.appeals.select_related("result__unit", "line").order_by("-pk")[:50],
            "ledger": services.history_of(f"{services.OBJECT_TYPE}.{run.pk}", run.result_hash)
            if run.result_hash
            else [],
        },
    )


@require_POST
@office_view
def run_action(request, pk: int, action: str):
    run = _run(pk)
    access = request.access
    step = {
        "self_assessment": services.open_self_assessment,
        "review": services.open_review,
        "publish": services.publish,
        "finalise": services.finalise,
    }.get(action)
    if step is None and action != "recompute":
        raise Http404("未知操作")
    try:
        if action == "recompute":
            require(services.can_view(access), "无权复算")
            report = services.recompute(run)
            if report["identical"]:
                messages.success(request, f"复算一致：结果摘要 {report['result_hash']}")
            else:
                messages.error(request, f"复算不一致：{report['differences'][:5]}")
        else:
            step(run, access=access)
            messages.success(
                request,
                f"已{ {'self_assessment': '开始单位自评', 'review': '提交联席会议审核', 'publish': '公布结果', 'finalise': '终定'}[action] }",
            )
    except CreditError as exc:
        _fail(request, exc)
    return redirect("evaluation:run", pk=run.pk)


def _result(request, pk: int) -> UnitResult:
    result = UnitResult.objects.select_related("run", "unit", "run__indicator_set").filter(pk=pk).first()
    if result is None or not services.visible_results(request.access, result.run).filter(pk=pk).exists():
        raise Http404("评价结果不存在")
    return result


@office_view
def result_detail(request, pk: int):
    _view(request)
    result = _result(request, pk)
    access = request.access
    run = result.run
    specs = {i["code"]: i for i in run.set_snapshot["indicators"]}
    lines = [(line, specs[line.indicator_code], line.evidence.all()) for line in result.lines.order_by("pk")]
    overrides = {k[3:]: v for k, v in request.GET.items() if k.startswith("wi_") and v.strip()}
    try:
        whatif = services.what_if(result, overrides or None)
    except CreditError as exc:
        _fail(request, exc)
        whatif = services.what_if(result)
    mine = result.unit_id in services.own_unit_ids(access)
    return render(
        request,
        "evaluation/result_detail.html",
        {
            "nav": NAV,
            "result": result,
            "run": run,
            "lines": lines,
            "whatif": whatif,
            "can_claim": mine and run.status == RunStatus.SELF_ASSESSMENT,
            "can_review": services.can_review(access)
            and run.status == RunStatus.REVIEW
            and (not mine or access.has_role("credit_office")),
            "can_appeal": mine and run.status in (RunStatus.PUBLISHED, RunStatus.APPEAL),
            "manage": services.can_manage(access),
            "appeals": result.appeals.select_related("line").order_by("-pk"),
        },
    )


@require_POST
@office_view
def line_action(request, pk: int, action: str):
    line = get_object_or_404(ScoreLine.objects.select_related("result", "run"), pk=pk)
    result = _result(request, line.result_id)
    access = request.access
    try:
        if action == "claim":
            files = [(f.name, f.read()) for f in request.FILES.getlist("evidence")]
            services.claim_line(
                line,
                points=request.POST.get("points"),
                note=request.POST.get("note", ""),
                files=files,
                access=access,
            )
            messages.success(request, "自评已保存")
        elif action == "review":
            services.review_line(
                line, points=request.POST.get("points"), note=request.POST.get("note", ""), access=access
            )
            messages.success(request, "审核意见已保存")
        else:
            raise Http404("未知操作")
    except CreditError as exc:
        _fail(request, exc)
    return redirect("evaluation:result", pk=result.pk)


@require_POST
@office_view
def appeal_new(request, pk: int):
    result = _result(request, pk)
    line = None
    if request.POST.get("line"):
        line = result.lines.filter(pk=request.POST["line"]).first()
    try:
        services.file_appeal(
            result,
            reason=request.POST.get("reason", ""),
            access=request.access,
            line=line,
            requested_points=request.POST.get("requested_points"),
        )
        messages.success(request, "申诉已提交")
    except CreditError as exc:
        _fail(request, exc)
    return redirect("evaluation:result", pk=result.pk)


@require_POST
@office_view
def appeal_decide(request, pk: int):
    appeal = get_object_or_404(Appeal, pk=pk)
    try:
        services.decide_appeal(
            appeal,
            upheld=request.POST.get("upheld") == "1",
            decision=request.POST.get("decision", ""),
            points=request.POST.get("points"),
            access=request.access,
        )
        messages.success(request, "申诉已处理")
    except CreditError as exc:
        _fail(request, exc)
    return redirect("evaluation:result", pk=appeal.result_id)


@office_view
def evidence_download(request, pk: int):
    item = get_object_or_404(ClaimEvidence.objects.select_related("line"), pk=pk)
    _result(request, item.line.result_id)
    return download_response(item)
