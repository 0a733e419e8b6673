import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_project_pages(personas, project):
    client = Client()
    client.force_login(personas.finance)
    assert project.code in client.get("/office/ppp/").content.decode()
    page = client.get(f"/office/ppp/{project.pk}/").content.decode()
    assert "识别阶段" in page and "今日无人在任" in page
    assert client.get("/office/ppp/?export=xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")
    other = Client()
    other.force_login(personas.court)
    assert other.get(f"/office/ppp/{project.pk}/").status_code == 404


def test_public_project_page_shows_timeline_documents_and_ledger(personas, project):
    from govcredit.ppp import services

    overview = project.items.get(template__code="overview")
    services.provide_item(
        overview, {"document_title": "项目概况（公开版）"}, access=personas.access(personas.finance)
    )
    services.withhold_item(
        overview, reason="含商业秘密，经审核撤回", access=personas.access(personas.finance)
    )
    assert project.code in Client().get("/ppp/").content.decode()
    page = Client().get(f"/ppp/{project.code}/").content.decode()
    assert "识别阶段" in page and "公开完整度" in page and "周村区住房和城乡建设局" in page
    assert "撤回「" in page and "公开「" in page and "不予公开（含商业秘密" in page
    assert Client().get("/ppp/NOPE/").status_code == 404
