"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "依申请公开",
            "/openinfo/",
            "在线提交政府信息公开申请并查询答复进度（第（五）条）",
            group="依法行政",
            order=20,
        ),
    ]
