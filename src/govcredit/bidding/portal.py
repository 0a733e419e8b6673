"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "招标投标失信名单",
            "/bidding/blacklist/",
            "招标投标领域严重违法失信主体名单（第（十三）条）",
            group="合同与债务",
            order=60,
        ),
    ]
