"""Typical cases: linked public records, two approvals, publication through the disclosure ledger,
automatic withdrawal when a linked record is revoked or repaired."""

from __future__ import annotations

import pytest

from govcredit.core.errors import Conflict, PermissionDenied, ValidationFailed
from govcredit.duties.models import DisclosureEntry
from govcredit.supervision import cases
from govcredit.supervision.models import CaseStatus


@pytest.fixture
def case_data():
    def build(**overrides):
        data = {
            "kind": "dishonest",
            "domain": "procurement",
            "title": "某局拖欠中小企业工程款被判决履行",
            "facts": "某局拖欠工程款，经法院判决仍未履行。",
            "handling": "纳入政务失信记录，责令限期整改。",
            "lessons": "政府要带头守信践诺。",
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def published_case(personas, people, publish, case_data):
    record = publish()
    case = cases.draft_case(case_data(record_ids=[record.pk]), access=personas.access(people.office2))
    case = cases.submit_case(case, access=personas.access(people.office2))
    case = cases.approve_case(case, access=personas.access(personas.office))
    case = cases.approve_case(case, access=personas.access(people.publicity))
    return case, record


@pytest.mark.django_db
class TestTypicalCases:
    def test_two_approvals_publish_with_a_ledger_entry(self, published_case):
        case, record = published_case
        assert case.status == CaseStatus.PUBLISHED and case.unpublish_on == record.publish_until
        entry = DisclosureEntry.objects.get(object_type="supervision.typicalcase")
        assert entry.event == "publish" and entry.object_id == str(case.pk)
        assert list(cases.public_cases()) == [case]

    def test_the_drafter_never_approves_and_the_order_holds(self, personas, people, publish, case_data):
        record = publish()
        case = cases.draft_case(case_data(record_ids=[record.pk]), access=personas.access(personas.office))
        case = cases.submit_case(case, access=personas.access(personas.office))
        with pytest.raises(PermissionDenied):
            cases.approve_case(case, access=personas.access(personas.office))
        with pytest.raises(PermissionDenied):
            cases.approve_case(case, access=personas.access(people.publicity))
        case = cases.approve_case(case, access=personas.access(people.office2))
        with pytest.raises(PermissionDenied):
            cases.approve_case(case, access=personas.access(people.office2))
        case = cases.return_case(case, access=personas.access(people.publicity), reason="案情表述需核实")
        assert case.status == CaseStatus.RETURNED

    def test_links_must_be_public_records_of_the_right_kind(self, personas, publish, case_data):
        office = personas.access(personas.office)
        record = publish()
        with pytest.raises(ValidationFailed) as exc:
            cases.draft_case(case_data(record_ids=[]), access=office)
        assert "record_ids" in exc.value.field_errors
        with pytest.raises(ValidationFailed):
            cases.draft_case(case_data(kind="trust", record_ids=[record.pk]), access=office)
        with pytest.raises(ValidationFailed):
            cases.draft_case(case_data(record_ids=[999999]), access=office)

    def test_a_revoked_record_withdraws_the_case(self, api, personas, published_case):
        from govcredit.records import services

        case, record = published_case
        assert api(None).get("/api/v1/public/typical-cases").json()["count"] == 1
        services.revoke_record(record, access=personas.access(personas.court), reason="原判决已撤销")
        case.refresh_from_db()
        assert case.status == CaseStatus.WITHDRAWN and "自动撤下" in case.withdraw_reason
        events = list(DisclosureEntry.objects.filter(object_id=str(case.pk)).values_list("event", flat=True))
        assert events == ["publish", "withdraw"]
        assert api(None).get("/api/v1/public/typical-cases").json() == {"count": 0, "items": []}
        assert api(None).get(f"/api/v1/public/typical-cases/{case.pk}").status_code == 404
        ledger = api(None).get("/api/v1/public/disclosure-ledger").json()
        assert ledger["entries"][-1]["event"] == "withdraw"

    def test_manual_withdraw_needs_the_office(self, personas, people, published_case):
        case, _ = published_case
        with pytest.raises(PermissionDenied):
            cases.withdraw_case(case, access=personas.access(people.zj), reason="x")
        cases.withdraw_case(case, access=personas.access(personas.office), reason="案例已过时")
        with pytest.raises(Conflict):
            cases.withdraw_case(case, access=personas.access(personas.office), reason="再次")


@pytest.mark.django_db
def test_the_nightly_scan_withdraws_a_case_past_its_window(published_case):
    import datetime as dt

    from govcredit.supervision import duties as scan_hook
    from govcredit.supervision.models import TypicalCase

    case, _ = published_case
    TypicalCase.objects.filter(pk=case.pk).update(unpublish_on=dt.date(2026, 1, 1))
    assert scan_hook.scan(dt.date(2026, 1, 2))["cases_withdrawn"] == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    assert scan_hook.scan(dt.date(2026, 1, 2))["cases_withdrawn"] == 0
