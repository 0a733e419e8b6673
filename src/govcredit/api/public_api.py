"""Public (no token) endpoints of DESIGN §5: subject search, subject profile, record, transparency log.

Everything goes through ``portal.selectors``, so the API shows exactly what the 信用周村 pages show.
(Objections, repairs and case tracking live in ``disputes_api.public_router``.)
"""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status

from govcredit.core.errors import NotFound, ValidationFailed
from govcredit.core.ledger import transparency_head, utc_iso
from govcredit.portal import selectors
from govcredit.portal.selectors import NoLongerPublic
from govcredit.records.models import Status as RecordStatus

from .schemas import Error

router = Router(tags=["公开接口"])

ERRORS_404_422 = frozenset({404, 422})


class PublicSubject(Schema):
    """DESIGN §5's code, name and kind (for people code is the public id, name masked), plus the
    kind's Chinese label. No database id: the public identify a subject by its code."""

    code: str
    name: str
    kind: str
    kind_label: str


class PublicSubjectPage(Schema):
    count: int
    items: list[PublicSubject]


class PublicRecordBrief(Schema):
    id: int
    item: str
    item_name: str
    negative: bool
    severity: str
    document_no: str
    decided_on: dt.date
    publish_until: dt.date | None
    under_objection: bool


class PublicSubjectProfile(PublicSubject):
    records: list[PublicRecordBrief]


class PublicSubjectRef(Schema):
    code: str
    name: str
    kind: str


class PublicRecord(PublicRecordBrief):
    facts: str
    decided_by: str
    outcome: str
    legal_basis: str
    source_unit: str
    published_at: str | None
    subject: PublicSubjectRef


class LedgerHead(Schema):
    sequence: int
    hash: str


class LedgerEntry(Schema):
    sequence: int
    hash: str
    prev_hash: str
    event: str
    record_id: int
    at: str


class LedgerPage(Schema):
    entries: list[LedgerEntry]


def _subject_out(subject) -> dict:
    return {
        "code": subject.public_code,
        "name": subject.display_name,
        "kind": subject.kind,
        "kind_label": subject.get_kind_display(),
    }


def _brief(record) -> dict:
    return {
        "id": record.pk,
        "item": record.item.code,
        "item_name": record.item.name,
        "negative": record.item.negative,
        "severity": record.severity,
        "document_no": record.document_no,
        "decided_on": record.decided_on,
        "publish_until": record.publish_until,
        "under_objection": record.status == RecordStatus.UNDER_OBJECTION,
    }


def _error(exc: NotFound | ValidationFailed, status: int) -> Status:
    return Status(status, {"detail": exc.message})


@router.get(
    "/subjects",
    response={200: PublicSubjectPage, ERRORS_404_422: Error},
    summary="搜索主体",
    description="按名称片段、拼音首字母（如 zcqfgj）或统一社会信用代码搜索；每页 20 条。个人的 code 为公开编号，姓名部分隐藏。",
)
def search_subjects(
    request,
    q: str = Query("", description="名称片段、拼音首字母或统一社会信用代码"),
    page: int = Query(1, ge=1, le=10**9, description="页码，从 1 开始；每页 20 条"),
):
    try:
        number = selectors.page_number(page)
        text = selectors.clean_query(q)
    except ValidationFailed as exc:
        return _error(exc, 422)
    qs = selectors.find_subjects(text)
    start = (number - 1) * selectors.PAGE_SIZE
    items = list(qs[start : start + selectors.PAGE_SIZE]) if start < 10**7 else []
    return {"count": qs.count(), "items": [_subject_out(s) for s in items]}


@router.get(
    "/subjects/{code}",
    response={200: PublicSubjectProfile, ERRORS_404_422: Error},
    summary="主体信用信息",
    description="主体的公开记录（公示期内，失信与守信）；code 为统一社会信用代码或公开编号。",
)
def subject_profile(request, code: str):
    try:
        subject = selectors.get_public_subject(code)
    except NotFound as exc:
        return _error(exc, 404)
    return {**_subject_out(subject), "records": [_brief(r) for r in selectors.subject_records(subject)]}


@router.get(
    "/records/{record_id}",
    response={200: PublicRecord, ERRORS_404_422: Error},
    summary="公开记录",
    description="一条公开记录；记录不公开或已不再公示（公示期满、修复、撤销）时 404。",
)
def public_record(request, record_id: str):
    try:
        record = selectors.get_public_record(record_id)
    except NoLongerPublic:
        return Status(404, {"detail": "该记录已不再公示"})
    except NotFound as exc:
        return _error(exc, 404)
    subject = record.subject
    return {
        **_brief(record),
        "facts": record.facts,
        "decided_by": record.decided_by,
        "outcome": record.outcome,
        "legal_basis": record.legal_basis,
        "source_unit": record.source_unit.name,
        "published_at": utc_iso(record.published_at) if record.published_at else None,
        "subject": {"code": subject.public_code, "name": subject.display_name, "kind": subject.kind},
    }


@router.get("/ledger/head", response={200: LedgerHead}, summary="公开日志链头")
def ledger_head(request):
    sequence, head_hash = transparency_head()
    return {"sequence": sequence, "hash": head_hash}


@router.get(
    "/ledger",
    response={200: LedgerPage, ERRORS_404_422: Error},
    summary="公开日志条目",
    description="序号大于 after 的条目（不含 after），升序，每次最多 100 条；第一条序号为 1。",
)
def ledger_entries(request, after: int = Query(0, ge=0, le=2**62, description="序号（不含），默认 0")):
    if after < 0 or after > 2**62:
        return Status(422, {"detail": "after 应为不小于 0 的整数"})
    return {
        "entries": [
            {
                "sequence": e.sequence,
                "hash": e.hash,
                "prev_hash": e.prev_hash,
                "event": e.event,
                "record_id": e.record_id,
                "at": utc_iso(e.at),
            }
            for e in selectors.ledger_entries(after, 100)
        ]
    }
