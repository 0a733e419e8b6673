"""PPP write paths: projects, responsibilities with tenure, disclosure items, the stage gate, fiscal
commitments, and the trace-back query (policy （十二）, WAVE2 §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from govcredit.accounts.models import Organisation
from govcredit.accounts.models import Role as AccountRole
from govcredit.accounts.permissions import Access
from govcredit.contracts.services import (
    Problems,
    _text,
    find_government,
    parse_choice,
    parse_date,
    parse_money,
)
from govcredit.contracts.services import resolve_counterparty as resolve_enterprise
from govcredit.core import public_version
from govcredit.core.codes import is_valid_id_number
from govcredit.core.errors import Conflict, NotFound, ValidationFailed
from govcredit.core.ledger import log_action, register_action
from govcredit.core.workdays import format_cn_date
from govcredit.duties import services as duty_services
from govcredit.duties.clock import due_date
from govcredit.duties.disclosure import disclose
from govcredit.subjects.models import Subject, SubjectKind
from govcredit.subjects.services import create_subject, find_by_code

from .models import (
    EARLY_STAGES,
    STAGE_ORDER,
    DisclosureItem,
    FiscalCommitment,
    ItemState,
    Mode,
    PaymentMechanism,
    Project,
    ProjectStage,
    Regime,
    Responsibility,
    Role,
    RoleRequirement,
    Stage,
    TemplateItem,
)

MODULE = "ppp"
ITEM_OBJECT_TYPE = "ppp.disclosureitem"
MANAGER_UNITS = ("区财政局",)  # PPP is the finance department's remit: it sees and manages every project

for _key, _label in {
    "govcredit.ppp.created": "登记PPP项目",
    "govcredit.ppp.responsibility": "登记PPP阶段责任人",
    "govcredit.ppp.item_provided": "提交PPP公开事项",
    "govcredit.ppp.item_published": "公开PPP公开事项",
    "govcredit.ppp.item_withheld": "撤回PPP公开事项",
    "govcredit.ppp.stage": "PPP项目进入新阶段",
    "govcredit.ppp.fiscal": "登记PPP年度支出责任",
}.items():
    register_action(_key, _label)


# -- scope -----------------------------------------------------------------------------------------
def sees_all(access: Access) -> bool:
    return access.sees_everything or any(
        m.organisation.short_name in MANAGER_UNITS for m in access.memberships
    )


def projects_for(access: Access) -> QuerySet[Project]:
    qs = Project.objects.select_related("agency", "unit", "regime", "social_capital")
    if sees_all(access):
        return qs
    return qs.filter(unit_id__in=access.organisation_ids)


def get_project_for_user(access: Access, pk) -> Project:
    found = projects_for(access).filter(pk=pk).first()
    if found is None:
        raise NotFound("PPP项目不存在或不在您的权限范围内")
    return found


def can_manage(access: Access, project: Project | None = None) -> bool:
    if access.has_role(AccountRole.CREDIT_OFFICE, AccountRole.ADMIN):
        return True
    clerk_units = {m.organisation for m in access.memberships if m.role == AccountRole.CLERK}
    if any(u.short_name in MANAGER_UNITS for u in clerk_units):
        return True
    return project is not None and project.unit in clerk_units


# -- projects --------------------------------------------------------------------------------------
def create_project(data: dict, *, access: Access) -> Project:
    problems = Problems()
    code = _text(data.get("code"), "code", "项目编号", problems, max_len=40, required=True)
    name = _text(data.get("name"), "name", "项目名称", problems, max_len=200, required=True)
    sector = _text(data.get("sector"), "sector", "所属行业", problems, max_len=60, required=True)
    investment = parse_money(data.get("investment"), "investment", "总投资", problems)
    term = data.get("term_years")
    if not isinstance(term, int) or isinstance(term, bool) or not 1 <= term <= 50:
        problems.add("term_years", "合作期限应为1至50年的整数")
    operation_mode = _text(
        data.get("operation_mode"), "operation_mode", "运作方式", problems, max_len=40, required=True
    )
    mechanism = parse_choice(
        data.get("payment_mechanism"), "payment_mechanism", "回报机制", PaymentMechanism, problems
    )
    agency = find_government(data.get("agency"))
    unit = Organisation.objects.filter(subject=agency).first() if agency else None
    if agency is None or unit is None:
        problems.add(
            "agency",
            f"实施机构「{data.get('agency') or ''}」不在主体库的政府、部门中（可填简称，如 区住建局）",
        )
    regime_code = str(data.get("regime") or "CJ2017-1")
    regime = Regime.objects.filter(code=regime_code).first()
    if regime is None:
        codes = "、".join(Regime.objects.values_list("code", flat=True))
        problems.add("regime", f"制度版本「{regime_code}」不存在，可选：{codes}")
    entered_on = parse_date(data.get("entered_on"), "entered_on", "进入识别阶段日期", problems, required=True)
    if entered_on and entered_on > timezone.localdate():
        problems.add("entered_on", "进入识别阶段日期不能晚于今天")
    social_capital, new_enterprise = None, None
    if data.get("social_capital_uscc"):
        social_capital, new_enterprise = resolve_enterprise(
            data.get("social_capital_uscc"),
            data.get("social_capital_name"),
            problems,
            field="social_capital_uscc",
        )
    if code and Project.objects.filter(code=code).exists():
        problems.add("code", f"项目编号「{code}」已登记")
    problems.raise_if_any("PPP项目信息有误，未保存")
    access.require(
        can_manage(access) or unit in {m.organisation for m in access.memberships}, "您没有登记PPP项目的权限"
    )
    with transaction.atomic():
        if new_enterprise is not None:
            social_capital = create_subject(new_enterprise, actor=access.user)
        project = Project.objects.create(
            code=code,
            name=name,
            sector=sector,
            investment=investment,
            term_years=term,
            operation_mode=operation_mode,
            payment_mechanism=mechanism,
            agency=agency,
            unit=unit,
            investor_representative=_text(
                data.get("investor_representative"), "x", "", Problems(), max_len=200
            ),
            social_capital=social_capital,
            project_company=_text(data.get("project_company"), "x", "", Problems(), max_len=200),
            regime=regime,
            stage=Stage.IDENTIFICATION,
        )
        ProjectStage.objects.create(project=project, stage=Stage.IDENTIFICATION, entered_on=entered_on)
        DisclosureItem.objects.bulk_create(
            DisclosureItem(
                project=project, template=t, stage=t.stage, name=t.name, required=t.required, mode=t.mode
            )
            for t in TemplateItem.objects.filter(regime=regime)
        )
        public_version.bump()
        log_action(
            "govcredit.ppp.created", actor=access.user, obj=project, summary=f"登记PPP项目「{project.name}」"
        )
    return project


# -- responsibilities ------------------------------------------------------------------------------
def _person(data: dict, problems: Problems) -> Subject | None:
    if data.get("person_id"):
        found = Subject.objects.filter(pk=data["person_id"], kind=SubjectKind.CIVIL_SERVANT).first()
        if found is None:
            problems.add("person_id", "责任人不存在或不是公务员")
        return found
    code = str(data.get("person_id_number") or "").strip().upper()
    if not code:
        problems.add("person_id_number", "请填写责任人身份证号或主体编号")
        return None
    if not is_valid_id_number(code):
        problems.add("person_id_number", "身份证号格式或校验位有误")
        return None
    found = find_by_code(code)
    if found is None and data.get("person_name"):
        from govcredit.subjects.services import SubjectData

        return create_subject(
            SubjectData(kind=SubjectKind.CIVIL_SERVANT, name=str(data["person_name"]), id_number=code)
        )
    if found is None:
        problems.add("person_id_number", "该身份证号未在主体库中登记；请同时填写姓名以登记")
    return found


def add_responsibility(project: Project, data: dict, *, access: Access) -> Responsibility:
    access.require(can_manage(access, project), "您没有维护该项目责任人的权限")
    problems = Problems()
    stage = parse_choice(data.get("stage"), "stage", "阶段", Stage, problems)
    role = parse_choice(data.get("role"), "role", "岗位", Role, problems)
    start = parse_date(data.get("start"), "start", "任职开始日期", problems, required=True)
    end = parse_date(data.get("end"), "end", "任职结束日期", problems)
    if start and end and end < start:
        problems.add("end", f"任职结束日期{end.isoformat()}早于开始日期{start.isoformat()}")
    unit = find_government(data.get("unit")) if data.get("unit") else project.agency
    if unit is None:
        problems.add("unit", f"单位「{data.get('unit')}」不在主体库的政府、部门中")
    with transaction.atomic():
        person = _person(data, problems)
        if stage and role and start and not problems.errors:
            overlapping = project.responsibilities.filter(stage=stage, role=role).filter(
                Q(end__isnull=True) | Q(end__gte=start)
            )
            if end:
                overlapping = overlapping.filter(start__lte=end)
            clash = overlapping.first()
            if clash is not None:
                until = clash.end.isoformat() if clash.end else "今"
                problems.add(
                    "start",
                    f"{Stage(stage).label}阶段「{Role(role).label}」在{clash.start.isoformat()}至{until}已由"
                    f"{clash.person.display_name}担任，任期不能重叠（请先登记前任的任职结束日期）",
                )
        problems.raise_if_any("责任人信息有误，未保存")
        resp = Responsibility.objects.create(
            project=project, stage=stage, role=role, person=person, unit=unit, start=start, end=end
        )
        log_action(
            "govcredit.ppp.responsibility",
            actor=access.user,
            obj=resp,
            summary=f"{project.code} {resp.get_stage_display()}阶段{resp.get_role_display()}：{person.display_name}",
        )
    return resp


def end_responsibility(resp: Responsibility, *, end: dt.date, access: Access) -> Responsibility:
    access.require(can_manage(access, resp.project), "您没有维护该项目责任人的权限")
    if end < resp.start:
        raise ValidationFailed("任职结束日期有误", field_errors={"end": ["任职结束日期早于开始日期"]})
    resp.end = end
    resp.save(update_fields=["end"])
    return resp


def responsible_on(project: Project, *, stage: str, on: dt.date) -> list[Responsibility]:
    return list(
        project.responsibilities.filter(stage=stage, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("person", "unit")
        .order_by("role")
    )


# -- disclosure items ------------------------------------------------------------------------------
def provide_item(item: DisclosureItem, data: dict, *, access: Access) -> DisclosureItem:
    """The document of an item is in: instant items are published at once; deferred ones wait for
    their moment (the finance department's choice, at the latest the due date)."""
    access.require(can_manage(access, item.project), "您没有维护该项目公开事项的权限")
    problems = Problems()
    title = _text(
        data.get("document_title"), "document_title", "文件名称", problems, max_len=200, required=True
    )
    url = _text(data.get("document_url"), "document_url", "文件链接", problems, max_len=300)
    if url and not url.startswith(("http://", "https://")):
        problems.add("document_url", "文件链接应以 http:// 或 https:// 开头")
    content = _text(data.get("content"), "content", "公开内容", problems, max_len=5000)
    provided_on = (
        parse_date(data.get("provided_on"), "provided_on", "提供日期", problems) or timezone.localdate()
    )
    if provided_on > timezone.localdate():
        problems.add("provided_on", "提供日期不能晚于今天")
    stage_index = STAGE_ORDER.index(item.stage)
    if stage_index > STAGE_ORDER.index(item.project.stage):
        problems.add("stage", f"项目尚未进入{item.get_stage_display()}阶段，不能提交该阶段的公开事项")
    problems.raise_if_any("公开事项信息有误，未保存")
    with transaction.atomic():
        item.document_title, item.document_url, item.content, item.provided_on = (
            title,
            url,
            content,
            provided_on,
        )
        item.save()
        log_action("govcredit.ppp.item_provided", actor=access.user, obj=item, summary=f"{item}：{title}")
        if item.mode == Mode.INSTANT or item.state == ItemState.PUBLISHED:
            _publish(item, actor=access.user)
    return item


def _publish(item: DisclosureItem, *, actor=None) -> None:
    event = "correct" if item.state == ItemState.PUBLISHED else "publish"
    item.version += 1
    item.state = ItemState.PUBLISHED
    item.published_at = timezone.now()
    item.withheld_reason = ""
    item.save()
    disclose(event, object_type=ITEM_OBJECT_TYPE, object_id=item.pk, version=item.version)
    public_version.bump()
    duty_services.fulfil_duty(item, on=timezone.localdate(), kind="disclosure_item")
    log_action(
        "govcredit.ppp.item_published", actor=actor, obj=item, summary=f"公开「{item}」（第{item.version}版）"
    )


def publish_item(item: DisclosureItem, *, access: Access) -> DisclosureItem:
    access.require(can_manage(access, item.project), "您没有公开该事项的权限")
    if not item.provided:
        raise Conflict(f"「{item.name}」尚未提交文件，不能公开")
    with transaction.atomic():
        _publish(item, actor=access.user)
    return item


def withhold_item(item: DisclosureItem, *, reason: str, access: Access) -> DisclosureItem:
    access.require(can_manage(access, item.project), "您没有撤回该事项的权限")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "请填写不予公开的理由", field_errors={"reason": ["请填写理由（如涉及国家秘密、商业秘密）"]}
        )
    with transaction.atomic():
        was_public = item.state == ItemState.PUBLISHED
        item.state = ItemState.WITHHELD
        item.withheld_reason = reason[:300]
        item.save()
        if was_public:
            disclose("withdraw", object_type=ITEM_OBJECT_TYPE, object_id=item.pk, version=item.version)
        public_version.bump()
        log_action(
            "govcredit.ppp.item_withheld",
            actor=access.user,
            obj=item,
            summary=f"「{item}」不予公开：{reason}",
        )
    return item


# -- the stage gate --------------------------------------------------------------------------------
def gate_problems(project: Project, *, on: dt.date) -> dict[str, list[str]]:
    """What the current stage still lacks: required items without a document, required roles with
    nobody in office on ``on``."""
    stage = project.stage
    missing_items = [
        i.name
        for i in project.items.filter(stage=stage, required=True).exclude(state=ItemState.WITHHELD)
        if not i.provided
    ]
    held = {r.role for r in responsible_on(project, stage=stage, on=on)}
    missing_roles = [
        Role(r).label
        for r in RoleRequirement.objects.filter(regime=project.regime, stage=stage).values_list(
            "role", flat=True
        )
        if r not in held
    ]
    problems = {}
    if missing_items:
        problems["items"] = missing_items
    if missing_roles:
        problems["responsibilities"] = missing_roles
    return problems


def advance_stage(project: Project, *, to: str, on: dt.date, access: Access) -> Project:
    access.require(can_manage(access, project), "您没有推进该项目阶段的权限")
    if to not in STAGE_ORDER:
        raise ValidationFailed("阶段无效", field_errors={"stage": [f"阶段应为：{'、'.join(STAGE_ORDER)}"]})
    current = STAGE_ORDER.index(project.stage)
    if STAGE_ORDER.index(to) != current + 1:
        raise Conflict(
            f"项目当前处于{Stage(project.stage).label}阶段，只能进入下一阶段，不能直接进入{Stage(to).label}阶段"
        )
    entered = project.stages.get(stage=project.stage).entered_on
    if on < entered or on > timezone.localdate():
        raise ValidationFailed(
            "阶段日期有误",
            field_errors={"on": [f"进入日期应在{entered.isoformat()}（进入当前阶段）与今天之间"]},
        )
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.stage != project.stage:
            raise Conflict("项目阶段已被他人推进，请刷新后重试")
        problems = gate_problems(locked, on=on)
        if problems:
            parts = []
            if problems.get("items"):
                parts.append("未提交的必备公开事项：" + "、".join(problems["items"]))
            if problems.get("responsibilities"):
                parts.append(
                    f"{format_cn_date(on)}无人在任的必备岗位：" + "、".join(problems["responsibilities"])
                )
            raise Conflict(
                f"{Stage(locked.stage).label}阶段尚不具备进入{Stage(to).label}阶段的条件。"
                + "；".join(parts),
                field_errors=problems,
            )
        ProjectStage.objects.filter(project=locked, stage=locked.stage).update(exited_on=on)
        ProjectStage.objects.create(project=locked, stage=to, entered_on=on)
        locked.stage = to
        locked.save(update_fields=["stage"])
        if to == Stage.EXECUTION:
            _schedule_deferred(locked, entered_execution=on)
        public_version.bump()
        log_action(
            "govcredit.ppp.stage",
            actor=access.user,
            obj=locked,
            summary=f"{locked.code}于{on.isoformat()}进入{Stage(to).label}阶段",
        )
    return locked


def _schedule_deferred(project: Project, *, entered_execution: dt.date) -> None:
    """财金〔2017〕1号: 识别/准备/采购 deferred items within N months of entering 执行; 执行 items by
    30 April of the following year."""
    regime = project.regime
    six = due_date(entered_execution, mode="months", n=regime.deferred_months)
    annual = due_date(
        dt.date(entered_execution.year + 1, 1, 1),
        mode="annual",
        month=regime.annual_month,
        day=regime.annual_day,
    )
    for item in project.items.filter(mode=Mode.DEFERRED).exclude(state=ItemState.PUBLISHED):
        if item.stage in EARLY_STAGES:
            due, why = (
                six,
                f"进入执行阶段（{format_cn_date(entered_execution)}）后{regime.deferred_months}个月内公开",
            )
        elif item.stage == Stage.EXECUTION:
            due, why = annual, "执行阶段信息于次年4月30日前公开"
        else:
            continue
        item.due_on = due.due
        item.due_explain = f"{why}（{regime.name}）：{due.explain()}"
        item.save(update_fields=["due_on", "due_explain"])
        duty_services.register_duty(
            module=MODULE,
            kind="disclosure_item",
            obj=item,
            due=due,
            title=f"PPP {project.code} 公开「{item.name}」"[:200],
            unit=project.unit,
            subject=project.agency,
        )


# -- fiscal commitments ----------------------------------------------------------------------------
def set_fiscal(project: Project, data: dict, *, access: Access) -> FiscalCommitment:
    access.require(can_manage(access, project), "您没有登记该项目支出责任的权限")
    problems = Problems()
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        problems.add("year", "年度应为2000至2100之间的整数")
    responsibility = parse_money(data.get("responsibility"), "responsibility", "支出责任", problems)
    budgeted = parse_money(data.get("budgeted") or 0, "budgeted", "预算安排", problems)
    paid = parse_money(data.get("paid") or 0, "paid", "实际支付", problems)
    if paid is not None and budgeted is not None and paid > budgeted:
        problems.add("paid", f"实际支付{paid:,.2f}元超过预算安排{budgeted:,.2f}元，请先调整预算")
    problems.raise_if_any("支出责任信息有误，未保存")
    with transaction.atomic():
        row, _ = FiscalCommitment.objects.update_or_create(
            project=project,
            year=year,
            defaults={"responsibility": responsibility, "budgeted": budgeted, "paid": paid},
        )
        public_version.bump()
        log_action(
            "govcredit.ppp.fiscal",
            actor=access.user,
            obj=row,
            summary=f"{project.code} {year}年支出责任{responsibility:,.2f}元，预算{budgeted:,.2f}元，已付{paid:,.2f}元",
        )
    return row


# -- reads -----------------------------------------------------------------------------------------
def completeness(project: Project) -> dict:
    items = list(project.items.all())
    required = [
        i for i in items if i.required and STAGE_ORDER.index(i.stage) <= STAGE_ORDER.index(project.stage)
    ]
    published = [i for i in required if i.state == ItemState.PUBLISHED]
    return {
        "required": len(required),
        "published": len(published),
        "percent": round(100 * len(published) / len(required)) if required else 100,
    }


def item_view(item: DisclosureItem, *, today: dt.date, public: bool = False) -> dict:
    overdue = item.state == ItemState.PENDING and item.due_on is not None and item.due_on < today
    shown = not public or item.state == ItemState.PUBLISHED
    return {
        "id": item.pk,
        "stage": item.stage,
        "name": item.name,
        "required": item.required,
        "mode": item.mode,
        "state": "overdue" if overdue else item.state,
        "due_on": item.due_on.isoformat() if item.due_on else None,
        "due_explain": item.due_explain,
        "document_title": item.document_title if shown else "",
        "document_url": item.document_url if shown else "",
        "provided": item.provided,
        "published_at": timezone.localtime(item.published_at).isoformat(timespec="seconds")
        if item.published_at
        else None,
        "version": item.version,
        "withheld_reason": item.withheld_reason,
    }


def project_view(project: Project, *, public: bool = False) -> dict:
    today = timezone.localdate()
    return {
        "id": project.pk,
        "code": project.code,
        "name": project.name,
        "sector": project.sector,
        "investment": str(project.investment),
        "term_years": project.term_years,
        "operation_mode": project.operation_mode,
        "payment_mechanism": project.payment_mechanism,
        "agency": project.agency.name,
        "investor_representative": project.investor_representative,
        "social_capital": project.social_capital.name if project.social_capital else None,
        "project_company": project.project_company,
        "regime": project.regime.code,
        "stage": project.stage,
        "stage_label": project.get_stage_display(),
        "stages": [
            {
                "stage": s.stage,
                "label": s.get_stage_display(),
                "entered_on": s.entered_on.isoformat(),
                "exited_on": s.exited_on.isoformat() if s.exited_on else None,
            }
            for s in project.stages.all()
        ],
        "items": [item_view(i, today=today, public=public) for i in project.items.select_related("template")],
        "fiscal": [
            {
                "year": f.year,
                "responsibility": str(f.responsibility),
                "budgeted": str(f.budgeted),
                "paid": str(f.paid),
            }
            for f in project.fiscal.all()
        ],
        "completeness": completeness(project),
    }


def responsible_view(project: Project, *, stage: str, on: dt.date, access: Access | None) -> dict:
    rows = responsible_on(project, stage=stage, on=on)
    unmask = bool(access and access.can_unmask)
    return {
        "project": project.code,
        "stage": stage,
        "on": on.isoformat(),
        "items": [
            {
                "role": r.role,
                "role_label": r.get_role_display(),
                "person_id": r.person_id,
                "name": r.person.name if unmask else r.person.display_name,
                "unit": r.unit.name,
                "start": r.start.isoformat(),
                "end": r.end.isoformat() if r.end else None,
            }
            for r in rows
        ],
        "missing": [
            Role(code).label
            for code in RoleRequirement.objects.filter(regime=project.regime, stage=stage).values_list(
                "role", flat=True
            )
            if code not in {r.role for r in rows}
        ],
    }


def money(value) -> Decimal:
    return Decimal(value)
