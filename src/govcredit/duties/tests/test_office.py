import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from govcredit.core.workdays import default_calendar
from govcredit.duties.clock import due_date
from govcredit.duties.services import open_finding, register_duty
from govcredit.subjects.models import Subject


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def data(personas):
    subject = Subject.objects.get(name="周村区发展和改革局")
    finding = open_finding(
        module="commitments",
        rule="commitment_not_fulfilled",
        obj=subject,
        subject=subject,
        source_unit=personas.unit("区发改局"),
        item="broken_commitment",
        severity="general",
        facts="承诺未履行。",
        legal_basis="周政发〔2018〕26号（十五）",
        evidence={"a": 1},
        prefix="CMT",
    )
    cal = default_calendar()
    register_duty(
        module="test",
        kind="a",
        obj=subject,
        due=due_date(dt.date(2026, 3, 2), mode="working", n=5, calendar=cal),
        title="法院的逾期事项",
        unit=personas.unit("区法院"),
    )
    register_duty(
        module="test",
        kind="b",
        obj=subject,
        due=due_date(dt.date(2026, 3, 2), mode="working", n=5, calendar=cal),
        title="发改的事项",
        unit=personas.unit("区发改局"),
    )
    return finding


def test_finding_list_detail_and_export(personas, data):
    office = login(personas.office)
    r = office.get("/office/duties/findings/")
    assert r.status_code == 200 and data.document_no in r.content.decode()
    assert (
        office.get("/office/duties/findings/", {"status": "rejected"})
        .content.decode()
        .count(data.document_no)
        == 0
    )
    r = office.get("/office/duties/findings/", {"module": "commitments", "export": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "文书号" and rows[1][0] == data.document_no and len(rows) == 2
    assert office.get(f"/office/duties/findings/{data.pk}/").status_code == 200
    assert login(personas.court).get(f"/office/duties/findings/{data.pk}/").status_code == 404
    assert "暂无失信线索" in login(personas.court).get("/office/duties/findings/").content.decode()


def test_duty_list_is_scoped_and_filters(personas, data):
    court = login(personas.court).get("/office/duties/").content.decode()
    assert "法院的逾期事项" in court and "发改的事项" not in court
    office = login(personas.office).get("/office/duties/", {"overdue": "1"}).content.decode()
    assert "法院的逾期事项" in office and "发改的事项" in office and "逾期" in office
    r = login(personas.office).get("/office/duties/", {"q": "发改", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(r.content)).active.values)
    assert [row[0] for row in rows[1:]] == ["发改的事项"]
