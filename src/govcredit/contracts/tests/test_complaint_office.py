"""Back-office pages for enterprises' non-payment complaints: the handler's list (filters, overdue,
export), forwarding and deciding by form; the respondent sees the facts only once forwarded and never
the contact; nobody else sees the complaint at all."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from govcredit.contracts import complaints
from govcredit.contracts.models import ArrearsCase, ArrearsComplaint

from .conftest import SUPPLIER_USCC

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def filed(personas, supplier):
    return complaints.file_complaint(
        {
            "complainant_uscc": SUPPLIER_USCC,
            "contact_name": "王经理",
            "contact": "13905330001",
            "respondent": "区住建局",
            "amount": "86000",
            "due_on": "2026-05-01",
            "description": "智慧工地平台已验收，合同约定验收后30日付款，至今未付。",
        }
    )


@pytest.fixture
def respondent_clerk(personas):
    from govcredit.accounts.models import Role
    from govcredit.accounts.services import create_user

    return create_user("zjj", "pw-zjj-12345", memberships=[(personas.unit("区住建局"), Role.CLERK, False)])


def test_the_handler_lists_forwards_and_decides(personas, filed):
    client = login(personas.finance)
    page = client.get("/office/contracts/complaints/").content.decode()
    assert filed.tracking_code in page and "139****0001" not in page  # the list shows no contact
    assert "拖欠账款投诉" in client.get("/office/").content.decode()  # menu entry and tile
    detail = client.get(f"/office/contracts/complaints/{filed.pk}/").content.decode()
    assert "139****0001" in detail and "13905330001" not in detail

    response = client.post(f"/office/contracts/complaints/{filed.pk}/forward/", follow=True)
    assert "已将投诉" in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == "forwarded" and filed.forwarded_on
    again = client.post(f"/office/contracts/complaints/{filed.pk}/forward/", follow=True)
    assert "已转交或已办结" in again.content.decode()

    refused = client.post(f"/office/contracts/complaints/{filed.pk}/decide/", {"outcome": "substantiated"})
    assert refused.status_code == 422 and "办理意见" in refused.content.decode()
    assert ArrearsComplaint.objects.get(pk=filed.pk).status == "forwarded"  # nothing half-saved

    done = client.post(
        f"/office/contracts/complaints/{filed.pk}/decide/",
        {"outcome": "substantiated", "note": "经核实，款项逾期未付。"},
        follow=True,
    ).content.decode()
    assert "已办结投诉" in done and "已立清欠台账" in done
    assert ArrearsCase.objects.filter(source="complaint", amount=86000).exists()


def test_filters_overdue_and_export(personas, filed, today):
    client = login(personas.finance)
    ArrearsComplaint.objects.filter(pk=filed.pk).update(forward_by=today.replace(year=today.year - 1))
    assert filed.tracking_code in client.get("/office/contracts/complaints/?overdue=1").content.decode()
    assert "超期" in client.get("/office/contracts/complaints/").content.decode()
    empty = client.get("/office/contracts/complaints/?status=decided").content.decode()
    assert "没有符合筛选条件的投诉" in empty
    assert (
        filed.tracking_code
        in client.get(f"/office/contracts/complaints/?q={filed.tracking_code}").content.decode()
    )

    from openpyxl import load_workbook

    response = client.get("/office/contracts/complaints/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "查询码" and rows[1][0] == filed.tracking_code
    assert not any("1390533" in str(cell) for row in rows for cell in row)


def test_the_respondent_sees_it_once_forwarded_and_cannot_act(personas, filed, respondent_clerk):
    clerk = login(respondent_clerk)
    assert filed.tracking_code not in clerk.get("/office/contracts/complaints/").content.decode()
    assert clerk.get(f"/office/contracts/complaints/{filed.pk}/").status_code == 404
    complaints.forward(filed, access=personas.access(personas.finance))
    page = clerk.get(f"/office/contracts/complaints/{filed.pk}/").content.decode()
    assert "智慧工地" in page and "王经理" not in page and "****" not in page and "办结</button>" not in page
    assert clerk.post(f"/office/contracts/complaints/{filed.pk}/forward/").status_code in (302, 403)
    refused = clerk.post(
        f"/office/contracts/complaints/{filed.pk}/decide/", {"outcome": "substantiated", "note": "x"}
    )
    assert refused.status_code == 422 and "区财政局" in refused.content.decode()
    assert ArrearsComplaint.objects.get(pk=filed.pk).status == "forwarded"


def test_an_unrelated_unit_sees_nothing(personas, filed):
    client = login(personas.court)
    assert filed.tracking_code not in client.get("/office/contracts/complaints/").content.decode()
    assert client.get(f"/office/contracts/complaints/{filed.pk}/").status_code == 404
