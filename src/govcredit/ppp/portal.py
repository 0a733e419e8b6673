"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "PPP项目信息公开",
            "/ppp/",
            "政府和社会资本合作项目各阶段的公开信息、责任单位和责任人（第（十二）条）",
            group="合同与债务",
            order=40,
        ),
    ]
