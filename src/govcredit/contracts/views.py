"""Back office: 政府合同 (register, detail with payments, events and changes), 清欠台账 with aging
buckets, due-soon lists per paying unit, XLSX import of a 合同台账 and Excel export of every list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from govcredit.accounts.models import Organisation
from govcredit.core.errors import CreditError
from govcredit.office.views import (
    apply_form_errors,
    office_view,
    paginate,
    query_string,
    require,
    xlsx_response,
)

from . import rules, services
from .dues import AGING_BUCKETS, aging_bucket
from .forms import ChangeForm, ContractForm, EventForm, ImportForm, PaymentForm
from .models import (
    OPEN_ARREARS_STATES,
    OPEN_OBLIGATION_STATES,
    ArrearsState,
    ContractKind,
    ContractState,
    Obligation,
    ObligationKind,
)

MAX_EXPORT_ROWS = 100_000


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _units(qs, field: str):
    ids = qs.order_by().values_list(field, flat=True).distinct()
    return Organisation.objects.filter(pk__in=ids).order_by("name")


# -- contracts ---------------------------------------------------------------------------------
@office_view
def contract_list(request):
    access = request.access
    scope = services.contracts_for(access)
    qs = scope
    f = request.GET
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(
            Q(number__contains=q)
            | Q(title__contains=q)
            | Q(counterparty__name__contains=q)
            | Q(counterparty__uscc=q.upper())
        )
    if f.get("kind") in ContractKind.values:
        qs = qs.filter(kind=f["kind"])
    if f.get("state") in ContractState.values:
        qs = qs.filter(state=f["state"])
    unit_id = _int(f.get("unit"))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    qs = qs.order_by("-signed_on", "-pk")
    if f.get("export") == "xlsx":
        headers = [
            "合同编号",
            "合同名称",
            "合同类型",
            "政府方",
            "付款单位",
            "相对方",
            "统一社会信用代码",
            "企业规模",
            "签订日期",
            "合同金额（元）",
            "状态",
        ]
        rows = (
            (
                c.number,
                c.title,
                c.get_kind_display(),
                c.government.name,
                c.unit.name,
                c.counterparty.name,
                c.counterparty.uscc,
                c.get_counterparty_scale_display(),
                c.signed_on,
                f"{c.amount:.2f}",
                c.get_state_display(),
            )
            for c in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("政府合同台账", "政府合同台账", headers, rows)
    return render(
        request,
        "contracts/contract_list.html",
        {
            "nav": "contracts",
            **paginate(request, qs),
            "kinds": ContractKind.choices,
            "states": ContractState.choices,
            "units": _units(scope, "unit_id"),
            "filtered": any(f.get(k) for k in ("q", "kind", "state", "unit")),
            "can_register": services.can_register(access),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def contract_new(request):
    access = request.access
    require(
        services.can_register(access),
        "您没有登记合同的权限（由区财政局、区商务局、区招商局或本单位经办人登记）",
    )
    form = ContractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.create_contract(form.service_data(), access=access)
        except CreditError as exc:
            _map_contract_errors(exc)
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"已登记合同「{contract.number}」")
            return redirect("contracts:detail", pk=contract.pk)
    return render(request, "contracts/contract_new.html", {"nav": "contracts", "form": form})


_FORM_FIELDS = {"title": "title_contract", "kind": "contract_kind", "amount": "contract_amount"}


def _map_contract_errors(exc: CreditError) -> None:
    """The service names fields as the API does; the form's own names differ for a few."""
    mapped: dict[str, list[str]] = {}
    for field, errors in exc.field_errors.items():
        if field.startswith("obligations.0."):
            field = field.removeprefix("obligations.0.")
        elif field in _FORM_FIELDS:
            field = _FORM_FIELDS[field]
        mapped.setdefault(field, []).extend(errors)
    exc.field_errors = mapped


@office_view
def contract_detail(request, pk: int):
    access = request.access
    contract = services.get_contract_for_user(access, pk)
    today = timezone.localdate()
    view = services.contract_view(contract, as_of=today)
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "nav": "contracts",
            "contract": contract,
            "view": view,
            "payments": {ob.pk: list(ob.payments.all()) for ob in contract.obligations.all()},
            "changes": contract.changes.all(),
            "payment_form": PaymentForm(),
            "event_form": EventForm(),
            "change_form": ChangeForm(),
            "can_edit": services.can_register(access, contract.unit)
            and contract.state not in ("terminated", "completed"),
        },
    )


def _post(request, pk: int, form_class, apply):
    access = request.access
    contract = services.get_contract_for_user(access, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[field].label if field in form.fields else ''}：{'；'.join(errors)}"
            )
        return redirect("contracts:detail", pk=pk)
    try:
        text = apply(access, contract, form.cleaned_data)
    except CreditError as exc:
        details = "；".join(m for ms in exc.field_errors.values() for m in ms)
        messages.error(request, exc.message + (f"：{details}" if details else ""))
    else:
        messages.success(request, text)
    return redirect("contracts:detail", pk=pk)


@require_POST
@office_view
def payment_add(request, pk: int, ob: int):
    def apply(access, contract, d):
        obligation = services.get_obligation_for_user(access, contract, ob)
        voucher = None
        if d.get("voucher"):
            upload = d["voucher"]
            voucher = (upload.name, upload.read())
        services.record_payment(obligation, d, access=access, voucher=voucher)
        return f"已登记付款 {d['amount']:,.2f} 元（凭证 {d['voucher_no']}）"

    return _post(request, pk, PaymentForm, apply)


@require_POST
@office_view
def event_add(request, pk: int, ob: int):
    def apply(access, contract, d):
        obligation = services.get_obligation_for_user(access, contract, ob)
        obligation = services.record_obligation_event(obligation, d, access=access)
        return f"已更新日期，履行期限：{obligation.due_on or '待定'}"

    return _post(request, pk, EventForm, apply)


@require_POST
@office_view
def change_add(request, pk: int):
    def apply(access, contract, d):
        change = services.record_change(contract, d, access=access)
        if change.lawful:
            return f"已登记{change.get_kind_display()}"
        return "已登记变更；该变更存在违法情形，已生成合同违约失信线索：" + "；".join(change.problems)

    return _post(request, pk, ChangeForm, apply)


# -- arrears -----------------------------------------------------------------------------------
def _aging_filter(label: str, today: dt.date) -> Q | None:
    for name, low, high in AGING_BUCKETS:
        if name == label:
            q = Q(due_on__lte=today - dt.timedelta(days=low))
            if high is not None:
                q &= Q(due_on__gte=today - dt.timedelta(days=high))
            return q
    return None


@office_view
def arrears_list(request):
    access = request.access
    today = timezone.localdate()
    scope = services.arrears_for(access)
    qs = scope
    f = request.GET
    if f.get("state") in ArrearsState.values:
        qs = qs.filter(state=f["state"])
    elif f.get("state") == "open":
        qs = qs.filter(state__in=OPEN_ARREARS_STATES)
    aging = _aging_filter(f.get("aging", ""), today)
    if aging is not None:
        qs = qs.filter(aging)
    unit_id = _int(f.get("unit"))
    if unit_id:
        qs = qs.filter(debtor_unit_id=unit_id)
    qs = qs.order_by("due_on", "pk")
    open_cases = scope.filter(state__in=OPEN_ARREARS_STATES)
    buckets = []
    for name, _low, _high in AGING_BUCKETS:
        agg = open_cases.filter(_aging_filter(name, today)).aggregate(
            n=Count("pk"), amount=Sum("amount"), repaid=Sum("repaid_amount")
        )
        buckets.append(
            {
                "label": name,
                "count": agg["n"],
                "amount": (agg["amount"] or Decimal(0)) - (agg["repaid"] or Decimal(0)),
            }
        )
    if f.get("export") == "xlsx":
        headers = [
            "台账编号",
            "欠款单位",
            "债权企业",
            "合同编号",
            "认定欠款（元）",
            "已清偿（元）",
            "尚欠（元）",
            "有争议（元）",
            "应付日期",
            "逾期天数",
            "账龄",
            "逾期利息（元）",
            "状态",
        ]

        def row(c):
            interest, days = services.case_interest(c, today)
            return (
                c.code,
                c.debtor_unit.name,
                c.creditor.name,
                c.contract.number if c.contract_id else "",
                f"{c.amount:.2f}",
                f"{c.repaid_amount:.2f}",
                f"{c.outstanding:.2f}",
                f"{c.disputed_amount:.2f}",
                c.due_on,
                days,
                aging_bucket(days),
                f"{interest:.2f}",
                c.get_state_display(),
            )

        return xlsx_response("清欠台账", "清欠台账", headers, (row(c) for c in qs.iterator(chunk_size=2000)))
    page = paginate(request, qs)
    rows = []
    for c in page["page_obj"]:
        interest, days = services.case_interest(c, today)
        rows.append((c, days, aging_bucket(days), interest))
    return render(
        request,
        "contracts/arrears_list.html",
        {
            "nav": "arrears",
            **page,
            "rows": rows,
            "buckets": buckets,
            "states": ArrearsState.choices,
            "units": _units(scope, "debtor_unit_id"),
            "filtered": any(f.get(k) for k in ("state", "aging", "unit")),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def arrears_detail(request, pk: int):
    case = services.get_arrears_for_user(request.access, pk)
    view = services.case_view(case, as_of=timezone.localdate())
    return render(request, "contracts/arrears_detail.html", {"nav": "arrears", "case": case, "view": view})


@office_view
def due_soon(request):
    """Payment obligations due in the next N days, per paying unit (the T−5 reminders come from the
    duty ladder; this is the list the finance clerk works from)."""
    access = request.access
    today = timezone.localdate()
    days = _int(request.GET.get("days")) or rules.int_value("due_soon_days")
    days = max(1, min(days, 366))
    scope = Obligation.objects.filter(
        contract__in=services.contracts_for(access),
        kind=ObligationKind.PAYMENT,
        state__in=OPEN_OBLIGATION_STATES,
    ).select_related("contract", "contract__unit", "contract__counterparty")
    qs = scope.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days), outstanding__gt=0)
    unit_id = _int(request.GET.get("unit"))
    if unit_id:
        qs = qs.filter(contract__unit_id=unit_id)
    qs = qs.order_by("due_on", "contract__unit__name", "pk")
    per_unit = (
        qs.order_by()
        .values("contract__unit__name")
        .annotate(n=Count("pk"), amount=Sum("outstanding"))
        .order_by("-amount")
    )
    if request.GET.get("export") == "xlsx":
        headers = [
            "付款单位",
            "合同编号",
            "合同名称",
            "相对方",
            "义务",
            "未付金额（元）",
            "应付日期",
            "期限说明",
        ]
        rows = (
            (
                o.contract.unit.name,
                o.contract.number,
                o.contract.title,
                o.contract.counterparty.name,
                o.title,
                f"{o.outstanding:.2f}",
                o.due_on,
                o.due_explain,
            )
            for o in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("即将到期付款", "即将到期付款", headers, rows)
    return render(
        request,
        "contracts/due_soon.html",
        {
            "nav": "contracts_due",
            **paginate(request, qs),
            "per_unit": per_unit,
            "days": days,
            "units": _units(scope.filter(due_on__gte=today), "contract__unit_id"),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
        },
    )


@office_view
def import_view(request):
    from .importer import import_workbook

    access = request.access
    require(services.can_register(access), "您没有导入合同台账的权限")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_workbook(upload.read(), access=access, dry_run=form.cleaned_data["dry_run"])
        if result.problems:
            messages.error(
                request, f"{len(result.problems)} 处问题，未导入任何合同；请按行号和列修改后重新上传"
            )
        elif result.dry_run:
            messages.success(
                request, f"检查通过：{result.contracts} 份合同、{result.obligations} 项义务可以导入"
            )
        else:
            messages.success(request, f"已导入 {result.contracts} 份合同、{result.obligations} 项义务")
    return render(request, "contracts/import.html", {"nav": "contracts", "form": form, "result": result})


# -- enterprises' non-payment complaints (条例第二十五条) ----------------------------------------
COMPLAINT_FILTERS = ("status", "unit", "overdue", "q")


@office_view
def complaint_list(request):
    """The handling department's (and a respondent's) list: status, respondent, overdue filters."""
    from . import complaints
    from .models import ComplaintStatus

    access = request.access
    today = timezone.localdate()
    scope = complaints.complaints_for(access)
    f = request.GET
    qs = complaints.filter_complaints(
        scope,
        status=f.get("status", ""),
        unit_id=_int(f.get("unit")),
        overdue=f.get("overdue") == "1",
        text=f.get("q", "").strip(),
        today=today,
    )
    if f.get("export") == "xlsx":
        headers = [
            "查询码",
            "投诉企业",
            "统一社会信用代码",
            "被投诉单位",
            "合同编号",
            "投诉欠款（元）",
            "收到日期",
            "转交期限",
            "转交日期",
            "办结期限",
            "办结日期",
            "状态",
            "办理结果",
        ]
        rows = (
            (
                c.tracking_code,
                c.complainant.name,
                c.complainant.uscc,
                c.respondent.name,
                c.contract_number,
                f"{c.amount:.2f}",
                c.received_on,
                c.forward_by,
                c.forwarded_on,
                c.decide_by,
                c.decided_on,
                c.get_status_display(),
                c.get_outcome_display(),
            )
            for c in qs.iterator(chunk_size=2000)
        )
        return xlsx_response("拖欠账款投诉", "拖欠账款投诉", headers, rows)
    return render(
        request,
        "contracts/complaint_list.html",
        {
            "nav": "arrears_complaints",
            **paginate(request, qs),
            "today": today,
            "statuses": ComplaintStatus.choices,
            "units": _units(scope, "respondent_id"),
            "filtered": any(f.get(k) for k in COMPLAINT_FILTERS),
            "export_qs": query_string(request, drop=("page", "export"), export="xlsx"),
            "handler": complaints.is_handler(access),
        },
    )


@office_view
def complaint_detail(request, pk: int):
    from . import complaints
    from .forms import ComplaintDecisionForm

    access = request.access
    complaint = complaints.get_complaint_for_user(access, pk)
    return render(
        request,
        "contracts/complaint_detail.html",
        {
            "nav": "arrears_complaints",
            "complaint": complaint,
            "view": complaints.staff_view(complaint, access),
            "handler": complaints.is_handler(access),
            "decide_form": ComplaintDecisionForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@office_view
def complaint_forward(request, pk: int):
    from . import complaints

    access = request.access
    complaint = complaints.get_complaint_for_user(access, pk)
    try:
        complaints.forward(complaint, access=access)
    except CreditError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已将投诉 {complaint.tracking_code} 转交{complaint.respondent.name}")
    return redirect("contracts:complaint_detail", pk=pk)


@require_POST
@office_view
def complaint_decide(request, pk: int):
    from . import complaints
    from .forms import ComplaintDecisionForm

    access = request.access
    complaint = complaints.get_complaint_for_user(access, pk)
    form = ComplaintDecisionForm(request.POST)
    if form.is_valid():
        try:
            complaint = complaints.decide(
                complaint, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"], access=access
            )
        except CreditError as exc:
            apply_form_errors(form, exc)
        else:
            text = f"已办结投诉 {complaint.tracking_code}：{complaint.get_outcome_display()}"
            if complaint.arrears_case_id:
                text += f"，已立清欠台账 {complaint.arrears_case.code}"
            messages.success(request, text)
            return redirect("contracts:complaint_detail", pk=pk)
    return render(
        request,
        "contracts/complaint_detail.html",
        {
            "nav": "arrears_complaints",
            "complaint": complaint,
            "view": complaints.staff_view(complaint, access),
            "handler": complaints.is_handler(access),
            "decide_form": form,
            "today": timezone.localdate(),
        },
        status=422,
    )
