"""POST /api/v1/checks — credit checks (DESIGN §5). Thin: the rules live in sanctions.checks."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema
from pydantic import StrictStr

from govcredit.sanctions.checks import run_check

from .auth import TokenAuth, access_of
from .schemas import ERROR_CODES, Error

router = Router(tags=["信用核查"])


class CheckIn(Schema):
    purpose: StrictStr
    subjects: list[Any]
    reason: StrictStr = ""


class ResultOut(Schema):
    subject: Any
    status: str
    reasons: list[dict]
    detail: str | None = None
    incentives: list[dict] | None = None


class CheckOut(Schema):
    serial: str
    results: list[ResultOut]


@router.post(
    "",
    auth=TokenAuth(),
    response={200: CheckOut, ERROR_CODES: Error},
    exclude_none=True,
    summary="信用核查（单个或批量）",
    description=(
        "purpose 为 award / recruitment / appointment / bidding / policy_support；subjects 为统一社会信用代码"
        "或居民身份证号码列表（最多 20,000 个）。每个主体返回 clear / blocked / attention / error，"
        "reasons 列出依据的记录、措施和法律依据；格式正确但无记录的代码为 clear（无记录）。"
    ),
)
def create_check(request, payload: CheckIn):
    check, results = run_check(
        payload.subjects, payload.purpose, access=access_of(request), reason=payload.reason, channel="api"
    )
    # The answer is already in the documented CheckOut shape (subject echoed as a string, detail and
    # incentives only when present): encode it once, instead of validating up to 20,000 nested rows
    # through pydantic and encoding them again.
    body = json.dumps({"serial": check.serial, "results": results}, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
