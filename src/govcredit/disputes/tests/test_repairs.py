import datetime as dt

import pytest

from govcredit.core.crypto import sm3_hex
from govcredit.core.errors import ValidationFailed
from govcredit.disputes import services
from govcredit.disputes.models import CaseStatus, DisputeCase, Outcome
from govcredit.records.models import Status

from .conftest import PDF


def _file(record, **overrides):
    data = dict(
        record_id=record.pk,
        applicant="周村区发展和改革局",
        contact="dept@example.com",
        measures_taken="已全额支付工程款并公开致歉，消除不良影响。",
        obligations_fulfilled=True,
        commitment_confirmed=True,
        files=[("付款凭证.pdf", PDF)],
    )
    data.update(overrides)
    return services.file_repair(**data)


def test_commitment_text_and_digest_stored(repair_case, record):
    assert "信用承诺书" in repair_case.commitment_text
    assert record.document_no in repair_case.commitment_text
    assert repair_case.commitment_digest == sm3_hex(repair_case.commitment_text)


def test_too_early_says_earliest_date(publish):
    record = publish(document_no="周法民〔2026〕9号", decided_on=dt.date(2026, 10, 1))
    assert record.repairable_from == dt.date(2027, 1, 1)
    with pytest.raises(services.NotEligible) as exc:
        _file(record)
    assert exc.value.earliest == dt.date(2027, 1, 1)
    assert "最短公示期尚未届满" in exc.value.message
    assert "2027-01-01" in exc.value.message
    assert not DisputeCase.objects.exists()


def test_eligible_from_that_day(publish):
    record = publish(document_no="周法民〔2026〕9号", decided_on=dt.date(2026, 10, 1))
    assert services.repair_eligibility(record, dt.date(2027, 1, 1)).eligible
    assert not services.repair_eligibility(record, dt.date(2026, 12, 31)).eligible


def test_not_repairable_item_has_no_date(publish, personas):
    from govcredit.catalog.models import CatalogItem

    CatalogItem.objects.filter(code="court_judgment").update(repairable=False)
    record = publish()
    result = services.repair_eligibility(record)
    assert not result.eligible and result.earliest is None
    assert "不可信用修复" in result.message()
    assert "目前无法确定" in result.message()


def test_repeat_within_window_refused(publish):
    first = publish()
    publish(document_no="周法民〔2026〕2号", decided_on=dt.date(2026, 8, 1))
    result = services.repair_eligibility(first)
    assert not result.eligible
    assert "周法民〔2026〕2号" in result.message()


def test_under_objection_not_eligible(objection, personas, record):
    services.accept_case(objection, access=personas.access(personas.office))
    record.refresh_from_db()
    assert "异议处理中" in services.repair_eligibility(record).message()


def test_declarations_and_evidence_required(record):
    with pytest.raises(ValidationFailed) as exc:
        _file(record, obligations_fulfilled=False)
    assert "obligations_fulfilled" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        _file(record, commitment_confirmed=False)
    assert "commitment_confirmed" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        _file(record, files=[])
    assert "evidence" in exc.value.field_errors
    assert not DisputeCase.objects.exists()


def test_approved_repair_ends_publication(repair_case, personas, record):
    office = personas.access(personas.office)
    case = services.accept_case(repair_case, access=office)
    case = services.forward_case(case, access=office)
    case = services.decide_case(
        case,
        access=personas.access(personas.court),
        outcome=Outcome.APPROVED,
        reason="已履行义务，准予修复。",
    )
    record.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert record.status == Status.REPAIRED and not record.is_public


def test_denied_repair_keeps_record(repair_case, personas, record):
    office = personas.access(personas.office)
    case = services.accept_case(repair_case, access=office)
    services.decide_case(case, access=office, outcome=Outcome.DENIED, reason="证明材料不足。")
    record.refresh_from_db()
    assert record.status == Status.PUBLISHED


def test_objection_outcome_not_allowed_for_repair(repair_case, personas):
    office = personas.access(personas.office)
    case = services.accept_case(repair_case, access=office)
    with pytest.raises(ValidationFailed, match="办理结果"):
        services.decide_case(case, access=office, outcome=Outcome.REVOKED, reason="x")
