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
