"""依申请公开 (WAVE2 §11, §14 D): requests on the Art 30–33 working-day clock, the Art 36 reply types.
Thin: rules live in ``openinfo.services``. ``router`` at /api/v1/info-requests (staff, scoped to the
organ), ``public_router`` at /api/v1/public/ (filing online and tracking by code)."""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt, StrictStr

from govcredit.openinfo import services
from govcredit.openinfo.models import RequestStatus

from .auth import TokenAuth, access_of
from .common import check_text, page_of
from .schemas import Error, ObjectId

router = Router(auth=TokenAuth(), tags=["政府信息公开申请"])
public_router = Router(tags=["政府信息公开申请（公开）"])

ERRORS = frozenset({400, 401, 403, 404, 409, 422})
PUBLIC_ERRORS = frozenset({400, 404, 422})
ReplyTypeName = Literal[
    "already_public", "provided", "refused", "not_exist", "not_responsible", "repeated", "special_procedure"
]


def _data(payload: Schema) -> dict:
    data = payload.dict()
    check_text(**{k: v for k, v in data.items() if isinstance(v, str)})
    return data


class InfoRequestFileIn(Schema):
    unit: StrictStr = Field(..., description="受理机关简称或登记名称")
    applicant: StrictStr
    contact: StrictStr
    description: StrictStr
    form: StrictStr = ""


class InfoRequestRegisterIn(InfoRequestFileIn):
    channel: Literal["in_person", "registered_mail", "ordinary_mail", "online", "fax"]
    submitted_on: StrictStr
    received_on: StrictStr | None = Field(None, description="签收或确认日期（当面提交可省略）")


class InfoRequestFiledOut(Schema):
    tracking_code: str
    status: str
    deadline: str | None


class InfoRequestEventOut(Schema):
    action: str
    on: str
    note: str


class InfoRequestPublicOut(Schema):
    tracking_code: str
    unit: str
    status: str
    status_label: str
    submitted_on: str
    received_on: str | None
    deadline: str | None
    deadline_explain: str
    extension_days: int
    reply_type: str | None
    replied_on: str | None
    history: list[InfoRequestEventOut]


class InfoRequestOut(InfoRequestPublicOut):
    id: int
    applicant: str
    contact: str
    description: str
    channel: str
    received_explain: str
    clarify_on: str | None
    clarified_on: str | None
    extension_approver: str
    reply_text: str
    overdue: bool


class InfoRequestPage(Schema):
    count: int
    items: list[InfoRequestOut]


class InfoRequestQuery(Schema):
    status: RequestStatus | None = None
    overdue: bool | None = None
    page: int = Field(1, ge=1)


class InfoRequestDateIn(Schema):
    on: StrictStr | None = Field(None, description="日期 YYYY-MM-DD，省略为今天")
    note: StrictStr = ""


class InfoRequestConfirmIn(Schema):
    received_on: StrictStr | None = None


class InfoRequestClarifyIn(Schema):
    what: StrictStr
    on: StrictStr | None = None


class InfoRequestExtendIn(Schema):
    days: StrictInt
    approver: StrictStr
    reason: StrictStr


class InfoRequestReplyIn(Schema):
    reply_type: StrictStr = Field(
        ..., description="条例第三十六条的七种答复类型之一：" + "、".join(ReplyTypeName.__args__)
    )
    text: StrictStr
    on: StrictStr | None = None


@router.post("", response={201: InfoRequestOut, ERRORS: Error}, summary="登记当面、邮寄、传真收到的申请")
def register(request, payload: InfoRequestRegisterIn):
    req = services.register_request(_data(payload), access=access_of(request))
    return Status(201, services.staff_view(req))


@router.get("", response={200: InfoRequestPage, ERRORS: Error}, summary="申请列表（按权限范围）")
def list_requests(request, filters: Query[InfoRequestQuery]):
    qs = services.requests_for(access_of(request)).prefetch_related("events").order_by("-submitted_on", "-pk")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = services.overdue(qs, timezone.localdate())
    count, rows = page_of(qs, filters.page, 20)
    return {"count": count, "items": [services.staff_view(r) for r in rows]}


@router.get("/{int:request_id}", response={200: InfoRequestOut, ERRORS: Error}, summary="申请详情")
def get_request(request, request_id: ObjectId):
    return services.staff_view(services.get_request_for_user(access_of(request), request_id))


def _act(request, request_id: int, fn, payload: Schema):
    access = access_of(request)
    req = services.get_request_for_user(access, request_id)
    return services.staff_view(fn(req, _data(payload), access=access))


@router.post(
    "/{int:request_id}/confirm", response={200: InfoRequestOut, ERRORS: Error}, summary="确认收到（网上申请）"
)
def confirm(request, request_id: ObjectId, payload: InfoRequestConfirmIn):
    return _act(request, request_id, services.confirm_receipt, payload)


@router.post(
    "/{int:request_id}/clarify",
    response={200: InfoRequestOut, ERRORS: Error},
    summary="一次性补正通知（暂停计时）",
)
def clarify(request, request_id: ObjectId, payload: InfoRequestClarifyIn):
    return _act(request, request_id, services.clarify, payload)


@router.post(
    "/{int:request_id}/resume",
    response={200: InfoRequestOut, ERRORS: Error},
    summary="收到补正（20个工作日重新起算）",
)
def resume(request, request_id: ObjectId, payload: InfoRequestDateIn):
    return _act(request, request_id, services.resume, payload)


@router.post(
    "/{int:request_id}/third-party",
    response={200: InfoRequestOut, ERRORS: Error},
    summary="征求第三方意见（不计入期限）",
)
def third_party(request, request_id: ObjectId, payload: InfoRequestDateIn):
    return _act(request, request_id, services.consult_third_party, payload)


@router.post(
    "/{int:request_id}/third-party-done",
    response={200: InfoRequestOut, ERRORS: Error},
    summary="第三方已答复（恢复计时）",
)
def third_party_done(request, request_id: ObjectId, payload: InfoRequestDateIn):
    return _act(request, request_id, services.third_party_answered, payload)


@router.post(
    "/{int:request_id}/extend",
    response={200: InfoRequestOut, ERRORS: Error},
    summary="延长答复期限（一次，不超过20个工作日；再次延长 409）",
)
def extend(request, request_id: ObjectId, payload: InfoRequestExtendIn):
    return _act(request, request_id, services.extend, payload)


@router.post(
    "/{int:request_id}/reply",
    response={200: InfoRequestOut, ERRORS: Error},
    summary="答复（条例第三十六条七种类型）",
)
def reply(request, request_id: ObjectId, payload: InfoRequestReplyIn):
    return _act(request, request_id, services.reply, payload)


@public_router.post(
    "/info-requests",
    response={201: InfoRequestFiledOut, PUBLIC_ERRORS: Error},
    summary="网上提交政府信息公开申请",
)
def file_online(request, payload: InfoRequestFileIn):
    req = services.file_online(_data(payload))
    return Status(201, {"tracking_code": req.tracking_code, "status": req.status, "deadline": None})


@public_router.get(
    "/info-requests/{tracking_code}",
    response={200: InfoRequestPublicOut, PUBLIC_ERRORS: Error},
    summary="凭查询码查询办理进度",
)
def track(request, tracking_code: str):
    return services.public_view(services.find_by_code(tracking_code))


# -- the disclosure catalog and proactive items (条例第十二条、第二十六条) ----------------------------
from govcredit.openinfo import catalog as catalog_services  # noqa: E402

catalog_router = Router(auth=TokenAuth(), tags=["政务公开目录"])
items_router = Router(auth=TokenAuth(), tags=["主动公开信息"])
AudienceName = Literal["public", "group"]
MannerName = Literal["proactive", "on_request"]
LevelName = Literal["county", "town"]


class InfoCatalogIn(Schema):
    unit: StrictStr
    code: StrictStr
    level1: StrictStr
    level2: StrictStr = ""
    content: StrictStr
    basis: StrictStr
    time_limit: StrictStr = ""
    channels: StrictStr = ""
    audience: AudienceName = "public"
    manner: MannerName = "proactive"
    level: LevelName = "county"


class InfoCatalogReviseIn(Schema):
    change_reason: StrictStr
    level1: StrictStr | None = None
    level2: StrictStr | None = None
    content: StrictStr | None = None
    basis: StrictStr | None = None
    time_limit: StrictStr | None = None
    channels: StrictStr | None = None
    audience: AudienceName | None = None
    manner: MannerName | None = None
    level: LevelName | None = None


class InfoCatalogOut(Schema):
    id: int
    unit: str
    code: str
    version: int
    current: bool
    level1: str
    level2: str
    content: str
    basis: str
    time_limit: str
    channels: str
    audience: str
    manner: str
    level: str
    change_reason: str


class InfoCatalogPage(Schema):
    count: int
    items: list[InfoCatalogOut]


class InfoCatalogQuery(Schema):
    unit: str | None = Field(None, max_length=100)
    all_versions: bool = False
    page: int = Field(1, ge=1)


class InfoItemIn(Schema):
    unit: StrictStr
    index_no: StrictStr
    name: StrictStr
    summary: StrictStr
    generated_on: StrictStr
    catalog_code: StrictStr = ""


class InfoItemPublishIn(Schema):
    published_on: StrictStr | None = None
    url: StrictStr = ""


class InfoItemOut(Schema):
    id: int
    unit: str
    index_no: str
    name: str
    summary: str
    generated_on: str
    due_on: str
    published_on: str | None
    url: str
    late: bool
    late_working_days: int
    explain: str
    catalog_code: str | None


class InfoItemPage(Schema):
    count: int
    items: list[InfoItemOut]


class InfoItemQuery(Schema):
    late: bool | None = None
    unit: str | None = Field(None, max_length=100)
    page: int = Field(1, ge=1)


def _unit_filter(qs, unit: str | None):
    if unit:
        qs = qs.filter(unit__short_name=unit) | qs.filter(unit__name=unit)
    return qs


@catalog_router.post("", response={201: InfoCatalogOut, ERRORS: Error}, summary="登记政务公开标准目录事项")
def add_catalog_entry(request, payload: InfoCatalogIn):
    entry = catalog_services.add_entry(_data(payload), access=access_of(request))
    return Status(201, catalog_services.entry_view(entry))


@catalog_router.post(
    "/{int:entry_id}/revise",
    response={201: InfoCatalogOut, ERRORS: Error},
    summary="修订目录事项（新增版本）",
)
def revise_catalog_entry(request, entry_id: ObjectId, payload: InfoCatalogReviseIn):
    access = access_of(request)
    data = {k: v for k, v in _data(payload).items() if v is not None}
    entry = catalog_services.revise_entry(catalog_services.get_entry(access, entry_id), data, access=access)
    return Status(201, catalog_services.entry_view(entry))


@catalog_router.get("", response={200: InfoCatalogPage, ERRORS: Error}, summary="政务公开目录（按权限范围）")
def list_catalog_entries(request, filters: Query[InfoCatalogQuery]):
    qs = _unit_filter(catalog_services.catalog_for(access_of(request)), filters.unit)
    if not filters.all_versions:
        qs = qs.filter(current=True)
    count, rows = page_of(qs.order_by("unit_id", "code", "-version"), filters.page, 20)
    return {"count": count, "items": [catalog_services.entry_view(e) for e in rows]}


@items_router.post(
    "", response={201: InfoItemOut, ERRORS: Error}, summary="登记主动公开信息（生成日期起20个工作日内公开）"
)
def add_item(request, payload: InfoItemIn):
    item = catalog_services.add_item(_data(payload), access=access_of(request))
    return Status(201, catalog_services.item_view(item))


@items_router.post("/{int:item_id}/publish", response={200: InfoItemOut, ERRORS: Error}, summary="公开")
def publish_item(request, item_id: ObjectId, payload: InfoItemPublishIn):
    access = access_of(request)
    item = catalog_services.publish_item(
        catalog_services.get_item(access, item_id), _data(payload), access=access
    )
    return catalog_services.item_view(item)


@items_router.get(
    "", response={200: InfoItemPage, ERRORS: Error}, summary="主动公开信息（late=true 只看逾期）"
)
def list_items(request, filters: Query[InfoItemQuery]):
    qs = _unit_filter(catalog_services.items_for(access_of(request)), filters.unit)
    if filters.late:
        qs = catalog_services.late_items(qs)
    count, rows = page_of(qs.order_by("-generated_on", "-pk"), filters.page, 20)
    return {"count": count, "items": [catalog_services.item_view(i) for i in rows]}


@public_router.get(
    "/info-catalog",
    response={200: InfoCatalogPage, PUBLIC_ERRORS: Error},
    summary="政务公开标准目录（现行版本）",
)
def public_catalog(request, filters: Query[InfoCatalogQuery]):
    from govcredit.openinfo.models import CatalogEntry

    qs = _unit_filter(CatalogEntry.objects.select_related("unit"), filters.unit)
    if not filters.all_versions:
        qs = qs.filter(current=True)
    count, rows = page_of(qs.order_by("unit_id", "code", "-version"), filters.page, 20)
    return {"count": count, "items": [catalog_services.entry_view(e) for e in rows]}


@public_router.get(
    "/info-items", response={200: InfoItemPage, PUBLIC_ERRORS: Error}, summary="已公开的主动公开信息"
)
def public_items(request, filters: Query[InfoItemQuery]):
    from govcredit.openinfo.models import ProactiveItem

    qs = _unit_filter(
        ProactiveItem.objects.filter(published_on__isnull=False).select_related("unit", "catalog_entry"),
        filters.unit,
    )
    if filters.late:
        qs = catalog_services.late_items(qs)
    count, rows = page_of(qs.order_by("-published_on", "-pk"), filters.page, 20)
    return {"count": count, "items": [catalog_services.item_view(i) for i in rows]}
