"""Major administrative decisions: the rules (条例 = 《重大行政决策程序暂行条例》, 国务院令第713号).

Every write checks the caller's rights, validates everything first (nothing half-saved), runs in one
transaction, writes an audit entry, and puts each step the public may see in the disclosure ledger, so
anyone can check that a consultation ran its 30 days and ended before the meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.accounts.models import Role as AccountRole
from govcredit.accounts.permissions import Access
from govcredit.contracts.services import Problems, _text, find_government, parse_choice, parse_date
from govcredit.core import public_version
from govcredit.core.calendar import office_calendar
from govcredit.core.errors import Conflict, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.workdays import format_cn_date
from govcredit.duties import services as duty_services
from govcredit.duties.disclosure import disclose

from .models import (
    STATUS_ORDER,
    WAIVABLE_STEPS,
    CatalogEntry,
    Category,
    CollectiveDecision,
    Comment,
    Decision,
    ExecutionReport,
    ExpertReview,
    Hearing,
    LegalityResult,
    LegalityReview,
    MeetingType,
    Outcome,
    Participation,
    PostEvaluation,
    RiskAssessment,
    RiskConclusion,
    Status,
    Step,
    StepWaiver,
)

MODULE = "decisions"
#: the unit that runs the decision catalog and sees every decision (and proposes findings)
MANAGER_UNIT = "区政府办公室"
#: the legality reviewer (条例第二十五条: 决策机关的合法性审查机构; in 2018 区政府法制办, today 区司法局)
REVIEW_UNIT = "区政府法制办"
MIN_CONSULTATION_DAYS = 30  # 条例第十五条第三款 ✅
HEARING_MATERIALS_DAYS = 7  # 条例第十八条 ✅
MIN_REVIEW_WORKING_DAYS = 7  # 条例第二十七条 ✅（"一般不少于7个工作日"）
BASIS = "《重大行政决策程序暂行条例》（国务院令第713号）"
MAX_EXPERTS = 50

STEP_OBJECT_TYPES = {
    Step.PARTICIPATION: "decisions.participation",
    Step.EXPERT: "decisions.expertreview",
    Step.RISK: "decisions.riskassessment",
    Step.LEGALITY: "decisions.legalityreview",
    Step.COLLECTIVE: "decisions.collectivedecision",
}

for _key, _label in {
    "govcredit.decisions.catalog_entry": "登记重大行政决策目录事项",
    "govcredit.decisions.catalog_published": "公布重大行政决策事项目录",
    "govcredit.decisions.launched": "启动重大行政决策",
    "govcredit.decisions.step": "登记重大行政决策程序环节",
    "govcredit.decisions.waiver": "登记决策程序环节不适用",
    "govcredit.decisions.adoption": "公布意见采纳情况",
    "govcredit.decisions.reported": "决策报告党委",
    "govcredit.decisions.published": "公布重大行政决策",
    "govcredit.decisions.execution": "登记决策执行情况",
    "govcredit.decisions.post_evaluation": "登记决策后评估",
    "govcredit.decisions.status": "重大行政决策调整或停止执行",
    "govcredit.decisions.comment": "公众提交决策意见",
}.items():
    register_action(_key, _label)


EARLIEST = dt.date(2000, 1, 1)


def _pdate(value, field: str, label: str, problems: Problems, *, required: bool = False) -> dt.date | None:
    """``parse_date`` bounded to the years the platform can hold (2000 to next year)."""
    day = parse_date(value, field, label, problems, required=required)
    if day is not None and not EARLIEST <= day <= dt.date(timezone.localdate().year + 1, 12, 31):
        problems.add(field, f"{label}（{day.isoformat()}）超出有效范围（2000年至明年）")
        return None
    return day


# -- scope and rights ------------------------------------------------------------------------------
def _units_of(access: Access, *roles: str) -> set[str]:
    return {m.organisation.short_name for m in access.memberships if not roles or m.role in roles}


def sees_all(access: Access) -> bool:
    return access.sees_everything or bool(_units_of(access) & {MANAGER_UNIT, REVIEW_UNIT})


def may_view(access: Access) -> bool:
    return bool(access.roles)


def can_manage_catalog(access: Access) -> bool:
    return access.has_role(AccountRole.ADMIN, AccountRole.CREDIT_OFFICE) or MANAGER_UNIT in _units_of(
        access, AccountRole.CLERK
    )


def can_manage(access: Access, decision: Decision | None = None) -> bool:
    """The catalog's owner and the credit office manage every decision; a unit's clerk its own."""
    if can_manage_catalog(access):
        return True
    if decision is None:
        return access.has_role(AccountRole.CLERK)
    return any(
        m.role == AccountRole.CLERK and m.organisation_id == decision.unit_id for m in access.memberships
    )


def can_review_legality(access: Access) -> bool:
    """Only the legality reviewer records its opinion: nothing else replaces it (条例第二十五条)."""
    return access.has_role(AccountRole.ADMIN) or REVIEW_UNIT in _units_of(access, AccountRole.CLERK)


def decisions_for(access: Access) -> QuerySet[Decision]:
    qs = Decision.objects.select_related("decision_body", "unit", "catalog_entry")
    if not access.roles:
        return qs.none()
    if sees_all(access):
        return qs
    return qs.filter(unit_id__in=access.organisation_ids)


def get_decision_for_user(access: Access, pk) -> Decision:
    found = decisions_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("重大行政决策不存在或不在您的查看范围内")
    return found


def catalog_for(access: Access) -> QuerySet[CatalogEntry]:
    qs = CatalogEntry.objects.select_related("decision_body", "unit")
    if not access.roles:
        return qs.none()
    if sees_all(access):
        return qs
    return qs.filter(unit_id__in=access.organisation_ids)


def _unit(value, problems: Problems, field: str = "unit") -> Organisation | None:
    text = str(value or "").strip()
    if not text:
        problems.add(field, "请填写承办单位（简称、登记名称或统一社会信用代码）")
        return None
    org = (
        Organisation.objects.filter(short_name=text).first()
        or Organisation.objects.filter(name=text).first()
        or Organisation.objects.filter(subject__uscc=text.upper()).first()
    )
    if org is None:
        problems.add(field, f"单位「{text}」不存在（可填简称，如 区住建局）")
    return org


def _today() -> dt.date:
    return timezone.localdate()


def _not_future(day: dt.date | None, field: str, label: str, problems: Problems) -> None:
    if day and day > _today():
        problems.add(field, f"{label}（{day.isoformat()}）不能晚于今天")


# -- the catalog -----------------------------------------------------------------------------------
def create_catalog_entry(data: dict, *, access: Access) -> CatalogEntry:
    access.require(can_manage_catalog(access), f"只有{MANAGER_UNIT}和信用办可以编制重大行政决策事项目录")
    problems = Problems()
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        problems.add("year", "年度应为2000至2100之间的整数")
    title = _text(data.get("title"), "title", "决策事项", problems, max_len=200, required=True)
    category = parse_choice(data.get("category"), "category", "事项类别", Category, problems)
    body_text = data.get("decision_body") or "区政府"
    body = find_government(body_text)
    if body is None:
        problems.add("decision_body", f"决策机关「{body_text}」不在主体库的政府、部门中")
    unit = _unit(data.get("unit"), problems)
    planned = _text(data.get("planned"), "planned", "计划完成时间", problems, max_len=40)
    basis = _text(data.get("basis"), "basis", "决策依据", problems, max_len=300)
    if isinstance(year, int) and title and CatalogEntry.objects.filter(year=year, title=title).exists():
        problems.add("title", f"{year}年目录中已有「{title}」")
    problems.raise_if_any("目录事项信息有误，未保存")
    with transaction.atomic():
        seq = (CatalogEntry.objects.filter(year=year).aggregate(m=Max("seq"))["m"] or 0) + 1
        try:
            with transaction.atomic():
                entry = CatalogEntry.objects.create(
                    year=year,
                    seq=seq,
                    title=title,
                    category=category,
                    decision_body=body,
                    unit=unit,
                    planned=planned,
                    basis=basis,
                )
        except IntegrityError as exc:
            raise Conflict("目录事项已被同时登记，请刷新后重试") from exc
        log_action(
            "govcredit.decisions.catalog_entry",
            actor=access.user,
            obj=entry,
            summary=f"{year}年重大行政决策事项目录第{seq}项：{title}（承办单位 {unit.short_name or unit.name}）",
        )
    return entry


def publish_catalog(year: int, *, party_agreed_on, access: Access) -> int:
    """条例第三条第三款: the catalog is published after the 同级党委 agrees; every entry enters the
    disclosure ledger. Returns the number of entries published."""
    access.require(can_manage_catalog(access), f"只有{MANAGER_UNIT}和信用办可以公布决策事项目录")
    problems = Problems()
    agreed = _pdate(party_agreed_on, "party_agreed_on", "党委同意日期", problems, required=True)
    _not_future(agreed, "party_agreed_on", "党委同意日期", problems)
    problems.raise_if_any("目录公布信息有误")
    with transaction.atomic():
        entries = list(
            CatalogEntry.objects.select_for_update()
            .filter(year=year, published_on__isnull=True)
            .order_by("seq")
        )
        if not entries:
            raise Conflict(f"{year}年目录没有待公布的事项")
        today = _today()
        for entry in entries:
            entry.party_agreed_on, entry.published_on = agreed, today
            entry.save(update_fields=["party_agreed_on", "published_on"])
            disclose("publish", object_type="decisions.catalogentry", object_id=entry.pk)
        public_version.bump()
        log_action(
            "govcredit.decisions.catalog_published",
            actor=access.user,
            object_type="decisions.catalogentry",
            object_id=year,
            summary=f"公布{year}年重大行政决策事项目录{len(entries)}项（党委同意日期 {agreed.isoformat()}）",
        )
    return len(entries)


# -- decisions -------------------------------------------------------------------------------------
def launch_decision(data: dict, *, access: Access) -> Decision:
    problems = Problems()
    entry_id = data.get("catalog_entry_id")
    entry = None
    if not isinstance(entry_id, int) or isinstance(entry_id, bool):
        problems.add("catalog_entry_id", "请选择决策事项目录中的事项")
    else:
        entry = CatalogEntry.objects.select_related("unit", "decision_body").filter(pk=entry_id).first()
        if entry is None:
            problems.add("catalog_entry_id", "目录事项不存在")
        elif entry.published_on is None:
            problems.add("catalog_entry_id", "该事项所在年度目录尚未公布，公布后方可启动决策程序")
        elif Decision.objects.filter(catalog_entry=entry).exists():
            problems.add("catalog_entry_id", "该目录事项已启动决策程序")
    title = _text(data.get("title"), "title", "决策名称", problems, max_len=200) or (
        entry.title if entry else ""
    )
    summary = _text(data.get("summary"), "summary", "决策草案说明", problems, max_len=5000)
    launched = _pdate(data.get("launched_on"), "launched_on", "启动日期", problems) or _today()
    _not_future(launched, "launched_on", "启动日期", problems)
    problems.raise_if_any("决策信息有误，未保存")
    access.require(
        can_manage_catalog(access)
        or any(
            m.role == AccountRole.CLERK and m.organisation_id == entry.unit_id for m in access.memberships
        ),
        "只有承办单位经办人、区政府办公室或信用办可以启动该决策",
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    code=f"JC{entry.year}-{entry.seq:03d}",
                    catalog_entry=entry,
                    title=title,
                    summary=summary,
                    decision_body=entry.decision_body,
                    unit=entry.unit,
                    status=Status.DRAFTING,
                    launched_on=launched,
                    created_by=access.user,
                )
        except IntegrityError as exc:
            raise Conflict("该目录事项已启动决策程序") from exc
        log_action(
            "govcredit.decisions.launched", actor=access.user, obj=decision, summary=f"启动决策「{title}」"
        )
    return decision


def _require_open(decision: Decision) -> None:
    if decision.status in (
        Status.PUBLISHED,
        Status.EXECUTING,
        Status.POST_EVALUATED,
        Status.ADJUSTED,
        Status.SUSPENDED,
    ):
        raise Conflict(f"决策已{decision.get_status_display()}，不能再登记决策前的程序环节")


def _lock(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("unit", "decision_body").get(pk=decision.pk)


def _advance(decision: Decision, status: str) -> None:
    if STATUS_ORDER.index(status) > STATUS_ORDER.index(decision.status):
        decision.status = status
        decision.save(update_fields=["status", "updated_at"])


def _waived(decision: Decision, step: str) -> bool:
    return StepWaiver.objects.filter(decision=decision, step=step).exists()


def _step_recorded(decision: Decision, step: str, obj, *, access: Access, summary: str, status: str) -> None:
    _advance(decision, status)
    disclose("publish", object_type=STEP_OBJECT_TYPES[step], object_id=obj.pk)
    public_version.bump()
    log_action("govcredit.decisions.step", actor=access.user, obj=obj, summary=f"{decision.code} {summary}")


def _step_guard(decision: Decision, step: str, exists: bool) -> None:
    _require_open(decision)
    if exists:
        raise Conflict(f"「{Step(step).label}」环节已经登记，不能重复登记")
    if _waived(decision, step):
        raise Conflict(f"「{Step(step).label}」环节已登记为不适用，不能再登记")


def consultation_days(start: dt.date, end: dt.date) -> int:
    """民法典第二百零一条: the start day is not counted."""
    return (end - start).days


def open_consultation(decision: Decision, data: dict, *, access: Access) -> Participation:
    """条例第十五条: a public consultation runs at least 30 days; a shorter one needs its reason."""
    access.require(can_manage(access, decision), "您没有登记该决策公众参与的权限")
    problems = Problems()
    channels = (
        _text(data.get("channels"), "channels", "参与方式", problems, max_len=200)
        or "信用周村网站公开征求意见"
    )
    draft = _text(data.get("draft_text"), "draft_text", "征求意见稿", problems, max_len=50000, required=True)
    start = _pdate(data.get("start_on"), "start_on", "征求意见开始日期", problems, required=True)
    end = _pdate(data.get("end_on"), "end_on", "征求意见截止日期", problems, required=True)
    reason = _text(
        data.get("shortened_reason"), "shortened_reason", "期限少于30日的理由", problems, max_len=500
    )
    days = 0
    if start and end:
        if end <= start:
            problems.add("end_on", f"截止日期（{end.isoformat()}）应晚于开始日期（{start.isoformat()}）")
        else:
            days = consultation_days(start, end)
            if days < MIN_CONSULTATION_DAYS and not reason:
                problems.add(
                    "shortened_reason",
                    f"征求意见期限为{days}日，少于{MIN_CONSULTATION_DAYS}日（条例第十五条），须说明理由",
                )
    if start and start < decision.launched_on:
        problems.add(
            "start_on", f"征求意见开始日期不能早于决策启动日期（{decision.launched_on.isoformat()}）"
        )
    if days and days > 366:
        problems.add("end_on", "征求意见期限不能超过一年")
    problems.raise_if_any("公众参与信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        _step_guard(decision, Step.PARTICIPATION, Participation.objects.filter(decision=decision).exists())
        p = Participation.objects.create(
            decision=decision,
            channels=channels,
            draft_text=draft,
            start_on=start,
            end_on=end,
            days=days,
            shortened_reason=reason if days < MIN_CONSULTATION_DAYS else reason,
        )
        _step_recorded(
            decision,
            Step.PARTICIPATION,
            p,
            access=access,
            summary=f"公开征求意见 {start.isoformat()} 至 {end.isoformat()}（{days}日）",
            status=Status.PARTICIPATION,
        )
    return p


def consultation_state(p: Participation, today: dt.date | None = None) -> str:
    today = today or _today()
    if today < p.start_on:
        return "upcoming"
    if today <= p.end_on:
        return "open"
    return "closed"


def days_left(p: Participation, today: dt.date | None = None) -> int:
    today = today or _today()
    return max((p.end_on - today).days, 0) if today <= p.end_on else 0


def add_comment(p: Participation, data: dict, *, now: dt.datetime | None = None) -> Comment:
    """A public comment: accepted from the start date to the end date inclusive, refused (409) after."""
    today = timezone.localdate(now) if now else _today()
    problems = Problems()
    name = _text(data.get("name"), "name", "姓名或单位", problems, max_len=100, required=True)
    contact = _text(data.get("contact"), "contact", "联系方式", problems, max_len=100)
    content = _text(data.get("content"), "content", "意见内容", problems, max_len=5000, required=True)
    problems.raise_if_any("意见信息有误，未提交")
    state = consultation_state(p, today)
    if state == "upcoming":
        raise Conflict(f"征求意见自{format_cn_date(p.start_on)}开始，尚未开始接收意见")
    if state == "closed":
        raise Conflict(f"征求意见已于{format_cn_date(p.end_on)}截止，不再接收意见")
    with transaction.atomic():
        comment = Comment.objects.create(participation=p, name=name, contact=contact, content=content)
        log_action(
            "govcredit.decisions.comment",
            obj=comment,
            summary=f"「{p.decision.title}」收到公众意见（{len(content)}字）",
        )
    return comment


def publish_adoption_report(p: Participation, data: dict, *, access: Access) -> Participation:
    """条例第十七条: the adoption of comments and the reasons for not adopting them are made public."""
    access.require(can_manage(access, p.decision), "您没有公布该决策意见采纳情况的权限")
    problems = Problems()
    report = _text(
        data.get("adoption_report"), "adoption_report", "意见采纳情况", problems, max_len=20000, required=True
    )
    reasons = _text(
        data.get("rejection_reasons"), "rejection_reasons", "未采纳意见及理由", problems, max_len=20000
    )
    adopted = data.get("adopted_count", 0)
    total = p.comments.count()
    if not isinstance(adopted, int) or isinstance(adopted, bool) or adopted < 0:
        problems.add("adopted_count", "采纳意见数应为不小于0的整数")
    elif adopted > total:
        problems.add("adopted_count", f"采纳意见数（{adopted}）不能多于收到的意见数（{total}）")
    elif adopted < total and not reasons:
        problems.add("rejection_reasons", f"有{total - adopted}条意见未采纳，请说明理由")
    problems.raise_if_any("意见采纳情况有误，未保存")
    if _today() <= p.end_on:
        raise Conflict(f"征求意见至{format_cn_date(p.end_on)}截止，截止后方可公布采纳情况")
    with transaction.atomic():
        p = Participation.objects.select_for_update().get(pk=p.pk)
        if p.report_on:
            raise Conflict("意见采纳情况已经公布")
        p.adoption_report, p.rejection_reasons, p.adopted_count, p.report_on = (
            report,
            reasons,
            adopted,
            _today(),
        )
        p.save(update_fields=["adoption_report", "rejection_reasons", "adopted_count", "report_on"])
        disclose("correct", object_type=STEP_OBJECT_TYPES[Step.PARTICIPATION], object_id=p.pk, version=2)
        public_version.bump()
        log_action(
            "govcredit.decisions.adoption",
            actor=access.user,
            obj=p,
            summary=f"公布意见采纳情况：收到{total}条，采纳{adopted}条",
        )
    return p


def add_hearing(decision: Decision, data: dict, *, access: Access) -> Hearing:
    """条例第十八条: participants published in advance; materials reach them 7 days before."""
    access.require(can_manage(access, decision), "您没有登记该决策听证会的权限")
    problems = Problems()
    held = _pdate(data.get("held_on"), "held_on", "听证日期", problems, required=True)
    participants = _text(
        data.get("participants"), "participants", "听证参加人", problems, max_len=5000, required=True
    )
    listed = _pdate(
        data.get("participants_published_on"),
        "participants_published_on",
        "参加人名单公布日期",
        problems,
        required=True,
    )
    sent = _pdate(data.get("materials_sent_on"), "materials_sent_on", "材料送达日期", problems, required=True)
    summary = _text(data.get("summary"), "summary", "听证情况", problems, max_len=20000)
    _not_future(held, "held_on", "听证日期", problems)
    if held and listed and listed >= held:
        problems.add("participants_published_on", "听证参加人名单应在听证会召开前向社会公布")
    if held and sent and (held - sent).days < HEARING_MATERIALS_DAYS:
        problems.add(
            "materials_sent_on",
            f"听证材料应于听证会{HEARING_MATERIALS_DAYS}日前送达参加人（条例第十八条），"
            f"{sent.isoformat()}送达距{held.isoformat()}只有{(held - sent).days}日",
        )
    problems.raise_if_any("听证会信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        _require_open(decision)
        hearing = Hearing.objects.create(
            decision=decision,
            held_on=held,
            participants=participants,
            participants_published_on=listed,
            materials_sent_on=sent,
            summary=summary,
        )
        disclose("publish", object_type="decisions.hearing", object_id=hearing.pk)
        public_version.bump()
        log_action(
            "govcredit.decisions.step",
            actor=access.user,
            obj=hearing,
            summary=f"{decision.code} 听证会 {held.isoformat()}",
        )
    return hearing


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def add_expert_review(decision: Decision, data: dict, *, access: Access) -> ExpertReview:
    """条例第十九条至第二十一条: experts without conflicts, signed written opinions."""
    access.require(can_manage(access, decision), "您没有登记该决策专家论证的权限")
    problems = Problems()
    on = _pdate(data.get("reviewed_on"), "reviewed_on", "论证日期", problems, required=True)
    _not_future(on, "reviewed_on", "论证日期", problems)
    opinion = _text(data.get("opinion"), "opinion", "论证意见", problems, max_len=20000, required=True)
    sha = str(data.get("opinion_sha256") or "").strip().lower()
    if sha and not _SHA256.match(sha):
        problems.add("opinion_sha256", "署名意见书的 SHA-256 应为64位十六进制")
    adoption = _text(data.get("adoption"), "adoption", "意见采纳情况", problems, max_len=20000)
    experts = []
    raw = data.get("experts")
    if not isinstance(raw, list) or not raw:
        problems.add("experts", "请列出参加论证的专家")
        raw = []
    if len(raw) > MAX_EXPERTS:
        problems.add("experts", f"专家不能超过{MAX_EXPERTS}人")
        raw = []
    for i, e in enumerate(raw, start=1):
        if not isinstance(e, dict):
            problems.add("experts", f"第{i}位专家信息格式有误")
            continue
        name = str(e.get("name") or "").strip()[:60]
        if not name:
            problems.add("experts", f"第{i}位专家未填写姓名")
        if e.get("conflict"):
            problems.add(
                "experts",
                f"专家「{name or i}」声明与决策事项存在利害关系，应当回避，不能参加论证（条例第二十条）",
            )
        if not e.get("signed"):
            problems.add(
                "experts", f"专家「{name or i}」的书面论证意见未署名（条例第二十条：应当署名、盖章）"
            )
        experts.append(
            {
                "name": name,
                "organisation": str(e.get("organisation") or "").strip()[:100],
                "field": str(e.get("field") or "").strip()[:60],
                "conflict": False,
                "signed": True,
            }
        )
    problems.raise_if_any("专家论证信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        _step_guard(decision, Step.EXPERT, ExpertReview.objects.filter(decision=decision).exists())
        review = ExpertReview.objects.create(
            decision=decision,
            reviewed_on=on,
            experts=experts,
            opinion=opinion,
            opinion_sha256=sha,
            adoption=adoption,
        )
        _step_recorded(
            decision,
            Step.EXPERT,
            review,
            access=access,
            summary=f"专家论证（{len(experts)}位专家）",
            status=Status.EXPERT,
        )
    return review


def add_risk_assessment(decision: Decision, data: dict, *, access: Access) -> RiskAssessment:
    """条例第二十二条至第二十四条."""
    access.require(can_manage(access, decision), "您没有登记该决策风险评估的权限")
    problems = Problems()
    on = _pdate(data.get("assessed_on"), "assessed_on", "评估日期", problems, required=True)
    _not_future(on, "assessed_on", "评估日期", problems)
    kind = _text(data.get("kind"), "kind", "评估类型", problems, max_len=100) or "社会稳定风险评估"
    assessor = _text(data.get("assessor"), "assessor", "评估机构", problems, max_len=200, required=True)
    points = _text(data.get("risk_points"), "risk_points", "风险点", problems, max_len=20000, required=True)
    measures = _text(
        data.get("measures"), "measures", "防范化解措施和处置预案", problems, max_len=20000, required=True
    )
    conclusion = parse_choice(data.get("conclusion"), "conclusion", "评估结论", RiskConclusion, problems)
    problems.raise_if_any("风险评估信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        _step_guard(decision, Step.RISK, RiskAssessment.objects.filter(decision=decision).exists())
        risk = RiskAssessment.objects.create(
            decision=decision,
            assessed_on=on,
            kind=kind,
            assessor=assessor,
            third_party=bool(data.get("third_party")),
            risk_points=points,
            measures=measures,
            conclusion=conclusion,
        )
        _step_recorded(
            decision,
            Step.RISK,
            risk,
            access=access,
            summary=f"风险评估：{risk.get_conclusion_display()}",
            status=Status.RISK,
        )
    return risk


@dataclass(frozen=True)
class ReviewTime:
    working_days: int
    sufficient: bool
    explain: str


def review_time(submitted: dt.date, opinion: dt.date) -> ReviewTime:
    cal = office_calendar()
    n = cal.working_days_between(submitted, opinion)
    enough = n >= MIN_REVIEW_WORKING_DAYS
    text = (
        f"自{format_cn_date(submitted)}送审起算（当日不计入）至{format_cn_date(opinion)}出具审查意见，"
        f"共{n}个工作日（节假日不计）；条例第二十七条规定审查时间一般不少于{MIN_REVIEW_WORKING_DAYS}个工作日"
        + ("。" if enough else f"，少{MIN_REVIEW_WORKING_DAYS - n}个工作日，标记为审查时间不足。")
    )
    return ReviewTime(n, enough, text)


def add_legality_review(decision: Decision, data: dict, *, access: Access) -> LegalityReview:
    """条例第二十五条至第二十八条: recorded by the legality reviewer only; a review shorter than 7 working
    days is saved and flagged ``insufficient_review_time``."""
    access.require(
        can_review_legality(access),
        f"合法性审查意见只能由{REVIEW_UNIT}（合法性审查机构）登记，不得以其他方式代替",
    )
    problems = Problems()
    submitted = _pdate(data.get("submitted_on"), "submitted_on", "送审日期", problems, required=True)
    opinion_on = _pdate(data.get("opinion_on"), "opinion_on", "审查意见日期", problems, required=True)
    _not_future(opinion_on, "opinion_on", "审查意见日期", problems)
    if submitted and opinion_on and opinion_on < submitted:
        problems.add(
            "opinion_on", f"审查意见日期（{opinion_on.isoformat()}）早于送审日期（{submitted.isoformat()}）"
        )
    if submitted and submitted < decision.launched_on:
        problems.add("submitted_on", f"送审日期不能早于决策启动日期（{decision.launched_on.isoformat()}）")
    opinion = _text(data.get("opinion"), "opinion", "审查意见", problems, max_len=20000, required=True)
    advisers = _text(
        data.get("adviser_opinions"), "adviser_opinions", "法律顾问、公职律师意见", problems, max_len=20000
    )
    result = parse_choice(data.get("result"), "result", "审查结论", LegalityResult, problems)
    problems.raise_if_any("合法性审查信息有误，未保存")
    timing = review_time(submitted, opinion_on)
    reviewer = Organisation.objects.filter(short_name=REVIEW_UNIT).first() or next(
        m.organisation for m in access.memberships
    )
    with transaction.atomic():
        decision = _lock(decision)
        _require_open(decision)
        if LegalityReview.objects.filter(decision=decision).exists():
            raise Conflict("「合法性审查」环节已经登记，不能重复登记")
        if CollectiveDecision.objects.filter(decision=decision).exists():
            raise Conflict("决策已经集体讨论，合法性审查应在提交讨论前完成")
        review = LegalityReview.objects.create(
            decision=decision,
            submitted_on=submitted,
            opinion_on=opinion_on,
            reviewer=reviewer,
            adviser_opinions=advisers,
            opinion=opinion,
            result=result,
            working_days=timing.working_days,
            working_days_explain=timing.explain,
            insufficient_review_time=not timing.sufficient,
        )
        _step_recorded(
            decision,
            Step.LEGALITY,
            review,
            access=access,
            summary=f"合法性审查：{review.get_result_display()}，{timing.working_days}个工作日"
            + ("（审查时间不足）" if not timing.sufficient else ""),
            status=Status.LEGALITY,
        )
    return review


def record_collective_decision(decision: Decision, data: dict, *, access: Access) -> CollectiveDecision:
    """条例第二十八条、第三十条至第三十二条. Gates (409): no legality opinion, an unlawful one, a meeting
    before the opinion or before the consultation ended, an uncontrollable risk."""
    access.require(can_manage(access, decision), "您没有登记该决策集体讨论的权限")
    problems = Problems()
    meeting_type = parse_choice(data.get("meeting_type"), "meeting_type", "会议类型", MeetingType, problems)
    meeting_on = _pdate(data.get("meeting_on"), "meeting_on", "会议日期", problems, required=True)
    _not_future(meeting_on, "meeting_on", "会议日期", problems)
    attendees = _text(data.get("attendees"), "attendees", "出席人员", problems, max_len=5000, required=True)
    minutes = _text(data.get("minutes"), "minutes", "会议记录", problems, max_len=50000, required=True)
    dissent = _text(data.get("dissent"), "dissent", "不同意见", problems, max_len=20000)
    departs = bool(data.get("head_departs"))
    reasons = _text(data.get("head_reasons"), "head_reasons", "行政首长说明的理由", problems, max_len=20000)
    if departs and not reasons:
        problems.add(
            "head_reasons", "行政首长的决定与会议组成人员多数人的意见不一致的，应当说明理由（条例第三十条）"
        )
    fair = _text(
        data.get("fair_competition_review"),
        "fair_competition_review",
        "公平竞争审查情况",
        problems,
        max_len=20000,
    )
    outcome = parse_choice(data.get("outcome"), "outcome", "决定结果", Outcome, problems)
    problems.raise_if_any("集体讨论信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        _require_open(decision)
        if CollectiveDecision.objects.filter(decision=decision).exists():
            raise Conflict("「集体讨论决定」环节已经登记，不能重复登记")
        legality = LegalityReview.objects.filter(decision=decision).first()
        if legality is None:
            raise Conflict(
                "决策草案未经合法性审查，不得提交集体讨论（条例第二十五条、第二十八条：不得以征求意见等方式代替合法性审查）"
            )
        if legality.result == LegalityResult.UNLAWFUL:
            raise Conflict("决策草案经合法性审查不合法，不得提交集体讨论（条例第二十八条）")
        if meeting_on < legality.opinion_on:
            raise Conflict(
                f"会议日期（{meeting_on.isoformat()}）早于合法性审查意见日期（{legality.opinion_on.isoformat()}）"
            )
        p = Participation.objects.filter(decision=decision).first()
        if p is not None and meeting_on <= p.end_on:
            raise Conflict(
                f"公开征求意见至{p.end_on.isoformat()}截止，会议（{meeting_on.isoformat()}）应在征求意见结束后召开"
            )
        risk = RiskAssessment.objects.filter(decision=decision).first()
        if risk is not None and risk.conclusion == RiskConclusion.HIGH and outcome == Outcome.APPROVED:
            raise Conflict(
                "风险评估结论为风险不可控，应调整决策草案确保风险可控后方可作出决策（条例第二十四条）"
            )
        collective = CollectiveDecision.objects.create(
            decision=decision,
            meeting_type=meeting_type,
            meeting_on=meeting_on,
            attendees=attendees,
            minutes=minutes,
            dissent=dissent,
            head_departs=departs,
            head_reasons=reasons,
            fair_competition_review=fair,
            outcome=outcome,
        )
        _step_recorded(
            decision,
            Step.COLLECTIVE,
            collective,
            access=access,
            summary=f"{collective.get_meeting_type_display()}（{meeting_on.isoformat()}）：{collective.get_outcome_display()}",
            status=Status.COLLECTIVE,
        )
    return collective


def waive_step(decision: Decision, data: dict, *, access: Access) -> StepWaiver:
    access.require(can_manage(access, decision), "您没有登记该决策程序环节不适用的权限")
    problems = Problems()
    step = parse_choice(data.get("step"), "step", "环节", Step, problems)
    if step and step not in WAIVABLE_STEPS:
        problems.add(
            "step", f"「{Step(step).label}」是必经程序，不能登记为不适用（条例第二十五条、第三十条）"
        )
    reason = _text(data.get("reason"), "reason", "不适用理由", problems, max_len=500, required=True)
    approved_by = _text(
        data.get("approved_by"), "approved_by", "批准人", problems, max_len=100, required=True
    )
    approved_on = _pdate(data.get("approved_on"), "approved_on", "批准日期", problems) or _today()
    _not_future(approved_on, "approved_on", "批准日期", problems)
    problems.raise_if_any("环节不适用信息有误，未保存")
    exists = (
        {
            Step.PARTICIPATION: Participation,
            Step.EXPERT: ExpertReview,
            Step.RISK: RiskAssessment,
        }[step]
        .objects.filter(decision=decision)
        .exists()
    )
    with transaction.atomic():
        decision = _lock(decision)
        _step_guard(decision, step, exists)
        waiver = StepWaiver.objects.create(
            decision=decision, step=step, reason=reason, approved_by=approved_by, approved_on=approved_on
        )
        disclose("publish", object_type="decisions.stepwaiver", object_id=waiver.pk)
        public_version.bump()
        log_action(
            "govcredit.decisions.waiver",
            actor=access.user,
            obj=waiver,
            summary=f"{decision.code}「{Step(step).label}」不适用：{reason}（{approved_by}批准）",
        )
    return waiver


# -- the procedure ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepState:
    step: str
    label: str
    state: str  # complete | missing | not_applicable
    reason: str = ""
    approved_by: str = ""
    detail: str = ""
    flags: tuple[str, ...] = ()
    on: dt.date | None = None


def procedure(decision: Decision) -> list[StepState]:
    """The five mandatory steps as ``complete``, ``missing`` or ``not_applicable`` (with the reason)."""
    waivers = {w.step: w for w in decision.waivers.all()}
    out: list[StepState] = []
    p = Participation.objects.filter(decision=decision).first()
    expert = ExpertReview.objects.filter(decision=decision).first()
    risk = RiskAssessment.objects.filter(decision=decision).first()
    legality = LegalityReview.objects.filter(decision=decision).first()
    collective = CollectiveDecision.objects.filter(decision=decision).first()
    for step, label in Step.choices:
        w = waivers.get(step)
        if w is not None:
            out.append(
                StepState(
                    step,
                    label,
                    "not_applicable",
                    reason=w.reason,
                    approved_by=w.approved_by,
                    on=w.approved_on,
                )
            )
            continue
        if step == Step.PARTICIPATION and p is not None:
            flags = ("shortened_consultation",) if p.days < MIN_CONSULTATION_DAYS else ()
            if not p.report_on:
                flags += ("adoption_report_pending",)
            detail = f"{p.start_on.isoformat()}至{p.end_on.isoformat()}公开征求意见{p.days}日，收到意见{p.comments.count()}条"
            if p.shortened_reason and p.days < MIN_CONSULTATION_DAYS:
                detail += f"（期限缩短理由：{p.shortened_reason}）"
            out.append(StepState(step, label, "complete", detail=detail, flags=flags, on=p.end_on))
        elif step == Step.EXPERT and expert is not None:
            out.append(
                StepState(
                    step,
                    label,
                    "complete",
                    detail=f"{len(expert.experts)}位专家署名论证",
                    on=expert.reviewed_on,
                )
            )
        elif step == Step.RISK and risk is not None:
            out.append(
                StepState(step, label, "complete", detail=risk.get_conclusion_display(), on=risk.assessed_on)
            )
        elif step == Step.LEGALITY and legality is not None:
            flags = ("insufficient_review_time",) if legality.insufficient_review_time else ()
            if legality.result == LegalityResult.UNLAWFUL:
                flags += ("unlawful",)
            out.append(
                StepState(
                    step,
                    label,
                    "complete",
                    detail=f"{legality.get_result_display()}；{legality.working_days_explain}",
                    flags=flags,
                    on=legality.opinion_on,
                )
            )
        elif step == Step.COLLECTIVE and collective is not None:
            out.append(
                StepState(
                    step,
                    label,
                    "complete",
                    detail=f"{collective.get_meeting_type_display()}，{collective.get_outcome_display()}",
                    on=collective.meeting_on,
                )
            )
        else:
            out.append(StepState(step, label, "missing"))
    return out


# -- after the decision ----------------------------------------------------------------------------
def report_to_party(decision: Decision, data: dict, *, access: Access) -> Decision:
    """条例第三十三条: reported to the 同级党委 before publication where required."""
    access.require(can_manage(access, decision), "您没有登记该决策报告党委的权限")
    problems = Problems()
    on = _pdate(data.get("reported_on"), "reported_on", "报告日期", problems, required=True)
    _not_future(on, "reported_on", "报告日期", problems)
    problems.raise_if_any("报告信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        collective = CollectiveDecision.objects.filter(decision=decision).first()
        if collective is None or collective.outcome != Outcome.APPROVED:
            raise Conflict("决策尚未经集体讨论通过，不能报告党委")
        if decision.reported_on:
            raise Conflict("已经登记报告党委")
        if on < collective.meeting_on:
            raise ValidationFailed("报告日期有误", field_errors={"reported_on": ["报告日期不能早于会议日期"]})
        decision.reported_on = on
        decision.save(update_fields=["reported_on", "updated_at"])
        _advance(decision, Status.REPORTED)
        log_action(
            "govcredit.decisions.reported",
            actor=access.user,
            obj=decision,
            summary=f"{on.isoformat()}报告党委",
        )
    return decision


def publish_decision(decision: Decision, data: dict, *, access: Access) -> Decision:
    """条例第三十二条: publish the approved decision. A step still ``missing`` opens a finding
    (``decision_procedure_violation``) on the 决策机关 and an accountability referral (条例第三十八条)."""
    access.require(can_manage(access, decision), "您没有公布该决策的权限")
    problems = Problems()
    document_no = _text(
        data.get("document_no"), "document_no", "决策文件文号", problems, max_len=100, required=True
    )
    text = _text(data.get("text"), "text", "公布内容", problems, max_len=50000, required=True)
    on = _pdate(data.get("published_on"), "published_on", "公布日期", problems) or _today()
    _not_future(on, "published_on", "公布日期", problems)
    problems.raise_if_any("公布信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        if decision.published_on:
            raise Conflict("决策已经公布")
        collective = CollectiveDecision.objects.filter(decision=decision).first()
        if collective is None or collective.outcome != Outcome.APPROVED:
            raise Conflict("决策尚未经集体讨论决定通过，不能公布")
        if on < collective.meeting_on:
            raise ValidationFailed(
                "公布日期有误", field_errors={"published_on": ["公布日期不能早于会议日期"]}
            )
        decision.published_on, decision.document_no, decision.publication_text = on, document_no, text
        decision.save(update_fields=["published_on", "document_no", "publication_text", "updated_at"])
        _advance(decision, Status.PUBLISHED)
        disclose("publish", object_type="decisions.decision", object_id=decision.pk)
        public_version.bump()
        log_action(
            "govcredit.decisions.published",
            actor=access.user,
            obj=decision,
            summary=f"公布决策 {document_no}",
        )
        steps = procedure(decision)
        _procedure_events(decision, steps, on)
        missing = [s for s in steps if s.state == "missing"]
        if missing:
            _open_violation(decision, missing, actor=access.user)
    return decision


def _procedure_events(decision: Decision, steps: list[StepState], on: dt.date) -> None:
    done = sum(1 for s in steps if s.state != "missing")
    duty_services.record_event(
        subject=decision.decision_body,
        dimension="依法行政",
        indicator="decision_procedure_completeness",
        polarity="fact",
        value=round(done / len(steps), 4),
        occurred_on=on,
        module=MODULE,
        obj=decision,
    )
    p = Participation.objects.filter(decision=decision).first()
    if p is not None:
        compliant = p.days >= MIN_CONSULTATION_DAYS or bool(p.shortened_reason)
        duty_services.record_event(
            subject=decision.decision_body,
            dimension="依法行政",
            indicator="decision_consultation_compliant",
            polarity="+" if compliant else "-",
            value=p.days,
            occurred_on=on,
            module=MODULE,
            obj=decision,
        )


def _open_violation(decision: Decision, missing: list[StepState], *, actor=None) -> None:
    from govcredit.sanctions.services.referrals import open_referral

    names = "、".join(s.label for s in missing)
    facts = (
        f"{decision.decision_body.name}于{format_cn_date(decision.published_on)}公布重大行政决策「{decision.title}」"
        f"（{decision.document_no}，承办单位{decision.unit.name}），决策前未履行{names}程序，"
        "也未登记该程序不适用的理由和批准人。"
    )
    source_unit = Organisation.objects.get(short_name=MANAGER_UNIT)
    duty_services.open_finding(
        module=MODULE,
        rule="procedure_missing",
        obj=decision,
        subject=decision.decision_body,
        source_unit=source_unit,
        item="decision_procedure_violation",
        severity="major" if len(missing) > 1 else "general",
        facts=facts,
        legal_basis=f"{BASIS}第三条、第三十八条；周政发〔2018〕26号（四）",
        evidence={"decision": decision.code, "missing": [s.step for s in missing]},
        prefix="JC",
        actor=actor,
    )
    open_referral(
        subject=decision.decision_body,
        unit=None,
        reason=f"重大行政决策「{decision.title}」未履行{names}程序即作出决策，建议依照条例第三十八条追究责任",
        source_type="decisions.decision",
        source_id=decision.pk,
        legal_basis=f"{BASIS}第三十八条、第三十九条",
        actor=actor,
    )


def add_execution_report(decision: Decision, data: dict, *, access: Access) -> ExecutionReport:
    access.require(can_manage(access, decision), "您没有登记该决策执行情况的权限")
    problems = Problems()
    on = _pdate(data.get("reported_on"), "reported_on", "报告日期", problems, required=True)
    _not_future(on, "reported_on", "报告日期", problems)
    content = _text(data.get("content"), "content", "执行情况", problems, max_len=20000, required=True)
    if on and decision.published_on and on < decision.published_on:
        problems.add(
            "reported_on", f"执行情况报告日期不能早于决策公布日期（{decision.published_on.isoformat()}）"
        )
    problems.raise_if_any("执行情况信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        if decision.published_on is None:
            raise Conflict("决策尚未公布，不能登记执行情况")
        if decision.status == Status.SUSPENDED:
            raise Conflict("决策已停止执行")
        report = ExecutionReport.objects.create(decision=decision, reported_on=on, content=content)
        _advance(decision, Status.EXECUTING)
        disclose("publish", object_type="decisions.executionreport", object_id=report.pk)
        public_version.bump()
        log_action(
            "govcredit.decisions.execution",
            actor=access.user,
            obj=report,
            summary=f"{decision.code} 执行情况 {on.isoformat()}",
        )
    return report


def add_post_evaluation(decision: Decision, data: dict, *, access: Access) -> PostEvaluation:
    access.require(can_manage(access, decision), "您没有登记该决策后评估的权限")
    problems = Problems()
    on = _pdate(data.get("evaluated_on"), "evaluated_on", "评估日期", problems, required=True)
    _not_future(on, "evaluated_on", "评估日期", problems)
    evaluator = _text(data.get("evaluator"), "evaluator", "评估机构", problems, max_len=200, required=True)
    conclusion = _text(
        data.get("conclusion"), "conclusion", "评估结论", problems, max_len=20000, required=True
    )
    if on and decision.published_on and on < decision.published_on:
        problems.add("evaluated_on", f"评估日期不能早于决策公布日期（{decision.published_on.isoformat()}）")
    problems.raise_if_any("决策后评估信息有误，未保存")
    with transaction.atomic():
        decision = _lock(decision)
        if decision.published_on is None:
            raise Conflict("决策尚未公布，不能进行决策后评估")
        ev = PostEvaluation.objects.create(
            decision=decision, evaluated_on=on, evaluator=evaluator, conclusion=conclusion
        )
        _advance(decision, Status.POST_EVALUATED)
        disclose("publish", object_type="decisions.postevaluation", object_id=ev.pk)
        public_version.bump()
        log_action(
            "govcredit.decisions.post_evaluation",
            actor=access.user,
            obj=ev,
            summary=f"{decision.code} 决策后评估",
        )
    return ev


def change_status(decision: Decision, *, to: str, reason: str, access: Access) -> Decision:
    """条例第三十七条: a published decision is adjusted or suspended only with its reason."""
    access.require(can_manage_catalog(access), f"只有{MANAGER_UNIT}和信用办可以登记决策调整或停止执行")
    if to not in (Status.ADJUSTED, Status.SUSPENDED):
        raise ValidationFailed(
            "状态有误", field_errors={"status": ["只能登记为 adjusted（已调整）或 suspended（停止执行）"]}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请说明理由", field_errors={"reason": ["请说明调整或停止执行的理由和依据"]})
    with transaction.atomic():
        decision = _lock(decision)
        if decision.published_on is None:
            raise Conflict("决策尚未公布")
        decision.status, decision.status_reason = to, reason[:500]
        decision.save(update_fields=["status", "status_reason", "updated_at"])
        disclose("correct", object_type="decisions.decision", object_id=decision.pk, version=2)
        public_version.bump()
        log_action(
            "govcredit.decisions.status",
            actor=access.user,
            obj=decision,
            summary=f"{decision.get_status_display()}：{reason[:200]}",
        )
    return decision


# -- public views ----------------------------------------------------------------------------------
def public_consultations() -> QuerySet[Participation]:
    return Participation.objects.select_related(
        "decision", "decision__decision_body", "decision__unit"
    ).order_by("-end_on", "-pk")


def open_consultations(today: dt.date | None = None) -> QuerySet[Participation]:
    today = today or _today()
    return public_consultations().filter(start_on__lte=today, end_on__gte=today)


def public_decisions() -> QuerySet[Decision]:
    return (
        Decision.objects.filter(published_on__isnull=False)
        .select_related("decision_body", "unit")
        .order_by("-published_on", "-pk")
    )


def get_public_consultation(pk) -> Participation:
    found = public_consultations().filter(pk=pk).first()
    if found is None:
        raise NotFound("征求意见不存在")
    return found


def consultation_view(p: Participation, *, today: dt.date | None = None) -> dict:
    today = today or _today()
    d = p.decision
    return {
        "id": p.pk,
        "decision_code": d.code,
        "title": d.title,
        "decision_body": d.decision_body.name,
        "unit": d.unit.name,
        "channels": p.channels,
        "draft_text": p.draft_text,
        "start_on": p.start_on.isoformat(),
        "end_on": p.end_on.isoformat(),
        "days": p.days,
        "shortened_reason": p.shortened_reason,
        "state": consultation_state(p, today),
        "days_left": days_left(p, today),
        "comment_count": p.comments.count(),
        "adoption_report": p.adoption_report,
        "adopted_count": p.adopted_count,
        "rejection_reasons": p.rejection_reasons,
        "report_on": p.report_on.isoformat() if p.report_on else None,
    }


def step_view(s: StepState) -> dict:
    return {
        "step": s.step,
        "label": s.label,
        "state": s.state,
        "reason": s.reason,
        "approved_by": s.approved_by,
        "detail": s.detail,
        "flags": list(s.flags),
        "on": s.on.isoformat() if s.on else None,
    }


def decision_view(d: Decision) -> dict:
    return {
        "id": d.pk,
        "code": d.code,
        "title": d.title,
        "summary": d.summary,
        "year": d.catalog_entry.year,
        "category": d.catalog_entry.category,
        "decision_body": d.decision_body.name,
        "unit": d.unit.name,
        "status": d.status,
        "status_label": d.get_status_display(),
        "launched_on": d.launched_on.isoformat(),
        "reported_on": d.reported_on.isoformat() if d.reported_on else None,
        "published_on": d.published_on.isoformat() if d.published_on else None,
        "document_no": d.document_no,
        "procedure": [step_view(s) for s in procedure(d)],
    }


def ledger_of(decision: Decision) -> list:
    """The decision's disclosure-ledger entries (steps, waivers, publication …), in chain order."""
    from govcredit.duties.models import DisclosureEntry

    refs = Q(object_type="decisions.decision", object_id=str(decision.pk))
    pairs = [
        ("decisions.participation", Participation.objects.filter(decision=decision)),
        ("decisions.expertreview", ExpertReview.objects.filter(decision=decision)),
        ("decisions.riskassessment", RiskAssessment.objects.filter(decision=decision)),
        ("decisions.legalityreview", LegalityReview.objects.filter(decision=decision)),
        ("decisions.collectivedecision", CollectiveDecision.objects.filter(decision=decision)),
        ("decisions.hearing", Hearing.objects.filter(decision=decision)),
        ("decisions.stepwaiver", StepWaiver.objects.filter(decision=decision)),
        ("decisions.executionreport", ExecutionReport.objects.filter(decision=decision)),
        ("decisions.postevaluation", PostEvaluation.objects.filter(decision=decision)),
    ]
    for object_type, qs in pairs:
        ids = [str(pk) for pk in qs.values_list("pk", flat=True)]
        if ids:
            refs |= Q(object_type=object_type, object_id__in=ids)
    return list(DisclosureEntry.objects.filter(refs).order_by("sequence"))


OBJECT_LABELS = {
    "decisions.decision": "决策公布",
    "decisions.participation": "公开征求意见",
    "decisions.expertreview": "专家论证",
    "decisions.riskassessment": "风险评估",
    "decisions.legalityreview": "合法性审查",
    "decisions.collectivedecision": "集体讨论决定",
    "decisions.hearing": "听证会",
    "decisions.stepwaiver": "环节不适用",
    "decisions.executionreport": "执行情况",
    "decisions.postevaluation": "决策后评估",
    "decisions.catalogentry": "决策事项目录",
}


def adoption_reports_due(access: Access, today: dt.date | None = None) -> QuerySet[Decision]:
    today = today or _today()
    return decisions_for(access).filter(
        participation__end_on__lt=today, participation__report_on__isnull=True
    )
