"""Open-data downloads: CSV (UTF-8 with BOM, Excel-safe), JSON and the Atom feed.

Rows are streamed from the database (``iterator``) so a download of the whole public list never
builds every record in memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from govcredit.core.ledger import utc_iso
from govcredit.core.spreadsheets import formula_safe
from govcredit.records.models import CreditRecord, Status

from .selectors import FeedItem

CSV_HEADER = [
    "记录编号",
    "主体名称",
    "主体代码",
    "主体类型",
    "信息类别",
    "信息性质",
    "严重程度",
    "决定文书号",
    "决定日期",
    "决定机关",
    "失信（守信）事实",
    "处理结果",
    "法律依据",
    "报送单位",
    "公示日期",
    "公示截止日期",
    "状态",
    "链接",
]


def excel_safe(value: object) -> str:
    """CSV cells are text: None is empty, and formula-like text is neutralised (core.spreadsheets)."""
    return formula_safe("" if value is None else str(value))


def record_row(record: CreditRecord, base_url: str) -> list[str]:
    subject = record.subject
    return [
        str(record.pk),
        subject.display_name,
        subject.public_code,
        subject.get_kind_display(),
        record.item.name,
        "失信" if record.item.negative else "守信",
        record.get_severity_display(),
        record.document_no,
        record.decided_on.isoformat(),
        record.decided_by,
        record.facts,
        record.outcome,
        record.legal_basis,
        record.source_unit.name,
        timezone.localtime(record.published_at).date().isoformat() if record.published_at else "",
        record.publish_until.isoformat() if record.publish_until else "",
        "异议处理中" if record.status == Status.UNDER_OBJECTION else "公示中",
        f"{base_url}/records/{record.pk}/",
    ]


def csv_stream(records: Iterable[CreditRecord], base_url: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return value

    writer.writerow(CSV_HEADER)
    yield "\ufeff" + flush()
    for n, record in enumerate(records, 1):
        writer.writerow([excel_safe(v) for v in record_row(record, base_url)])
        if n % 200 == 0:
            yield flush()
    yield flush()


def record_json(record: CreditRecord, base_url: str = "") -> dict:
    """One public record as the public API and the JSON download show it."""
    subject = record.subject
    return {
        "id": record.pk,
        "subject": {"code": subject.public_code, "name": subject.display_name, "kind": subject.kind},
        "item": record.item.code,
        "item_name": record.item.name,
        "negative": record.item.negative,
        "severity": record.severity,
        "document_no": record.document_no,
        "decided_on": record.decided_on.isoformat(),
        "decided_by": record.decided_by,
        "facts": record.facts,
        "outcome": record.outcome,
        "legal_basis": record.legal_basis,
        "source_unit": record.source_unit.name,
        "published_at": utc_iso(record.published_at) if record.published_at else None,
        "publish_until": record.publish_until.isoformat() if record.publish_until else None,
        "under_objection": record.status == Status.UNDER_OBJECTION,
        "url": f"{base_url}/records/{record.pk}/",
    }


def json_stream(records: Iterable[CreditRecord], base_url: str, generated_at: str) -> Iterator[str]:
    """``{"generated_at", "items": [...]}`` streamed item by item (valid JSON at the end)."""
    yield '{"generated_at": ' + json.dumps(generated_at) + ', "items": [\n'
    first = True
    for record in records:
        yield ("" if first else ",\n") + json.dumps(record_json(record, base_url), ensure_ascii=False)
        first = False
    yield "\n]}\n"


EVENT_TITLES = {"publish": "公示", "correct": "更正", "withdraw": "撤下公示"}


def atom_feed(items: list[FeedItem], *, base_url: str) -> str:
    feed = Atom1Feed(
        title="信用周村 · 公示与撤下公示",
        link=f"{base_url}/",
        description="周村区政务诚信信息公示、更正与撤下公示动态（来自公开日志）",
        language="zh-CN",
        feed_url=f"{base_url}/feed.atom",
        author_name="周村区人民政府",
        feed_guid=f"{base_url}/feed.atom",
    )
    for item in items:
        entry = item.entry
        title_event = EVENT_TITLES.get(entry.event, entry.event)
        if item.record is not None:
            record = item.record
            title = (
                f"{title_event}：{record.subject.display_name} · {record.item.name}（{record.document_no}）"
            )
            description = (
                f"{record.subject.display_name}（{record.subject.get_kind_display()}）"
                f"{record.item.name}，{record.get_severity_display()}；决定机关：{record.decided_by}；"
                f"决定日期：{record.decided_on:%Y-%m-%d}；公示截止：{record.publish_until or '—'}。"
            )
            link = f"{base_url}/records/{record.pk}/"
        else:
            title = f"{title_event}：记录 {entry.record_id} 已不再公示"
            description = f"公开日志第 {entry.sequence} 条：记录 {entry.record_id} 已不再公示，详情不再提供。"
            link = f"{base_url}/ledger/?seq={entry.sequence}"
        feed.add_item(
            title=title,
            link=link,
            description=description,
            unique_id=f"{base_url}/ledger/#entry-{entry.sequence}",
            unique_id_is_permalink=False,
            updateddate=entry.at,
            pubdate=entry.at,
            categories=[entry.event],
        )
    return feed.writeString("utf-8")
