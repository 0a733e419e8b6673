"""Multi-party supervision (WAVE2 §7–§8): complaints and reports, NPC suggestions and CPPCC proposals,
typical cases, monthly statistics. Thin: the rules live in ``govcredit.supervision``.

``router`` is mounted at /api/v1/supervision/ (staff, Bearer token, scoped in the services);
``public_router`` at /api/v1/public/ (filing and tracking complaints, published typical cases).
"""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictStr

from govcredit.supervision import cases, complaints, motions, stats
from govcredit.supervision.models import CaseKind, CaseStatus, ComplaintStatus, MotionStatus

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import Error, NoteIn, ObjectId, ReasonIn

router = Router(auth=TokenAuth(), tags=["多方监督"])
public_router = Router(tags=["多方监督（公开）"])

ERRORS = frozenset({400, 401, 403, 404, 409, 422})
PUBLIC_ERRORS = frozenset({400, 404, 422})
PAGE_SIZE = 20


def _strings(payload: Schema) -> dict:
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    return data


# -- public: complaints ---------------------------------------------------------------------------
class SupComplaintIn(Schema):
    kind: Literal["complaint", "report"] = Field(
        "complaint", description="complaint 投诉；report 举报（可匿名）"
    )
    category: StrictStr = Field(..., description="类别代码或名称，如 integrity、hotline、petition")
    respondent: StrictStr = Field(..., description="被投诉单位：简称、名称或统一社会信用代码")
    content: StrictStr = Field(..., description="反映内容（至少10个字）")
    name: StrictStr = Field("", description="姓名（匿名举报可不填；被投诉单位看不到）")
    contact: StrictStr = Field("", description="11位手机号码或电子邮箱（匿名举报可不填；被投诉单位看不到）")
    anonymous: StrictBool = False


class SupComplaintFiled(Schema):
    tracking_code: str
    deadline: str


class SupStep(Schema):
    step: str
    label: str
    status: str
    on: str
    note: str


class SupComplaintPublic(Schema):
    tracking_code: str
    kind: str
    kind_label: str
    category: str
    status: str
    status_label: str
    respondent: str
    received_on: str
    deadline: str
    not_accepted_reason: str | None
    reply: str | None
    replied_on: str | None
    satisfaction: str | None
    history: list[SupStep]


@public_router.post(
    "/complaints",
    response={201: SupComplaintFiled, PUBLIC_ERRORS: Error},
    summary="投诉举报政务失信（举报可匿名），返回查询码和办理期限",
)
def file_complaint(request, payload: SupComplaintIn):
    c = complaints.file_complaint(_strings(payload))
    return Status(201, {"tracking_code": c.tracking_code, "deadline": c.deadline.isoformat()})


@public_router.get(
    "/complaints/{tracking_code}",
    response={200: SupComplaintPublic, PUBLIC_ERRORS: Error},
    summary="凭查询码查询投诉举报办理进度",
)
def complaint_progress(request, tracking_code: str):
    return complaints.public_view(tracking_code)


# -- public: typical cases ------------------------------------------------------------------------
class SupCaseSummary(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    domain: str
    domain_label: str
    published_at: str | None
    unpublish_on: str | None
    unit: str


class SupCaseRecord(Schema):
    id: int
    document_no: str
    item: str
    subject: str


class SupCaseDetail(SupCaseSummary):
    facts: str
    handling: str
    lessons: str
    records: list[SupCaseRecord]


class SupCasePage(Schema):
    count: int
    items: list[SupCaseSummary]


class SupPublicCaseFilter(Schema):
    kind: Literal["trust", "dishonest"] | None = Field(None, description="trust 守信典型；dishonest 失信典型")
    page: int = Field(1, ge=1, description="页码，从 1 开始")


@public_router.get(
    "/typical-cases", response={200: SupCasePage, PUBLIC_ERRORS: Error}, summary="已发布的守信、失信典型案例"
)
def public_typical_cases(request, filters: Query[SupPublicCaseFilter]):
    qs = cases.public_cases()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    return {"count": count, "items": [cases.public_view(c) for c in rows]}


@public_router.get(
    "/typical-cases/{int:case_id}",
    response={200: SupCaseDetail, PUBLIC_ERRORS: Error},
    summary="典型案例全文",
)
def public_typical_case(request, case_id: ObjectId):
    from govcredit.core.errors import NotFound

    case = cases.public_cases().filter(pk=case_id).first()
    if case is None:
        raise NotFound("典型案例不存在或已撤下")
    return cases.public_view(case, full=True)


# -- staff: complaints ----------------------------------------------------------------------------
class SupComplaintStaff(Schema):
    id: int
    tracking_code: str
    kind: str
    channel: str
    external_no: str | None
    category: str
    category_label: str
    respondent: str
    content: str
    status: str
    received_on: str
    deadline: str
    overdue: bool
    assigned_unit: str | None
    assigned_on: str | None
    reply: str | None
    replied_on: str | None
    replied_late: bool
    satisfaction: str | None
    substantiated: bool
    finding_id: int | None
    rework_count: int
    anonymous: bool | None = Field(None, description="仅信用办可见")
    complainant_masked: str | None = Field(None, description="仅信用办可见（脱敏）")
    contact_masked: str | None = Field(None, description="仅信用办可见（脱敏）")


class SupComplaintPage(Schema):
    count: int
    items: list[SupComplaintStaff]


class SupComplaintFilter(Schema):
    status: Literal[tuple(ComplaintStatus.values)] | None = None  # type: ignore[valid-type]
    category: str | None = Field(None, max_length=40, description="类别代码")
    kind: Literal["complaint", "report"] | None = None
    overdue: bool | None = Field(None, description="true：未答复且已过期限")
    page: int = Field(1, ge=1, description="页码，从 1 开始")


class SupAssignIn(Schema):
    unit: StrictStr | None = Field(None, description="承办单位，省略时为被投诉单位")
    note: StrictStr | None = None


class SupReplyIn(Schema):
    reply: StrictStr
    substantiated: StrictBool = False


class SupVisitIn(Schema):
    satisfaction: Literal["satisfied", "basic", "unsatisfied"]
    note: StrictStr | None = None


class SupReworkIn(Schema):
    reason: StrictStr
    unit: StrictStr | None = Field(None, description="改派的单位；省略时原承办单位重新办理")


class SupSubstantiateIn(Schema):
    item: Literal["broken_commitment", "arrears", "contract_breach"]
    severity: Literal["general", "major", "serious", "一般", "较重", "严重"] = "general"
    facts: StrictStr | None = None


class SupFindingOut(Schema):
    id: int
    document_no: str
    status: str
    record_id: int | None
    problem: str


def _complaint(request, pk: int):
    access = access_of(request)
    return access, complaints.get_complaint(access, pk)


@router.get("/complaints", response={200: SupComplaintPage, ERRORS: Error}, summary="投诉举报（按权限范围）")
def list_complaints(request, filters: Query[SupComplaintFilter]):
    access = access_of(request)
    qs = complaints.complaints_for(access)
    if filters.overdue:
        qs = complaints.overdue(access)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    return {"count": count, "items": [complaints.staff_view(c, access) for c in rows]}


@router.get(
    "/complaints/{int:complaint_id}", response={200: SupComplaintStaff, ERRORS: Error}, summary="投诉举报详情"
)
def get_complaint(request, complaint_id: ObjectId):
    access, c = _complaint(request, complaint_id)
    return complaints.staff_view(c, access)


@router.post(
    "/complaints/{int:complaint_id}/accept", response={200: SupComplaintStaff, ERRORS: Error}, summary="受理"
)
def accept_complaint(request, complaint_id: ObjectId, payload: NoteIn):
    access, c = _complaint(request, complaint_id)
    check_text(note=payload.note)
    return complaints.staff_view(complaints.accept(c, access=access, note=payload.note or ""), access)


@router.post(
    "/complaints/{int:complaint_id}/not-accept",
    response={200: SupComplaintStaff, ERRORS: Error},
    summary="不予受理（须说明理由）",
)
def not_accept_complaint(request, complaint_id: ObjectId, payload: ReasonIn):
    access, c = _complaint(request, complaint_id)
    check_text(reason=payload.reason)
    return complaints.staff_view(complaints.not_accept(c, access=access, reason=payload.reason), access)


@router.post(
    "/complaints/{int:complaint_id}/assign",
    response={200: SupComplaintStaff, ERRORS: Error},
    summary="交办承办单位",
)
def assign_complaint(request, complaint_id: ObjectId, payload: SupAssignIn):
    access, c = _complaint(request, complaint_id)
    data = _strings(payload)
    return complaints.staff_view(
        complaints.assign(c, access=access, unit=data["unit"], note=data["note"] or ""), access
    )


@router.post(
    "/complaints/{int:complaint_id}/reply",
    response={200: SupComplaintStaff, ERRORS: Error},
    summary="承办单位答复",
)
def reply_complaint(request, complaint_id: ObjectId, payload: SupReplyIn):
    access, c = _complaint(request, complaint_id)
    data = _strings(payload)
    c = complaints.reply(c, access=access, text_=data["reply"], substantiated=data["substantiated"])
    return complaints.staff_view(c, access)


@router.post(
    "/complaints/{int:complaint_id}/visit",
    response={200: SupComplaintStaff, ERRORS: Error},
    summary="回访（满意度）",
)
def visit_complaint(request, complaint_id: ObjectId, payload: SupVisitIn):
    access, c = _complaint(request, complaint_id)
    data = _strings(payload)
    c = complaints.visit(c, access=access, satisfaction=data["satisfaction"], note=data["note"] or "")
    return complaints.staff_view(c, access)


@router.post(
    "/complaints/{int:complaint_id}/close", response={200: SupComplaintStaff, ERRORS: Error}, summary="办结"
)
def close_complaint(request, complaint_id: ObjectId, payload: NoteIn):
    access, c = _complaint(request, complaint_id)
    check_text(note=payload.note)
    return complaints.staff_view(complaints.close(c, access=access, note=payload.note or ""), access)


@router.post(
    "/complaints/{int:complaint_id}/rework",
    response={200: SupComplaintStaff, ERRORS: Error},
    summary="重新办理或改派",
)
def rework_complaint(request, complaint_id: ObjectId, payload: SupReworkIn):
    access, c = _complaint(request, complaint_id)
    data = _strings(payload)
    return complaints.staff_view(
        complaints.rework(c, access=access, reason=data["reason"], unit=data["unit"]), access
    )


@router.post(
    "/complaints/{int:complaint_id}/substantiate",
    response={200: SupFindingOut, ERRORS: Error},
    summary="认定查实：提出失信线索（记录进入信用办审核）",
)
def substantiate_complaint(request, complaint_id: ObjectId, payload: SupSubstantiateIn):
    access, c = _complaint(request, complaint_id)
    data = _strings(payload)
    f = complaints.substantiate(
        c, access=access, item=data["item"], severity=data["severity"], facts=data["facts"] or ""
    )
    return {
        "id": f.pk,
        "document_no": f.document_no,
        "status": f.status,
        "record_id": f.record_id,
        "problem": f.problem,
    }


# -- staff: motions -------------------------------------------------------------------------------
class SupMotionIn(Schema):
    kind: Literal["npc", "cppcc"]
    number: StrictStr
    session: StrictStr = Field(..., description="届次会议，如 区十九届人大四次会议")
    title: StrictStr
    content: StrictStr = ""
    proposers: StrictStr
    lead_unit: StrictStr
    co_units: list[StrictStr] = Field(default_factory=list, max_length=20)
    assigned_on: StrictStr = Field(..., description="交办日期 YYYY-MM-DD")
    complex: StrictBool = False
    key_supervised: StrictBool = False


class SupMotionOut(Schema):
    id: int
    kind: str
    number: str
    session: str
    title: str
    proposers: str
    lead_unit: str
    co_units: list[str]
    assigned_on: str
    complex: bool
    key_supervised: bool
    deadline: str
    status: str
    cycle: int
    overdue: bool
    answer_type: str | None
    answer: str | None
    answered_on: str | None
    promise_due_on: str | None
    feedback: str | None


class SupMotionPage(Schema):
    count: int
    items: list[SupMotionOut]


class SupMotionFilter(Schema):
    kind: Literal["npc", "cppcc"] | None = None
    status: Literal[tuple(MotionStatus.values)] | None = None  # type: ignore[valid-type]
    overdue: bool | None = None
    page: int = Field(1, ge=1, description="页码，从 1 开始")


class SupAnswerIn(Schema):
    answer_type: Literal["solved", "planned", "unable", "invalid"]
    text: StrictStr
    signer: StrictStr
    promise_due_on: StrictStr | None = Field(None, description="列入计划解决的，计划解决日期 YYYY-MM-DD")


class SupFeedbackIn(Schema):
    feedback: Literal["satisfied", "basic", "unsatisfied"]
    note: StrictStr | None = None


class SupOpinionIn(Schema):
    text: StrictStr


@router.get("/motions", response={200: SupMotionPage, ERRORS: Error}, summary="建议提案（按权限范围）")
def list_motions(request, filters: Query[SupMotionFilter]):
    from django.utils import timezone

    access = access_of(request)
    qs = motions.motions_for(access)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(status__in=("assigned", "reopened"), deadline__lt=timezone.localdate())
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    return {"count": count, "items": [motions.view(m) for m in rows]}


@router.post("/motions", response={201: SupMotionOut, ERRORS: Error}, summary="登记并交办建议提案")
def create_motion(request, payload: SupMotionIn):
    data = _strings(payload)
    check_text(co_units=" ".join(data["co_units"]))
    return Status(201, motions.view(motions.create_motion(data, access=access_of(request))))


@router.get("/motions/{int:motion_id}", response={200: SupMotionOut, ERRORS: Error}, summary="建议提案详情")
def get_motion(request, motion_id: ObjectId):
    return motions.view(motions.get_motion(access_of(request), motion_id))


@router.post(
    "/motions/{int:motion_id}/answer", response={200: SupMotionOut, ERRORS: Error}, summary="主办单位答复"
)
def answer_motion(request, motion_id: ObjectId, payload: SupAnswerIn):
    access = access_of(request)
    m = motions.answer(motions.get_motion(access, motion_id), access=access, data=_strings(payload))
    return motions.view(m)


@router.post(
    "/motions/{int:motion_id}/feedback",
    response={200: SupMotionOut, ERRORS: Error},
    summary="代表委员意见（不满意则重新办理）",
)
def motion_feedback(request, motion_id: ObjectId, payload: SupFeedbackIn):
    access = access_of(request)
    data = _strings(payload)
    m = motions.feedback(
        motions.get_motion(access, motion_id), access=access, value=data["feedback"], note=data["note"] or ""
    )
    return motions.view(m)


@router.post(
    "/motions/{int:motion_id}/opinion",
    response={200: SupMotionOut, ERRORS: Error},
    summary="协办单位提交意见",
)
def motion_opinion(request, motion_id: ObjectId, payload: SupOpinionIn):
    access = access_of(request)
    m = motions.get_motion(access, motion_id)
    motions.add_opinion(m, access=access, text_=_strings(payload)["text"])
    return motions.view(m)


# -- staff: typical cases -------------------------------------------------------------------------
class SupCaseIn(Schema):
    kind: Literal["trust", "dishonest"]
    domain: Literal[
        "procurement", "ppp", "bidding", "investment", "environment", "debt", "towns", "other"
    ] = "other"
    title: StrictStr
    facts: StrictStr
    handling: StrictStr
    lessons: StrictStr = ""
    record_ids: list[ObjectId] = Field(..., max_length=50, description="关联的已公示信用记录编号")


class SupCaseStaff(Schema):
    id: int
    title: str
    kind: str
    domain: str
    status: str
    drafting_unit: str
    record_ids: list[int]
    return_reason: str
    published_at: str | None
    unpublish_on: str | None
    withdraw_reason: str


class SupCaseStaffPage(Schema):
    count: int
    items: list[SupCaseStaff]


class SupCaseFilter(Schema):
    kind: Literal[tuple(CaseKind.values)] | None = None  # type: ignore[valid-type]
    status: Literal[tuple(CaseStatus.values)] | None = None  # type: ignore[valid-type]
    page: int = Field(1, ge=1, description="页码，从 1 开始")


def _case_view(c) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "domain": c.domain,
        "status": c.status,
        "drafting_unit": c.drafting_unit.name,
        "record_ids": sorted(c.records.values_list("pk", flat=True)),
        "return_reason": c.return_reason,
        "published_at": c.published_at.isoformat() if c.published_at else None,
        "unpublish_on": c.unpublish_on.isoformat() if c.unpublish_on else None,
        "withdraw_reason": c.withdraw_reason,
    }


@router.get(
    "/typical-cases", response={200: SupCaseStaffPage, ERRORS: Error}, summary="典型案例（按权限范围）"
)
def list_cases(request, filters: Query[SupCaseFilter]):
    qs = cases.cases_for(access_of(request)).order_by("-created_at", "-pk")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    return {"count": count, "items": [_case_view(c) for c in rows]}


@router.post("/typical-cases", response={201: SupCaseStaff, ERRORS: Error}, summary="起草典型案例")
def draft_case(request, payload: SupCaseIn):
    return Status(201, _case_view(cases.draft_case(_strings(payload), access=access_of(request))))


@router.get(
    "/typical-cases/{int:case_id}", response={200: SupCaseStaff, ERRORS: Error}, summary="典型案例详情"
)
def get_case(request, case_id: ObjectId):
    return _case_view(cases.get_case(access_of(request), case_id))


@router.post(
    "/typical-cases/{int:case_id}/submit", response={200: SupCaseStaff, ERRORS: Error}, summary="提交审核"
)
def submit_case(request, case_id: ObjectId):
    access = access_of(request)
    return _case_view(cases.submit_case(cases.get_case(access, case_id), access=access))


@router.post(
    "/typical-cases/{int:case_id}/approve",
    response={200: SupCaseStaff, ERRORS: Error},
    summary="审核通过（信用办，再由区委宣传部审核发布）",
)
def approve_case(request, case_id: ObjectId):
    access = access_of(request)
    return _case_view(cases.approve_case(cases.get_case(access, case_id), access=access))


@router.post(
    "/typical-cases/{int:case_id}/return", response={200: SupCaseStaff, ERRORS: Error}, summary="退回修改"
)
def return_case(request, case_id: ObjectId, payload: ReasonIn):
    access = access_of(request)
    check_text(reason=payload.reason)
    return _case_view(
        cases.return_case(cases.get_case(access, case_id), access=access, reason=payload.reason)
    )


@router.post(
    "/typical-cases/{int:case_id}/withdraw",
    response={200: SupCaseStaff, ERRORS: Error},
    summary="撤下已发布案例",
)
def withdraw_case(request, case_id: ObjectId, payload: ReasonIn):
    access = access_of(request)
    check_text(reason=payload.reason)
    return _case_view(
        cases.withdraw_case(cases.get_case(access, case_id), access=access, reason=payload.reason)
    )


# -- staff: statistics ----------------------------------------------------------------------------
class SupUnitStats(Schema):
    unit: str
    received: int
    replied: int
    on_time: int
    late: int
    overdue: int
    visited: int
    satisfied: int
    basic: int
    unsatisfied: int
    on_time_rate: float | None
    satisfaction_rate: float | None


class SupMotionStats(Schema):
    unit: str
    answered: int
    late: int
    overdue: int


class SupStatsOut(Schema):
    month: str
    units: list[SupUnitStats]
    motions: list[SupMotionStats]
    totals: dict[str, int]


class SupStatsFilter(Schema):
    month: str | None = Field(None, max_length=7, description="月份 YYYY-MM，默认本月")


@router.get("/statistics", response={200: SupStatsOut, ERRORS: Error}, summary="各单位月度办理统计")
def statistics(request, filters: Query[SupStatsFilter]):
    return stats.monthly(access_of(request), filters.month)
