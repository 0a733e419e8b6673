"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "投诉举报",
            "/complaints/new/",
            "投诉举报政务失信行为（举报可匿名），凭查询码查询办理进度（第（二十）条）",
            group="社会监督",
            order=10,
        ),
        PublicColumn(
            "诚信典型案例",
            "/typical-cases/",
            "政务守信、失信典型案例（第（二十一）条）",
            group="社会监督",
            order=20,
        ),
    ]
