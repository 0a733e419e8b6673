"""Government contracts, obligations, payments, changes and arrears cases (WAVE2 §2, §14 B). Thin:
rules live in ``contracts.services``.

``router`` is mounted at /api/v1/contracts, ``arrears_router`` at /api/v1/arrears (staff, Bearer
token, scoped); ``public_router`` at /api/v1/public/ (the enterprise's pay-by dates, Art 18, complaints).
"""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictFloat, StrictInt, StrictStr

from govcredit.contracts import services
from govcredit.contracts.models import ArrearsState, ContractState

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import Error, ObjectId

router = Router(auth=TokenAuth(), tags=["政府合同"])
arrears_router = Router(auth=TokenAuth(), tags=["清欠台账"])
public_router = Router(tags=["政府合同（公开）"])

ERRORS = frozenset({400, 401, 403, 404, 409, 422})
PUBLIC_ERRORS = frozenset({400, 404, 422})
PAGE_SIZE = 20
Money = StrictStr | StrictInt | StrictFloat


class ObligationIn(Schema):
    kind: Literal["payment", "acceptance", "policy_benefit", "land_delivery", "other"] = "payment"
    title: StrictStr = ""
    amount: Money | None = Field(None, description="金额（元），付款义务必填")
    due_rule: Literal["fixed", "after_event", "agreed"] | None = Field(
        None, description="fixed 固定日期；after_event 事件后N日；agreed 约定月数。省略时按所填字段推定"
    )
    trigger: Literal["delivery", "acceptance", "event"] | None = Field(None, description="起算事件")
    fixed_due_on: StrictStr | None = Field(None, description="约定日期 YYYY-MM-DD")
    days: StrictInt | None = Field(None, ge=0, le=3650, description="事件后的日数（自然日）")
    months: StrictInt | None = Field(None, ge=1, le=120)
    delivered_on: StrictStr | None = None
    acceptance_days: StrictInt | None = Field(None, ge=0, le=3650, description="约定验收期（日）")
    accepted_on: StrictStr | None = None
    event_on: StrictStr | None = None
    clause: StrictStr = ""


class ContractIn(Schema):
    number: StrictStr
    title: StrictStr
    kind: Literal["procurement", "investment_agreement", "policy_promise", "engineering"]
    government: StrictStr = Field(..., description="政府方：统一社会信用代码、登记名称或简称")
    purchaser_type: Literal["organ", "institution", "soe", "other"] | None = Field(
        None, description="采购人性质；省略时政府、部门按机关处理"
    )
    counterparty_uscc: StrictStr
    counterparty_name: StrictStr = Field("", description="主体库中未登记的企业须填写名称")
    counterparty_scale: Literal["micro", "small", "medium", "large"]
    signed_on: StrictStr
    amount: Money
    amount_withheld: StrictBool = False
    interest_rate_daily: Money | None = None
    procurement_ref: StrictStr = ""
    announcement_url: StrictStr = ""
    note: StrictStr = ""
    obligations: list[ObligationIn] = Field(default_factory=list, max_length=200)


class EventIn(Schema):
    delivered_on: StrictStr | None = None
    accepted_on: StrictStr | None = None
    event_on: StrictStr | None = None


class PaymentIn(Schema):
    paid_on: StrictStr
    amount: Money
    voucher_no: StrictStr


class ChangeIn(Schema):
    kind: Literal["amount", "term", "policy", "termination", "other"]
    reason: Literal[
        "law_change", "public_interest", "agreement", "counterparty_breach", "leadership_change", "other"
    ]
    changed_on: StrictStr
    description: StrictStr
    legal_basis: StrictStr = ""
    procedure: StrictStr = ""
    compensation: Money | None = None


class MetIn(Schema):
    on: StrictStr


class Party(Schema):
    name: str
    uscc: str | None


class ObligationOut(Schema):
    id: int
    seq: int
    kind: str
    title: str
    amount: str | None
    paid_amount: str | None
    outstanding: str | None
    due_rule: str
    trigger: str | None
    days: int | None
    months: int | None
    delivered_on: str | None
    acceptance_days: int | None
    accepted_on: str | None
    event_on: str | None
    due_on: str | None
    due_explain: str
    due_estimated: bool
    state: str
    state_label: str
    met_on: str | None
    overdue: bool
    days_overdue: int
    interest: str | None
    interest_rate_daily: str
    interest_basis: str


class ContractOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    kind_label: str
    government: Party
    unit: str
    purchaser_type: str
    counterparty: Party
    counterparty_scale: str
    signed_on: str
    amount: str | None
    amount_withheld: bool
    interest_rate_daily: str | None
    procurement_ref: str
    announcement_url: str
    state: str
    state_label: str
    obligations: list[ObligationOut]


class ContractBrief(Schema):
    id: int
    number: str
    title: str
    kind: str
    government: str
    counterparty: str
    signed_on: str
    amount: str | None
    state: str


class ContractPage(Schema):
    count: int
    items: list[ContractBrief]


class PaymentOut(Schema):
    id: int
    paid_on: str
    amount: str
    voucher_no: str
    obligation: ObligationOut
    arrears_case: dict | None


class ChangeOut(Schema):
    id: int
    kind: str
    lawful: bool
    problems: list[str]
    contract_state: str
    finding: dict | None


class Instalment(Schema):
    due_on: str
    amount: str


class FindingRef(Schema):
    id: int
    document_no: str
    status: str
    record_id: ObjectId | None


class RepairOut(Schema):
    applicant: str
    record_id: ObjectId | None
    measures_taken: str
    vouchers: list[dict]
    prepared_on: str


class ArrearsCaseOut(Schema):
    id: int
    code: str
    source: str
    state: str
    state_label: str
    debtor: Party
    debtor_unit: str
    creditor: Party
    contract: str | None
    amount: str
    repaid_amount: str
    outstanding: str
    disputed_amount: str
    undisputed_amount: str
    due_on: str
    due_explain: str
    overdue_since: str
    days_overdue: int
    aging: str
    interest: str
    interest_rate_daily: str
    interest_basis: str
    opened_on: str
    cleared_on: str | None
    repayment_plan: list[Instalment]
    obligations: list[ObligationOut]
    finding: FindingRef | None
    repair_application: RepairOut | None
    as_of: str


class CaseBrief(Schema):
    id: int
    code: str
    state: str
    debtor: str
    creditor: str
    outstanding: str
    due_on: str
    days_overdue: int
    aging: str
    interest: str


class CasePage(Schema):
    count: int
    items: list[CaseBrief]


class PlanIn(Schema):
    instalments: list[Instalment] = Field(..., min_length=1, max_length=60)


class DisputeIn(Schema):
    disputed_amount: Money
    reason: StrictStr


class ListFilter(Schema):
    state: ContractState | None = None
    page: int = Field(1, ge=1)


class CaseFilter(Schema):
    state: ArrearsState | None = None
    page: int = Field(1, ge=1)


def _today():
    return timezone.localdate()


def _payload(schema: Schema) -> dict:
    data = schema.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    return data


# -- contracts -------------------------------------------------------------------------------------
@router.post("", response={201: ContractOut, ERRORS: Error}, summary="登记政府合同（含义务）")
def create_contract(request, payload: ContractIn):
    data = _payload(payload)
    for ob in data["obligations"]:
        check_text(**{k: v for k, v in ob.items() if isinstance(v, str)})
    contract = services.create_contract(data, access=access_of(request))
    return Status(201, services.contract_view(contract, as_of=_today()))


@router.get("", response={200: ContractPage, ERRORS: Error}, summary="合同列表（按权限范围）")
def list_contracts(
    request, state: ContractState | None = None, page: int = Query(1, ge=1, description="页码，从 1 开始")
):
    filters = ListFilter(state=state, page=page)
    qs = services.contracts_for(access_of(request)).order_by("-signed_on", "-id")
    if filters.state:
        qs = qs.filter(state=filters.state)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    items = [
        {
            "id": c.pk,
            "number": c.number,
            "title": c.title,
            "kind": c.kind,
            "government": c.government.name,
            "counterparty": c.counterparty.name,
            "signed_on": c.signed_on.isoformat(),
            "amount": str(c.amount),
            "state": c.state,
        }
        for c in rows
    ]
    return {"count": count, "items": items}


@router.get("/{int:contract_id}", response={200: ContractOut, ERRORS: Error}, summary="合同详情")
def get_contract(request, contract_id: ObjectId):
    contract = services.get_contract_for_user(access_of(request), contract_id)
    return services.contract_view(contract, as_of=_today())


@router.post(
    "/{int:contract_id}/obligations", response={201: ObligationOut, ERRORS: Error}, summary="新增合同义务"
)
def add_obligation(request, contract_id: ObjectId, payload: ObligationIn):
    access = access_of(request)
    contract = services.get_contract_for_user(access, contract_id)
    ob = services.add_obligation(contract, _payload(payload), access=access)
    return Status(201, services.obligation_view(ob, as_of=_today()))


@router.post(
    "/{int:contract_id}/obligations/{int:obligation_id}/events",
    response={200: ObligationOut, ERRORS: Error},
    summary="录入交付、验收或约定事件日期（重新计算履行期限）",
)
def obligation_event(request, contract_id: ObjectId, obligation_id: ObjectId, payload: EventIn):
    access = access_of(request)
    contract = services.get_contract_for_user(access, contract_id)
    ob = services.get_obligation_for_user(access, contract, obligation_id)
    ob = services.record_obligation_event(ob, _payload(payload), access=access)
    return services.obligation_view(ob, as_of=_today())


@router.post(
    "/{int:contract_id}/obligations/{int:obligation_id}/met",
    response={200: ObligationOut, ERRORS: Error},
    summary="确认非付款义务已履行",
)
def obligation_met(request, contract_id: ObjectId, obligation_id: ObjectId, payload: MetIn):
    access = access_of(request)
    contract = services.get_contract_for_user(access, contract_id)
    ob = services.get_obligation_for_user(access, contract, obligation_id)
    problems = services.Problems()
    on = services.parse_date(payload.on, "on", "履行日期", problems, required=True)
    problems.raise_if_any("履行日期有误")
    ob = services.mark_met(ob, on=on, access=access)
    return services.obligation_view(ob, as_of=_today())


@router.post(
    "/{int:contract_id}/obligations/{int:obligation_id}/payments",
    response={201: PaymentOut, ERRORS: Error},
    summary="登记付款（不得超过未付金额）",
)
def add_payment(request, contract_id: ObjectId, obligation_id: ObjectId, payload: PaymentIn):
    access = access_of(request)
    contract = services.get_contract_for_user(access, contract_id)
    ob = services.get_obligation_for_user(access, contract, obligation_id)
    payment = services.record_payment(ob, _payload(payload), access=access)
    ob.refresh_from_db()
    case = getattr(ob, "arrears_case", None) if hasattr(ob, "arrears_case") else None
    return Status(
        201,
        {
            "id": payment.pk,
            "paid_on": payment.paid_on.isoformat(),
            "amount": str(payment.amount),
            "voucher_no": payment.voucher_no,
            "obligation": services.obligation_view(ob, as_of=_today()),
            "arrears_case": {"id": case.pk, "code": case.code, "state": case.state} if case else None,
        },
    )


@router.post("/{int:contract_id}/changes", response={201: ChangeOut, ERRORS: Error}, summary="登记合同变更")
def add_change(request, contract_id: ObjectId, payload: ChangeIn):
    from govcredit.duties.models import Finding

    access = access_of(request)
    contract = services.get_contract_for_user(access, contract_id)
    change = services.record_change(contract, _payload(payload), access=access)
    contract.refresh_from_db()
    finding = Finding.objects.filter(module="contracts", rule="unlawful_change", object_id=change.pk).first()
    return Status(
        201,
        {
            "id": change.pk,
            "kind": change.kind,
            "lawful": change.lawful,
            "problems": change.problems,
            "contract_state": contract.state,
            "finding": {"id": finding.pk, "document_no": finding.document_no, "status": finding.status}
            if finding
            else None,
        },
    )


# -- arrears ---------------------------------------------------------------------------------------
@arrears_router.get("", response={200: CasePage, ERRORS: Error}, summary="清欠台账列表（按权限范围）")
def list_arrears(
    request, state: ArrearsState | None = None, page: int = Query(1, ge=1, description="页码，从 1 开始")
):
    filters = CaseFilter(state=state, page=page)
    from govcredit.contracts.dues import aging_bucket

    qs = services.arrears_for(access_of(request)).order_by("due_on", "id")
    if filters.state:
        qs = qs.filter(state=filters.state)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    today = _today()
    items = []
    for case in rows:
        interest, days = services.case_interest(case, today)
        items.append(
            {
                "id": case.pk,
                "code": case.code,
                "state": case.state,
                "debtor": case.debtor.name,
                "creditor": case.creditor.name,
                "outstanding": str(case.outstanding),
                "due_on": case.due_on.isoformat(),
                "days_overdue": days,
                "aging": aging_bucket(days),
                "interest": str(interest),
            }
        )
    return {"count": count, "items": items}


@arrears_router.get(
    "/{int:case_id}",
    response={200: ArrearsCaseOut, ERRORS: Error},
    summary="清欠台账详情（账龄、逾期利息、期限说明）",
)
def get_arrears(request, case_id: ObjectId):
    case = services.get_arrears_for_user(access_of(request), case_id)
    return services.case_view(case, as_of=_today())


@arrears_router.post(
    "/{int:case_id}/plan", response={200: ArrearsCaseOut, ERRORS: Error}, summary="制定还款计划"
)
def plan_arrears(request, case_id: ObjectId, payload: PlanIn):
    access = access_of(request)
    case = services.get_arrears_for_user(access, case_id)
    case = services.agree_plan(case, [i.dict() for i in payload.instalments], access=access)
    return services.case_view(case, as_of=_today())


@arrears_router.post(
    "/{int:case_id}/dispute", response={200: ArrearsCaseOut, ERRORS: Error}, summary="登记有争议部分"
)
def dispute_arrears(request, case_id: ObjectId, payload: DisputeIn):
    access = access_of(request)
    case = services.get_arrears_for_user(access, case_id)
    check_text(reason=payload.reason)
    case = services.dispute_case(case, amount=payload.disputed_amount, reason=payload.reason, access=access)
    return services.case_view(case, as_of=_today())


# -- public ----------------------------------------------------------------------------------------
class PublicContractFilter(Schema):
    counterparty: str | None = Field(None, max_length=18, description="相对方（企业）统一社会信用代码")
    government: str | None = Field(None, max_length=18, description="政府方统一社会信用代码")
    page: int = Field(1, ge=1)


class DisclosureRow(Schema):
    unit: str
    unit_uscc: str
    count: int
    amount: str


class DisclosureOut(Schema):
    year: int
    as_of: str
    due_by: str
    due_explain: str
    published_at: str
    on_time: bool
    version: int
    legal_basis: str
    units: list[DisclosureRow]
    total_count: int
    total_amount: str


class YearQuery(Schema):
    year: int = Field(..., ge=2000, le=2100)


@public_router.get(
    "/contracts", response={200: ContractPage, PUBLIC_ERRORS: Error}, summary="政府合同公开列表"
)
def public_contracts(
    request,
    counterparty: str | None = Query(None, max_length=18, description="相对方（企业）统一社会信用代码"),
    government: str | None = Query(None, max_length=18, description="政府方统一社会信用代码"),
    page: int = Query(1, ge=1, description="页码，从 1 开始"),
):
    filters = PublicContractFilter(counterparty=counterparty, government=government, page=page)
    qs = services.public_contracts()
    if filters.counterparty:
        qs = qs.filter(counterparty__uscc=filters.counterparty.strip().upper())
    if filters.government:
        qs = qs.filter(government__uscc=filters.government.strip().upper())
    count, rows = page_of(qs.order_by("-signed_on", "-id"), filters.page, PAGE_SIZE)
    items = [
        {
            "id": c.pk,
            "number": c.number,
            "title": c.title,
            "kind": c.kind,
            "government": c.government.name,
            "counterparty": c.counterparty.name,
            "signed_on": c.signed_on.isoformat(),
            "amount": None if c.amount_withheld else str(c.amount),
            "state": c.state,
        }
        for c in rows
    ]
    return {"count": count, "items": items}


@public_router.get(
    "/contracts/{int:contract_id}",
    response={200: ContractOut, PUBLIC_ERRORS: Error},
    summary="合同的法定付款期限（含计算说明）与应计逾期利息",
)
def public_contract(request, contract_id: ObjectId):
    contract = services.public_contracts().filter(pk=contract_id).first()
    if contract is None:
        return Status(404, {"detail": "合同不存在"})
    return services.contract_view(contract, as_of=_today(), public=True)


@public_router.get(
    "/arrears-disclosure",
    response={200: DisclosureOut, PUBLIC_ERRORS: Error},
    summary="逾期未支付中小企业款项的合同数量和金额（条例第十八条，年度公开）",
)
def arrears_disclosure(request, year: int = Query(..., ge=2000, le=2100, description="年度")):
    query = YearQuery(year=year)
    from govcredit.contracts import disclosure

    return disclosure.public_view(query.year)


# -- complaints (条例第二十五条) ---------------------------------------------------------------------
class ComplaintIn(Schema):
    complainant_uscc: StrictStr = Field(..., description="投诉企业统一社会信用代码")
    complainant_name: StrictStr = Field("", description="主体库中未登记的企业须填写名称")
    contact_name: StrictStr
    contact: StrictStr = Field(..., description="11位手机号码或电子邮箱（被投诉单位看不到）")
    respondent: StrictStr = Field(..., description="被投诉单位：名称、简称或统一社会信用代码")
    contract_number: StrictStr = ""
    amount: Money
    due_on: StrictStr | None = Field(None, description="约定付款日期 YYYY-MM-DD")
    description: StrictStr


class ComplaintFiled(Schema):
    tracking_code: str
    status: str
    forward_by: str
    decide_by: str


class ComplaintPublic(Schema):
    tracking_code: str
    status: str
    status_label: str
    respondent: str
    received_on: str
    forward_by: str
    decide_by: str
    forwarded_on: str | None
    decided_on: str | None
    outcome: str | None
    outcome_note: str


class ComplaintStaff(ComplaintPublic):
    id: int
    complainant: str
    complainant_uscc: str | None
    contract_number: str
    amount: str
    due_on: str | None
    description: str
    arrears_case: str | None
    contact_name: str | None = None
    contact_masked: str | None = None


class ComplaintPage(Schema):
    count: int
    items: list[ComplaintStaff]


class DecideIn(Schema):
    outcome: Literal["substantiated", "partly", "unsubstantiated", "not_accepted"]
    note: StrictStr


@public_router.post(
    "/arrears-complaints",
    response={201: ComplaintFiled, PUBLIC_ERRORS: Error},
    summary="企业投诉拖欠账款（10个工作日内转交，30日内办结）",
)
def file_complaint(request, payload: ComplaintIn):
    from govcredit.contracts import complaints

    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    c = complaints.file_complaint(data)
    return Status(
        201,
        {
            "tracking_code": c.tracking_code,
            "status": c.status,
            "forward_by": c.forward_by.isoformat(),
            "decide_by": c.decide_by.isoformat(),
        },
    )


@public_router.get(
    "/arrears-complaints/{tracking_code}",
    response={200: ComplaintPublic, PUBLIC_ERRORS: Error},
    summary="凭查询码查询投诉办理进度",
)
def complaint_status(request, tracking_code: str):
    from govcredit.contracts import complaints

    return complaints.public_view(tracking_code)


class ComplaintFilter(Schema):
    page: int = Field(1, ge=1)


@arrears_router.get(
    "/complaints", response={200: ComplaintPage, ERRORS: Error}, summary="拖欠账款投诉（按权限范围）"
)
def list_complaints(request, page: int = Query(1, ge=1, description="页码，从 1 开始")):
    filters = ComplaintFilter(page=page)
    from govcredit.contracts import complaints

    access = access_of(request)
    count, rows = page_of(
        complaints.complaints_for(access).order_by("-received_on", "-id"), filters.page, PAGE_SIZE
    )
    return {"count": count, "items": [complaints.staff_view(c, access) for c in rows]}


def _complaint(access, pk: int):
    from govcredit.contracts import complaints

    return complaints.get_complaint_for_user(access, pk)


@arrears_router.post(
    "/complaints/{int:complaint_id}/forward",
    response={200: ComplaintStaff, ERRORS: Error},
    summary="转交被投诉单位",
)
def forward_complaint(request, complaint_id: ObjectId):
    from govcredit.contracts import complaints

    access = access_of(request)
    c = complaints.forward(_complaint(access, complaint_id), access=access)
    return complaints.staff_view(c, access)


@arrears_router.post(
    "/complaints/{int:complaint_id}/decide", response={200: ComplaintStaff, ERRORS: Error}, summary="办结投诉"
)
def decide_complaint(request, complaint_id: ObjectId, payload: DecideIn):
    from govcredit.contracts import complaints

    access = access_of(request)
    check_text(note=payload.note)
    c = complaints.decide(
        _complaint(access, complaint_id), outcome=payload.outcome, note=payload.note, access=access
    )
    return complaints.staff_view(c, access)
