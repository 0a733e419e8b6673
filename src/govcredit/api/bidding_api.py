"""Bidding credit API (policy （十三）): the public 招标投标失信名单 and its archive, and the staff entry
points of 区发改局 / 区住建局 / the trading centre. Thin: rules live in ``govcredit.bidding.services``."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from govcredit.bidding import services
from govcredit.bidding.models import CreditEvaluation, ThirdPartyReport
from govcredit.subjects.models import Subject
from govcredit.subjects.services import find_by_code

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import ERROR_CODES, Error, ObjectId

public_router = Router(tags=["公开接口"])
router = Router(tags=["招标投标信用"], auth=TokenAuth())
PAGE = 20


class EntryOut(Schema):
    id: int
    subject: str
    code: str
    record_id: ObjectId
    document_no: str
    violation: str
    violation_type: str
    legal_basis: str
    decision: str
    decided_on: str
    decided_by: str
    listed_on: str
    restriction_end: str | None
    list_until: str
    on_list: bool
    window_note: str


class EntryPage(Schema):
    count: int
    items: list[EntryOut]


@public_router.get(
    "/bidding/blacklist",
    response={200: EntryPage, frozenset({422}): Error},
    summary="招标投标失信名单",
    description=(
        "公告期内的名单（公告6个月，限制期限更长的至限制期满，招标投标违法行为记录公告暂行办法第九条）；"
        "archive=true 查询档案库（含已移出公告的）。q 为名称、统一社会信用代码或文书号；每页 20 条。"
    ),
)
def blacklist(request, q: str = "", page: int = 1, archive: bool = False):
    if page < 1:
        return Status(422, {"detail": "page 应为不小于 1 的整数"})
    if len(q) > 100:
        return Status(422, {"detail": "q 最多 100 个字符"})
    check_text(q=q)
    qs = services.archive(q) if archive else services.public_blacklist(q=q)
    count, rows = page_of(qs, min(page, 10**6), PAGE)
    return {"count": count, "items": [services.entry_row(e) for e in rows]}


class ViolationIn(Schema):
    subject_name: str
    subject_kind: str
    uscc: str = ""
    id_number: str = ""
    severity: str
    document_no: str
    decided_on: str
    decided_by: str
    facts: str
    outcome: str = ""
    legal_basis: str = ""
    violation: str
    role: str = ""
    project_name: str = ""
    restriction_months: int | None = None
    restriction_start: str = ""
    source_unit: str = ""


class ViolationOut(Schema):
    id: int
    status: str
    restriction_months: int | None


@router.post(
    "/violations",
    response={201: ViolationOut, ERROR_CODES: Error},
    summary="报送招标投标违法行为",
    description=(
        "记录当事人、违法行为、处理依据、处理决定、处理时间、处理机关（暂行办法第八条），与取消投标资格期限一起"
        "作为 bidding_violation 记录提交审核；严重违法须填写期限（第六十七条 12–24 个月，第六十八条 12–36 个月）。"
    ),
)
def submit_violation(request, payload: ViolationIn):
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    record, conduct = services.submit_violation(data, access=access_of(request))
    return Status(
        201, {"id": record.pk, "status": record.status, "restriction_months": conduct.restriction_months}
    )


def _subject(code: str) -> Subject:
    subject = find_by_code((code or "").strip().upper())
    if subject is None:
        from govcredit.core.errors import NotFound

        raise NotFound("主体未登记")
    return subject


class RoleIn(Schema):
    subject: str
    role: str
    qualification: str = ""


class RoleOut(Schema):
    id: int
    role: str


@router.post("/roles", response={201: RoleOut, ERROR_CODES: Error}, summary="登记市场主体角色")
def assign_role(request, payload: RoleIn):
    check_text(qualification=payload.qualification)
    role = services.assign_role(
        _subject(payload.subject),
        payload.role,
        access=access_of(request),
        qualification=payload.qualification,
    )
    return Status(201, {"id": role.pk, "role": role.role})


class EvaluationIn(Schema):
    subject: str
    role: str
    period: str


class EvaluationOut(Schema):
    id: int
    subject: str
    role: str
    period: str
    as_of: str
    base: str
    score: str
    grade: str
    lines: list[dict]
    digest: str


def _evaluation_out(ev: CreditEvaluation) -> dict:
    return {
        "id": ev.pk,
        "subject": ev.subject.public_code,
        "role": ev.role,
        "period": ev.period,
        "as_of": ev.as_of.isoformat(),
        "base": str(ev.base),
        "score": str(ev.score),
        "grade": ev.grade,
        "lines": ev.lines,
        "digest": ev.digest,
    }


@router.post(
    "/evaluations",
    response={200: EvaluationOut, ERROR_CODES: Error},
    summary="计算信用评价",
    description="基础分 100，按启用的指标扣分、加分（各有上限），每行 explanation 写明依据的记录或报告及计分。",
)
def evaluate(request, payload: EvaluationIn):
    check_text(period=payload.period)
    ev = services.evaluate(
        _subject(payload.subject), payload.role, period=payload.period, access=access_of(request)
    )
    return _evaluation_out(ev)


@router.get("/evaluations/{pk}", response={200: EvaluationOut, ERROR_CODES: Error}, summary="信用评价明细")
def get_evaluation(request, pk: ObjectId):
    if not services.can_view(access_of(request)):
        from govcredit.core.errors import PermissionDenied

        raise PermissionDenied("您没有查看招标投标信用评价的权限")
    return _evaluation_out(get_object_or_404(CreditEvaluation.objects.select_related("subject"), pk=pk))


class ReportIn(Schema):
    subject: str
    agency: str
    report_no: str
    grade: str
    issued_on: str
    valid_until: str


class ReportOut(Schema):
    id: int
    status: str


class VerifyIn(Schema):
    ok: bool
    note: str = ""


@router.post("/reports", response={201: ReportOut, ERROR_CODES: Error}, summary="登记第三方信用报告")
def register_report(request, payload: ReportIn):
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    report = services.register_report(_subject(data.pop("subject")), data, access=access_of(request))
    return Status(201, {"id": report.pk, "status": report.status})


@router.post(
    "/reports/{pk}/verify",
    response={200: ReportOut, ERROR_CODES: Error},
    summary="核验第三方信用报告",
    description="须由登记人以外的另一人向出具机构核实后登记结果。",
)
def verify_report(request, pk: ObjectId, payload: VerifyIn):
    check_text(note=payload.note)
    access = access_of(request)
    if not services.can_view(access):
        from govcredit.core.errors import PermissionDenied

        raise PermissionDenied("您没有核验第三方信用报告的权限")
    report = get_object_or_404(ThirdPartyReport, pk=pk)
    report = services.verify_report(report, ok=payload.ok, note=payload.note, access=access)
    return {"id": report.pk, "status": report.status}
