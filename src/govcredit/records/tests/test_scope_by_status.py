"""Who sees a record in each state (issue 13 point 15): every role × draft, submitted, rejected,
published and revoked — through the scoped selector, the back-office list and detail, and the API.

The recorded unit (区发改局, persona ``dept``) sees a source unit's records about it from the moment
they are submitted for review, so it can prepare; never the source unit's drafts, nor a record the
reviewer sent back (rejected: it is the source unit's draft again)."""

from __future__ import annotations

import pytest

from govcredit.accounts.models import Role
from govcredit.accounts.services import create_token, create_user
from govcredit.records import services
from govcredit.records.selectors import records_for

STATES = ("draft", "submitted", "rejected", "published", "revoked")
EVERY_STATE = set(STATES)
SEES = {
    "admin": EVERY_STATE,
    "office": EVERY_STATE,
    "reviewer": EVERY_STATE,
    "auditor": EVERY_STATE,
    "court": EVERY_STATE,  # the source unit: everything it submitted
    "hr": set(),  # another source unit
    "finance": set(),  # another source unit
    "dept": {"submitted", "published", "revoked"},  # the recorded unit
    "third_party": {"published"},  # only what is public
    "outsider": set(),  # no membership
}


@pytest.fixture
def by_state(personas, record_data):
    """One 区法院 record about 周村区发展和改革局 in each state, built through the services."""
    court = personas.access(personas.court)
    reviewer = personas.access(personas.reviewer)
    unit = personas.unit("区法院")

    def make(n: int, submit: bool):
        record, _, _ = services.upsert_record(
            record_data(document_no=f"周法民〔2026〕{n}号"), source_unit=unit, access=court, submit=submit
        )
        return record

    draft = make(1, False)
    submitted = make(2, True)
    rejected = services.reject_record(make(3, True), access=reviewer, reason="文书号有误，请核对。")
    published = services.approve_record(make(4, True), access=reviewer)
    revoked = services.revoke_record(
        services.approve_record(make(5, True), access=reviewer), access=court, reason="判决已被撤销。"
    )
    assert [r.status for r in (draft, submitted, rejected, published, revoked)] == list(STATES)
    return dict(zip(STATES, (draft, submitted, rejected, published, revoked), strict=True))


def _user(personas, role):
    if role == "admin":
        return create_user(
            "sysadmin",
            "pw-sysadmin-123",
            memberships=[(personas.unit("区发改局"), Role.ADMIN)],
        )
    if role == "third_party":
        return create_user(
            "thirdparty", "pw-thirdparty-123", memberships=[(personas.unit("区财政局"), Role.THIRD_PARTY)]
        )
    return getattr(personas, role)


@pytest.mark.parametrize("role", sorted(SEES))
def test_each_role_sees_each_state_as_the_rules_say(role, by_state, personas, client):
    user = _user(personas, role)
    expected = SEES[role]

    scoped = set(records_for(personas.access(user)).values_list("pk", flat=True))
    assert {s for s, r in by_state.items() if r.pk in scoped} == expected

    client.force_login(user)
    listing = client.get("/office/records/")
    if role == "outsider":
        assert listing.status_code == 403
    else:
        page = listing.content.decode()
        assert {s for s, r in by_state.items() if r.document_no in page} == expected
        for state, record in by_state.items():
            status = client.get(f"/office/records/{record.pk}/").status_code
            assert status == (200 if state in expected else 404), (role, state)

    _token, plain = create_token(user)
    answer = client.get("/api/v1/records", HTTP_AUTHORIZATION=f"Bearer {plain}")
    if answer.status_code == 200:
        ids = {item["id"] for item in answer.json()["items"]}
        assert {s for s, r in by_state.items() if r.pk in ids} == expected
    else:
        assert not expected and answer.status_code == 403


def test_recorded_unit_sees_a_record_once_it_is_submitted(personas, record_data):
    court = personas.access(personas.court)
    dept = personas.access(personas.dept)
    record, _, _ = services.upsert_record(
        record_data(document_no="周法民〔2026〕9号"), source_unit=personas.unit("区法院"), access=court
    )
    assert not records_for(dept).filter(pk=record.pk).exists()
    services.submit_record(record, access=court)
    assert records_for(dept).filter(pk=record.pk).exists()


def test_recorded_unit_sees_its_civil_servants_records_from_submission(personas, reference):
    import datetime as dt

    from govcredit.core.codes import make_id_number
    from govcredit.subjects.models import Subject

    unit = Subject.objects.get(name="周村区发展和改革局")
    hr = personas.access(personas.hr)
    row = {
        "subject_name": "王小明",
        "subject_kind": "公务员",
        "id_number": make_id_number("370306", dt.date(1980, 5, 6), 11),
        "unit_uscc": unit.uscc,
        "item": "disciplinary_sanction",
        "severity": "较重",
        "document_no": "周人社〔2026〕1号",
        "decided_on": dt.date(2026, 5, 1),
        "decided_by": "周村区人力资源和社会保障局",
        "facts": "违反工作纪律。",
    }
    record, _, _ = services.upsert_record(row, source_unit=personas.unit("区人社局"), access=hr)
    dept = personas.access(personas.dept)
    assert not records_for(dept).filter(pk=record.pk).exists()
    services.submit_record(record, access=hr)
    assert records_for(dept).filter(pk=record.pk).exists()
