"""Back office: monthly efficiency per unit (chart + table + export), service items, 办件, 蜗牛奖."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.core.errors import CreditError, ValidationFailed
from govcredit.office.views import (
    action_page,
    call_service,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import forms as F
from . import services
from .charts import chart_data
from .models import AwardStatus, SnailAward

MAX_UPLOAD = 5 * 1024 * 1024


def _period(request) -> str:
    today = timezone.localdate()
    default = f"{today.year}-{today.month:02d}"
    period = (request.GET.get("period") or default).strip()[:10]
    try:
        services.period_range(period)
    except ValidationFailed:
        period = default
    return period


@office_view
def monthly(request):
    access = request.access
    require(services.may_view(access), "您没有查看办事效率的权限")
    period = _period(request)
    rows = services.efficiency(period, services.cases_for(access))
    headers = [
        "单位",
        "办结件数",
        "按时办结率（%）",
        "平均用时（工作日）",
        "超期件数",
        "累计超期（工作日）",
        "多次或超期告知件数",
    ]
    if request.GET.get("export") == "xlsx":
        data = (
            (
                e.unit.name,
                e.cases,
                str(e.on_time_percent),
                str(e.mean_days),
                e.overruns,
                e.overrun_days,
                e.repeated_notices,
            )
            for e in rows
        )
        return xlsx_response(f"办事效率{period}", "办事效率", headers, data)
    return render(
        request,
        "efficiency/monthly.html",
        {
            "nav": "efficiency",
            "period": period,
            "rows": rows,
            "chart": chart_data(rows),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def item_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看政务服务事项的权限")
    qs = services.items_for(access).order_by("unit_id", "code")
    kind = request.GET.get("kind", "")
    if kind in ("instant", "promised"):
        qs = qs.filter(kind=kind)
    if request.GET.get("export") == "xlsx":
        headers = [
            "事项编码",
            "事项名称",
            "实施单位",
            "办件类型",
            "法定时限（工作日）",
            "承诺时限（工作日）",
            "容缺受理材料",
        ]
        rows = (
            (
                i.code,
                i.name,
                i.unit.name,
                i.get_kind_display(),
                i.legal_days,
                i.promised_days,
                i.tolerated_materials,
            )
            for i in qs.iterator()
        )
        return xlsx_response("政务服务事项", "服务事项", headers, rows)
    editable = {u.pk for u in services.managed_units(access)}
    return render(
        request,
        "efficiency/items.html",
        {
            "nav": "efficiency_items",
            **paginate(request, qs),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            "can_create": bool(editable),
            "editable": editable,
        },
    )


@office_view
def case_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看办件的权限")
    qs = services.cases_for(access).order_by("-received_on", "-pk")
    if request.GET.get("overrun") == "1":
        qs = qs.filter(overrun_days__gt=0)
    if request.GET.get("notice") == "1":
        qs = qs.filter(repeated_notice=True) | qs.filter(late_notice=True)
    if request.GET.get("export") == "xlsx":
        headers = [
            "办件编号",
            "事项",
            "实施单位",
            "受理日期",
            "承诺期限",
            "办结日期",
            "用时（工作日）",
            "超期（工作日）",
            "多次告知",
            "超过5日告知",
            "期限说明",
        ]
        rows = (
            (
                c.case_no,
                c.item.name,
                c.unit.name,
                c.received_on.isoformat(),
                c.due_on.isoformat(),
                c.completed_on.isoformat() if c.completed_on else "",
                c.working_days if c.working_days is not None else "",
                c.overrun_days,
                "是" if c.repeated_notice else "",
                "是" if c.late_notice else "",
                c.due_explain,
            )
            for c in qs.iterator()
        )
        return xlsx_response("办件", "办件", headers, rows)
    return render(
        request,
        "efficiency/cases.html",
        {
            "nav": "efficiency_cases",
            **paginate(request, qs),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            "can_import": services.may_import(access),
        },
    )


@office_view
def award_list(request):
    access = request.access
    require(services.may_view(access), "您没有查看蜗牛奖的权限")
    period = request.GET.get("period", "").strip()[:10]
    nominations = []
    if period:
        try:
            nominations = services.nominate(period)
        except (ValidationFailed, services.Conflict):
            nominations = []
    page = paginate(request, SnailAward.objects.select_related("unit").order_by("-period", "pk"))
    for award in page["page_obj"]:
        award.actions = award_actions(access, award)
    return render(
        request,
        "efficiency/awards.html",
        {
            "nav": "efficiency_awards",
            **page,
            "period": period,
            "nominations": nominations,
            "can_award": services.can_award(access),
        },
    )


# -- staff actions: one form page each, on the services the API calls ------------------------------
def _page(request, form, *, nav, **page):
    return action_page(request, form, nav=nav, **page)


def _posted(request):
    """The submitted data (bound even when every field is empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def _data(form) -> dict:
    """The cleaned fields the service reads; an empty optional field is left out (service default)."""
    return {k: v for k, v in form.cleaned_data.items() if k != "confirm" and v not in (None, "")}


_run = call_service


@office_view
def item_new(request):
    access = request.access
    units = services.managed_units(access)
    require(bool(units), "您没有登记政务服务事项的权限（由实施单位经办人或区政务服务中心管理办公室登记）")
    form = F.ServiceItemForm(_posted(request), units=units)
    if request.method == "POST" and form.is_valid():
        item = _run(form, lambda: services.create_item(_data(form), access=access))
        if item is not None:
            messages.success(request, f"已登记事项「{item.name}」")
            return redirect("efficiency:items")
    back = reverse("efficiency:items")
    return _page(
        request,
        form,
        title="登记政务服务事项",
        subtitle="承诺办结时限不得超过法定办结时限（行政许可法第四十二条、第八十二条：工作日）。",
        back_url=back,
        crumbs=[("政务服务事项", back)],
        submit="登记",
        nav="efficiency_items",
    )


@office_view
def item_edit(request, pk: int):
    access = request.access
    item = services.get_item_for_user(access, pk)
    require(services.can_manage(access, item.unit), "您只能修改本单位的政务服务事项")
    fields = (
        "name",
        "kind",
        "legal_days",
        "promised_days",
        "tolerated_materials",
        "notice_template",
        "basis",
    )
    initial = {k: getattr(item, k) for k in fields}
    form = F.ServiceItemEditForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _run(form, lambda: services.update_item(item, _data(form), access=access))
        if done is not None:
            messages.success(request, f"已修改事项「{done.name}」")
            return redirect("efficiency:items")
    back = reverse("efficiency:items")
    return _page(
        request,
        form,
        title="修改政务服务事项",
        subtitle=f"{item.code}（{item.unit.name}）。承诺办结时限不得超过法定办结时限；已导入的办件重新导入后按新时限计算。",
        back_url=back,
        crumbs=[("政务服务事项", back)],
        nav="efficiency_items",
    )


@office_view
def case_import(request):
    access = request.access
    require(
        services.may_import(access), "您没有导入办件的权限（由实施单位经办人或区政务服务中心管理办公室导入）"
    )
    form = F.CaseImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "文件不能超过5MB，请分批导入")
        else:
            try:
                rows = services.read_csv(upload.read())
            except services.UnreadableFile as exc:
                form.add_error("file", str(exc))
            else:
                dry_run = form.cleaned_data["dry_run"]
                result = _run(form, lambda: services.import_cases(rows, access=access, dry_run=dry_run))
                if result is not None and form.cleaned_data["report"]:
                    response = HttpResponse(result.report_csv(), content_type="text/csv; charset=utf-8")
                    response["Content-Disposition"] = "attachment; filename*=UTF-8''import-problems.csv"
                    return response
    back = reverse("efficiency:cases")
    return _page(
        request,
        form,
        title="导入办件",
        subtitle="按办件编号新增或更新；有问题的行不导入，问题按行号和列列出，其余行照常导入。",
        back_url=back,
        crumbs=[("办件", back)],
        submit="上传并导入",
        nav="efficiency_cases",
        result=result,
        result_template="efficiency/_import_result.html" if result is not None else "",
    )


@office_view
def award_decide(request):
    access = request.access
    require(services.can_award(access), f"只有{services.MANAGER_UNIT}和信用办可以评定蜗牛奖")
    units = list(Organisation.objects.order_by("pk"))
    initial = {k: request.GET[k] for k in ("period", "unit") if request.GET.get(k)}
    form = F.DecideAwardForm(_posted(request), initial=initial, units=units)
    period = (request.POST.get("period") or initial.get("period") or "").strip()[:10]
    nominations = []
    if period:
        try:
            nominations = services.nominate(period)
        except CreditError:
            nominations = []
    if request.method == "POST" and form.is_valid():
        award = _run(form, lambda: services.decide_award(_data(form), access=access), fallback="unit")
        if award is not None:
            messages.success(
                request,
                f"已评定{award.period}蜗牛奖：{award.unit.name}，整改期限 {award.rectification_due.isoformat()}",
            )
            return redirect("efficiency:awards")
    back = reverse("efficiency:awards")
    try:
        rule = services.criteria()
        due = f"整改期限为评定之日起{rule.rectification_working_days}个工作日（标准 {rule.version}）。"
    except CreditError:
        due = ""
    return _page(
        request,
        form,
        title="评定蜗牛奖",
        subtitle=f"由评定委员会按提名的办件数据评定；{due}",
        back_url=back,
        crumbs=[("蜗牛奖", back)],
        submit="确认评定",
        nav="efficiency_awards",
        result_template="efficiency/_nominations.html",
        period=period,
        nominations=nominations,
    )


@dataclass(frozen=True)
class AwardAction:
    title: str
    form: type
    apply: Any
    done: str
    submit: str = "登记"
    subtitle: str = ""


AWARD_ACTIONS: dict[str, AwardAction] = {
    "publish": AwardAction(
        "通报蜗牛奖",
        F.PublishAwardForm,
        lambda award, data, access: services.publish_award(award, access=access),
        "已通报，申诉期限开始计算",
        submit="确认通报",
    ),
    "appeal": AwardAction(
        "申诉",
        F.AppealForm,
        services.appeal,
        "已提交申诉",
        submit="提交申诉",
        subtitle="通报后在申诉期限内申诉，只能申诉一次。",
    ),
    "answer": AwardAction(
        "答复申诉", F.AnswerAppealForm, services.answer_appeal, "已答复申诉", submit="答复"
    ),
    "rectified": AwardAction(
        "登记整改", F.RectificationForm, services.record_rectification, "已登记整改完成"
    ),
}


def award_actions(access, award: SnailAward) -> list[tuple[str, str]]:
    """The steps this user may take on the award now (the buttons shown)."""
    slugs: list[str] = []
    if services.can_award(access):
        if award.status == AwardStatus.DECIDED:
            slugs.append("publish")
        if award.status == AwardStatus.APPEALED:
            slugs.append("answer")
        if award.status in (AwardStatus.PUBLISHED, AwardStatus.UPHELD):
            slugs.append("rectified")
    if (
        award.status == AwardStatus.PUBLISHED
        and award.appeal_due
        and timezone.localdate() <= award.appeal_due
        and services.may_appeal(access, award)
    ):
        slugs.append("appeal")
    return [(s, AWARD_ACTIONS[s].title) for s in slugs]


@office_view
def award_action(request, pk: int, action: str):
    spec = AWARD_ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这个操作")
    access = request.access
    award = services.get_award(pk)
    require(action in dict(award_actions(access, award)), f"您不能对该蜗牛奖办理「{spec.title}」")
    form = spec.form(_posted(request))
    if request.method == "POST" and form.is_valid():
        done = _run(form, lambda: spec.apply(award, _data(form), access=access))
        if done is not None:
            messages.success(request, spec.done)
            return redirect("efficiency:awards")
    back = reverse("efficiency:awards")
    return _page(
        request,
        form,
        title=spec.title,
        subtitle=f"{award.period} {award.unit.name}（{award.get_status_display()}）。{spec.subtitle}",
        back_url=back,
        crumbs=[("蜗牛奖", back)],
        submit=spec.submit,
        nav="efficiency_awards",
    )
