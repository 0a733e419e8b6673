"""The nightly scanner (KERNEL_CONTRACT §6): the reminder ladder for open duties, then each app's own
``<app>/duties.py`` ``scan(as_of)`` in INSTALLED_APPS order.

The ladder is set-based: for each rung the latest due date that has reached it on ``as_of`` is computed
once from the office calendar, so 100,000 duties cost a handful of indexed queries, not a calendar walk
per duty. A duty jumps straight to the highest rung it has reached; each (duty, rung) is reminded once
(``Duty.stage`` remembers the last rung sent), grouped into one message per unit and rung.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections import defaultdict
from collections.abc import Callable

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from govcredit.core.calendar import office_calendar
from govcredit.core.errors import ValidationFailed
from govcredit.core.ledger import _lock_head
from govcredit.core.workdays import WorkingDayCalendar

from .models import STAGE_ORDER, Duty, DutyStatus, LadderStage, Stage

logger = logging.getLogger("govcredit.duties")
LOCK = "duties-scan"
DIGEST_LINES = 10

ScanHook = Callable[[dt.date], dict[str, int]]


def check_as_of(as_of: dt.date | None) -> dt.date:
    today = timezone.localdate()
    if as_of is None:
        return today
    if as_of > today:
        raise ValidationFailed(
            f"扫描日期 {as_of:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}），不能按未来日期扫描",
            field_errors={"as_of": ["扫描日期不能晚于今天"]},
        )
    return as_of


def reached_cutoff(cal: WorkingDayCalendar, as_of: dt.date, offset: int) -> dt.date:
    """The latest due date whose rung ``offset`` (working days after the due date; negative: before)
    has been reached on ``as_of``."""
    if offset >= 0:
        d = as_of
        while cal.add_working_days(d, offset).due > as_of:
            d -= dt.timedelta(days=1)
        return d
    # reached when at most |offset| working days remain between as_of and the due date
    d = cal.add_working_days(as_of, -offset + 1).due - dt.timedelta(days=1)
    return d


def ladder(as_of: dt.date, *, send: bool = True) -> dict[str, int]:
    """Move open duties to the highest rung reached on ``as_of`` and remind their units once per rung."""
    cal = office_calendar()
    stages = list(LadderStage.objects.filter(active=True))
    counts: dict[str, int] = {s.stage: 0 for s in stages}
    rank = {s: i for i, s in enumerate(STAGE_ORDER)}
    digests: dict[tuple[str, int | None], list[tuple[str, dt.date]]] = defaultdict(list)
    with transaction.atomic():
        _lock_head(LOCK)  # one scan at a time (the nightly job and a manual run)
        for rung in sorted(stages, key=lambda s: rank[s.stage], reverse=True):
            cutoff = reached_cutoff(cal, as_of, rung.offset_working_days)
            lower = [s for s in STAGE_ORDER if rank[s] < rank[rung.stage]]
            rows = _advance_rung(rung.stage, lower, cutoff, as_of)
            counts[rung.stage] = len(rows)
            for _pk, unit_id, title, due_on in rows:
                digests[(rung.stage, unit_id)].append((title, due_on))
        counts["overdue"] = Duty.objects.filter(status=DutyStatus.OPEN, due_on__lt=as_of).count()
        counts["messages"] = _send_digests(digests, stages, as_of) if send else 0
    return counts


def _advance_rung(stage: str, lower: list[str], cutoff: dt.date, as_of: dt.date) -> list[tuple]:
    """One ``UPDATE … RETURNING`` per rung (PostgreSQL and SQLite ≥ 3.35): the duties that reached it,
    moved and returned in the same statement, so no row is moved without its reminder."""
    table = connection.ops.quote_name(Duty._meta.db_table)
    marks = ", ".join(["%s"] * len(lower))
    # the table name comes from the model and every value is bound
    sql = f"UPDATE {table} SET stage = %s, stage_on = %s WHERE status = %s AND due_on <= %s AND stage IN ({marks}) RETURNING id, unit_id, title, due_on"  # noqa: S608, E501
    with connection.cursor() as cursor:
        cursor.execute(sql, [stage, as_of, DutyStatus.OPEN, cutoff, *lower])
        rows = cursor.fetchall()
    out = []
    for pk, unit_id, title, due_on in rows:
        if isinstance(due_on, str):
            due_on = dt.date.fromisoformat(due_on[:10])
        out.append((pk, unit_id, title, due_on))
    out.sort(key=lambda r: (r[1] or 0, r[3], r[0]))
    return out


def _recipients(unit_ids: set[int]) -> tuple[dict[int, list[tuple[str, str]]], list[tuple[str, str]]]:
    """(unit → [(email, phone)] of its active handlers, [(email, phone)] of the credit office's staff),
    two queries for the whole scan."""
    from govcredit.accounts.models import Membership, Role

    by_unit: dict[int, list[tuple[str, str]]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    rows = (
        Membership.objects.filter(
            organisation_id__in=unit_ids,
            user__is_active=True,
            role__in=[Role.CLERK, Role.CREDIT_OFFICE, Role.SUBJECT_USER, Role.ADMIN],
        )
        .order_by("user_id")
        .values_list("organisation_id", "user_id", "user__email", "user__phone")
    )
    for unit_id, user_id, email, phone in rows:
        if (unit_id, user_id) not in seen:
            seen.add((unit_id, user_id))
            by_unit[unit_id].append((email, phone))
    office = list(
        Membership.objects.filter(
            user__is_active=True, role=Role.CREDIT_OFFICE, organisation__is_credit_office=True
        )
        .order_by("user_id")
        .values_list("user_id", "user__email", "user__phone")
        .distinct()
    )
    unique_office = list({uid: (email, phone) for uid, email, phone in office}.values())
    return by_unit, unique_office


STAGE_TEXT = {
    "notice": "即将到期",
    "due": "今日到期",
    "urge": "已逾期，现予催办",
    "supervise": "逾期未办，现予督办",
    "listed": "长期逾期，列入挂牌督办",
}


def _send_digests(digests, stages, as_of: dt.date) -> int:
    from govcredit.accounts.models import Organisation
    from govcredit.disputes.models import Notification
    from govcredit.disputes.notifications import PHONE_RE, queue_many

    office_rungs = {s.stage for s in stages if s.notify_office}
    unit_ids = {unit_id for _s, unit_id in digests if unit_id}
    units = Organisation.objects.in_bulk(unit_ids)
    handlers, office = _recipients(unit_ids)
    notes: list[Notification] = []
    for (stage, unit_id), items in sorted(digests.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        unit = units.get(unit_id)
        label = Stage(stage).label
        who = unit.name if unit else "无责任单位"
        lines = [
            f"{i}. {title}（到期日 {due:%Y-%m-%d}）" for i, (title, due) in enumerate(items[:DIGEST_LINES], 1)
        ]
        if len(items) > DIGEST_LINES:
            lines.append(f"……等共{len(items):,}项")
        subject = f"【{label}】{who}有{len(items):,}项履职事项{STAGE_TEXT[stage]}"[:200]
        body = (
            f"{who}：截至{as_of.isoformat()}，以下{len(items):,}项事项{STAGE_TEXT[stage]}，"
            "请及时办理并在管理后台登记办理情况。\n" + "\n".join(lines)
        )
        sms = f"{who}有{len(items):,}项履职事项{STAGE_TEXT[stage]}（{label}），请登录政务诚信管理平台办理。"
        audience = "supervisor" if stage in office_rungs else "handler"
        people = list(handlers.get(unit_id, [])) if unit_id else []
        if stage in office_rungs:
            people += [p for p in office if p not in people]
        for email, phone in people:
            common = {"case": None, "audience": audience, "event": f"duty_{stage}", "subject": subject}
            if email:
                notes.append(Notification(channel="email", recipient=email, body=body, **common))
            if phone and PHONE_RE.match(phone):
                notes.append(Notification(channel="sms", recipient=phone, body=sms, **common))
    queue_many(notes)
    return len(notes)


def module_hooks() -> list[tuple[str, ScanHook]]:
    """``<app>/duties.py`` ``scan`` of every govcredit app, in INSTALLED_APPS order."""
    hooks = []
    for config in apps.get_app_configs():
        if not config.name.startswith("govcredit.") or config.name == "govcredit.duties":
            continue
        try:
            module = importlib.import_module(f"{config.name}.duties")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.duties":
                raise
            continue
        hook = getattr(module, "scan", None)
        if callable(hook):
            hooks.append((config.label, hook))
    return hooks


def scan(as_of: dt.date | None = None, *, send: bool = True) -> dict[str, dict[str, int]]:
    """Counts per module: ``{"duties": {...ladder...}, "<app>": {...}}``."""
    as_of = check_as_of(as_of)
    results: dict[str, dict[str, int]] = {}
    # module work first (it may register or close duties), then the ladder over what is open
    for label, hook in module_hooks():
        try:
            results[label] = dict(hook(as_of) or {})
        except Exception:  # one module's failure must not stop the others' scan
            logger.exception("duties scan: module %s failed", label)
            results[label] = {"failed": 1}
    results = {"duties": ladder(as_of, send=send), **results}
    logger.info("duties scan %s: %s", as_of, results)
    return results
