"""Staff case workflow over the API (issue 19.3): accept / forward / return / resume / decide through
the disputes services — the back office's rights, states and audit."""

from __future__ import annotations

import pytest

from govcredit.core.models import AuditEntry
from govcredit.disputes.models import CaseEvent, DisputeCase
from govcredit.records.models import CreditRecord, Status

pytestmark = pytest.mark.django_db

CASES = "/api/v1/disputes/cases"
BODIES = {
    "accept": None,
    "forward": {"note": "转交核查"},
    "return": {"reason": "请补充证明材料。"},
    "resume": {"answer": "已补交。"},
    "decide": {"outcome": "upheld", "reason": "异议不成立。"},
}


def _status(case) -> str:
    return DisputeCase.objects.get(pk=case.pk).status


def test_accepting_an_objection_marks_the_record_under_objection(personas, api, objection):
    response = api(personas.court).post(f"{CASES}/{objection.pk}/accept", {"note": "材料齐全，予以受理"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"id": body["id"], "status": body["status"]} == {"id": objection.pk, "status": "accepted"}
    assert body["record_id"] == objection.record_id and body["record_status"] == "under_objection"
    assert CreditRecord.objects.get(pk=objection.record_id).status == Status.UNDER_OBJECTION
    entry = AuditEntry.objects.filter(action="govcredit.dispute.accepted").get()
    assert entry.actor_id == personas.court.pk and "材料齐全" in entry.summary
    assert CaseEvent.objects.filter(case_id=objection.pk, action="accepted").exists()
    # the public tracking page shows the same state
    public = api(None).get(f"/api/v1/public/cases/{objection.tracking_code}").json()
    assert public["status"] == "accepted"
    assert api(None).get(f"/api/v1/public/records/{objection.record_id}").json()["under_objection"] is True


def test_the_whole_objection_workflow_to_a_correction(personas, api, objection):
    office = api(personas.office)
    assert office.post(f"{CASES}/{objection.pk}/accept").json()["status"] == "accepted"  # no body: fine
    assert (
        office.post(f"{CASES}/{objection.pk}/forward", {"note": "请区法院核查"}).json()["status"]
        == "verifying"
    )
    returned = office.post(f"{CASES}/{objection.pk}/return", {"reason": "请补充履行完毕的付款凭证。"})
    assert returned.json()["status"] == "returned" and returned.json()["deadline"] is None
    assert (
        office.post(f"{CASES}/{objection.pk}/decide", {"outcome": "upheld", "reason": "x" * 5}).status_code
        == 409
    )
    resumed = office.post(f"{CASES}/{objection.pk}/resume", {"answer": "申请人已补交付款凭证。"})
    assert resumed.json()["status"] == "verifying"
    decided = office.post(
        f"{CASES}/{objection.pk}/decide",
        {
            "outcome": "corrected",
            "reason": "已部分履行，更正事实。",
            "corrections": {"facts": "已部分履行判决。"},
        },
    )
    assert decided.status_code == 200, decided.content
    assert decided.json() == {
        "id": objection.pk,
        "status": "decided",
        "kind": "objection",
        "outcome": "corrected",
        "deadline": None,
        "record_id": objection.record_id,
        "record_status": "published",
    }
    record = CreditRecord.objects.get(pk=objection.record_id)
    assert record.facts == "已部分履行判决。" and record.status == Status.PUBLISHED
    actions = list(
        AuditEntry.objects.filter(action__startswith="govcredit.dispute.").values_list("action", flat=True)
    )
    for action in ("accepted", "forwarded", "returned", "resumed", "decided"):
        assert f"govcredit.dispute.{action}" in actions


def test_revoking_decision_and_not_accepted(personas, api, objection, publish):
    court = api(personas.court)
    court.post(f"{CASES}/{objection.pk}/accept")
    revoked = court.post(f"{CASES}/{objection.pk}/decide", {"outcome": "revoked", "reason": "判决已被撤销。"})
    assert revoked.json()["record_status"] == "revoked"

    from govcredit.disputes import services

    other = publish(document_no="周法民〔2026〕9号")
    case = services.file_objection(
        record_id=other.pk, applicant="张三", contact="13800000000", reason="记录与事实不符，请核查。"
    )
    refused = court.post(
        f"{CASES}/{case.pk}/decide", {"outcome": "not_accepted", "reason": "不属于异议范围。"}
    )
    assert refused.status_code == 200 and refused.json()["outcome"] == "not_accepted"
    assert CreditRecord.objects.get(pk=other.pk).status == Status.PUBLISHED


def test_repair_workflow_approved(personas, api, repair_case):
    office = api(personas.office)
    accepted = office.post(f"{CASES}/{repair_case.pk}/accept").json()
    assert accepted["status"] == "accepted" and accepted["record_status"] == "published"
    # an objection outcome is not a repair outcome
    wrong = office.post(f"{CASES}/{repair_case.pk}/decide", {"outcome": "upheld", "reason": "维持原记录。"})
    assert wrong.status_code == 422 and "outcome" in wrong.json()["detail"]["fields"]
    approved = office.post(
        f"{CASES}/{repair_case.pk}/decide", {"outcome": "approved", "reason": "已履行义务。"}
    )
    assert approved.json()["record_status"] == "repaired"


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", 200),  # credit office
        ("reviewer", 200),  # credit office reviewer
        ("court", 200),  # clerk of the record's source unit
        ("dept", 403),  # the recorded unit: sees its case, may not handle it
        ("auditor", 403),  # sees everything, handles nothing
        ("hr", 404),  # another unit's clerk: the case is outside the scope
        ("outsider", 404),  # no role at all
    ],
)
@pytest.mark.parametrize("action", ["accept", "forward", "return", "resume", "decide"])
def test_rights_per_action(personas, api, objection, who, expected, action):
    from govcredit.disputes import services

    office = personas.access(personas.office)
    # bring the case to the state the action needs
    if action in ("forward", "decide"):
        services.accept_case(objection, access=office)
    if action == "resume":
        services.return_case(objection, access=office, request="请补交材料。")
    before = _status(objection)
    audit = AuditEntry.objects.filter(action__startswith="govcredit.dispute.").count()
    client = api(getattr(personas, who))
    response = client.post(f"{CASES}/{objection.pk}/{action}", BODIES[action])
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["status"] != before
        assert AuditEntry.objects.filter(action__startswith="govcredit.dispute.").count() == audit + 1
    else:
        assert isinstance(response.json()["detail"], str)
        assert _status(objection) == before
        assert AuditEntry.objects.filter(action__startswith="govcredit.dispute.").count() == audit


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("forward", None),  # not accepted yet
        ("decide", {"outcome": "upheld", "reason": "异议不成立。"}),  # not accepted yet
        ("resume", {"answer": "已补交。"}),  # not returned
    ],
)
def test_wrong_state_is_409(personas, api, objection, action, body):
    response = api(personas.office).post(f"{CASES}/{objection.pk}/{action}", body)
    assert response.status_code == 409 and isinstance(response.json()["detail"], str)
    assert _status(objection) == "received"


def test_accepting_twice_is_409(personas, api, objection):
    office = api(personas.office)
    assert office.post(f"{CASES}/{objection.pk}/accept").status_code == 200
    again = office.post(f"{CASES}/{objection.pk}/accept")
    assert again.status_code == 409 and "待受理" in again.json()["detail"]


@pytest.mark.parametrize("action", list(BODIES))
def test_unknown_case_is_404(personas, api, action):
    response = api(personas.office).post(f"{CASES}/999999/{action}", BODIES[action])
    assert response.status_code == 404 and isinstance(response.json()["detail"], str)


def test_no_token_is_401(api, objection):
    assert api(None).post(f"{CASES}/{objection.pk}/accept").status_code == 401


def test_bodies_are_strict(personas, api, objection):
    office = api(personas.office)
    assert office.post(f"{CASES}/{objection.pk}/accept", {"note": False}).status_code == 422
    assert office.post(f"{CASES}/{objection.pk}/accept", {"nope": "x"}).status_code == 422
    assert office.post(f"{CASES}/{objection.pk}/return", {}).status_code == 422
    assert office.post(f"{CASES}/{objection.pk}/return", {"reason": ""}).status_code == 422
    assert office.post(f"{CASES}/{objection.pk}/accept", {"note": "\x00"}).status_code == 422
    assert _status(objection) == "received"
    office.post(f"{CASES}/{objection.pk}/accept")
    assert (
        office.post(f"{CASES}/{objection.pk}/decide", {"outcome": "maybe", "reason": "理由。"}).status_code
        == 422
    )
    corrected = office.post(f"{CASES}/{objection.pk}/decide", {"outcome": "corrected", "reason": "更正。"})
    assert corrected.status_code == 422 and "corrections" in corrected.json()["detail"]["fields"]
    assert _status(objection) == "accepted"
