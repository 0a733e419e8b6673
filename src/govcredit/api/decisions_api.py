"""Major administrative decisions (WAVE2 §10, §14 D): the catalog, each decision's steps and gates, the
procedure list, publication. Thin: the rules live in ``decisions.services``. ``router`` at
/api/v1/decisions (staff), ``public_router`` at /api/v1/public/ (consultations and comments)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt, StrictStr

from govcredit.decisions import services
from govcredit.decisions.models import Decision
from govcredit.decisions.models import Status as DecisionStatus

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import Error, ObjectId

router = Router(auth=TokenAuth(), tags=["重大行政决策"])
public_router = Router(tags=["重大行政决策（公开）"])

ERRORS = frozenset({400, 401, 403, 404, 409, 422})
PUBLIC_ERRORS = frozenset({400, 404, 409, 422})
PAGE_SIZE = 20
CategoryName = Literal["policy", "planning", "resources", "project", "other"]


def _data(payload: Schema) -> dict:
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    return data


class DecisionCatalogIn(Schema):
    year: StrictInt = Field(..., ge=2000, le=2100)
    title: StrictStr
    category: CategoryName
    decision_body: StrictStr = Field("区政府", description="决策机关：统一社会信用代码、登记名称或简称")
    unit: StrictStr = Field(..., description="承办单位简称、登记名称或统一社会信用代码")
    planned: StrictStr = ""
    basis: StrictStr = ""


class DecisionCatalogOut(Schema):
    id: int
    year: int
    seq: int
    title: str
    category: str
    decision_body: str
    unit: str
    planned: str
    party_agreed_on: str | None
    published_on: str | None


class DecisionCatalogPage(Schema):
    count: int
    items: list[DecisionCatalogOut]


class DecisionCatalogPublishIn(Schema):
    year: StrictInt = Field(..., ge=2000, le=2100)
    party_agreed_on: StrictStr


class DecisionCatalogPublishOut(Schema):
    year: int
    published: int


class DecisionCatalogQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    page: int = Field(1, ge=1)


class DecisionIn(Schema):
    catalog_entry_id: StrictInt
    title: StrictStr = ""
    summary: StrictStr = ""
    launched_on: StrictStr | None = None


class DecisionStepOut(Schema):
    step: str
    label: str
    state: Literal["complete", "missing", "not_applicable"]
    reason: str
    approved_by: str
    detail: str
    flags: list[str]
    on: str | None


class DecisionOut(Schema):
    id: int
    code: str
    title: str
    summary: str
    year: int
    category: str
    decision_body: str
    unit: str
    status: str
    status_label: str
    launched_on: str
    reported_on: str | None
    published_on: str | None
    document_no: str
    procedure: list[DecisionStepOut]


class DecisionBrief(Schema):
    id: int
    code: str
    title: str
    unit: str
    status: str
    launched_on: str
    published_on: str | None


class DecisionPage(Schema):
    count: int
    items: list[DecisionBrief]


class DecisionListQuery(Schema):
    status: DecisionStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    page: int = Field(1, ge=1)


class DecisionProcedureOut(Schema):
    decision_id: int
    code: str
    complete: bool
    steps: list[DecisionStepOut]


class ConsultationIn(Schema):
    draft_text: StrictStr
    start_on: StrictStr
    end_on: StrictStr
    channels: StrictStr = ""
    shortened_reason: StrictStr = ""


class ConsultationOut(Schema):
    id: int
    decision_code: str
    title: str
    decision_body: str
    unit: str
    channels: str
    draft_text: str
    start_on: str
    end_on: str
    days: int
    shortened_reason: str
    state: Literal["upcoming", "open", "closed"]
    days_left: int
    comment_count: int
    adoption_report: str
    adopted_count: int
    rejection_reasons: str
    report_on: str | None


class ConsultationPage(Schema):
    count: int
    items: list[ConsultationOut]


class ConsultationQuery(Schema):
    state: Literal["open", "closed"] | None = None
    page: int = Field(1, ge=1)


class AdoptionReportIn(Schema):
    adoption_report: StrictStr
    adopted_count: StrictInt = Field(0, ge=0)
    rejection_reasons: StrictStr = ""


class HearingIn(Schema):
    held_on: StrictStr
    participants: StrictStr
    participants_published_on: StrictStr
    materials_sent_on: StrictStr
    summary: StrictStr = ""


class ExpertIn(Schema):
    name: StrictStr
    organisation: StrictStr = ""
    field: StrictStr = ""
    conflict: StrictBool = Field(False, description="是否声明与决策事项有利害关系")
    signed: StrictBool = Field(False, description="书面意见是否署名")


class ExpertReviewIn(Schema):
    reviewed_on: StrictStr
    experts: list[ExpertIn] = Field(..., max_length=50)
    opinion: StrictStr
    opinion_sha256: StrictStr = ""
    adoption: StrictStr = ""


class RiskAssessmentIn(Schema):
    assessed_on: StrictStr
    kind: StrictStr = ""
    assessor: StrictStr
    third_party: StrictBool = False
    risk_points: StrictStr
    measures: StrictStr
    conclusion: Literal["low", "medium", "high"]


class LegalityReviewIn(Schema):
    submitted_on: StrictStr
    opinion_on: StrictStr
    opinion: StrictStr
    result: Literal["lawful", "amend", "unlawful"]
    adviser_opinions: StrictStr = ""


class CollectiveDecisionIn(Schema):
    meeting_type: Literal["executive", "plenary", "office"]
    meeting_on: StrictStr
    attendees: StrictStr
    minutes: StrictStr
    dissent: StrictStr = ""
    head_departs: StrictBool = False
    head_reasons: StrictStr = ""
    fair_competition_review: StrictStr = ""
    outcome: Literal["approved", "rejected", "deferred"]


class WaiverIn(Schema):
    step: Literal["participation", "expert", "risk", "legality", "collective"]
    reason: StrictStr
    approved_by: StrictStr
    approved_on: StrictStr | None = None


class StepSavedOut(Schema):
    id: int
    step: str
    decision_id: int
    status: str
    flags: list[str] = []
    working_days: int | None = None
    explain: str = ""


class ReportToPartyIn(Schema):
    reported_on: StrictStr


class PublishDecisionIn(Schema):
    document_no: StrictStr
    text: StrictStr
    published_on: StrictStr | None = None


class ExecutionReportIn(Schema):
    reported_on: StrictStr
    content: StrictStr


class PostEvaluationIn(Schema):
    evaluated_on: StrictStr
    evaluator: StrictStr
    conclusion: StrictStr


class DecisionStatusIn(Schema):
    status: Literal["adjusted", "suspended"]
    reason: StrictStr


class PublicCommentIn(Schema):
    name: StrictStr
    content: StrictStr
    contact: StrictStr = ""


class PublicCommentOut(Schema):
    id: int
    consultation_id: int
    received_at: str


def _entry(e) -> dict:
    return {
        "id": e.pk,
        "year": e.year,
        "seq": e.seq,
        "title": e.title,
        "category": e.category,
        "decision_body": e.decision_body.name,
        "unit": e.unit.name,
        "planned": e.planned,
        "party_agreed_on": e.party_agreed_on.isoformat() if e.party_agreed_on else None,
        "published_on": e.published_on.isoformat() if e.published_on else None,
    }


def _brief(d: Decision) -> dict:
    return {
        "id": d.pk,
        "code": d.code,
        "title": d.title,
        "unit": d.unit.name,
        "status": d.status,
        "launched_on": d.launched_on.isoformat(),
        "published_on": d.published_on.isoformat() if d.published_on else None,
    }


def _saved(obj, step: str, decision: Decision, **extra) -> dict:
    decision.refresh_from_db(fields=["status"])
    return {"id": obj.pk, "step": step, "decision_id": decision.pk, "status": decision.status, **extra}


def _decision(request, decision_id: int) -> tuple:
    access = access_of(request)
    return access, services.get_decision_for_user(access, decision_id)


# -- catalog ---------------------------------------------------------------------------------------
@router.post(
    "/catalog", response={201: DecisionCatalogOut, ERRORS: Error}, summary="登记年度决策事项目录事项"
)
def create_catalog_entry(request, payload: DecisionCatalogIn):
    entry = services.create_catalog_entry(_data(payload), access=access_of(request))
    return Status(201, _entry(entry))


@router.get(
    "/catalog", response={200: DecisionCatalogPage, ERRORS: Error}, summary="决策事项目录（按权限范围）"
)
def list_catalog(request, filters: Query[DecisionCatalogQuery]):
    qs = services.catalog_for(access_of(request)).order_by("-year", "seq")
    if filters.year:
        qs = qs.filter(year=filters.year)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    return {"count": count, "items": [_entry(e) for e in rows]}


@router.post(
    "/catalog/publish",
    response={200: DecisionCatalogPublishOut, ERRORS: Error},
    summary="公布年度目录（党委同意后；写入公开事项日志）",
)
def publish_catalog(request, payload: DecisionCatalogPublishIn):
    n = services.publish_catalog(
        payload.year, party_agreed_on=payload.party_agreed_on, access=access_of(request)
    )
    return {"year": payload.year, "published": n}


# -- decisions -------------------------------------------------------------------------------------
@router.post("", response={201: DecisionOut, ERRORS: Error}, summary="启动重大行政决策（目录事项）")
def launch(request, payload: DecisionIn):
    decision = services.launch_decision(_data(payload), access=access_of(request))
    return Status(201, services.decision_view(decision))


@router.get("", response={200: DecisionPage, ERRORS: Error}, summary="重大行政决策列表（按权限范围）")
def list_decisions(request, filters: Query[DecisionListQuery]):
    qs = services.decisions_for(access_of(request)).order_by("-launched_on", "-pk")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = qs.filter(catalog_entry__year=filters.year)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    return {"count": count, "items": [_brief(d) for d in rows]}


@router.get("/{int:decision_id}", response={200: DecisionOut, ERRORS: Error}, summary="重大行政决策详情")
def get_decision(request, decision_id: ObjectId):
    _access, decision = _decision(request, decision_id)
    return services.decision_view(decision)


@router.get(
    "/{int:decision_id}/procedure",
    response={200: DecisionProcedureOut, ERRORS: Error},
    summary="五个法定程序：complete / missing / not_applicable（附理由）",
)
def get_procedure(request, decision_id: ObjectId):
    _access, decision = _decision(request, decision_id)
    steps = services.procedure(decision)
    return {
        "decision_id": decision.pk,
        "code": decision.code,
        "complete": all(s.state != "missing" for s in steps),
        "steps": [services.step_view(s) for s in steps],
    }


@router.post(
    "/{int:decision_id}/participation",
    response={201: ConsultationOut, ERRORS: Error},
    summary="公开征求意见（少于30日须说明理由，否则 422）",
)
def open_consultation(request, decision_id: ObjectId, payload: ConsultationIn):
    access, decision = _decision(request, decision_id)
    p = services.open_consultation(decision, _data(payload), access=access)
    return Status(201, services.consultation_view(p))


@router.post(
    "/{int:decision_id}/participation/adoption-report",
    response={200: ConsultationOut, ERRORS: Error},
    summary="公布意见采纳情况（征求意见截止后）",
)
def adoption_report(request, decision_id: ObjectId, payload: AdoptionReportIn):
    access, decision = _decision(request, decision_id)
    p = getattr(decision, "participation", None)
    if p is None:
        return Status(409, {"detail": "该决策尚未公开征求意见"})
    p = services.publish_adoption_report(p, _data(payload), access=access)
    return services.consultation_view(p)


@router.post(
    "/{int:decision_id}/hearings",
    response={201: StepSavedOut, ERRORS: Error},
    summary="登记听证会（材料须提前7日送达）",
)
def add_hearing(request, decision_id: ObjectId, payload: HearingIn):
    access, decision = _decision(request, decision_id)
    h = services.add_hearing(decision, _data(payload), access=access)
    return Status(201, _saved(h, "hearing", decision))


@router.post(
    "/{int:decision_id}/expert-review",
    response={201: StepSavedOut, ERRORS: Error},
    summary="登记专家论证（署名意见，利害关系专家回避）",
)
def add_expert_review(request, decision_id: ObjectId, payload: ExpertReviewIn):
    access, decision = _decision(request, decision_id)
    data = _data(payload)
    for e in data["experts"]:
        check_text(**{k: v for k, v in e.items() if isinstance(v, str)})
    r = services.add_expert_review(decision, data, access=access)
    return Status(201, _saved(r, "expert", decision))


@router.post(
    "/{int:decision_id}/risk-assessment", response={201: StepSavedOut, ERRORS: Error}, summary="登记风险评估"
)
def add_risk(request, decision_id: ObjectId, payload: RiskAssessmentIn):
    access, decision = _decision(request, decision_id)
    r = services.add_risk_assessment(decision, _data(payload), access=access)
    return Status(201, _saved(r, "risk", decision))


@router.post(
    "/{int:decision_id}/legality-review",
    response={201: StepSavedOut, ERRORS: Error},
    summary="登记合法性审查意见（少于7个工作日标记 insufficient_review_time）",
)
def add_legality(request, decision_id: ObjectId, payload: LegalityReviewIn):
    access, decision = _decision(request, decision_id)
    r = services.add_legality_review(decision, _data(payload), access=access)
    flags = ["insufficient_review_time"] if r.insufficient_review_time else []
    return Status(
        201,
        _saved(
            r, "legality", decision, flags=flags, working_days=r.working_days, explain=r.working_days_explain
        ),
    )


@router.post(
    "/{int:decision_id}/collective-decision",
    response={201: StepSavedOut, ERRORS: Error},
    summary="登记集体讨论决定（无合法性审查意见 409）",
)
def add_collective(request, decision_id: ObjectId, payload: CollectiveDecisionIn):
    access, decision = _decision(request, decision_id)
    r = services.record_collective_decision(decision, _data(payload), access=access)
    return Status(201, _saved(r, "collective", decision))


@router.post(
    "/{int:decision_id}/waivers",
    response={201: StepSavedOut, ERRORS: Error},
    summary="登记程序环节不适用（理由与批准人）",
)
def add_waiver(request, decision_id: ObjectId, payload: WaiverIn):
    access, decision = _decision(request, decision_id)
    w = services.waive_step(decision, _data(payload), access=access)
    return Status(201, _saved(w, w.step, decision))


@router.post("/{int:decision_id}/report", response={200: DecisionOut, ERRORS: Error}, summary="登记报告党委")
def report(request, decision_id: ObjectId, payload: ReportToPartyIn):
    access, decision = _decision(request, decision_id)
    return services.decision_view(services.report_to_party(decision, _data(payload), access=access))


@router.post(
    "/{int:decision_id}/publish",
    response={200: DecisionOut, ERRORS: Error},
    summary="公布决策（程序缺失时生成失信线索并移送问责）",
)
def publish(request, decision_id: ObjectId, payload: PublishDecisionIn):
    access, decision = _decision(request, decision_id)
    return services.decision_view(services.publish_decision(decision, _data(payload), access=access))


@router.post(
    "/{int:decision_id}/execution-reports",
    response={201: StepSavedOut, ERRORS: Error},
    summary="登记决策执行情况",
)
def add_execution(request, decision_id: ObjectId, payload: ExecutionReportIn):
    access, decision = _decision(request, decision_id)
    r = services.add_execution_report(decision, _data(payload), access=access)
    return Status(201, _saved(r, "execution", decision))


@router.post(
    "/{int:decision_id}/post-evaluations",
    response={201: StepSavedOut, ERRORS: Error},
    summary="登记决策后评估",
)
def add_evaluation(request, decision_id: ObjectId, payload: PostEvaluationIn):
    access, decision = _decision(request, decision_id)
    r = services.add_post_evaluation(decision, _data(payload), access=access)
    return Status(201, _saved(r, "post_evaluation", decision))


@router.post(
    "/{int:decision_id}/status", response={200: DecisionOut, ERRORS: Error}, summary="登记决策调整或停止执行"
)
def change_status(request, decision_id: ObjectId, payload: DecisionStatusIn):
    access, decision = _decision(request, decision_id)
    check_text(reason=payload.reason)
    return services.decision_view(
        services.change_status(decision, to=payload.status, reason=payload.reason, access=access)
    )


# -- public ----------------------------------------------------------------------------------------
@public_router.get(
    "/consultations",
    response={200: ConsultationPage, PUBLIC_ERRORS: Error},
    summary="重大行政决策公开征求意见",
)
def public_consultations(request, filters: Query[ConsultationQuery]):
    today = services.timezone.localdate()
    qs = services.public_consultations()
    if filters.state == "open":
        qs = qs.filter(start_on__lte=today, end_on__gte=today)
    elif filters.state == "closed":
        qs = qs.filter(end_on__lt=today)
    count, rows = page_of(qs, filters.page, PAGE_SIZE)
    return {"count": count, "items": [services.consultation_view(p, today=today) for p in rows]}


@public_router.get(
    "/consultations/{int:consultation_id}",
    response={200: ConsultationOut, PUBLIC_ERRORS: Error},
    summary="征求意见详情",
)
def public_consultation(request, consultation_id: ObjectId):
    return services.consultation_view(services.get_public_consultation(consultation_id))


@public_router.post(
    "/consultations/{int:consultation_id}/comments",
    response={201: PublicCommentOut, PUBLIC_ERRORS: Error},
    summary="提交意见（截止日期后 409）",
)
def public_comment(request, consultation_id: ObjectId, payload: PublicCommentIn):
    p = services.get_public_consultation(consultation_id)
    c = services.add_comment(p, _data(payload))
    return Status(
        201,
        {
            "id": c.pk,
            "consultation_id": p.pk,
            "received_at": services.timezone.localtime(c.created_at).isoformat(),
        },
    )


@public_router.get(
    "/decisions", response={200: DecisionPage, PUBLIC_ERRORS: Error}, summary="已公布的重大行政决策"
)
def public_decisions(request, page: int = Query(1, ge=1, description="页码，从 1 开始")):
    count, rows = page_of(services.public_decisions(), page, PAGE_SIZE)
    return {"count": count, "items": [_brief(d) for d in rows]}
