"""PPP projects (WAVE2 §3, §14 B): the stage gate (409), responsibilities with tenure and the trace-back
query. Thin: rules live in ``ppp.services``. ``router`` at /api/v1/ppp (staff), ``public_router`` at
/api/v1/public/ (the 信用周村 view: timeline, published documents, completeness)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt, StrictStr

from govcredit.ppp import services
from govcredit.ppp.models import DisclosureItem, Project

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import Error, ObjectId

router = Router(auth=TokenAuth(), tags=["PPP项目"])
public_router = Router(tags=["PPP项目（公开）"])

ERRORS = frozenset({400, 401, 403, 404, 409, 422})
PUBLIC_ERRORS = frozenset({400, 404, 422})
StageName = Literal["identification", "preparation", "procurement", "execution", "transfer"]
Money = StrictStr | StrictInt


class ProjectIn(Schema):
    code: StrictStr
    name: StrictStr
    sector: StrictStr
    investment: Money
    term_years: StrictInt = Field(..., ge=1, le=50)
    operation_mode: StrictStr
    payment_mechanism: Literal["government_pay", "viability_gap", "user_pay"]
    agency: StrictStr = Field(..., description="实施机构：统一社会信用代码、登记名称或简称")
    regime: StrictStr = Field("CJ2017-1", description="制度版本代码")
    entered_on: StrictStr = Field(..., description="进入识别阶段日期")
    investor_representative: StrictStr = ""
    social_capital_uscc: StrictStr = ""
    social_capital_name: StrictStr = ""
    project_company: StrictStr = ""


class ResponsibilityIn(Schema):
    stage: StageName
    role: Literal[
        "implementing_head",
        "finance_review",
        "procurement_lead",
        "performance_supervision",
        "investor_representative",
    ]
    person_id: StrictInt | None = Field(None, description="责任人主体编号（公务员）")
    person_id_number: StrictStr = Field("", description="或：责任人身份证号")
    person_name: StrictStr = Field("", description="身份证号未登记时的姓名")
    unit: StrictStr = Field("", description="所在单位（省略为实施机构）")
    start: StrictStr
    end: StrictStr | None = None


class ProvideIn(Schema):
    document_title: StrictStr
    document_url: StrictStr = ""
    content: StrictStr = ""
    provided_on: StrictStr | None = None


class AdvanceIn(Schema):
    stage: StageName
    on: StrictStr


class FiscalIn(Schema):
    year: StrictInt
    responsibility: Money
    budgeted: Money = "0"
    paid: Money = "0"


class WithholdIn(Schema):
    reason: StrictStr


class StageOut(Schema):
    stage: str
    label: str
    entered_on: str
    exited_on: str | None


class ItemOut(Schema):
    id: int
    stage: str
    name: str
    required: bool
    mode: str
    state: str
    due_on: str | None
    due_explain: str
    document_title: str
    document_url: str
    provided: bool
    published_at: str | None
    version: int
    withheld_reason: str


class FiscalOut(Schema):
    year: int
    responsibility: str
    budgeted: str
    paid: str


class Completeness(Schema):
    required: int
    published: int
    percent: int


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    sector: str
    investment: str
    term_years: int
    operation_mode: str
    payment_mechanism: str
    agency: str
    investor_representative: str
    social_capital: str | None
    project_company: str
    regime: str
    stage: str
    stage_label: str
    stages: list[StageOut]
    items: list[ItemOut]
    fiscal: list[FiscalOut]
    completeness: Completeness


class ResponsibleItem(Schema):
    role: str
    role_label: str
    person_id: ObjectId
    name: str
    unit: str
    start: str
    end: str | None


class ResponsibleOut(Schema):
    project: str
    stage: str
    on: str
    items: list[ResponsibleItem]
    missing: list[str]


class ResponsibleQuery(Schema):
    stage: StageName
    on: StrictStr = Field(..., description="日期 YYYY-MM-DD")


class ProjectBrief(Schema):
    id: int
    code: str
    name: str
    agency: str
    stage: str
    stage_label: str


class ProjectPage(Schema):
    count: int
    items: list[ProjectBrief]


class PageQuery(Schema):
    page: int = Field(1, ge=1)


def _item(access, project_id: ObjectId, item_id: ObjectId) -> DisclosureItem:
    project = services.get_project_for_user(access, project_id)
    item = project.items.filter(pk=item_id).first()
    if item is None:
        from govcredit.core.errors import NotFound

        raise NotFound("该项目下不存在此公开事项")
    return item


def _brief(p: Project) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "agency": p.agency.name,
        "stage": p.stage,
        "stage_label": p.get_stage_display(),
    }


@router.post("/projects", response={201: ProjectOut, ERRORS: Error}, summary="登记PPP项目")
def create_project(request, payload: ProjectIn):
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    project = services.create_project(data, access=access_of(request))
    return Status(201, services.project_view(project))


@router.get("/projects", response={200: ProjectPage, ERRORS: Error}, summary="PPP项目列表（按权限范围）")
def list_projects(request, page: int = Query(1, ge=1, description="页码，从 1 开始")):
    query = PageQuery(page=page)
    count, rows = page_of(services.projects_for(access_of(request)).order_by("code"), query.page, 20)
    return {"count": count, "items": [_brief(p) for p in rows]}


@router.get("/projects/{int:project_id}", response={200: ProjectOut, ERRORS: Error}, summary="PPP项目详情")
def get_project(request, project_id: ObjectId):
    return services.project_view(services.get_project_for_user(access_of(request), project_id))


@router.post(
    "/projects/{int:project_id}/responsibilities",
    response={201: ResponsibleItem, ERRORS: Error},
    summary="登记阶段责任人（任期不得重叠）",
)
def add_responsibility(request, project_id: ObjectId, payload: ResponsibilityIn):
    access = access_of(request)
    project = services.get_project_for_user(access, project_id)
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    r = services.add_responsibility(project, data, access=access)
    return Status(
        201,
        {
            "role": r.role,
            "role_label": r.get_role_display(),
            "person_id": r.person_id,
            "name": r.person.display_name,
            "unit": r.unit.name,
            "start": r.start.isoformat(),
            "end": r.end.isoformat() if r.end else None,
        },
    )


@router.get(
    "/projects/{int:project_id}/responsible",
    response={200: ResponsibleOut, ERRORS: Error},
    summary="责任追溯：某日某阶段各岗位由谁担任",
)
def responsible(
    request,
    project_id: ObjectId,
    stage: StageName,
    on: str = Query(..., max_length=10, description="日期 YYYY-MM-DD"),
):
    query = ResponsibleQuery(stage=stage, on=on)
    access = access_of(request)
    project = services.get_project_for_user(access, project_id)
    problems = services.Problems()
    on = services.parse_date(query.on, "on", "日期", problems, required=True)
    problems.raise_if_any("日期格式有误")
    return services.responsible_view(project, stage=query.stage, on=on, access=access)


@router.post(
    "/projects/{int:project_id}/items/{int:item_id}/provide",
    response={200: ItemOut, ERRORS: Error},
    summary="提交公开事项文件（即时公开事项同时公开）",
)
def provide_item(request, project_id: ObjectId, item_id: ObjectId, payload: ProvideIn):
    access = access_of(request)
    item = _item(access, project_id, item_id)
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    item = services.provide_item(item, data, access=access)
    return services.item_view(item, today=services.timezone.localdate())


@router.post(
    "/projects/{int:project_id}/items/{int:item_id}/publish",
    response={200: ItemOut, ERRORS: Error},
    summary="公开适时公开事项",
)
def publish_item(request, project_id: ObjectId, item_id: ObjectId):
    access = access_of(request)
    item = services.publish_item(_item(access, project_id, item_id), access=access)
    return services.item_view(item, today=services.timezone.localdate())


@router.post(
    "/projects/{int:project_id}/items/{int:item_id}/withhold",
    response={200: ItemOut, ERRORS: Error},
    summary="不予公开或撤回（须说明理由）",
)
def withhold_item(request, project_id: ObjectId, item_id: ObjectId, payload: WithholdIn):
    access = access_of(request)
    check_text(reason=payload.reason)
    item = services.withhold_item(_item(access, project_id, item_id), reason=payload.reason, access=access)
    return services.item_view(item, today=services.timezone.localdate())


@router.post(
    "/projects/{int:project_id}/advance",
    response={200: ProjectOut, ERRORS: Error},
    summary="进入下一阶段（缺必备公开事项或责任人时 409）",
)
def advance(request, project_id: ObjectId, payload: AdvanceIn):
    access = access_of(request)
    project = services.get_project_for_user(access, project_id)
    problems = services.Problems()
    on = services.parse_date(payload.on, "on", "进入日期", problems, required=True)
    problems.raise_if_any("日期格式有误")
    project = services.advance_stage(project, to=payload.stage, on=on, access=access)
    return services.project_view(project)


@router.post(
    "/projects/{int:project_id}/fiscal", response={200: FiscalOut, ERRORS: Error}, summary="登记年度支出责任"
)
def fiscal(request, project_id: ObjectId, payload: FiscalIn):
    access = access_of(request)
    project = services.get_project_for_user(access, project_id)
    row = services.set_fiscal(project, payload.dict(), access=access)
    return {
        "year": row.year,
        "responsibility": str(row.responsibility),
        "budgeted": str(row.budgeted),
        "paid": str(row.paid),
    }


@public_router.get(
    "/ppp/projects", response={200: ProjectPage, PUBLIC_ERRORS: Error}, summary="PPP项目公开列表"
)
def public_projects(request, page: int = Query(1, ge=1, description="页码，从 1 开始")):
    query = PageQuery(page=page)
    qs = Project.objects.select_related("agency").order_by("code")
    count, rows = page_of(qs, query.page, 20)
    return {"count": count, "items": [_brief(p) for p in rows]}


@public_router.get(
    "/ppp/projects/{code}", response={200: ProjectOut, PUBLIC_ERRORS: Error}, summary="PPP项目公开信息"
)
def public_project(request, code: str):
    project = (
        Project.objects.select_related("agency", "regime", "social_capital").filter(code=code[:40]).first()
    )
    if project is None:
        return Status(404, {"detail": "PPP项目不存在"})
    return services.project_view(project, public=True)
