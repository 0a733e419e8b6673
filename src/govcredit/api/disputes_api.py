"""Objections, repair applications and case tracking (DESIGN §5). Thin: rules live in
``disputes.services``.

``public_router`` is mounted at /api/v1/public/ (no token); ``router`` at /api/v1/disputes/ (staff,
Bearer token, scoped like the back office).
"""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr

from govcredit.core.calendar import office_calendar
from govcredit.core.errors import ValidationFailed
from govcredit.disputes import services
from govcredit.disputes.models import RUNNING_STATUSES, CaseKind, CaseStatus, Channel, Outcome
from govcredit.records.models import Status as RecordStatus

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import ERROR_CODES, Error, ObjectId

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
    # 422: not eligible (NotEligibleOut, with reasons and the earliest date) or a request whose shape
    # is wrong (Error, as on every operation: e.g. a missing body).
    response={201: RepairFiledOut, 422: NotEligibleOut | Error, frozenset({400, 404, 409, 429}): Error},
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


@router.get("/cases", response={200: StaffPage, ERROR_CODES: Error}, summary="案件列表（按权限范围）")
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


# -- staff case workflow (the back office's buttons, DESIGN §5) ------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class CaseNoteIn(_Strict):
    note: StrictStr = Field("", max_length=2000, description="办理意见（可选）")


class CaseReturnIn(_Strict):
    reason: StrictStr = Field(..., description="需补正的材料及理由（必填）")


class CaseResumeIn(_Strict):
    answer: StrictStr = Field(..., description="申请人补正情况（必填）")


class CorrectionsIn(_Strict):
    facts: StrictStr | None = Field(None, description="更正后的失信事实")
    severity: StrictStr | None = Field(None, description="更正后的严重程度：一般 / 较重 / 严重")
    decided_on: StrictStr | None = Field(
        None, description="更正后的决定日期：2024-03-05、2024/3/5 或 2024年3月5日"
    )
    decided_by: StrictStr | None = Field(None, description="更正后的决定机关")
    outcome: StrictStr | None = Field(None, description="更正后的处理结果")


class CaseDecideIn(_Strict):
    outcome: Literal[tuple(Outcome.values)] = Field(
        ...,
        description=(
            "异议：upheld 维持原记录 / corrected 更正记录 / revoked 撤销记录；信用修复：approved 准予修复 / "
            "denied 不予修复；待受理的案件还可 not_accepted 不予受理"
        ),
    )
    reason: StrictStr = Field(..., description="决定理由（必填）")
    corrections: CorrectionsIn | None = Field(None, description="outcome 为 corrected 时必填至少一项")


class CaseActionOut(Schema):
    id: int
    status: Literal[tuple(CaseStatus.values)]
    kind: Literal[tuple(CaseKind.values)]
    outcome: str | None = Field(None, description="办理结果（办结后）")
    deadline: str | None = Field(None, description="当前环节的办理期限 YYYY-MM-DD（办结或暂停时为 null）")
    record_id: int
    record_status: Literal[tuple(RecordStatus.values)] = Field(
        ..., description="记录状态：受理异议后为 under_objection（异议处理中）"
    )


def _case(request, case_id: int):
    """The case within the caller's scope (404 outside it, as in the back office)."""
    return services.get_case_for_user(access_of(request), case_id)


def _action_out(case) -> dict:
    case.record.refresh_from_db(fields=["status"])
    return {
        "id": case.pk,
        "status": case.status,
        "kind": case.kind,
        "outcome": case.outcome or None,
        "deadline": case.due_on.isoformat() if case.due_on and case.status in RUNNING_STATUSES else None,
        "record_id": case.record_id,
        "record_status": case.record.status,
    }


RIGHTS = "报送该记录的单位的经办人或信用办工作人员（信用办、审核人员）可办理；其他可查看该案件的用户 403，看不到的案件 404。"


@router.post(
    "/cases/{case_id}/accept",
    response={200: CaseActionOut, ERROR_CODES: Error},
    summary="受理",
    description="待受理（received）→ 已受理（accepted）；受理异议时记录标注“异议处理中”（under_objection）。"
    + RIGHTS,
)
def accept_case(request, case_id: ObjectId, payload: CaseNoteIn | None = None):
    case = _case(request, case_id)
    note = payload.note if payload else ""
    check_text(note=note)
    return _action_out(services.accept_case(case, access=access_of(request), note=note))


@router.post(
    "/cases/{case_id}/forward",
    response={200: CaseActionOut, ERROR_CODES: Error},
    summary="转交核查",
    description="已受理（accepted）→ 核查中（verifying），转交报送单位核查，决定期限开始计算。" + RIGHTS,
)
def forward_case(request, case_id: ObjectId, payload: CaseNoteIn | None = None):
    case = _case(request, case_id)
    note = payload.note if payload else ""
    check_text(note=note)
    return _action_out(services.forward_case(case, access=access_of(request), note=note))


@router.post(
    "/cases/{case_id}/return",
    response={200: CaseActionOut, ERROR_CODES: Error},
    summary="退回补正",
    description="未办结且未暂停的案件 → 退回补正（returned），计时暂停，通知申请人补正材料。" + RIGHTS,
)
def return_case(request, case_id: ObjectId, payload: CaseReturnIn):
    case = _case(request, case_id)
    check_text(reason=payload.reason)
    return _action_out(services.return_case(case, access=access_of(request), request=payload.reason))


@router.post(
    "/cases/{case_id}/resume",
    response={200: CaseActionOut, ERROR_CODES: Error},
    summary="登记补正并恢复计时",
    description="退回补正（returned）的案件登记申请人的补正情况，恢复到退回前的环节，期限按暂停的工作日顺延。"
    + RIGHTS,
)
def resume_case(request, case_id: ObjectId, payload: CaseResumeIn):
    case = _case(request, case_id)
    check_text(answer=payload.answer)
    return _action_out(services.resume_case(case, access=access_of(request), answer=payload.answer))


@router.post(
    "/cases/{case_id}/decide",
    response={200: CaseActionOut, ERROR_CODES: Error},
    summary="作出决定",
    description=(
        "已受理或核查中的案件办结（decided），结果同时作用于记录：撤销、更正（恢复公示）、维持（恢复公示）、"
        "准予修复；outcome=not_accepted 对待受理的案件作出不予受理。" + RIGHTS
    ),
)
def decide_case(request, case_id: ObjectId, payload: CaseDecideIn):
    case = _case(request, case_id)
    access = access_of(request)
    corrections = payload.corrections.model_dump(exclude_none=True) if payload.corrections else {}
    check_text(reason=payload.reason, **{k: v for k, v in corrections.items() if isinstance(v, str)})
    if payload.outcome == Outcome.NOT_ACCEPTED:
        if corrections:
            raise ValidationFailed(
                "不予受理不更正记录", field_errors={"corrections": ["不予受理时不应填写更正内容"]}
            )
        return _action_out(services.refuse_case(case, access=access, reason=payload.reason))
    decided = services.decide_case(
        case, access=access, outcome=payload.outcome, reason=payload.reason, corrections=corrections
    )
    return _action_out(decided)
