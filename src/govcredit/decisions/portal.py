"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "重大行政决策",
            "/decisions/",
            "年度决策事项目录、征求意见（可在线提交意见）和决策程序履行情况（第（四）条）",
            group="依法行政",
            order=10,
        ),
    ]
