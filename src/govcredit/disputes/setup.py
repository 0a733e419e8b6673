"""Demo cases over the demo records: objections and repairs in every state, one record under
objection, one case overdue, one returned for more material — all through the services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from govcredit.accounts.models import User
from govcredit.accounts.permissions import Access
from govcredit.catalog.models import Disclosure
from govcredit.core.calendar import office_calendar
from govcredit.core.errors import CreditError
from govcredit.records.models import CreditRecord, Status

from . import services
from .models import Channel, DisputeCase, Outcome

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _access(username: str) -> Access | None:
    user = User.objects.filter(username=username).first()
    return Access.for_user(user) if user else None


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


@transaction.atomic
def load_demo() -> str:
    if DisputeCase.objects.exists():
        return "已有案件，跳过"
    office = _access("office")
    if office is None:
        return "缺少演示用户，跳过"
    today = timezone.localdate()
    cal = office_calendar()

    def back(n: int) -> dt.date:
        """The n-th working day before today."""
        day = today
        while n > 0:
            day -= dt.timedelta(days=1)
            if cal.is_workday(day):
                n -= 1
        return day

    public = CreditRecord.objects.filter(
        status=Status.PUBLISHED, disclosure=Disclosure.PUBLIC, item__negative=True
    ).order_by("pk")
    repairable = [
        r
        for r in public.filter(item__repairable=True, repairable_from__lte=today)[:80]
        if services.repair_eligibility(r, today).eligible
    ]
    others = [r for r in public[:60] if r not in repairable]
    pool = iter(others + repairable[6:])
    made = 0

    def objection(record, applicant, contact, reason, on):
        nonlocal made
        made += 1
        return services.file_objection(
            record_id=record.pk,
            applicant=applicant,
            contact=contact,
            reason=reason,
            files=[("证明材料.pdf", PDF)],
            channel=Channel.PORTAL,
            now=_at(on),
        )

    def repair(record, contact, measures, evidence_name, on):
        nonlocal made
        made += 1
        return services.file_repair(
            record_id=record.pk,
            applicant=record.subject.display_name,
            contact=contact,
            measures_taken=measures,
            obligations_fulfilled=True,
            commitment_confirmed=True,
            files=[(evidence_name, PDF)],
            now=_at(on),
        )

    try:
        # 1. Just received on the portal, waiting for acceptance.
        objection(
            next(pool),
            "张*明",
            "13800000001",
            "该判决已于今年二季度履行完毕，公示内容未反映履行情况。",
            back(1),
        )
        # 2. Accepted and forwarded: the record is 异议处理中 (stays public, checks show attention).
        c = objection(
            next(pool),
            "周村区某局",
            "office-demo@example.com",
            "文书号与处理结果不符，应为通报批评而非责令整改。",
            back(4),
        )
        c = services.accept_case(c, access=office, note="材料齐全，予以受理", today=back(3))
        services.forward_case(c, access=office, today=back(2))
        # 3. Returned for more material: the clock is paused.
        c = objection(next(pool), "李*", "13800000003", "记录所涉款项已结清，请核实。", back(5))
        c = services.accept_case(c, access=office, today=back(4))
        services.return_case(
            c, access=office, request="请补充款项结清的银行回单或对方出具的结清证明。", today=back(3)
        )
        # 4. Overdue: received long ago and never accepted (escalation picks it up).
        objection(next(pool), "王*华", "wang-demo@example.com", "公示的决定日期有误。", back(6))
        # 5. Decided: upheld.
        rec = next(pool)
        c = objection(rec, "赵*", "13800000005", "认为处罚过重。", back(15))
        c = services.accept_case(c, access=office, today=back(14))
        c = services.forward_case(c, access=office, today=back(13))
        source = _source_clerk(rec) or office
        services.decide_case(
            c,
            access=source,
            outcome=Outcome.UPHELD,
            reason="经核查，原记录事实清楚、依据充分，予以维持。",
            today=back(6),
        )
        # 6. Decided: corrected (a new version, back to published).
        rec = next(pool)
        c = objection(rec, "孙*", "13800000006", "处理结果表述不准确。", back(12))
        c = services.accept_case(c, access=office, today=back(11))
        c = services.forward_case(c, access=office, today=back(10))
        services.decide_case(
            c,
            access=office,
            outcome=Outcome.CORRECTED,
            reason="经核查，处理结果表述有误，予以更正。",
            corrections={"outcome": "予以通报批评（经异议更正）"},
            today=back(3),
        )
        # 7–9. Repairs: received, under review, approved.
        if len(repairable) >= 3:
            repair(
                repairable[0],
                "13800000007",
                "已全额履行判决确定的给付义务，并向相关企业书面致歉。",
                "履行证明.pdf",
                back(1),
            )
            c = repair(
                repairable[1],
                "repair-demo@example.com",
                "已完成整改并通过复查，消除了不良影响。",
                "整改报告.pdf",
                back(5),
            )
            c = services.accept_case(c, access=office, today=back(4))
            services.forward_case(c, access=office, today=back(3))
            c = repair(
                repairable[2],
                "13800000009",
                "已支付全部拖欠款项及利息，取得债权人书面确认。",
                "付款凭证.pdf",
                back(12),
            )
            c = services.accept_case(c, access=office, today=back(11))
            c = services.forward_case(c, access=office, today=back(10))
            services.decide_case(
                c,
                access=_source_clerk(repairable[2]) or office,
                outcome=Outcome.APPROVED,
                reason="已履行全部义务并作出信用承诺，准予信用修复。",
                today=back(2),
            )
    except StopIteration:
        pass
    except CreditError as exc:  # demo data depends on the random demo records; never fail setup
        return f"{made} 件演示案件（部分跳过：{exc.message}）"
    return f"{made} 件演示案件"


def _source_clerk(record: CreditRecord) -> Access | None:
    from govcredit.accounts.models import Role

    user = User.objects.filter(
        memberships__organisation_id=record.source_unit_id, memberships__role=Role.CLERK
    ).first()
    return Access.for_user(user) if user else None
