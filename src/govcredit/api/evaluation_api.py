"""政务诚信评价 API (issue 18 points 4–8): the public ranking ``GET /api/v1/public/evaluation?year=Y``
(every unit's total, grade, rank and each line's points with its public record ids) and the staff
entry points at /api/v1/evaluation (runs, recompute, workflow steps, what-if). Thin: the rules live in
``govcredit.evaluation.services``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Router, Schema, Status

from govcredit.core.errors import NotFound, PermissionDenied
from govcredit.evaluation import services
from govcredit.evaluation.models import UnitResult

from .auth import TokenAuth, access_of
from .schemas import ERROR_CODES, Error, ObjectId

public_router = Router(tags=["公开接口"])
router = Router(tags=["政务诚信评价"], auth=TokenAuth())


class LineOut(Schema):
    indicator: str
    name: str
    full: str
    points: str
    text: str
    public_records: list[int]
    internal_records: int
    events: int


class UnitOut(Schema):
    unit: str
    code: str
    group: Literal["town", "department"]
    total: str
    grade: str
    rank: int | None
    vetoed: bool
    lines: list[LineOut]


class PublicOut(Schema):
    year: int
    run: int
    status: str
    as_of: str
    indicator_set: str
    result_hash: str
    bands: list[dict]
    units: list[UnitOut]


def _unit_out(result: UnitResult, specs: dict) -> dict:
    lines = []
    for line in result.lines.order_by("pk"):
        e = services.public_explanation(line)
        spec = specs[line.indicator_code]
        lines.append(
            {
                "indicator": line.indicator_code,
                "name": spec["name"],
                "full": spec["points"],
                "points": str(line.points),
                "text": e["text"],
                "public_records": e["public_records"],
                "internal_records": e["internal_records"],
                "events": e["events"],
            }
        )
    return {
        "unit": result.unit.name,
        "code": result.unit.public_code,
        "group": result.group,
        "total": str(result.total),
        "grade": result.grade_label,
        "rank": result.rank,
        "vetoed": result.vetoed,
        "lines": lines,
    }


@public_router.get(
    "/evaluation",
    response={200: PublicOut, frozenset({404, 422}): Error},
    summary="政务诚信评价结果",
    description="某年度已公布（或已终定）的政务诚信评价：各单位得分、等次、组内名次（镇街道和部门分别排名）、"
    "逐项得分及其公开依据（公开的信用记录编号；不公开的记录和事件只给数量）和结果摘要（SM3）。未公布的年度 404。",
)
def public_evaluation(request, year: int):
    if not 2000 <= year <= 2100:
        return Status(422, {"detail": "year 应为 2000–2100 之间的年度"})
    run = services.public_run(year)
    if run is None:
        return Status(404, {"detail": f"{year}年度政务诚信评价结果尚未公布"})
    specs = {i["code"]: i for i in run.set_snapshot["indicators"]}
    results = run.results.select_related("unit").order_by("group", "rank", "pk")
    return {
        "year": year,
        "run": run.pk,
        "status": run.status,
        "as_of": run.as_of.isoformat(),
        "indicator_set": f"{run.set_snapshot['name']} v{run.set_snapshot['version']}",
        "result_hash": run.result_hash,
        "bands": run.set_snapshot["bands"],
        "units": [_unit_out(r, specs) for r in results],
    }


class RunIn(Schema):
    period: str
    as_of: dt.date


class RunOut(Schema):
    id: int
    period: str
    as_of: str
    status: str
    inputs_hash: str
    result_hash: str
    appeal_due: str | None
    units: int


def _run_out(run) -> dict:
    return {
        "id": run.pk,
        "period": run.period,
        "as_of": run.as_of.isoformat(),
        "status": run.status,
        "inputs_hash": run.inputs_hash,
        "result_hash": run.result_hash,
        "appeal_due": run.appeal_due.isoformat() if run.appeal_due else None,
        "units": run.results.count(),
    }


def _visible_run(request, pk: int):
    access = access_of(request)
    if not services.can_view(access):
        raise PermissionDenied("只有信用办、联席会议成员单位和被评价单位可以查看政务诚信评价")
    run = services.get_run(pk)
    if not services.visible_results(access, run).exists() and not access.sees_everything:
        raise NotFound("评价批次不存在")
    return run


@router.post("/runs", response={201: RunOut, ERROR_CODES: Error}, summary="开展评价（冻结输入）")
def open_run(request, payload: RunIn):
    run = services.open_run(payload.period, payload.as_of, access=access_of(request))
    return Status(201, _run_out(run))


@router.get("/runs/{pk}", response={200: RunOut, ERROR_CODES: Error}, summary="评价批次")
def get_run(request, pk: ObjectId):
    return _run_out(_visible_run(request, pk))


class RecomputeOut(Schema):
    run: int
    identical: bool
    inputs_hash: str
    result_hash: str
    stored_hash: str
    in_disclosure_ledger: bool
    differences: list[dict]


@router.post("/runs/{pk}/recompute", response={200: RecomputeOut, ERROR_CODES: Error}, summary="复算核验")
def recompute(request, pk: ObjectId):
    return services.recompute(_visible_run(request, pk))


STEPS = {
    "self-assessment": services.open_self_assessment,
    "review": services.open_review,
    "publish": services.publish,
    "finalise": services.finalise,
}


@router.post("/runs/{pk}/{step}", response={200: RunOut, ERROR_CODES: Error}, summary="推进评价流程")
def advance(request, pk: ObjectId, step: Literal["self-assessment", "review", "publish", "finalise"]):
    run = STEPS[step](_visible_run(request, pk), access=access_of(request))
    return _run_out(run)


class WhatIfOut(Schema):
    unit: int
    total: str
    grade: str
    lines: list[dict]
    next: dict | None = None
    simulated: dict | None = None


@router.get("/results/{pk}/what-if", response={200: WhatIfOut, ERROR_CODES: Error}, summary="提升等次模拟")
def what_if(request, pk: ObjectId):
    access = access_of(request)
    result = UnitResult.objects.select_related("run").filter(pk=pk).first()
    if result is None or not services.visible_results(access, result.run).filter(pk=pk).exists():
        raise NotFound("评价结果不存在")
    return services.what_if(result)
