"""Service items, 办件 and the 蜗牛奖 (WAVE2 §12, §14 D). Thin: rules in ``efficiency.services``.
``router`` at /api/v1/service-items, ``cases_router`` at /api/v1/service-cases, ``awards_router`` at
/api/v1/snail-awards, ``public_router`` at /api/v1/public/ (efficiency ranking, awards)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictBool, StrictInt, StrictStr

from govcredit.efficiency import services

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import Error, ObjectId

router = Router(auth=TokenAuth(), tags=["政务服务事项"])
cases_router = Router(auth=TokenAuth(), tags=["办件"])
awards_router = Router(auth=TokenAuth(), tags=["蜗牛奖"])
public_router = Router(tags=["办事效率与蜗牛奖（公开）"])

ERRORS = frozenset({400, 401, 403, 404, 409, 422})
PUBLIC_ERRORS = frozenset({400, 404, 422})


def _data(payload: Schema) -> dict:
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    return data


class ServiceItemIn(Schema):
    code: StrictStr
    name: StrictStr
    unit: StrictStr
    kind: Literal["instant", "promised"]
    legal_days: StrictInt = Field(..., ge=0, le=365)
    promised_days: StrictInt = Field(0, ge=0, le=365)
    tolerated_materials: StrictStr = ""
    notice_template: StrictStr = ""
    basis: StrictStr = ""


class ServiceItemOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    kind: str
    legal_days: int
    promised_days: int
    tolerated_materials: str


class ServiceItemPage(Schema):
    count: int
    items: list[ServiceItemOut]


class ServiceItemQuery(Schema):
    kind: Literal["instant", "promised"] | None = None
    page: int = Field(1, ge=1)


class ServiceCaseRow(Schema):
    case_no: StrictStr
    item: StrictStr = Field(..., description="事项编码")
    received_on: StrictStr
    completed_on: StrictStr = ""
    notices: StrictStr = Field("", description="补正告知日期，多个用 ; 分隔")
    excluded: StrictStr = Field("", description="不计入期间：开始~结束|原因，多个用 ; 分隔")


class ServiceCaseImportIn(Schema):
    rows: list[ServiceCaseRow] = Field(..., max_length=1000)


class ServiceCaseProblem(Schema):
    line: int
    column: str
    reason: str
    value: str


class ServiceCaseImportOut(Schema):
    created: int
    updated: int
    rejected: int
    problems: list[ServiceCaseProblem]


class EfficiencyRow(Schema):
    unit: str
    cases: int
    on_time_percent: str
    mean_days: str
    overruns: int
    overrun_days: int
    repeated_notices: int


class EfficiencyOut(Schema):
    period: str
    items: list[EfficiencyRow]


class EfficiencyQuery(Schema):
    period: str = Field(..., max_length=10, description="2026-03、2026Q1 或 2026")


class SnailAwardIn(Schema):
    period: StrictStr
    unit: StrictStr
    reasons: StrictStr
    committee: StrictStr = ""
    decided_on: StrictStr | None = None


class SnailAwardOut(Schema):
    id: int
    period: str
    unit: str
    status: str
    status_label: str
    reasons: str
    evidence: dict
    decided_on: str
    rectification_due: str
    published_on: str | None
    appeal_due: str | None
    appeal_reason: str
    appeal_answer: str
    follow_up: str
    rectified_on: str | None
    criteria_version: str


class SnailAwardPage(Schema):
    count: int
    items: list[SnailAwardOut]


class SnailNominee(Schema):
    unit: str
    reasons: list[str]
    cases: list[dict]


class SnailNominationOut(Schema):
    period: str
    criteria_version: str
    candidates: list[SnailNominee]


class SnailAppealIn(Schema):
    reason: StrictStr


class SnailAnswerIn(Schema):
    upheld: StrictBool
    answer: StrictStr


class SnailRectifiedIn(Schema):
    follow_up: StrictStr
    rectified_on: StrictStr | None = None


class SnailPageQuery(Schema):
    page: int = Field(1, ge=1)


def _item(i) -> dict:
    return {
        "id": i.pk,
        "code": i.code,
        "name": i.name,
        "unit": i.unit.name,
        "kind": i.kind,
        "legal_days": i.legal_days,
        "promised_days": i.promised_days,
        "tolerated_materials": i.tolerated_materials,
    }


def _eff(e) -> dict:
    return {
        "unit": e.unit.name,
        "cases": e.cases,
        "on_time_percent": str(e.on_time_percent),
        "mean_days": str(e.mean_days),
        "overruns": e.overruns,
        "overrun_days": e.overrun_days,
        "repeated_notices": e.repeated_notices,
    }


@router.post(
    "", response={201: ServiceItemOut, ERRORS: Error}, summary="登记政务服务事项（承诺时限超过法定时限 422）"
)
def create_item(request, payload: ServiceItemIn):
    return Status(201, _item(services.create_item(_data(payload), access=access_of(request))))


@router.get("", response={200: ServiceItemPage, ERRORS: Error}, summary="政务服务事项（按权限范围）")
def list_items(request, filters: Query[ServiceItemQuery]):
    qs = services.items_for(access_of(request)).order_by("unit_id", "code")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    count, rows = page_of(qs, filters.page, 20)
    return {"count": count, "items": [_item(i) for i in rows]}


@cases_router.post(
    "/import", response={200: ServiceCaseImportOut, ERRORS: Error}, summary="导入办件（按办件编号更新）"
)
def import_cases(request, payload: ServiceCaseImportIn):
    rows = [r.dict() for r in payload.rows]
    for r in rows:
        check_text(**r)
    result = services.import_cases(rows, access=access_of(request))
    return {
        "created": result.created,
        "updated": result.updated,
        "rejected": result.rejected,
        "problems": [{"line": a, "column": b, "reason": c, "value": d} for a, b, c, d in result.problems],
    }


@cases_router.get(
    "/efficiency", response={200: EfficiencyOut, ERRORS: Error}, summary="各单位办事效率（按权限范围）"
)
def efficiency(request, filters: Query[EfficiencyQuery]):
    rows = services.efficiency(filters.period, services.cases_for(access_of(request)))
    return {"period": filters.period, "items": [_eff(e) for e in rows]}


@awards_router.get(
    "/nominations", response={200: SnailNominationOut, ERRORS: Error}, summary="按数据计算蜗牛奖提名"
)
def nominations(request, filters: Query[EfficiencyQuery]):
    access = access_of(request)
    access.require(services.may_view(access), "您没有查看蜗牛奖提名的权限")
    found = services.nominate(filters.period)
    return {
        "period": filters.period,
        "criteria_version": services.criteria().version,
        "candidates": [
            {
                "unit": n.efficiency.unit.name,
                "reasons": n.reasons,
                "cases": [
                    {
                        "case_no": c.case_no,
                        "item": c.item.name,
                        "due_on": c.due_on.isoformat(),
                        "completed_on": c.completed_on.isoformat(),
                        "overrun_days": c.overrun_days,
                    }
                    for c in n.efficiency.worst
                ],
            }
            for n in found
        ],
    }


@awards_router.post("", response={201: SnailAwardOut, ERRORS: Error}, summary="评定蜗牛奖")
def decide(request, payload: SnailAwardIn):
    return Status(201, services.award_view(services.decide_award(_data(payload), access=access_of(request))))


@awards_router.get("", response={200: SnailAwardPage, ERRORS: Error}, summary="蜗牛奖记录")
def list_awards(request, filters: Query[SnailPageQuery]):
    access = access_of(request)
    access.require(services.may_view(access), "您没有查看蜗牛奖的权限")
    count, rows = page_of(
        services.SnailAward.objects.select_related("unit").order_by("-period", "pk"), filters.page, 20
    )
    return {"count": count, "items": [services.award_view(a) for a in rows]}


@awards_router.post(
    "/{int:award_id}/publish", response={200: SnailAwardOut, ERRORS: Error}, summary="通报（开始申诉期）"
)
def publish(request, award_id: ObjectId):
    return services.award_view(
        services.publish_award(services.get_award(award_id), access=access_of(request))
    )


@awards_router.post(
    "/{int:award_id}/appeal",
    response={200: SnailAwardOut, ERRORS: Error},
    summary="获评单位申诉（工作日期限内）",
)
def appeal(request, award_id: ObjectId, payload: SnailAppealIn):
    return services.award_view(
        services.appeal(services.get_award(award_id), _data(payload), access=access_of(request))
    )


@awards_router.post(
    "/{int:award_id}/answer", response={200: SnailAwardOut, ERRORS: Error}, summary="答复申诉（维持或撤销）"
)
def answer(request, award_id: ObjectId, payload: SnailAnswerIn):
    return services.award_view(
        services.answer_appeal(services.get_award(award_id), _data(payload), access=access_of(request))
    )


@awards_router.post(
    "/{int:award_id}/rectified", response={200: SnailAwardOut, ERRORS: Error}, summary="登记整改完成"
)
def rectified(request, award_id: ObjectId, payload: SnailRectifiedIn):
    return services.award_view(
        services.record_rectification(services.get_award(award_id), _data(payload), access=access_of(request))
    )


@public_router.get(
    "/service-efficiency", response={200: EfficiencyOut, PUBLIC_ERRORS: Error}, summary="各单位办事效率排名"
)
def public_efficiency(request, filters: Query[EfficiencyQuery]):
    return {"period": filters.period, "items": [_eff(e) for e in services.efficiency(filters.period)]}


@public_router.get(
    "/snail-awards", response={200: SnailAwardPage, PUBLIC_ERRORS: Error}, summary="蜗牛奖通报"
)
def public_awards(request, filters: Query[SnailPageQuery]):
    qs = (
        services.SnailAward.objects.filter(status__in=services.PUBLIC_AWARD_STATES)
        .select_related("unit")
        .order_by("-period", "pk")
    )
    count, rows = page_of(qs, filters.page, 20)
    return {"count": count, "items": [services.award_view(a) for a in rows]}
