"""This app's part of ``govcredit duties scan``: cases past their last record's window are withdrawn
(the record events normally do it at once); counts of overdue complaints and motions."""

from __future__ import annotations

import datetime as dt

from .cases import withdraw_expired
from .models import OPEN_COMPLAINT_STATES, OPEN_MOTION_STATES, Complaint, Motion


def scan(as_of: dt.date) -> dict[str, int]:
    return {
        "cases_withdrawn": withdraw_expired(as_of),
        "complaints_overdue": Complaint.objects.filter(
            status__in=OPEN_COMPLAINT_STATES, deadline__lt=as_of
        ).count(),
        "motions_overdue": Motion.objects.filter(status__in=OPEN_MOTION_STATES, deadline__lt=as_of).count(),
    }
