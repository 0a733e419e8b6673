"""The rules of the key-task tracker: who leads what, which reports are expected when, submitting a
report (validated, evidence checked, all or nothing), the kernel duties behind the reminders, and
each task's derived state (status, overdue units) shared by the API, the back office and the portal."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from govcredit.accounts.models import Organisation, Role
from govcredit.accounts.permissions import Access
from govcredit.core import public_version
from govcredit.core.calendar import office_calendar
from govcredit.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.workdays import WorkingDayCalendar
from govcredit.duties.clock import Due, due_date
from govcredit.duties.disclosure import disclose
from govcredit.duties.services import fulfil_duty, record_event, register_duty
from govcredit.records.services import EVIDENCE_TYPES, validate_evidence

from . import figures as figure_registry
from . import periods
from .annex import POLICY_DATE
from .models import KeyTask, Progress, ReportingRule, TaskEvidence, TaskLead, TaskReport

register_action("govcredit.keytask.reported", "报送重点任务进展")

MODULE = "keytasks"
REPORT_KIND = "task_report"
COMPLETION_KIND = "task_completion"
REPORTER_ROLES = (Role.CLERK, Role.SUBJECT_USER, Role.CREDIT_OFFICE, Role.ADMIN)
MAX_FILES = 10
OBJECT_TYPE = "keytasks.taskreport"


class TaskStatus:
    ONGOING = "ongoing"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    LABELS = {ONGOING: "持续实施", IN_PROGRESS: "推进中", COMPLETED: "已完成"}
    VALUES = (ONGOING, IN_PROGRESS, COMPLETED)


# -- rights ----------------------------------------------------------------------------------------
def can_view(access: Access) -> bool:
    return bool(access.roles)


def reporting_unit_ids(access: Access) -> set[int]:
    """Units this user may report for (a clerk, unit user or credit office member of the unit)."""
    return {m.organisation_id for m in access.memberships if m.role in REPORTER_ROLES}


# -- rule and periods ------------------------------------------------------------------------------
def rule() -> ReportingRule:
    found = ReportingRule.objects.filter(key="default").first()
    if found is None:
        raise Conflict("尚未设置重点任务报送规则（请先运行 govcredit setup）")
    return found


def report_due(period: periods.Period, r: ReportingRule, cal: WorkingDayCalendar | None = None) -> Due:
    return due_date(period.end, mode="working", n=r.due_working_days, calendar=cal)


def completion_due(task: KeyTask, cal: WorkingDayCalendar | None = None) -> Due:
    assert task.deadline is not None
    return due_date(
        POLICY_DATE, mode="annual", month=task.deadline.month, day=task.deadline.day, calendar=cal
    )


# -- derived state ---------------------------------------------------------------------------------
@dataclass
class Expected:
    """One report (or a completion) a lead unit owes: kind, period (None for a completion), due."""

    kind: str
    unit: Organisation
    period: periods.Period | None
    due: dt.date
    done_on: dt.date | None = None

    @property
    def key(self) -> str:
        return f"{self.period.code}-{self.unit.pk}" if self.period else str(self.unit.pk)


@dataclass
class TaskState:
    task: KeyTask
    leads: list[Organisation]
    reports: list[TaskReport]
    expected: list[Expected]
    today: dt.date
    current: periods.Period
    status: str = ""
    overdue_items: list[Expected] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return bool(self.overdue_items)

    @property
    def overdue_units(self) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for item in self.overdue_items:
            seen.setdefault(item.unit.pk, item.unit)
        return list(seen.values())

    @property
    def status_label(self) -> str:
        return TaskStatus.LABELS[self.status]

    @property
    def last_report(self) -> TaskReport | None:
        return self.reports[0] if self.reports else None

    @property
    def next_due(self) -> Expected | None:
        pending = [e for e in self.expected if e.done_on is None and e.due >= self.today]
        return min(pending, key=lambda e: e.due) if pending else None

    def unit_rows(self) -> list[dict]:
        """Per lead unit: its last report, what it owes now, overdue or not."""
        rows = []
        for unit in self.leads:
            mine = [r for r in self.reports if r.unit_id == unit.pk]
            owed = [e for e in self.overdue_items if e.unit.pk == unit.pk]
            completed = next((r for r in mine if r.progress == Progress.COMPLETED), None)
            rows.append(
                {"unit": unit, "last": mine[0] if mine else None, "overdue": owed, "completed": completed}
            )
        return rows


def _short(unit: Organisation) -> str:
    return unit.short_name or unit.name


def build_states(tasks: list[KeyTask], today: dt.date | None = None) -> list[TaskState]:
    """Each task's state in three queries whatever the number of tasks."""
    today = today or timezone.localdate()
    r = rule()
    task_ids = [t.pk for t in tasks]
    leads: dict[int, list[Organisation]] = defaultdict(list)
    for lead in TaskLead.objects.filter(task_id__in=task_ids).select_related("unit").order_by("position"):
        leads[lead.task_id].append(lead.unit)
    reports: dict[int, list[TaskReport]] = defaultdict(list)
    for report in (
        TaskReport.objects.filter(task_id__in=task_ids)
        .select_related("unit")
        .order_by("-period_end", "-submitted_at", "-pk")
    ):
        reports[report.task_id].append(report)
    current = periods.period_of(today, r.cadence)
    tracked = periods.between(r.tracking_from, today, r.cadence) if r.tracking_from <= today else []
    cal = office_calendar()
    dues = {p.code: report_due(p, r, cal).due for p in tracked}
    states = []
    for task in tasks:
        state = TaskState(task, leads[task.pk], reports[task.pk], [], today, current)
        by_key = {(rep.unit_id, rep.period): rep for rep in state.reports}
        completed_on = {
            rep.unit_id: rep.completed_on or rep.submitted_on
            for rep in state.reports
            if rep.progress == Progress.COMPLETED
        }
        for unit in state.leads:
            done = completed_on.get(unit.pk)
            if task.deadline is not None:
                state.expected.append(
                    Expected(COMPLETION_KIND, unit, None, completion_due(task, cal).due, done)  # type: ignore[arg-type]
                )
            for p in tracked:
                if done is not None and p.start > done:
                    break  # a unit that completed its part owes no later reports
                rep = by_key.get((unit.pk, p.code))
                state.expected.append(
                    Expected(REPORT_KIND, unit, p, dues[p.code], rep.submitted_on if rep else None)
                )
        state.overdue_items = [e for e in state.expected if e.done_on is None and e.due < today]
        if task.deadline is None:
            state.status = TaskStatus.ONGOING
        elif state.leads and all(u.pk in completed_on for u in state.leads):
            state.status = TaskStatus.COMPLETED
        else:
            state.status = TaskStatus.IN_PROGRESS
        states.append(state)
    return states


def state_of(task: KeyTask, today: dt.date | None = None) -> TaskState:
    return build_states([task], today)[0]


def find_unit(value) -> Organisation | None:
    """A unit by id, registered name or the short name the policy uses."""
    if isinstance(value, Organisation):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    q = Q(name=text) | Q(short_name=text)
    if text.isdigit() and len(text) < 12:
        q |= Q(pk=int(text))
    return Organisation.objects.filter(q).order_by("pk").first()


def filtered_states(
    *, lead_unit: str | None = None, overdue: bool | None = None, status: str | None = None, today=None
) -> list[TaskState]:
    """The list behind ``GET /api/v1/tasks``, the office list and its export."""
    tasks = KeyTask.objects.order_by("number")
    if lead_unit:
        unit = find_unit(lead_unit)
        if unit is None:
            raise ValidationFailed(
                f"未找到单位「{lead_unit}」",
                field_errors={"lead_unit": [f"未找到单位「{lead_unit}」，请填写单位全称或简称"]},
            )
        tasks = tasks.filter(leads__unit=unit)
    if status and status not in TaskStatus.VALUES:
        raise ValidationFailed(
            "任务状态有误", field_errors={"status": ["应为 ongoing、in_progress 或 completed"]}
        )
    states = build_states(list(tasks), today)
    if status:
        states = [s for s in states if s.status == status]
    if overdue is not None:
        states = [s for s in states if s.overdue == overdue]
    return states


def get_task(number) -> KeyTask:
    try:
        return KeyTask.objects.get(number=int(number))
    except (KeyTask.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("重点任务不存在") from exc


def reports_for(task: KeyTask):
    return (
        task.reports.select_related("unit", "submitted_by")
        .prefetch_related("evidence")
        .order_by("-period_end", "-submitted_at", "-pk")
    )


def reportable_periods(today: dt.date | None = None) -> list[periods.Period]:
    today = today or timezone.localdate()
    r = rule()
    if r.tracking_from > today:
        return []
    return list(reversed(periods.between(r.tracking_from, today, r.cadence)))


# -- submitting a report ---------------------------------------------------------------------------
def _parse_date(value, key: str, label: str, errors: dict) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(key, []).append(f"{label}应为 YYYY-MM-DD 格式的日期")
        return None


def submit_report(
    task: KeyTask, data: dict, files: list[tuple[str, bytes]], *, access: Access, today: dt.date | None = None
) -> TaskReport:
    """A lead unit's report of one period, with evidence. All or nothing: every field and every file
    is checked before anything is written."""
    today = today or timezone.localdate()
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    r = rule()

    # the unit: given, or the user's only reporting unit
    mine = reporting_unit_ids(access)
    if not mine:
        raise PermissionDenied("只有本单位经办人或单位用户可以报送重点任务进展")
    raw_unit = data.get("unit")
    if raw_unit in (None, ""):
        lead_ids = set(TaskLead.objects.filter(task=task).values_list("unit_id", flat=True))
        candidates = mine & lead_ids
        unit = Organisation.objects.filter(pk=min(candidates)).first() if len(candidates) == 1 else None
        if unit is None and not candidates:
            raise PermissionDenied(
                f"您所在单位不是任务{task.number}「{task.title}」的牵头单位，不能报送该任务进展"
            )
        if unit is None:
            raise ValidationFailed(
                "请选择报送单位", field_errors={"unit": ["您属于多个牵头单位，请选择报送单位"]}
            )
    else:
        unit = find_unit(raw_unit)
        if unit is None:
            raise ValidationFailed(
                f"未找到单位「{raw_unit}」", field_errors={"unit": [f"未找到单位「{raw_unit}」"]}
            )
        if unit.pk not in mine:
            raise PermissionDenied(f"您不是{unit.name}的经办人，不能以该单位名义报送")
    if not TaskLead.objects.filter(task=task, unit=unit).exists():
        raise PermissionDenied(
            f"{_short(unit)}不是任务{task.number}「{task.title}」的牵头单位，不能报送该任务进展"
        )

    period = periods.parse(str(data.get("period") or ""))
    if period is None:
        errors["period"] = ["请选择报送期（如 2026H1）"]
    elif periods.cadence_of(period.code) != r.cadence:
        errors["period"] = [f"报送期应按{r.get_cadence_display()}划分"]
    elif period.start > today:
        errors["period"] = [f"{period.label}尚未开始，不能报送"]
    elif period.end < periods.period_of(r.tracking_from, r.cadence).start:
        errors["period"] = [f"{period.label}早于本系统的起始报送期，无需报送"]

    progress = str(data.get("progress") or "")
    if progress not in Progress.values:
        errors["progress"] = ["进展应为：按计划推进、已完成或进度滞后"]
    completed_on = _parse_date(data.get("completed_on"), "completed_on", "完成日期", errors)
    if progress == Progress.COMPLETED:
        if task.deadline is None:
            errors["progress"] = [f"任务{task.number}为持续实施的任务，不能报送“已完成”"]
        elif completed_on is None and "completed_on" not in errors:
            errors["completed_on"] = ["报送“已完成”须填写完成日期"]
    elif completed_on is not None:
        errors["completed_on"] = ["只有进展为“已完成”时填写完成日期"]
    if completed_on is not None and "completed_on" not in errors:
        if completed_on < POLICY_DATE:
            errors["completed_on"] = [f"完成日期不能早于实施意见印发日期 {POLICY_DATE:%Y-%m-%d}"]
        elif completed_on > today:
            errors["completed_on"] = ["完成日期不能晚于今天"]
        elif period is not None and completed_on > period.end:
            errors["completed_on"] = [f"完成日期晚于报送期末（{period.end:%Y-%m-%d}），请选择对应的报送期"]

    summary = str(data.get("summary") or "").strip()
    problems = str(data.get("problems") or "").strip()
    if not summary:
        errors["summary"] = ["请填写工作进展"]
    elif len(summary) > 4000:
        errors["summary"] = ["工作进展不超过 4,000 字"]
    if len(problems) > 2000:
        errors["problems"] = ["存在问题和下步打算不超过 2,000 字"]

    if not files:
        errors["evidence"] = ["请上传至少一份佐证材料（PDF、OFD、JPG、PNG）"]
    elif len(files) > MAX_FILES:
        errors["evidence"] = [f"佐证材料最多 {MAX_FILES} 份"]
    else:
        for name, content in files:
            try:
                validate_evidence(name, content)
            except ValidationFailed as exc:
                errors.setdefault("evidence", []).extend(exc.field_errors.get("evidence", [exc.message]))
    if errors:
        raise ValidationFailed("报送内容有误，请按提示修改", field_errors=errors)
    assert period is not None

    due = report_due(period, r)
    if TaskReport.objects.filter(task=task, unit=unit, period=period.code).exists():
        raise Conflict(f"{_short(unit)}已报送任务{task.number}{period.label}的进展，不能重复报送")
    figures = [f.as_dict() for f in figure_registry.figures_for(task.number, today)]
    try:
        with transaction.atomic():
            report = TaskReport.objects.create(
                task=task,
                unit=unit,
                period=period.code,
                period_start=period.start,
                period_end=period.end,
                due_on=due.due,
                progress=progress,
                completed_on=completed_on,
                summary=summary,
                problems=problems,
                figures=figures,
                submitted_by=access.user,
                submitted_at=now,
                submitted_on=today,
                on_time=today <= due.due,
            )
            for name, content in files:
                digest = hashlib.sha256(content).hexdigest()
                safe = PurePath(name).name[-150:]
                ev = TaskEvidence(
                    report=report,
                    original_name=safe,
                    content_type=EVIDENCE_TYPES[PurePath(name).suffix.lower()],
                    size=len(content),
                    sha256=digest,
                )
                ev.file.save(safe, ContentFile(content), save=False)
                ev.save()
            _close_duties(task, unit, period, due, report, today)
            disclose("publish", object_type=OBJECT_TYPE, object_id=report.pk)
            public_version.bump()
            log_action(
                "govcredit.keytask.reported",
                actor=access.user,
                obj=report,
                summary=f"{_short(unit)}报送任务{task.number}「{task.title}」{period.label}进展"
                + ("" if report.on_time else "（逾期）"),
                after={
                    "period": period.code,
                    "progress": progress,
                    "evidence": len(files),
                    "on_time": report.on_time,
                },
            )
    except IntegrityError as exc:  # a concurrent identical report
        raise Conflict(f"{_short(unit)}已报送任务{task.number}{period.label}的进展，不能重复报送") from exc
    return report


def _close_duties(task, unit, period, due: Due, report: TaskReport, today: dt.date) -> None:
    key = f"{period.code}-{unit.pk}"
    register_duty(
        module=MODULE,
        kind=REPORT_KIND,
        obj=task,
        key=key,
        due=due,
        title=f"重点任务{task.number}「{task.title}」{period.label}进展报送",
        unit=unit,
        subject=unit.subject,
    )
    fulfil_duty(task, kind=REPORT_KIND, key=key, on=today)
    if report.progress == Progress.COMPLETED and task.deadline is not None:
        _register_completion(task, unit)
        fulfil_duty(task, kind=COMPLETION_KIND, key=str(unit.pk), on=report.completed_on or today)
    if unit.subject_id:
        record_event(
            subject=unit.subject,
            dimension="政务信用管理",
            indicator="keytask_report_on_time",
            polarity="+" if report.on_time else "-",
            value=1 if report.on_time else (today - due.due).days,
            occurred_on=today,
            module=MODULE,
            obj=report,
        )


def _register_completion(task: KeyTask, unit: Organisation):
    return register_duty(
        module=MODULE,
        kind=COMPLETION_KIND,
        obj=task,
        key=str(unit.pk),
        due=completion_due(task),
        title=f"重点任务{task.number}「{task.title}」{task.schedule}",
        unit=unit,
        subject=unit.subject,
    )


# -- the scan: every expected report is a kernel duty ------------------------------------------------
def ensure_duties(as_of: dt.date) -> dict[str, int]:
    """Register the duty of every report (and completion) owed up to the period containing
    ``as_of``, from the rule's first period on; idempotent (existing duties are left alone)."""
    from govcredit.duties.models import Duty

    r = ReportingRule.objects.filter(key="default").first()
    if r is None or r.tracking_from > as_of:
        return {"registered": 0}
    existing = set(Duty.objects.filter(module=MODULE).values_list("object_id", "kind", "key"))
    registered = 0
    with transaction.atomic():
        for state in build_states(list(KeyTask.objects.order_by("number")), as_of):
            task = state.task
            for item in state.expected:
                if item.done_on is not None or (task.pk, item.kind, item.key) in existing:
                    continue
                if item.kind == COMPLETION_KIND:
                    _register_completion(task, item.unit)
                else:
                    assert item.period is not None
                    register_duty(
                        module=MODULE,
                        kind=REPORT_KIND,
                        obj=task,
                        key=item.key,
                        due=report_due(item.period, r),
                        title=f"重点任务{task.number}「{task.title}」{item.period.label}进展报送",
                        unit=item.unit,
                        subject=item.unit.subject,
                    )
                registered += 1
    return {"registered": registered}


def evidence_for(access: Access, pk) -> TaskEvidence:
    """Staff-wide roles and the reporting unit's own users may download a report's evidence."""
    try:
        ev = TaskEvidence.objects.select_related("report").get(pk=int(pk))
    except (TaskEvidence.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise NotFound("佐证材料不存在") from exc
    if not (access.sees_everything or ev.report.unit_id in access.organisation_ids):
        raise NotFound("佐证材料不存在或不在您的查看范围内")
    return ev
