"""No cross-scope leak: for each role, list, count, export, detail and evidence download show
exactly the records of that role's scope (DESIGN §3 roles and scopes)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from govcredit.records import services

from .conftest import PDF

SCOPES = {
    "office": {"court_dept", "court_fin", "court_draft", "hr_person", "hr_other"},
    "reviewer": {"court_dept", "court_fin", "court_draft", "hr_person", "hr_other"},
    "auditor": {"court_dept", "court_fin", "court_draft", "hr_person", "hr_other"},
    "court": {"court_dept", "court_fin", "court_draft"},
    "hr": {"hr_person", "hr_other"},
    # 区发改局 as a recorded unit: records about itself and about its civil servants only.
    "dept": {"court_dept", "hr_person"},
    # A third party sees only what is published and public.
    "third_party": {"court_dept", "court_fin"},
}


def _user(personas, third_party, role):
    return third_party if role == "third_party" else getattr(personas, role)


@pytest.fixture
def evidence(world, personas):
    """One evidence file on a 区法院 record and one on a 区人社局 record."""
    court = services.add_evidence(
        world.court_dept, name="判决书.pdf", content=PDF, access=personas.access(personas.court)
    )
    hr = services.add_evidence(
        world.hr_other, name="处分决定.pdf", content=PDF, access=personas.access(personas.hr)
    )
    return {"court_dept": court, "hr_other": hr}


@pytest.mark.parametrize("role", sorted(SCOPES))
def test_each_role_sees_exactly_its_scope(role, world, personas, third_party, login, evidence):
    client = login(_user(personas, third_party, role))
    visible = SCOPES[role]
    records = {
        name: getattr(world, name)
        for name in ("court_dept", "court_fin", "court_draft", "hr_person", "hr_other")
    }

    # list and count
    page = client.get("/office/records/").content.decode()
    for name, record in records.items():
        assert (record.document_no in page) == (name in visible), (role, name)
    assert f"共 <strong>{len(visible)}</strong> 条" in page

    # search does not widen the scope
    page = client.get("/office/records/", {"q": "周"}).content.decode()
    for name, record in records.items():
        if name not in visible:
            assert record.document_no not in page

    # export: exactly the rows in scope
    response = client.get("/office/records/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert exported == {records[n].document_no for n in visible}

    # detail: 200 inside, 404 outside (never reveal that it exists)
    for name, record in records.items():
        status = client.get(f"/office/records/{record.pk}/").status_code
        assert status == (200 if name in visible else 404), (role, name, status)

    # evidence: internal — the scope's staff get it, third parties and outsiders never
    for name, ev in evidence.items():
        response = client.get(f"/office/records/{ev.record_id}/evidence/{ev.pk}/")
        allowed = name in visible and role != "third_party"
        assert response.status_code == (200 if allowed else 404), (role, name)
        if allowed:
            assert b"".join(response.streaming_content) == PDF


def test_hr_never_sees_a_court_record_even_by_filter(world, personas, login):
    client = login(personas.hr)
    court = personas.unit("区法院")
    page = client.get("/office/records/", {"source_unit": court.pk}).content.decode()
    assert world.court_dept.document_no not in page
    assert "没有符合条件的信用记录" in page


def test_people_are_masked_on_list_detail_and_export(world, personas, login):
    client = login(personas.office)
    page = client.get("/office/records/").content.decode()
    assert "王*明" in page and "王小明" not in page
    detail = client.get(f"/office/records/{world.hr_person.pk}/").content.decode()
    assert "王小明" not in detail and "370306********" in detail
    sheet = load_workbook(io.BytesIO(client.get("/office/records/export/").content)).active
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row}
    assert "王*明" in cells and "王小明" not in cells
    assert not any("19800506" in c for c in cells)


def test_outsider_gets_a_chinese_403(world, personas, login):
    client = login(personas.outsider)
    for url in (
        "/office/records/",
        "/office/records/export/",
        "/office/records/new/",
        "/office/records/review/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "权" in response.content.decode() or "角色" in response.content.decode()
    assert client.get(f"/office/records/{world.court_dept.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/office/records/")
    assert response.status_code == 302 and "/office/login/" in response["Location"]


def test_third_party_detail_has_no_history_or_evidence(world, third_party, login, evidence):
    page = login(third_party).get(f"/office/records/{world.court_dept.pk}/").content.decode()
    assert "处理历史" not in page and "证据材料" not in page and "判决书.pdf" not in page


def test_correction_requests_are_scoped(world, personas):
    from govcredit.records.selectors import correction_requests_for

    req = services.request_correction(
        world.court_dept, {"facts": "更正后的事实。"}, access=personas.access(personas.court), reason="笔误"
    )
    assert list(correction_requests_for(personas.access(personas.reviewer))) == [req]
    assert list(correction_requests_for(personas.access(personas.dept))) == [req]
    assert list(correction_requests_for(personas.access(personas.hr))) == []
