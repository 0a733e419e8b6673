"""Back-office pages of supervision: complaint ledger and handling, 12345 import, motions, typical cases,
monthly statistics with a chart, overdue list and the printable 督办单. Thin: rules in the services."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.accounts.models import Organisation
from govcredit.core.errors import CreditError
from govcredit.intake.reader import FileRefused
from govcredit.office.views import office_view, paginate, query_string, require, xlsx_response

from . import cases, complaints, importer, motions, pdf, stats
from .common import is_office
from .models import (
    OPEN_COMPLAINT_STATES,
    OPEN_MOTION_STATES,
    AnswerType,
    CaseDomain,
    CaseKind,
    CaseStatus,
    Channel,
    ComplaintCategory,
    ComplaintKind,
    ComplaintStatus,
    MotionKind,
    MotionStatus,
    Satisfaction,
)

supervision_view = office_view(pass_access=True, no_role_message="您不属于任何单位，不能查看多方监督事项")


def _error_text(exc: CreditError) -> str:
    if exc.field_errors:
        return "；".join(m for msgs in exc.field_errors.values() for m in msgs)
    return exc.message


# -- complaints ----------------------------------------------------------------------------------
COMPLAINT_HEADERS = [
    "查询码",
    "类型",
    "渠道",
    "工单号",
    "类别",
    "被投诉单位",
    "承办单位",
    "状态",
    "收到日期",
    "办理期限",
    "答复日期",
    "逾期答复",
    "满意度",
    "查实",
    "反映内容",
]


def _complaint_row(c) -> list:
    return [
        c.tracking_code,
        c.get_kind_display(),
        c.get_channel_display(),
        c.external_no,
        c.category.name,
        c.respondent.name,
        c.assigned_unit.name if c.assigned_unit_id else "",
        c.get_status_display(),
        c.received_on,
        c.deadline,
        c.replied_on or "",
        "是" if c.replied_late else "",
        c.get_satisfaction_display() if c.satisfaction else "",
        "是" if c.substantiated else "",
        c.content,
    ]


def _filtered_complaints(request, access):
    qs = complaints.complaints_for(access)
    g = request.GET
    today = timezone.localdate()
    if g.get("status") in ComplaintStatus.values:
        qs = qs.filter(status=g["status"])
    if g.get("category"):
        qs = qs.filter(category__code=g["category"][:40])
    if g.get("kind") in ComplaintKind.values:
        qs = qs.filter(kind=g["kind"])
    if g.get("channel") in Channel.values:
        qs = qs.filter(channel=g["channel"])
    if (g.get("unit") or "").isdigit():
        qs = qs.filter(assigned_unit_id=int(g["unit"]))
    if g.get("overdue") == "1":
        qs = qs.filter(status__in=OPEN_COMPLAINT_STATES, deadline__lt=today)
    q = (g.get("q") or "").strip()[:60]
    if q:
        qs = qs.filter(tracking_code=q.upper()) | qs.filter(external_no=q) | qs.filter(content__contains=q)
    return qs.order_by("-received_on", "-pk")


@supervision_view
def complaint_list(request, access):
    require(complaints.may_view(access), "您不能查看投诉举报")
    qs = _filtered_complaints(request, access)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "投诉举报台账", "投诉举报台账", COMPLAINT_HEADERS, (_complaint_row(c) for c in qs.iterator())
        )
    return render(
        request,
        "supervision/complaint_list.html",
        {
            "nav": "sup_complaints",
            **paginate(request, qs),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            "statuses": ComplaintStatus.choices,
            "categories": ComplaintCategory.objects.all(),
            "kinds": ComplaintKind.choices,
            "channels": Channel.choices,
            "units": Organisation.objects.order_by("name"),
            "filtered": any(
                request.GET.get(k) for k in ("status", "category", "kind", "channel", "unit", "overdue", "q")
            ),
            "today": timezone.localdate(),
            "office": is_office(access),
        },
    )


@supervision_view
def complaint_new(request, access):
    """Staff registration of a letter or a visit (来信来访)."""
    require(is_office(access), "只有信用办可以登记来信来访")
    errors: dict = {}
    data = {
        k: (request.POST.get(k) or "").strip()
        for k in ("kind", "category", "respondent", "content", "name", "contact")
    }
    if request.method == "POST":
        data["anonymous"] = request.POST.get("anonymous") == "1"
        try:
            c = complaints.file_complaint(data, channel=Channel.LETTER, actor=access.user)
        except CreditError as exc:
            errors = exc.field_errors or {"form": [exc.message]}
        else:
            messages.success(request, f"已登记，查询码 {c.tracking_code}，办理期限 {c.deadline:%Y-%m-%d}")
            return redirect("supervision:complaint", c.pk)
    return render(
        request,
        "supervision/complaint_new.html",
        {
            "nav": "sup_complaints",
            "data": data,
            "errors": errors,
            "categories": ComplaintCategory.objects.filter(active=True),
        },
    )


@supervision_view
def complaint_detail(request, access, pk: int):
    c = complaints.get_complaint(access, pk)
    duty = complaints.duty_of(c)
    return render(
        request,
        "supervision/complaint_detail.html",
        {
            "nav": "sup_complaints",
            "c": c,
            "view": complaints.staff_view(c, access),
            "steps": c.steps.select_related("unit").all(),
            "duty": duty,
            "office": is_office(access),
            "replier": complaints.in_unit(access, c.assigned_unit_id),
            "units": Organisation.objects.order_by("name"),
            "satisfactions": Satisfaction.choices,
            "items": [
                ("broken_commitment", "未履行承诺"),
                ("arrears", "拖欠账款"),
                ("contract_breach", "合同违约"),
            ],
            "identity": None,
        },
    )


@supervision_view
@require_POST
def complaint_action(request, access, pk: int, action: str):
    c = complaints.get_complaint(access, pk)
    p = request.POST
    try:
        if action == "accept":
            complaints.accept(c, access=access, note=p.get("note", ""))
        elif action == "not_accept":
            complaints.not_accept(c, access=access, reason=p.get("reason", ""))
        elif action == "assign":
            complaints.assign(c, access=access, unit=p.get("unit") or None, note=p.get("note", ""))
        elif action == "reply":
            complaints.reply(
                c, access=access, text_=p.get("reply", ""), substantiated=p.get("substantiated") == "1"
            )
        elif action == "visit":
            complaints.visit(c, access=access, satisfaction=p.get("satisfaction", ""), note=p.get("note", ""))
        elif action == "close":
            complaints.close(c, access=access, note=p.get("note", ""))
        elif action == "rework":
            complaints.rework(c, access=access, reason=p.get("reason", ""), unit=p.get("unit") or None)
        elif action == "substantiate":
            f = complaints.substantiate(
                c, access=access, item=p.get("item", ""), severity=p.get("severity") or "general"
            )
            messages.success(request, f"已提出失信线索 {f.document_no}，记录进入信用办审核")
            return redirect("supervision:complaint", c.pk)
        elif action == "reveal":
            identity = complaints.reveal_identity(c, access)
            messages.info(
                request,
                f"投诉人：{identity['name']}，联系方式：{identity['contact']}（本次查看已记入审计日志）",
            )
            return redirect("supervision:complaint", c.pk)
        else:
            return HttpResponse("未知操作", status=404)
    except CreditError as exc:
        from govcredit.core.errors import NotFound, PermissionDenied

        if isinstance(exc, (PermissionDenied, NotFound)):
            raise
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "已保存")
    return redirect("supervision:complaint", c.pk)


@supervision_view
def complaint_pdf(request, access, pk: int):
    c = complaints.get_complaint(access, pk)
    require(is_office(access), "只有信用办可以打印督办单")
    body = pdf.supervision_notice(c, access=access)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="duban-{c.tracking_code}.pdf"'
    return response


@supervision_view
def complaint_import(request, access):
    require(is_office(access), "只有信用办可以导入12345热线工单")
    result = error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "请选择要导入的 CSV 或 XLSX 文件"
        else:
            with tempfile.NamedTemporaryFile(suffix=".dat") as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                try:
                    result = importer.import_hotline(
                        tmp.name, dry_run=request.POST.get("dry_run") == "1", actor=access.user
                    )
                except FileRefused as exc:
                    error = f"文件无法导入（未写入任何数据）：{exc.message}"
    return render(
        request,
        "supervision/import.html",
        {"nav": "sup_complaints", "result": result, "error": error, "columns": list(importer.COLUMNS)},
    )


# -- motions -------------------------------------------------------------------------------------
MOTION_HEADERS = [
    "类型",
    "届次会议",
    "编号",
    "案由",
    "领衔人及附议人",
    "主办单位",
    "协办单位",
    "交办日期",
    "答复期限",
    "状态",
    "答复类型",
    "答复日期",
    "代表委员意见",
]


@supervision_view
def motion_list(request, access):
    qs = motions.motions_for(access)
    g = request.GET
    if g.get("kind") in MotionKind.values:
        qs = qs.filter(kind=g["kind"])
    if g.get("status") in MotionStatus.values:
        qs = qs.filter(status=g["status"])
    if g.get("overdue") == "1":
        qs = qs.filter(status__in=OPEN_MOTION_STATES, deadline__lt=timezone.localdate())
    if (g.get("unit") or "").isdigit():
        qs = qs.filter(lead_unit_id=int(g["unit"]))
    qs = qs.order_by("-assigned_on", "-pk")
    if g.get("export") == "xlsx":
        rows = (
            [
                m.get_kind_display(),
                m.session,
                m.number,
                m.title,
                m.proposers,
                m.lead_unit.name,
                "、".join(u.name for u in m.co_units.all()),
                m.assigned_on,
                m.deadline,
                m.get_status_display(),
                m.get_answer_type_display() if m.answer_type else "",
                m.answered_on or "",
                m.get_feedback_display() if m.feedback else "",
            ]
            for m in qs
        )
        return xlsx_response("建议提案办理台账", "建议提案办理台账", MOTION_HEADERS, rows)
    return render(
        request,
        "supervision/motion_list.html",
        {
            "nav": "sup_motions",
            **paginate(request, qs),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            "kinds": MotionKind.choices,
            "statuses": MotionStatus.choices,
            "units": Organisation.objects.order_by("name"),
            "filtered": any(g.get(k) for k in ("kind", "status", "overdue", "unit")),
            "manager": motions.may_manage(access),
            "today": timezone.localdate(),
        },
    )


MOTION_FIELDS = [
    "kind",
    "number",
    "session",
    "title",
    "content",
    "proposers",
    "lead_unit",
    "co_units",
    "assigned_on",
]


@supervision_view
def motion_new(request, access):
    require(motions.may_manage(access), "只有区政府办公室（督查室）或信用办可以交办建议提案")
    data = {k: (request.POST.get(k) or "").strip() for k in MOTION_FIELDS}
    errors: dict = {}
    if request.method == "POST":
        data["complex"] = request.POST.get("complex") == "1"
        data["key_supervised"] = request.POST.get("key_supervised") == "1"
        try:
            m = motions.create_motion(data, access=access)
        except CreditError as exc:
            errors = exc.field_errors or {"form": [exc.message]}
        else:
            messages.success(request, f"已交办，答复期限 {m.deadline:%Y-%m-%d}")
            return redirect("supervision:motion", m.pk)
    return render(
        request,
        "supervision/motion_new.html",
        {"nav": "sup_motions", "data": data, "errors": errors, "kinds": MotionKind.choices},
    )


@supervision_view
def motion_detail(request, access, pk: int):
    m = motions.get_motion(access, pk)
    co_ids = set(m.co_units.values_list("pk", flat=True))
    return render(
        request,
        "supervision/motion_detail.html",
        {
            "nav": "sup_motions",
            "m": m,
            "answers": m.answers.all(),
            "opinions": m.opinions.select_related("unit"),
            "lead": motions.in_unit(access, m.lead_unit_id),
            "co": any(o in co_ids and motions.in_unit(access, o) for o in access.organisation_ids),
            "manager": motions.may_manage(access),
            "answer_types": AnswerType.choices,
            "satisfactions": Satisfaction.choices,
            "open": m.status in OPEN_MOTION_STATES,
        },
    )


@supervision_view
@require_POST
def motion_action(request, access, pk: int, action: str):
    m = motions.get_motion(access, pk)
    p = request.POST
    try:
        if action == "answer":
            motions.answer(
                m,
                access=access,
                data={k: p.get(k, "") for k in ("answer_type", "text", "signer", "promise_due_on")},
            )
        elif action == "feedback":
            motions.feedback(m, access=access, value=p.get("feedback", ""), note=p.get("note", ""))
        elif action == "opinion":
            motions.add_opinion(m, access=access, text_=p.get("text", ""))
        else:
            return HttpResponse("未知操作", status=404)
    except CreditError as exc:
        from govcredit.core.errors import NotFound, PermissionDenied

        if isinstance(exc, (PermissionDenied, NotFound)):
            raise
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "已保存")
    return redirect("supervision:motion", m.pk)


# -- typical cases --------------------------------------------------------------------------------
@supervision_view
def case_list(request, access):
    qs = cases.cases_for(access).order_by("-created_at", "-pk")
    g = request.GET
    if g.get("kind") in CaseKind.values:
        qs = qs.filter(kind=g["kind"])
    if g.get("status") in CaseStatus.values:
        qs = qs.filter(status=g["status"])
    if g.get("export") == "xlsx":
        rows = (
            [
                c.title,
                c.get_kind_display(),
                c.get_domain_display(),
                c.get_status_display(),
                c.drafting_unit.name,
                timezone.localtime(c.published_at).date() if c.published_at else "",
                c.unpublish_on or "",
                c.withdraw_reason,
            ]
            for c in qs
        )
        return xlsx_response(
            "典型案例",
            "典型案例",
            ["标题", "类型", "领域", "状态", "起草单位", "发布日期", "最迟撤下日期", "撤下原因"],
            rows,
        )
    return render(
        request,
        "supervision/case_list.html",
        {
            "nav": "sup_cases",
            **paginate(request, qs),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            "kinds": CaseKind.choices,
            "statuses": CaseStatus.choices,
            "filtered": any(g.get(k) for k in ("kind", "status")),
            "may_draft": cases.may_draft(access),
        },
    )


@supervision_view
def case_new(request, access):
    require(cases.may_draft(access), "只有本区单位的工作人员可以起草典型案例")
    data = {
        k: (request.POST.get(k) or "").strip()
        for k in ("kind", "domain", "title", "facts", "handling", "lessons", "record_ids")
    }
    errors: dict = {}
    if request.method == "POST":
        try:
            case = cases.draft_case(data, access=access)
        except CreditError as exc:
            errors = exc.field_errors or {"form": [exc.message]}
        else:
            messages.success(request, "已保存草稿，提交审核后由信用办、区委宣传部依次审核")
            return redirect("supervision:case", case.pk)
    return render(
        request,
        "supervision/case_new.html",
        {
            "nav": "sup_cases",
            "data": data,
            "errors": errors,
            "kinds": CaseKind.choices,
            "domains": CaseDomain.choices,
        },
    )


@supervision_view
def case_detail(request, access, pk: int):
    case = cases.get_case(access, pk)
    from govcredit.duties.disclosure import history_of

    return render(
        request,
        "supervision/case_detail.html",
        {
            "nav": "sup_cases",
            "case": case,
            "records": case.records.select_related("item", "subject"),
            "ledger": history_of(cases.OBJECT_TYPE, case.pk),
            "office": is_office(access),
            "publicity": cases.is_publicity(access),
            "drafter": case.drafted_by_id == access.user.pk,
        },
    )


@supervision_view
@require_POST
def case_action(request, access, pk: int, action: str):
    case = cases.get_case(access, pk)
    try:
        if action == "submit":
            cases.submit_case(case, access=access)
        elif action == "approve":
            cases.approve_case(case, access=access)
        elif action == "return":
            cases.return_case(case, access=access, reason=request.POST.get("reason", ""))
        elif action == "withdraw":
            cases.withdraw_case(case, access=access, reason=request.POST.get("reason", ""))
        else:
            return HttpResponse("未知操作", status=404)
    except CreditError as exc:
        from govcredit.core.errors import NotFound, PermissionDenied

        if isinstance(exc, (PermissionDenied, NotFound)):
            raise
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "已保存")
    return redirect("supervision:case", case.pk)


# -- statistics and overdue ----------------------------------------------------------------------
@supervision_view
def statistics(request, access):
    require(complaints.may_view(access), "您不能查看办理统计")
    try:
        data = stats.monthly(access, request.GET.get("month") or None)
    except CreditError as exc:
        messages.error(request, exc.message)
        data = stats.monthly(access, None)
    trend = stats.trend(access)
    chart = {
        "units": [u["unit"] for u in data["units"]],
        "on_time": [u["on_time"] for u in data["units"]],
        "late": [u["late"] for u in data["units"]],
        "overdue": [u["overdue"] for u in data["units"]],
        "months": [t["month"] for t in trend],
        "received": [t["received"] for t in trend],
        "on_time_rate": [t["on_time_rate"] for t in trend],
        "satisfaction_rate": [t["satisfaction_rate"] for t in trend],
    }
    if request.GET.get("export") == "xlsx":
        headers = [
            "单位",
            "交办",
            "答复",
            "按期",
            "逾期答复",
            "逾期未答复",
            "回访",
            "满意",
            "基本满意",
            "不满意",
            "按期率%",
            "满意率%",
        ]
        rows = (
            [
                u["unit"],
                u["received"],
                u["replied"],
                u["on_time"],
                u["late"],
                u["overdue"],
                u["visited"],
                u["satisfied"],
                u["basic"],
                u["unsatisfied"],
                u["on_time_rate"] if u["on_time_rate"] is not None else "",
                u["satisfaction_rate"] if u["satisfaction_rate"] is not None else "",
            ]
            for u in data["units"]
        )
        return xlsx_response(f"投诉举报办理统计-{data['month']}", "办理统计", headers, rows)
    return render(
        request,
        "supervision/statistics.html",
        {
            "nav": "sup_stats",
            "data": data,
            "trend": trend,
            "chart": chart,
            "export_qs": query_string(request, drop=("export",), export="xlsx"),
        },
    )


@supervision_view
def overdue(request, access):
    today = timezone.localdate()
    items = complaints.overdue(access, today)
    late_motions = (
        motions.motions_for(access)
        .filter(status__in=OPEN_MOTION_STATES, deadline__lt=today)
        .order_by("deadline")
    )
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                "投诉举报",
                c.tracking_code,
                c.assigned_unit.name if c.assigned_unit_id else "信用办（待受理/交办）",
                c.category.name,
                c.deadline,
                (today - c.deadline).days,
            ]
            for c in items
        ]
        rows += [
            [
                "建议提案",
                f"{m.session}第{m.number}号",
                m.lead_unit.name,
                m.get_kind_display(),
                m.deadline,
                (today - m.deadline).days,
            ]
            for m in late_motions
        ]
        return xlsx_response(
            "逾期未办结清单", "逾期未办结清单", ["事项", "编号", "责任单位", "类别", "期限", "逾期天数"], rows
        )
    return render(
        request,
        "supervision/overdue.html",
        {
            "nav": "sup_overdue",
            "complaints": [(c, (today - c.deadline).days) for c in items],
            "motions": [(m, (today - m.deadline).days) for m in late_motions],
            "office": is_office(access),
            "export_qs": "export=xlsx",
        },
    )
