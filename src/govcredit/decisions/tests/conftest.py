from __future__ import annotations

import pytest

from govcredit.api.tests.conftest import api, token_for  # noqa: F401  (the API client fixtures)


@pytest.fixture
def staff(personas):
    """Clerks of 区政府办公室 (catalog owner), 区政府法制办 (legality reviewer) and 区住建局 (a 承办单位)."""
    from govcredit.accounts.models import Organisation, Role
    from govcredit.accounts.services import create_user

    def make(username, short):
        return create_user(
            username,
            f"pw-{username}-123",
            display_name=username,
            memberships=[(Organisation.objects.get(short_name=short), Role.CLERK, False)],
        )

    class S:
        gov = make("govoffice", "区政府办公室")
        legal = make("legal", "区政府法制办")
        zj = make("zj", "区住建局")
        sw = make("sw", "区商务局")

    return S


@pytest.fixture
def launched(personas, staff):
    """A published catalog entry of 2026 (承办单位 区住建局) and its decision, launched 2026-08-20."""
    from govcredit.decisions import services

    gov = personas.access(staff.gov)
    entry = services.create_catalog_entry(
        {"year": 2026, "title": "周村区老旧小区改造三年行动计划", "category": "project", "unit": "区住建局"},
        access=gov,
    )
    services.publish_catalog(2026, party_agreed_on="2026-02-10", access=gov)
    return services.launch_decision(
        {"catalog_entry_id": entry.pk, "launched_on": "2026-08-20", "summary": "改造 42 个老旧小区"},
        access=personas.access(staff.zj),
    )


CONSULTATION = {
    "draft_text": "周村区老旧小区改造三年行动计划（征求意见稿）……",
    "start_on": "2026-09-01",
    "end_on": "2026-10-08",
}
LEGALITY = {
    "submitted_on": "2026-10-09",
    "opinion_on": "2026-10-20",
    "opinion": "决策权限、程序、内容合法。",
    "result": "lawful",
}
COLLECTIVE = {
    "meeting_type": "executive",
    "meeting_on": "2026-10-26",
    "attendees": "区长、副区长、区政府党组成员",
    "minutes": "会议讨论通过。",
    "outcome": "approved",
}
