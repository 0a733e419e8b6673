"""信用报告 (PDF) of a subject on the portal, as 信用中国 offers: serial, SM3 digest, QR to the verify page.

The report states the subject's public records at the moment of issue and the head of the public
transparency log; its canonical JSON is stored so the verify page can show what a printout must say."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from govcredit.core.crypto import sm3_hex
from govcredit.core.ledger import canonical_json, transparency_head
from govcredit.subjects.models import Subject

from . import selectors
from .models import SubjectReport

SERIAL_PREFIX = "XY"
SERIAL_CHARS = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed from paper


def new_serial(today: dt.date) -> str:
    return f"{SERIAL_PREFIX}{today:%Y%m%d}-" + "".join(secrets.choice(SERIAL_CHARS) for _ in range(8))


def is_report_serial(serial: str) -> bool:
    serial = (serial or "").strip().upper()
    return serial.startswith(SERIAL_PREFIX) and len(serial) == 19


def _record_row(record) -> dict:
    return {
        "id": record.pk,
        "negative": record.item.negative,
        "item": record.item.name,
        "severity": record.get_severity_display() if record.item.negative else "",
        "document_no": record.document_no,
        "decided_by": record.decided_by,
        "decided_on": record.decided_on.isoformat(),
        "publish_until": record.publish_until.isoformat() if record.publish_until else "",
        "under_objection": record.status == "under_objection",
        "facts": record.facts,
    }


def report_content(subject: Subject, today: dt.date) -> str:
    seq, head_hash = transparency_head()
    return canonical_json(
        {
            "format": 1,
            "date": today.isoformat(),
            "subject": {
                "code": subject.public_code,
                "name": subject.display_name,
                "kind": subject.get_kind_display(),
            },
            "records": [_record_row(r) for r in selectors.subject_records(subject)],
            "ledger_head": {"sequence": seq, "hash": head_hash},
        }
    )


def _statement(content: str) -> dict:
    """What a report says about its subject: everything but the log head it is anchored to."""
    data = json.loads(content)
    data.pop("ledger_head", None)
    return data


def issue_report(subject: Subject, *, now: dt.datetime | None = None) -> SubjectReport:
    """The subject's report as of now; the one already issued today when nothing public changed since."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    content = report_content(subject, today)
    digest = sm3_hex(content)
    # Same day, same subject, same public records: the report already issued (the transparency log's
    # head moves with every publication about anyone, so it is left out of the comparison).
    stated = _statement(content)
    for existing in SubjectReport.objects.filter(subject=subject, issued_on=today).order_by("-issued_at"):
        if _statement(existing.content) == stated:
            return existing
    for _ in range(3):
        try:
            with transaction.atomic():
                return SubjectReport.objects.create(
                    serial=new_serial(today),
                    subject=subject,
                    issued_at=now,
                    issued_on=today,
                    content=content,
                    digest=digest,
                )
        except IntegrityError:  # a serial drawn twice (32**8 of them a day): draw again
            continue
    raise RuntimeError("无法生成报告编号")


def cn_date(value: dt.date | str) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return value.isoformat()  # the platform's one date format (core/formats)


def digest_groups(digest: str) -> str:
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def verify_url(report: SubjectReport, base_url: str) -> str:
    return f"{base_url}/reports/verify/?serial={report.serial}"


def render_pdf(report: SubjectReport, *, base_url: str) -> bytes:
    from weasyprint import HTML

    from govcredit.sanctions.checks import qr_data_uri

    data = json.loads(report.content)
    records = data["records"]
    for row in records:
        row["decided_on_cn"] = cn_date(row["decided_on"])
        row["publish_until_cn"] = cn_date(row["publish_until"]) if row["publish_until"] else "—"
    local = timezone.localtime(report.issued_at)
    url = verify_url(report, base_url)
    html = render_to_string(
        "portal/report_pdf.html",
        {
            "report": report,
            "data": data,
            "negative": [r for r in records if r["negative"]],
            "positive": [r for r in records if not r["negative"]],
            "issued": f"{cn_date(local.date())} {local:%H:%M}",
            "digest_groups": digest_groups(report.digest),
            "verify_url": url,
            "qr": qr_data_uri(url),
            "subject_url": f"{base_url}/subjects/{data['subject']['code']}/",
        },
    )
    return HTML(string=html).write_pdf()


@dataclass
class Verification:
    found: bool
    report: SubjectReport | None = None
    intact: bool = False  # the stored content still hashes to the stored digest
    digest_given: bool = False
    digest_matches: bool = False
    current: bool = False  # the subject's public records today would give the same records

    @property
    def authentic(self) -> bool:
        return self.found and self.intact and (self.digest_matches or not self.digest_given)

    @property
    def data(self) -> dict:
        return json.loads(self.report.content) if self.report else {}


def verify(serial: str, digest: str = "") -> Verification:
    serial = (serial or "").strip().upper()[:24]
    report = SubjectReport.objects.select_related("subject").filter(serial=serial).first() if serial else None
    if report is None:
        return Verification(found=False)
    digest = "".join((digest or "").split()).lower()
    stored = json.loads(report.content)
    today = [_record_row(r) for r in selectors.subject_records(report.subject)]
    return Verification(
        found=True,
        report=report,
        intact=sm3_hex(report.content) == report.digest,
        digest_given=bool(digest),
        digest_matches=bool(digest) and secrets.compare_digest(digest, report.digest),
        current=stored["records"] == today,
    )
