"""Objections, repair applications and case tracking (DESIGN §5). Thin: rules live in
``disputes.services``.

``public_router`` is mounted at /api/v1/public/ (no token); ``router`` at /api/v1/disputes/ (staff,
Bearer token, scoped like the back office).
"""

from __future__ import annotations

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt, StrictStr

from govcredit.core.calendar import office_calendar
from govcredit.core.errors import ValidationFailed
from govcredit.disputes import services
from govcredit.disputes.models import CaseKind, CaseStatus, Channel

from .auth import TokenAuth, access_of
from .common import page_of
from .schemas import Error

public_router = Router(tags=["异议与信用修复"])
router = Router(auth=TokenAuth(), tags=["异议与信用修复（工作人员）"])

ERRORS = frozenset({400, 404, 409, 422, 429})
PAGE_SIZE = 20


class ObjectionIn(Schema):
    record_id: StrictInt = Field(..., description="信用记录编号（公示记录页面上的编号）")
    reason: StrictStr = Field(..., description="异议理由，5–2000字")
    applicant: StrictStr = Field(..., description="申请人姓名或单位名称")
    contact: StrictStr = Field(..., description="11位手机号码或电子邮箱，用于接收办理通知")


class RepairIn(Schema):
    record_id: StrictInt
    measures_taken: StrictStr = Field(..., description="已采取的纠正措施：挽回损失、消除影响、防止危害扩大等")
    applicant: StrictStr
    contact: StrictStr
    obligations_fulfilled: StrictBool = Field(
        True, description="声明已全面履行处理决定确定的义务（通过接口提交即视为声明，可显式传 false 撤回）"
    )
    commitment_confirmed: StrictBool = Field(
        True, description="确认按模板生成的信用承诺书（文本与 SM3 摘要在应答中返回并留存）"
    )


class FiledOut(Schema):
    tracking_code: str
    deadline: str = Field(..., description="当前环节（受理）的办理期限，YYYY-MM-DD")
    deadline_estimated: bool = Field(..., description="期限涉及尚未录入节假日安排的年份，按周一至周五预估")
    status: str


class RepairFiledOut(FiledOut):
    commitment_text: str
    commitment_digest: str


class NotEligibleOut(Schema):
    detail: str
    earliest_date: str | None = Field(None, description="最早可申请日期（ISO）；无法确定时为 null")
    reasons: list[str]


class HistoryItem(Schema):
    at: str
    action: str
    label: str
    status: str
    note: str


class RecordRef(Schema):
    id: int
    document_no: str
    item: str
    source_unit: str


class CaseOut(Schema):
    kind: str
    status: str
    status_label: str
    deadline: str | None
    deadline_estimated: bool
    deadline_explain: str
    deadline_estimate_reason: str
    paused: bool
    outcome: str | None
    outcome_label: str | None
    received_on: str
    decided_on: str | None
    record: RecordRef
    history: list[HistoryItem]


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _filed(case) -> dict:
    """The FiledOut answer for a case just filed."""
    return {
        "tracking_code": case.tracking_code,
        "deadline": case.due_on.isoformat(),
        "deadline_estimated": case.due_estimated,
        "status": case.status,
    }


@public_router.post("/objections", response={201: FiledOut, ERRORS: Error}, summary="提出异议")
def file_objection(request, payload: ObjectionIn):
    case = services.file_objection(
        record_id=payload.record_id,
        applicant=payload.applicant,
        contact=payload.contact,
        reason=payload.reason,
        channel=Channel.API,
    )
    return Status(201, _filed(case))


@public_router.post(
    "/repairs",
    response={201: RepairFiledOut, 422: NotEligibleOut, frozenset({400, 404, 409, 429}): Error},
    summary="申请信用修复",
)
def file_repair(request, payload: RepairIn):
    try:
        case = services.file_repair(
            record_id=payload.record_id,
            applicant=payload.applicant,
            contact=payload.contact,
            measures_taken=payload.measures_taken,
            obligations_fulfilled=payload.obligations_fulfilled,
            commitment_confirmed=payload.commitment_confirmed,
            require_files=False,
            channel=Channel.API,
        )
    except services.NotEligible as exc:
        return Status(
            422,
            {
                "detail": exc.message,
                "earliest_date": exc.earliest.isoformat() if exc.earliest else None,
                "reasons": exc.reasons,
            },
        )
    except ValidationFailed as exc:
        messages = [m for ms in exc.field_errors.values() for m in ms]
        return Status(
            422, {"detail": "；".join(messages) or exc.message, "earliest_date": None, "reasons": messages}
        )
    return Status(
        201,
        {
            **_filed(case),
            "commitment_text": case.commitment_text,
            "commitment_digest": case.commitment_digest,
        },
    )


@public_router.get(
    "/cases/{tracking_code}", response={200: CaseOut, ERRORS: Error}, summary="凭查询码查询办理进度"
)
def get_case(request, tracking_code: str):
    case = services.lookup_case(tracking_code, ip=_ip(request))
    return services.public_view(case)


# -- staff ----------------------------------------------------------------------------------------


class StaffCase(Schema):
    id: int
    kind: str
    status: str
    record_id: int
    document_no: str
    source_unit: str
    received_on: str
    deadline: str | None
    deadline_estimated: bool
    due_state: str
    outcome: str | None


class StaffPage(Schema):
    count: int
    items: list[StaffCase]


class StaffFilter(Schema):
    kind: CaseKind | None = None
    status: CaseStatus | None = None
    page: int = Field(1, ge=1)


@router.get(
    "/cases", response={200: StaffPage, frozenset({401, 422}): Error}, summary="案件列表（按权限范围）"
)
def list_cases(request, filters: Query[StaffFilter]):
    qs = services.cases_for(access_of(request)).order_by("-received_at", "-id")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    cal = office_calendar()
    items = [
        {
            "id": c.pk,
            "kind": c.kind,
            "status": c.status,
            "record_id": c.record_id,
            "document_no": c.record.document_no,
            "source_unit": str(c.record.source_unit),
            "received_on": c.received_on.isoformat(),
            "deadline": c.due_on.isoformat() if c.due_on and c.is_open else None,
            "deadline_estimated": c.due_estimated,
            "due_state": services.due_state(c, cal=cal),
            "outcome": c.outcome or None,
        }
        for c in rows
    ]
    return {"count": count, "items": items}
