"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "承诺公示",
            "/commitments/",
            "政府及部门、镇（街道）的服务承诺、发展目标与践诺进度，目标调整留痕（第（十五）（十七）（十九）条）",
            group="承诺与任务",
            order=10,
        ),
    ]
