"""Monthly handling statistics per unit and the satisfaction trend (WAVE2 §7(e)(f)): a handful of
grouped queries, whatever the number of complaints."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from govcredit.accounts.permissions import Access
from govcredit.core.errors import ValidationFailed

from .complaints import complaints_for
from .models import OPEN_COMPLAINT_STATES, OPEN_MOTION_STATES, Satisfaction
from .motions import motions_for


def parse_month(value: str | None) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    if not value:
        return today.replace(day=1), today.replace(day=monthrange(today.year, today.month)[1])
    try:
        year, month = (int(p) for p in str(value).split("-"))
        first = dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationFailed(
            f"月份「{str(value)[:20]}」格式有误，应如 2026-11", field_errors={"month": ["月份应如 2026-11"]}
        ) from None
    return first, first.replace(day=monthrange(year, month)[1])


def monthly(access: Access, month: str | None = None) -> dict:
    first, last = parse_month(month)
    as_of = min(last, timezone.localdate())
    qs = complaints_for(access).filter(assigned_unit__isnull=False)
    received = Q(received_on__gte=first, received_on__lte=last)
    replied = Q(replied_on__gte=first, replied_on__lte=last)
    visited = Q(visited_on__gte=first, visited_on__lte=last)
    rows = (
        qs.values("assigned_unit_id", "assigned_unit__name")
        .annotate(
            received=Count("pk", filter=received),
            replied=Count("pk", filter=replied),
            on_time=Count("pk", filter=replied & Q(replied_late=False)),
            late=Count("pk", filter=replied & Q(replied_late=True)),
            overdue=Count("pk", filter=Q(status__in=OPEN_COMPLAINT_STATES, deadline__lt=as_of)),
            visited=Count("pk", filter=visited),
            satisfied=Count("pk", filter=visited & Q(satisfaction=Satisfaction.SATISFIED)),
            basic=Count("pk", filter=visited & Q(satisfaction=Satisfaction.BASIC)),
            unsatisfied=Count("pk", filter=visited & Q(satisfaction=Satisfaction.UNSATISFIED)),
        )
        .order_by("assigned_unit__name")
    )
    units = []
    for r in rows:
        if not any(r[k] for k in ("received", "replied", "overdue", "visited")):
            continue
        units.append(
            {
                "unit": r["assigned_unit__name"],
                "received": r["received"],
                "replied": r["replied"],
                "on_time": r["on_time"],
                "late": r["late"],
                "overdue": r["overdue"],
                "visited": r["visited"],
                "satisfied": r["satisfied"],
                "basic": r["basic"],
                "unsatisfied": r["unsatisfied"],
                "on_time_rate": _rate(r["on_time"], r["replied"]),
                "satisfaction_rate": _rate(r["satisfied"] + r["basic"], r["visited"]),
            }
        )
    motion_rows = (
        motions_for(access)
        .values("lead_unit__name")
        .annotate(
            answered=Count(
                "answers", filter=Q(answers__answered_on__gte=first, answers__answered_on__lte=last)
            ),
            late=Count(
                "answers",
                filter=Q(answers__answered_on__gte=first, answers__answered_on__lte=last, answers__late=True),
            ),
            overdue=Count("pk", filter=Q(status__in=OPEN_MOTION_STATES, deadline__lt=as_of), distinct=True),
        )
        .order_by("lead_unit__name")
    )
    motions = [
        {"unit": r["lead_unit__name"], "answered": r["answered"], "late": r["late"], "overdue": r["overdue"]}
        for r in motion_rows
        if r["answered"] or r["overdue"]
    ]
    return {
        "month": f"{first:%Y-%m}",
        "from": first.isoformat(),
        "to": last.isoformat(),
        "units": units,
        "motions": motions,
        "totals": {
            k: sum(u[k] for u in units)
            for k in ("received", "replied", "on_time", "late", "overdue", "visited")
        },
    }


def trend(access: Access, months: int = 12, end: dt.date | None = None) -> list[dict]:
    """Per month: complaints received, replied on time, and the satisfaction rate (满意+基本满意)."""
    end = end or timezone.localdate()
    firsts = []
    y, m = end.year, end.month
    for _ in range(months):
        firsts.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    firsts.reverse()
    start = firsts[0]
    qs = complaints_for(access)

    def by_month(field: str, **counts) -> dict:
        rows = (
            qs.filter(**{f"{field}__gte": start, f"{field}__lte": end})
            .annotate(m=TruncMonth(field))
            .values("m")
            .annotate(**counts)
        )
        return {(r["m"].year, r["m"].month): r for r in rows}

    got = by_month("received_on", n=Count("pk"))
    received = {k: r["n"] for k, r in got.items()}
    got = by_month("replied_on", n=Count("pk"), on=Count("pk", filter=Q(replied_late=False)))
    replied = {k: (r["on"], r["n"]) for k, r in got.items()}
    good_q = Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC))
    got = by_month("visited_on", n=Count("pk"), good=Count("pk", filter=good_q))
    visits = {k: (r["good"], r["n"]) for k, r in got.items()}
    out = []
    for d in firsts:
        key = (d.year, d.month)
        on, total = replied.get(key, (0, 0))
        good, visited = visits.get(key, (0, 0))
        out.append(
            {
                "month": f"{d:%Y-%m}",
                "received": received.get(key, 0),
                "replied": total,
                "on_time_rate": _rate(on, total),
                "satisfaction_rate": _rate(good, visited),
            }
        )
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
