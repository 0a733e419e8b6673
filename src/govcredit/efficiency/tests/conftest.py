from __future__ import annotations

import pytest

from govcredit.api.tests.conftest import api, token_for  # noqa: F401  (the API client fixtures)


@pytest.fixture
def clerks(personas):
    from govcredit.accounts.models import Organisation, Role
    from govcredit.accounts.services import create_user

    def make(username, short):
        return create_user(
            username,
            f"pw-{username}-123",
            display_name=username,
            memberships=[(Organisation.objects.get(short_name=short), Role.CLERK, False)],
        )

    class C:
        zj = make("zj", "区住建局")
        sw = make("sw", "区商务局")
        center = make("center", "区政务服务中心管理办公室")

    return C


@pytest.fixture
def item(personas, clerks):
    from govcredit.efficiency import services

    return services.create_item(
        {
            "code": "ZJ-XK-001",
            "name": "建筑工程施工许可",
            "unit": "区住建局",
            "kind": "promised",
            "legal_days": 15,
            "promised_days": 5,
        },
        access=personas.access(clerks.zj),
    )


ROWS = [
    {"case_no": "A1", "item": "ZJ-XK-001", "received_on": "2026-11-02", "completed_on": "2026-11-06"},
    {"case_no": "A2", "item": "ZJ-XK-001", "received_on": "2026-11-02", "completed_on": "2026-11-16"},
    {
        "case_no": "A3",
        "item": "ZJ-XK-001",
        "received_on": "2026-11-02",
        "completed_on": "2026-11-10",
        "excluded": "2026-11-03~2026-11-05|专家评审",
    },
    {
        "case_no": "A4",
        "item": "ZJ-XK-001",
        "received_on": "2026-11-02",
        "completed_on": "2026-11-18",
        "notices": "2026-11-03;2026-11-12",
    },
    {"case_no": "A5", "item": "ZJ-XK-001", "received_on": "2026-11-09", "completed_on": "2026-11-24"},
    {"case_no": "A6", "item": "ZJ-XK-001", "received_on": "2026-11-09", "completed_on": "2026-11-12"},
]
