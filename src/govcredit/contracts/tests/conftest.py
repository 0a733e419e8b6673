"""Contracts fixtures: an SME supplier, a contract builder through the services, API clients."""

from __future__ import annotations

import datetime as dt

import pytest

from govcredit.api.tests.conftest import api, token_for  # noqa: F401  (the API client fixtures)
from govcredit.core.codes import make_uscc

SUPPLIER_USCC = make_uscc("91370306", 20260001)


@pytest.fixture
def supplier(reference):
    from govcredit.subjects.models import SubjectKind
    from govcredit.subjects.services import SubjectData, create_subject

    return create_subject(
        SubjectData(kind=SubjectKind.ENTERPRISE, name="淄博周村丝路科技有限公司", uscc=SUPPLIER_USCC)
    )


@pytest.fixture
def contract_data(supplier):
    def build(**overrides):
        data = {
            "number": "ZCCG-2026-001",
            "title": "周村区智慧工地监管平台采购合同",
            "kind": "procurement",
            "government": "区住建局",
            "counterparty_uscc": SUPPLIER_USCC,
            "counterparty_scale": "small",
            "signed_on": "2026-01-15",
            "amount": "300000.00",
            "obligations": [],
        }
        data.update(overrides)
        return data

    return build


@pytest.fixture
def make_contract(personas, contract_data):
    from govcredit.contracts import services

    def make(**overrides):
        return services.create_contract(contract_data(**overrides), access=personas.access(personas.finance))

    return make


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


def days_before(today: dt.date, n: int) -> str:
    return (today - dt.timedelta(days=n)).isoformat()
