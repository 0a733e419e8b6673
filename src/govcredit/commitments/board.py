"""The back office's read side of commitments: the 承诺台账 rows (list and XLSX export), the due-soon /
overdue board by unit, reminders to a unit through the e-mail/SMS gateways (the same Notification
queue the duty ladder and disputes use), and the printable 承诺书 (PDF)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from govcredit.accounts.models import Organisation, Role
from govcredit.core.errors import PermissionDenied, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.workdays import format_cn_date
from govcredit.duties.models import Duty, DutyStatus

from . import services
from .models import LIVE, Commitment, ProgressReport

register_action("govcredit.commitment.reminded", "催报承诺进展")
register_action("govcredit.commitment.printed", "打印承诺书")


def due_soon_days() -> int:
    """The board's window (a ⚠ local rule the credit office may edit); the duty ladder's T−5
    working-day notices run regardless."""
    return int(services.rule("due_soon_days"))


LEDGER_HEADERS = [
    "承诺编号",
    "承诺事项",
    "承诺类型",
    "承诺主体",
    "责任单位",
    "责任人",
    "来源",
    "来源文号",
    "指标类型",
    "基期值",
    "目标",
    "起始日期",
    "承诺期限",
    "报告频次",
    "服务领域",
    "状态",
    "目标版本",
    "进度（%）",
    "下次报告期限",
    "是否逾期",
    "核定结果",
    "完成率（%）",
]


def ledger_row(c: Commitment, today: dt.date) -> tuple:
    a = getattr(c, "assessment", None) if hasattr(c, "assessment") else None
    return (
        c.code,
        c.title,
        c.get_kind_display(),
        c.subject.name,
        c.unit.name,
        c.responsible_person,
        c.get_source_type_display(),
        c.source_document,
        c.get_metric_display(),
        services._num(c.baseline),
        services.target_text(services.target_of(c)),
        c.start_on,
        c.due_on,
        c.get_cadence_display(),
        "、".join(c.areas or []),
        c.get_status_display(),
        c.version,
        services.progress_percent(c),
        services.next_report_due(c) or "",
        "是" if services.is_overdue(c, today) else "否",
        a.get_outcome_display() if a else "",
        services._num(a.achievement) if a and a.achievement is not None else "",
    )


# -- the board ----------------------------------------------------------------------------------
@dataclass
class UnitRow:
    unit: Organisation
    live: int = 0
    due_soon: int = 0
    overdue: int = 0
    reports_overdue: int = 0
    items: list[tuple[Commitment, str, dt.date]] = field(default_factory=list)

    @property
    def attention(self) -> int:
        return self.due_soon + self.overdue + self.reports_overdue


def due_soon_q(today: dt.date, days: int | None = None) -> Q:
    days = due_soon_days() if days is None else days
    return Q(status__in=LIVE, due_on__gte=today, due_on__lte=today + dt.timedelta(days=days))


def board(access, today: dt.date | None = None, days: int | None = None) -> list[UnitRow]:
    """Per responsible unit: live commitments, those due within ``days``, overdue ones (past due, no
    final report) and overdue progress reports (open report duties past their due date). Four queries."""
    today = today or timezone.localdate()
    days = due_soon_days() if days is None else days
    scope = services.commitments_for(access).filter(status__in=LIVE)
    rows: dict[int, UnitRow] = {}
    units = {}

    def row_of(c: Commitment) -> UnitRow:
        if c.unit_id not in rows:
            units[c.unit_id] = c.unit
            rows[c.unit_id] = UnitRow(unit=c.unit)
        return rows[c.unit_id]

    overdue_ids = set(scope.filter(services.overdue_filter(today)).values_list("pk", flat=True))
    live = list(scope.select_related("unit", "subject").order_by("due_on", "pk"))
    by_pk = {c.pk: c for c in live}
    for c in live:
        r = row_of(c)
        r.live += 1
        if c.pk in overdue_ids:
            r.overdue += 1
            r.items.append((c, "承诺已逾期", c.due_on))
        elif today <= c.due_on <= today + dt.timedelta(days=days):
            r.due_soon += 1
            r.items.append((c, "即将到期", c.due_on))
    late_reports = Duty.objects.filter(
        module=services.MODULE,
        kind="commitment_report",
        object_type=services.OBJECT_TYPE,
        object_id__in=list(by_pk),
        status=DutyStatus.OPEN,
        due_on__lt=today,
    ).order_by("due_on")
    for duty in late_reports:
        c = by_pk.get(duty.object_id)
        if c is None:
            continue
        r = row_of(c)
        r.reports_overdue += 1
        r.items.append((c, f"{duty.key} 进展报告逾期", duty.due_on))
    out = [r for r in rows.values() if r.live]
    for r in out:
        r.items.sort(key=lambda t: t[2])
    out.sort(key=lambda r: (-r.overdue, -r.reports_overdue, -r.due_soon, r.unit.name))
    return out


def due_soon_count(access, today: dt.date | None = None, days: int | None = None) -> int:
    today = today or timezone.localdate()
    return services.commitments_for(access).filter(due_soon_q(today, days)).count()


def overdue_count(access, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return services.commitments_for(access).filter(services.overdue_filter(today)).count()


# -- reminders ----------------------------------------------------------------------------------
def may_remind(access) -> bool:
    return access.has_role(Role.CREDIT_OFFICE, Role.ADMIN)


def remind_unit(unit: Organisation, *, access, today: dt.date | None = None) -> int:
    """E-mail and SMS (through the existing Notification gateways) to the unit's active handlers naming
    its overdue and due-soon commitments and overdue reports. Returns the number of messages queued."""
    from govcredit.disputes.models import Notification
    from govcredit.disputes.notifications import PHONE_RE, queue_many
    from govcredit.duties.scanner import _recipients

    if not may_remind(access):
        raise PermissionDenied("只有信用办可以催报承诺进展")
    today = today or timezone.localdate()
    row = next((r for r in board(access, today) if r.unit.pk == unit.pk), None)
    if row is None or not row.items:
        raise ValidationFailed(f"{unit.name}没有逾期或即将到期的承诺，无需提醒")
    handlers, _office = _recipients({unit.pk})
    people = handlers.get(unit.pk, [])
    if not any(email or (phone and PHONE_RE.match(phone)) for email, phone in people):
        raise ValidationFailed(f"{unit.name}没有登记电子邮箱或手机号码的经办人，无法发送提醒")
    lines = [
        f"{i}. {c.code} {c.title}：{what}（{d:%Y-%m-%d}）" for i, (c, what, d) in enumerate(row.items[:10], 1)
    ]
    if len(row.items) > 10:
        lines.append(f"……等共{len(row.items)}项")
    subject = f"【承诺践诺提醒】{unit.name}有{len(row.items)}项承诺事项需要办理"[:200]
    body = (
        f"{unit.name}：截至{format_cn_date(today)}，以下承诺事项逾期或即将到期，请按期报送进展或到期自评，"
        "并在政务诚信管理平台登记。\n" + "\n".join(lines)
    )
    sms = (
        f"{unit.name}有{row.overdue}项承诺逾期、{row.reports_overdue}项进展报告逾期、"
        f"{row.due_soon}项即将到期，请登录政务诚信管理平台办理。"
    )
    notes = []
    for email, phone in people:
        common = {"case": None, "audience": "handler", "event": "commitment_remind", "subject": subject}
        if email:
            notes.append(Notification(channel="email", recipient=email, body=body, **common))
        if phone and PHONE_RE.match(phone):
            notes.append(Notification(channel="sms", recipient=phone, body=sms, **common))
    with transaction.atomic():
        queue_many(notes)
        log_action(
            "govcredit.commitment.reminded",
            actor=access.user,
            obj=unit,
            summary=f"向{unit.name}发送承诺催报提醒 {len(notes)} 条（{len(row.items)} 项事项）",
        )
    return len(notes)


# -- 承诺书 --------------------------------------------------------------------------------------
def pledge_context(c: Commitment) -> dict:
    reports = list(c.reports.exclude(state=ProgressReport.State.RETURNED).order_by("submitted_on", "pk"))
    return {
        "c": c,
        "target": services.target_text(services.target_of(c)),
        "baseline": services._num(c.baseline),
        "changes": [
            (ch, services.target_text(ch.old_target), services.target_text(ch.new_target))
            for ch in c.changes.order_by("version")
        ],
        "reports": reports,
        "periods": services.report_periods(c),
        "start": format_cn_date(c.start_on),
        "due": format_cn_date(c.due_on),
        "published": format_cn_date(timezone.localtime(c.published_at).date()) if c.published_at else "",
        "printed": format_cn_date(timezone.localdate()),
        "basis": services.LEGAL_BASIS.get(c.kind, services.DEFAULT_BASIS),
    }


def render_pledge_pdf(c: Commitment, *, access) -> bytes:
    from weasyprint import HTML

    html = render_to_string("commitments/pledge_pdf.html", pledge_context(c))
    pdf = HTML(string=html).write_pdf()
    log_action("govcredit.commitment.printed", actor=access.user, obj=c, summary=f"打印承诺书 {c.code}")
    return pdf
