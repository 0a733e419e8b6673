"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "政府债务信息公开",
            "/debt/",
            "政府债务限额、余额、债券发行与风险指标（第（十六）条）",
            group="合同与债务",
            order=50,
        ),
    ]
