"""Records API for source units and reviewers (DESIGN §5). Thin: every change goes through
``records.services`` (single calls) or ``records.bulk`` (the batch path)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr

from govcredit.accounts.models import Organisation
from govcredit.records import bulk, services
from govcredit.records.models import Status as RecordStatus
from govcredit.records.selectors import get_record_for_user, records_for

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import ERROR_CODES, Error, NoteIn, ObjectId, ReasonIn

router = Router(auth=TokenAuth(), tags=["信用记录"])

PAGE_SIZE = 20
BATCH_LIMIT = 10_000
StatusName = Literal[tuple(RecordStatus.values)]


class RecordIn(BaseModel):
    """One record in the exchange format (DESIGN §5 keys). Content is checked by the shared
    validator, so missing or wrong values come back as Chinese messages per field."""

    model_config = ConfigDict(strict=True)

    subject_name: StrictStr | None = None
    subject_kind: StrictStr | None = Field(None, description="政府 / 部门 / 公务员 / 企业 / 个人，或英文类型")
    uscc: StrictStr | None = None
    id_number: StrictStr | None = None
    unit_uscc: StrictStr | None = None
    item: StrictStr | None = Field(None, description="目录事项代码或名称")
    severity: StrictStr | None = Field(None, description="一般 / 较重 / 严重（或 general / major / serious）")
    document_no: StrictStr | None = None
    decided_on: StrictStr | None = Field(None, description="2024-03-05、2024/3/5 或 2024年3月5日")
    decided_by: StrictStr | None = None
    facts: StrictStr | None = None
    outcome: StrictStr | None = None
    legal_basis: StrictStr | None = None


class UpsertIn(RecordIn):
    source_unit: StrictStr | None = Field(
        None, description="报送单位（统一社会信用代码、全称或简称）；令牌用户只属于一个报送单位时可省略"
    )
    submit: StrictBool = Field(False, description="保存后直接提交审核")


class BatchIn(BaseModel):
    model_config = ConfigDict(strict=True)

    records: list[RecordIn] = Field(..., max_length=BATCH_LIMIT, description="至多 10,000 条")
    submit: StrictBool = Field(True, description="保存后直接提交审核")
    source_unit: StrictStr | None = None


class RecordOut(Schema):
    id: int
    status: str


class RecordListItem(Schema):
    id: int
    status: str
    status_label: str
    document_no: str
    subject_name: str
    subject_kind: str
    subject_code: str
    item: str
    item_name: str
    severity: str
    decided_on: dt.date
    decided_by: str
    source_unit: str
    submitted_at: dt.datetime | None = None
    publish_until: dt.date | None = None


class RecordList(Schema):
    count: int
    items: list[RecordListItem]


class BatchItem(Schema):
    index: int
    id: int | None = None
    status: str = Field(..., description="accepted 已接收 / rejected 已退回")
    record_status: str | None = Field(None, description="记录状态：draft、submitted …")
    outcome: str | None = Field(None, description="created 新增 / updated 更新 / unchanged 无变化 / rejected")
    errors: dict[str, list[str]] | None = None


class BatchOut(Schema):
    accepted: int
    rejected: int
    results: list[BatchItem]


class ApproveIn(NoteIn):
    """Approve's body: an optional note, and the reviewer's confirmation of a differing name."""

    confirm_name: StrictBool = Field(
        False, description="报送的主体名称与登记名称不一致时，审核人确认二者指同一主体"
    )


# -- helpers ---------------------------------------------------------------------------------------


def source_unit_for(access, text: str | None) -> Organisation:
    """The unit an API call submits for (records.services.submitting_unit)."""
    check_text(source_unit=text)
    return services.submitting_unit(access, text)


def _record(request, record_id: int):
    return get_record_for_user(access_of(request), record_id)


def _out(record) -> dict:
    return {"id": record.pk, "status": record.status}


def _data(payload: RecordIn) -> dict:
    return payload.model_dump(include=set(RecordIn.model_fields), exclude_none=True)


# -- endpoints -------------------------------------------------------------------------------------


@router.get("", response={200: RecordList, ERROR_CODES: Error}, summary="本人可见的信用记录（分页）")
def list_records(
    request,
    status: StatusName | None = None,
    page: int = Query(1, ge=1, description="页码，从 1 开始；每页 20 条"),
    document_no: str | None = None,
    item: str | None = None,
):
    """状态过滤（draft、submitted、rejected、published …），每页 20 条；报送单位只看到本单位报送的记录。"""
    check_text(document_no=document_no, item=item)
    qs = records_for(access_of(request)).order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if document_no:
        qs = qs.filter(document_no=document_no.strip())
    if item:
        qs = qs.filter(item__code=item.strip())
    count, rows = page_of(qs, page, PAGE_SIZE)
    return {
        "count": count,
        "items": [
            {
                "id": r.pk,
                "status": r.status,
                "status_label": r.get_status_display(),
                "document_no": r.document_no,
                "subject_name": r.subject.display_name,
                "subject_kind": r.subject.kind,
                "subject_code": r.subject.code_display,
                "item": r.item.code,
                "item_name": r.item.name,
                "severity": r.severity,
                "decided_on": r.decided_on,
                "decided_by": r.decided_by,
                "source_unit": r.source_unit.name,
                "submitted_at": r.submitted_at,
                "publish_until": r.publish_until,
            }
            for r in rows
        ],
    }


@router.post(
    "", response={201: RecordOut, 200: RecordOut, ERROR_CODES: Error}, summary="按文书号新增或更新记录"
)
def upsert(request, payload: UpsertIn):
    """按（报送单位，文书号）新增（201）或更新（200，同一 id）：内容相同不作修改；草稿或已驳回的记录按新内容更新；
    已提交或已公示的记录内容不同则 409（更正须经审核）。"""
    access = access_of(request)
    unit = source_unit_for(access, payload.source_unit)
    check_text(**_data(payload))
    record, created, _changed = services.upsert_record(
        _data(payload), source_unit=unit, access=access, submit=payload.submit
    )
    return Status(201 if created else 200, _out(record))


@router.post(
    "/batch",
    response={200: BatchOut, ERROR_CODES: Error},
    exclude_none=True,
    summary="批量报送（至多 10,000 条）",
)
def batch(request, payload: BatchIn):
    """逐条返回结果：accepted（附记录 id 与状态）或 rejected（附各字段的中文原因）。接收的记录即使同批有退回也会保存。"""
    access = access_of(request)
    unit = source_unit_for(access, payload.source_unit)
    done = bulk.upsert_batch(
        (_data(record) for record in payload.records), source_unit=unit, access=access, submit=payload.submit
    )
    return {
        "accepted": done.summary.accepted,
        "rejected": done.summary.rejected,
        "results": [_batch_item(outcome) for outcome in done.outcomes],
    }


def _batch_item(outcome: bulk.Outcome) -> dict:
    if outcome.result == "rejected":
        errors = {(k or "detail"): v for k, v in outcome.errors.items() if v}
        return {
            "index": outcome.index,
            "id": outcome.record_id,
            "status": "rejected",
            "outcome": "rejected",
            "errors": errors,
        }
    return {
        "index": outcome.index,
        "id": outcome.record_id,
        "status": "accepted",
        "record_status": outcome.record_status,
        "outcome": outcome.result,
    }


@router.post("/{record_id}/submit", response={200: RecordOut, ERROR_CODES: Error}, summary="提交审核")
def submit(request, record_id: ObjectId):
    record = _record(request, record_id)
    return _out(services.submit_record(record, access=access_of(request)))


@router.post("/{record_id}/approve", response={200: RecordOut, ERROR_CODES: Error}, summary="审核通过并公示")
def approve(request, record_id: ObjectId, payload: ApproveIn | None = None):
    record = _record(request, record_id)
    note = (payload.note if payload else None) or ""
    check_text(note=note)
    confirm = bool(payload and payload.confirm_name)
    return _out(services.approve_record(record, access=access_of(request), note=note, confirm_name=confirm))


@router.post(
    "/{record_id}/reject", response={200: RecordOut, ERROR_CODES: Error}, summary="驳回（须说明理由）"
)
def reject(request, record_id: ObjectId, payload: ReasonIn):
    record = _record(request, record_id)
    check_text(reason=payload.reason)
    return _out(services.reject_record(record, access=access_of(request), reason=payload.reason))


@router.post(
    "/{record_id}/revoke", response={200: RecordOut, ERROR_CODES: Error}, summary="撤销（须说明理由）"
)
def revoke(request, record_id: ObjectId, payload: ReasonIn):
    record = _record(request, record_id)
    check_text(reason=payload.reason)
    return _out(services.revoke_record(record, access=access_of(request), reason=payload.reason))
