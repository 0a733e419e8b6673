"""The wave-2 kernel's endpoints: the duty clock, findings (失信线索), and the public disclosure ledger.
Thin: rules live in ``govcredit.duties``."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from govcredit.core.errors import ValidationFailed
from govcredit.duties import services
from govcredit.duties.clock import MODES, due_date
from govcredit.duties.disclosure import disclosure_head, entries_after, entry_json
from govcredit.records.validation import parse_date

from .auth import TokenAuth, access_of
from .schemas import ERROR_CODES, Error, ObjectId

clock_router = Router(tags=["期限计算"])
router = Router(auth=TokenAuth(), tags=["失信线索（工作人员）"])
public_router = Router(tags=["公开接口"])

MAX_UNITS = 100_000


class ClockOut(Schema):
    due: dt.date | None = Field(..., description="到期日 YYYY-MM-DD；暂停中为 null")
    explain: str = Field(..., description="中文计算说明（起算日不计入、顺延的节假日、暂停与延长）")
    mode: str
    n: int
    estimated: bool = Field(..., description="涉及节假日安排尚未公布的年份，按周一至周五预估")
    skipped_holidays: list[dt.date]


def _int(name: str, value: str | None, *, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationFailed(f"{label}应为整数", field_errors={name: [f"{label}应为整数"]}) from None
    if number < 0 or number > MAX_UNITS:
        raise ValidationFailed(
            f"{label}应在 0 至 {MAX_UNITS} 之间", field_errors={name: [f"{label}超出范围"]}
        )
    return number


@clock_router.get(
    "",
    response={200: ClockOut, 422: Error},
    summary="期限计算",
    description=(
        "按工作日（working）、日历日（calendar，民法典第二百零一至二百零三条）、月（months，第二百零二条）"
        "或年度固定日期（annual，month+day）计算到期日。n 也可写作 days 或 months。"
    ),
)
def duty_clock(
    request,
    start: str = Query(..., description="起算日 YYYY-MM-DD（当日不计入）"),
    mode: str = Query("working", description="working | calendar | months | annual"),
    n: str | None = Query(None, description="期限数（工作日数、日数或月数）"),
    days: str | None = Query(None, description="n 的别名"),
    months: str | None = Query(None, description="n 的别名（mode=months）"),
    month: str | None = Query(None, description="年度固定日期的月（mode=annual）"),
    day: str | None = Query(None, description="年度固定日期的日（mode=annual）"),
    extension: str | None = Query(None, description="延长期限数（一次）"),
    extension_mode: str | None = Query(None, description="延长的计算方式，默认同 mode"),
):
    try:
        start_on = parse_date(start)
    except (ValueError, OverflowError):
        return Status(422, {"detail": "起算日 start 格式应为 YYYY-MM-DD"})
    if mode not in MODES:
        return Status(422, {"detail": "计算方式 mode 应为 working、calendar、months 或 annual"})
    if extension_mode not in (None, "", "working", "calendar", "months"):
        return Status(422, {"detail": "延长计算方式 extension_mode 应为 working、calendar 或 months"})
    count = next((v for v in (n, days, months) if v not in (None, "")), None)
    units = _int("n", count, label="期限数 n") or 0
    if mode != "annual" and count in (None, ""):
        return Status(422, {"detail": "请给出期限数 n（或 days、months）"})
    if not 1990 <= start_on.year <= 2200:
        return Status(422, {"detail": "起算日超出可计算范围（1990–2200年）"})
    try:
        due = due_date(
            start_on,
            mode=mode,  # type: ignore[arg-type]
            n=units,
            month=_int("month", month, label="月"),
            day=_int("day", day, label="日"),
            extension=_int("extension", extension, label="延长期限数") or 0,
            extension_mode=extension_mode or None,  # type: ignore[arg-type]
        )
    except (ValueError, OverflowError) as exc:
        return Status(422, {"detail": str(exc) if str(exc) else "期限参数有误"})
    return {
        "due": due.due,
        "explain": due.explain(),
        "mode": due.mode,
        "n": due.n,
        "estimated": due.estimated,
        "skipped_holidays": list(due.skipped_holidays),
    }


class FindingOut(Schema):
    id: int
    module: str
    rule: str
    object_type: str
    object_id: int
    seq: int
    status: str
    status_label: str
    document_no: str
    record_id: int | None
    subject_code: str
    subject_name: str
    source_unit: str
    item: str
    severity: str
    facts: str
    legal_basis: str
    evidence: dict
    problem: str
    created_at: str
    updated_at: str


def finding_out(f) -> dict:
    from govcredit.core.ledger import utc_iso

    return {
        "id": f.pk,
        "module": f.module,
        "rule": f.rule,
        "object_type": f.object_type,
        "object_id": f.object_id,
        "seq": f.seq,
        "status": f.status,
        "status_label": f.get_status_display(),
        "document_no": f.document_no,
        "record_id": f.record_id,
        "subject_code": f.subject.public_code,
        "subject_name": f.subject.display_name,
        "source_unit": f.source_unit.name,
        "item": f.item,
        "severity": f.severity,
        "facts": f.facts,
        "legal_basis": f.legal_basis,
        "evidence": f.evidence or {},
        "problem": f.problem,
        "created_at": utc_iso(f.created_at),
        "updated_at": utc_iso(f.updated_at),
    }


@router.get("/{finding_id}", response={200: FindingOut, ERROR_CODES: Error}, summary="失信线索详情")
def get_finding(request, finding_id: ObjectId):
    if finding_id < 1 or finding_id > 2**62:
        return Status(404, {"detail": "失信线索不存在或不在您的查看范围内"})
    return finding_out(services.get_finding(access_of(request), finding_id))


class DisclosureHead(Schema):
    sequence: int
    hash: str


class DisclosureEntryOut(Schema):
    sequence: int
    hash: str
    prev_hash: str
    event: str
    object_type: str
    object_id: str
    version: int
    at: str


class DisclosurePage(Schema):
    entries: list[DisclosureEntryOut]


@public_router.get("/disclosure-ledger/head", response={200: DisclosureHead}, summary="公开事项日志链头")
def disclosure_ledger_head(request):
    sequence, head_hash = disclosure_head()
    return {"sequence": sequence, "hash": head_hash}


@public_router.get(
    "/disclosure-ledger",
    response={200: DisclosurePage, 422: Error},
    summary="公开事项日志条目",
    description=(
        "承诺、任务报告、债务信息等非信用记录公开事项的发布（publish）、更正（correct）与撤回（withdraw）。"
        "序号大于 after 的条目，升序，每次最多 100 条；哈希规则同公开日志（SM3）。"
    ),
)
def disclosure_ledger(request, after: int = Query(0, description="序号（不含），默认 0")):
    if after < 0 or after > 2**62:
        return Status(422, {"detail": "after 应为不小于 0 的整数"})
    return {"entries": [entry_json(e) for e in entries_after(after, 100)]}
