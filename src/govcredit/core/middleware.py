"""Under /api/ every answer is JSON: unknown paths are a JSON 404 and crashes a JSON 500, never HTML."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase

logger = logging.getLogger("govcredit.api")


class ApiErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith("/api/") and response.status_code >= 400:
            content_type = response.get("Content-Type", "")
            if not content_type.startswith("application/json"):
                message = {404: "接口不存在", 405: "不支持该请求方法", 403: "无权访问", 400: "请求有误"}.get(
                    response.status_code, "服务器内部错误" if response.status_code >= 500 else "请求有误"
                )
                replaced = JsonResponse(
                    {"detail": message},
                    status=response.status_code,
                    json_dumps_params={"ensure_ascii": False},
                )
                if response.has_header("Allow"):  # a 405 keeps listing the allowed methods (RFC 9110)
                    replaced["Allow"] = response["Allow"]
                return replaced
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> JsonResponse | None:
        if request.path.startswith("/api/"):
            logger.exception("API error on %s", request.path)
            return JsonResponse(
                {"detail": "服务器内部错误，请稍后重试"},
                status=500,
                json_dumps_params={"ensure_ascii": False},
            )
        return None
