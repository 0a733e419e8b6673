"""Commitments 承诺 (WAVE2 §1): staff endpoints under /api/v1/commitments (Bearer token, scoped) and the
public 承诺公示 under /api/v1/public/commitments. Thin: rules live in ``commitments.services``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.utils import timezone
from ninja import Body, Query, Router, Schema, Status

from govcredit.commitments import services
from govcredit.commitments.models import Commitment, ProgressReport
from govcredit.commitments.models import Status as CStatus
from govcredit.core.errors import ValidationFailed
from govcredit.core.ledger import utc_iso

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import ERROR_CODES, Error, ObjectId, ReasonIn

router = Router(auth=TokenAuth(), tags=["承诺践诺（工作人员）"])
public_router = Router(tags=["公开接口"])
PAGE_SIZE = 20
JsonBody = Annotated[dict[str, Any], Body(...)]


class CommitmentReportOut(Schema):
    id: int
    period: str
    final: bool
    value: str | None
    done_on: dt.date | None
    narrative: str
    evidence_name: str
    evidence_sha256: str
    state: str
    submitted_on: dt.date


class CommitmentChangeOut(Schema):
    version: int
    old_target: dict
    new_target: dict
    old_target_text: str
    new_target_text: str
    reason: str
    approving_document: str
    approved_on: dt.date


class CommitmentAssessmentOut(Schema):
    outcome: str
    outcome_label: str
    achievement: str | None
    reason: str
    target_version: int
    assessed_on: dt.date
    verifier_unit: str


class CommitmentOut(Schema):
    id: int
    code: str
    kind: str
    kind_label: str
    title: str
    content: str
    subject_code: str
    subject_name: str
    unit: str
    responsible_person: str
    source_type: str
    source_document: str
    source_clause: str
    source_ref: str
    metric: str
    metric_unit: str
    direction: str
    baseline: str | None
    target: str | None
    target_date: dt.date | None
    target_text: str
    start_on: dt.date
    due_on: dt.date
    cadence: str
    weight: str
    parent_id: int | None
    areas: list[str]
    public: bool
    status: str
    status_label: str
    version: int
    published_at: str | None
    overdue: bool
    next_report_due: dt.date | None
    progress: int
    reports: list[CommitmentReportOut]
    changes: list[CommitmentChangeOut]
    assessment: CommitmentAssessmentOut | None
    finding_id: int | None = None


class CommitmentPage(Schema):
    count: int
    items: list[CommitmentOut]


def _s(value, places: str = "0.0001") -> str | None:
    """Decimals as fixed-point text with the column's places (the same before and after a reload)."""
    from decimal import Decimal

    return None if value is None else format(Decimal(value).quantize(Decimal(places)), "f")


def commitment_out(c: Commitment, *, public: bool = False, today: dt.date | None = None) -> dict[str, Any]:
    from govcredit.duties.models import Finding

    today = today or timezone.localdate()
    reports = c.reports.exclude(state=ProgressReport.State.RETURNED) if public else c.reports.all()
    assessment = getattr(c, "assessment", None) if hasattr(c, "assessment") else None
    out = {
        "id": c.pk,
        "code": c.code,
        "kind": c.kind,
        "kind_label": c.get_kind_display(),
        "title": c.title,
        "content": c.content,
        "subject_code": c.subject.public_code,
        "subject_name": c.subject.display_name,
        "unit": c.unit.name,
        "responsible_person": c.responsible_person,
        "source_type": c.source_type,
        "source_document": c.source_document,
        "source_clause": c.source_clause,
        "source_ref": c.source_ref,
        "metric": c.metric,
        "metric_unit": c.metric_unit,
        "direction": c.direction,
        "baseline": _s(c.baseline),
        "target": _s(c.target),
        "target_date": c.target_date,
        "target_text": services.target_text(services.target_of(c)),
        "start_on": c.start_on,
        "due_on": c.due_on,
        "cadence": c.cadence,
        "weight": _s(c.weight, "0.01"),
        "parent_id": c.parent_id,
        "areas": list(c.areas or []),
        "public": c.public,
        "status": c.status,
        "status_label": c.get_status_display(),
        "version": c.version,
        "published_at": utc_iso(c.published_at) if c.published_at else None,
        "overdue": services.is_overdue(c, today),
        "next_report_due": services.next_report_due(c),
        "progress": services.progress_percent(c),
        "reports": [
            {
                "id": r.pk,
                "period": r.period,
                "final": r.final,
                "value": _s(r.value),
                "done_on": r.done_on,
                "narrative": r.narrative,
                "evidence_name": r.evidence_name if (r.evidence_public or not public) else "",
                "evidence_sha256": r.evidence_sha256 if (r.evidence_public or not public) else "",
                "state": r.state,
                "submitted_on": r.submitted_on,
            }
            for r in reports.order_by("submitted_on", "pk")
        ],
        "changes": [
            {
                "version": ch.version,
                "old_target": ch.old_target,
                "new_target": ch.new_target,
                "old_target_text": services.target_text(ch.old_target),
                "new_target_text": services.target_text(ch.new_target),
                "reason": ch.reason,
                "approving_document": ch.approving_document,
                "approved_on": ch.approved_on,
            }
            for ch in c.changes.order_by("version")
        ],
        "assessment": None,
    }
    if assessment is not None:
        out["assessment"] = {
            "outcome": assessment.outcome,
            "outcome_label": assessment.get_outcome_display(),
            "achievement": _s(assessment.achievement, "0.01"),
            "reason": assessment.reason,
            "target_version": assessment.target_version,
            "assessed_on": assessment.assessed_on,
            "verifier_unit": assessment.verifier_unit,
        }
    if not public:
        out["finding_id"] = (
            Finding.objects.filter(module="commitments", object_type=services.OBJECT_TYPE, object_id=c.pk)
            .values_list("pk", flat=True)
            .first()
        )
    return out


def _get(request, commitment_id: int) -> Commitment:
    return services.get_commitment(access_of(request), commitment_id)


def _body(payload: dict) -> dict:
    if not isinstance(payload, dict):
        raise ValidationFailed("请求体应为 JSON 对象")
    check_text(**{k: v for k, v in payload.items() if isinstance(v, str)})
    return payload


@router.get("", response={200: CommitmentPage, ERROR_CODES: Error}, summary="承诺台账（分页）")
def list_commitments(
    request,
    page: int = Query(1, ge=1, le=100_000),
    status: str = "",
    kind: str = "",
    subject: str = "",
    source: str = Query("", description="来源对象，如 motion:12"),
    overdue: bool | None = None,
):
    qs = services.commitments_for(access_of(request)).select_related("subject", "unit")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if source:
        qs = qs.filter(source_ref=source)
    if subject:
        found = services.resolve_subject(subject)
        qs = qs.filter(subject=found) if found else qs.none()
    if overdue is not None:
        cond = services.overdue_filter(timezone.localdate())
        qs = qs.filter(cond) if overdue else qs.exclude(cond)
    count, rows = page_of(qs.order_by("due_on", "pk"), page, PAGE_SIZE)
    return {"count": count, "items": [commitment_out(c) for c in rows]}


@router.post("", response={201: CommitmentOut, ERROR_CODES: Error}, summary="登记承诺（草稿）")
def create_commitment(request, payload: JsonBody):
    c = services.create_commitment(_body(payload), access=access_of(request))
    return Status(201, commitment_out(c))


@router.get("/{commitment_id}", response={200: CommitmentOut, ERROR_CODES: Error}, summary="承诺详情")
def get_commitment(request, commitment_id: ObjectId):
    return commitment_out(_get(request, commitment_id))


@router.patch(
    "/{commitment_id}",
    response={200: CommitmentOut, ERROR_CODES: Error},
    summary="修改承诺",
    description="草稿可直接修改；已公示承诺只能变更目标，须提供 change_reason 与 approving_document（否则 422）。",
)
def update_commitment(request, commitment_id: ObjectId, payload: JsonBody):
    return _update(request, commitment_id, payload)


@router.post(
    "/{commitment_id}",
    response={200: CommitmentOut, ERROR_CODES: Error},
    summary="修改承诺（同 PATCH，供不能发送 PATCH 的客户端）",
)
def update_commitment_post(request, commitment_id: ObjectId, payload: JsonBody):
    return _update(request, commitment_id, payload)


def _update(request, commitment_id: ObjectId, payload: dict):
    c = services.update_commitment(_get(request, commitment_id), _body(payload), access=access_of(request))
    return commitment_out(c)


@router.post(
    "/{commitment_id}/changes",
    response={200: CommitmentOut, ERROR_CODES: Error},
    summary="依法定程序变更承诺目标",
)
def change_commitment(request, commitment_id: ObjectId, payload: JsonBody):
    c = services.change_target(_get(request, commitment_id), _body(payload), access=access_of(request))
    return commitment_out(c)


@router.post(
    "/{commitment_id}/publish", response={200: CommitmentOut, ERROR_CODES: Error}, summary="公示承诺"
)
def publish_commitment(request, commitment_id: ObjectId):
    return commitment_out(services.publish(_get(request, commitment_id), access=access_of(request)))


@router.post(
    "/{commitment_id}/withdraw", response={200: CommitmentOut, ERROR_CODES: Error}, summary="撤回承诺"
)
def withdraw_commitment(request, commitment_id: ObjectId, payload: ReasonIn):
    check_text(reason=payload.reason)
    c = services.withdraw(_get(request, commitment_id), access=access_of(request), reason=payload.reason)
    return commitment_out(c)


@router.post(
    "/{commitment_id}/reports",
    response={201: CommitmentReportOut, ERROR_CODES: Error},
    summary="报送承诺进展",
)
def submit_report(request, commitment_id: ObjectId, payload: JsonBody):
    r = services.submit_report(_get(request, commitment_id), _body(payload), access=access_of(request))
    return Status(
        201,
        {
            "id": r.pk,
            "period": r.period,
            "final": r.final,
            "value": _s(r.value),
            "done_on": r.done_on,
            "narrative": r.narrative,
            "evidence_name": r.evidence_name,
            "evidence_sha256": r.evidence_sha256,
            "state": r.state,
            "submitted_on": r.submitted_on,
        },
    )


@router.post(
    "/{commitment_id}/assess",
    response={200: CommitmentOut, ERROR_CODES: Error},
    summary="核定承诺履行情况",
    description="由核定单位的工作人员核定（报告人本人核定 403）；未履行或低于阈值的部分履行生成失信线索。",
)
def assess_commitment(request, commitment_id: ObjectId, payload: JsonBody):
    c = _get(request, commitment_id)
    services.assess(c, _body(payload), access=access_of(request))
    return commitment_out(Commitment.objects.select_related("subject", "unit").get(pk=c.pk))


# -- public 承诺公示 ---------------------------------------------------------------------------------
class PublicCommitmentOut(Schema):
    code: str
    kind: str
    kind_label: str
    title: str
    content: str
    subject_code: str
    subject_name: str
    unit: str
    source_type: str
    source_document: str
    source_clause: str
    metric: str
    metric_unit: str
    direction: str
    baseline: str | None
    target: str | None
    target_date: dt.date | None
    target_text: str
    start_on: dt.date
    due_on: dt.date
    areas: list[str]
    status: str
    status_label: str
    version: int
    published_at: str | None
    overdue: bool
    next_report_due: dt.date | None
    progress: int
    reports: list[CommitmentReportOut]
    changes: list[CommitmentChangeOut]
    assessment: CommitmentAssessmentOut | None


class PublicCommitmentPage(Schema):
    count: int
    items: list[PublicCommitmentOut]


PUBLIC_KEYS = set(PublicCommitmentOut.model_fields)


def public_out(c: Commitment) -> dict:
    data = commitment_out(c, public=True)
    return {k: v for k, v in data.items() if k in PUBLIC_KEYS}


@public_router.get(
    "/commitments",
    response={200: PublicCommitmentPage, 404: Error, 422: Error},
    summary="承诺公示（分页）",
    description="已公示的政务承诺：基期值、目标、进度、报告时间线、下次报告期限、是否逾期；变更后原目标保留。",
)
def public_commitments(
    request,
    subject: str = Query("", description="承诺主体的统一社会信用代码或公开编号"),
    kind: str = "",
    area: str = "",
    page: int = Query(1, ge=1, le=100_000),
):
    qs = services.public_commitments().select_related("subject", "unit")
    if subject:
        found = services.resolve_subject(subject)
        if found is None:
            return Status(404, {"detail": f"主体「{subject[:40]}」未登记"})
        qs = qs.filter(subject=found)
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(services.area_filter(area))
    count, rows = page_of(qs.order_by("-published_at", "pk"), page, PAGE_SIZE)
    return {"count": count, "items": [public_out(c) for c in rows]}


@public_router.get(
    "/commitments/{code}",
    response={200: PublicCommitmentOut, frozenset({404, 422}): Error},
    summary="承诺公示详情",
)
def public_commitment(request, code: str):
    c = services.public_commitments().select_related("subject", "unit").filter(code=code[:30]).first()
    if c is None:
        return Status(404, {"detail": "承诺不存在或未公示"})
    return public_out(c)


__all__ = ["CStatus", "public_router", "router"]
