"""Back office of 重点任务分工 (annex of 周政发〔2018〕26号): list with filters and export, task
detail with live figures and report timeline, the report form, evidence download. Thin: the rules
live in ``keytasks.services``."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.core.errors import CreditError, ValidationFailed
from govcredit.office.views import (
    apply_form_errors,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import figures, services
from .forms import ReportForm
from .models import TaskLead

NAV = "keytasks"
HEADERS = [
    "序号",
    "工作任务",
    "责任单位",
    "牵头单位",
    "配合单位",
    "时间进度",
    "完成时限",
    "状态",
    "是否逾期",
    "逾期单位",
    "最近报送",
    "最近报送单位",
    "最近报送日期",
]


def _can(request) -> None:
    require(services.can_view(request.access), "只有本区各单位的用户可以查看重点任务分工")


def _filters(request) -> dict:
    overdue = request.GET.get("overdue", "")
    return {
        "lead_unit": request.GET.get("lead_unit", "").strip() or None,
        "overdue": True if overdue in ("1", "true") else False if overdue in ("0", "false") else None,
        "status": request.GET.get("status", "") or None,
    }


def export_row(state: services.TaskState) -> list:
    t, last = state.task, state.last_report
    return [
        t.number,
        t.title,
        t.responsibility,
        "、".join(u.short_name or u.name for u in state.leads),
        "、".join(t.cooperating),
        t.schedule,
        t.deadline,
        state.status_label,
        "是" if state.overdue else "否",
        "、".join(u.short_name or u.name for u in state.overdue_units),
        f"{last.period} {last.get_progress_display()}" if last else "",
        (last.unit.short_name or last.unit.name) if last else "",
        last.submitted_on if last else "",
    ]


@office_view
def task_list(request):
    _can(request)
    f = _filters(request)
    error = ""
    try:
        states = services.filtered_states(**f)
    except ValidationFailed as exc:
        states, error = [], "；".join(m for msgs in exc.field_errors.values() for m in msgs) or exc.message
    if request.GET.get("export") == "xlsx" and not error:
        return xlsx_response("重点任务分工及进度", "重点任务", HEADERS, (export_row(s) for s in states))
    lead_units = Organisation.objects.filter(
        pk__in=TaskLead.objects.values_list("unit_id", flat=True)
    ).order_by("name")
    mine = services.reporting_unit_ids(request.access)
    for s in states:
        s.can_report = any(u.pk in mine for u in s.leads)  # type: ignore[attr-defined]
    return render(
        request,
        "keytasks/list.html",
        {
            "nav": NAV,
            "lead_units": lead_units,
            "f": {k: request.GET.get(k, "") for k in ("lead_unit", "overdue", "status")},
            "statuses": list(services.TaskStatus.LABELS.items()),
            "error": error,
            "filtered": any(request.GET.get(k) for k in ("lead_unit", "overdue", "status")),
            "rule": services.rule(),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            **paginate(request, states),
        },
    )


@office_view
def task_detail(request, number: int):
    _can(request)
    try:
        task = services.get_task(number)
    except CreditError as exc:
        from django.http import Http404

        raise Http404(exc.message) from exc
    state = services.state_of(task)
    mine = services.reporting_unit_ids(request.access)
    return render(
        request,
        "keytasks/detail.html",
        {
            "nav": NAV,
            "task": task,
            "state": state,
            "figures": figures.figures_for(task.number),
            "figure_source": figures.source_of(task.number),
            "reports": services.reports_for(task),
            "can_report": any(u.pk in mine for u in state.leads),
            "sees_all": request.access.sees_everything,
            "my_units": mine,
        },
    )


@office_view
def report_new(request, number: int):
    _can(request)
    try:
        task = services.get_task(number)
    except CreditError as exc:
        from django.http import Http404

        raise Http404(exc.message) from exc
    state = services.state_of(task)
    mine = services.reporting_unit_ids(request.access)
    units = [u for u in state.leads if u.pk in mine]
    require(
        bool(units),
        f"您所在单位不是任务{task.number}「{task.title}」的牵头单位，不能报送该任务进展",
    )
    periods = services.reportable_periods()
    form = ReportForm(
        request.POST or None, units=units, periods=periods, with_completed=task.deadline is not None
    )
    status = 200
    if request.method == "POST":
        form.is_valid()  # renders the values back; the service decides
        files = [(f.name, f.read()) for f in request.FILES.getlist("evidence")]
        try:
            report = services.submit_report(task, request.POST.dict(), files, access=request.access)
            messages.success(request, f"已报送任务{task.number}{report.period}进展，已在信用周村公开")
            return redirect("keytasks:detail", number=task.number)
        except CreditError as exc:  # 422 on the fields; 403 / 409 on the form; nothing saved
            apply_form_errors(form, exc)
            status = exc.status_code
    return render(
        request,
        "keytasks/report_form.html",
        {
            "nav": NAV,
            "task": task,
            "state": state,
            "form": form,
            "no_periods": not periods,
            "figures": figures.figures_for(task.number),
            "today": timezone.localdate(),
        },
        status=status,
    )


@office_view
def evidence_download(request, pk: int):
    ev = services.evidence_for(request.access, pk)
    return FileResponse(
        ev.file.open("rb"), as_attachment=True, filename=ev.original_name, content_type=ev.content_type
    )
