"""The annex's 18 key tasks (issue 14 points 11–12): list with filters, detail with live figures and
the report timeline, and a lead unit's progress report with evidence (multipart). Thin: rules live in
``govcredit.keytasks.services``. Mounted at /api/v1/tasks (staff, Bearer token)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from govcredit.keytasks import figures, services
from govcredit.keytasks.models import KeyTask, TaskReport

from .auth import TokenAuth, access_of
from .common import check_text
from .schemas import ERROR_CODES, Error, ObjectId

router = Router(auth=TokenAuth(), tags=["重点任务分工"])
PAGE_SIZE = 20


class TaskFigureOut(Schema):
    code: str
    label: str
    value: int | str
    unit: str
    source: str


class TaskOverdueOut(Schema):
    unit: str
    kind: Literal["task_report", "task_completion"]
    period: str | None
    due_on: str


class TaskReportOut(Schema):
    id: int
    unit: str
    period: str
    period_start: str
    period_end: str
    due_on: str
    progress: Literal["on_track", "completed", "delayed"]
    completed_on: str | None
    summary: str
    problems: str
    on_time: bool
    submitted_on: str
    figures: list[TaskFigureOut]
    evidence: list[dict]


class TaskBriefOut(Schema):
    id: int = Field(..., description="任务序号（1–18）")
    number: int
    title: str
    responsibility: str = Field(..., description="责任单位（附件原文）")
    lead_units: list[str]
    lead_mode: Literal["lead", "separate"]
    cooperating_units: list[str]
    schedule: str = Field(..., description="时间进度（附件原文）")
    deadline: str | None = Field(..., description="完成时限 YYYY-MM-DD；持续实施的为 null")
    ongoing: bool
    note: str
    status: Literal["ongoing", "in_progress", "completed"]
    overdue: bool
    overdue_units: list[str]
    overdue_items: list[TaskOverdueOut]
    current_period: str
    next_due_on: str | None
    last_report: TaskReportOut | None


class TaskDetailOut(TaskBriefOut):
    policy_section: str
    figures: list[TaskFigureOut]
    figures_source: str
    reports: list[TaskReportOut]


class TaskPage(Schema):
    count: int
    items: list[TaskBriefOut]


class TaskFilter(Schema):
    overdue: bool | None = Field(None, description="true：有逾期未报送（或未按期完成）的任务")
    lead_unit: str | None = Field(None, max_length=200, description="牵头单位全称或简称，如 区财政局")
    status: Literal["ongoing", "in_progress", "completed"] | None = None
    page: int = Field(1, ge=1)


class TaskReportIn(Schema):
    period: str = Field(..., max_length=8, description="报送期，如 2026H1")
    progress: Literal["on_track", "completed", "delayed"]
    summary: str = Field(..., max_length=4000)
    problems: str = Field("", max_length=2000)
    completed_on: str | None = Field(
        None, max_length=10, description="进展为 completed 时的完成日期 YYYY-MM-DD"
    )
    unit: str | None = Field(None, max_length=200, description="报送单位（用户属于多个牵头单位时必填）")


def _short(unit) -> str:
    return unit.short_name or unit.name


def report_json(r: TaskReport) -> dict:
    return {
        "id": r.pk,
        "unit": _short(r.unit),
        "period": r.period,
        "period_start": r.period_start.isoformat(),
        "period_end": r.period_end.isoformat(),
        "due_on": r.due_on.isoformat(),
        "progress": r.progress,
        "completed_on": r.completed_on.isoformat() if r.completed_on else None,
        "summary": r.summary,
        "problems": r.problems,
        "on_time": r.on_time,
        "submitted_on": r.submitted_on.isoformat(),
        "figures": r.figures,
        "evidence": [{"name": e.original_name, "size": e.size, "sha256": e.sha256} for e in r.evidence.all()],
    }


def task_json(state: services.TaskState) -> dict:
    t = state.task
    nxt = state.next_due
    return {
        "id": t.number,
        "number": t.number,
        "title": t.title,
        "responsibility": t.responsibility,
        "lead_units": [_short(u) for u in state.leads],
        "lead_mode": t.lead_mode,
        "cooperating_units": list(t.cooperating),
        "schedule": t.schedule,
        "deadline": t.deadline.isoformat() if t.deadline else None,
        "ongoing": t.ongoing,
        "note": t.note,
        "status": state.status,
        "overdue": state.overdue,
        "overdue_units": [_short(u) for u in state.overdue_units],
        "overdue_items": [
            {
                "unit": _short(e.unit),
                "kind": e.kind,
                "period": e.period.code if e.period else None,
                "due_on": e.due.isoformat(),
            }
            for e in state.overdue_items
        ],
        "current_period": state.current.code,
        "next_due_on": nxt.due.isoformat() if nxt else None,
        "last_report": report_json(state.last_report) if state.last_report else None,
    }


@router.get(
    "",
    response={200: TaskPage, ERROR_CODES: Error},
    summary="重点任务列表（18项，可按逾期、牵头单位、状态筛选）",
)
def list_tasks(request, filters: Query[TaskFilter]):
    access = access_of(request)
    access.require(services.can_view(access), "您的账号尚未分配单位和角色，不能查看重点任务")
    check_text(lead_unit=filters.lead_unit)
    states = services.filtered_states(
        lead_unit=filters.lead_unit, overdue=filters.overdue, status=filters.status
    )
    offset = (filters.page - 1) * PAGE_SIZE
    page = states[offset : offset + PAGE_SIZE]
    return {"count": len(states), "items": [task_json(s) for s in page]}


def _task(number: int) -> KeyTask:
    return services.get_task(number)


@router.get(
    "/{int:number}",
    response={200: TaskDetailOut, ERROR_CODES: Error},
    summary="重点任务详情（含系统实时数据和进展报告）",
)
def get_task(request, number: ObjectId):
    access = access_of(request)
    access.require(services.can_view(access), "您的账号尚未分配单位和角色，不能查看重点任务")
    task = _task(number)
    state = services.state_of(task)
    return {
        **task_json(state),
        "policy_section": task.policy_section,
        "figures": [f.as_dict() for f in figures.figures_for(task.number)],
        "figures_source": figures.source_of(task.number),
        "reports": [report_json(r) for r in services.reports_for(task)],
    }


@router.post(
    "/{int:number}/reports",
    response={201: TaskReportOut, ERROR_CODES: Error},
    summary="牵头单位报送进展（multipart：字段 + 佐证材料 evidence，可多个）",
)
def post_report(
    request, number: ObjectId, payload: Form[TaskReportIn], evidence: File[list[UploadedFile]] = None
):
    access = access_of(request)
    task = _task(number)
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    files = [(f.name or "", f.read()) for f in (evidence or [])]
    report = services.submit_report(task, data, files, access=access)
    return Status(201, report_json(report))
