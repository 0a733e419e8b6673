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
from django.db import transaction
from django.utils import timezone

from govcredit.core.calendar import office_calendar
from govcredit.core.errors import ValidationFailed
from govcredit.core.ledger import _lock_head
from govcredit.core.workdays import WorkingDayCalendar

from .models import STAGE_ORDER, Duty, DutyStatus, LadderStage, Stage

logger = logging.getLogger("govcredit.duties")
LOCK = "duties-scan"
CHUNK = 900
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
            rows = list(
                Duty.objects.filter(status=DutyStatus.OPEN, due_on__lte=cutoff, stage__in=lower)
                .order_by("unit_id", "due_on", "pk")
                .values_list("pk", "unit_id", "title", "due_on")
            )
            for start in range(0, len(rows), CHUNK):
                Duty.objects.filter(pk__in=[r[0] for r in rows[start : start + CHUNK]]).update(
                    stage=rung.stage, stage_on=as_of
                )
            counts[rung.stage] = len(rows)
            for _pk, unit_id, title, due_on in rows:
                digests[(rung.stage, unit_id)].append((title, due_on))
        counts["overdue"] = Duty.objects.filter(status=DutyStatus.OPEN, due_on__lt=as_of).count()
        counts["messages"] = _send_digests(digests, stages, as_of) if send else 0
    return counts


def _recipients(unit_id: int | None, office: bool):
    from govcredit.accounts.models import Role, User

    users = User.objects.none()
    if unit_id is not None:
        users = User.objects.filter(
            is_active=True,
            memberships__organisation_id=unit_id,
            memberships__role__in=[Role.CLERK, Role.CREDIT_OFFICE, Role.SUBJECT_USER, Role.ADMIN],
        )
    if office:
        users = users | User.objects.filter(
            is_active=True,
            memberships__role=Role.CREDIT_OFFICE,
            memberships__organisation__is_credit_office=True,
        )
    return list(users.distinct().order_by("pk"))


STAGE_TEXT = {
    "notice": "即将到期",
    "due": "今日到期",
    "urge": "已逾期，现予催办",
    "supervise": "逾期未办，现予督办",
    "listed": "长期逾期，列入挂牌督办",
}


def _send_digests(digests, stages, as_of: dt.date) -> int:
    from govcredit.accounts.models import Organisation
    from govcredit.disputes.notifications import PHONE_RE, queue

    office_rungs = {s.stage for s in stages if s.notify_office}
    units = Organisation.objects.in_bulk({unit_id for _s, unit_id in digests if unit_id})
    sent = 0
    for (stage, unit_id), items in sorted(digests.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        unit = units.get(unit_id)
        label = Stage(stage).label
        who = unit.name if unit else "无责任单位"
        lines = [
            f"{i}. {title}（到期日 {due:%Y-%m-%d}）" for i, (title, due) in enumerate(items[:DIGEST_LINES], 1)
        ]
        if len(items) > DIGEST_LINES:
            lines.append(f"……等共{len(items):,}项")
        subject = f"【{label}】{who}有{len(items):,}项履职事项{STAGE_TEXT[stage]}"
        body = (
            f"{who}：截至{as_of.year}年{as_of.month}月{as_of.day}日，以下{len(items):,}项事项{STAGE_TEXT[stage]}，"
            "请及时办理并在管理后台登记办理情况。\n" + "\n".join(lines)
        )
        sms = f"{who}有{len(items):,}项履职事项{STAGE_TEXT[stage]}（{label}），请登录政务诚信管理平台办理。"
        audience = "supervisor" if stage in office_rungs else "handler"
        for user in _recipients(unit_id, stage in office_rungs):
            if user.email:
                queue(
                    None,
                    channel="email",
                    recipient=user.email,
                    audience=audience,
                    event=f"duty_{stage}",
                    subject=subject[:200],
                    body=body,
                )
                sent += 1
            if user.phone and PHONE_RE.match(user.phone):
                queue(
                    None,
                    channel="sms",
                    recipient=user.phone,
                    audience=audience,
                    event=f"duty_{stage}",
                    subject=subject[:200],
                    body=sms,
                )
                sent += 1
    return sent


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
