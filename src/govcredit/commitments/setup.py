"""Defaults: the ⚠ commitment rule rows (idempotent; the credit office's edits are kept); demo data."""

from __future__ import annotations

import datetime as dt

from .models import CommitmentRule


def load_defaults() -> str:
    from .services import RULES

    created = 0
    for key, (label, value, status, source) in RULES.items():
        _row, made = CommitmentRule.objects.get_or_create(
            key=key, defaults={"label": label, "value": value, "legal_status": status, "source": source}
        )
        created += made
    return f"{created} commitment rules added"


def load_demo() -> str:
    """Realistic 周村区 commitments: 政府工作报告 targets, an environment target, a town's public
    commitments, a service commitment; published, one reported, one assessed."""
    from govcredit.accounts.models import Membership, Organisation, Role
    from govcredit.accounts.permissions import Access
    from govcredit.subjects.models import Subject

    from . import services
    from .models import Commitment

    if Commitment.objects.exists():
        return "demo commitments already present"
    office_member = Membership.objects.filter(role=Role.CREDIT_OFFICE).select_related("user").first()
    if office_member is None:
        return "no credit office user: demo commitments skipped"
    office = Access.for_user(office_member.user)
    gov = (
        Subject.objects.filter(name__contains="周村区人民政府").first()
        or Subject.objects.filter(kind="government").first()
    )
    env = Organisation.objects.filter(short_name="区环保分局").first()
    hr = Organisation.objects.filter(short_name="区人社局").first()
    from django.utils import timezone

    today = timezone.localdate()
    year = today.year
    rows = [
        dict(
            kind="development_target",
            title="地区生产总值增长6%左右",
            subject=gov.name if gov else "",
            metric="percent",
            baseline="5.2",
            target="6",
            start_on=f"{year}-01-01",
            due_on=f"{year}-12-31",
            cadence="quarterly",
            source_type="work_report",
            source_document=f"{year}年周村区政府工作报告",
            source_clause="二、主要预期目标",
        ),
        dict(
            kind="development_target",
            title="城镇新增就业4500人以上",
            subject=gov.name if gov else "",
            metric="quantity",
            metric_unit="人",
            baseline="4200",
            target="4500",
            start_on=f"{year}-01-01",
            due_on=f"{year}-12-31",
            cadence="half_yearly",
            source_type="work_report",
            source_document=f"{year}年周村区政府工作报告",
            source_clause="二、主要预期目标",
            unit="区人社局" if hr else "",
        ),
        dict(
            kind="environment",
            title="PM2.5平均浓度不高于42微克/立方米",
            subject=env.subject.name if env and env.subject else "",
            metric="quantity",
            metric_unit="微克/立方米",
            direction="decrease",
            baseline="45",
            target="42",
            start_on=f"{year}-01-01",
            due_on=f"{year}-12-31",
            cadence="quarterly",
            source_type="annual_plan",
            source_document="周村区大气污染防治年度计划",
        ),
        dict(
            kind="service",
            title="企业开办1个工作日内办结",
            subject=gov.name if gov else "",
            metric="boolean",
            start_on=f"{year}-01-01",
            due_on=(today - dt.timedelta(days=20)).isoformat(),
            source_type="other",
            source_document="周村区政务服务承诺",
            areas=["便民服务"],
        ),
    ]
    made = 0
    for row in rows:
        if not row["subject"]:
            continue
        data = {k: v for k, v in row.items() if v != ""}
        c = services.create_commitment(data, access=office)
        services.publish(c, access=office)
        made += 1
    return f"{made} demo commitments"
