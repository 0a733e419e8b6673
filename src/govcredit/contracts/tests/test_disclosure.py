"""Art 18 yearly disclosure (CLI, API, page, ledger) and the enterprise's public pay-by dates."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from govcredit.contracts import services
from govcredit.duties.models import DisclosureEntry

pytestmark = pytest.mark.django_db


def pay(personas, contract, paid_on, amount, voucher):
    services.record_payment(
        contract.obligations.get(),
        {"paid_on": paid_on, "amount": amount, "voucher_no": voucher},
        access=personas.access(personas.finance),
    )


@pytest.fixture
def year_2025(personas, make_contract):
    due = {
        "kind": "payment",
        "title": "货款",
        "amount": "200000",
        "due_rule": "fixed",
        "fixed_due_on": "2025-10-01",
    }
    late = make_contract(number="ZC-2025-01", signed_on="2025-03-01", obligations=[due])
    pay(personas, late, "2025-11-01", "50000", "P1")
    pay(personas, late, "2026-01-10", "150000", "P2")  # after the year's end: still overdue on 12-31
    paid = make_contract(
        number="ZC-2025-02", signed_on="2025-03-01", government="区商务局", obligations=[due]
    )
    pay(personas, paid, "2025-09-30", "200000", "P3")
    make_contract(number="ZC-2025-03", signed_on="2025-03-01", counterparty_scale="large", obligations=[due])
    return late


def test_the_cli_publishes_the_statement_and_the_api_serves_it(year_2025, capsys):
    call_command("arrears", "disclose", "--year", "2025")
    out = capsys.readouterr().out
    assert "周村区住房和城乡建设局" in out and "150,000.00" in out
    body = Client().get("/api/v1/public/arrears-disclosure", {"year": 2025}).json()
    assert body["due_by"] == "2026-03-31" and body["total_count"] == 1
    assert body["units"] == [
        {
            "unit": "周村区住房和城乡建设局",
            "unit_uscc": year_2025.government.uscc,
            "count": 1,
            "amount": "150000.00",
        }
    ]
    entry = DisclosureEntry.objects.get(object_type="contracts.arrearsdisclosure")
    assert entry.event == "publish" and entry.version == 1

    call_command("arrears", "disclose", "--year", "2025")  # same data: nothing new
    assert DisclosureEntry.objects.filter(object_type="contracts.arrearsdisclosure").count() == 1

    page = Client().get("/arrears-disclosure/?year=2025")
    assert page.status_code == 200 and "150,000.00" in page.content.decode()


def test_a_correction_is_a_new_version_in_the_ledger(personas, year_2025, make_contract):
    call_command("arrears", "disclose", "--year", "2025")
    due = {
        "kind": "payment",
        "title": "货款",
        "amount": "1000",
        "due_rule": "fixed",
        "fixed_due_on": "2025-12-01",
    }
    make_contract(number="ZC-2025-09", signed_on="2025-03-01", government="区商务局", obligations=[due])
    call_command("arrears", "disclose", "--year", "2025")
    events = list(
        DisclosureEntry.objects.filter(object_type="contracts.arrearsdisclosure").values_list(
            "event", "version"
        )
    )
    assert events == [("publish", 1), ("correct", 2)]
    assert Client().get("/api/v1/public/arrears-disclosure?year=2025").json()["total_count"] == 2


def test_a_year_not_yet_over_or_not_published(reference):
    with pytest.raises(CommandError) as exc:
        call_command("arrears", "disclose", "--year", "2099")
    assert exc.value.returncode == 2
    response = Client().get("/api/v1/public/arrears-disclosure?year=2024")
    assert response.status_code == 404 and "尚未公开" in response.json()["detail"]
    assert Client().get("/api/v1/public/arrears-disclosure?year=abc").status_code == 422


def test_the_enterprise_sees_its_pay_by_date_and_interest(personas, make_contract, today):
    from .conftest import SUPPLIER_USCC, days_before

    contract = make_contract(
        amount_withheld=False,
        obligations=[
            {
                "kind": "payment",
                "amount": "100000",
                "due_rule": "fixed",
                "fixed_due_on": days_before(today, 10),
            }
        ],
    )
    listing = Client().get("/api/v1/public/contracts", {"counterparty": SUPPLIER_USCC}).json()
    assert listing["count"] == 1 and listing["items"][0]["number"] == contract.number
    ob = Client().get(f"/api/v1/public/contracts/{contract.pk}").json()["obligations"][0]
    assert ob["due_on"] == days_before(today, 10) and ob["overdue"] is True
    assert ob["interest"] == "500.00" and ob["due_explain"]
    page = Client().get(f"/contracts/{contract.pk}/").content.decode()
    assert "500.00" in page and "应付款日期" in page
    assert Client().get("/api/v1/public/contracts/999999").status_code == 404


def test_withheld_amounts_stay_hidden(make_contract):
    contract = make_contract(
        amount_withheld=True,
        obligations=[
            {"kind": "payment", "amount": "100000", "due_rule": "fixed", "fixed_due_on": "2026-09-01"}
        ],
    )
    body = Client().get(f"/api/v1/public/contracts/{contract.pk}").json()
    assert body["amount"] is None and body["obligations"][0]["amount"] is None
    assert body["obligations"][0]["due_on"] == "2026-09-01"
    assert "300,000" not in Client().get(f"/contracts/{contract.pk}/").content.decode()
