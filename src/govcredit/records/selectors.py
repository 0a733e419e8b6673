"""Scoped reads: every list, count, export and detail of records goes through these."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.catalog.models import Disclosure
from govcredit.core.errors import NotFound

from .models import LIVE_STATUSES, CreditRecord


def records_for(access: Access) -> QuerySet[CreditRecord]:
    """Records this user may see: staff-wide roles all; a source unit what it submitted; a recorded
    unit its own records and its civil servants'; a third party only what is public."""
    qs = CreditRecord.objects.select_related("subject", "item", "source_unit")
    if access.user is None:
        return qs.none()
    if access.sees_everything:
        return qs
    condition = Q(pk__in=[])
    clerk_units = {m.organisation_id for m in access.memberships if m.role == Role.CLERK}
    if clerk_units:
        condition |= Q(source_unit_id__in=clerk_units)
    own_subjects = access.subject_ids_of_own_units()
    if own_subjects:
        condition |= Q(subject_id__in=own_subjects) | Q(subject__parent_id__in=own_subjects)
    if access.has_role(Role.THIRD_PARTY):
        condition |= Q(status__in=LIVE_STATUSES, disclosure=Disclosure.PUBLIC)
    return qs.filter(condition)


def get_record_for_user(access: Access, pk) -> CreditRecord:
    """A record in the user's scope, or NotFound (never reveal that an out-of-scope record exists)."""
    try:
        return records_for(access).get(pk=int(pk))
    except (CreditRecord.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("记录不存在或您无权查看") from exc


def public_records() -> QuerySet[CreditRecord]:
    """What 信用周村 shows: published or under objection, disclosure public (the window is enforced by expiry)."""
    return CreditRecord.objects.filter(status__in=LIVE_STATUSES, disclosure=Disclosure.PUBLIC).select_related(
        "subject", "item", "source_unit"
    )
