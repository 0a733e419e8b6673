"""Chinese notifications to applicants and handlers: email through Django's mail framework, SMS
through the configured gateway. Each message is a ``Notification`` row written in the transaction
of the change and sent after it commits (a rolled-back change sends nothing)."""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from govcredit.accounts.models import Role, User

from .models import DisputeCase, Notification
from .sms import get_gateway

logger = logging.getLogger("govcredit.disputes")

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SITE = "信用周村"


def contact_channel(contact: str) -> str | None:
    contact = (contact or "").strip()
    if EMAIL_RE.match(contact):
        return Notification.Channel.EMAIL
    if PHONE_RE.match(contact):
        return Notification.Channel.SMS
    return None


def _deliver(pk: int) -> None:
    note = Notification.objects.filter(pk=pk, state=Notification.State.PENDING).first()
    if note is None:
        return
    try:
        if note.channel == Notification.Channel.EMAIL:
            send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.recipient])
        else:
            get_gateway().send(note.recipient, f"【{SITE}】{note.body}")
    except Exception as exc:  # a mail server or SMS gateway failure must not break the workflow
        logger.warning("notification %s failed: %s", pk, exc)
        Notification.objects.filter(pk=pk).update(state=Notification.State.FAILED, error=str(exc)[:300])
        return
    Notification.objects.filter(pk=pk).update(state=Notification.State.SENT, sent_at=timezone.now())


def queue_many(notes: list[Notification]) -> list[Notification]:
    """Write many notifications in one statement; they are sent together once the transaction commits
    (the nightly duty reminders: one digest per unit and rung)."""
    created = Notification.objects.bulk_create(notes, batch_size=500)
    pks = [n.pk for n in created]
    if pks:
        transaction.on_commit(lambda: deliver_many(pks))
    return created


def deliver_many(pks: list[int]) -> None:
    """Send pending notifications through one mail connection and the SMS gateway; one state update per
    outcome instead of two queries a message."""
    from django.core.mail import EmailMessage, get_connection

    sent: list[int] = []
    failed: dict[int, str] = {}
    mail = get_connection()
    mail.open()
    gateway = None
    for start in range(0, len(pks), 1000):
        chunk = pks[start : start + 1000]
        for note in Notification.objects.filter(pk__in=chunk, state=Notification.State.PENDING).order_by(
            "pk"
        ):
            try:
                if note.channel == Notification.Channel.EMAIL:
                    EmailMessage(
                        note.subject,
                        note.body,
                        settings.DEFAULT_FROM_EMAIL,
                        [note.recipient],
                        connection=mail,
                    ).send()
                else:
                    gateway = gateway or get_gateway()
                    gateway.send(note.recipient, f"【{SITE}】{note.body}")
            except Exception as exc:  # a failure must not break the workflow: recorded per message
                logger.warning("notification %s failed: %s", note.pk, exc)
                failed[note.pk] = str(exc)[:300]
            else:
                sent.append(note.pk)
    mail.close()
    now = timezone.now()
    for start in range(0, len(sent), 1000):
        Notification.objects.filter(pk__in=sent[start : start + 1000]).update(
            state=Notification.State.SENT, sent_at=now
        )
    for pk, error in failed.items():
        Notification.objects.filter(pk=pk).update(state=Notification.State.FAILED, error=error)


def queue(
    case: DisputeCase | None,
    *,
    channel: str,
    recipient: str,
    audience: str,
    event: str,
    subject: str,
    body: str,
) -> Notification:
    note = Notification.objects.create(
        case=case,
        channel=channel,
        recipient=recipient,
        audience=audience,
        event=event,
        subject=subject,
        body=body,
    )
    transaction.on_commit(lambda pk=note.pk: _deliver(pk))
    return note


def notify_applicant(case: DisputeCase, event: str, text: str) -> Notification | None:
    channel = contact_channel(case.contact)
    if channel is None:
        return None
    kind = case.get_kind_display()
    subject = f"您的{kind}申请{text.split('。')[0][:40]}"
    body = (
        f"{case.applicant}：您好！您就信用记录「{case.record.document_no}」提出的{kind}申请{text}"
        f"可凭查询码在{SITE}“办理进度查询”页面查看进度。"
    )
    return queue(
        case,
        channel=channel,
        recipient=case.contact.strip(),
        audience="applicant",
        event=event,
        subject=subject,
        body=body,
    )


def handlers_of(case: DisputeCase, *, supervisors_only: bool = False) -> list[User]:
    """Clerks of the record's source unit and the credit office's staff (supervisors only: the office)."""
    office = User.objects.filter(
        is_active=True,
        memberships__role__in=[Role.CREDIT_OFFICE],
        memberships__organisation__is_credit_office=True,
    )
    if supervisors_only:
        users = office
    else:
        users = office | User.objects.filter(
            is_active=True,
            memberships__role=Role.CLERK,
            memberships__organisation_id=case.record.source_unit_id,
        )
    return list(users.distinct().order_by("pk"))


def notify_handlers(case: DisputeCase, event: str, text: str, *, supervisors_only: bool = False) -> int:
    sent = 0
    kind = case.get_kind_display()
    for user in handlers_of(case, supervisors_only=supervisors_only):
        if not user.email:
            continue
        queue(
            case,
            channel=Notification.Channel.EMAIL,
            recipient=user.email,
            audience="supervisor" if supervisors_only else "handler",
            event=event,
            subject=f"【{kind}】{case.record.document_no}：{text[:40]}",
            body=(
                f"{user}：您好！关于信用记录「{case.record.document_no}」（{case.record.source_unit}报送）的"
                f"{kind}案件（查询码尾号 {case.tracking_code[-6:]}）：{text}"
                "请登录政务诚信管理平台“异议与修复”办理。"
            ),
        )
        sent += 1
    return sent
