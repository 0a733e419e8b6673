"""When an obligation is legally due (the duty clock plus 条例 Art 9/10), and the interest on a late
payment (Art 17). Pure functions over plain values, so forms, the API, the import and the scanner
share one rule each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from govcredit.core.workdays import format_cn_date
from govcredit.duties.clock import Due, due_date

CENT = Decimal("0.01")
ART9 = "《保障中小企业款项支付条例》第九条"
ART10 = "《保障中小企业款项支付条例》第十条"
ART17 = "《保障中小企业款项支付条例》第十七条"


@dataclass(frozen=True)
class DueTerms:
    """What an obligation says about its deadline (the model's fields, or a form's / a row's)."""

    due_rule: str  # fixed | after_event | agreed
    trigger: str = ""  # delivery | acceptance | event
    fixed_due_on: dt.date | None = None
    days: int | None = None
    months: int | None = None
    delivered_on: dt.date | None = None
    acceptance_days: int | None = None
    accepted_on: dt.date | None = None
    event_on: dt.date | None = None


@dataclass(frozen=True)
class DueAnswer:
    due: Due | None  # the clock's answer (None: the start event has not happened yet)
    explain: str

    @property
    def due_on(self) -> dt.date | None:
        return self.due.due if self.due else None

    @property
    def estimated(self) -> bool:
        return bool(self.due and self.due.estimated)


def acceptance_period_end(terms: DueTerms) -> Due | None:
    if terms.delivered_on is None or terms.acceptance_days is None:
        return None
    return due_date(terms.delivered_on, mode="calendar", n=terms.acceptance_days)


def _start(terms: DueTerms) -> tuple[dt.date | None, str]:
    """The day the payment period runs from, and a sentence saying why (Art 10 included)."""
    if terms.trigger == "delivery":
        if terms.delivered_on is None:
            return None, "尚未交付，付款期限自交付之日起算，待录入交付日期"
        return terms.delivered_on, f"自交付之日（{format_cn_date(terms.delivered_on)}）起算"
    if terms.trigger == "acceptance":
        period = acceptance_period_end(terms)
        if terms.accepted_on is not None and (period is None or terms.accepted_on <= period.due):
            return terms.accepted_on, f"自验收之日（{format_cn_date(terms.accepted_on)}）起算"
        if period is not None and period.due is not None:
            late = (
                f"实际验收日期{format_cn_date(terms.accepted_on)}晚于约定验收期"
                if terms.accepted_on
                else "尚未验收"
            )
            return period.due, (
                f"{late}；约定验收期为交付（{format_cn_date(terms.delivered_on)}）后{terms.acceptance_days}日，"
                f"于{format_cn_date(period.due)}届满，依{ART10}自约定验收期满之日起算"
            )
        return None, "尚未验收，付款期限自验收之日起算，待录入验收日期"
    if terms.event_on is None:
        return None, "约定事件尚未发生，待录入事件日期"
    return terms.event_on, f"自约定事件发生之日（{format_cn_date(terms.event_on)}）起算"


def compute_due(terms: DueTerms) -> DueAnswer:
    if terms.due_rule == "fixed":
        if terms.fixed_due_on is None:
            return DueAnswer(None, "未填写约定日期")
        due = Due(
            due=terms.fixed_due_on,
            start=terms.fixed_due_on,
            mode="calendar",
            n=0,
            skipped_holidays=(),
            estimated=False,
        )
        return DueAnswer(due, f"合同约定于{format_cn_date(terms.fixed_due_on)}前履行。")
    start, why = _start(terms)
    if start is None:
        return DueAnswer(None, why + "。")
    if terms.due_rule == "agreed":
        due = due_date(start, mode="months", n=terms.months or 0)
    else:
        due = due_date(start, mode="calendar", n=terms.days or 0)
    return DueAnswer(due, f"{why}；{due.explain()}")


def period_days(terms: DueTerms) -> int | None:
    """The agreed payment period in calendar days (for the Art 9 limit), when it can be known."""
    if terms.due_rule == "after_event":
        return terms.days
    if terms.due_rule == "agreed" and terms.months:
        start, _ = _start(terms)
        anchor = start or terms.delivered_on or dt.date(2001, 1, 31)  # a worst-case month span
        end = due_date(anchor, mode="months", n=terms.months)
        return (end.due - anchor).days if end.due else None
    if terms.due_rule == "fixed" and terms.fixed_due_on and terms.delivered_on:
        return (terms.fixed_due_on - terms.delivered_on).days
    return None


# -- interest (Art 17) -------------------------------------------------------------------------------
def late_interest(
    *,
    amount: Decimal,
    due_on: dt.date,
    as_of: dt.date,
    rate: Decimal,
    payments: Iterable[tuple[dt.date, Decimal]] = (),
) -> tuple[Decimal, int]:
    """Interest on what stayed unpaid after ``due_on``, day by day, and the days late of the last
    unpaid yuan: 100,000 yuan 10 days late at 0.05 % a day → 500.00."""
    principal = Decimal(amount)
    cursor = due_on
    interest = Decimal(0)
    for paid_on, paid in sorted(payments):
        if paid_on > as_of:
            break
        if paid_on <= due_on:
            principal -= paid
            continue
        end = min(paid_on, as_of)
        if end > cursor and principal > 0:
            interest += principal * rate * (end - cursor).days
            cursor = end
        principal -= paid
    if as_of > cursor and principal > 0:
        interest += principal * rate * (as_of - cursor).days
        cursor = as_of
    days = max(0, (cursor - due_on).days)
    return interest.quantize(CENT, rounding=ROUND_HALF_UP), days


AGING_BUCKETS: list[tuple[str, int, int | None]] = [
    ("1–30日", 1, 30),
    ("31–90日", 31, 90),
    ("91–180日", 91, 180),
    ("181–365日", 181, 365),
    ("365日以上", 366, None),
]


def aging_bucket(days: int) -> str:
    for label, low, high in AGING_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return "未逾期"
