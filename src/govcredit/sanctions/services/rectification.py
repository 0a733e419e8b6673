"""限期整改 (rectification tasks): created, submitted with attachments, accepted or returned, escalated."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.core.calendar import deadline_after
from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.core.ledger import log_action
from govcredit.core.uploads import upload_problem

from ..models import (
    Rectification,
    RectificationAttachment,
    RectificationEvent,
    RectificationStatus,
    Sanction,
)
from .common import (
    TODO_STATUSES,
    _credit_office_users,
    _notify_users,
    _reason,
    _superior_users,
    _unit_users,
    can_manage,
)

# -- rectification --------------------------------------------------------------------------------


def create_rectification(sanction: Sanction, *, actor=None, today: dt.date | None = None) -> Rectification:
    today = today or timezone.localdate()
    deadline = deadline_after(today, sanction.measure.rectification_days)
    task = Rectification.objects.create(
        sanction=sanction,
        record=sanction.record,
        subject=sanction.subject,
        deadline=deadline.due,
        deadline_note=deadline.explain()[:500],
    )
    RectificationEvent.objects.create(
        rectification=task, event="created", note=task.deadline_note, actor=actor
    )
    log_action(
        "govcredit.rectification.created",
        actor=actor,
        obj=task,
        summary=f"{sanction.subject.display_name} 限期整改，期限 {task.deadline:%Y-%m-%d}",
        after={"deadline": task.deadline.isoformat(), "explain": task.deadline_note},
    )
    _notify_users(
        _unit_users(sanction.subject),
        title=f"限期整改任务：{sanction.record.document_no}",
        body=f"请于 {task.deadline:%Y-%m-%d} 前提交书面说明和整改报告。{task.deadline_note}",
        link=f"/office/sanctions/rectifications/{task.pk}/",
    )
    return task


def _rect_transition(
    task: Rectification, expected: str, new: str, *, actor, note: str = "", **changes
) -> None:
    updated = Rectification.objects.filter(pk=task.pk, status=expected).update(status=new, **changes)
    if updated != 1:
        current = Rectification.objects.filter(pk=task.pk).values_list("status", flat=True).first()
        raise Conflict(f"整改任务已被他人处理，当前状态为「{RectificationStatus(current).label}」，请刷新")
    task.status = new
    for key, value in changes.items():
        setattr(task, key, value)
    RectificationEvent.objects.create(rectification=task, event=new, note=note, actor=actor)
    log_action(
        f"govcredit.rectification.{new}",
        actor=actor,
        obj=task,
        summary=f"{task.record.document_no} 整改：{RectificationStatus(new).label}"
        + (f"，{note}" if note else ""),
        before={"status": expected},
        after={"status": new},
    )


def may_submit_rectification(access: Access, task: Rectification) -> bool:
    return task.subject_id in access.subject_ids_of_own_units() or can_manage(access)


def may_decide_rectification(access: Access) -> bool:
    """Accept or return submitted rectification material."""
    return can_manage(access) or access.can_review()


def submit_rectification(
    task: Rectification, *, explanation: str, report: str, files=(), access: Access
) -> Rectification:
    """The recorded unit submits its written explanation and rectification report (with attachments)."""
    access.require(may_submit_rectification(access, task), "只有被记录单位的用户可以提交整改材料")
    if task.status == RectificationStatus.ACCEPTED:
        raise Conflict("该整改任务已验收通过，不能再提交")
    if task.status not in TODO_STATUSES:
        raise Conflict(f"该整改任务当前为「{task.get_status_display()}」，不能提交")
    errors: dict[str, list[str]] = {}
    explanation, report = (explanation or "").strip(), (report or "").strip()
    if not explanation:
        errors["explanation"] = ["请填写书面说明（失信原因）"]
    elif len(explanation) > 5000:
        errors["explanation"] = ["书面说明不能超过5000个字符"]
    if not report:
        errors["report"] = ["请填写整改报告（已采取的整改措施和效果）"]
    elif len(report) > 10000:
        errors["report"] = ["整改报告不能超过10000个字符"]
    files = list(files)
    problems = [p for p in (upload_problem(name, content) for name, content in files) if p]
    if problems:
        errors["attachments"] = problems
    if errors:
        raise ValidationFailed("整改材料有误", field_errors=errors)
    with transaction.atomic():
        _rect_transition(
            task,
            task.status,
            RectificationStatus.SUBMITTED,
            actor=access.user,
            explanation=explanation,
            report=report,
            submitted_by=access.user,
            submitted_at=timezone.now(),
        )
        for name, content in files:
            att = RectificationAttachment(rectification=task, uploaded_by=access.user)
            att.store(name, content)
            att.save()
    return task


def accept_rectification(task: Rectification, *, note: str = "", access: Access) -> Rectification:
    access.require(may_decide_rectification(access), "只有信用办可以验收整改")
    return _decide_rectification(
        task,
        RectificationStatus.ACCEPTED,
        note=note.strip(),
        actor=access.user,
        verb="验收",
        title="整改已验收",
    )


def return_rectification(task: Rectification, *, note: str, access: Access) -> Rectification:
    access.require(may_decide_rectification(access), "只有信用办可以退回整改")
    note = _reason(note, "退回理由")
    return _decide_rectification(
        task, RectificationStatus.RETURNED, note=note, actor=access.user, verb="退回", title="整改材料被退回"
    )


def _decide_rectification(task: Rectification, new: str, *, note: str, actor, verb: str, title: str):
    if task.status != RectificationStatus.SUBMITTED:
        raise Conflict(f"只有已提交的整改可以{verb}，当前为「{task.get_status_display()}」")
    with transaction.atomic():
        _rect_transition(
            task,
            RectificationStatus.SUBMITTED,
            new,
            actor=actor,
            note=note,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_note=note,
        )
        _notify_users(
            _unit_users(task.subject),
            title=f"{title}：{task.record.document_no}",
            body=note,
            link=f"/office/sanctions/rectifications/{task.pk}/",
        )
    return task


def overdue_rectifications(
    today: dt.date | None = None, *, qs: QuerySet | None = None
) -> QuerySet[Rectification]:
    """Tasks past their deadline with the unit still to act (all, or those of ``qs``)."""
    today = today or timezone.localdate()
    qs = Rectification.objects.all() if qs is None else qs
    return qs.filter(status__in=TODO_STATUSES, deadline__lt=today)


def escalate_overdue(today: dt.date | None = None) -> int:
    """Flag each overdue task once and tell the unit's superior government and the credit office.

    The claim is a compare-and-swap on ``escalated_at`` (NULL → now): with two workers exactly one
    wins each task, and a crash rolls the claim back with the notices.
    """
    today = today or timezone.localdate()
    count = 0
    ids = list(overdue_rectifications(today).filter(escalated_at__isnull=True).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            if (
                Rectification.objects.filter(pk=pk, escalated_at__isnull=True).update(
                    escalated_at=timezone.now()
                )
                != 1
            ):
                continue
            task = Rectification.objects.select_related("subject", "subject__parent", "record").get(pk=pk)
            days = (today - task.deadline).days
            title = f"整改逾期督办：{task.subject.display_name}（{task.record.document_no}）"
            body = (
                f"{task.subject.display_name} 的限期整改任务已于 {task.deadline:%Y-%m-%d} 到期，"
                f"逾期 {days} 天仍未提交整改材料，请督促整改。"
            )
            users = _superior_users(task.subject) | _credit_office_users() | _unit_users(task.subject)
            _notify_users(users, title=title, body=body, link=f"/office/sanctions/rectifications/{task.pk}/")
            RectificationEvent.objects.create(rectification=task, event="escalated", note=body)
            log_action(
                "govcredit.rectification.escalated",
                obj=task,
                summary=title,
                after={"notified": sorted(u.pk for u in users), "overdue_days": days},
            )
            count += 1
    return count
