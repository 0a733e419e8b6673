"""This app's columns on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "重点任务进展",
            "/tasks/",
            "周政发〔2018〕26号附件所列18项重点任务的牵头单位、完成时限与进展",
            group="承诺与任务",
            order=20,
        ),
    ]
