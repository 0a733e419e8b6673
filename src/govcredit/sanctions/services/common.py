"""Shared by the sanctions services: audit labels, who may manage, scopes, reasons, people to notify."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Membership, Role
from govcredit.accounts.permissions import Access
from govcredit.core.errors import NotFound
from govcredit.core.ledger import register_action
from govcredit.core.text import required_reason
from govcredit.subjects.models import Subject, SubjectKind

from ..models import (
    AccountabilityReferral,
    CriticismNotice,
    Notice,
    Rectification,
    RectificationStatus,
    Sanction,
)

logger = logging.getLogger("govcredit.sanctions")

for _key, _label in {
    "govcredit.measure.saved": "保存奖惩措施",
    "govcredit.rule.created": "新增联合奖惩规则",
    "govcredit.rule.versioned": "修改联合奖惩规则（新版本）",
    "govcredit.rule.deactivated": "停用联合奖惩规则",
    "govcredit.sanction.created": "实施奖惩措施",
    "govcredit.sanction.changed": "调整奖惩措施",
    "govcredit.sanction.lifted": "解除奖惩措施",
    "govcredit.rectification.created": "下达限期整改任务",
    "govcredit.rectification.submitted": "提交整改材料",
    "govcredit.rectification.accepted": "整改验收通过",
    "govcredit.rectification.returned": "整改退回",
    "govcredit.rectification.cancelled": "整改任务取消",
    "govcredit.rectification.escalated": "整改逾期督办",
    "govcredit.rectification.attachment_viewed": "下载整改附件",
    "govcredit.notice.drafted": "生成通报批评草稿",
    "govcredit.notice.updated": "修改通报批评",
    "govcredit.notice.published": "发布通报批评",
    "govcredit.notice.withdrawn": "撤回通报批评",
    "govcredit.referral.created": "移送追究主要负责人责任",
    "govcredit.referral.updated": "更新责任追究办理情况",
}.items():
    register_action(_key, _label)

#: rectification tasks the recorded unit still has to act on (overdue once past the deadline)
TODO_STATUSES = (RectificationStatus.OPEN, RectificationStatus.RETURNED)


# -- permissions and scope -----------------------------------------------------------------------


def can_manage(access: Access) -> bool:
    """Measures, rules, lifting sanctions, accepting rectification, notices, referrals."""
    return access.has_role(Role.CREDIT_OFFICE, Role.ADMIN)


def can_run_checks(access: Access) -> bool:
    if access.has_role(Role.CREDIT_OFFICE, Role.REVIEWER, Role.ADMIN):
        return True
    # clerks of the units flagged ``runs_credit_checks`` (区委组织部, 区人社局 by default: policy （九）,
    # checks for recruitment and appointment 招录、任用); the administrator sets the flag per unit
    return any(m.role == Role.CLERK and m.organisation.runs_credit_checks for m in access.memberships)


def can_handle_referrals(access: Access) -> bool:
    return can_manage(access) or any(
        m.organisation.handles_referrals and m.role in (Role.CLERK, Role.CREDIT_OFFICE)
        for m in access.memberships
    )


def _scope(access: Access, qs: QuerySet, subject_field: str = "subject", record_field: str = "record"):
    if access.user is None:
        return qs.none()
    if access.sees_everything:
        return qs
    condition = Q(pk__in=[])
    own = access.subject_ids_of_own_units()
    if own:
        condition |= Q(**{f"{subject_field}_id__in": own}) | Q(**{f"{subject_field}__parent_id__in": own})
    clerk_units = {m.organisation_id for m in access.memberships if m.role == Role.CLERK}
    if clerk_units:
        condition |= Q(**{f"{record_field}__source_unit_id__in": clerk_units})
    return qs.filter(condition)


def sanctions_for(access: Access) -> QuerySet[Sanction]:
    qs = Sanction.objects.select_related("subject", "record", "measure", "rule", "record__item")
    return _scope(access, qs)


def rectifications_for(access: Access) -> QuerySet[Rectification]:
    qs = Rectification.objects.select_related("subject", "record", "sanction__measure")
    return _scope(access, qs)


def referrals_for(access: Access) -> QuerySet[AccountabilityReferral]:
    qs = AccountabilityReferral.objects.select_related("record", "unit", "person", "to_unit")
    if can_handle_referrals(access):
        return qs
    return _scope(access, qs, subject_field="unit")


def notices_for(access: Access) -> QuerySet[CriticismNotice]:
    return _scope(access, CriticismNotice.objects.select_related("record", "subject"))


def get_visible(qs: QuerySet, pk, what: str):
    """The row ``pk`` of a scoped queryset (``sanctions_for`` …); NotFound names ``what``."""
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound(f"{what}不存在或您无权查看") from exc


def _reason(reason: str, what: str = "原因") -> str:
    return required_reason(reason, what=what, label="原因")


def _iso(value):
    return value.isoformat() if value else None


# -- people to notify ---------------------------------------------------------------------------------


def _users_of(org_filter: Q, roles=None) -> set:
    qs = Membership.objects.filter(org_filter, user__is_active=True)
    if roles:
        qs = qs.filter(role__in=roles)
    return {m.user for m in qs.select_related("user")}


def _unit_users(subject: Subject) -> set:
    return _users_of(Q(organisation__subject=subject), roles=[Role.SUBJECT_USER])


def _superior_users(subject: Subject) -> set:
    parent = subject.parent
    while parent is not None and parent.kind != SubjectKind.GOVERNMENT:
        parent = parent.parent
    if parent is None or parent.pk == subject.pk:
        return set()
    return _users_of(Q(organisation__subject=parent))


def _credit_office_users() -> set:
    return _users_of(Q(organisation__is_credit_office=True), roles=[Role.CREDIT_OFFICE])


def _notify_users(users, *, title: str, body: str, link: str) -> None:
    users = list(users)
    Notice.objects.bulk_create([Notice(user=u, title=title[:200], body=body, link=link) for u in users])
    recipients = [u.email for u in users if u.email]
    if recipients:

        def send():
            try:
                send_mail(title, f"{body}\n\n{link}", settings.DEFAULT_FROM_EMAIL, recipients)
            except Exception:  # mail trouble must not undo the change; the in-app notice stands
                logger.exception("notice mail failed")

        transaction.on_commit(send)


def mark_notices_read(access: Access) -> int:
    return Notice.objects.filter(user=access.user, read_at__isnull=True).update(read_at=timezone.now())
