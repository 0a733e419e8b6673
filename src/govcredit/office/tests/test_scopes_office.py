"""Which back-office page each persona may open (200) and which it is refused (403, Chinese message)."""

from __future__ import annotations

import pytest

PAGES = {
    "/office/": {"office", "reviewer", "court", "hr", "dept", "auditor"},
    "/office/subjects/": {"office", "reviewer", "court", "hr", "dept", "auditor"},
    "/office/subjects/new/": {"office"},
    "/office/catalog/": {"office", "reviewer", "court", "hr", "dept", "auditor"},
    "/office/catalog/new/": {"office"},
    "/office/catalog/court_judgment/edit/": {"office"},
    "/office/audit/": {"office", "auditor"},
    "/office/system/": {"office", "reviewer", "court", "hr", "dept", "auditor"},
    "/office/system/tokens/": {"office", "reviewer", "court", "hr", "dept", "auditor"},
}
PERSONAS = ["office", "reviewer", "court", "hr", "dept", "auditor", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_its_pages_and_a_chinese_403_elsewhere(client, personas, persona):
    client.force_login(getattr(personas, persona))
    for url, allowed in PAGES.items():
        response = client.get(url)
        if persona in allowed:
            assert response.status_code == 200, (persona, url)
        else:
            assert response.status_code == 403, (persona, url)
            body = response.content.decode()
            assert "只有" in body or "尚未分配单位和角色" in body, (persona, url)


def test_subject_user_sees_only_own_unit_records_on_subject_pages(client, personas, publish, record_data):
    from govcredit.subjects.models import Subject

    other = Subject.objects.get(name="周村区财政局")
    record = publish(subject_name=other.name, uscc=other.uscc, document_no="周法民〔2026〕9号")
    client.force_login(personas.dept)
    body = client.get(f"/office/subjects/{other.pk}/").content.decode()
    assert record.document_no not in body
