"""Back office 承诺践诺: the 承诺台账 (filters, pages, Excel export), register, detail with the publish /
report / review / assess / change / withdraw forms, XLSX import of a target table, the due-soon / overdue
board by unit with reminders, and the printable 承诺书. Thin: rules live in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.accounts.models import Organisation, Role
from govcredit.core.errors import CreditError
from govcredit.core.spreadsheets import attachment_header, xlsx_bytes
from govcredit.office.views import (
    apply_form_errors,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import board, services
from .forms import (
    AssessForm,
    ChangeForm,
    CommitmentForm,
    ConfirmForm,
    FilterForm,
    ImportForm,
    ReportForm,
    ReviewForm,
    WithdrawForm,
)
from .models import LIVE, ProgressReport, Status


def may_view(access) -> bool:
    return bool(access.roles)


def may_create(access) -> bool:
    return access.has_role(Role.CLERK, Role.SUBJECT_USER, Role.CREDIT_OFFICE, Role.ADMIN)


def _error_text(exc: CreditError) -> str:
    details = "；".join(m for ms in (exc.field_errors or {}).values() for m in ms)
    return exc.message if not details or details in exc.message else f"{exc.message}（{details}）"


@office_view
def commitment_list(request):
    access = request.access
    require(may_view(access), "您没有查看承诺台账的权限")
    today = timezone.localdate()
    scope = services.commitments_for(access)
    form = FilterForm(request.GET or None)
    qs = scope.select_related("subject", "unit")
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            q = d["q"].strip()
            qs = qs.filter(Q(code__contains=q) | Q(title__contains=q) | Q(subject__name__contains=q))
        if d["kind"]:
            qs = qs.filter(kind=d["kind"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["due"] == "soon":
            qs = qs.filter(board.due_soon_q(today))
        elif d["due"] == "overdue":
            qs = qs.filter(services.overdue_filter(today))
        if d["area"]:
            qs = qs.filter(services.area_filter(d["area"]))
        if d["unit"]:
            qs = qs.filter(unit_id=d["unit"])
    qs = qs.order_by("due_on", "pk")
    if request.GET.get("export") == "xlsx":
        rows = (board.ledger_row(c, today) for c in qs.select_related("assessment").iterator(chunk_size=500))
        return xlsx_response("承诺台账", "承诺台账", board.LEDGER_HEADERS, rows)
    page = paginate(request, qs)
    rows = [(c, services.is_overdue(c, today)) for c in page["page_obj"]]
    units = Organisation.objects.filter(pk__in=scope.order_by().values("unit_id").distinct()).order_by("name")
    return render(
        request,
        "commitments/list.html",
        {
            "nav": "commitments",
            "form": form,
            **page,
            "rows": rows,
            "units": units,
            "filtered": any(request.GET.get(k) for k in ("q", "kind", "status", "due", "area", "unit")),
            "can_create": may_create(access),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def commitment_new(request):
    access = request.access
    require(may_create(access), "您没有登记承诺的权限（由责任单位经办人或信用办登记）")
    form = CommitmentForm(request.POST or None, initial={"public": True})
    if request.method == "POST" and form.is_valid():
        try:
            c = services.create_commitment(form.service_data(), access=access)
        except CreditError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"已登记承诺「{c.code}」（草稿），公示后向社会公开")
            return redirect("commitments:detail", pk=c.pk)
    return render(request, "commitments/new.html", {"nav": "commitments", "form": form})


@office_view
def commitment_detail(request, pk: int):
    access = request.access
    c = services.get_commitment(access, pk)
    today = timezone.localdate()
    changes = [
        (ch, services.target_text(ch.old_target), services.target_text(ch.new_target))
        for ch in c.changes.order_by("version").select_related("changed_by")
    ]
    assessment = getattr(c, "assessment", None) if hasattr(c, "assessment") else None
    from govcredit.duties.models import Duty, Finding

    duties = Duty.objects.filter(object_type=services.OBJECT_TYPE, object_id=c.pk).order_by("due_on", "pk")
    finding = Finding.objects.filter(
        module=services.MODULE, object_type=services.OBJECT_TYPE, object_id=c.pk
    ).first()
    can_edit = services._can_edit(access, c.unit_id)
    return render(
        request,
        "commitments/detail.html",
        {
            "nav": "commitments",
            "c": c,
            "target": services.target_text(services.target_of(c)),
            "baseline": services._num(c.baseline),
            "changes": changes,
            "reports": c.reports.select_related("reporter").order_by("submitted_on", "pk"),
            "assessment": assessment,
            "finding": finding,
            "duties": duties,
            "overdue": services.is_overdue(c, today),
            "progress": services.progress_percent(c),
            "next_due": services.next_report_due(c),
            "live": c.status in LIVE,
            "can_edit": can_edit,
            "can_publish": services.may_publish(access, c),
            "can_verify": services.may_verify(access, c),
            "report_form": ReportForm(initial={"evidence_public": True}),
            "assess_form": AssessForm(),
            "change_form": ChangeForm(),
            "withdraw_form": WithdrawForm(),
            "review_form": ReviewForm(),
        },
    )


def _act(request, pk: int, form_class, apply) -> HttpResponse:
    access = request.access
    c = services.get_commitment(access, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("commitments:detail", pk=pk)
    try:
        text = apply(access, c, form)
    except CreditError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, text)
    return redirect("commitments:detail", pk=pk)


@require_POST
@office_view
def commitment_publish(request, pk: int):
    def apply(access, c, form):
        services.publish(c, access=access)
        return f"承诺「{c.code}」已公示，已登记报告期限并写入公开日志"

    return _act(request, pk, ConfirmForm, apply)


@require_POST
@office_view
def commitment_withdraw(request, pk: int):
    def apply(access, c, form):
        services.withdraw(c, access=access, reason=form.cleaned_data["reason"])
        return f"承诺「{c.code}」已撤回"

    return _act(request, pk, WithdrawForm, apply)


@require_POST
@office_view
def report_add(request, pk: int):
    def apply(access, c, form):
        d = dict(form.cleaned_data)
        upload = d.pop("evidence", None)
        evidence = None
        if upload:
            evidence = upload.read()
            d["evidence_name"] = upload.name
        report = services.submit_report(c, d, access=access, evidence=evidence)
        return f"已报送{'到期自评' if report.final else report.period + ' 进展'}报告"

    return _act(request, pk, ReportForm, apply)


@require_POST
@office_view
def report_review(request, pk: int, report_id: int):
    def apply(access, c, form):
        report = get_object_or_404(ProgressReport, pk=report_id, commitment=c)
        accept = form.cleaned_data["accept"] == "1"
        services.review_report(report, access=access, accept=accept, note=form.cleaned_data["note"])
        return f"报告期「{report.period}」已{'采纳' if accept else '退回'}"

    return _act(request, pk, ReviewForm, apply)


@require_POST
@office_view
def commitment_assess(request, pk: int):
    def apply(access, c, form):
        a = services.assess(c, dict(form.cleaned_data), access=access)
        text = f"已核定为「{a.get_outcome_display()}」"
        if services.is_breach(a):
            text += "，已生成失信线索并提交信用办审核"
        return text

    return _act(request, pk, AssessForm, apply)


@require_POST
@office_view
def commitment_change(request, pk: int):
    def apply(access, c, form):
        c = services.change_target(c, form.service_data(), access=access)
        return f"目标已变更为第{c.version}版；原目标划线保留并公开"

    return _act(request, pk, ChangeForm, apply)


@office_view
def commitment_pdf(request, pk: int):
    c = services.get_commitment(request.access, pk)
    require(c.status != Status.DRAFT, "草稿尚未公示，不能打印承诺书")
    pdf = board.render_pledge_pdf(c, access=request.access)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_header(f"承诺书-{c.code}", "pdf").replace(
        "attachment", "inline", 1
    )
    return response


@office_view
def import_view(request):
    from .importer import TEMPLATE_HEADERS, import_targets, problems_csv

    access = request.access
    require(may_create(access), "您没有导入承诺目标表的权限")
    if request.GET.get("template") == "xlsx":
        sample = [
            [
                "",
                "城镇新增就业4500人以上",
                "发展目标",
                "周村区人民政府",
                "区人社局",
                "政府工作报告",
                f"{timezone.localdate().year}年周村区政府工作报告",
                "二、主要预期目标",
                "数量",
                "人",
                "不低于",
                "4200",
                "4500",
                "",
                f"{timezone.localdate().year}-01-01",
                f"{timezone.localdate().year}-12-31",
                "每半年",
                "",
            ]
        ]
        response = HttpResponse(
            xlsx_bytes("目标任务表", TEMPLATE_HEADERS, sample),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = attachment_header("承诺目标任务表模板")
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        defaults = {k: d.get(k) for k in ("kind", "source_type", "source_document")}
        result = import_targets(d["file"].read(), access=access, defaults=defaults, dry_run=d["dry_run"])
        if result.problems:
            if request.POST.get("report") == "csv":
                response = HttpResponse(problems_csv(result.problems), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = attachment_header("承诺导入问题清单", "csv")
                return response
            messages.error(
                request, f"{len(result.problems)} 处问题，未导入任何承诺；请按行号和列修改后重新上传"
            )
        elif result.dry_run:
            messages.success(request, f"检查通过：{result.rows} 项承诺可以导入")
        else:
            messages.success(request, f"已导入 {result.created} 项承诺（草稿），请逐项核对后公示")
    return render(request, "commitments/import.html", {"nav": "commitments", "form": form, "result": result})


@office_view
def board_view(request):
    access = request.access
    require(may_view(access), "您没有查看承诺期限看板的权限")
    today = timezone.localdate()
    rows = board.board(access, today)
    totals = {
        "live": sum(r.live for r in rows),
        "due_soon": sum(r.due_soon for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "reports_overdue": sum(r.reports_overdue for r in rows),
    }
    chart = {
        "labels": [r.unit.short_name or r.unit.name for r in rows if r.attention],
        "overdue": [r.overdue for r in rows if r.attention],
        "reports": [r.reports_overdue for r in rows if r.attention],
        "soon": [r.due_soon for r in rows if r.attention],
    }
    return render(
        request,
        "commitments/board.html",
        {
            "nav": "commitments_board",
            "rows": rows,
            "totals": totals,
            "chart": chart,
            "days": board.due_soon_days(),
            "can_remind": board.may_remind(access),
            "today": today,
        },
    )


@require_POST
@office_view
def board_remind(request, unit_id: int):
    access = request.access
    require(board.may_remind(access), "只有信用办可以催报承诺进展")
    unit = get_object_or_404(Organisation, pk=unit_id)
    try:
        n = board.remind_unit(unit, access=access)
    except CreditError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"已向{unit.name}发送提醒 {n} 条（电子邮件和短信）")
    return redirect("commitments:board")
