import pytest

from govcredit.duties.models import Finding, FindingStatus
from govcredit.duties.services import findings_for, open_finding, propose_finding
from govcredit.records import services as records
from govcredit.records.models import CreditRecord
from govcredit.subjects.models import Subject


@pytest.fixture
def finding_args(personas):
    subject = Subject.objects.get(name="周村区发展和改革局")

    def build(obj=None, **overrides):
        args = dict(
            module="commitments",
            rule="commitment_not_fulfilled",
            obj=obj or subject,
            subject=subject,
            source_unit=personas.unit("区发改局"),
            item="broken_commitment",
            severity="major",
            facts="承诺2026年6月30日前完成，经核定未履行。",
            legal_basis="周政发〔2018〕26号（十五）",
            evidence={"due_on": "2026-06-30", "achievement": 0},
            prefix="CMT",
        )
        args.update(overrides)
        return args

    return build


def test_open_finding_proposes_a_submitted_record_once(finding_args):
    finding = open_finding(**finding_args())
    assert finding.status == FindingStatus.PROPOSED
    assert finding.document_no.startswith("周信〔") and "CMT-" in finding.document_no
    assert finding.document_no.endswith(f"CMT-{finding.object_id:06d}-F1")
    record = CreditRecord.objects.get(pk=finding.record_id)
    assert record.status == "submitted" and record.item.code == "broken_commitment"
    assert record.proposed_by == "commitments" and record.document_no == finding.document_no
    again = open_finding(**finding_args(facts="别的文字"))
    assert again.pk == finding.pk and again.facts == finding.facts
    assert Finding.objects.count() == 1 and CreditRecord.objects.count() == 1
    second = open_finding(**finding_args(seq=2))
    assert second.document_no.endswith("-F2") and CreditRecord.objects.count() == 2


def test_finding_follows_the_record(personas, finding_args):
    finding = open_finding(**finding_args())
    record = CreditRecord.objects.get(pk=finding.record_id)
    records.reject_record(record, access=personas.access(personas.reviewer), reason="证据不足，请补充")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REJECTED

    f2 = open_finding(**finding_args(seq=2))
    record2 = CreditRecord.objects.get(pk=f2.record_id)
    records.approve_record(record2, access=personas.access(personas.reviewer))
    f2.refresh_from_db()
    assert f2.status == FindingStatus.PUBLISHED
    records.revoke_record(record2, access=personas.access(personas.office), reason="承诺经复核已履行")
    f2.refresh_from_db()
    assert f2.status == FindingStatus.WITHDRAWN


def test_propose_false_leaves_it_open_and_a_refusal_is_kept(finding_args, personas):
    f = open_finding(**finding_args(propose=False))
    assert f.status == FindingStatus.OPEN and f.record_id is None
    record = propose_finding(f)
    assert f.status == FindingStatus.PROPOSED and record.status == "submitted"
    # the court may not submit broken_commitment: the finding stays open with the reason
    bad = open_finding(**finding_args(seq=3, source_unit=personas.unit("区法院")))
    assert bad.status == FindingStatus.OPEN and "不能报送" in bad.problem
    assert Finding.objects.get(pk=bad.pk).problem == bad.problem


def test_scope(finding_args, personas):
    open_finding(**finding_args())
    assert findings_for(personas.access(personas.office)).count() == 1
    assert findings_for(personas.access(personas.dept)).count() == 1  # about its own unit
    assert findings_for(personas.access(personas.court)).count() == 0
    assert findings_for(personas.access(personas.outsider)).count() == 0


def test_api_detail(finding_args, personas, api):
    finding = open_finding(**finding_args())
    r = api(personas.office).get(f"/api/v1/findings/{finding.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "proposed" and body["record_id"] == finding.record_id
    assert body["document_no"] == finding.document_no
    assert api(personas.court).get(f"/api/v1/findings/{finding.pk}").status_code == 404
    assert api(None).get(f"/api/v1/findings/{finding.pk}").status_code == 401
    assert api(personas.office).get("/api/v1/findings/999999").status_code == 404
