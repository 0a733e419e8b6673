"""Back office of 招标投标信用: the list, violation decisions, roles, evaluations, third-party reports
and the pre-开标 batch checks. Thin views over ``bidding.services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.core.errors import CreditError, ValidationFailed
from govcredit.debt.forms import Field, bind, unplaced  # the same plain-form helper as the debt pages
from govcredit.office.views import office_view, paginate, require, xlsx_response
from govcredit.subjects.services import find_by_code

from . import services
from .models import (
    BlacklistEntry,
    CreditEvaluation,
    MarketRole,
    ParticipantRole,
    ThirdPartyReport,
    Violation,
)

NAV = "bidding"


def _date(value: str | None):
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


SEVERITIES = [("严重", "严重"), ("较重", "较重"), ("一般", "一般")]


def _can(request) -> None:
    require(
        services.can_view(request.access),
        "只有信用办、区发改局、区住建局和公共资源交易中心的经办人可以查看招标投标信用页面",
    )


def _render_form(
    request, title: str, fields, errors, submit: str, back: str = "/office/bidding/", multipart=False
):
    return render(
        request,
        "bidding/form.html",
        {
            "nav": NAV,
            "title": title,
            "fields": fields,
            "other_errors": unplaced(fields, errors),
            "submit": submit,
            "back": back,
            "multipart": multipart,
        },
    )


@office_view
def home(request):
    """The 招标投标失信名单 as staff see it: on the list or archived, with filters and export."""
    _can(request)
    q = (request.GET.get("q") or "").strip()[:100]
    state = request.GET.get("state", "")
    today = timezone.localdate()
    qs = BlacklistEntry.objects.select_related("subject", "record", "record__conduct")
    if q:
        qs = services._search(qs, q)
    if state == "listed":
        qs = qs.filter(delisted_on__isnull=True, list_until__gte=today)
    elif state == "archived":
        qs = qs.exclude(delisted_on__isnull=True, list_until__gte=today)
    qs = qs.order_by("-listed_on", "-pk")
    if request.GET.get("export"):
        headers = [
            "当事人",
            "文书号",
            "违法行为",
            "处理依据",
            "处理决定",
            "处理时间",
            "处理机关",
            "公告日期",
            "限制截止",
            "公告截止",
            "状态",
        ]
        rows = [
            (
                r["subject"],
                r["document_no"],
                r["violation"],
                r["legal_basis"],
                r["decision"],
                r["decided_on"],
                r["decided_by"],
                r["listed_on"],
                r["restriction_end"] or "",
                r["list_until"],
                "公告中" if r["on_list"] else "已移出",
            )
            for r in (services.entry_row(e, today) for e in qs)
        ]
        return xlsx_response("招标投标失信名单", "招标投标失信名单", headers, rows)
    page = paginate(request, qs)
    page["rows"] = [services.entry_row(e, today) for e in page["page_obj"].object_list]
    return render(
        request,
        "bidding/home.html",
        {"nav": NAV, "q": q, "state": state, "can_manage": services.can_manage(request.access), **page},
    )


@office_view
def violation_new(request):
    require(
        services.can_manage(request.access),
        "只有信用办或区发改局、区住建局、公共资源交易中心的经办人可以报送招标投标违法行为",
    )
    units = [
        (u.short_name, u.name) for u in services.bidding_units() if u.pk in request.access.source_unit_ids()
    ]
    fields = [
        Field("source_unit", "报送单位", "select", True, choices=units),
        Field("subject_name", "当事人名称", required=True),
        Field(
            "subject_kind",
            "当事人类型",
            "select",
            True,
            choices=[
                ("企业", "企业"),
                ("个人", "个人"),
                ("部门", "部门（规避招标等政府方行为）"),
                ("公务员", "公务员（第八十条干预）"),
            ],
        ),
        Field("uscc", "统一社会信用代码", help="企业、部门填写"),
        Field("id_number", "身份证号", help="个人、公务员填写；只加密保存"),
        Field("unit_uscc", "所属单位代码", help="公务员填写"),
        Field("role", "当事人角色", "select", choices=[("", "—")] + list(MarketRole.choices)),
        Field("violation", "违法行为类别", "select", True, choices=Violation.choices),
        Field("facts", "违法行为", "textarea", True),
        Field("legal_basis", "处理依据", "textarea", True, "留空按违法行为类别填入条款", rows=2),
        Field("outcome", "处理决定", "textarea", True, rows=2),
        Field("severity", "严重程度", "select", True, choices=SEVERITIES),
        Field("document_no", "决定文书号", required=True),
        Field("decided_on", "处理时间", "date", True),
        Field("decided_by", "处理机关", required=True),
        Field(
            "restriction_months",
            "取消投标资格期限（月）",
            "number",
            help="严重违法必填：第六十七条 12–24，第六十八条 12–36",
        ),
        Field("restriction_start", "限制起始日期", "date", help="留空自处理时间起算"),
        Field("project_name", "招标项目"),
    ]
    errors = {}
    if request.method == "POST":
        try:
            record, _ = services.submit_violation(request.POST.dict(), access=request.access)
            messages.success(
                request, f"已提交审核：{record.document_no}；信用办审核公示后自动取消投标资格并列入名单"
            )
            return redirect("bidding:home")
        except CreditError as exc:
            errors = exc.field_errors or {"facts": [exc.message]}
    bind(fields, request.POST if request.method == "POST" else None, errors)
    return _render_form(request, "报送招标投标违法行为", fields, errors, "提交审核")


@office_view
def roles(request):
    _can(request)
    role = request.GET.get("role", "")
    q = (request.GET.get("q") or "").strip()
    qs = ParticipantRole.objects.select_related("subject")
    if role in MarketRole.values:
        qs = qs.filter(role=role)
    if q:
        qs = qs.filter(subject__name__contains=q)
    fields = [
        Field("code", "统一社会信用代码或身份证号", required=True),
        Field("role", "角色", "select", True, choices=MarketRole.choices),
        Field("qualification", "资质/专业"),
    ]
    errors = {}
    if request.method == "POST":
        subject = find_by_code((request.POST.get("code") or "").strip().upper())
        try:
            if subject is None:
                raise ValidationFailed(
                    "主体未登记", field_errors={"code": ["该代码的主体尚未登记，请先在主体管理中登记"]}
                )
            services.assign_role(
                subject,
                request.POST.get("role", ""),
                access=request.access,
                qualification=request.POST.get("qualification", ""),
            )
            messages.success(request, "已登记角色")
            return redirect("bidding:roles")
        except CreditError as exc:
            errors = exc.field_errors or {"code": [exc.message]}
    bind(fields, request.POST if request.method == "POST" else None, errors)
    if request.GET.get("export"):
        return xlsx_response(
            "市场主体角色",
            "市场主体角色",
            ["主体", "代码", "角色", "资质/专业", "登记日期"],
            [
                (
                    r.subject.display_name,
                    r.subject.code_display,
                    r.get_role_display(),
                    r.qualification,
                    r.registered_on,
                )
                for r in qs
            ],
        )
    return render(
        request,
        "bidding/roles.html",
        {
            "nav": NAV,
            "fields": fields,
            "other_errors": unplaced(fields, errors),
            "role": role,
            "q": q,
            "roles": MarketRole.choices,
            "can_manage": services.can_manage(request.access),
            **paginate(request, qs),
        },
    )


@office_view
def evaluations(request):
    _can(request)
    period = request.GET.get("period", "")
    grade = request.GET.get("grade", "")
    qs = CreditEvaluation.objects.select_related("subject")
    if period:
        qs = qs.filter(period=period)
    if grade:
        qs = qs.filter(grade=grade)
    if request.method == "POST":
        try:
            count = (
                services.evaluate_all(request.POST.get("period", ""), as_of=timezone.localdate())
                if services.can_manage(request.access)
                else 0
            )
            messages.success(request, f"已计算 {count} 个市场主体角色的信用评价")
        except CreditError as exc:
            messages.error(request, exc.message)
        return redirect("bidding:evaluations")
    if request.GET.get("export"):
        return xlsx_response(
            "信用评价",
            "信用评价",
            ["主体", "角色", "评价期", "得分", "等级"],
            [(e.subject.display_name, e.get_role_display(), e.period, e.score, e.grade) for e in qs],
        )
    return render(
        request,
        "bidding/evaluations.html",
        {
            "nav": NAV,
            "period": period,
            "grade": grade,
            "this_month": f"{timezone.localdate():%Y-%m}",
            "can_manage": services.can_manage(request.access),
            **paginate(request, qs),
        },
    )


@office_view
def evaluation_detail(request, pk: int):
    _can(request)
    evaluation = get_object_or_404(CreditEvaluation.objects.select_related("subject"), pk=pk)
    return render(request, "bidding/evaluation.html", {"nav": NAV, "e": evaluation})


@office_view
def reports(request):
    _can(request)
    qs = ThirdPartyReport.objects.select_related("subject", "registered_by", "verified_by")
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    fields = [
        Field("code", "被评主体代码", required=True),
        Field("agency", "出具机构", required=True),
        Field("report_no", "报告编号", required=True),
        Field("grade", "信用等级", required=True),
        Field("issued_on", "出具日期", "date", True),
        Field("valid_until", "有效期至", "date", True),
    ]
    errors = {}
    if request.method == "POST":
        subject = find_by_code((request.POST.get("code") or "").strip().upper())
        try:
            if subject is None:
                raise ValidationFailed("主体未登记", field_errors={"code": ["该代码的主体尚未登记"]})
            services.register_report(subject, request.POST.dict(), access=request.access)
            messages.success(request, "已登记报告，待另一人向出具机构核实")
            return redirect("bidding:reports")
        except CreditError as exc:
            errors = exc.field_errors or {"code": [exc.message]}
    bind(fields, request.POST if request.method == "POST" else None, errors)
    if request.GET.get("export"):
        return xlsx_response(
            "第三方信用报告",
            "第三方信用报告",
            ["主体", "机构", "编号", "等级", "出具日期", "有效期至", "核验"],
            [
                (
                    r.subject.display_name,
                    r.agency,
                    r.report_no,
                    r.grade,
                    r.issued_on,
                    r.valid_until,
                    r.get_status_display(),
                )
                for r in qs
            ],
        )
    return render(
        request,
        "bidding/reports.html",
        {
            "nav": NAV,
            "fields": fields,
            "other_errors": unplaced(fields, errors),
            "status": status,
            "can_manage": services.can_manage(request.access),
            **paginate(request, qs),
        },
    )


@office_view
@require_POST
def report_verify(request, pk: int):
    report = get_object_or_404(ThirdPartyReport, pk=pk)
    try:
        services.verify_report(
            report, ok=request.POST.get("ok") == "1", note=request.POST.get("note", ""), access=request.access
        )
        messages.success(request, f"报告 {report.report_no} 已核验")
    except CreditError as exc:
        messages.error(request, exc.message)
    return redirect("bidding:reports")


@office_view
def bid_checks(request):
    qs = services.bid_checks_for(request.access)
    fields = [
        Field("project_name", "招标项目", required=True),
        Field("project_code", "项目编号"),
        Field("opening_on", "开标日期", "date", True),
        Field(
            "file",
            "投标人名单",
            "file",
            True,
            "Excel（.xlsx）或 CSV：每个单元格一个统一社会信用代码或身份证号",
        ),
    ]
    errors = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationFailed("请上传名单", field_errors={"file": ["请上传投标人名单文件"]})
            bid = services.batch_check(
                file_name=upload.name,
                content=upload.read(),
                project_name=request.POST.get("project_name", ""),
                project_code=request.POST.get("project_code", ""),
                opening_on=_date(request.POST.get("opening_on")),
                access=request.access,
            )
            messages.success(
                request, f"已核查 {bid.credit_check.total} 家投标人，核查编号 {bid.credit_check.serial}"
            )
            return redirect("bidding:bid_check", pk=bid.pk)
        except CreditError as exc:
            errors = exc.field_errors or {"file": [exc.message]}
    bind(fields, request.POST if request.method == "POST" else None, errors)
    return render(
        request,
        "bidding/bid_checks.html",
        {"nav": NAV, "fields": fields, "other_errors": unplaced(fields, errors), **paginate(request, qs)},
    )


@office_view
def bid_check_detail(request, pk: int):
    bid = get_object_or_404(services.bid_checks_for(request.access), pk=pk)
    rows = bid.credit_check.expand(bid.credit_check.stored_rows())
    return render(
        request, "bidding/bid_check.html", {"nav": NAV, "bid": bid, "rows": list(enumerate(rows, start=1))}
    )


@office_view
def bidder_pdf(request, pk: int, position: int):
    bid = get_object_or_404(services.bid_checks_for(request.access), pk=pk)
    pdf = services.bidder_report_pdf(bid, position, access=request.access)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bidder-{bid.credit_check.serial}-{position}.pdf"'
    return response
