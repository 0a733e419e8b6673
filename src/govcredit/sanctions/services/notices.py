"""通报批评 (criticism notices): drafted, edited, published on the portal, withdrawn."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.core import public_version
from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.core.ledger import log_action
from govcredit.records.models import LIVE_STATUSES

from ..models import (
    CriticismNotice,
    NoticeStatus,
    Sanction,
)
from .common import _reason, can_manage

# -- criticism notices ----------------------------------------------------------------------------------

NOTICE_TEMPLATE = """经核查，{subject}存在以下政务失信行为：

{facts}

上述行为经{decided_by}于{decided_on}作出处理决定（{document_no}），已纳入政务失信记录。根据《周村区人民政府关于加强政务诚信建设的实施意见》（周政发〔2018〕26号）第（九）项规定，现对{subject}予以通报批评，并责令其书面说明原因、限期整改。

各级政府和政府部门要引以为戒，切实增强诚信意识，依法履职、守信践诺。

周村区社会信用体系建设联席会议办公室
{today}"""


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def draft_notice(sanction: Sanction, *, actor=None) -> CriticismNotice:
    record, subject = sanction.record, sanction.subject
    name = subject.display_name
    notice = CriticismNotice.objects.create(
        record=record,
        subject=subject,
        sanction=sanction,
        title=f"关于对{name}政务失信行为的通报",
        body=NOTICE_TEMPLATE.format(
            subject=name,
            facts=record.facts,
            decided_by=record.decided_by,
            decided_on=_cn_date(record.decided_on),
            document_no=record.document_no,
            today=_cn_date(timezone.localdate()),
        ),
    )
    log_action("govcredit.notice.drafted", actor=actor, obj=notice, summary=notice.title)
    return notice


def update_notice(notice: CriticismNotice, *, title: str, body: str, access: Access) -> CriticismNotice:
    access.require(can_manage(access), "只有信用办可以编辑通报")
    if notice.status != NoticeStatus.DRAFT:
        raise Conflict("只有草稿状态的通报可以修改")
    errors = {}
    if not title.strip():
        errors["title"] = ["请填写标题"]
    if not body.strip():
        errors["body"] = ["请填写正文"]
    if errors:
        raise ValidationFailed("通报内容有误", field_errors=errors)
    with transaction.atomic():
        before = {"title": notice.title, "body": notice.body}
        notice.title, notice.body = title.strip()[:200], body.strip()
        notice.save(update_fields=["title", "body"])
        log_action(
            "govcredit.notice.updated",
            actor=access.user,
            obj=notice,
            summary=notice.title,
            before=before,
            after={"title": notice.title, "body": notice.body},
        )
    return notice


def publish_notice(notice: CriticismNotice, *, access: Access) -> CriticismNotice:
    access.require(can_manage(access), "只有信用办可以发布通报")
    if notice.record.status not in LIVE_STATUSES:
        raise Conflict("该记录已不在公示期内，不能发布通报")
    with transaction.atomic():
        now = timezone.now()
        if (
            CriticismNotice.objects.filter(pk=notice.pk, status=NoticeStatus.DRAFT).update(
                status=NoticeStatus.PUBLISHED, published_at=now, reviewed_by=access.user
            )
            != 1
        ):
            raise Conflict("只有草稿状态的通报可以发布")
        notice.status, notice.published_at, notice.reviewed_by = NoticeStatus.PUBLISHED, now, access.user
        log_action("govcredit.notice.published", actor=access.user, obj=notice, summary=notice.title)
        public_version.bump()
    return notice


def _withdraw_notice(notice: CriticismNotice, *, reason: str, actor) -> None:
    notice.status, notice.withdrawn_reason = NoticeStatus.WITHDRAWN, reason
    notice.save(update_fields=["status", "withdrawn_reason"])
    public_version.bump()
    log_action(
        "govcredit.notice.withdrawn", actor=actor, obj=notice, summary=f"{notice.title}：{reason}"[:500]
    )


def withdraw_notice(notice: CriticismNotice, *, reason: str, access: Access) -> CriticismNotice:
    access.require(can_manage(access), "只有信用办可以撤回通报")
    reason = _reason(reason, "撤回原因")
    if notice.status == NoticeStatus.WITHDRAWN:
        raise Conflict("该通报已撤回")
    with transaction.atomic():
        _withdraw_notice(notice, reason=reason, actor=access.user)
    return notice


def published_notices() -> QuerySet[CriticismNotice]:
    """What the portal shows: published notices whose record is still public."""
    return CriticismNotice.objects.filter(
        status=NoticeStatus.PUBLISHED, record__status__in=LIVE_STATUSES, record__disclosure="public"
    ).select_related("record", "subject")
