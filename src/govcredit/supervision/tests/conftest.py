"""Supervision fixtures: a clerk of 区住建局 (the respondent unit), of 区委宣传部 and of 区政府办公室,
a second credit-office user, a filed complaint, API clients."""

from __future__ import annotations

import pytest

from govcredit.api.tests.conftest import api, token_for  # noqa: F401  (the API client fixtures)


@pytest.fixture
def people(personas):
    from govcredit.accounts.models import Role
    from govcredit.accounts.services import create_user

    def make(username, short, role=Role.CLERK):
        return create_user(
            username,
            "pw-" + username + "-123",
            display_name=username,
            memberships=[(personas.unit(short), role, False)],
        )

    class P:
        zj = make("zj", "区住建局")
        zj_user = make("zj_user", "区住建局", Role.SUBJECT_USER)
        edu = make("edu", "区商务局")
        publicity = make("publicity", "区委宣传部")
        govoffice = make("govoffice", "区政府办公室")
        office2 = make("office2", "区发改局", Role.CREDIT_OFFICE)

    return P


@pytest.fixture
def complaint_data():
    def build(**overrides):
        data = {
            "kind": "complaint",
            "category": "integrity",
            "respondent": "区住建局",
            "content": "区住建局承诺三十个工作日内办结老旧小区加装电梯审批，至今已逾期两个月未办结。",
            "name": "张三明",
            "contact": "13800001234",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def filed(personas, complaint_data):
    from govcredit.supervision import complaints

    def do(**overrides):
        return complaints.file_complaint(complaint_data(**overrides))

    return do
