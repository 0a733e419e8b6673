"""Scoped reads: every list, count, export and detail of records goes through these."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from govcredit.accounts.models import Role
from govcredit.accounts.permissions import Access
from govcredit.catalog.models import Disclosure
from govcredit.core.errors import NotFound

from .models import EDITABLE_STATUSES, LIVE_STATUSES, CreditRecord


def records_for(access: Access) -> QuerySet[CreditRecord]:
    """Records this user may see: staff-wide roles all; a source unit what it submitted; a recorded
    unit its own records and its civil servants' from submission for review on (so it can prepare),
    never a source unit's drafts or a rejected record back with its source unit; a third party only
    what is public."""
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
        condition |= (Q(subject_id__in=own_subjects) | Q(subject__parent_id__in=own_subjects)) & ~Q(
            status__in=EDITABLE_STATUSES
        )
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


def review_queue(access: Access) -> QuerySet[CreditRecord]:
    """Submitted records waiting for a reviewer, oldest first (empty for anyone who cannot review)."""
    from .models import Status

    if access.user is None or not access.can_review():
        return CreditRecord.objects.none()
    return (
        CreditRecord.objects.filter(status=Status.SUBMITTED)
        .select_related("subject", "item", "source_unit", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def correction_requests_for(access: Access):
    """Correction requests the user may see: reviewers all, everyone else those of records in scope."""
    from .models import CorrectionRequest

    qs = CorrectionRequest.objects.select_related(
        "record", "record__subject", "record__item", "record__source_unit", "requested_by", "decided_by"
    )
    if access.user is None:
        return qs.none()
    if access.sees_everything:
        return qs
    return qs.filter(record__in=records_for(access).values("pk"))


def get_evidence_for_user(access: Access, record_pk, evidence_pk):
    """An evidence file of a record in scope. Evidence is internal: third parties (who see only
    what is public) never get it."""
    from .models import Evidence

    record = get_record_for_user(access, record_pk)
    if not may_see_internals(access, record):
        raise NotFound("证据材料不存在或您无权查看")
    try:
        return record, record.evidence.get(pk=int(evidence_pk))
    except (Evidence.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("证据材料不存在或您无权查看") from exc


def may_see_internals(access: Access, record: CreditRecord) -> bool:
    """Evidence, history and versions: staff-wide roles, the source unit and the recorded unit;
    not a third party whose only window on the record is its publication."""
    if access.sees_everything:
        return True
    clerk_units = {m.organisation_id for m in access.memberships if m.role == Role.CLERK}
    if record.source_unit_id in clerk_units:
        return True
    own_subjects = access.subject_ids_of_own_units()
    return bool(own_subjects) and (
        record.subject_id in own_subjects or record.subject.parent_id in own_subjects
    )
