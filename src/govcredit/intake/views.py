"""Back-office upload page: upload → preview (problems per row) → confirm → progress."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from govcredit.accounts.models import Organisation
from govcredit.core.errors import CreditError
from govcredit.office.views import apply_form_errors, office_view, paginate, require

from . import formats, services
from .models import ImportJob


class UploadForm(forms.Form):
    file = forms.FileField(
        label="数据文件", help_text="CSV（UTF-8 或 GBK）或 XLSX，第一行为表头；列名见《数据交换格式》"
    )
    source_unit = forms.ModelChoiceField(
        label="报送单位", queryset=Organisation.objects.none(), empty_label=None
    )
    submit = forms.BooleanField(label="导入后直接提交审核（不勾选则存为草稿）", required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_unit"].queryset = units


def _access(request):
    access = request.access
    require(bool(access.source_unit_ids()) or access.sees_everything, "只有报送单位经办人可以导入信用记录")
    return access


def _job(request, pk):
    return services.get_job_for_user(_access(request), pk)


@office_view
def index(request):
    access = _access(request)
    units = Organisation.objects.filter(pk__in=access.source_unit_ids()).order_by("name")
    form = UploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_upload(
                access,
                form.cleaned_data["file"],
                source_unit=form.cleaned_data["source_unit"],
                submit=form.cleaned_data["submit"],
            )
        except CreditError as exc:
            apply_form_errors(form, exc)
        else:
            return redirect("intake:detail", pk=job.pk)
    jobs = services.jobs_for(access)
    state = request.GET.get("state", "")
    if state:
        jobs = jobs.filter(state=state)
    return render(
        request,
        "intake/index.html",
        {
            "nav": "intake",
            "form": form,
            "state": state,
            "states": ImportJob.State.choices,
            "can_upload": bool(access.source_unit_ids()),
            "format_rules": formats.rules(),
            "format_encodings": formats.ENCODINGS,
            **paginate(request, jobs),
        },
    )


@office_view
def detail(request, pk):
    job = _job(request, pk)
    return render(request, "intake/detail.html", {"nav": "intake", "job": job})


@office_view
def progress(request, pk):
    job = _job(request, pk)
    response = render(request, "intake/_progress.html", {"job": job})
    if not job.running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the preview or import finished: show the full result
    return response


@require_POST
@office_view
def confirm(request, pk):
    job = _job(request, pk)
    try:
        services.confirm_job(request.access, job)
    except CreditError as exc:
        messages.error(request, exc.message)
    return redirect("intake:detail", pk=job.pk)


@require_POST
@office_view
def cancel(request, pk):
    job = _job(request, pk)
    try:
        services.cancel_job(request.access, job)
        messages.success(request, f"已取消导入「{job.file_name}」")
    except CreditError as exc:
        messages.error(request, exc.message)
    return redirect("intake:index")


@office_view
def report(request, pk):
    job = _job(request, pk)
    path = Path(job.report_path) if job.report_path else None
    if path is None or not path.exists():
        raise Http404("问题报告不存在")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"问题报告-{Path(job.file_name).stem}.csv",
        content_type="text/csv",
    )


@office_view
def template(request, ext: str):
    """导入模板: the Chinese headers and one example row, as CSV (UTF-8 with BOM) or XLSX."""
    from govcredit.core.spreadsheets import XLSX_TYPE, attachment_header

    _access(request)
    if ext == "csv":
        response = HttpResponse(formats.template_csv(), content_type="text/csv; charset=utf-8")
    elif ext == "xlsx":
        response = HttpResponse(formats.template_xlsx(), content_type=XLSX_TYPE)
    else:
        raise Http404("模板格式只有 csv 和 xlsx")
    response["Content-Disposition"] = attachment_header("信用记录导入模板", ext)
    return response
