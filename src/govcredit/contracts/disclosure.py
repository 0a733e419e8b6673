"""The yearly Art 18 disclosure: 机关、事业单位 publish, by 31 March, the number and amount of their
contracts with SMEs overdue and unpaid at the end of the previous year (《保障中小企业款项支付条例》第十八条).
Generated from the data; every publication and correction enters the disclosure ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from govcredit.core import public_version
from govcredit.core.errors import NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.duties.clock import due_date
from govcredit.duties.disclosure import disclose

from .models import (
    SME_PURCHASERS,
    SME_SCALES,
    ZERO,
    ArrearsDisclosure,
    Obligation,
    ObligationKind,
    ObligationState,
)

OBJECT_TYPE = "contracts.arrearsdisclosure"
BASIS = "《保障中小企业款项支付条例》第十八条"
register_action("govcredit.arrears.disclosed", "公开逾期未支付中小企业款项合同情况")


def compute_rows(year: int) -> tuple[dt.date, list[dict]]:
    """Per paying unit: contracts with an SME payment due by 31 December of ``year`` and still
    unpaid on that day (payments after it do not count), with the unpaid amount."""
    as_of = dt.date(year, 12, 31)
    money = DecimalField(max_digits=18, decimal_places=2)
    obligations = (
        Obligation.objects.filter(
            kind=ObligationKind.PAYMENT,
            due_on__lte=as_of,
            contract__purchaser_type__in=SME_PURCHASERS,
            contract__counterparty_scale__in=SME_SCALES,
        )
        .exclude(state=ObligationState.CANCELLED)
        .annotate(
            paid_by=Coalesce(
                Sum("payments__amount", filter=Q(payments__paid_on__lte=as_of)),
                Value(ZERO),
                output_field=money,
            )
        )
        .values_list(
            "contract_id", "contract__unit__name", "contract__unit__subject__uscc", "amount", "paid_by"
        )
    )
    units: dict[str, dict] = {}
    for contract_id, unit, uscc, amount, paid in obligations.order_by():
        unpaid = Decimal(amount) - Decimal(paid)
        if unpaid <= 0:
            continue
        row = units.setdefault(
            unit, {"unit": unit, "unit_uscc": uscc or "", "contracts": set(), "amount": ZERO}
        )
        row["contracts"].add(contract_id)
        row["amount"] += unpaid
    rows = [
        {
            "unit": r["unit"],
            "unit_uscc": r["unit_uscc"],
            "count": len(r["contracts"]),
            "amount": f"{r['amount']:.2f}",
        }
        for r in sorted(units.values(), key=lambda r: (-r["amount"], r["unit"]))
    ]
    return as_of, rows


def due_by(year: int):
    return due_date(dt.date(year + 1, 1, 1), mode="annual", month=3, day=31)


def publish(year: int, *, actor=None) -> tuple[ArrearsDisclosure, str]:
    """Generate and publish the statement of ``year``; a re-run with changed data publishes a
    corrected version (``correct`` in the ledger), with the same data changes nothing."""
    today = timezone.localdate()
    if year < 2000 or year >= today.year:
        raise ValidationFailed(
            f"{year}年度尚未结束或年份无效，只能公开已结束年度的情况",
            field_errors={"year": [f"年份应在2000至{today.year - 1}之间"]},
        )
    as_of, rows = compute_rows(year)
    total_count = sum(r["count"] for r in rows)
    total_amount = sum((Decimal(r["amount"]) for r in rows), ZERO)
    due = due_by(year)
    with transaction.atomic():
        existing = ArrearsDisclosure.objects.select_for_update().filter(year=year).first()
        if existing is not None and existing.rows == rows:
            return existing, "unchanged"
        now = timezone.now()
        if existing is None:
            disclosure = ArrearsDisclosure.objects.create(
                year=year,
                as_of=as_of,
                due_by=due.due,
                due_explain=due.explain(),
                rows=rows,
                total_count=total_count,
                total_amount=total_amount,
                published_at=now,
            )
            event = "publish"
        else:
            disclosure = existing
            disclosure.rows = rows
            disclosure.total_count = total_count
            disclosure.total_amount = total_amount
            disclosure.version += 1
            disclosure.published_at = now
            disclosure.save()
            event = "correct"
        disclose(event, object_type=OBJECT_TYPE, object_id=disclosure.pk, version=disclosure.version)
        public_version.bump()
        log_action(
            "govcredit.arrears.disclosed",
            actor=actor,
            obj=disclosure,
            summary=f"{year}年度逾期合同公开（第{disclosure.version}版）：{total_count}份，{total_amount:,.2f}元",
        )
    return disclosure, event


def public_view(year: int) -> dict:
    disclosure = ArrearsDisclosure.objects.filter(year=year).first()
    if disclosure is None:
        due = due_by(year)
        raise NotFound(
            f"{year}年度逾期未支付中小企业款项的合同情况尚未公开（应于{due.due.isoformat()}前公开）"
        )
    return {
        "year": disclosure.year,
        "as_of": disclosure.as_of.isoformat(),
        "due_by": disclosure.due_by.isoformat(),
        "due_explain": disclosure.due_explain,
        "published_at": timezone.localtime(disclosure.published_at).isoformat(timespec="seconds"),
        "on_time": timezone.localtime(disclosure.published_at).date() <= disclosure.due_by,
        "version": disclosure.version,
        "legal_basis": BASIS,
        "units": disclosure.rows,
        "total_count": disclosure.total_count,
        "total_amount": f"{disclosure.total_amount:.2f}",
    }
