"""The openinfo part of ``govcredit duties scan``: a request still unanswered after its reply deadline
opens a finding (``disclosure_violation``) on the organ and a negative integrity event. Idempotent."""

from __future__ import annotations

import datetime as dt

from govcredit.duties.models import Finding

from .models import InfoRequest
from .services import MODULE, open_overdue_finding, overdue


def scan(as_of: dt.date) -> dict[str, int]:
    known = set(
        Finding.objects.filter(module=MODULE, rule="reply_overdue").values_list("object_id", flat=True)
    )
    late = list(overdue(InfoRequest.objects.select_related("unit", "unit__subject"), as_of))
    findings = 0
    for req in late:
        if req.pk in known:
            continue
        if open_overdue_finding(req, as_of=as_of) is not None:
            findings += 1
    from govcredit.duties import services as duty_services

    from .catalog import lateness
    from .models import ProactiveItem

    events = 0
    for item in ProactiveItem.objects.filter(published_on__isnull=True, due_on__lt=as_of).select_related(
        "unit", "unit__subject"
    ):
        subject = getattr(item.unit, "subject", None)
        if subject is None:
            continue
        duty_services.record_event(
            subject=subject,
            dimension="政务公开",
            indicator="proactive_item_unpublished",
            polarity="-",
            value=lateness(item, as_of).working_days,
            occurred_on=item.due_on,
            module=MODULE,
            obj=item,
        )
        events += 1
    return {"overdue_requests": len(late), "findings": findings, "late_items": events}
