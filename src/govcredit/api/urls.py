"""The JSON API under /api/v1/ (Django Ninja). Routers are thin: they call the apps' services."""

from __future__ import annotations

import logging

from django.http import Http404
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from govcredit.core.errors import CreditError

from . import routers

logger = logging.getLogger("govcredit.api")


class ChineseJSONRenderer(JSONRenderer):
    """Chinese text as UTF-8, not \\u escapes: readable in logs and by people calling the API."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="政务诚信管理平台接口",
    version="1.0.0",
    description="周村区政务诚信管理平台 JSON 接口。公开接口位于 /api/v1/public/，其余接口须在 Authorization 头中携带 Bearer 令牌。",
    urls_namespace="api-v1",
)


@api.exception_handler(CreditError)
def credit_error(request, exc: CreditError):
    detail = exc.message
    if exc.field_errors:
        detail = {"message": exc.message, "fields": exc.field_errors}
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


# Chinese wording for pydantic's error types (request shape errors; content errors come from services).
_PYDANTIC_ZH = {
    "missing": "必须填写",
    "string_type": "应为字符串",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "too_long": "最多 {max_length} 项",
    "too_short": "至少 {min_length} 项",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为数组",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不允许的字段",
}


def _zh_error(error: dict) -> dict:
    template = _PYDANTIC_ZH.get(error.get("type", ""), "格式有误")
    try:
        message = template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        message = template
    field = ".".join(str(p) for p in error.get("loc", ())[1:]) or "请求"
    return {**error, "msg": f"{field}：{message}"}


NOT_FOUND = "资源不存在"


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """422 for the query and the body; a malformed *path* parameter names no object, so it is the
    404 of an unknown path (DESIGN §5), on every router, whatever else is wrong with the request."""
    if any(e.get("loc", ("",))[0] == "path" for e in exc.errors):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)
    return api.create_response(request, {"detail": [_zh_error(e) for e in exc.errors]}, status=422)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return api.create_response(
        request, {"detail": "未认证：请在 Authorization 头中提供有效的 Bearer 令牌"}, status=401
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(Exception)
def unexpected(request, exc):
    logger.exception("unexpected API error on %s", request.path)
    return api.create_response(request, {"detail": "服务器内部错误，请稍后重试"}, status=500)


routers.register(api)

urlpatterns = [path("v1/", api.urls)]
