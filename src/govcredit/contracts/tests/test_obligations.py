"""Contract registration, due rules (条例 Art 9 and 10), payments and the refusals of bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from govcredit.contracts import services
from govcredit.contracts.models import GovContract, Obligation, ObligationState, Payment
from govcredit.core.errors import Conflict, ValidationFailed
from govcredit.duties.models import Duty

from .conftest import SUPPLIER_USCC

pytestmark = pytest.mark.django_db


def payment(**overrides):
    data = {
        "kind": "payment",
        "title": "合同价款",
        "amount": "100000.00",
        "trigger": "acceptance",
        "days": 30,
    }
    data.update(overrides)
    return data


def test_it_counts_the_payment_period_from_acceptance(personas, api, contract_data):
    body = contract_data(obligations=[payment(accepted_on="2026-03-02")])
    response = api(personas.finance).post("/api/v1/contracts", body)
    assert response.status_code == 201, response.content
    ob = response.json()["obligations"][0]
    assert ob["due_on"] == "2026-04-01"
    assert "验收之日（2026-03-02）" in ob["due_explain"]
    duty = Duty.objects.get(module="contracts", kind="payment", object_id=ob["id"])
    assert duty.due_on == dt.date(2026, 4, 1)
    assert duty.unit.short_name == "区住建局"


def test_delayed_acceptance_runs_from_the_end_of_the_agreed_period(make_contract):
    contract = make_contract(
        obligations=[payment(delivered_on="2026-03-02", acceptance_days=15, accepted_on="2026-05-10")]
    )
    ob = contract.obligations.get()
    # 15 days after delivery end on 2026-03-17; 30 days from then: 2026-04-16 (not from 05-10).
    assert ob.due_on == dt.date(2026, 4, 16)
    assert "第十条" in ob.due_explain and "2026-03-17" in ob.due_explain


def test_acceptance_not_yet_done_still_gives_the_art10_date(personas, make_contract):
    contract = make_contract(obligations=[payment(delivered_on="2026-03-02", acceptance_days=15)])
    ob = contract.obligations.get()
    assert ob.due_on == dt.date(2026, 4, 16)
    assert "尚未验收" in ob.due_explain


def test_without_any_event_the_due_date_waits(personas, make_contract):
    contract = make_contract(obligations=[payment()])
    ob = contract.obligations.get()
    assert ob.due_on is None and "待录入验收日期" in ob.due_explain
    assert not Duty.objects.filter(module="contracts", object_id=ob.pk).exists()
    ob = services.record_obligation_event(
        ob, {"accepted_on": "2026-03-02"}, access=personas.access(personas.finance)
    )
    assert ob.due_on == dt.date(2026, 4, 1)
    assert Duty.objects.get(module="contracts", object_id=ob.pk).due_on == dt.date(2026, 4, 1)


def test_art9_refuses_more_than_60_days_for_an_sme(personas, api, contract_data):
    body = contract_data(obligations=[payment(accepted_on="2026-03-02", days=90)])
    response = api(personas.finance).post("/api/v1/contracts", body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "第九条" in detail["fields"]["obligations.0.days"][0]
    assert "90日" in detail["fields"]["obligations.0.days"][0]
    assert not GovContract.objects.exists()


def test_art9_also_catches_an_agreed_period_in_months(contract_data):
    with pytest.raises(ValidationFailed) as exc:
        services.clean_contract(
            contract_data(obligations=[payment(days=None, months=3, accepted_on="2026-03-02")])
        )
    assert "第九条" in exc.value.field_errors["obligations.0.months"][0]


def test_art9_does_not_bind_a_large_enterprise(make_contract):
    contract = make_contract(
        counterparty_scale="large", obligations=[payment(accepted_on="2026-03-02", days=90)]
    )
    assert contract.obligations.get().due_on == dt.date(2026, 5, 31) + dt.timedelta(days=0)


def test_an_sme_payment_without_a_period_gets_the_statutory_30_days(make_contract):
    contract = make_contract(obligations=[payment(trigger="delivery", delivered_on="2026-06-01", days=None)])
    ob = contract.obligations.get()
    assert ob.days == 30 and ob.due_on == dt.date(2026, 7, 1)


def test_unknown_uscc_is_refused(personas, api, contract_data):
    from govcredit.core.codes import make_uscc

    unknown = make_uscc("91370306", 777)
    response = api(personas.finance).post("/api/v1/contracts", contract_data(counterparty_uscc=unknown))
    assert response.status_code == 422
    assert "未在主体库中登记" in response.json()["detail"]["fields"]["counterparty_uscc"][0]
    broken = SUPPLIER_USCC[:-1] + ("0" if SUPPLIER_USCC[-1] != "0" else "1")
    response = api(personas.finance).post("/api/v1/contracts", contract_data(counterparty_uscc=broken))
    assert response.status_code == 422
    assert "校验" in response.json()["detail"]["fields"]["counterparty_uscc"][0]
    assert not GovContract.objects.exists()


def test_an_unregistered_enterprise_with_its_name_is_registered(personas, contract_data):
    from govcredit.core.codes import make_uscc
    from govcredit.subjects.models import Subject

    code = make_uscc("91370306", 778)
    contract = services.create_contract(
        contract_data(counterparty_uscc=code, counterparty_name="周村区新企业有限公司"),
        access=personas.access(personas.finance),
    )
    assert contract.counterparty == Subject.objects.get(uscc=code)
    assert contract.counterparty.needs_confirmation


def test_dates_out_of_order_are_refused_and_nothing_is_saved(personas, contract_data):
    body = contract_data(
        obligations=[
            payment(delivered_on="2026-03-10", accepted_on="2026-03-01"),
            payment(trigger="delivery", delivered_on="2025-12-01"),
        ]
    )
    with pytest.raises(ValidationFailed) as exc:
        services.create_contract(body, access=personas.access(personas.finance))
    errors = exc.value.field_errors
    assert "早于交付日期" in errors["obligations.0.accepted_on"][0]
    assert "早于合同签订日期" in errors["obligations.1.delivered_on"][0]
    assert not GovContract.objects.exists() and not Obligation.objects.exists()


def test_a_terminated_contract_takes_no_new_obligation(personas, api, make_contract):
    contract = make_contract(obligations=[payment(accepted_on="2026-03-02")])
    services.record_change(
        contract,
        {
            "kind": "termination",
            "reason": "agreement",
            "changed_on": "2026-05-01",
            "description": "双方协商一致解除合同",
        },
        access=personas.access(personas.finance),
    )
    contract.refresh_from_db()
    assert contract.state == "terminated"
    response = api(personas.finance).post(f"/api/v1/contracts/{contract.pk}/obligations", payment())
    assert response.status_code == 409
    assert "已解除" in response.json()["detail"]
    assert contract.obligations.count() == 1


def test_payments_cannot_exceed_what_is_owed(personas, api, make_contract):
    contract = make_contract(obligations=[payment(accepted_on="2026-03-02")])
    ob = contract.obligations.get()
    client = api(personas.finance)
    url = f"/api/v1/contracts/{contract.pk}/obligations/{ob.pk}/payments"
    first = client.post(url, {"paid_on": "2026-03-20", "amount": "40000", "voucher_no": "ZF-001"})
    assert first.status_code == 201, first.content
    assert first.json()["obligation"]["outstanding"] == "60000.00"
    assert first.json()["obligation"]["state"] == "partiallyMet"
    too_much = client.post(url, {"paid_on": "2026-03-21", "amount": "60000.01", "voucher_no": "ZF-002"})
    assert too_much.status_code == 422
    assert "超过该项尚未支付的60,000.00元" in too_much.json()["detail"]["fields"]["amount"][0]
    assert Payment.objects.count() == 1
    rest = client.post(url, {"paid_on": "2026-03-25", "amount": 60000, "voucher_no": "ZF-002"})
    assert rest.status_code == 201
    ob.refresh_from_db()
    assert ob.state == ObligationState.MET and ob.met_on == dt.date(2026, 3, 25)
    assert Duty.objects.get(module="contracts", object_id=ob.pk).status == "fulfilled"
    again = client.post(url, {"paid_on": "2026-03-26", "amount": "1", "voucher_no": "ZF-003"})
    assert again.status_code == 409


def test_a_payment_before_signing_is_refused(personas, make_contract):
    contract = make_contract(obligations=[payment(accepted_on="2026-03-02")])
    with pytest.raises(ValidationFailed) as exc:
        services.record_payment(
            contract.obligations.get(),
            {"paid_on": "2025-12-31", "amount": "10", "voucher_no": "X"},
            access=personas.access(personas.finance),
        )
    assert "早于合同签订日期" in exc.value.field_errors["paid_on"][0]


def test_an_outsider_cannot_register_or_see(personas, api, contract_data, make_contract):
    assert api(personas.outsider).post("/api/v1/contracts", contract_data()).status_code == 403
    contract = make_contract()
    assert api(personas.court).get(f"/api/v1/contracts/{contract.pk}").status_code == 404
    assert api(personas.office).get(f"/api/v1/contracts/{contract.pk}").status_code == 200


def test_obligations_over_the_contract_amount_are_refused(personas, make_contract):
    contract = make_contract(obligations=[payment(accepted_on="2026-03-02", amount="250000")])
    with pytest.raises(ValidationFailed) as exc:
        services.add_obligation(contract, payment(amount="60000"), access=personas.access(personas.finance))
    assert "超过合同金额" in exc.value.field_errors["amount"][0]
    with pytest.raises(Conflict):
        services.record_change(
            contract,
            {"kind": "termination", "reason": "agreement", "changed_on": "2026-05-01", "description": "解除"},
            access=personas.access(personas.finance),
        )
        services.add_obligation(contract, payment(amount="1"), access=personas.access(personas.finance))
