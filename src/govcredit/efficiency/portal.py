"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "办事效率与“蜗牛奖”",
            "/efficiency/",
            "各单位按期办结率排名与“蜗牛奖”评选结果（第（六）条）",
            group="依法行政",
            order=30,
        ),
    ]
