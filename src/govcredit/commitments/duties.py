"""The commitments part of ``govcredit duties scan``: overdue commitments (counted; their reminders are
the duties' ladder) and findings for breached assessments that have none yet (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef

from govcredit.duties.models import Finding

from .models import Assessment, Commitment
from .services import OBJECT_TYPE, is_breach, open_breach_finding, overdue_filter


def scan(as_of: dt.date) -> dict[str, int]:
    overdue = Commitment.objects.filter(overdue_filter(as_of)).count()
    has_finding = Finding.objects.filter(
        module="commitments", object_type=OBJECT_TYPE, object_id=OuterRef("commitment_id")
    )
    findings = 0
    pending = Assessment.objects.filter(outcome__in=["not_fulfilled", "partially_fulfilled"]).exclude(
        Exists(has_finding)
    )
    for a in pending.select_related("commitment", "commitment__subject"):
        if is_breach(a) and open_breach_finding(a.commitment) is not None:
            findings += 1
    return {"overdue": overdue, "findings": findings}
