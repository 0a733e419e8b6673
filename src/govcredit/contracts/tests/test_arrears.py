"""The scanner's arrears cases, late interest (条例 Art 17), findings, clearing and changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govcredit.contracts import duties as contract_duties
from govcredit.contracts import services
from govcredit.contracts.dues import late_interest
from govcredit.contracts.models import ArrearsCase, ArrearsState, ContractRule
from govcredit.duties.models import Finding
from govcredit.records.models import CreditRecord

from .conftest import days_before

pytestmark = pytest.mark.django_db


def fixed_payment(due: str, amount: str = "100000.00"):
    return {
        "kind": "payment",
        "title": "第一期进度款",
        "amount": amount,
        "due_rule": "fixed",
        "fixed_due_on": due,
    }


@pytest.fixture
def short_grace(reference):
    ContractRule.objects.filter(key="arrears_grace_days").update(value=5)


def test_interest_is_half_a_per_mille_a_day_without_an_agreed_rate():
    interest, days = late_interest(
        amount=Decimal("100000"),
        due_on=dt.date(2026, 4, 1),
        as_of=dt.date(2026, 4, 11),
        rate=Decimal("0.0005"),
    )
    assert (interest, days) == (Decimal("500.00"), 10)


def test_interest_follows_partial_payments():
    # 100,000 late 4 days, then 60,000 paid; 40,000 late 6 more days: 200 + 120.
    interest, days = late_interest(
        amount=Decimal("100000"),
        due_on=dt.date(2026, 4, 1),
        as_of=dt.date(2026, 4, 11),
        rate=Decimal("0.0005"),
        payments=[(dt.date(2026, 4, 5), Decimal("60000")), (dt.date(2026, 3, 30), Decimal("0"))],
    )
    assert interest == Decimal("320.00") and days == 10


def test_scan_opens_a_case_and_proposes_an_arrears_record(personas, api, make_contract, today, short_grace):
    contract = make_contract(obligations=[fixed_payment(days_before(today, 10))])
    counts = contract_duties.scan(today)
    assert counts["arrears_cases"] == 1 and counts["findings"] == 1
    case = ArrearsCase.objects.get()
    assert case.state == ArrearsState.IDENTIFIED and case.amount == Decimal("100000.00")
    finding = Finding.objects.get(module="contracts", rule="arrears_overdue")
    assert finding.document_no.startswith("周信〔") and "ARR-" in finding.document_no
    record = CreditRecord.objects.get(pk=finding.record_id)
    assert record.status == "submitted" and record.item.code == "arrears"
    assert record.subject == contract.government

    again = contract_duties.scan(today)
    assert again["arrears_cases"] == 0 and again["findings"] == 0
    assert ArrearsCase.objects.count() == 1 and CreditRecord.objects.filter(item__code="arrears").count() == 1

    body = api(personas.finance).get(f"/api/v1/arrears/{case.pk}").json()
    assert body["interest"] == "500.00"
    assert body["days_overdue"] == 10 and body["aging"] == "1–30日"
    assert "每日万分之五" in body["interest_basis"]
    assert body["obligations"][0]["due_explain"].startswith("合同约定于")
    assert body["finding"]["document_no"] == finding.document_no
    assert api(personas.court).get(f"/api/v1/arrears/{case.pk}").status_code == 404


def test_the_grace_period_holds_back_the_case(make_contract, today):
    make_contract(obligations=[fixed_payment(days_before(today, 10))])
    assert contract_duties.scan(today)["arrears_cases"] == 0  # the default grace is 30 days
    assert ContractRule.objects.get(key="arrears_grace_days").legal_status == "local_choice"


def test_an_agreed_rate_replaces_the_default(make_contract, today, short_grace):
    make_contract(interest_rate_daily="0.0003", obligations=[fixed_payment(days_before(today, 10))])
    contract_duties.scan(today)
    case = ArrearsCase.objects.get()
    interest, _ = services.case_interest(case, today)
    assert interest == Decimal("300.00") and "合同约定" in case.rate_source


def test_a_full_payment_clears_the_case_and_prepares_the_repair(
    personas, api, make_contract, today, short_grace
):
    contract = make_contract(obligations=[fixed_payment(days_before(today, 10))])
    contract_duties.scan(today)
    ob = contract.obligations.get()
    client = api(personas.finance)
    url = f"/api/v1/contracts/{contract.pk}/obligations/{ob.pk}/payments"
    part = client.post(url, {"paid_on": days_before(today, 2), "amount": "30000", "voucher_no": "ZF-2026-11"})
    assert part.json()["arrears_case"]["state"] == "partially_repaid"
    rest = client.post(url, {"paid_on": today.isoformat(), "amount": "70000", "voucher_no": "ZF-2026-12"})
    assert rest.status_code == 201 and rest.json()["arrears_case"]["state"] == "cleared"
    case = ArrearsCase.objects.get()
    body = client.get(f"/api/v1/arrears/{case.pk}").json()
    assert body["state"] == "cleared" and body["outstanding"] == "0.00"
    # 100,000 late 8 days, then 70,000 late 2 more days: 400 + 70.
    assert body["interest"] == "470.00"
    repair = body["repair_application"]
    assert [v["voucher_no"] for v in repair["vouchers"]] == ["ZF-2026-11", "ZF-2026-12"]
    assert "全额清偿" in repair["measures_taken"] and repair["record_id"] is not None
    assert repair["applicant"] == contract.government.name


def test_an_unlawful_change_proposes_contract_breach(personas, api, make_contract):
    contract = make_contract(kind="investment_agreement", obligations=[fixed_payment("2026-12-31")])
    response = api(personas.finance).post(
        f"/api/v1/contracts/{contract.pk}/changes",
        {
            "kind": "policy",
            "reason": "leadership_change",
            "changed_on": "2026-06-01",
            "description": "新任领导要求取消原协议约定的设备补贴",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lawful"] is False and body["contract_state"] == "breached"
    assert "第三十一条" in body["problems"][0]
    assert "CTR-" in body["finding"]["document_no"]
    record = CreditRecord.objects.get(pk=Finding.objects.get(rule="unlawful_change").record_id)
    assert record.item.code == "contract_breach" and record.status == "submitted"


def test_a_lawful_change_opens_no_finding(personas, make_contract):
    contract = make_contract(obligations=[fixed_payment("2026-12-31")])
    change = services.record_change(
        contract,
        {
            "kind": "amount",
            "reason": "public_interest",
            "changed_on": "2026-06-01",
            "description": "因道路规划调整缩减供货范围",
            "legal_basis": "《中华人民共和国民法典》第五百三十三条",
            "procedure": "经区政府常务会议研究",
            "compensation": "20000",
        },
        access=personas.access(personas.finance),
    )
    assert change.lawful and not Finding.objects.exists()


def test_a_missed_policy_benefit_becomes_contract_breach(make_contract, today):
    make_contract(
        kind="investment_agreement",
        obligations=[
            {
                "kind": "policy_benefit",
                "title": "兑现设备购置奖补",
                "amount": "50000",
                "due_rule": "fixed",
                "fixed_due_on": days_before(today, 40),
            }
        ],
    )
    counts = contract_duties.scan(today)
    assert counts["findings"] == 1 and counts["arrears_cases"] == 0
    assert Finding.objects.get().rule == "obligation_not_met"
    assert contract_duties.scan(today)["findings"] == 0
