"""The printable 督办单 (supervision notice) of a complaint: WeasyPrint with the CJK font, audited."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.core.ledger import log_action, register_action

from . import complaints, rules
from .models import Complaint

register_action("govcredit.complaint.notice_printed", "打印督办单")

STAGE_TITLES = {"urge": "催办单", "supervise": "督办单", "listed": "挂牌督办单"}


def notice_number(c: Complaint) -> str:
    return f"周信督〔{timezone.localdate().year}〕{c.pk:05d}号"


def supervision_notice(c: Complaint, *, access: Access) -> bytes:
    from weasyprint import HTML

    today = timezone.localdate()
    duty = complaints.duty_of(c)
    stage = duty.stage if duty else ""
    html = render_to_string(
        "supervision/notice_pdf.html",
        {
            "c": c,
            "title": STAGE_TITLES.get(stage, "督办单"),
            "stage_label": duty.get_stage_display() if duty and stage else "",
            "number": notice_number(c),
            "today": today,
            "days_overdue": max((today - c.deadline).days, 0),
            "unit": c.assigned_unit or c.respondent,
            "reply_days": rules.value("notice_reply_working_days"),
        },
    )
    body = HTML(string=html).write_pdf()
    log_action(
        "govcredit.complaint.notice_printed",
        actor=access.user,
        obj=c,
        summary=f"打印 {c.tracking_code} 督办单",
    )
    return body
