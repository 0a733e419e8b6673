"""NPC deputies' suggestions and CPPCC proposals (WAVE2 §7.3): 交办 to a lead unit and co-units, answer
within 3 months of 交办 (6 when complex; configurable rows), the deputy's feedback; 不满意 reopens it with
a new one-month deadline. Co-units give their opinion to the lead unit within one month. An answer of
type 列入计划 must name the date; that promise becomes a kernel duty of the lead unit with that date."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.accounts.permissions import Access
from govcredit.core.errors import Conflict, NotFound, PermissionDenied
from govcredit.core.ledger import log_action, register_action
from govcredit.duties import services as duty_services
from govcredit.duties.clock import Due, due_date

from . import rules
from .common import (
    GOV_OFFICE_UNIT,
    MODULE,
    Problems,
    find_unit,
    in_unit,
    in_unit_named,
    is_office,
    parse_date,
    text,
)
from .models import (
    OPEN_MOTION_STATES,
    SATISFACTION_SCORE,
    AnswerType,
    Motion,
    MotionAnswer,
    MotionKind,
    MotionOpinion,
    MotionStatus,
    Satisfaction,
)

ANSWER_DUTY = "motion_answer"
OPINION_DUTY = "motion_co_opinion"
PROMISE_DUTY = "motion_promise"

for _key, _label in {
    "govcredit.motion.assigned": "交办建议提案",
    "govcredit.motion.opinion": "提交协办意见",
    "govcredit.motion.answered": "答复建议提案",
    "govcredit.motion.feedback": "代表委员反馈意见",
}.items():
    register_action(_key, _label)


def may_manage(access: Access) -> bool:
    """The 区政府办公室 (督查室) and the credit office register and assign motions."""
    return is_office(access) or in_unit_named(access, GOV_OFFICE_UNIT)


def motions_for(access: Access) -> QuerySet[Motion]:
    qs = Motion.objects.select_related("lead_unit").prefetch_related("co_units")
    if not access.roles:
        return qs.none()
    if may_manage(access) or access.sees_everything:
        return qs
    ids = access.organisation_ids
    return qs.filter(Q(lead_unit_id__in=ids) | Q(co_units__in=ids)).distinct()


def get_motion(access: Access, pk) -> Motion:
    m = motions_for(access).filter(pk=pk).first()
    if m is None:
        raise NotFound("建议提案不存在或不在您的查看范围内")
    return m


def months_for(kind: str, complex_: bool) -> int:
    prefix = "npc" if kind == MotionKind.NPC else "cppcc"
    return rules.value(f"{prefix}_complex_months" if complex_ else f"{prefix}_months")


def deadline_for(kind: str, assigned_on: dt.date, complex_: bool) -> Due:
    return due_date(assigned_on, mode="months", n=months_for(kind, complex_))


def _title(m: Motion) -> str:
    return f"{m.get_kind_display()}第{m.number}号「{m.title[:60]}」答复"


def create_motion(data: dict, *, access: Access) -> Motion:
    access.require(may_manage(access), "只有区政府办公室（督查室）或信用办可以交办建议提案")
    problems = Problems()
    kind = data.get("kind")
    if kind not in MotionKind.values:
        problems.add("kind", "类型应为 npc（人大代表建议）或 cppcc（政协提案）")
    number = text(data.get("number"), "number", "编号", problems, max_len=40, required=True)
    session = text(data.get("session"), "session", "届次会议", problems, max_len=80, required=True)
    title = text(data.get("title"), "title", "案由", problems, max_len=300, required=True)
    content = text(data.get("content"), "content", "内容", problems, max_len=10000)
    proposers = text(
        data.get("proposers"), "proposers", "领衔人及附议人", problems, max_len=300, required=True
    )
    lead = find_unit(data.get("lead_unit"))
    if lead is None:
        problems.add("lead_unit", f"主办单位「{str(data.get('lead_unit') or '')[:40]}」不在本区单位名单中")
    co_units: list[Organisation] = []
    raw_co = data.get("co_units") or []
    if isinstance(raw_co, str):
        raw_co = [p for p in raw_co.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    for name in raw_co:
        unit = find_unit(name)
        if unit is None:
            problems.add("co_units", f"协办单位「{str(name)[:40]}」不在本区单位名单中")
        elif lead is not None and unit.pk == lead.pk:
            problems.add("co_units", f"{unit.name}已是主办单位，不能同时作为协办单位")
        elif unit not in co_units:
            co_units.append(unit)
    assigned_on = parse_date(data.get("assigned_on"), "assigned_on", "交办日期", problems, required=True)
    if assigned_on and assigned_on > timezone.localdate():
        problems.add("assigned_on", "交办日期不能晚于今天")
    complex_ = bool(data.get("complex"))
    if (
        kind in MotionKind.values
        and number
        and session
        and Motion.objects.filter(kind=kind, session=session, number=number).exists()
    ):
        raise Conflict(f"{session}的{MotionKind(kind).label}第{number}号已登记")
    problems.raise_if_any("建议提案信息有误，未保存")
    due = deadline_for(kind, assigned_on, complex_)
    with transaction.atomic():
        m = Motion.objects.create(
            kind=kind,
            number=number,
            session=session,
            title=title,
            content=content,
            proposers=proposers,
            lead_unit=lead,
            assigned_on=assigned_on,
            complex=complex_,
            key_supervised=bool(data.get("key_supervised")),
            deadline=due.due,
            deadline_explain=due.explain(),
            created_by=access.user,
        )
        m.co_units.set(co_units)
        duty_services.register_duty(
            module=MODULE,
            kind=ANSWER_DUTY,
            obj=m,
            due=due,
            title=_title(m),
            unit=lead,
            subject=lead.subject,
            key="c1",
        )
        co_due = due_date(assigned_on, mode="months", n=rules.value("co_opinion_months"))
        for unit in co_units:
            duty_services.register_duty(
                module=MODULE,
                kind=OPINION_DUTY,
                obj=m,
                key=f"u{unit.pk}",
                due=co_due,
                title=f"{m.get_kind_display()}第{m.number}号协办意见（告知{lead.name}）",
                unit=unit,
                subject=unit.subject,
            )
        log_action(
            "govcredit.motion.assigned",
            actor=access.user,
            obj=m,
            summary=f"{m}交办{lead.name}，{m.deadline:%Y-%m-%d} 前答复",
            after={"deadline": m.deadline, "complex": complex_, "co_units": [u.name for u in co_units]},
        )
    return m


def add_opinion(m: Motion, *, access: Access, text_: str) -> MotionOpinion:
    unit_ids = set(m.co_units.values_list("pk", flat=True))
    mine = [o for o in access.organisation_ids if o in unit_ids and in_unit(access, o)]
    if not mine:
        raise PermissionDenied("只有协办单位可以提交协办意见")
    problems = Problems()
    body = text(text_, "text", "协办意见", problems, max_len=4000, required=True)
    problems.raise_if_any("协办意见有误")
    unit = Organisation.objects.get(pk=mine[0])
    today = timezone.localdate()
    with transaction.atomic():
        if MotionOpinion.objects.filter(motion=m, unit=unit).exists():
            raise Conflict(f"{unit.name}已提交过协办意见")
        op = MotionOpinion.objects.create(
            motion=m, unit=unit, text=body, submitted_on=today, actor=access.user
        )
        duty_services.fulfil_duty(m, on=today, kind=OPINION_DUTY, key=f"u{unit.pk}")
        log_action(
            "govcredit.motion.opinion", actor=access.user, obj=m, summary=f"{unit.name}提交{m}协办意见"
        )
    return op


def answer(m: Motion, *, access: Access, data: dict) -> Motion:
    if not in_unit(access, m.lead_unit_id):
        raise PermissionDenied("只有主办单位可以答复建议提案")
    problems = Problems()
    answer_type = data.get("answer_type")
    if answer_type not in AnswerType.values:
        problems.add(
            "answer_type", "答复类型应为：" + "、".join(f"{v}（{label}）" for v, label in AnswerType.choices)
        )
    body = text(data.get("text"), "text", "答复内容", problems, max_len=10000, required=True)
    signer = text(data.get("signer"), "signer", "签发人", problems, max_len=40, required=True)
    promise = parse_date(data.get("promise_due_on"), "promise_due_on", "承诺解决日期", problems)
    today = timezone.localdate()
    if answer_type == AnswerType.PLANNED:
        if promise is None and "promise_due_on" not in problems.errors:
            problems.add("promise_due_on", "答复类型为「列入计划解决」的，须写明计划解决的日期")
        elif promise is not None and promise <= today:
            problems.add("promise_due_on", "计划解决日期应晚于今天")
    elif promise is not None:
        problems.add("promise_due_on", "只有「列入计划解决」的答复需要填写计划解决日期")
    problems.raise_if_any("答复信息有误")
    late = today > m.deadline
    with transaction.atomic():
        if (
            Motion.objects.filter(pk=m.pk, status__in=OPEN_MOTION_STATES).update(
                status=MotionStatus.ANSWERED,
                answer_type=answer_type,
                answer=body,
                signer=signer,
                answered_on=today,
                promise_due_on=promise,
                feedback="",
                feedback_note="",
                feedback_on=None,
                updated_at=timezone.now(),
            )
            != 1
        ):
            raise Conflict("该建议提案已答复，等待代表委员反馈意见或已办结")
        m.refresh_from_db()
        MotionAnswer.objects.create(
            motion=m,
            cycle=m.cycle,
            answer_type=answer_type,
            text=body,
            signer=signer,
            answered_on=today,
            late=late,
        )
        duty_services.fulfil_duty(m, on=today, kind=ANSWER_DUTY, key=f"c{m.cycle}")
        if promise is not None:
            duty_services.register_duty(
                module=MODULE,
                kind=PROMISE_DUTY,
                obj=m,
                key=f"c{m.cycle}",
                due=Due(
                    due=promise,
                    start=today,
                    mode="calendar",
                    n=(promise - today).days,
                    skipped_holidays=(),
                    estimated=False,
                ),
                title=f"{m}答复承诺：{m.title[:80]}（列入计划，{promise:%Y-%m-%d} 前解决）",
                unit=m.lead_unit,
                subject=m.lead_unit.subject,
            )
        if m.lead_unit.subject_id:
            duty_services.record_event(
                subject=m.lead_unit.subject,
                dimension="勤政高效",
                indicator="motion_answered_late" if late else "motion_answered_on_time",
                polarity="-" if late else "+",
                value=(today - m.deadline).days if late else 1,
                occurred_on=today,
                module=MODULE,
                obj=m,
                key=f"c{m.cycle}",
            )
        log_action(
            "govcredit.motion.answered",
            actor=access.user,
            obj=m,
            summary=f"{m}答复（{AnswerType(answer_type).label}）" + ("，逾期" if late else ""),
        )
    return m


def feedback(m: Motion, *, access: Access, value: str, note: str = "") -> Motion:
    """The deputy's or member's opinion, recorded by the 督查室; 不满意 reopens for one month."""
    access.require(may_manage(access), "只有区政府办公室（督查室）或信用办可以登记代表委员意见")
    problems = Problems()
    if value not in Satisfaction.values:
        problems.add("feedback", "意见应为 satisfied（满意）、basic（基本满意）或 unsatisfied（不满意）")
    note = text(note, "note", "意见说明", problems, max_len=2000, required=value == Satisfaction.UNSATISFIED)
    problems.raise_if_any("反馈信息有误")
    today = timezone.localdate()
    with transaction.atomic():
        locked = Motion.objects.select_for_update().get(pk=m.pk)
        if locked.status != MotionStatus.ANSWERED:
            raise Conflict(f"建议提案当前状态为「{locked.get_status_display()}」，答复后才能登记意见")
        MotionAnswer.objects.filter(motion=locked, cycle=locked.cycle).update(feedback=value)
        if locked.lead_unit.subject_id:
            duty_services.record_event(
                subject=locked.lead_unit.subject,
                dimension="守信践诺",
                indicator="motion_satisfaction",
                polarity="fact",
                value=SATISFACTION_SCORE[value],
                occurred_on=today,
                module=MODULE,
                obj=locked,
                key=f"c{locked.cycle}",
            )
        locked.feedback, locked.feedback_note, locked.feedback_on = value, note, today
        if value == Satisfaction.UNSATISFIED:
            due = due_date(today, mode="months", n=rules.value("reopen_months"))
            locked.status = MotionStatus.REOPENED
            locked.cycle += 1
            locked.deadline, locked.deadline_explain = due.due, due.explain()
            duty_services.register_duty(
                module=MODULE,
                kind=ANSWER_DUTY,
                obj=locked,
                key=f"c{locked.cycle}",
                due=due,
                title=_title(locked) + f"（第{locked.cycle}轮，不满意重新办理）",
                unit=locked.lead_unit,
                subject=locked.lead_unit.subject,
            )
        else:
            locked.status = MotionStatus.CLOSED
        locked.save()
        log_action(
            "govcredit.motion.feedback",
            actor=access.user,
            obj=locked,
            summary=f"{locked}：{Satisfaction(value).label}"
            + (f"，重新办理至 {locked.deadline:%Y-%m-%d}" if value == Satisfaction.UNSATISFIED else ""),
        )
    return locked


def view(m: Motion, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": m.pk,
        "kind": m.kind,
        "number": m.number,
        "session": m.session,
        "title": m.title,
        "proposers": m.proposers,
        "lead_unit": m.lead_unit.name,
        "co_units": [u.name for u in m.co_units.all()],
        "assigned_on": m.assigned_on.isoformat(),
        "complex": m.complex,
        "key_supervised": m.key_supervised,
        "deadline": m.deadline.isoformat(),
        "status": m.status,
        "cycle": m.cycle,
        "overdue": m.status in OPEN_MOTION_STATES and m.deadline < today,
        "answer_type": m.answer_type or None,
        "answer": m.answer or None,
        "answered_on": m.answered_on.isoformat() if m.answered_on else None,
        "promise_due_on": m.promise_due_on.isoformat() if m.promise_due_on else None,
        "feedback": m.feedback or None,
    }
