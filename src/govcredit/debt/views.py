"""Back office of 政府债务 (区财政局 and the credit office): thin views over ``debt.services``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.core.errors import CreditError, ValidationFailed
from govcredit.office.views import office_view, paginate, require, xlsx_response
from govcredit.subjects.models import Subject, SubjectKind

from . import services
from .forms import Field, bind, unplaced
from .models import (
    Bond,
    BondType,
    Category,
    DebtLimit,
    DebtSnapshot,
    DebtWarning,
    EmergencyEvent,
    EmergencyLevel,
    SnapshotStatus,
    ViolationKind,
)

NAV = "debt"


def _can(request) -> None:
    require(services.can_view(request.access), "只有区财政局经办人、信用办和审计人员可以查看政府债务管理页面")


@office_view
def home(request):
    _can(request)
    qs = DebtSnapshot.objects.select_related("prepared_by", "reviewed_by")
    status = request.GET.get("status", "")
    year = request.GET.get("year", "")
    if status in SnapshotStatus.values:
        qs = qs.filter(status=status)
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if request.GET.get("export"):
        rows = [
            (
                s.year,
                s.as_of,
                s.get_status_display(),
                s.general_balance,
                s.special_balance,
                s.capacity,
                str(s.prepared_by),
                str(s.reviewed_by or ""),
            )
            for s in qs
        ]
        headers = [
            "年度",
            "截至日期",
            "状态",
            "一般债务余额（元）",
            "专项债务余额（元）",
            "综合财力（元）",
            "录入人",
            "复核人",
        ]
        return xlsx_response("债务数据", "债务数据", headers, rows)
    context = {
        "nav": NAV,
        "statuses": SnapshotStatus.choices,
        "f": {"status": status, "year": year},
        "warnings": DebtWarning.objects.filter(acknowledged_at__isnull=True).select_related("snapshot")[:20],
        "emergencies": EmergencyEvent.objects.filter(closed_on__isnull=True).select_related(
            "repayment__bond"
        )[:20],
        "can_manage": services.can_manage(request.access),
        **paginate(request, qs),
    }
    return render(request, "debt/home.html", context)


def _snapshot_fields() -> list[Field]:
    money = "元，两位小数，可带千分位逗号"
    return [
        Field("year", "年度", "number", True, "例如 2026"),
        Field("as_of", "截至日期", "date", True),
        Field("general_balance", "一般债务余额", required=True, help=money),
        Field("special_balance", "专项债务余额", required=True, help=money),
        Field("capacity_general", "一般公共预算财力", required=True, help="综合财力的组成部分"),
        Field("capacity_fund", "政府性基金预算财力", required=True),
        Field("capacity_state_capital", "国有资本经营预算财力"),
        Field("debt_service", "当年还本付息额", required=True),
        Field("overdue", "逾期债务"),
        Field("plan_borrowing", "计划举借"),
        Field("plan_principal", "计划还本"),
        Field("plan_interest", "计划付息"),
        Field("source_document", "数据来源文件", help="例如：周村区2026年上半年政府债务情况报告"),
    ]


@office_view
def snapshot_new(request):
    require(services.can_manage(request.access), "只有区财政局经办人或信用办可以录入债务数据")
    fields, errors = _snapshot_fields(), {}
    if request.method == "POST":
        try:
            snapshot = services.create_snapshot(request.POST.dict(), access=request.access)
            messages.success(request, f"已保存{snapshot}，请核对指标后提交复核")
            return redirect("debt:snapshot", pk=snapshot.pk)
        except ValidationFailed as exc:
            errors = exc.field_errors
    bind(fields, request.POST if request.method == "POST" else None, errors)
    return render(
        request,
        "debt/form.html",
        {
            "nav": NAV,
            "title": "录入债务数据",
            "fields": fields,
            "other_errors": unplaced(fields, errors),
            "submit": "保存草稿",
        },
    )


@office_view
def snapshot_detail(request, pk: int):
    _can(request)
    snapshot = get_object_or_404(DebtSnapshot.objects.select_related("prepared_by", "reviewed_by"), pk=pk)
    context = {
        "nav": NAV,
        "s": snapshot,
        "indicators": services.indicators(snapshot),
        "over": services._over_limit(snapshot),
        "can_manage": services.can_manage(request.access),
        "own": snapshot.prepared_by_id == request.user.pk,
        "disclosures": snapshot.disclosures.all(),
    }
    return render(request, "debt/snapshot.html", context)


@office_view
@require_POST
def snapshot_action(request, pk: int, action: str):
    snapshot = get_object_or_404(DebtSnapshot, pk=pk)
    try:
        if action == "submit":
            services.submit_snapshot(snapshot, access=request.access)
            messages.success(request, "已提交复核，须由另一人复核后公开")
        elif action == "approve":
            disclosure = services.approve_snapshot(
                snapshot, access=request.access, note=request.POST.get("note", "")
            )
            messages.success(request, f"已复核通过并公开（{disclosure.year}年第{disclosure.version}版）")
        elif action == "return":
            services.return_snapshot(snapshot, reason=request.POST.get("reason", ""), access=request.access)
            messages.success(request, "已退回录入人修改")
        else:
            raise ValidationFailed("未知操作")
    except CreditError as exc:
        messages.error(
            request,
            exc.message + "".join(f"：{m}" for msgs in (exc.field_errors or {}).values() for m in msgs),
        )
    return redirect("debt:snapshot", pk=pk)


@office_view
def limits(request):
    _can(request)
    fields = [
        Field("year", "年度", "number", True),
        Field("category", "类别", "select", True, choices=Category.choices),
        Field("amount", "限额（元）", required=True),
        Field("document", "转贷/核定文件", help="例如：鲁财预〔2026〕12号"),
    ]
    errors = {}
    if request.method == "POST":
        require(services.can_manage(request.access), "只有区财政局经办人或信用办可以登记限额")
        try:
            limit = services.set_limit(request.POST.dict(), access=request.access)
            messages.success(request, f"已登记{limit}限额 {services.yuan(limit.amount)} 元")
            return redirect("debt:limits")
        except ValidationFailed as exc:
            errors = exc.field_errors
    bind(fields, request.POST if request.method == "POST" else None, errors)
    qs = DebtLimit.objects.all()
    if request.GET.get("export"):
        return xlsx_response(
            "债务限额",
            "债务限额",
            ["年度", "类别", "限额（元）", "文件"],
            [(x.year, x.get_category_display(), x.amount, x.document) for x in qs],
        )
    return render(
        request,
        "debt/limits.html",
        {
            "nav": NAV,
            "fields": fields,
            "other_errors": unplaced(fields, errors),
            "can_manage": services.can_manage(request.access),
            **paginate(request, qs),
        },
    )


def parse_schedule(text: str) -> list[dict]:
    """One period per line: 日期,本金,利息 (commas, tabs or full-width commas)."""
    rows = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.replace("，", ",").replace("\t", ",").split(",")]
        if not any(parts):
            continue
        parts += [""] * (3 - len(parts))
        rows.append({"due_on": parts[0], "principal": parts[1] or "0", "interest": parts[2] or "0"})
    return rows


@office_view
def bonds(request):
    _can(request)
    q = (request.GET.get("q") or "").strip()
    qs = Bond.objects.prefetch_related("schedule")
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(code__contains=q)
    if request.GET.get("export"):
        headers = [
            "债券编码",
            "名称",
            "类别",
            "类型",
            "发行日期",
            "金额（元）",
            "利率（%）",
            "期限（年）",
            "到期日",
            "用途",
        ]
        rows = [
            (
                b.code,
                b.name,
                b.get_category_display(),
                b.get_bond_type_display(),
                b.issue_date,
                b.amount,
                b.rate,
                b.term_years,
                b.maturity,
                b.use,
            )
            for b in qs
        ]
        return xlsx_response("政府债券", "政府债券", headers, rows)
    return render(
        request,
        "debt/bonds.html",
        {"nav": NAV, "q": q, "can_manage": services.can_manage(request.access), **paginate(request, qs)},
    )


@office_view
def bond_new(request):
    require(services.can_manage(request.access), "只有区财政局经办人或信用办可以登记债券")
    fields = [
        Field("code", "债券编码", required=True),
        Field("name", "债券名称", required=True),
        Field("category", "类别", "select", True, choices=Category.choices),
        Field("bond_type", "发行类型", "select", True, choices=BondType.choices),
        Field("issue_date", "发行日期", "date", True),
        Field("amount", "分配额度（元）", required=True),
        Field("rate", "票面利率（%）", required=True, help="例如 2.48"),
        Field("term_years", "期限（年）", "number", True),
        Field("maturity", "到期日", "date", help="留空按发行日期加期限计算"),
        Field("use", "资金用途", "textarea", True, rows=2),
        Field("projects", "使用项目", "textarea", rows=2),
        Field(
            "schedule",
            "还本付息计划",
            "textarea",
            True,
            "每行一期：应付日期,本金,利息（如 2027-08-20,100000000.00,12400000.00）；本金合计须等于分配额度",
            rows=6,
        ),
    ]
    errors = {}
    if request.method == "POST":
        data = request.POST.dict()
        data["schedule"] = parse_schedule(data.get("schedule", ""))
        try:
            bond = services.register_bond(data, access=request.access)
            messages.success(request, f"已登记债券 {bond.code}")
            return redirect("debt:bonds")
        except ValidationFailed as exc:
            errors = exc.field_errors
    bind(fields, request.POST if request.method == "POST" else None, errors)
    return render(
        request,
        "debt/form.html",
        {
            "nav": NAV,
            "title": "登记政府债券",
            "fields": fields,
            "other_errors": unplaced(fields, errors),
            "submit": "登记债券",
        },
    )


@office_view
@require_POST
def warning_ack(request, pk: int):
    warning = get_object_or_404(DebtWarning, pk=pk)
    try:
        services.acknowledge_warning(
            warning, response_plan=request.POST.get("response_plan", ""), access=request.access
        )
        messages.success(request, "已确认预警并登记应对方案")
    except CreditError as exc:
        messages.error(request, exc.message)
    return redirect("debt:snapshot", pk=warning.snapshot_id)


@office_view
def emergency(request, pk: int):
    _can(request)
    event = get_object_or_404(EmergencyEvent.objects.select_related("repayment__bond"), pk=pk)
    errors = {}
    if request.method == "POST":
        try:
            services.update_emergency(
                event,
                {**request.POST.dict(), "close": request.POST.get("close") == "1"},
                access=request.access,
            )
            messages.success(request, "已更新应急处置")
            return redirect("debt:emergency", pk=pk)
        except CreditError as exc:
            errors = exc.field_errors or {"actions": [exc.message]}
    return render(
        request,
        "debt/emergency.html",
        {
            "nav": NAV,
            "e": event,
            "levels": EmergencyLevel.choices,
            "errors": errors,
            "can_manage": services.can_manage(request.access),
        },
    )


@office_view
def case_new(request):
    require(services.can_manage(request.access), "只有区财政局经办人或信用办可以登记违法违规举债担保")
    units = Subject.objects.filter(kind__in=(SubjectKind.GOVERNMENT, SubjectKind.DEPARTMENT)).order_by("name")
    fields = [
        Field(
            "unit", "单位", "select", True, choices=[("", "请选择")] + [(str(u.pk), u.name) for u in units]
        ),
        Field("kind", "情形", "select", True, choices=ViolationKind.choices),
        Field("amount", "涉及金额（元）", required=True),
        Field("facts", "事实", "textarea", True),
        Field("document_no", "认定文书号", required=True),
        Field("decided_on", "认定日期", "date", True, value=str(timezone.localdate())),
        Field("decided_by", "认定机关", required=True, value="周村区财政局"),
    ]
    errors = {}
    if request.method == "POST":
        data = request.POST.dict()
        data["unit"] = (
            units.filter(pk=data.get("unit") or 0).first() if (data.get("unit") or "").isdigit() else None
        )
        try:
            _case, finding = services.record_borrowing_case(data, access=request.access)
            messages.success(
                request,
                f"已生成失信线索 {finding.document_no} 并提交信用办审核；公示后按规则移送追究主要负责人责任",
            )
            return redirect("debt:home")
        except ValidationFailed as exc:
            errors = exc.field_errors
    bind(fields, request.POST if request.method == "POST" else None, errors)
    return render(
        request,
        "debt/form.html",
        {
            "nav": NAV,
            "title": "登记违法违规举债或担保",
            "fields": fields,
            "other_errors": unplaced(fields, errors),
            "submit": "登记并提交审核",
        },
    )
