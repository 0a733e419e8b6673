"""Government debt API (policy （十六）): the public disclosure ``GET /api/v1/public/debt?year=Y`` and
the staff entry points of 区财政局. Thin: the rules live in ``govcredit.debt.services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from govcredit.debt import services
from govcredit.debt.models import DebtSnapshot
from govcredit.subjects.models import Subject

from .auth import TokenAuth, access_of
from .common import check_text
from .schemas import ERROR_CODES, Error, NoteIn, ObjectId, ReasonIn

public_router = Router(tags=["公开接口"])
router = Router(tags=["政府债务"], auth=TokenAuth())


class RepaymentOut(Schema):
    due_on: str
    principal: str
    interest: str


class BondOut(Schema):
    code: str
    name: str
    category: str
    category_label: str
    type: str
    type_label: str
    issue_date: str
    issued_in_year: bool
    amount: str
    rate: str
    term_years: int
    maturity: str
    schedule: list[RepaymentOut]
    use: str
    projects: str


class BandOut(Schema):
    level: str
    label: str
    colour: str
    lower: str
    upper: str | None
    legal_status: str
    source: str


class IndicatorOut(Schema):
    code: str
    name: str
    formula: str
    inputs: dict[str, str]
    value: str | None
    unit: str
    note: str
    band: BandOut | None


class WarningOut(Schema):
    indicator: str
    level: str
    message: str
    legal_status: str


class DebtOut(Schema):
    year: int
    version: int
    as_of: str
    published_at: str | None
    source_document: str
    limits: dict[str, str]
    balances: dict[str, str]
    capacity: dict[str, str]
    debt_service: str
    overdue: str
    plan: dict[str, str]
    indicators: list[IndicatorOut]
    warnings: list[WarningOut]
    bonds: list[BondOut]
    digest: str


class YearsOut(Schema):
    years: list[int]


@public_router.get(
    "/debt",
    response={200: DebtOut, frozenset({404, 422}): Error},
    summary="政府债务公开信息",
    description=(
        "某年度已公开的政府债务信息（经复核后公开的现行版本）：限额与余额、综合财力、债务指标（公式、输入、"
        "预警区间及其法律地位）、每只债券的金额、类型、利率、期限、还本付息计划和用途。未公开的年度 404。"
    ),
)
def public_debt(request, year: int):
    if not 2000 <= year <= 2100:
        return Status(422, {"detail": "year 应为 2000–2100 之间的年度"})
    disclosure = services.current_disclosure(year)
    if disclosure is None:
        return Status(404, {"detail": f"{year}年政府债务信息尚未公开"})
    return {**disclosure.payload, "digest": disclosure.digest}


@public_router.get("/debt/years", response={200: YearsOut}, summary="已公开政府债务信息的年度")
def public_debt_years(request):
    return {"years": services.published_years()}


class LimitIn(Schema):
    year: int
    category: str
    amount: str | float | int
    document: str = ""


class IdOut(Schema):
    id: int


class StatusOut(Schema):
    id: int
    status: str


class ScheduleIn(Schema):
    due_on: str
    principal: str | float | int
    interest: str | float | int


class BondIn(Schema):
    code: str
    name: str
    category: str
    bond_type: str
    issue_date: str
    amount: str | float | int
    rate: str | float | int
    term_years: int
    maturity: str = ""
    use: str
    projects: str = ""
    schedule: list[ScheduleIn]


class SnapshotIn(Schema):
    year: int
    as_of: str
    general_balance: str | float | int
    special_balance: str | float | int
    capacity_general: str | float | int
    capacity_fund: str | float | int
    capacity_state_capital: str | float | int = "0"
    debt_service: str | float | int
    overdue: str | float | int = "0"
    plan_borrowing: str | float | int = "0"
    plan_principal: str | float | int = "0"
    plan_interest: str | float | int = "0"
    source_document: str = ""


class SnapshotOut(Schema):
    id: int
    year: int
    as_of: dt.date
    status: str
    indicators: list[IndicatorOut]


class BorrowingCaseIn(Schema):
    unit: str
    kind: str
    amount: str | float | int
    facts: str
    document_no: str
    decided_on: str
    decided_by: str


class BorrowingCaseOut(Schema):
    id: int
    finding_id: ObjectId
    document_no: str
    record_id: ObjectId | None


def _snapshot_out(snapshot: DebtSnapshot) -> dict[str, Any]:
    return {
        "id": snapshot.pk,
        "year": snapshot.year,
        "as_of": snapshot.as_of,
        "status": snapshot.status,
        "indicators": [i.as_dict() for i in services.indicators(snapshot)],
    }


def _visible_snapshot(request, pk: int) -> DebtSnapshot:
    services._require(access_of(request))
    return get_object_or_404(DebtSnapshot, pk=pk)


@router.post("/limits", response={201: IdOut, ERROR_CODES: Error}, summary="登记或修改债务限额")
def set_limit(request, payload: LimitIn):
    check_text(document=payload.document)
    limit = services.set_limit(payload.dict(), access=access_of(request))
    return Status(201, {"id": limit.pk})


@router.post("/bonds", response={201: IdOut, ERROR_CODES: Error}, summary="登记政府债券及还本付息计划")
def register_bond(request, payload: BondIn):
    data = payload.dict()
    check_text(code=data["code"], name=data["name"], use=data["use"], projects=data["projects"])
    bond = services.register_bond(data, access=access_of(request))
    return Status(201, {"id": bond.pk})


@router.post("/snapshots", response={201: SnapshotOut, ERROR_CODES: Error}, summary="录入债务数据（草稿）")
def create_snapshot(request, payload: SnapshotIn):
    check_text(source_document=payload.source_document)
    snapshot = services.create_snapshot(payload.dict(), access=access_of(request))
    return Status(201, _snapshot_out(snapshot))


@router.get("/snapshots/{pk}", response={200: SnapshotOut, ERROR_CODES: Error}, summary="债务数据及指标")
def get_snapshot(request, pk: ObjectId):
    return _snapshot_out(_visible_snapshot(request, pk))


@router.post("/snapshots/{pk}/submit", response={200: StatusOut, ERROR_CODES: Error}, summary="提交复核")
def submit_snapshot(request, pk: ObjectId):
    snapshot = services.submit_snapshot(_visible_snapshot(request, pk), access=access_of(request))
    return {"id": snapshot.pk, "status": snapshot.status}


@router.post(
    "/snapshots/{pk}/approve",
    response={200: StatusOut, ERROR_CODES: Error},
    summary="复核通过并公开",
    description="须由录入人以外的另一人复核（四眼原则）；公开时计算预警并写入公开日志（disclosure ledger）。",
)
def approve_snapshot(request, pk: ObjectId, payload: NoteIn):
    check_text(note=payload.note or "")
    snapshot = _visible_snapshot(request, pk)
    services.approve_snapshot(snapshot, access=access_of(request), note=payload.note or "")
    snapshot.refresh_from_db()
    return {"id": snapshot.pk, "status": snapshot.status}


@router.post("/snapshots/{pk}/return", response={200: StatusOut, ERROR_CODES: Error}, summary="退回修改")
def return_snapshot(request, pk: ObjectId, payload: ReasonIn):
    check_text(reason=payload.reason)
    snapshot = services.return_snapshot(
        _visible_snapshot(request, pk), reason=payload.reason, access=access_of(request)
    )
    return {"id": snapshot.pk, "status": snapshot.status}


@router.post(
    "/borrowing-cases",
    response={201: BorrowingCaseOut, ERROR_CODES: Error},
    summary="登记违法违规举债或担保",
    description="生成失信线索（目录事项 illegal_borrowing，文书号前缀 DEBT-）并提交审核；公示后按规则移送追究主要负责人责任。",
)
def borrowing_case(request, payload: BorrowingCaseIn):
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    unit = (
        Subject.objects.filter(uscc=data["unit"].strip().upper()).first()
        or Subject.objects.filter(name=data["unit"].strip()).first()
    )
    data["unit"] = unit
    case, finding = services.record_borrowing_case(data, access=access_of(request))
    return Status(
        201,
        {
            "id": case.pk,
            "finding_id": finding.pk,
            "document_no": finding.document_no,
            "record_id": finding.record_id,
        },
    )
