"""This app's column on the portal's 政务诚信公开 page (see ``portal.registry``)."""

from __future__ import annotations

from django.urls import reverse

from govcredit.portal.registry import PublicColumn


def columns() -> list[PublicColumn]:
    return [
        PublicColumn(
            "政务诚信评价",
            reverse("evaluation_portal:ranking"),
            "各镇（街道）和区直部门政务诚信评价排名、评价方法和每一项得分的公开依据（政策（九）（十九）（二十））",
            group="依法行政",
            order=60,
        ),
    ]
