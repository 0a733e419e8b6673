"""追究责任 (accountability referrals): to the organisation department."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.accounts.permissions import Access
from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.core.ledger import log_action
from govcredit.subjects.models import UNIT_KINDS, Subject
from govcredit.subjects.services import principal_on

from ..models import (
    AccountabilityReferral,
    ReferralStatus,
    Sanction,
)
from .common import _reason, can_handle_referrals


def referral_unit() -> Organisation | None:
    """Where accountability referrals go (（九）: 追究主要负责人责任, 区委组织部牵头): the unit the
    administrator flagged ``handles_referrals``."""
    return Organisation.objects.filter(handles_referrals=True, active=True).order_by("pk").first()


def refer_principal(sanction: Sanction, *, actor=None) -> AccountabilityReferral:
    """Refer the principal responsible person *at the decision date* (from tenure data)."""
    record, unit = sanction.record, sanction.subject
    tenure = principal_on(unit, record.decided_on)
    referral = AccountabilityReferral.objects.create(
        record=record,
        sanction=sanction,
        unit=unit,
        person=tenure.person if tenure else None,
        position=tenure.position if tenure else "",
        on_date=record.decided_on,
        to_unit=referral_unit(),
    )
    who = (
        f"{tenure.person.display_name}（{tenure.position}）"
        if tenure
        else "（任职数据中无该日的主要负责人，须人工认定）"
    )
    log_action(
        "govcredit.referral.created",
        actor=actor,
        obj=referral,
        summary=f"{unit.display_name} 主要负责人 {who} 移送追究责任（{record.document_no}）",
        after={"person": referral.person_id, "on_date": record.decided_on.isoformat()},
    )
    return referral


def update_referral(
    referral: AccountabilityReferral, *, status: str, outcome: str = "", access: Access
) -> AccountabilityReferral:
    access.require(can_handle_referrals(access), "只有区委组织部或信用办可以登记责任追究办理情况")
    if status not in ReferralStatus.values:
        raise ValidationFailed("办理状态无效", field_errors={"status": ["请选择办理状态"]})
    if referral.status == ReferralStatus.CONCLUDED:
        raise Conflict("该移送已办结")
    outcome = (outcome or "").strip()
    if status == ReferralStatus.CONCLUDED and not outcome:
        raise ValidationFailed("请填写处理结果", field_errors={"outcome": ["办结时须填写处理结果"]})
    with transaction.atomic():
        before = {"status": referral.status, "outcome": referral.outcome}
        referral.status = status
        referral.outcome = outcome or referral.outcome
        referral.concluded_at = timezone.now() if status == ReferralStatus.CONCLUDED else None
        referral.save(update_fields=["status", "outcome", "concluded_at"])
        log_action(
            "govcredit.referral.updated",
            actor=access.user,
            obj=referral,
            summary=f"{referral.reference} 责任追究：{referral.get_status_display()}",
            before=before,
            after={"status": referral.status, "outcome": referral.outcome},
        )
    return referral


def open_referral(
    *,
    subject: Subject,
    unit: Organisation | None,
    reason: str,
    source_type: str,
    source_id: int | str,
    legal_basis: str,
    actor=None,
) -> AccountabilityReferral:
    """Open an accountability referral (追究责任) for any module, without a record or a sanction.

    ``subject``: the unit (or person) held accountable — for a unit, its principal responsible person
    today is looked up in the tenure data (``None`` when unknown: the 组织部 identifies them by hand);
    ``unit``: the organisation the referral goes to (``None``: the unit flagged ``handles_referrals``);
    ``source_type``/``source_id``: the object that caused it (``"commitments.commitment"``, 123).
    Idempotent: an open referral for the same source and subject is returned unchanged."""
    reason = _reason(reason, "移送事由")
    source_type, source_id = (source_type or "").strip(), str(source_id)
    if not source_type:
        raise ValidationFailed("请注明移送来源", field_errors={"source_type": ["请注明来源对象类型"]})
    today = timezone.localdate()
    with transaction.atomic():
        existing = (
            AccountabilityReferral.objects.select_for_update()
            .filter(source_type=source_type, source_id=source_id, unit=subject)
            .exclude(status=ReferralStatus.CONCLUDED)
            .first()
        )
        if existing is not None:
            return existing
        is_unit = subject.kind in UNIT_KINDS
        tenure = principal_on(subject, today) if is_unit else None
        person = tenure.person if tenure else (None if is_unit else subject)
        referral = AccountabilityReferral.objects.create(
            unit=subject,
            person=person,
            position=tenure.position if tenure else "",
            on_date=today,
            to_unit=unit or referral_unit(),
            reason=reason,
            legal_basis=(legal_basis or "").strip(),
            source_type=source_type,
            source_id=source_id,
        )
        log_action(
            "govcredit.referral.created",
            actor=actor,
            obj=referral,
            summary=f"{subject.display_name} 移送追究责任（{source_type} #{source_id}）：{reason}"[:500],
            after={
                "person": referral.person_id,
                "to_unit": referral.to_unit_id,
                "source": f"{source_type}:{source_id}",
                "legal_basis": referral.legal_basis,
            },
        )
    return referral
