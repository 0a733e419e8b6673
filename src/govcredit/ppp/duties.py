"""The PPP part of ``govcredit duties scan``: deferred items become public automatically at their due
date (财金〔2017〕1号), late items and unpaid 支出责任 become integrity events on each responsible person,
and a government-side payment breach proposes ``contract_breach`` on the implementing agency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from govcredit.contracts.services import finding_unit
from govcredit.duties import services as duty_services
from govcredit.duties.models import Finding, IntegrityEvent
from govcredit.sanctions.services.referrals import open_referral

from .models import DisclosureItem, FiscalCommitment, ItemState, Stage
from .services import _publish, responsible_on

MODULE = "ppp"


def _people_events(
    project, *, stage: str, on: dt.date, indicator: str, polarity: str, value, obj, key: str
) -> int:
    """One event per person who held an execution-stage role on ``on`` (tenure, not post); returns how
    many were new (``record_event`` hands back an existing row on a re-scan)."""
    count = 0
    for resp in responsible_on(project, stage=stage, on=on):
        key_ = f"{key}:{resp.pk}"
        if IntegrityEvent.objects.filter(
            module=MODULE, indicator=indicator, key=key_, object_type=obj._meta.label_lower, object_id=obj.pk
        ).exists():
            continue
        duty_services.record_event(
            subject=resp.person,
            dimension="守信践诺",
            indicator=indicator,
            polarity=polarity,
            value=value,
            occurred_on=on,
            module=MODULE,
            obj=obj,
            key=key_,
        )
        count += 1
    return count


def scan(as_of: dt.date) -> dict[str, int]:
    published = late = events = findings = referrals = 0
    due = DisclosureItem.objects.filter(state=ItemState.PENDING, due_on__lt=as_of).select_related("project")
    for item in due:
        with transaction.atomic():
            if item.provided:
                _publish(item)  # 逾期未公开的，自动公开
                published += 1
            else:
                late += 1
            events += _people_events(
                item.project,
                stage=Stage.EXECUTION,
                on=item.due_on,
                indicator="ppp_disclosure_late",
                polarity="-",
                value=Decimal((as_of - item.due_on).days),
                obj=item,
                key="late",
            )
    for row in FiscalCommitment.objects.filter(year__lt=as_of.year).select_related(
        "project", "project__agency"
    ):
        project = row.project
        year_end = dt.date(row.year, 12, 31)
        if row.paid >= row.responsibility:
            # 履约到位 is performance too: a positive event on each person in office at the year's end
            with transaction.atomic():
                events += _people_events(
                    project,
                    stage=Stage.EXECUTION,
                    on=year_end,
                    indicator="ppp_fiscal_paid",
                    polarity="+",
                    value=row.paid,
                    obj=row,
                    key="paid",
                )
            continue
        if Finding.objects.filter(module=MODULE, rule="fiscal_unpaid", object_id=row.pk).exists():
            continue
        with transaction.atomic():
            duty_services.open_finding(
                module=MODULE,
                rule="fiscal_unpaid",
                obj=row,
                subject=project.agency,
                source_unit=finding_unit(),
                item="contract_breach",
                severity="major",
                facts=(
                    f"{project.agency.name}作为「{project.name}」（{project.code}）实施机构，{row.year}年度政府支出责任"
                    f"{row.responsibility:,.2f}元，预算安排{row.budgeted:,.2f}元，截至年末实际支付{row.paid:,.2f}元，"
                    "未按PPP项目合同履行政府付费义务。"
                ),
                legal_basis="周政发〔2018〕26号（十二）；《优化营商环境条例》第三十一条",
                evidence={
                    "project": project.code,
                    "year": row.year,
                    "responsibility": str(row.responsibility),
                    "paid": str(row.paid),
                },
                prefix="PPP",
                decided_by="周村区财政局",
            )
            findings += 1
            # personal accountability: a referral to 区委组织部 per responsible person, never a record
            for resp in responsible_on(project, stage=Stage.EXECUTION, on=year_end):
                open_referral(
                    subject=resp.person,
                    unit=None,
                    reason=(
                        f"「{project.name}」{row.year}年度政府支出责任未足额支付（应付{row.responsibility:,.2f}元，"
                        f"实付{row.paid:,.2f}元），{resp.get_role_display()}任期内，建议依规追究责任"
                    ),
                    source_type="ppp.fiscalcommitment",
                    source_id=row.pk,
                    legal_basis="周政发〔2018〕26号（十二）：将政府方责任人纳入政务诚信记录，依法依规追究责任",
                )
                referrals += 1
            events += _people_events(
                project,
                stage=Stage.EXECUTION,
                on=year_end,
                indicator="ppp_fiscal_unpaid",
                polarity="-",
                value=row.responsibility - row.paid,
                obj=row,
                key="unpaid",
            )
    return {
        "auto_published": published,
        "late_items": late,
        "findings": findings,
        "referrals": referrals,
        "events": events,
    }
