"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "政府合同公示",
            "/contracts/",
            "政府合同的履约进度与付款期限（第（十四）条）",
            group="合同与债务",
            order=10,
        ),
        PublicColumn(
            "拖欠账款信息公开",
            "/arrears-disclosure/",
            "逾期未支付中小企业款项的年度公开（《保障中小企业款项支付条例》第十八条）",
            group="合同与债务",
            order=20,
        ),
        PublicColumn(
            "拖欠账款投诉",
            "/arrears-complaints/new/",
            "企业在线投诉机关、事业单位拖欠账款，凭查询码查询办理进度",
            group="合同与债务",
            order=30,
        ),
    ]
