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
        gov = make("govoffice", "区政府办公室")

    return C


def filing(**over):
    return {
        "unit": "区住建局",
        "applicant": "张三",
        "contact": "13800001234",
        "description": "2026年老旧小区改造项目的招标文件",
        "channel": "in_person",
        "submitted_on": "2026-11-20",
        **over,
    }
